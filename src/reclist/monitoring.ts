import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { LIBRARY_KINDS } from '../org/organisations.js';
import { invalid, notFound } from '../shared/errors.js';
import { CATEGORIES, type BoughtFigures, type CategoryFigures } from './schema.js';
import { computeSchoolStats, per100, percent, type SchoolStats } from './stats.js';
import { findVersion } from './versions.js';
import { localDateTime } from '../shared/library-time.js';
import { assertCanSeeOrganisation } from '../auth/guard.js';

/**
 * Freshness rule: a level reads the per-school rows of reclist.school_stats. Before it does,
 * rows of this server's own libraries that are missing, older than STATS_MAX_AGE_MS or computed
 * for an older list are recomputed — when there are at most AUTO_REFRESH_LIMIT of them, which
 * keeps a district's page at a few seconds at worst. A region's or the republic's rows are
 * recomputed on demand ("refresh"), because tens of millions of copies take minutes. One
 * school's drill-down is always recomputed. Rows that came in a package are kept as sent.
 */
export const STATS_MAX_AGE_MS = 24 * 60 * 60 * 1000;
export const AUTO_REFRESH_LIMIT = 60;

const REFRESH_CHUNK = 200;

/** The monitoring year: the calendar year now in Kazakhstan. */
export function currentPeriod(): number {
  return localDateTime().year;
}

async function levelOf(db: Executor, actor: Actor, organisationId: number) {
  await assertCanSeeOrganisation(db, actor, organisationId);
  const org = await db
    .selectFrom('org.organisations')
    .select(['id', 'name', 'kind', 'path', 'code'])
    .where('id', '=', organisationId)
    .executeTakeFirst();
  if (!org) throw notFound('organisation', organisationId);
  return org;
}

/** Libraries under a level (or the level itself, when it is a library). */
function librariesUnder(db: Executor, path: string) {
  return db
    .selectFrom('org.organisations as o')
    .where(sql<boolean>`o.path like ${path + '%'}`)
    .where('o.kind', 'in', LIBRARY_KINDS);
}

/**
 * Recomputes the statistics of the level's own-server libraries for a period.
 * With onlyStale, only rows that are missing or older than the freshness limit.
 */
export async function refreshLevel(
  db: Executor,
  actor: Actor | null,
  level: { id: number; path: string },
  options: { period?: number; onlyStale?: boolean; maxLibraries?: number } = {},
): Promise<number> {
  const period = options.period ?? currentPeriod();
  const version = await findVersion(db);
  let q = librariesUnder(db, level.path)
    .leftJoin('reclist.school_stats as s', (j) => j.onRef('s.organisation_id', '=', 'o.id').on('s.period', '=', period))
    .select('o.id')
    .where((eb) => eb.or([eb('s.origin', 'is', null), eb('s.origin', '=', 'local')]));
  if (options.onlyStale) {
    const limit = new Date(Date.now() - STATS_MAX_AGE_MS);
    q = q.where((eb) => eb.or([eb('s.computed_at', 'is', null), eb('s.computed_at', '<', limit), eb('s.list_year', '<>', version.year)]));
  }
  const ids = (await q.execute()).map((r) => r.id);
  if (options.maxLibraries !== undefined && ids.length > options.maxLibraries) return 0;
  for (let i = 0; i < ids.length; i += REFRESH_CHUNK) {
    const stats = await computeSchoolStats(db, version, ids.slice(i, i + REFRESH_CHUNK));
    for (const [organisationId, s] of stats) await saveStats(db, organisationId, period, 'local', s, null);
  }
  if (actor && !options.onlyStale) await audit(db, actor, 'refresh', 'reclist_stats', level.id, { period, schools: ids.length });
  return ids.length;
}

export async function saveStats(
  db: Executor,
  organisationId: number,
  period: number,
  origin: 'local' | 'package',
  s: SchoolStats,
  contentHash: string | null,
): Promise<void> {
  const values = {
    origin,
    list_year: s.listYear,
    titles_total: s.titlesTotal,
    titles_held: s.titlesHeld,
    list_copies: s.listCopies,
    students: s.students,
    copies_total: s.copiesTotal,
    fiction_copies: s.fictionCopies,
    kazakh_copies: s.kazakhCopies,
    by_category: JSON.stringify(s.byCategory),
    bought: JSON.stringify(s.bought),
    computed_at: new Date(),
    content_hash: contentHash,
  };
  await db
    .insertInto('reclist.school_stats')
    .values({ organisation_id: organisationId, period, ...values })
    .onConflict((oc) => oc.columns(['organisation_id', 'period']).doUpdateSet(values))
    .execute();
}

export async function refreshLevelFor(db: Executor, actor: Actor, organisationId: number, period?: number) {
  const level = await levelOf(db, actor, organisationId);
  const schools = await refreshLevel(db, actor, level, { period });
  return { schools };
}

/**
 * A district's, region's or the republic's figures: the sums of its schools' rows, so that
 * every level is by construction the sum of the schools below it.
 */
export async function levelSummary(db: Executor, actor: Actor, organisationId: number, period = currentPeriod()) {
  const level = await levelOf(db, actor, organisationId);
  await refreshLevel(db, null, level, { period, onlyStale: true, maxLibraries: AUTO_REFRESH_LIMIT });
  const libraries = await librariesUnder(db, level.path).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const totals = await librariesUnder(db, level.path)
    .innerJoin('reclist.school_stats as s', 's.organisation_id', 'o.id')
    .where('s.period', '=', period)
    .select([
      sql<number>`count(*)`.as('reporting'),
      sql<number>`count(*) filter (where s.titles_held = s.titles_total and s.titles_total > 0)`.as('complete'),
      sql<number>`coalesce(sum(s.titles_total), 0)`.as('titles_total'),
      sql<number>`coalesce(sum(s.titles_held), 0)`.as('titles_held'),
      sql<number>`coalesce(sum(s.list_copies), 0)`.as('list_copies'),
      sql<number>`coalesce(sum(s.students), 0)`.as('students'),
      sql<number>`coalesce(sum(s.copies_total), 0)`.as('copies_total'),
      sql<number>`coalesce(sum(s.fiction_copies), 0)`.as('fiction_copies'),
      sql<number>`coalesce(sum(s.kazakh_copies), 0)`.as('kazakh_copies'),
      sql<number | null>`max(s.list_year)`.as('list_year'),
      sql<Date | null>`min(s.computed_at)`.as('oldest'),
    ])
    .executeTakeFirstOrThrow();
  // The per-category and per-year figures are arrays inside each school's row; unnest and sum them.
  const libraryKinds = sql.join(LIBRARY_KINDS.map((k) => sql.lit(k)));
  const categories = (
    await sql<{ category: string; titles: number; held: number; copies: number }>`
      select c.category, sum(c.titles) as titles, sum(c.held) as held, sum(c.copies) as copies
      from org.organisations o
      join reclist.school_stats s on s.organisation_id = o.id and s.period = ${period}
      cross join lateral jsonb_to_recordset(s.by_category) as c(category text, titles int, held int, copies int)
      where o.path like ${level.path + '%'} and o.kind in (${libraryKinds})
      group by c.category`.execute(db)
  ).rows;
  const bought = (
    await sql<{ year: number; source: string; copies: number }>`
      select b.year, b.source, sum(b.copies) as copies
      from org.organisations o
      join reclist.school_stats s on s.organisation_id = o.id and s.period = ${period}
      cross join lateral jsonb_to_recordset(s.bought) as b(year int, source text, copies int)
      where o.path like ${level.path + '%'} and o.kind in (${libraryKinds})
      group by b.year, b.source
      order by b.year, b.source`.execute(db)
  ).rows;

  const n = (v: unknown) => Number(v ?? 0);
  const byCategory = CATEGORIES.map((category) => {
    const c = categories.find((x) => x.category === category);
    return { category, titles: n(c?.titles), held: n(c?.held), copies: n(c?.copies), coverage: percent(n(c?.held), n(c?.titles)) };
  });
  const listCopiesTotal = n(totals.list_copies);
  return {
    organisation: { id: level.id, name: level.name, kind: level.kind },
    period,
    listYear: totals.list_year === null ? null : n(totals.list_year),
    libraries: n(libraries.n),
    reporting: n(totals.reporting),
    completeLibraries: n(totals.complete),
    titlesTotal: n(totals.titles_total),
    titlesHeld: n(totals.titles_held),
    coverage: percent(n(totals.titles_held), n(totals.titles_total)),
    listCopies: listCopiesTotal,
    students: n(totals.students),
    copiesPer100Students: per100(listCopiesTotal, n(totals.students)),
    fund: {
      copies: n(totals.copies_total),
      fictionCopies: n(totals.fiction_copies),
      kazakhCopies: n(totals.kazakh_copies),
      fictionShare: percent(n(totals.fiction_copies), n(totals.copies_total)),
      kazakhShare: percent(n(totals.kazakh_copies), n(totals.copies_total)),
    },
    byCategory,
    categoryShares: byCategory.map((c) => ({ category: c.category, share: percent(c.copies, listCopiesTotal) })),
    bought: bought.map((b) => ({ year: n(b.year), source: b.source, copies: n(b.copies) })),
    oldestFigures: totals.oldest ? new Date(totals.oldest).toISOString() : null,
  };
}

/** The level's libraries ranked by coverage, weakest first; a library that has not reported comes first of all. */
export async function rankedSchools(
  db: Executor,
  actor: Actor,
  organisationId: number,
  page: { limit: number; offset: number; period?: number },
) {
  const period = page.period ?? currentPeriod();
  const level = await levelOf(db, actor, organisationId);
  await refreshLevel(db, null, level, { period, onlyStale: true, maxLibraries: AUTO_REFRESH_LIMIT });
  const total = await librariesUnder(db, level.path).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const ratio = sql<number | null>`s.titles_held::float8 / nullif(s.titles_total, 0)`;
  const rows = await librariesUnder(db, level.path)
    .leftJoin('reclist.school_stats as s', (j) => j.onRef('s.organisation_id', '=', 'o.id').on('s.period', '=', period))
    .select([
      'o.id',
      'o.name',
      'o.code',
      'o.kind',
      's.origin',
      's.titles_total',
      's.titles_held',
      's.list_copies',
      's.students',
      's.copies_total',
      's.computed_at',
    ])
    .orderBy(sql`${ratio} asc nulls first`)
    .orderBy('o.name')
    .orderBy('o.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    total: Number(total.n),
    items: rows.map((r) => ({
      organisationId: r.id,
      name: r.name,
      code: r.code,
      kind: r.kind,
      origin: r.origin,
      titlesTotal: r.titles_total,
      titlesHeld: r.titles_held,
      coverage: r.titles_total === null ? null : percent(r.titles_held ?? 0, r.titles_total),
      listCopies: r.list_copies,
      students: r.students,
      copiesPer100Students: r.list_copies === null ? null : per100(r.list_copies, r.students ?? 0),
      copiesTotal: r.copies_total,
      computedAt: r.computed_at ? new Date(r.computed_at).toISOString() : null,
    })),
  };
}

/** One school's figures: recomputed now from its own data, or as its last package said. */
export async function schoolFigures(db: Executor, actor: Actor, organisationId: number, period = currentPeriod()) {
  const school = await levelOf(db, actor, organisationId);
  if (!LIBRARY_KINDS.includes(school.kind)) throw invalid('reclist.not_a_library');
  const stored = await db
    .selectFrom('reclist.school_stats')
    .selectAll()
    .where('organisation_id', '=', school.id)
    .where('period', '=', period)
    .executeTakeFirst();
  if (stored?.origin !== 'package') await refreshLevel(db, null, school, { period });
  const row = await db
    .selectFrom('reclist.school_stats')
    .selectAll()
    .where('organisation_id', '=', school.id)
    .where('period', '=', period)
    .executeTakeFirstOrThrow();
  return {
    organisation: { id: school.id, name: school.name, code: school.code, kind: school.kind },
    period,
    origin: row.origin,
    computedAt: new Date(row.computed_at).toISOString(),
    ...statsView(row),
  };
}

export function statsView(row: {
  list_year: number;
  titles_total: number;
  titles_held: number;
  list_copies: number;
  students: number;
  copies_total: number;
  fiction_copies: number;
  kazakh_copies: number;
  by_category: CategoryFigures[];
  bought: BoughtFigures[];
}) {
  return {
    listYear: row.list_year,
    titlesTotal: row.titles_total,
    titlesHeld: row.titles_held,
    coverage: percent(row.titles_held, row.titles_total),
    listCopies: row.list_copies,
    students: row.students,
    copiesPer100Students: per100(row.list_copies, row.students),
    fund: {
      copies: row.copies_total,
      fictionCopies: row.fiction_copies,
      kazakhCopies: row.kazakh_copies,
      fictionShare: percent(row.fiction_copies, row.copies_total),
      kazakhShare: percent(row.kazakh_copies, row.copies_total),
    },
    byCategory: row.by_category.map((c) => ({ ...c, coverage: percent(c.held, c.titles) })),
    bought: row.bought,
  };
}
