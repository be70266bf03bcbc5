/**
 * The one way a printed document (PDF acts, books, certificates, lists, reports) writes a date:
 * dd.mm.yyyy, as on every school paper in Kazakhstan. It takes a library date ('YYYY-MM-DD', from
 * src/shared/library-time.ts), never a UTC timestamp: a timestamp is turned into the library's
 * date there first. Anything else is printed as it is rather than guessed at.
 */
export function printDate(date: string | null | undefined): string {
  if (!date) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : date;
}
