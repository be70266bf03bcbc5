import { countVisit } from './visits.js';
import { sql, type RawBuilder } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import type { ReaderKind } from '../readers/schema.js';
import { conflict, notFound } from '../shared/errors.js';
import { libraryToday, now, organisationTimeZone, startOfLocalDay } from '../shared/library-time.js';
import { fromCyrillicLayout } from './keyboard.js';
import { authorsJson, className, fullName, othersWaitingSql, toLoanView, type LoanRow, type LoanView } from './loan-views.js';
import { placeInQueue, type HoldNotice } from './reservations.js';
import type { ReservationStatus } from './schema.js';
import { inTransaction } from '../db/transaction.js';
import { issueCopy, returnCopy, unknownCode } from './loans.js';
import { loanRulesJson, toLoanRules } from './rules.js';
import { staffLibrary } from '../auth/guard.js';

/** What the desk shows while a reader is open: the reader, the books at home, the history. */
export interface ReaderPanel {
  reader: {
    id: number;
    fullName: string;
    className: string | null;
    kind: ReaderKind;
    barcode: string;
    registrationNumber: string;
  };
  loans: Omit<LoanView, 'readerId' | 'readerName' | 'className' | 'returnedAt'>[];
  overdueCount: number;
  history: { loanId: number; barcode: string; title: string; authors: string[]; issuedAt: string; returnedAt: string }[];
  visitsThisYear: number;
  loansThisYear: number;
  /** The reader's active reservations: waiting (with the place in the queue) or held on the hold shelf. */
  reservations: PanelReservation[];
}

export interface PanelReservation {
  id: number;
  workId: number;
  title: string;
  status: Extract<ReservationStatus, 'waiting' | 'held'>;
  place: number | null;
  barcode: string | null;
  holdUntil: string | null;
}

export type ScanResult =
  | { action: 'reader_opened'; panel: ReaderPanel }
  | { action: 'issued'; loan: LoanView; panel: ReaderPanel }
  | { action: 'returned'; loan: LoanView; hold: HoldNotice | null; panel: ReaderPanel | null }
  | { action: 'repeat_ignored'; barcode: string; title: string; panel: ReaderPanel | null };

/**
 * A scanner that reads one label twice (a bounce, a hand that lingers) sends the code again within
 * this time: that second scan changes nothing, or the book just issued would be silently returned.
 */
export const REPEAT_SCAN_WINDOW_MS = 3000;

export interface ScanInput {
  code: string;
  /** The reader open at the desk, if any. */
  readerId?: number | null;
  today?: string;
}

const HISTORY_SIZE = 30;

/**
 * One scan at the desk. A reader's card opens the reader (and counts the day's visit); a copy
 * is returned when it is out, otherwise issued to the open reader. A code that is not found as
 * typed is tried once more as if the scanner had typed it under a Latin keyboard layout.
 */
export async function scan(db: Executor, actor: Actor, input: ScanInput): Promise<ScanResult> {
  const library = staffLibrary(actor);
  const today = input.today ?? (await libraryToday(db, library));
  const typed = input.code.trim();
  return inTransaction(db, async (trx) => {
    const found = (await identify(trx, library, typed)) ?? (await identifyAsLatin(trx, library, typed));
    if (!found) throw unknownCode(typed);
    if (found.kind === 'reader') {
      await countVisit(trx, library, found.id, today);
      return { action: 'reader_opened' as const, panel: await readerPanel(trx, actor, found.id, today) };
    }
    const readerId = input.readerId ?? null;
    const openLoan = found.openLoanReaderId === null ? undefined : { reader_id: found.openLoanReaderId };
    // With a reader open, a copy out to someone else is an attempt to issue it: the desk says to whom it is out.
    const returning = openLoan !== undefined && (readerId === null || openLoan.reader_id === readerId);
    if (!returning && readerId === null) throw conflict('circulation.no_reader_open', { code: found.barcode });
    // Live at the desk (no day given), a copy whose loan changed a moment ago is a bounced scan.
    if (input.today === undefined && found.lastMovedAt !== null && now().getTime() - new Date(found.lastMovedAt).getTime() < REPEAT_SCAN_WINDOW_MS) {
      const panel = readerId === null ? null : await readerPanel(trx, actor, readerId, today);
      return { action: 'repeat_ignored' as const, barcode: found.barcode, title: found.title ?? '', panel };
    }
    if (returning) {
      const { hold, ...loan } = await returnCopy(trx, actor, { barcode: found.barcode, today: input.today });
      const panel = readerId === null ? null : await readerPanel(trx, actor, readerId, today);
      return { action: 'returned' as const, loan, hold, panel };
    }
    const loan = await issueCopy(trx, actor, { readerId: readerId!, barcode: found.barcode, today: input.today });
    return { action: 'issued' as const, loan, panel: await readerPanel(trx, actor, readerId!, today) };
  });
}

type Identified = {
  kind: 'reader' | 'copy';
  id: number;
  barcode: string;
  openLoanReaderId: number | null;
  /** When the copy was last issued or returned. */
  lastMovedAt: Date | string | null;
  title: string | null;
};

/** A reader card or a copy of the library (the card first), with the reader the copy is out to: one statement. */
async function identify(db: Executor, library: number, code: string): Promise<Identified | undefined> {
  if (code === '') return undefined;
  const { rows } = await sql<Identified>`
    select 'reader' as kind, r.id, r.barcode, null::bigint as "openLoanReaderId", null::timestamptz as "lastMovedAt", null::text as title
    from readers.readers r where r.organisation_id = ${library} and r.barcode = ${code}
    union all
    select 'copy', c.id, c.barcode, l.reader_id,
      (select max(greatest(m.issued_at, coalesce(m.returned_at, m.issued_at))) from circulation.loans m where m.copy_id = c.id),
      (select w.title from catalog.works w where w.id = c.work_id)
    from fund.copies c left join circulation.loans l on l.copy_id = c.id and l.returned_at is null
    where c.organisation_id = ${library} and c.barcode = ${code}`.execute(db);
  return rows.find((r) => r.kind === 'reader') ?? rows[0];
}

async function identifyAsLatin(db: Executor, library: number, code: string): Promise<Identified | undefined> {
  const latin = fromCyrillicLayout(code);
  return latin === code ? undefined : identify(db, library, latin);
}

export { countVisit } from './visits.js';

/**
 * The reader's panel at the desk; a reader of another library is simply not found. One statement:
 * the reader with the rules, this year's counts, the books at home and the last returns, each loan
 * with its authors.
 */
export async function readerPanel(db: Executor, actor: Actor, readerId: number, today?: string): Promise<ReaderPanel> {
  const library = staffLibrary(actor);
  today ??= await libraryToday(db, library);
  const year = today.slice(0, 4);
  const from = `${year}-01-01`;
  const to = `${Number(year) + 1}-01-01`;
  // the year as lived in the library: a book issued at 00:30 on 1 January counts in the new year
  const zone = await organisationTimeZone(db, library);
  const yearStarts = startOfLocalDay(from, zone);
  const yearEnds = startOfLocalDay(to, zone);
  // the loans as JSON rows inside the reader's statement: the panel after a scan is one round trip
  const loansJson = (returned: boolean, order: RawBuilder<unknown>, limit: number | null) => sql<(LoanRow & { authors: string[] })[]>`(
    select coalesce(json_agg(x order by x.n), '[]'::json) from (
      select row_number() over (order by ${order}) as n, l.id as "loanId", l.copy_id, l.issued_at, l.due_on, l.returned_at, l.renewals,
        c.barcode, c.inventory_number, c.fund, c.work_id, w.title, r.id as "readerId", r.kind, r.last_name, r.first_name, r.middle_name,
        r.grade, r.class_letter, ${authorsJson(sql.ref('c.work_id'))} as authors, ${othersWaitingSql} as reserved
      from circulation.loans l
      join fund.copies c on c.id = l.copy_id
      join catalog.works w on w.id = c.work_id
      where l.organisation_id = ${library} and l.reader_id = r.id and l.returned_at is ${returned ? sql`not null` : sql`null`}
      order by ${order}
      ${limit === null ? sql`` : sql`limit ${limit}`}
    ) x)`;
  const reader = await db
    .selectFrom('readers.readers as r')
    .select(['r.id', 'r.kind', 'r.barcode', 'r.registration_number', 'r.last_name', 'r.first_name', 'r.middle_name', 'r.grade', 'r.class_letter'])
    .select([
      loanRulesJson(library).as('rules'),
      sql<number>`(select count(*) from circulation.visits v
        where v.organisation_id = ${library} and v.reader_id = r.id and v.visited_on >= ${from} and v.visited_on < ${to})`.as('visits'),
      sql<number>`(select count(*) from circulation.loans l
        where l.organisation_id = ${library} and l.reader_id = r.id and l.issued_at >= ${yearStarts} and l.issued_at < ${yearEnds})`.as('loans'),
      loansJson(false, sql`l.due_on, l.id`, null).as('open'),
      loansJson(true, sql`l.returned_at desc, l.id desc`, HISTORY_SIZE).as('history'),
      sql<PanelReservation[]>`(
        select coalesce(json_agg(x order by x.status = 'held' desc, x.placed_at, x.id), '[]'::json) from (
          select rv.id, rv.work_id as "workId", w.title, rv.status, rv.placed_at, c.barcode, rv.hold_until as "holdUntil",
            ${placeInQueue} as place
          from circulation.reservations rv
          join catalog.works w on w.id = rv.work_id
          left join fund.copies c on c.id = rv.copy_id
          where rv.organisation_id = ${library} and rv.reader_id = r.id and rv.status in ('waiting', 'held')
        ) x)`.as('reservations'),
    ])
    .where('r.organisation_id', '=', library)
    .where('r.id', '=', readerId)
    .executeTakeFirst();
  if (!reader) throw notFound('reader', readerId);

  const rules = toLoanRules(reader.rules);
  const openRows = reader.open;
  const historyRows = reader.history;
  const open = openRows.map((r) => toLoanView(r, r.authors, rules, today));
  const history = historyRows.map((r) => toLoanView(r, r.authors, rules, today));

  return {
    reader: {
      id: reader.id,
      fullName: fullName(reader),
      className: className(reader),
      kind: reader.kind,
      barcode: reader.barcode,
      registrationNumber: reader.registration_number,
    },
    loans: open.map(({ readerId: _r, readerName: _n, className: _c, returnedAt: _d, ...loan }) => loan),
    overdueCount: open.filter((l) => l.overdueDays > 0).length,
    history: history.map((l) => ({
      loanId: l.loanId,
      barcode: l.barcode,
      title: l.title,
      authors: l.authors,
      issuedAt: l.issuedAt,
      returnedAt: l.returnedAt!,
    })),
    visitsThisYear: Number(reader.visits),
    loansThisYear: Number(reader.loans),
    reservations: reader.reservations.map(({ id, workId, title, status, place, barcode, holdUntil }) => ({ id, workId, title, status, place, barcode, holdUntil })),
  };
}
