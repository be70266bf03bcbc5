import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { Executor } from '../org/audit.js';
import type { ReaderKind } from '../readers/schema.js';
import { conflict, notFound } from '../shared/errors.js';
import { todayIso } from './dates.js';
import { fromCyrillicLayout } from './keyboard.js';
import { className, fullName, loanQuery, toLoanViews, type LoanView } from './loan-views.js';
import { deskLibrary, findCopy, inTransaction, issueCopy, returnCopy, unknownCode } from './loans.js';
import { loanRulesFor } from './rules.js';

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
}

export type ScanResult =
  | { action: 'reader_opened'; panel: ReaderPanel }
  | { action: 'issued'; loan: LoanView; panel: ReaderPanel }
  | { action: 'returned'; loan: LoanView; panel: ReaderPanel | null };

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
  const library = deskLibrary(actor);
  const today = input.today ?? todayIso();
  const typed = input.code.trim();
  return inTransaction(db, async (trx) => {
    const found = (await identify(trx, library, typed)) ?? (await identifyAsLatin(trx, library, typed));
    if (!found) throw unknownCode(typed);
    if (found.kind === 'reader') {
      await countVisit(trx, library, found.id, today);
      return { action: 'reader_opened' as const, panel: await readerPanel(trx, actor, found.id, today) };
    }
    const openLoan = await trx
      .selectFrom('circulation.loans')
      .select('reader_id')
      .where('copy_id', '=', found.id)
      .where('returned_at', 'is', null)
      .executeTakeFirst();
    const readerId = input.readerId ?? null;
    // With a reader open, a copy out to someone else is an attempt to issue it: the desk says to whom it is out.
    if (openLoan && (readerId === null || openLoan.reader_id === readerId)) {
      const loan = await returnCopy(trx, actor, { barcode: found.barcode, today: input.today });
      const panel = readerId === null ? null : await readerPanel(trx, actor, readerId, today);
      return { action: 'returned' as const, loan, panel };
    }
    if (readerId === null) throw conflict('circulation.no_reader_open', { code: found.barcode });
    const loan = await issueCopy(trx, actor, { readerId, barcode: found.barcode, today: input.today });
    return { action: 'issued' as const, loan, panel: await readerPanel(trx, actor, readerId, today) };
  });
}

type Identified = { kind: 'reader' | 'copy'; id: number; barcode: string };

async function identify(db: Executor, library: number, code: string): Promise<Identified | undefined> {
  if (code === '') return undefined;
  const reader = await db
    .selectFrom('readers.readers')
    .select(['id', 'barcode'])
    .where('organisation_id', '=', library)
    .where('barcode', '=', code)
    .executeTakeFirst();
  if (reader) return { kind: 'reader', ...reader };
  const copy = await findCopy(db, library, code);
  return copy ? { kind: 'copy', id: copy.id, barcode: copy.barcode } : undefined;
}

async function identifyAsLatin(db: Executor, library: number, code: string): Promise<Identified | undefined> {
  const latin = fromCyrillicLayout(code);
  return latin === code ? undefined : identify(db, library, latin);
}

/** One visit per reader per day, however many times the card is scanned. */
export async function countVisit(db: Executor, organisationId: number, readerId: number, day: string): Promise<void> {
  await db
    .insertInto('circulation.visits')
    .values({ organisation_id: organisationId, reader_id: readerId, visited_on: day })
    .onConflict((oc) => oc.columns(['reader_id', 'visited_on']).doNothing())
    .execute();
}

/** The reader's panel at the desk; a reader of another library is simply not found. */
export async function readerPanel(db: Executor, actor: Actor, readerId: number, today = todayIso()): Promise<ReaderPanel> {
  const library = deskLibrary(actor);
  const reader = await db
    .selectFrom('readers.readers')
    .select(['id', 'kind', 'barcode', 'registration_number', 'last_name', 'first_name', 'middle_name', 'grade', 'class_letter'])
    .where('organisation_id', '=', library)
    .where('id', '=', readerId)
    .executeTakeFirst();
  if (!reader) throw notFound('reader', readerId);

  const rules = await loanRulesFor(db, library);
  const openRows = await loanQuery(db, library)
    .where('l.reader_id', '=', readerId)
    .where('l.returned_at', 'is', null)
    .orderBy('l.due_on')
    .orderBy('l.id')
    .execute();
  const historyRows = await loanQuery(db, library)
    .where('l.reader_id', '=', readerId)
    .where('l.returned_at', 'is not', null)
    .orderBy('l.returned_at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(HISTORY_SIZE)
    .execute();
  const open = await toLoanViews(db, openRows, rules, today);
  const history = await toLoanViews(db, historyRows, rules, today);
  const year = await yearCounts(db, library, readerId, today.slice(0, 4));

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
    ...year,
  };
}

async function yearCounts(db: Executor, library: number, readerId: number, year: string) {
  const from = `${year}-01-01`;
  const to = `${Number(year) + 1}-01-01`;
  const visits = await db
    .selectFrom('circulation.visits')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', library)
    .where('reader_id', '=', readerId)
    .where('visited_on', '>=', from)
    .where('visited_on', '<', to)
    .executeTakeFirstOrThrow();
  const loans = await db
    .selectFrom('circulation.loans')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', library)
    .where('reader_id', '=', readerId)
    .where(sql<string>`issued_at::date`, '>=', from)
    .where(sql<string>`issued_at::date`, '<', to)
    .executeTakeFirstOrThrow();
  return { visitsThisYear: Number(visits.n), loansThisYear: Number(loans.n) };
}
