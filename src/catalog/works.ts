import { fetchCover, isOwnCoverAddress, saveCover } from './covers.js';
import type { Actor } from '../auth/actor.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { inTransaction } from '../db/transaction.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { findOrCreateAuthor, type AuthorInput, type AuthorView, toAuthorView } from './authors.js';
import { lockWorksByIsbn } from './locks.js';
import { authorSignFor } from './author-signs.js';
import { ACCESSIBLE_FORMATS, AGE_CATEGORIES, PUBLICATION_TYPES, type AccessibleFormat, type PublicationType } from './schema.js';
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
  /** Former name of ageCategory, still accepted. */
  ageRating?: string | null;
  /** One of the categories of the Law of 2 July 2018 No. 169-VI: 0+, 6+, 12+, 14+, 16+, 18+. */
  ageCategory?: string | null;
  annotation?: string | null;
  coverUrl?: string | null;
  parallelTitle?: string | null;
  responsibility?: string | null;
  edition?: string | null;
  series?: string | null;
  /** Derived from the first author's surname by the author-sign table when not given. */
  authorSign?: string | null;
  accessibleFormat?: AccessibleFormat | null;
  publicationType?: PublicationType;
  subjectHeadings?: string[];
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
  ageCategory: string | null;
  annotation: string | null;
  coverUrl: string | null;
  parallelTitle: string | null;
  responsibility: string | null;
  edition: string | null;
  series: string | null;
  authorSign: string | null;
  accessibleFormat: AccessibleFormat | null;
  publicationType: PublicationType;
  subjectHeadings: string[];
  authors: (AuthorView & { role: string })[];
}

/**
 * A BBK index as school and public libraries write it: figures (or the letter of the old school tables)
 * first, then figures, letters, dots, hyphens, territorial and form subdivisions in brackets.
 * «84(5Каз)7-44», «74.268.1», «Ш5», «26.89(5Каз)»; «abc» or «%%» are refused.
 */
const BBK = /^(?:\d|[А-ЯЁӘҒҚҢӨҰҮҺІ](?=[\d.(]))[\dА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі.\-()+:/=*" ]*$/u;
/** A UDC number: figures first; then figures, dots, signs of relation and auxiliaries («821.512.122-3», «37.016:51»). */
const UDC = /^\d[\d.\-:+/=()"\[\]'* А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІіA-Za-z]*$/u;

export function checkBbk(value: string | null | undefined): string | null {
  const v = value?.trim();
  if (!v) return null;
  if (!BBK.test(v) || /\.\./.test(v) || v.length > 100) throw invalid('catalog.bad_bbk', { value: v });
  return v;
}

export function checkUdc(value: string | null | undefined): string | null {
  const v = value?.trim();
  if (!v) return null;
  if (!UDC.test(v) || /\.\./.test(v) || v.length > 100) throw invalid('catalog.bad_udc', { value: v });
  return v;
}

function columns(input: Partial<WorkInput>) {
  if (input.title !== undefined && !input.title.trim()) throw invalid('catalog.title_required');
  const age = input.ageCategory !== undefined ? input.ageCategory : input.ageRating;
  if (age && !(AGE_CATEGORIES as readonly string[]).includes(age)) {
    throw invalid('catalog.bad_age_rating', { value: age });
  }
  if (input.accessibleFormat && !(ACCESSIBLE_FORMATS as readonly string[]).includes(input.accessibleFormat)) {
    throw invalid('catalog.bad_accessible_format', { value: input.accessibleFormat });
  }
  if (input.publicationType !== undefined && !(PUBLICATION_TYPES as readonly string[]).includes(input.publicationType)) {
    throw invalid('catalog.bad_publication_type', { value: input.publicationType });
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
    ['knowledgeGroup', 'knowledge_group'],
    ['genre', 'genre'],
    ['annotation', 'annotation'],
    ['coverUrl', 'cover_url'],
    ['parallelTitle', 'parallel_title'],
    ['responsibility', 'responsibility'],
    ['edition', 'edition'],
    ['series', 'series'],
    ['authorSign', 'author_sign'],
    ['accessibleFormat', 'accessible_format'],
    ['publicationType', 'publication_type'],
  ];
  if (input.title !== undefined) set.title = input.title.trim();
  for (const [from, to] of map) {
    const value = input[from];
    if (value !== undefined) set[to] = typeof value === 'string' ? value.trim() || null : (value ?? null);
  }
  if (input.bbk !== undefined) set.bbk = checkBbk(input.bbk);
  if (input.udc !== undefined) set.udc = checkUdc(input.udc);
  if (age !== undefined) set.age_rating = age || null;
  if (input.subjectHeadings !== undefined) {
    set.subject_headings = [...new Set(input.subjectHeadings.map((h) => h.trim()).filter(Boolean))];
  }
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
  if (input.authorSign === undefined) await deriveAuthorSign(db, row.id);
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

/** Sets the author sign from the first author's surname (or the title) when the record has none. */
async function deriveAuthorSign(db: Executor, workId: number): Promise<void> {
  const work = await db.selectFrom('catalog.works').select(['title', 'author_sign']).where('id', '=', workId).executeTakeFirstOrThrow();
  if (work.author_sign) return;
  const authors = await authorsOf(db, [workId]);
  const first = (authors.get(workId) ?? []).find((a) => a.role === 'author');
  const sign = await authorSignFor(db, { author: first?.name, title: work.title });
  if (sign) await db.updateTable('catalog.works').set({ author_sign: sign }).where('id', '=', workId).execute();
}

const AUDITED_COLUMNS = [
  'title', 'subtitle', 'isbn', 'publisher', 'publish_place', 'publish_year', 'language', 'pages', 'bbk', 'udc',
  'knowledge_group', 'genre', 'age_rating', 'annotation', 'cover_url', 'parallel_title', 'responsibility', 'edition',
  'series', 'author_sign', 'accessible_format', 'publication_type', 'subject_headings',
] as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Edits a record. The audit line names the fields that really changed, with their values before and after
 * (authors as the names in catalogue order), so the log shows who changed what.
 */
export async function updateWork(db: Executor, actor: Actor | null, id: number, input: Partial<WorkInput>): Promise<void> {
  const before = await db.selectFrom('catalog.works').select([...AUDITED_COLUMNS]).where('id', '=', id).executeTakeFirst();
  if (!before) throw notFound('work', id);
  const set = columns(input);
  const authorsBefore = (await authorsOf(db, [id])).get(id) ?? [];
  if (Object.keys(set).length) {
    await db.updateTable('catalog.works').set({ ...set, updated_at: new Date() } as never).where('id', '=', id).execute();
  }
  if (input.authors !== undefined || input.authorIds !== undefined) await linkAuthors(db, actor, id, input);
  await deriveAuthorSign(db, id);
  await refreshWorkSearchKey(db, id);
  const after = await db.selectFrom('catalog.works').select([...AUDITED_COLUMNS]).where('id', '=', id).executeTakeFirstOrThrow();
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const column of AUDITED_COLUMNS) {
    if (!same(before[column], after[column])) changes[column] = { before: before[column], after: after[column] };
  }
  const authorsAfter = (await authorsOf(db, [id])).get(id) ?? [];
  const names = (list: { name: string; role: string }[]) => list.map((a) => (a.role === 'author' ? a.name : `${a.name} (${a.role})`));
  if (!same(names(authorsBefore), names(authorsAfter))) changes.authors = { before: names(authorsBefore), after: names(authorsAfter) };
  await audit(db, actor, 'update', 'work', id, { fields: Object.keys(changes), changes }, null);
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
  parallel_title: string | null;
  responsibility: string | null;
  edition: string | null;
  series: string | null;
  author_sign: string | null;
  accessible_format: AccessibleFormat | null;
  publication_type: PublicationType;
  subject_headings: string[] | null;
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
    ageCategory: r.age_rating,
    annotation: r.annotation,
    // an address elsewhere (kept from before covers were stored here) is never handed to a browser
    coverUrl: isOwnCoverAddress(r.cover_url) ? r.cover_url : null,
    parallelTitle: r.parallel_title,
    responsibility: r.responsibility,
    edition: r.edition,
    series: r.series,
    authorSign: r.author_sign,
    accessibleFormat: r.accessible_format,
    publicationType: r.publication_type,
    subjectHeadings: r.subject_headings ?? [],
    authors,
  };
}

/** A cover from elsewhere, fetched before the transaction opens: browsers are only ever given the library's own address. */
async function foreignCover(coverUrl: string | null | undefined): Promise<Uint8Array | null> {
  return coverUrl && !isOwnCoverAddress(coverUrl) ? fetchCover(coverUrl) : null;
}

/** Catalogues a record (addWork) with its cover: one from elsewhere is fetched now and stored with the record. */
export async function catalogueWork(db: Executor, actor: Actor | null, input: WorkInput & { force?: boolean }): Promise<number> {
  const { coverUrl, ...rest } = input;
  const image = await foreignCover(coverUrl);
  return inTransaction(db, async (trx) => {
    const workId = await addWork(trx, actor, image ? rest : input);
    if (image) await saveCover(trx, actor, workId, image);
    return workId;
  });
}

/** Edits a record (updateWork) with its cover, fetched and stored as catalogueWork does. */
export async function editWork(db: Executor, actor: Actor | null, id: number, input: Partial<WorkInput>): Promise<void> {
  const { coverUrl, ...rest } = input;
  const image = await foreignCover(coverUrl);
  await inTransaction(db, async (trx) => {
    await updateWork(trx, actor, id, image ? rest : input);
    if (image) await saveCover(trx, actor, id, image);
  });
}
