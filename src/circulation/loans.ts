import { sql } from 'kysely';
import { libraryOf, requireRole, type Actor } from '../auth/actor.js';
import type { FundKind } from '../fund/schema.js';
import { audit, type Executor } from '../org/audit.js';
import type { ReaderKind } from '../readers/schema.js';
import { AppError, conflict, isUniqueViolation, notFound } from '../shared/errors.js';
import { addDays, deskMoment, overdueDays, todayIso } from './dates.js';
import { fullName, loanQuery, RENEWAL_GRACE_DAYS, toLoanViews, type LoanView } from './loan-views.js';
import { loanRulesFor, resolveLoanRule } from './rules.js';

export interface IssueInput {
  readerId: number;
  barcode: string;
  /** The desk's date; today when absent. */
  today?: string;
}

export interface ReturnInput {
  barcode: string;
  today?: string;
}

export interface RenewInput {
  loanId: number;
  today?: string;
}

/** Runs `work` in the caller's transaction, or in a new one when given the plain database. */
export function inTransaction<T>(db: Executor, work: (trx: Executor) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** Only the library's staff work the desk. */
export function deskLibrary(actor: Actor): number {
  return libraryOf(requireRole(actor, 'librarian', 'admin'));
}

export const unknownCode = (code: string) => new AppError('circulation.unknown_code', 404, { code });

export async function findCopy(db: Executor, organisationId: number, barcode: string) {
  return db
    .selectFrom('fund.copies')
    .select(['id', 'barcode', 'fund', 'status'])
    .where('organisation_id', '=', organisationId)
    .where('barcode', '=', barcode)
    .executeTakeFirst();
}

export async function findReader(db: Executor, organisationId: number, readerId: number) {
  return db
    .selectFrom('readers.readers')
    .select(['id', 'kind', 'status', 'last_name', 'first_name', 'middle_name'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', readerId)
    .executeTakeFirst();
}

async function openLoanOfCopy(db: Executor, copyId: number) {
  return db
    .selectFrom('circulation.loans as l')
    .innerJoin('readers.readers as r', 'r.id', 'l.reader_id')
    .select(['l.id', 'l.reader_id', 'r.last_name', 'r.first_name', 'r.middle_name'])
    .where('l.copy_id', '=', copyId)
    .where('l.returned_at', 'is', null)
    .executeTakeFirst();
}

/** The copy is out: tell the librarian with whom, so that the book can be traced. */
async function copyOnLoan(db: Executor, copy: { id: number; barcode: string }): Promise<AppError> {
  const loan = await openLoanOfCopy(db, copy.id);
  return conflict('circulation.copy_on_loan', { barcode: copy.barcode, borrower: loan ? fullName(loan) : '—' });
}

export async function loanView(db: Executor, organisationId: number, loanId: number, today: string): Promise<LoanView> {
  const rows = await loanQuery(db, organisationId).where('l.id', '=', loanId).execute();
  const [view] = await toLoanViews(db, rows, await loanRulesFor(db, organisationId), today);
  if (!view) throw notFound('loan', loanId);
  return view;
}

/**
 * Issues a copy of the actor's library to one of its readers. The due date comes from the most
 * specific loan rule. The partial unique index on open loans is the final guard against two desks
 * issuing the same copy at the same moment: its violation becomes 'circulation.copy_on_loan'.
 */
export async function issueCopy(db: Executor, actor: Actor, input: IssueInput): Promise<LoanView> {
  const library = deskLibrary(actor);
  const today = input.today ?? todayIso();
  return inTransaction(db, async (trx) => {
    const copy = await findCopy(trx, library, input.barcode);
    if (!copy) throw unknownCode(input.barcode);
    const reader = await findReader(trx, library, input.readerId);
    if (!reader) throw notFound('reader', input.readerId);
    if (reader.status !== 'active') throw conflict('circulation.reader_inactive', { reader: fullName(reader) });
    // The open loan, not the copy's status, says whether the copy is out: a status left
    // behind by an interrupted change must not lock a book on the shelf forever.
    if (copy.status === 'on_loan' && (await openLoanOfCopy(trx, copy.id))) throw await copyOnLoan(trx, copy);
    if (copy.status !== 'available' && copy.status !== 'on_loan') {
      throw conflict('circulation.copy_unavailable', { barcode: copy.barcode, status: copy.status });
    }

    const rule = resolveLoanRule(await loanRulesFor(trx, library), reader.kind as ReaderKind, copy.fund as FundKind);
    if (rule.maxLoans !== null) {
      const open = await countOpenLoans(trx, library, reader.id);
      if (open >= rule.maxLoans) throw conflict('circulation.too_many_loans', { reader: fullName(reader), max: rule.maxLoans });
    }

    const loanId = await insertLoan(trx, {
      organisation_id: library,
      copy_id: copy.id,
      reader_id: reader.id,
      issued_at: deskMoment(input.today),
      due_on: addDays(today, rule.loanDays),
      issued_by: actor.userId,
    });
    if (loanId === null) throw await copyOnLoan(trx, copy);
    await trx.updateTable('fund.copies').set({ status: 'on_loan', updated_at: new Date() }).where('id', '=', copy.id).execute();
    await audit(trx, actor, 'issue', 'loan', loanId, { copyId: copy.id, barcode: copy.barcode, readerId: reader.id });
    return loanView(trx, library, loanId, today);
  });
}

async function countOpenLoans(db: Executor, organisationId: number, readerId: number): Promise<number> {
  const row = await db
    .selectFrom('circulation.loans')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .where('reader_id', '=', readerId)
    .where('returned_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Inserts the loan inside a savepoint, so that when the unique index refuses it (another desk
 * was faster) the transaction stays usable to look up who has the copy. Null means refused.
 */
async function insertLoan(
  trx: Executor,
  values: { organisation_id: number; copy_id: number; reader_id: number; issued_at: Date; due_on: string; issued_by: number },
): Promise<number | null> {
  await sql`savepoint issue_loan`.execute(trx);
  try {
    const row = await trx.insertInto('circulation.loans').values(values).returning('id').executeTakeFirstOrThrow();
    await sql`release savepoint issue_loan`.execute(trx);
    return row.id;
  } catch (err) {
    await sql`rollback to savepoint issue_loan`.execute(trx);
    if (isUniqueViolation(err, 'loans_one_open_per_copy')) return null;
    throw err;
  }
}

/** Takes a copy back: the loan is closed and the copy is available again. */
export async function returnCopy(db: Executor, actor: Actor, input: ReturnInput): Promise<LoanView> {
  const library = deskLibrary(actor);
  const today = input.today ?? todayIso();
  return inTransaction(db, async (trx) => {
    const copy = await findCopy(trx, library, input.barcode);
    if (!copy) throw unknownCode(input.barcode);
    const closed = await trx
      .updateTable('circulation.loans')
      .set({ returned_at: deskMoment(input.today), returned_by: actor.userId })
      .where('copy_id', '=', copy.id)
      .where('organisation_id', '=', library)
      .where('returned_at', 'is', null)
      .returning(['id', 'reader_id', 'due_on'])
      .executeTakeFirst();
    if (!closed) throw conflict('circulation.not_on_loan', { barcode: copy.barcode });
    await trx
      .updateTable('fund.copies')
      .set({ status: 'available', updated_at: new Date() })
      .where('id', '=', copy.id)
      .where('status', '=', 'on_loan')
      .execute();
    await audit(trx, actor, 'return', 'loan', closed.id, {
      copyId: copy.id,
      barcode: copy.barcode,
      readerId: closed.reader_id,
      overdueDays: overdueDays(closed.due_on, today),
    });
    return loanView(trx, library, closed.id, today);
  });
}

/** Renews a loan at the desk. */
export async function renewLoan(db: Executor, actor: Actor, input: RenewInput): Promise<LoanView> {
  const library = deskLibrary(actor);
  return inTransaction(db, (trx) => renewOpenLoan(trx, actor, library, input));
}

/**
 * Extends an open loan by the rule's loan days from today (never shortening it), up to the
 * rule's number of renewals. A book overdue by more than RENEWAL_GRACE_DAYS must come back first.
 */
export async function renewOpenLoan(
  trx: Executor,
  actor: Actor,
  library: number,
  input: RenewInput & { readerId?: number },
): Promise<LoanView> {
  const today = input.today ?? todayIso();
  let query = trx
    .selectFrom('circulation.loans as l')
    .innerJoin('fund.copies as c', 'c.id', 'l.copy_id')
    .innerJoin('readers.readers as r', 'r.id', 'l.reader_id')
    .select(['l.id', 'l.due_on', 'l.renewals', 'l.returned_at', 'c.fund', 'r.kind'])
    .where('l.id', '=', input.loanId)
    .where('l.organisation_id', '=', library);
  if (input.readerId !== undefined) query = query.where('l.reader_id', '=', input.readerId);
  const loan = await query.forUpdate('l').executeTakeFirst();
  if (!loan) throw notFound('loan', input.loanId);
  if (loan.returned_at !== null) throw conflict('circulation.loan_closed', { loanId: loan.id });

  const rule = resolveLoanRule(await loanRulesFor(trx, library), loan.kind as ReaderKind, loan.fund as FundKind);
  if (loan.renewals >= rule.maxRenewals) throw conflict('circulation.renewal_limit', { max: rule.maxRenewals });
  const late = overdueDays(loan.due_on, today);
  if (late > RENEWAL_GRACE_DAYS) throw conflict('circulation.renewal_overdue', { days: late, grace: RENEWAL_GRACE_DAYS });

  const extended = addDays(today, rule.loanDays);
  const dueOn = extended > loan.due_on ? extended : loan.due_on;
  await trx
    .updateTable('circulation.loans')
    .set({ due_on: dueOn, renewals: loan.renewals + 1 })
    .where('id', '=', loan.id)
    .execute();
  await audit(trx, actor, 'renew', 'loan', loan.id, { from: loan.due_on, to: dueOn });
  return loanView(trx, library, loan.id, today);
}
