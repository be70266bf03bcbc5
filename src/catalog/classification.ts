import type { Executor } from '../db/executor.js';
import { knowledgeGroupOf, listGroupRules } from '../fund/accounting/groups.js';
import type { FundKind } from '../fund/schema.js';
import { checkBbk, checkUdc } from './works.js';

export interface KnowledgeGroupQuery {
  bbk?: string;
  udc?: string;
  knowledgeGroup?: string;
  fund?: FundKind;
}

/** Whether a BBK or UDC index as typed so far passes its check (an empty one does). */
function passes(check: (v: string) => unknown, value: string | undefined): boolean {
  try {
    check(value ?? '');
    return true;
  } catch {
    return false;
  }
}

/**
 * The summary book's knowledge group a copy of a record with these indexes will count in, shown while the
 * cataloguer types; an index that does not pass its check yet is left out rather than refused.
 */
export async function knowledgeGroupFor(db: Executor, query: KnowledgeGroupQuery) {
  const bbkValid = passes(checkBbk, query.bbk);
  const udcValid = passes(checkUdc, query.udc);
  const rules = await listGroupRules(db);
  const knowledgeGroup = knowledgeGroupOf(
    rules,
    { bbk: bbkValid ? (query.bbk ?? null) : null, udc: udcValid ? (query.udc ?? null) : null, knowledge_group: query.knowledgeGroup ?? null, language: null },
    query.fund ?? 'main',
  );
  return { knowledgeGroup, bbkValid, udcValid };
}
