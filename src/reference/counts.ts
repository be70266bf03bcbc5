import { sql, type RawBuilder } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { libraryToday, schoolYearOf, schoolYearRange } from '../shared/library-time.js';
import { referenceStaff } from './service.js';

/**
 * Figures of the reference service, periodicals and digitisation for the annual report, over a set
 * of organisations and a period (dates inclusive). Plain functions of the database.
 */

/**
 * A moment on or after the first day, and before the day after the last, as each library's clock
 * lived those days (the row joined to its organisation `o`): a question asked at 00:30 on New Year's
 * night belongs to the new year, whatever the database session's time zone.
 */
const onOrAfter = (column: RawBuilder<unknown>, day: string) => sql<boolean>`${column} >= (${day}::date)::timestamp at time zone o.time_zone`;
const upToEndOf = (column: RawBuilder<unknown>, day: string) => sql<boolean>`${column} < (${day}::date + 1)::timestamp at time zone o.time_zone`;
const withinDays = (column: RawBuilder<unknown>, from: string, to: string) => sql<boolean>`${onOrAfter(column, from)} and ${upToEndOf(column, to)}`;

export async function referenceCounts(db: Executor, organisationIds: number[], from: string, to: string) {
  const out = { total: 0, virtual: 0, byKind: { thematic: 0, address: 0, clarifying: 0, factographic: 0 }, byLanguage: {} as Record<string, number>, byGroup: {} as Record<string, number>, questions: 0, unmet: 0 };
  if (organisationIds.length === 0) return out;
  const rows = await db
    .selectFrom('reference.requests')
    .select(['kind', 'language', 'reader_group', 'virtual', sql<number>`count(*)::int`.as('n')])
    .where('organisation_id', 'in', organisationIds)
    .where('asked_on', '>=', from)
    .where('asked_on', '<=', to)
    .groupBy(['kind', 'language', 'reader_group', 'virtual'])
    .execute();
  for (const r of rows) {
    const n = Number(r.n);
    out.total += n;
    if (r.virtual) out.virtual += n;
    out.byKind[r.kind] += n;
    out.byLanguage[r.language] = (out.byLanguage[r.language] ?? 0) + n;
    out.byGroup[r.reader_group] = (out.byGroup[r.reader_group] ?? 0) + n;
  }
  const q = await db
    .selectFrom('reference.questions as x')
    .innerJoin('org.organisations as o', 'o.id', 'x.organisation_id')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('x.organisation_id', 'in', organisationIds)
    .where(withinDays(sql`x.asked_at`, from, to))
    .executeTakeFirstOrThrow();
  out.questions = Number(q.n);
  const u = await db
    .selectFrom('reference.unmet')
    .select(sql<number>`coalesce(sum(times), 0)::int`.as('n'))
    .where('organisation_id', 'in', organisationIds)
    .where('noted_on', '>=', from)
    .where('noted_on', '<=', to)
    .executeTakeFirstOrThrow();
  out.unmet = Number(u.n);
  return out;
}

/** Periodical titles subscribed in the period (per half-year overlapping it), in Kazakh, for children; issues received; articles indexed. */
export async function periodicalCounts(db: Executor, organisationIds: number[], from: string, to: string) {
  const out = { titles: 0, kazakh: 0, forChildren: 0, sumTiyn: 0, issuesReceived: 0, articlesIndexed: 0 };
  if (organisationIds.length === 0) return out;
  const halfStart = sql`make_date(s.year, case when s.half = 1 then 1 else 7 end, 1)`;
  const halfEnd = sql`make_date(s.year, case when s.half = 1 then 6 else 12 end, case when s.half = 1 then 30 else 31 end)`;
  const t = await db
    .selectFrom('reference.subscriptions as s')
    .innerJoin('reference.periodicals as p', 'p.id', 's.periodical_id')
    .select([
      sql<number>`count(distinct p.id)::int`.as('titles'),
      sql<number>`count(distinct p.id) filter (where p.language = 'kk')::int`.as('kazakh'),
      sql<number>`count(distinct p.id) filter (where p.for_children)::int`.as('children'),
      sql<number>`coalesce(sum(s.price_tiyn), 0)::bigint`.as('sum'),
    ])
    .where('s.organisation_id', 'in', organisationIds)
    .where(sql<boolean>`${halfStart} <= ${to}::date and ${halfEnd} >= ${from}::date`)
    .executeTakeFirstOrThrow();
  out.titles = Number(t.titles);
  out.kazakh = Number(t.kazakh);
  out.forChildren = Number(t.children);
  out.sumTiyn = Number(t.sum);
  const i = await db.selectFrom('reference.issues').select(sql<number>`count(*)::int`.as('n')).where('organisation_id', 'in', organisationIds).where('received_on', '>=', from).where('received_on', '<=', to).executeTakeFirstOrThrow();
  out.issuesReceived = Number(i.n);
  const a = await db
    .selectFrom('reference.articles as x')
    .innerJoin('org.organisations as o', 'o.id', 'x.organisation_id')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('x.organisation_id', 'in', organisationIds)
    .where(withinDays(sql`x.created_at`, from, to))
    .executeTakeFirstOrThrow();
  out.articlesIndexed = Number(a.n);
  return out;
}

/** Digitised documents (all held, and added in the period) with their pages, and their use in the period by action and reader group. */
export async function digitisationCounts(db: Executor, organisationIds: number[], from: string, to: string) {
  const out = { documents: 0, pages: 0, addedInPeriod: 0, pagesAddedInPeriod: 0, views: 0, downloads: 0, byGroup: {} as Record<string, { views: number; downloads: number }> };
  if (organisationIds.length === 0) return out;
  const d = await db
    .selectFrom('reference.documents as x')
    .innerJoin('org.organisations as o', 'o.id', 'x.organisation_id')
    .select([
      sql<number>`count(*)::int`.as('n'),
      sql<number>`coalesce(sum(x.pages), 0)::int`.as('pages'),
      sql<number>`count(*) filter (where ${onOrAfter(sql`x.created_at`, from)})::int`.as('added'),
      sql<number>`coalesce(sum(x.pages) filter (where ${onOrAfter(sql`x.created_at`, from)}), 0)::int`.as('added_pages'),
    ])
    .where('x.organisation_id', 'in', organisationIds)
    .where('x.file_size', 'is not', null)
    .where(upToEndOf(sql`x.created_at`, to))
    .executeTakeFirstOrThrow();
  out.documents = Number(d.n);
  out.pages = Number(d.pages);
  out.addedInPeriod = Number(d.added);
  out.pagesAddedInPeriod = Number(d.added_pages);
  const uses = await db
    .selectFrom('reference.document_uses')
    .select(['action', 'reader_group', sql<number>`count(*)::int`.as('n')])
    .where('organisation_id', 'in', organisationIds)
    .where('used_on', '>=', from)
    .where('used_on', '<=', to)
    .groupBy(['action', 'reader_group'])
    .execute();
  for (const u of uses) {
    const g = (out.byGroup[u.reader_group] ??= { views: 0, downloads: 0 });
    if (u.action === 'view') {
      out.views += Number(u.n);
      g.views += Number(u.n);
    } else {
      out.downloads += Number(u.n);
      g.downloads += Number(u.n);
    }
  }
  return out;
}

/** References, periodicals and digitisation of the actor's own library over a period: the current school year when no period is given. */
export async function referenceFigures(db: Executor, actor: Actor | null, period: { from?: string; to?: string }) {
  const { org } = referenceStaff(actor);
  let { from, to } = period;
  if (!from || !to) ({ from, to } = schoolYearRange(schoolYearOf(await libraryToday(db, org))));
  return { from, to, references: await referenceCounts(db, [org], from, to), periodicals: await periodicalCounts(db, [org], from, to), digitisation: await digitisationCounts(db, [org], from, to) };
}
