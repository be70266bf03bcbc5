import { sql } from 'kysely';
import type { Executor } from '../db/executor.js';
import { CATEGORIES, type BoughtFigures, type CategoryFigures } from './schema.js';

/** The statistics one school reports upward: counts only, never a reader. */
export interface SchoolStats {
  listYear: number;
  titlesTotal: number;
  titlesHeld: number;
  listCopies: number;
  students: number;
  copiesTotal: number;
  fictionCopies: number;
  kazakhCopies: number;
  byCategory: CategoryFigures[];
  bought: BoughtFigures[];
}

/** Copies that are in the fund: on the shelf, on loan or being repaired. */
export const ACTIVE_STATUSES = ['available', 'on_loan', 'in_repair'] as const;

/** The source of a copy that came without a receipt document. */
export const UNSPECIFIED_SOURCE = 'unspecified';

/**
 * Computes the statistics of many schools at once with a handful of grouped queries
 * (one per figure, each over all the schools), so refreshing a district costs the same
 * number of statements as refreshing one school.
 */
export async function computeSchoolStats(
  db: Executor,
  version: { id: number; year: number },
  organisationIds: number[],
): Promise<Map<number, SchoolStats>> {
  const result = new Map<number, SchoolStats>();
  if (organisationIds.length === 0) return result;
  const [titles, held, fund, bought, students] = await Promise.all([
    titlesByCategory(db, version.id),
    heldByCategory(db, version.id, organisationIds),
    fundFigures(db, organisationIds),
    boughtByYear(db, version.id, organisationIds),
    studentCounts(db, organisationIds),
  ]);
  for (const id of organisationIds) {
    const byCategory = CATEGORIES.map((category) => {
      const h = held.get(`${id}:${category}`);
      return { category, titles: titles.get(category) ?? 0, held: h?.held ?? 0, copies: h?.copies ?? 0 };
    });
    const f = fund.get(id);
    result.set(id, {
      listYear: version.year,
      titlesTotal: byCategory.reduce((s, c) => s + c.titles, 0),
      titlesHeld: byCategory.reduce((s, c) => s + c.held, 0),
      listCopies: byCategory.reduce((s, c) => s + c.copies, 0),
      students: students.get(id) ?? 0,
      copiesTotal: f?.copies ?? 0,
      fictionCopies: f?.fiction ?? 0,
      kazakhCopies: f?.kazakh ?? 0,
      byCategory,
      bought: bought.get(id) ?? [],
    });
  }
  return result;
}

async function titlesByCategory(db: Executor, versionId: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('reclist.entries')
    .select(['category', (eb) => eb.fn.countAll<number>().as('n')])
    .where('version_id', '=', versionId)
    .groupBy('category')
    .execute();
  return new Map(rows.map((r) => [r.category, Number(r.n)]));
}

/** Per school and category: list titles with at least one copy, and those copies. */
async function heldByCategory(db: Executor, versionId: number, organisationIds: number[]) {
  const rows = await db
    .selectFrom('reclist.entries as e')
    .innerJoin('reclist.matches as m', (j) => j.onRef('m.entry_key', '=', 'e.entry_key').on('m.status', '=', 'confirmed'))
    .innerJoin('fund.copies as c', 'c.work_id', 'm.work_id')
    .where('e.version_id', '=', versionId)
    .where('c.organisation_id', 'in', organisationIds)
    .where('c.status', 'in', ACTIVE_STATUSES)
    .select([
      'c.organisation_id',
      'e.category',
      sql<number>`count(distinct e.id)`.as('held'),
      sql<number>`count(distinct c.id)`.as('copies'),
    ])
    .groupBy(['c.organisation_id', 'e.category'])
    .execute();
  return new Map(rows.map((r) => [`${r.organisation_id}:${r.category}`, { held: Number(r.held), copies: Number(r.copies) }]));
}

/** The whole fund of each school: copies, fiction copies, copies in Kazakh. */
async function fundFigures(db: Executor, organisationIds: number[]) {
  const rows = await db
    .selectFrom('fund.copies as c')
    .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
    .where('c.organisation_id', 'in', organisationIds)
    .where('c.status', 'in', ACTIVE_STATUSES)
    .select([
      'c.organisation_id',
      sql<number>`count(*)`.as('copies'),
      sql<number>`count(*) filter (where w.knowledge_group = 'fiction')`.as('fiction'),
      sql<number>`count(*) filter (where w.language = 'kaz')`.as('kazakh'),
    ])
    .groupBy('c.organisation_id')
    .execute();
  return new Map(rows.map((r) => [r.organisation_id, { copies: Number(r.copies), fiction: Number(r.fiction), kazakh: Number(r.kazakh) }]));
}

/**
 * Copies of list titles acquired per calendar year and source, whatever has happened to them
 * since. The year and source come from the copy's receipt document; a copy entered without one
 * (before fund accounting, or by hand) counts in the year it was acquired, source unspecified.
 */
async function boughtByYear(db: Executor, versionId: number, organisationIds: number[]) {
  const year = sql<number>`extract(year from coalesce(r.received_on, c.acquired_on))::int`;
  const source = sql<string>`coalesce(r.source, ${sql.lit(UNSPECIFIED_SOURCE)})`;
  const rows = await db
    .selectFrom('fund.copies as c')
    .leftJoin('fund.receipts as r', 'r.id', 'c.receipt_id')
    .where('c.organisation_id', 'in', organisationIds)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('reclist.matches as m')
          .innerJoin('reclist.entries as e', 'e.entry_key', 'm.entry_key')
          .select('m.id')
          .whereRef('m.work_id', '=', 'c.work_id')
          .where('m.status', '=', 'confirmed')
          .where('e.version_id', '=', versionId),
      ),
    )
    .select(['c.organisation_id', year.as('year'), source.as('source'), sql<number>`count(*)`.as('copies')])
    .groupBy(['c.organisation_id', year, source])
    .orderBy('year')
    .orderBy('source')
    .execute();
  const map = new Map<number, BoughtFigures[]>();
  for (const r of rows) {
    const list = map.get(r.organisation_id) ?? [];
    list.push({ year: Number(r.year), source: r.source, copies: Number(r.copies) });
    map.set(r.organisation_id, list);
  }
  return map;
}

async function studentCounts(db: Executor, organisationIds: number[]): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('readers.readers')
    .where('organisation_id', 'in', organisationIds)
    .where('kind', '=', 'student')
    .where('status', '=', 'active')
    .select(['organisation_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('organisation_id')
    .execute();
  return new Map(rows.map((r) => [r.organisation_id, Number(r.n)]));
}

/** Copies of the list per 100 students, one decimal; null for a library without students. */
export function per100(copies: number, students: number): number | null {
  return students > 0 ? Math.round((copies * 1000) / students) / 10 : null;
}

/** A share in percent with one decimal; 0 when there is nothing to divide. */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part * 1000) / whole) / 10 : 0;
}
