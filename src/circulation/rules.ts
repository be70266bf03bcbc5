import { sql, type RawBuilder } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { FundKind } from '../fund/schema.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import type { ReaderKind } from '../readers/schema.js';
import { invalid } from '../shared/errors.js';
import { inTransaction } from '../db/transaction.js';
import { libraryOf } from '../auth/guard.js';

/** A loan rule as data: NULL organisation, reader kind or fund means "any". */
export interface LoanRule {
  organisationId: number | null;
  readerKind: ReaderKind | null;
  fund: FundKind | null;
  loanDays: number;
  maxRenewals: number;
  maxLoans: number | null;
}

export type LibraryRuleInput = Omit<LoanRule, 'organisationId'>;

/**
 * How specific a rule is: the library outranks the reader kind, which outranks the fund, so
 * (library, kind, fund) > (library, kind) > (library, fund) > (library) > (global, kind, fund) > … > global.
 */
function specificity(rule: LoanRule): number {
  return (rule.organisationId !== null ? 4 : 0) + (rule.readerKind !== null ? 2 : 0) + (rule.fund !== null ? 1 : 0);
}

/** A rule's (reader kind, fund) key, for stable listing and for finding duplicates. */
function label(rule: Pick<LoanRule, 'readerKind' | 'fund'>): string {
  return `${rule.readerKind ?? '*'}/${rule.fund ?? '*'}`;
}

function applies(rule: LoanRule, readerKind: ReaderKind, fund: FundKind): boolean {
  return (rule.readerKind === null || rule.readerKind === readerKind) && (rule.fund === null || rule.fund === fund);
}

/**
 * The rule for a loan: the most specific of the given rules (the library's own and the global ones)
 * that applies to this reader kind and fund. The global default row always applies.
 */
export function resolveLoanRule(rules: readonly LoanRule[], readerKind: ReaderKind, fund: FundKind): LoanRule {
  let best: LoanRule | undefined;
  for (const rule of rules) {
    if (applies(rule, readerKind, fund) && (!best || specificity(rule) > specificity(best))) best = rule;
  }
  if (!best) throw new Error('No loan rule applies: the global default rule is missing');
  return best;
}

/** A row of circulation.loan_rules, as a query or `loanRulesJson` returns it. */
export interface LoanRuleRow {
  organisation_id: number | null;
  reader_kind: string | null;
  fund: string | null;
  loan_days: number;
  max_renewals: number;
  max_loans: number | null;
}

/** The library's own rules followed by the global ones, most specific first. */
export async function loanRulesFor(db: Executor, organisationId: number): Promise<LoanRule[]> {
  const rows = await db
    .selectFrom('circulation.loan_rules')
    .selectAll()
    .where((eb) => eb.or([eb('organisation_id', '=', organisationId), eb('organisation_id', 'is', null)]))
    .execute();
  return toLoanRules(rows);
}

/**
 * The rows `loanRulesFor` reads, as a JSON array inside another statement: a desk action reads its
 * rules together with the copy and the reader instead of in a round trip of its own.
 */
export function loanRulesJson(organisationId: number): RawBuilder<LoanRuleRow[]> {
  return sql<LoanRuleRow[]>`(select coalesce(json_agg(lr), '[]'::json) from circulation.loan_rules lr
    where lr.organisation_id = ${organisationId} or lr.organisation_id is null)`;
}

/** Rule rows as rules, the most specific first. */
export function toLoanRules(rows: readonly LoanRuleRow[]): LoanRule[] {
  return rows
    .map((r) => ({
      organisationId: r.organisation_id,
      readerKind: r.reader_kind as ReaderKind | null,
      fund: r.fund as FundKind | null,
      loanDays: r.loan_days,
      maxRenewals: r.max_renewals,
      maxLoans: r.max_loans,
    }))
    .sort((a, b) => specificity(b) - specificity(a) || label(a).localeCompare(label(b)));
}

export async function listLoanRules(db: Executor, actor: Actor): Promise<LoanRule[]> {
  return loanRulesFor(db, libraryOf(actor));
}

/**
 * Replaces the library's own rules with the given set; the global rules stay as they are.
 * Two rules for the same (reader kind, fund) would make the choice ambiguous, so they are refused.
 */
export async function replaceLoanRules(db: Executor, actor: Actor, rules: LibraryRuleInput[]): Promise<LoanRule[]> {
  return inTransaction(db, async (trx) => {
    const organisationId = libraryOf(actor);
    const seen = new Set<string>();
    for (const rule of rules) {
      const key = label(rule);
      if (seen.has(key)) throw invalid('circulation.duplicate_rule', { readerKind: rule.readerKind ?? '*', fund: rule.fund ?? '*' });
      seen.add(key);
    }
    await trx.deleteFrom('circulation.loan_rules').where('organisation_id', '=', organisationId).execute();
    if (rules.length > 0) {
      await trx
        .insertInto('circulation.loan_rules')
        .values(
          rules.map((r) => ({
            organisation_id: organisationId,
            reader_kind: r.readerKind,
            fund: r.fund,
            loan_days: r.loanDays,
            max_renewals: r.maxRenewals,
            max_loans: r.maxLoans,
          })),
        )
        .execute();
    }
    await audit(trx, actor, 'replace', 'loan_rules', organisationId, { rules });
    return loanRulesFor(trx, organisationId);
  });
}
