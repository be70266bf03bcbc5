import { sql, type RawBuilder } from 'kysely';
import type { FundKind } from '../fund/schema.js';
import type { Executor } from '../db/executor.js';
import type { ReaderKind } from '../readers/schema.js';
import { overdueDays } from './dates.js';
import { resolveLoanRule, type LoanRule } from './rules.js';

/** A loan as the desk and the reader see it. */
export interface LoanView {
  loanId: number;
  copyId: number;
  barcode: string;
  inventoryNumber: string;
  title: string;
  authors: string[];
  readerId: number;
  readerName: string;
  className: string | null;
  issuedAt: string;
  dueOn: string;
  returnedAt: string | null;
  renewals: number;
  overdueDays: number;
  /** Other readers wait for this title (a reservation): the loan cannot be renewed. Always false once returned. */
  reserved: boolean;
  canRenew: boolean;
}

/**
 * A reader who has a book overdue by more than this many days must bring it in:
 * renewing it from home or at the desk is refused until then.
 */
export const RENEWAL_GRACE_DAYS = 7;

export function fullName(r: { last_name: string; first_name: string; middle_name: string | null }): string {
  return [r.last_name, r.first_name, r.middle_name].filter(Boolean).join(' ');
}

/** «5Ә», as class registers write it; null for a reader outside the classes. */
export function className(r: { grade: number | null; class_letter: string | null }): string | null {
  if (r.grade === null) return null;
  return `${r.grade}${r.class_letter ?? ''}`;
}

/**
 * Whether readers other than the loan's wait for the work (a reservation still without a copy): SQL
 * over a loan `l` and its copy `c`. Such a loan is not renewed, so the book comes back for them.
 */
export const othersWaitingSql = sql<boolean>`exists (select 1 from circulation.reservations rv
  where rv.organisation_id = l.organisation_id and rv.work_id = c.work_id and rv.status = 'waiting' and rv.reader_id <> l.reader_id)`;

/** Loans of one library joined with their copy, work and reader; callers add filters and order. */
export function loanQuery(db: Executor, organisationId: number) {
  return db
    .selectFrom('circulation.loans as l')
    .innerJoin('fund.copies as c', 'c.id', 'l.copy_id')
    .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
    .innerJoin('readers.readers as r', 'r.id', 'l.reader_id')
    .where('l.organisation_id', '=', organisationId)
    .select([
      'l.id as loanId',
      'l.copy_id',
      'l.issued_at',
      'l.due_on',
      'l.returned_at',
      'l.renewals',
      'c.barcode',
      'c.inventory_number',
      'c.fund',
      'c.work_id',
      'w.title',
      'r.id as readerId',
      'r.kind',
      'r.last_name',
      'r.first_name',
      'r.middle_name',
      'r.grade',
      'r.class_letter',
      othersWaitingSql.as('reserved'),
    ]);
}

export type LoanRow = Awaited<ReturnType<ReturnType<typeof loanQuery>['execute']>>[number];

/**
 * The author names of a work as a JSON array in the order of the title page, for reading a loan
 * together with its authors in one statement; `workId` is the SQL reference to the work's id.
 */
export function authorsJson(workId: RawBuilder<unknown>): RawBuilder<string[]> {
  return sql<string[]>`(select coalesce(json_agg(a.name order by wa.position), '[]'::json)
    from catalog.work_authors wa join catalog.authors a on a.id = wa.author_id where wa.work_id = ${workId})`;
}

/** Author names of each work, in the order of the title page. */
export async function authorsOfWorks(db: Executor, workIds: number[]): Promise<Map<number, string[]>> {
  const byWork = new Map<number, string[]>();
  if (workIds.length === 0) return byWork;
  const rows = await db
    .selectFrom('catalog.work_authors as wa')
    .innerJoin('catalog.authors as a', 'a.id', 'wa.author_id')
    .select(['wa.work_id', 'a.name'])
    .where('wa.work_id', 'in', [...new Set(workIds)])
    .orderBy('wa.work_id')
    .orderBy('wa.position')
    .execute();
  for (const row of rows) byWork.set(row.work_id, [...(byWork.get(row.work_id) ?? []), row.name]);
  return byWork;
}

export function canRenew(
  loan: { returnedAt: string | null; renewals: number; overdueDays: number; reserved: boolean },
  rule: Pick<LoanRule, 'maxRenewals'>,
): boolean {
  return loan.returnedAt === null && !loan.reserved && loan.renewals < rule.maxRenewals && loan.overdueDays <= RENEWAL_GRACE_DAYS;
}

/** Turns joined rows into views, with the overdue days and the renewal right as of `today`. */
export async function toLoanViews(db: Executor, rows: LoanRow[], rules: LoanRule[], today: string): Promise<LoanView[]> {
  const authors = await authorsOfWorks(db, rows.map((r) => r.work_id));
  return rows.map((r) => toLoanView(r, authors.get(r.work_id) ?? [], rules, today));
}

/** One joined row as a view, given its work's authors and the loan rules of its library. */
export function toLoanView(r: LoanRow, authors: string[], rules: readonly LoanRule[], today: string): LoanView {
  const returnedAt = r.returned_at ? new Date(r.returned_at).toISOString() : null;
  const view = {
    loanId: r.loanId,
    copyId: r.copy_id,
    barcode: r.barcode,
    inventoryNumber: r.inventory_number,
    title: r.title,
    authors,
    readerId: r.readerId,
    readerName: fullName(r),
    className: className(r),
    issuedAt: new Date(r.issued_at).toISOString(),
    dueOn: r.due_on,
    returnedAt,
    renewals: r.renewals,
    overdueDays: returnedAt ? 0 : overdueDays(r.due_on, today),
    reserved: returnedAt ? false : Boolean(r.reserved),
  };
  // A returned loan is never renewed, whatever the rule (and its rules need not be read).
  if (returnedAt !== null) return { ...view, canRenew: false };
  const rule = resolveLoanRule(rules, r.kind as ReaderKind, r.fund as FundKind);
  return { ...view, canRenew: canRenew(view, rule) };
}
