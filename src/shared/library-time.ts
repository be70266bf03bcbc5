import type { Executor } from '../db/executor.js';

/**
 * The library's own clock. Every date the library records (a loan's due date, a receipt's date,
 * the year in a registration number) is its local date in its time zone, never the UTC date of
 * an ISO string and never the server's own zone. No other module reads the clock for a date.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Almaty';

/** The moment now; tests move it with `setClock`. */
let nowFn: () => Date = () => new Date();
export const now = (): Date => nowFn();
/** For tests: fix the clock (or pass undefined to restore the real one). */
export function setClock(fixed: Date | (() => Date) | undefined): void {
  nowFn = fixed === undefined ? () => new Date() : typeof fixed === 'function' ? fixed : () => fixed;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalDateTime {
  /** 'YYYY-MM-DD' */
  date: string;
  /** 'HH:MM:SS' */
  time: string;
  year: number;
  month: number;
  day: number;
}

/** The local date and time of a moment in a time zone. */
export function localDateTime(timeZone: string = DEFAULT_TIME_ZONE, at: Date = now()): LocalDateTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(at)) parts[p.type] = p.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return {
    date,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
  };
}

/** 'YYYY-MM-DD' of a moment on a library's clock. */
export function localDate(timeZone: string = DEFAULT_TIME_ZONE, at: Date = now()): string {
  return localDateTime(timeZone, at).date;
}

/**
 * The moment a local day begins in a time zone: midnight of 'YYYY-MM-DD' there, `plusDays` later.
 * A period of days typed by a librarian covers those days as they were lived in the library.
 */
export function startOfLocalDay(date: string, timeZone: string = DEFAULT_TIME_ZONE, plusDays = 0): Date {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y!, m! - 1, d! + plusDays);
  // The zone's offset at a moment is the difference between its wall clock and UTC; two rounds settle a change of offset.
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const l = localDateTime(timeZone, new Date(guess));
    const [hh, mm, ss] = l.time.split(':').map(Number);
    const seen = Date.UTC(l.year, l.month - 1, l.day, hh, mm, ss);
    guess = wall - (seen - guess);
  }
  return new Date(guess);
}

/** 'YYYY-MM-DD' `days` later (earlier when negative): calendar arithmetic, no clock. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y!, m! - 1, d! + days));
  return `${String(t.getUTCFullYear()).padStart(4, '0')}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
}

/** For tests: forget the organisations' time zones read so far (each test database numbers its own organisations). */
export function forgetTimeZones(): void {
  zoneCache.clear();
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const zoneCache = new Map<number, { zone: string; until: number }>();

/** The time zone an organisation keeps (cached for a minute: it changes about never). */
export async function organisationTimeZone(db: Executor, organisationId: number): Promise<string> {
  const hit = zoneCache.get(organisationId);
  const t = Date.now();
  if (hit && hit.until > t) return hit.zone;
  const row = await db.selectFrom('org.organisations').select('time_zone').where('id', '=', organisationId).executeTakeFirst();
  const zone = row?.time_zone && isValidTimeZone(row.time_zone) ? row.time_zone : DEFAULT_TIME_ZONE;
  zoneCache.set(organisationId, { zone, until: t + 60_000 });
  return zone;
}

/** Today's date ('YYYY-MM-DD') on the clock of the given library. */
export async function libraryToday(db: Executor, organisationId: number, at: Date = now()): Promise<string> {
  return localDate(await organisationTimeZone(db, organisationId), at);
}

/** The school year a date falls in: September to August, as '2024-2025'. */
export function schoolYearOf(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const start = m >= 9 ? y : y - 1;
  return `${start}-${start + 1}`;
}

/** First and last day of a school year '2024-2025' (1 September – 31 August). */
export function schoolYearRange(schoolYear: string): { from: string; to: string } {
  const m = /^(\d{4})-(\d{4})$/.exec(schoolYear);
  if (!m || Number(m[2]) !== Number(m[1]) + 1) throw new RangeError(`not a school year: ${schoolYear}`);
  return { from: `${m[1]}-09-01`, to: `${m[2]}-08-31` };
}
