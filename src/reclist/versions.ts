import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/connect.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { AppError, conflict, invalid, notFound } from '../shared/errors.js';
import { parseListFile, type ListRow, type RowError } from './list-file.js';
import { CATEGORIES, type AgeGroup, type Category } from './schema.js';

export interface CategoryCount {
  category: Category;
  titles: number;
}

export interface ListPreview {
  year: number | null;
  valid: number;
  errors: RowError[];
  byCategory: CategoryCount[];
  /** Against the latest earlier version, when there is one. */
  comparedWith: number | null;
  added: number;
  removed: number;
  exists: boolean;
}

export interface EntryView {
  id: number;
  position: number;
  title: string;
  author: string;
  category: Category;
  genre: string | null;
  ageGroup: AgeGroup;
  language: string | null;
  isbn: string | null;
}

/** What importing a file would do, with every broken line listed; stores nothing. */
export async function previewList(db: Executor, data: Buffer, year: number | null = null): Promise<ListPreview> {
  const parsed = await parseListFile(data, year);
  const previous = parsed.year === null ? null : await previousVersion(db, parsed.year);
  const previousKeys = previous ? await keysOf(db, previous.id) : new Set<string>();
  const newKeys = new Set(parsed.rows.map((r) => r.entryKey));
  const exists =
    parsed.year !== null &&
    (await db.selectFrom('reclist.versions').select('id').where('year', '=', parsed.year).executeTakeFirst()) !== undefined;
  return {
    year: parsed.year,
    valid: parsed.rows.length,
    errors: parsed.errors,
    byCategory: countByCategory(parsed.rows),
    comparedWith: previous?.year ?? null,
    added: previous ? [...newKeys].filter((k) => !previousKeys.has(k)).length : 0,
    removed: previous ? [...previousKeys].filter((k) => !newKeys.has(k)).length : 0,
    exists,
  };
}

/**
 * Stores a year's version of the list, all or nothing: a file with any broken line is refused
 * with the per-line report, and nothing of it is kept.
 */
export async function importList(
  db: Executor,
  actor: Actor | null,
  data: Buffer,
  options: { year?: number | null; sourceName?: string | null } = {},
): Promise<{ year: number; entries: number }> {
  const parsed = await parseListFile(data, options.year ?? null);
  if (parsed.errors.length > 0) {
    throw new AppError('reclist.import_rejected', 400, { count: parsed.errors.length }, { rows: parsed.errors });
  }
  if (parsed.year === null) throw invalid('reclist.year_missing');
  const existing = await db.selectFrom('reclist.versions').select('id').where('year', '=', parsed.year).executeTakeFirst();
  if (existing) throw conflict('reclist.version_exists', { year: parsed.year });
  const version = await db
    .insertInto('reclist.versions')
    .values({ year: parsed.year, source_name: options.sourceName ?? null, imported_by: actor?.userId ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertEntries(db, version.id, parsed.rows);
  await audit(db, actor, 'import', 'reclist_version', parsed.year, { entries: parsed.rows.length, file: options.sourceName ?? null });
  return { year: parsed.year, entries: parsed.rows.length };
}

async function insertEntries(db: Executor, versionId: number, rows: ListRow[]): Promise<void> {
  const values = rows.map((r, i) => ({
    version_id: versionId,
    position: i + 1,
    entry_key: r.entryKey,
    title: r.title,
    author: r.author,
    category: r.category,
    genre: r.genre,
    age_group: r.ageGroup,
    language: r.language,
    isbn: r.isbn,
    sort_key: r.sortKey,
  }));
  // Batches keep the statement under PostgreSQL's 65,535-parameter limit for the full list.
  for (let i = 0; i < values.length; i += 500) {
    await db.insertInto('reclist.entries').values(values.slice(i, i + 500)).execute();
  }
}

export async function listVersions(db: Executor) {
  const rows = await db
    .selectFrom('reclist.versions as v')
    .leftJoin('reclist.entries as e', 'e.version_id', 'v.id')
    .select(['v.year', 'v.source_name', 'v.imported_at', 'e.category'])
    .select((eb) => eb.fn.count<number>('e.id').as('titles'))
    .groupBy(['v.year', 'v.source_name', 'v.imported_at', 'e.category'])
    .orderBy('v.year', 'desc')
    .execute();
  const byYear = new Map<number, { year: number; sourceName: string | null; importedAt: string; titles: number; byCategory: CategoryCount[] }>();
  for (const r of rows) {
    const v = byYear.get(r.year) ?? {
      year: r.year,
      sourceName: r.source_name,
      importedAt: new Date(r.imported_at).toISOString(),
      titles: 0,
      byCategory: CATEGORIES.map((category) => ({ category, titles: 0 })),
    };
    if (r.category) {
      v.titles += Number(r.titles);
      v.byCategory.find((c) => c.category === r.category)!.titles = Number(r.titles);
    }
    byYear.set(r.year, v);
  }
  return [...byYear.values()];
}

/** The version of a year, or the latest one when no year is given. */
export async function findVersion(db: Executor, year?: number | null): Promise<{ id: number; year: number }> {
  let q = db.selectFrom('reclist.versions').select(['id', 'year']);
  q = year ? q.where('year', '=', year) : q.orderBy('year', 'desc').limit(1);
  const version = await q.executeTakeFirst();
  if (!version) throw year ? notFound('reclist_version', year) : new AppError('reclist.no_list', 404);
  return version;
}

export async function listEntries(
  db: Executor,
  year: number,
  filter: { category?: Category; limit: number; offset: number },
): Promise<{ items: EntryView[]; total: number }> {
  const version = await findVersion(db, year);
  let q = db.selectFrom('reclist.entries').where('version_id', '=', version.id);
  if (filter.category) q = q.where('category', '=', filter.category);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('position').limit(filter.limit).offset(filter.offset).execute();
  return { items: rows.map(entryView), total: Number(total.n) };
}

/** What one year's list added and removed compared with another year's. */
export async function diffVersions(db: Executor, fromYear: number, toYear: number) {
  const from = await findVersion(db, fromYear);
  const to = await findVersion(db, toYear);
  const [before, after] = await Promise.all([entriesOf(db, from.id), entriesOf(db, to.id)]);
  const beforeKeys = new Set(before.map((e) => e.entry_key));
  const afterKeys = new Set(after.map((e) => e.entry_key));
  return {
    from: from.year,
    to: to.year,
    added: after.filter((e) => !beforeKeys.has(e.entry_key)).map(entryView),
    removed: before.filter((e) => !afterKeys.has(e.entry_key)).map(entryView),
    kept: after.filter((e) => beforeKeys.has(e.entry_key)).length,
  };
}

const SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sample-list.csv');

/** Loads the small sample list shipped with the demo (its year is in the file); does nothing if that year exists. */
export async function loadSampleList(db: Db): Promise<{ year: number; entries: number } | null> {
  return db.transaction().execute((trx) => importSampleList(trx));
}

/** The same inside the caller's transaction (the demo loads the list with the rest of the library). */
export async function importSampleList(db: Executor, actor: Actor | null = null): Promise<{ year: number; entries: number } | null> {
  const data = fs.readFileSync(SAMPLE);
  const preview = await previewList(db, data);
  if (preview.exists) return null;
  return importList(db, actor, data, { sourceName: 'sample-list.csv' });
}

function entriesOf(db: Executor, versionId: number) {
  return db.selectFrom('reclist.entries').selectAll().where('version_id', '=', versionId).orderBy('position').execute();
}

async function keysOf(db: Executor, versionId: number): Promise<Set<string>> {
  const rows = await db.selectFrom('reclist.entries').select('entry_key').where('version_id', '=', versionId).execute();
  return new Set(rows.map((r) => r.entry_key));
}

async function previousVersion(db: Executor, year: number) {
  return db
    .selectFrom('reclist.versions')
    .select(['id', 'year'])
    .where('year', '<', year)
    .orderBy('year', 'desc')
    .limit(1)
    .executeTakeFirst();
}

function countByCategory(rows: ListRow[]): CategoryCount[] {
  return CATEGORIES.map((category) => ({ category, titles: rows.filter((r) => r.category === category).length }));
}

export function entryView(e: {
  id: number;
  position: number;
  title: string;
  author: string;
  category: Category;
  genre: string | null;
  age_group: AgeGroup;
  language: string | null;
  isbn: string | null;
}): EntryView {
  return {
    id: e.id,
    position: e.position,
    title: e.title,
    author: e.author,
    category: e.category,
    genre: e.genre,
    ageGroup: e.age_group,
    language: e.language,
    isbn: e.isbn,
  };
}
