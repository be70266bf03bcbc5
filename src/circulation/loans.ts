import { cyclesOf, readerGroupOf } from '../readers/registrations.js';
import { sql } from 'kysely';
import { type Actor } from '../auth/actor.js';
import type { FundKind } from '../fund/schema.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import type { ReaderKind } from '../readers/schema.js';
import { AppError, conflict, notFound } from '../shared/errors.js';
import { libraryToday } from '../shared/library-time.js';
import { addDays, deskMoment, dottedDate, overdueDays } from './dates.js';
import { authorsJson, className, fullName, loanQuery, othersWaitingSql, RENEWAL_GRACE_DAYS, toLoanView, type LoanRow, type LoanView } from './loan-views.js';
import { loanRulesFor, loanRulesJson, resolveLoanRule, toLoanRules, type LoanRuleRow } from './rules.js';
import { inTransaction } from '../db/transaction.js';
import { staffLibrary } from '../auth/guard.js';
import { holdForNextSql, holdNotice, passCopyOn, settleHolds, type HoldNotice, type HoldRow } from './reservations.js';

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
  const row = await loanQuery(db, organisationId)
    .select([authorsJson(sql.ref('c.work_id')).as('authors'), loanRulesJson(organisationId).as('rules')])
    .where('l.id', '=', loanId)
    .executeTakeFirst();
  if (!row) throw notFound('loan', loanId);
  return toLoanView(row, row.authors, toLoanRules(row.rules), today);
}

/** What an issue needs to know, read in one statement: the copy, the reader, who has the copy, the rules. */
interface IssueFacts {
  copy_id: number | null;
  barcode: string | null;
  fund: FundKind | null;
  copy_status: string | null;
  inventory_number: string | null;
  work_id: number | null;
  title: string | null;
  authors: string[];
  reader_id: number | null;
  kind: ReaderKind | null;
  reader_status: string | null;
  last_name: string | null;
  first_name: string | null;
  middle_name: string | null;
  grade: number | null;
  class_letter: string | null;
  open_loan_id: number | null;
  borrower_last_name: string | null;
  borrower_first_name: string | null;
  borrower_middle_name: string | null;
  rules: LoanRuleRow[];
  /** A hold on the copy: the reservation, its reader and its last day. */
  hold_id: number | null;
  hold_reader_id: number | null;
  hold_until: string | null;
  holder_last_name: string | null;
  holder_first_name: string | null;
  holder_middle_name: string | null;
  holder_grade: number | null;
  holder_class_letter: string | null;
  /** The issuing reader's own active reservation of the copy's work, which the issue fulfils. */
  my_reservation_id: number | null;
  my_reservation_status: 'waiting' | 'held' | null;
  my_held_copy_id: number | null;
  /** Other readers still wait for the work: the new loan will not be renewable. */
  others_waiting: boolean | null;
}

/**
 * Takes the reader's row lock for the rest of the transaction (PostgreSQL; PGlite is one serial lane
 * already). Every change that checks a per-reader limit takes it before reading the reader's counts.
 */
export async function lockReader(trx: Executor, library: number, readerId: number): Promise<void> {
  await trx
    .selectFrom('readers.readers')
    .select('id')
    .where('organisation_id', '=', library)
    .where('id', '=', readerId)
    .forUpdate()
    .execute();
}

/**
 * The copy, the reader (whose row it locks), the copy's open loan, the rules, a hold on the copy and
 * the reader's own reservation of its work, in one statement.
 * The reader's number of books at home is not read here: this statement's snapshot may be older than
 * the lock it waited for, so the count is taken by the insert that follows, which sees every loan
 * committed by another desk before the lock was granted.
 */
function readIssueFacts(db: Executor, library: number, barcode: string, readerId: number) {
  return sql<IssueFacts>`
    select c.id as copy_id, c.barcode, c.fund, c.status as copy_status, c.inventory_number, c.work_id, w.title,
      ${authorsJson(sql.ref('c.work_id'))} as authors,
      r.id as reader_id, r.kind, r.status as reader_status, r.last_name, r.first_name, r.middle_name, r.grade, r.class_letter,
      ol.id as open_loan_id, b.last_name as borrower_last_name, b.first_name as borrower_first_name,
      b.middle_name as borrower_middle_name,
      ${loanRulesJson(library)} as rules,
      h.id as hold_id, h.reader_id as hold_reader_id, h.hold_until, hr.last_name as holder_last_name, hr.first_name as holder_first_name,
      hr.middle_name as holder_middle_name, hr.grade as holder_grade, hr.class_letter as holder_class_letter,
      mine.id as my_reservation_id, mine.status as my_reservation_status, mine.copy_id as my_held_copy_id,
      exists (select 1 from circulation.reservations q
        where q.organisation_id = ${library} and q.work_id = c.work_id and q.status = 'waiting' and q.reader_id <> ${readerId}) as others_waiting
    from (select 1) as one
    left join fund.copies c on c.organisation_id = ${library} and c.barcode = ${barcode}
    left join catalog.works w on w.id = c.work_id
    left join (
      select id, kind, status, last_name, first_name, middle_name, grade, class_letter from readers.readers
      where organisation_id = ${library} and id = ${readerId}
      for update
    ) r on true
    left join circulation.loans ol on ol.copy_id = c.id and ol.returned_at is null
    left join readers.readers b on b.id = ol.reader_id
    left join circulation.reservations h on h.copy_id = c.id and h.status = 'held'
    left join readers.readers hr on hr.id = h.reader_id
    left join circulation.reservations mine on mine.reader_id = r.id and mine.work_id = c.work_id and mine.status in ('waiting', 'held')`
    .execute(db)
    .then((result) => result.rows[0]!);
}

/**
 * Issues a copy of the actor's library to one of its readers. The due date comes from the most
 * specific loan rule. The partial unique index on open loans is the final guard against two desks
 * issuing the same copy at the same moment: the loan is inserted with `on conflict do nothing`
 * against that index, and a refused insert becomes 'circulation.copy_on_loan'.
 *
 * Two statements in one transaction: one locks the reader and reads the copy, the reader, the
 * copy's open loan and the rules; one counts the reader's books at home and, within the limit,
 * inserts the loan, marks the copy as out, counts the day's visit, re-registers the reader for the
 * year at the first activity and writes the audit record (a refused insert changes nothing). The
 * answer is made from what these two returned.
 */
export async function issueCopy(db: Executor, actor: Actor, input: IssueInput): Promise<LoanView> {
  const library = staffLibrary(actor);
  const today = input.today ?? (await libraryToday(db, library));
  return inTransaction(db, async (trx) => {
    // The reader's row is locked by the first statement, so that two desks issuing to one reader at
    // once count the books at home one after the other: every per-reader limit reads what the other wrote.
    const facts = await readIssueFacts(trx, library, input.barcode, input.readerId);
    if (facts.copy_id === null) throw unknownCode(input.barcode);
    const copy = { id: facts.copy_id, barcode: facts.barcode!, fund: facts.fund!, status: facts.copy_status! };
    if (facts.reader_id === null) throw notFound('reader', input.readerId);
    const reader = {
      id: facts.reader_id,
      kind: facts.kind!,
      last_name: facts.last_name!,
      first_name: facts.first_name!,
      middle_name: facts.middle_name,
    };
    if (facts.reader_status !== 'active') throw conflict('circulation.reader_inactive', { reader: fullName(reader) });
    // The open loan, not the copy's status, says whether the copy is out: a status left
    // behind by an interrupted change must not lock a book on the shelf forever.
    if (copy.status === 'on_loan' && facts.open_loan_id !== null) {
      const borrower = { last_name: facts.borrower_last_name!, first_name: facts.borrower_first_name!, middle_name: facts.borrower_middle_name };
      throw conflict('circulation.copy_on_loan', { barcode: copy.barcode, borrower: fullName(borrower) });
    }
    if (copy.status !== 'available' && copy.status !== 'on_loan') {
      throw conflict('circulation.copy_unavailable', { barcode: copy.barcode, status: copy.status });
    }
    // A copy on the hold shelf waits for its reader: to anyone else it is refused until the hold's
    // last day. A hold past its day passes on now (the hourly job may not have come yet), and the
    // issue is tried again: the copy may now wait for the next reader, or for nobody.
    if (facts.hold_id !== null && facts.hold_reader_id !== reader.id) {
      if (facts.hold_until! >= today) {
        const holder = { last_name: facts.holder_last_name!, first_name: facts.holder_first_name!, middle_name: facts.holder_middle_name };
        const group = className({ grade: facts.holder_grade, class_letter: facts.holder_class_letter });
        throw conflict('circulation.copy_on_hold', {
          barcode: copy.barcode,
          reader: group ? `${fullName(holder)}, ${group}` : fullName(holder),
          until: dottedDate(facts.hold_until!),
        });
      }
      await settleHolds(trx, library, today);
      return issueCopy(trx, actor, input);
    }

    const rules = toLoanRules(facts.rules);
    const rule = resolveLoanRule(rules, reader.kind, copy.fund);
    const maxLoans = rule.maxLoans;
    const dueOn = addDays(today, rule.loanDays);
    // the reservation the issue fulfils, when there is one (an undefined value is left out of the JSON)
    const details = JSON.stringify({ copyId: copy.id, barcode: copy.barcode, readerId: reader.id, reservationId: facts.my_reservation_id ?? undefined });
    const [year, schoolYear] = cyclesOf(today);
    const result = await sql<{ open_loans: number; id: number | null; issued_at: Date | null }>`
      with n as (
        select count(*)::int as open_loans from circulation.loans
        where organisation_id = ${library} and reader_id = ${reader.id} and returned_at is null
      ), ins as (
        insert into circulation.loans (organisation_id, copy_id, reader_id, issued_at, due_on, issued_by)
        select ${library}, ${copy.id}, ${reader.id}, ${deskMoment(input.today)}, ${dueOn}, ${actor.userId}
        from n where ${maxLoans}::int is null or n.open_loans < ${maxLoans}::int
        on conflict (copy_id) where returned_at is null do nothing
        returning id, issued_at
      ), shelf as (
        update fund.copies fc set status = 'on_loan', updated_at = ${new Date()} from ins where fc.id = ${copy.id}
      ), logged as (
        insert into org.audit_log (organisation_id, user_id, action, entity, entity_id, details)
        select ${actor.organisationId}, ${actor.userId}, 'issue', 'loan', ins.id::text, ${details}::jsonb from ins
      ), visit as (
        insert into circulation.visits (organisation_id, reader_id, visited_on, reading_room)
        select ${library}, ${reader.id}, ${today}, false from ins
        on conflict (reader_id, visited_on) do nothing
      ), registered as (
        -- as countVisit does: the loan's visit is what registers the reader
        insert into readers.registrations (organisation_id, reader_id, cycle, registered_on, reader_group, how)
        select ${library}, ${reader.id}, c.cycle, ${today}::date, ${readerGroupOf(reader.kind, facts.grade)}, 'visit'
        from ins cross join (values (${year}::text), (${schoolYear}::text)) as c(cycle)
        on conflict (reader_id, cycle) do nothing
      )${
        // the reader's reservation of the work ends with the loan, whichever copy it is
        facts.my_reservation_id === null
          ? sql``
          : sql`, fulfilled as (
        update circulation.reservations rv set status = 'fulfilled', loan_id = ins.id, closed_at = ins.issued_at
        from ins where rv.id = ${facts.my_reservation_id}
      )`
      }
      select n.open_loans, ins.id, ins.issued_at from n left join ins on true`
      .execute(trx)
      .then((r) => r.rows[0]!);
    if (result.id === null || result.issued_at === null) {
      if (maxLoans !== null && Number(result.open_loans) >= maxLoans) {
        throw conflict('circulation.too_many_loans', { reader: fullName(reader), max: maxLoans });
      }
      // Refused by the index: another desk issued the copy first (or its status was wrong).
      throw await copyOnLoan(trx, copy);
    }
    const inserted = { id: result.id, issued_at: result.issued_at };
    // The reader took another copy than the one held for them: that one goes to the next reader.
    if (facts.my_reservation_status === 'held' && facts.my_held_copy_id !== null && facts.my_held_copy_id !== copy.id) {
      await passCopyOn(trx, library, facts.my_held_copy_id, today, actor.userId);
    }

    const row: LoanRow = {
      loanId: inserted.id,
      copy_id: copy.id,
      issued_at: inserted.issued_at,
      due_on: dueOn,
      returned_at: null,
      renewals: 0,
      barcode: copy.barcode,
      inventory_number: facts.inventory_number!,
      fund: copy.fund,
      work_id: facts.work_id!,
      title: facts.title!,
      readerId: reader.id,
      kind: reader.kind,
      last_name: reader.last_name,
      first_name: reader.first_name,
      middle_name: reader.middle_name,
      grade: facts.grade,
      class_letter: facts.class_letter,
      reserved: Boolean(facts.others_waiting),
    };
    return toLoanView(row, facts.authors, rules, today);
  });
}

/** What a return closed, with the copy, its work and the reader, as one statement returns it. */
interface ReturnRow extends HoldRow {
  copy_id: number;
  barcode: string;
  inventory_number: string;
  fund: FundKind;
  work_id: number;
  title: string;
  authors: string[];
  loan_id: number | null;
  issued_at: Date | null;
  due_on: string | null;
  returned_at: Date | null;
  renewals: number | null;
  reader_id: number | null;
  kind: ReaderKind | null;
  last_name: string | null;
  first_name: string | null;
  middle_name: string | null;
  grade: number | null;
  class_letter: string | null;
}

/** A returned loan, and the reader the copy is now held for when its work was reserved. */
export type ReturnedLoan = LoanView & { hold: HoldNotice | null };

/**
 * Takes a copy back: the loan is closed and the copy is available again. One statement finds the
 * copy, closes its open loan, puts the copy back on the shelf, holds it for the first reader waiting
 * for its work (if any: the desk is told to put it aside), writes the audit records and returns the
 * loan as shown, so it is atomic by itself and needs no transaction around it.
 */
export async function returnCopy(db: Executor, actor: Actor, input: ReturnInput): Promise<ReturnedLoan> {
  const library = staffLibrary(actor);
  const today = input.today ?? (await libraryToday(db, library));
  const row = await sql<ReturnRow>`
    with c as (
      select id, barcode, inventory_number, fund, work_id from fund.copies
      where organisation_id = ${library} and barcode = ${input.barcode}
    ), closed as (
      update circulation.loans l set returned_at = ${deskMoment(input.today)}, returned_by = ${actor.userId}
      from c where l.copy_id = c.id and l.organisation_id = ${library} and l.returned_at is null
      returning l.id, l.copy_id, l.reader_id, l.issued_at, l.due_on, l.returned_at, l.renewals
    ), shelf as (
      update fund.copies fc set status = 'available', updated_at = ${new Date()}
      from closed where fc.id = closed.copy_id and fc.status = 'on_loan'
    ), logged as (
      insert into org.audit_log (organisation_id, user_id, action, entity, entity_id, details)
      select ${actor.organisationId}, ${actor.userId}, 'return', 'loan', closed.id::text,
        jsonb_build_object('copyId', c.id, 'barcode', c.barcode, 'readerId', closed.reader_id,
          'overdueDays', greatest(0, ${today}::date - closed.due_on))
      from closed cross join c
    ), freed as (
      select c.id, c.work_id from c join closed on closed.copy_id = c.id
    ), ${holdForNextSql(library, today, actor.userId)}
    select c.id as copy_id, c.barcode, c.inventory_number, c.fund, c.work_id, w.title,
      ${authorsJson(sql.ref('c.work_id'))} as authors,
      closed.id as loan_id, closed.issued_at, closed.due_on, closed.returned_at, closed.renewals,
      r.id as reader_id, r.kind, r.last_name, r.first_name, r.middle_name, r.grade, r.class_letter,
      held.id as hold_id, held.hold_until, hr.id as hold_reader_id, hr.last_name as hold_last_name, hr.first_name as hold_first_name,
      hr.middle_name as hold_middle_name, hr.grade as hold_grade, hr.class_letter as hold_class_letter
    from c
    join catalog.works w on w.id = c.work_id
    left join closed on true
    left join readers.readers r on r.id = closed.reader_id
    left join held on true
    left join readers.readers hr on hr.id = held.reader_id`
    .execute(db)
    .then((result) => result.rows[0]);
  if (!row) throw unknownCode(input.barcode);
  if (row.loan_id === null) throw conflict('circulation.not_on_loan', { barcode: row.barcode });
  const loan: LoanRow = {
    loanId: row.loan_id,
    copy_id: row.copy_id,
    issued_at: row.issued_at!,
    due_on: row.due_on!,
    returned_at: row.returned_at,
    renewals: row.renewals!,
    barcode: row.barcode,
    inventory_number: row.inventory_number,
    fund: row.fund,
    work_id: row.work_id,
    title: row.title,
    readerId: row.reader_id!,
    kind: row.kind!,
    last_name: row.last_name!,
    first_name: row.first_name!,
    middle_name: row.middle_name,
    grade: row.grade,
    class_letter: row.class_letter,
    reserved: false,
  };
  // A returned loan cannot be renewed, so its view needs no rules.
  return { ...toLoanView(loan, row.authors, [], today), hold: holdNotice(row) };
}

/** Renews a loan at the desk. */
export async function renewLoan(db: Executor, actor: Actor, input: RenewInput): Promise<LoanView> {
  const library = staffLibrary(actor);
  return inTransaction(db, (trx) => renewOpenLoan(trx, actor, library, input));
}

/**
 * Extends an open loan by the rule's loan days from today (never shortening it), up to the
 * rule's number of renewals. A book overdue by more than RENEWAL_GRACE_DAYS must come back first;
 * a book other readers have reserved is not renewed.
 */
export async function renewOpenLoan(
  db: Executor,
  actor: Actor,
  library: number,
  input: RenewInput & { readerId?: number },
): Promise<LoanView> {
  return inTransaction(db, async (trx) => {
    const today = input.today ?? (await libraryToday(trx, library));
    let query = trx
      .selectFrom('circulation.loans as l')
      .innerJoin('fund.copies as c', 'c.id', 'l.copy_id')
      .innerJoin('readers.readers as r', 'r.id', 'l.reader_id')
      .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
      .select(['l.id', 'l.due_on', 'l.renewals', 'l.returned_at', 'c.fund', 'r.kind', 'w.title', othersWaitingSql.as('reserved')])
      .where('l.id', '=', input.loanId)
      .where('l.organisation_id', '=', library);
    if (input.readerId !== undefined) query = query.where('l.reader_id', '=', input.readerId);
    const loan = await query.forUpdate('l').executeTakeFirst();
    if (!loan) throw notFound('loan', input.loanId);
    if (loan.returned_at !== null) throw conflict('circulation.loan_closed', { loanId: loan.id });
    // other readers wait for the title: the book comes back for them
    if (loan.reserved) throw conflict('circulation.renewal_reserved', { title: loan.title });

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
  });
}
