import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { invalid, notFound } from '../shared/errors.js';
import { foldForSearch, foldQuery, kazakhSortKey, searchKey } from './folding.js';
import { refreshWorkSearchKey } from './search-keys.js';
import { lockAuthority } from './locks.js';

export interface AuthorInput {
  /** As catalogued, e.g. «Абай Құнанбайұлы» or «Құнанбайұлы, Абай». */
  name: string;
  variants?: string[];
  birthDate?: string | null;
  deathDate?: string | null;
  note?: string | null;
}

export interface AuthorView {
  id: number;
  name: string;
  variants: string[];
  birthDate: string | null;
  deathDate: string | null;
  note: string | null;
}

/** «Құнанбайұлы, Абай» and «Абай Құнанбайұлы» are one name: folded words, order ignored. */
export function nameMatchKey(name: string): string {
  return foldForSearch(name).split(' ').filter(Boolean).sort().join(' ');
}

function checkDates(input: AuthorInput) {
  if (input.birthDate && input.deathDate && input.deathDate < input.birthDate) {
    throw invalid('catalog.author_dates', { birth: input.birthDate, death: input.deathDate });
  }
}

/**
 * The author authority: a name typed again in another script or word order finds the
 * same author. When both sides know a birth year and the years differ, they are namesakes.
 */
export async function findAuthor(db: Executor, input: AuthorInput): Promise<number | undefined> {
  const key = nameMatchKey(input.name);
  if (!key) return undefined;
  const longest = key.split(' ').sort((a, b) => b.length - a.length)[0]!;
  const candidates = await db
    .selectFrom('catalog.authors')
    .select(['id', 'name', 'variants', 'birth_date'])
    .where(sql<boolean>`search_key like ${'%' + longest + '%'}`)
    .orderBy('id')
    .limit(200)
    .execute();
  const year = input.birthDate?.slice(0, 4);
  for (const c of candidates) {
    const names = [c.name, ...(c.variants ?? [])];
    if (!names.some((n) => nameMatchKey(n) === key)) continue;
    if (year && c.birth_date && c.birth_date.slice(0, 4) !== year) continue;
    return c.id;
  }
  return undefined;
}

export async function createAuthor(db: Executor, actor: Actor | null, input: AuthorInput): Promise<number> {
  checkDates(input);
  const name = input.name.trim();
  if (!name) throw invalid('catalog.author_name_required');
  const variants = (input.variants ?? []).map((v) => v.trim()).filter(Boolean);
  const row = await db
    .insertInto('catalog.authors')
    .values({
      name,
      variants,
      birth_date: input.birthDate ?? null,
      death_date: input.deathDate ?? null,
      note: input.note ?? null,
      search_key: searchKey(name, ...variants),
      sort_key: kazakhSortKey(name),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(db, actor, 'create', 'author', row.id, { name }, null);
  return row.id;
}

/** Call inside a transaction, so that the lock holds until the new author is visible to others. */
export async function findOrCreateAuthor(db: Executor, actor: Actor | null, input: AuthorInput): Promise<number> {
  const found = await findAuthor(db, input);
  if (found !== undefined) return found;
  await lockAuthority(db);
  return (await findAuthor(db, input)) ?? createAuthor(db, actor, input);
}

export async function updateAuthor(db: Executor, actor: Actor | null, id: number, input: Partial<AuthorInput>): Promise<void> {
  const current = await db.selectFrom('catalog.authors').selectAll().where('id', '=', id).executeTakeFirst();
  if (!current) throw notFound('author', id);
  const next = {
    name: input.name?.trim() ?? current.name,
    variants: input.variants ?? current.variants,
    birthDate: input.birthDate === undefined ? current.birth_date : input.birthDate,
    deathDate: input.deathDate === undefined ? current.death_date : input.deathDate,
    note: input.note === undefined ? current.note : input.note,
  };
  checkDates(next);
  await db
    .updateTable('catalog.authors')
    .set({
      name: next.name,
      variants: next.variants,
      birth_date: next.birthDate,
      death_date: next.deathDate,
      note: next.note,
      search_key: searchKey(next.name, ...next.variants),
      sort_key: kazakhSortKey(next.name),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
  // works carry their authors' names in their search keys
  const works = await db.selectFrom('catalog.work_authors').select('work_id').where('author_id', '=', id).execute();
  for (const w of works) await refreshWorkSearchKey(db, w.work_id);
  await audit(db, actor, 'update', 'author', id, { name: next.name }, null);
}

export async function getAuthor(db: Executor, id: number): Promise<AuthorView> {
  const row = await db.selectFrom('catalog.authors').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('author', id);
  return toAuthorView(row);
}

export function toAuthorView(row: {
  id: number;
  name: string;
  variants: string[];
  birth_date: string | null;
  death_date: string | null;
  note: string | null;
}): AuthorView {
  return {
    id: row.id,
    name: row.name,
    variants: row.variants ?? [],
    birthDate: row.birth_date,
    deathDate: row.death_date,
    note: row.note,
  };
}

/** The authority list for the cataloguer's author picker: every word of the query, in any script. */
export async function searchAuthors(
  db: Executor,
  input: { q?: string; limit?: number; offset?: number },
): Promise<{ items: AuthorView[]; total: number }> {
  const words = foldQuery(input.q ?? '');
  let query = db.selectFrom('catalog.authors');
  for (const word of words) query = query.where(sql<boolean>`search_key like ${'%' + word + '%'}`);
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('sort_key')
      .orderBy('id')
      .limit(input.limit ?? 20)
      .offset(input.offset ?? 0)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toAuthorView), total: Number(count.n) };
}
