import { addDays, daysBetween } from '../circulation/dates.js';
import type { Executor } from '../db/executor.js';
import type { Random } from './random.js';
import type { DemoReader } from './school-readers.js';

/**
 * A year of the library's desk, simulated day by day: loans on school days only, more in
 * autumn and spring, none in the summer holidays; most books come back within the loan
 * period, some late, a few not yet — the debtors a class teacher sees.
 */

const LOAN_DAYS = 14;
const BATCH = 1000;

/** How busy the desk is in each month (January = 0); June to August the school is closed. */
const MONTH_WEIGHT = [0.8, 1.0, 1.1, 1.3, 0.9, 0, 0, 0, 1.2, 1.3, 1.2, 0.9];

/** School holidays outside the summer (month-day ranges, both ends included). */
const HOLIDAYS: [string, string][] = [
  ['10-27', '11-02'],
  ['12-30', '12-31'],
  ['01-01', '01-08'],
  ['03-19', '03-29'],
  ['05-26', '05-31'],
];

function dayWeight(day: string): number {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = date.getUTCDay();
  if (weekday === 0) return 0;
  const md = day.slice(5);
  if (HOLIDAYS.some(([from, to]) => md >= from && md <= to)) return 0;
  return MONTH_WEIGHT[date.getUTCMonth()]! * (weekday === 6 ? 0.4 : 1);
}

function readerWeight(reader: DemoReader): number {
  if (reader.kind === 'teacher') return 0.5;
  if (reader.kind === 'staff') return 0.3;
  const g = reader.grade ?? 0;
  return g <= 1 ? 0.5 : g <= 7 ? 1.3 : g <= 9 ? 1.0 : 0.7;
}

/** Picks readers in proportion to how much they read; each child reads at their own pace. */
class ReaderPicker {
  private readonly cumulative: number[] = [];
  constructor(
    private readonly readers: DemoReader[],
    rng: Random,
  ) {
    let sum = 0;
    for (const r of readers) {
      sum += readerWeight(r) * (0.2 + rng.next() * 1.8);
      this.cumulative.push(sum);
    }
  }
  pick(rng: Random): DemoReader {
    const target = rng.next() * this.cumulative.at(-1)!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return this.readers[lo]!;
  }
}

export interface HistoryInput {
  organisationId: number;
  librarianId: number;
  readers: DemoReader[];
  copyIds: number[];
  today: string;
  /** Loans to spread over the past year. */
  loans: number;
  /** Readers who keep a book past its due date, whatever the simulation gives. */
  debtorIds?: number[];
  /** Readers who have a book at home that is not yet due. */
  currentReaderIds?: number[];
}

interface LoanRow {
  organisation_id: number;
  copy_id: number;
  reader_id: number;
  issued_at: Date;
  due_on: string;
  issued_by: number;
  returned_at: Date | null;
  returned_by: number | null;
}

export interface HistorySummary {
  loans: number;
  open: number;
  overdue: number;
  visits: number;
}

const at = (day: string, rng: Random) =>
  new Date(`${day}T${String(rng.int(8, 16)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00+05:00`);

/** The next day the library is open, on or after `day`. */
function nextOpenDay(day: string): string {
  let d = day;
  for (let i = 0; i < 120 && dayWeight(d) === 0; i++) d = addDays(d, 1);
  return d;
}

/** The last day the library is open, on or before `day`. */
export function lastOpenDay(day: string): string {
  let d = day;
  for (let i = 0; i < 120 && dayWeight(d) === 0; i++) d = addDays(d, -1);
  return d;
}

/** Days after the issue on which the book comes back: mostly in time, some late, a few very late. */
function keptFor(rng: Random): number {
  const r = rng.next();
  if (r < 0.7) return rng.int(3, LOAN_DAYS);
  if (r < 0.93) return rng.int(LOAN_DAYS + 1, 30);
  if (r < 0.99) return rng.int(31, 75);
  return Number.POSITIVE_INFINITY; // lost track of: a debtor from months ago
}

export async function simulateYear(trx: Executor, rng: Random, input: HistoryInput): Promise<HistorySummary> {
  const days = Array.from({ length: 365 }, (_, i) => addDays(input.today, i - 364)).filter((d) => dayWeight(d) > 0);
  if (!days.length || !input.copyIds.length || !input.readers.length) return { loans: 0, open: 0, overdue: 0, visits: 0 };
  const totalWeight = days.reduce((s, d) => s + dayWeight(d), 0);
  const picker = new ReaderPicker(input.readers, rng);
  /** The first day each copy is back on the shelf. */
  const freeFrom = new Map<number, string>();
  const loans: LoanRow[] = [];
  const visits = new Map<string, { reader_id: number; visited_on: string }>();
  const visit = (readerId: number, day: string) => visits.set(`${readerId}|${day}`, { reader_id: readerId, visited_on: day });

  const lend = (readerId: number, day: string, returnDay: string | null) => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const copyId = rng.pick(input.copyIds);
      const free = freeFrom.get(copyId);
      if (free !== undefined && free > day) continue;
      loans.push({
        organisation_id: input.organisationId,
        copy_id: copyId,
        reader_id: readerId,
        issued_at: at(day, rng),
        due_on: addDays(day, LOAN_DAYS),
        issued_by: input.librarianId,
        returned_at: returnDay ? at(returnDay, rng) : null,
        returned_by: returnDay ? input.librarianId : null,
      });
      freeFrom.set(copyId, returnDay ? addDays(returnDay, 1) : '9999-12-31');
      visit(readerId, day);
      return true;
    }
    return false;
  };

  // The forced debtors took their books on the last open day at least three weeks ago,
  // the current readers on the last open day of the past week.
  const debtDay = days.filter((d) => daysBetween(d, input.today) >= 21).at(-1);
  const currentDay = days.filter((d) => daysBetween(d, input.today) <= 7).at(-1) ?? days.at(-1)!;

  for (const day of days) {
    const count = Math.round(((input.loans * dayWeight(day)) / totalWeight) * (0.75 + rng.next() * 0.5));
    for (let i = 0; i < count; i++) {
      const kept = keptFor(rng);
      const back = Number.isFinite(kept) ? nextOpenDay(addDays(day, kept)) : null;
      lend(picker.pick(rng).id, day, back && back <= input.today ? back : null);
    }
    if (day === debtDay) for (const id of input.debtorIds ?? []) lend(id, day, null);
    if (day === currentDay) for (const id of input.currentReaderIds ?? []) lend(id, day, null);
  }

  // A reader also comes to read in the reading room or just to look, without taking a book.
  for (let i = 0; i < Math.round(loans.length * 0.15); i++) visit(picker.pick(rng).id, rng.pick(days));

  for (let i = 0; i < loans.length; i += BATCH) await trx.insertInto('circulation.loans').values(loans.slice(i, i + BATCH)).execute();
  const visitRows = [...visits.values()].map((v) => ({ organisation_id: input.organisationId, ...v }));
  for (let i = 0; i < visitRows.length; i += BATCH) await trx.insertInto('circulation.visits').values(visitRows.slice(i, i + BATCH)).execute();

  const open = loans.filter((l) => !l.returned_at);
  if (open.length) {
    await trx
      .updateTable('fund.copies')
      .set({ status: 'on_loan' })
      .where('id', 'in', open.map((l) => l.copy_id))
      .execute();
  }
  return {
    loans: loans.length,
    open: open.length,
    overdue: open.filter((l) => l.due_on < input.today).length,
    visits: visitRows.length,
  };
}
