import type { Actor } from '../auth/actor.js';
import { allow, libraryOf } from '../auth/guard.js';
import type { Executor } from '../db/executor.js';
import { invalid, notFound } from '../shared/errors.js';

/** Librarians and admins keep the mass work of their own library; the organisation to filter by. */
export function eventsStaff(actor: Actor | null | undefined): { who: Actor; org: number } {
  const who = allow(actor, 'staff');
  return { who, org: libraryOf(who) };
}

/** Teachers see the plan, events, exhibitions and clubs of their school as well. */
export function eventsViewer(actor: Actor | null | undefined): { who: Actor; org: number } {
  const who = allow(actor, 'staffAndTeachers');
  return { who, org: libraryOf(who) };
}

export function checkSchoolYear(value: string): string {
  const m = /^(\d{4})-(\d{4})$/.exec(value);
  if (!m || Number(m[2]) !== Number(m[1]) + 1) throw invalid('events.bad_school_year', { value });
  return value;
}

export function checkDate(value: string, field = 'date'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) throw invalid('events.bad_date', { value, field });
  return value;
}

/** The row of a table owned by a library, or not found for anyone else's. */
export async function ownRow<T extends 'events.plans' | 'events.plan_entries' | 'events.events' | 'events.exhibitions' | 'events.clubs' | 'events.club_members' | 'events.club_sessions' | 'events.schedule_items'>(
  db: Executor,
  table: T,
  id: number,
  org: number,
  entity: string,
): Promise<void> {
  const row = await db
    .selectFrom(table as 'events.plans')
    .select('id')
    .where('id', '=', id)
    .where('organisation_id', '=', org)
    .executeTakeFirst();
  if (!row) throw notFound(entity, id);
}

export const trimOrNull = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);
