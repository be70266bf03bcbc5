import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { subtreeIds } from '../org/organisations.js';
import { forbidden, invalid } from '../shared/errors.js';
import { organisationTimeZone, startOfLocalDay } from '../shared/library-time.js';
import { assertCanSeeOrganisation } from '../auth/guard.js';

/** The reader groups of the library's annual report. */
export const READER_GROUPS = ['grades_1_4', 'grades_5_9', 'grades_10_11', 'teachers', 'others'] as const;
export type ReaderGroup = (typeof READER_GROUPS)[number];

export interface Counts {
  visits: number;
  loans: number;
  returns: number;
}

export interface CirculationStats extends Counts {
  from: string;
  to: string;
  organisationIds: number[];
  byGroup: ({ group: ReaderGroup } & Counts)[];
}

/** The report group of a reader, in SQL over readers.readers aliased r. */
export const groupOf = sql<ReaderGroup>`case
  when r.kind = 'teacher' then 'teachers'
  when r.kind = 'student' and r.grade between 1 and 4 then 'grades_1_4'
  when r.kind = 'student' and r.grade between 5 and 9 then 'grades_5_9'
  when r.kind = 'student' and r.grade between 10 and 11 then 'grades_10_11'
  else 'others' end`;

/**
 * Which libraries the numbers cover: the actor's own library, or for a methodologist or admin
 * the given organisation with everything below it. Counts only, never a reader's name.
 */
async function statsScope(db: Executor, actor: Actor, organisationId?: number): Promise<number[]> {
  if (actor.role === 'librarian') {
    if (organisationId !== undefined && organisationId !== actor.organisationId) throw forbidden();
    return [actor.organisationId];
  }
  if (actor.role !== 'methodologist' && actor.role !== 'admin') throw forbidden();
  const root = organisationId ?? actor.organisationId;
  await assertCanSeeOrganisation(db, actor, root);
  return subtreeIds(db, root);
}

/** Visits, loans and returns between two dates inclusive, in total and by reader group. */
export async function circulationStats(
  db: Executor,
  actor: Actor,
  input: { from: string; to: string; organisationId?: number },
): Promise<CirculationStats> {
  if (input.from > input.to) throw invalid('circulation.bad_period', { from: input.from, to: input.to });
  const organisationIds = await statsScope(db, actor, input.organisationId);
  const { from, to } = input;

  const visits = await db
    .selectFrom('circulation.visits as v')
    .innerJoin('readers.readers as r', 'r.id', 'v.reader_id')
    .select([groupOf.as('grp'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('v.organisation_id', 'in', organisationIds)
    .where('v.visited_on', '>=', from)
    .where('v.visited_on', '<=', to)
    .groupBy(sql`1`)
    .execute();
  // the days of the period as they were lived in the library (an issue at 00:30 counts on its own day)
  const zone = await organisationTimeZone(db, input.organisationId ?? actor.organisationId);
  const period = { from: startOfLocalDay(from, zone), until: startOfLocalDay(to, zone, 1) };
  const loans = await countLoanEvents(db, organisationIds, 'issued_at', period);
  const returns = await countLoanEvents(db, organisationIds, 'returned_at', period);

  // loans and visits removed by retention or an erasure left their counts behind
  const kept = await db
    .selectFrom('reports.kept_counts')
    .select(['what', 'reader_group as grp', (eb) => eb.fn.sum<number>('n').as('n')])
    .where('organisation_id', 'in', organisationIds)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .groupBy(['what', 'reader_group'])
    .execute();
  const keptFor = (what: 'visit' | 'issue' | 'return', group: ReaderGroup) => Number(kept.find((k) => k.what === what && k.grp === group)?.n ?? 0);
  const byGroup = READER_GROUPS.map((group) => ({
    group,
    visits: countFor(visits, group) + keptFor('visit', group),
    loans: countFor(loans, group) + keptFor('issue', group),
    returns: countFor(returns, group) + keptFor('return', group),
  }));
  const total = (key: keyof Counts) => byGroup.reduce((sum, g) => sum + g[key], 0);
  return { from, to, organisationIds, visits: total('visits'), loans: total('loans'), returns: total('returns'), byGroup };
}

async function countLoanEvents(db: Executor, organisationIds: number[], column: 'issued_at' | 'returned_at', period: { from: Date; until: Date }) {
  // A range on the timestamp itself, so that the (organisation, time) indexes serve it.
  return db
    .selectFrom('circulation.loans as l')
    .innerJoin('readers.readers as r', 'r.id', 'l.reader_id')
    .select([groupOf.as('grp'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('l.organisation_id', 'in', organisationIds)
    .where(`l.${column}`, '>=', period.from)
    .where(`l.${column}`, '<', period.until)
    .groupBy(sql`1`)
    .execute();
}

function countFor(rows: { grp: ReaderGroup; n: number }[], group: ReaderGroup): number {
  return Number(rows.find((r) => r.grp === group)?.n ?? 0);
}
