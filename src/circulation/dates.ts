/**
 * Circulation counts in whole library days ('YYYY-MM-DD'), never in timestamps,
 * so that a due date does not move with the server's time zone. Today's date is the
 * library's own (libraryToday in shared/library-time.ts).
 */
import { addDays, now } from '../shared/library-time.js';

const DAY_MS = 86_400_000;

export { addDays };

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Days a loan due on `dueOn` is overdue on `today`; 0 when it is not late. */
export function overdueDays(dueOn: string, today: string): number {
  return Math.max(0, daysBetween(dueOn, today));
}

/**
 * The moment recorded for a desk action. Normally now; when the desk works on a given
 * day (entering paper records after a power cut), midday of that day, which is the same
 * calendar day in every Kazakhstan time zone and in UTC.
 */
export function deskMoment(today?: string): Date {
  return today ? new Date(`${today}T12:00:00Z`) : now();
}

export function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** A library day as people write it in a message: '2026-03-05' → '05.03.2026'. */
export function dottedDate(date: string): string {
  return date.split('-').reverse().join('.');
}
