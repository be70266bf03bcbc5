import { isOwnCoverAddress } from './covers.js';
import type { Actor } from '../auth/actor.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { findOrCreateAuthor, type AuthorInput, type AuthorView, toAuthorView } from './authors.js';
import { lockWorksByIsbn } from './locks.js';
import { normaliseIsbn } from './isbn.js';
import { refreshWorkSearchKey } from './search-keys.js';
import { localDateTime } from '../shared/library-time.js';

export interface WorkAuthorInput extends AuthorInput {
  /** author (default), editor, translator, illustrator, compiler */
  role?: string;
}

export interface WorkInput {
  title: string;
  subtitle?: string | null;
  isbn?: string | null;
  publisher?: string | null;
  publishPlace?: string | null;
  publishYear?: number | null;
  language?: string | null;
  pages?: number | null;
  bbk?: string | null;
  udc?: string | null;
  knowledgeGroup?: string | null;
  genre?: string | null;
  ageRating?: string | null;
  annotation?: string | null;
  coverUrl?: string | null;
  /** Authors by name: found in the authority or added to it. */
  authors?: WorkAuthorInput[];
  /** Authors already in the authority. */
  authorIds?: { id: number; role?: string }[];
}

export interface WorkView {
  id: number;
  title: string;
  subtitle: string | null;
  isbn: string | null;
  publisher: string | null;
  publishPlace: string | null;
  publishYear: number | null;
  language: string | null;
  pages: number | null;
  bbk: string | null;
  udc: string | null;
  knowledgeGroup: string | null;
  genre: string | null;
  ageRating: string | null;
  annotation: string | null;
  coverUrl: string | null;
  authors: (AuthorView & { role: string })[];
}

const AGE_RATINGS = ['0+', '6+', '12+', '16+', '18+'];

function columns(input: Partial<WorkInput>) {
  if (input.title !== undefined && !input.title.trim()) throw invalid('catalog.title_required');
  if (input.ageRating && !AGE_RATINGS.includes(input.ageRating)) {
    throw invalid('catalog.bad_age_rating', { value: input.ageRating });
  }
  const currentYear = localDateTime().year;
  if (input.publishYear != null && (input.publishYear < 1450 || input.publishYear > currentYear + 1)) {
    throw invalid('catalog.bad_year', { value: input.publishYear });
  }
  const set: Record<string, unknown> = {};
  const map: [keyof WorkInput, string][] = [
    ['subtitle', 'subtitle'],
    ['publisher', 'publisher'],
    ['publishPlace', 'publish_place'],
    ['publishYear', 'publish_year'],
    ['language', 'language'],
    ['pages', 'pages'],
    ['bbk', 'bbk'],
    ['udc', 'udc'],
    ['knowledgeGroup', 'knowledge_group'],
    ['genre', 'genre'],
    ['ageRating', 'age_rating'],
    ['annotation', 'annotation'],
    ['coverUrl', 'cover_url'],
  ];
  if (input.title !== undefined) set.title = input.title.trim();
  for (const [from, to] of map) if (input[from] !== undefined) set[to] = input[from] ?? null;
  if (input.isbn !== undefined) set.isbn = normaliseIsbn(input.isbn);
  return set;
}

async function linkAuthors(db: Executor, actor: Actor | null, workId: number, input: Partial<WorkInput>) {
  const links: { id: number; role: string }[] = [...(input.authorIds ?? []).map((a) => ({ id: a.id, role: a.role ?? 'author' }))];
  if (links.length) {
    const known = await db.selectFrom('catalog.authors').select('id').where('id', 'in', links.map((l) => l.id)).execute();
    const missing = links.find((l) => !known.some((k) => k.id === l.id));
    if (missing) throw notFound('author', missing.id);
  }
  for (const a of input.authors ?? []) links.push({ id: await findOrCreateAuthor(db, actor, a), role: a.role ?? 'author' });
  await db.deleteFrom('catalog.work_authors').where('work_id', '=', workId).execute();
  const seen = new Set<string>();
  let position = 0;
  for (const link of links) {
    const key = `${link.id}:${link.role}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await db.insertInto('catalog.work_authors').values({ work_id: workId, author_id: link.id, role: link.role, position: position++ }).execute();
  }
}

export async function createWork(db: Executor, actor: Actor | null, input: WorkInput): Promise<number> {
  const set = columns(input);
  const row = await db
    .insertInto('catalog.works')
    .values({ title: input.title.trim(), ...set } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await linkAuthors(db, actor, row.id, input);
  await refreshWorkSearchKey(db, row.id);
  await audit(db, actor, 'create', 'work', row.id, { title: input.title }, null);
  return row.id;
}

/**
 * Adds a record to the shared catalogue, but first looks for one with the same ISBN:
 * another library has usually catalogued the book already, and a second record would split
 * its copies and statistics. `force` adds it anyway (a different edition under a reused ISBN).
 */
export async function addWork(db: Executor, actor: Actor | null, input: WorkInput & { force?: boolean }): Promise<number> {
  const isbn = normaliseIsbn(input.isbn);
  if (isbn && !input.force) {
    // held until the work is committed: another library adding the same ISBN meanwhile finds it
    await lockWorksByIsbn(db);
    const existing = await db.selectFrom('catalog.works').select('id').where('isbn', '=', isbn).orderBy('id').execute();
    if (existing.length) {
      throw conflict('catalog.isbn_exists', { isbn, id: existing[0]!.id }, { existingIds: existing.map((w) => w.id) });
    }
  }
  return createWork(db, actor, input);
}

export async function updateWork(db: Executor, actor: Actor | null, id: number, input: Partial<WorkInput>): Promise<void> {
  const exists = await db.selectFrom('catalog.works').select('id').where('id', '=', id).executeTakeFirst();
  if (!exists) throw notFound('work', id);
  const set = columns(input);
  if (Object.keys(set).length) {
    await db.updateTable('catalog.works').set({ ...set, updated_at: new Date() } as never).where('id', '=', id).execute();
  }
  if (input.authors !== undefined || input.authorIds !== undefined) await linkAuthors(db, actor, id, input);
  await refreshWorkSearchKey(db, id);
  await audit(db, actor, 'update', 'work', id, { fields: Object.keys(input) }, null);
}

/** Title, subtitle, every author's name and variants, and the ISBN, folded into one key. */
export async function getWork(db: Executor, id: number): Promise<WorkView> {
  const row = await db.selectFrom('catalog.works').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('work', id);
  const authors = await authorsOf(db, [id]);
  return toWorkView(row, authors.get(id) ?? []);
}

export async function findWorksByIsbn(db: Executor, isbn: string): Promise<WorkView[]> {
  const isbn13 = normaliseIsbn(isbn);
  if (!isbn13) return [];
  const rows = await db.selectFrom('catalog.works').selectAll().where('isbn', '=', isbn13).orderBy('id').execute();
  const authors = await authorsOf(db, rows.map((r) => r.id));
  return rows.map((r) => toWorkView(r, authors.get(r.id) ?? []));
}

/** Authors of many works in one query, in catalogue order. */
export async function authorsOf(db: Executor, workIds: number[]): Promise<Map<number, (AuthorView & { role: string })[]>> {
  const result = new Map<number, (AuthorView & { role: string })[]>();
  if (!workIds.length) return result;
  const rows = await db
    .selectFrom('catalog.work_authors as wa')
    .innerJoin('catalog.authors as a', 'a.id', 'wa.author_id')
    .select(['wa.work_id', 'wa.role', 'a.id', 'a.name', 'a.variants', 'a.birth_date', 'a.death_date', 'a.note'])
    .where('wa.work_id', 'in', workIds)
    .orderBy('wa.work_id')
    .orderBy('wa.position')
    .execute();
  for (const r of rows) {
    const list = result.get(r.work_id) ?? [];
    list.push({ ...toAuthorView(r), role: r.role });
    result.set(r.work_id, list);
  }
  return result;
}

type WorkRow = {
  id: number;
  title: string;
  subtitle: string | null;
  isbn: string | null;
  publisher: string | null;
  publish_place: string | null;
  publish_year: number | null;
  language: string | null;
  pages: number | null;
  bbk: string | null;
  udc: string | null;
  knowledge_group: string | null;
  genre: string | null;
  age_rating: string | null;
  annotation: string | null;
  cover_url: string | null;
};

export function toWorkView(r: WorkRow, authors: (AuthorView & { role: string })[]): WorkView {
  return {
    id: r.id,
    title: r.title,
    subtitle: r.subtitle,
    isbn: r.isbn,
    publisher: r.publisher,
    publishPlace: r.publish_place,
    publishYear: r.publish_year,
    language: r.language,
    pages: r.pages,
    bbk: r.bbk,
    udc: r.udc,
    knowledgeGroup: r.knowledge_group,
    genre: r.genre,
    ageRating: r.age_rating,
    annotation: r.annotation,
    // an address elsewhere (kept from before covers were stored here) is never handed to a browser
    coverUrl: isOwnCoverAddress(r.cover_url) ? r.cover_url : null,
    authors,
  };
}
