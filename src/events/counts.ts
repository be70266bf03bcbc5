import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { libraryToday, schoolYearOf, schoolYearRange } from '../shared/library-time.js';
import { eventsViewer } from './access.js';

/**
 * Figures of mass work for the annual report, over a set of organisations and a period
 * (dates inclusive, 'YYYY-MM-DD'). Plain functions of the database: the report sums them
 * for a school, a district or the republic.
 */

export interface EventCounts {
  events: number;
  pupils: number;
  teachers: number;
  parents: number;
  others: number;
  participants: number;
  /** Events fulfilling an entry of the work plan. */
  fromPlan: number;
  byForm: { form: string; events: number; participants: number }[];
}

export async function eventCounts(db: Executor, organisationIds: number[], from: string, to: string): Promise<EventCounts> {
  const empty: EventCounts = { events: 0, pupils: 0, teachers: 0, parents: 0, others: 0, participants: 0, fromPlan: 0, byForm: [] };
  if (organisationIds.length === 0) return empty;
  const rows = await db
    .selectFrom('events.events')
    .select([
      'form',
      sql<number>`count(*)::int`.as('events'),
      sql<number>`coalesce(sum(pupils), 0)::int`.as('pupils'),
      sql<number>`coalesce(sum(teachers), 0)::int`.as('teachers'),
      sql<number>`coalesce(sum(parents), 0)::int`.as('parents'),
      sql<number>`coalesce(sum(others), 0)::int`.as('others'),
      sql<number>`count(plan_entry_id)::int`.as('from_plan'),
    ])
    .where('organisation_id', 'in', organisationIds)
    .where('held_on', '>=', from)
    .where('held_on', '<=', to)
    .groupBy('form')
    .orderBy('form')
    .execute();
  const out = { ...empty, byForm: [] as EventCounts['byForm'] };
  for (const r of rows) {
    out.events += Number(r.events);
    out.pupils += Number(r.pupils);
    out.teachers += Number(r.teachers);
    out.parents += Number(r.parents);
    out.others += Number(r.others);
    out.fromPlan += Number(r.from_plan);
    out.byForm.push({ form: r.form, events: Number(r.events), participants: Number(r.pupils) + Number(r.teachers) + Number(r.parents) + Number(r.others) });
  }
  out.participants = out.pupils + out.teachers + out.parents + out.others;
  return out;
}

export interface ExhibitionCounts {
  /** Exhibitions open at some time in the period. */
  exhibitions: number;
  /** Of those, shown on the public page (virtual exhibitions). */
  virtual: number;
  /** Works shown, counted once per exhibition. */
  worksShown: number;
}

export async function exhibitionCounts(db: Executor, organisationIds: number[], from: string, to: string): Promise<ExhibitionCounts> {
  if (organisationIds.length === 0) return { exhibitions: 0, virtual: 0, worksShown: 0 };
  const r = await db
    .selectFrom('events.exhibitions as x')
    .select([
      sql<number>`count(*)::int`.as('n'),
      sql<number>`count(*) filter (where x.is_public)::int`.as('virtual'),
      sql<number>`coalesce(sum((select count(*) from events.exhibition_works w where w.exhibition_id = x.id)), 0)::int`.as('works'),
    ])
    .where('x.organisation_id', 'in', organisationIds)
    .where('x.starts_on', '<=', to)
    .where('x.ends_on', '>=', from)
    .executeTakeFirstOrThrow();
  return { exhibitions: Number(r.n), virtual: Number(r.virtual), worksShown: Number(r.works) };
}

export interface ClubCounts {
  /** Clubs that met in the period. */
  clubs: number;
  /** Distinct members of those clubs during the period. */
  members: number;
  sessions: number;
  /** Member attendances plus guests. */
  attendances: number;
}

export async function clubCounts(db: Executor, organisationIds: number[], from: string, to: string): Promise<ClubCounts> {
  if (organisationIds.length === 0) return { clubs: 0, members: 0, sessions: 0, attendances: 0 };
  const s = await db
    .selectFrom('events.club_sessions as s')
    .select([
      sql<number>`count(distinct s.club_id)::int`.as('clubs'),
      sql<number>`count(*)::int`.as('sessions'),
      sql<number>`(coalesce(sum(s.guests), 0) + coalesce(sum((select count(*) from events.club_attendance a where a.session_id = s.id)), 0))::int`.as('attendances'),
    ])
    .where('s.organisation_id', 'in', organisationIds)
    .where('s.held_on', '>=', from)
    .where('s.held_on', '<=', to)
    .executeTakeFirstOrThrow();
  const m = await db
    .selectFrom('events.club_members')
    .select(sql<number>`count(distinct reader_id)::int`.as('n'))
    .where('organisation_id', 'in', organisationIds)
    .where('joined_on', '<=', to)
    .where((eb) => eb.or([eb('left_on', 'is', null), eb('left_on', '>=', from)]))
    .executeTakeFirstOrThrow();
  return { clubs: Number(s.clubs), members: Number(m.n), sessions: Number(s.sessions), attendances: Number(s.attendances) };
}

/** The mass work of the actor's own library over a period: the current school year when no period is given. */
export async function libraryFigures(db: Executor, actor: Actor | null, period: { from?: string; to?: string }) {
  const { org } = eventsViewer(actor);
  let { from, to } = period;
  if (!from || !to) ({ from, to } = schoolYearRange(schoolYearOf(await libraryToday(db, org))));
  const ids = [org];
  return { from, to, events: await eventCounts(db, ids, from, to), exhibitions: await exhibitionCounts(db, ids, from, to), clubs: await clubCounts(db, ids, from, to) };
}
