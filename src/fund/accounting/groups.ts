import type { Actor } from '../../auth/actor.js';
import { audit } from '../../org/audit.js';
import type { Executor } from '../../db/executor.js';
import { invalid } from '../../shared/errors.js';
import type { FundKind } from '../schema.js';
import { KNOWLEDGE_GROUPS, type KnowledgeGroup, type LanguageGroup, type RuleGroup } from './schema.js';
import { inTransaction } from '../../db/transaction.js';
import { allow } from '../../auth/guard.js';

export interface GroupRule {
  scheme: 'bbk' | 'udc';
  prefix: string;
  knowledgeGroup: RuleGroup;
  priority: number;
}

export interface ClassifiableWork {
  bbk: string | null;
  udc: string | null;
  knowledge_group: string | null;
  language: string | null;
}

const RULE_GROUPS = KNOWLEDGE_GROUPS.filter((g): g is RuleGroup => g !== 'textbooks');

/** Index as typed in the catalogue, without spaces, so '84 (5Каз)' and '84(5Каз)' match the same rules. */
const compact = (index: string) => index.replace(/\s+/g, '');

export async function listGroupRules(db: Executor): Promise<GroupRule[]> {
  const rows = await db
    .selectFrom('fund.knowledge_group_rules')
    .select(['scheme', 'prefix', 'knowledge_group', 'priority'])
    .orderBy('scheme')
    .orderBy('prefix')
    .execute();
  return rows.map((r) => ({ scheme: r.scheme, prefix: r.prefix, knowledgeGroup: r.knowledge_group, priority: r.priority }));
}

/** Replaces the deployment's whole mapping at once (an admin edits it as one table). */
export async function replaceGroupRules(db: Executor, actor: Actor, rules: GroupRule[]): Promise<GroupRule[]> {
  return inTransaction(db, async (trx) => {
    allow(actor, 'admin');
    const seen = new Set<string>();
    for (const rule of rules) {
      const key = `${rule.scheme}:${compact(rule.prefix)}`;
      if (!compact(rule.prefix)) throw invalid('accounting.rule_prefix_required');
      if (seen.has(key)) throw invalid('accounting.rule_duplicate', { scheme: rule.scheme, prefix: rule.prefix });
      seen.add(key);
    }
    await trx.deleteFrom('fund.knowledge_group_rules').execute();
    if (rules.length) {
      await trx
        .insertInto('fund.knowledge_group_rules')
        .values(rules.map((r) => ({ scheme: r.scheme, prefix: compact(r.prefix), knowledge_group: r.knowledgeGroup, priority: r.priority })))
        .execute();
    }
    await audit(trx, actor, 'replace', 'knowledge_group_rules', null, { count: rules.length });
    return listGroupRules(trx);
  });
}

/** The longest matching prefix wins; among equal lengths the higher priority. */
function matchRule(rules: GroupRule[], scheme: 'bbk' | 'udc', index: string | null): RuleGroup | null {
  if (!index) return null;
  const value = compact(index);
  let best: GroupRule | null = null;
  for (const rule of rules) {
    if (rule.scheme !== scheme || !value.startsWith(rule.prefix)) continue;
    if (!best || rule.prefix.length > best.prefix.length || (rule.prefix.length === best.prefix.length && rule.priority > best.priority)) {
      best = rule;
    }
  }
  return best?.knowledgeGroup ?? null;
}

/**
 * The one report group a copy counts in: textbooks by their fund; otherwise the work's own group when the
 * cataloguer set a valid one (it tells fiction from literary studies), then BBK, then UDC, else 'other'.
 */
export function knowledgeGroupOf(rules: GroupRule[], work: ClassifiableWork, fund: FundKind): KnowledgeGroup {
  if (fund === 'textbook') return 'textbooks';
  const own = work.knowledge_group as RuleGroup | null;
  if (own && RULE_GROUPS.includes(own)) return own;
  return matchRule(rules, 'bbk', work.bbk) ?? matchRule(rules, 'udc', work.udc) ?? 'other';
}

/** Kazakh, Russian or other, from the work's ISO 639 language code. */
export function languageGroupOf(language: string | null): LanguageGroup {
  const code = (language ?? '').trim().toLowerCase();
  if (code === 'kaz' || code === 'kk') return 'kk';
  if (code === 'rus' || code === 'ru') return 'ru';
  return 'other';
}
