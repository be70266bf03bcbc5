import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { belongsTo } from '../auth/guard.js';
import type { Executor } from '../db/executor.js';
import type { FundKind } from '../fund/schema.js';
import { foldQuery } from './folding.js';
import { parseIsbn } from './isbn.js';
import { noteEmptySearch } from '../reference/service.js';
import { authorsOf } from './works.js';

/**
 * The one search box of the staff desk and the public catalogue.
 *
 * The query is folded the same way as the stored search keys (catalog/folding.ts), so
 * Kazakh Cyrillic, the Latin alphabets, BGN romanisation and a Russian keyboard all meet.
 * Every query word must occur in the work's search key (title, subtitle, authors and their
 * variants, ISBN); the trigram index finds the candidates, and only a bounded candidate set
 * is ranked, so a vague query costs no more than a precise one.
 */

export interface SearchFilters {
  /** ISO 639-2 code: kaz, rus, eng, ... */
  language?: string;
  /** Only works with a copy in this fund of the library (needs organisationId). */
  fund?: FundKind;
  /** Only works with a copy on the shelf in the library (needs organisationId). */
  available?: boolean;
  /** Only works in an accessible format: large print, Braille, audio; 'any' for all three. */
  accessibleFormat?: 'large_print' | 'braille' | 'audio' | 'any';
  /** Only works of this age category of the law No. 169-VI. */
  ageCategory?: string;
}

export interface SearchInput {
  q: string;
  /** The library whose copies are counted; without it every count is zero. */
  organisationId?: number | null;
  limit?: number;
  offset?: number;
  filters?: SearchFilters;
}

export interface Availability {
  /** Copies in the fund (written-off and lost copies are not counted). */
  total: number;
  available: number;
  onLoan: number;
}

export interface SearchHit {
  workId: number;
  title: string;
  subtitle: string | null;
  authors: { id: number; name: string }[];
  publishYear: number | null;
  publisher: string | null;
  isbn: string | null;
  language: string | null;
  ageRating: string | null;
  accessibleFormat: string | null;
  availability: Availability;
}

export interface SearchResult {
  items: SearchHit[];
  /** Number of matching works, counted up to TOTAL_CAP. */
  total: number;
  /** True when more than TOTAL_CAP works match: the caller shows "200+". */
  totalCapped: boolean;
}

/**
 * Matches counted and ranked at most. A query matching more is too vague for the order of
 * its tail to matter: the user refines it rather than pages. One bound for both keeps the
 * search to one pass over the trigram index.
 */
export const TOTAL_CAP = 200;
const RANKED_CANDIDATES = TOTAL_CAP;
/** Works whose title starts with the query always join the ranking, however many others match. */
const TITLE_PREFIX_CANDIDATES = 100;
/** Length of the indexed start of the search key (migration 0101). */
const PREFIX_INDEX_CHARS = 40;
const MAX_WORDS = 8;
/** A word shorter than a trigram cannot use the trigram index as a substring; it matches word starts. */
const SHORT_WORD = 3;

export async function searchCatalogue(db: Executor, input: SearchInput): Promise<SearchResult> {
  // an ISBN typed with hyphens or as ISBN-10 is looked up as a number, not as words
  const isbn = /^[\s\d-]{10,17}[\dxX]$/.test(input.q?.trim() ?? '') ? parseIsbn(input.q.trim()) : null;
  const words = isbn ? [] : foldQuery(input.q ?? '').slice(0, MAX_WORDS);
  const limit = Math.min(Math.max(Math.trunc(input.limit ?? 20), 1), 100);
  const offset = Math.max(Math.trunc(input.offset ?? 0), 0);
  const organisationId = input.organisationId ?? null;
  const filters = input.filters ?? {};

  const matching = () => {
    let q = db.selectFrom('catalog.works as w').where(filterCondition(filters, organisationId));
    if (isbn) q = q.where('w.isbn', '=', isbn.isbn13);
    for (const word of words) q = q.where(wordCondition(word));
    return q;
  };

  const page = words.length
    ? await rankedPage(db, words, matching, filters, organisationId, limit, offset)
    : { rows: await matching().select(HIT_COLUMNS).orderBy('w.sort_key').orderBy('w.id').limit(limit).offset(offset).execute(), candidates: -1 };
  // the ranked candidates are the count, capped; only a page past the last result counts again
  const counted = page.candidates >= 0 ? page.candidates : await cappedCount(db, matching);
  return {
    items: await toHits(db, page.rows, organisationId),
    total: Math.min(counted, TOTAL_CAP),
    totalCapped: counted > TOTAL_CAP,
  };
}

type Matching = () => ReturnType<typeof selectWorks>;
function selectWorks(db: Executor) {
  return db.selectFrom('catalog.works as w');
}

async function cappedCount(db: Executor, matching: Matching): Promise<number> {
  const row = await db
    .selectFrom(matching().select(sql<number>`1`.as('one')).limit(TOTAL_CAP + 1).as('m'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const HIT_COLUMNS = ['w.id', 'w.title', 'w.subtitle', 'w.publish_year', 'w.publisher', 'w.isbn', 'w.language', 'w.age_rating', 'w.accessible_format'] as const;
type HitRow = { id: number; title: string; subtitle: string | null; publish_year: number | null; publisher: string | null; isbn: string | null; language: string | null; age_rating: string | null; accessible_format: string | null };

/**
 * Ranks a bounded candidate set: the works whose title starts with the query (btree on the
 * key's start) plus the first RANKED_CANDIDATES + 1 matches the trigram index yields. Order:
 * exact title, title prefix, all words in the title (closest title first), then works found
 * by their authors (closest key first), then the Kazakh alphabetical order.
 */
async function rankedPage(
  db: Executor,
  words: string[],
  matching: Matching,
  filters: SearchFilters,
  organisationId: number | null,
  limit: number,
  offset: number,
): Promise<{ rows: HitRow[]; candidates: number }> {
  const phrase = words.join(' ');
  // the key starts with the folded title, so its prefix finds the titles that start with the query
  const titlePrefix = selectWorks(db)
    .select(['w.id', 'w.title_key', 'w.search_key', 'w.sort_key'])
    .where(filterCondition(filters, organisationId))
    .where(sql<SqlBool>`left(w.search_key, ${sql.lit(PREFIX_INDEX_CHARS)}) like ${phrase + '%'}`)
    // a phrase longer than the indexed start could never match it; such a query is precise anyway
    .where(sql.lit(phrase.length < PREFIX_INDEX_CHARS))
    // the index's own order, so that a short prefix shared by thousands of titles stops at the limit
    .orderBy(sql`left(w.search_key, ${sql.lit(PREFIX_INDEX_CHARS)}) using ~<~`)
    .limit(TITLE_PREFIX_CANDIDATES);
  const anyMatch = matching().select(['w.id', 'w.title_key', 'w.search_key', 'w.sort_key']).limit(RANKED_CANDIDATES + 1);
  const allInTitle = sql.join(
    words.map((word) => sql`c.title_key like ${'%' + word + '%'}`),
    sql` and `,
  );
  const rank = sql<number>`row_number() over (order by
    case when c.title_key = ${phrase} then 0 when c.title_key like ${phrase + '%'} then 1 when ${allInTitle} then 2 else 3 end,
    word_similarity(${phrase}, case when ${allInTitle} then c.title_key else c.search_key end) desc,
    c.sort_key, c.id)`;
  // the rank is computed on the candidates' keys alone; only the page's works are read in full
  const rows = await db
    .with('matches', (qc) => qc.selectFrom(anyMatch.as('a')).selectAll())
    .with('candidates', (qc) => qc.selectFrom('matches').selectAll().union(qc.selectFrom(titlePrefix.as('p')).selectAll()))
    .with('page', (qc) => qc.selectFrom('candidates as c').select(['c.id', rank.as('ord')]).orderBy('ord').limit(limit).offset(offset))
    .selectFrom('page')
    .innerJoin('catalog.works as w', 'w.id', 'page.id')
    .select(HIT_COLUMNS)
    .select(sql<number>`(select count(*) from matches)`.as('matched'))
    .orderBy('page.ord')
    .execute();
  const candidates = rows.length ? Number(rows[0]!.matched) : offset === 0 ? 0 : -1;
  return { rows, candidates };
}

/**
 * One query word. Three letters or more: a substring anywhere in the key (trigram index).
 * Shorter: the start of a word, which pg_trgm can still serve because the space before it
 * is part of the pattern; the first word of the key (the title's) is matched through the
 * btree on the key's start.
 */
function wordCondition(word: string): Expression<SqlBool> {
  if (word.length >= SHORT_WORD) return sql<SqlBool>`w.search_key like ${'%' + word + '%'}`;
  return sql<SqlBool>`(left(w.search_key, ${sql.lit(PREFIX_INDEX_CHARS)}) like ${word + '%'} or w.search_key like ${'% ' + word + '%'})`;
}

function filterCondition(filters: SearchFilters, organisationId: number | null): Expression<SqlBool> {
  const parts = [sql`true`];
  if (filters.language) parts.push(sql`w.language = ${filters.language}`);
  if (filters.accessibleFormat === 'any') parts.push(sql`w.accessible_format is not null`);
  else if (filters.accessibleFormat) parts.push(sql`w.accessible_format = ${filters.accessibleFormat}`);
  if (filters.ageCategory) parts.push(sql`w.age_rating = ${filters.ageCategory}`);
  // fund and shelf filters speak of one library's copies; without a library they do not apply
  if (organisationId !== null && (filters.fund || filters.available)) {
    parts.push(sql`exists (select 1 from fund.copies fc where fc.work_id = w.id and fc.organisation_id = ${organisationId}
      ${filters.fund ? sql`and fc.fund = ${filters.fund}` : sql``}
      ${filters.available ? sql`and fc.status = 'available'` : sql`and fc.status not in ('written_off', 'lost')`})`);
  }
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

async function toHits(db: Executor, rows: HitRow[], organisationId: number | null): Promise<SearchHit[]> {
  const ids = rows.map((r) => r.id);
  const [authors, availability] = await Promise.all([authorsOf(db, ids), availabilityOf(db, organisationId, ids)]);
  return rows.map((r) => ({
    workId: r.id,
    title: r.title,
    subtitle: r.subtitle,
    authors: (authors.get(r.id) ?? []).map((a) => ({ id: a.id, name: a.name })),
    publishYear: r.publish_year,
    publisher: r.publisher,
    isbn: r.isbn,
    language: r.language,
    ageRating: r.age_rating,
    accessibleFormat: r.accessible_format,
    availability: availability.get(r.id) ?? { total: 0, available: 0, onLoan: 0 },
  }));
}

/** Copy counts of one library for the given works only (the page shown), in one query. */
export async function availabilityOf(db: Executor, organisationId: number | null, workIds: number[]): Promise<Map<number, Availability>> {
  const result = new Map<number, Availability>();
  if (organisationId === null || !workIds.length) return result;
  const rows = await db
    .selectFrom('fund.copies')
    .select([
      'work_id',
      sql<number>`count(*)`.as('total'),
      sql<number>`count(*) filter (where status = 'available')`.as('available'),
      sql<number>`count(*) filter (where status = 'on_loan')`.as('on_loan'),
    ])
    .where('organisation_id', '=', organisationId)
    .where('work_id', 'in', workIds)
    .where('status', 'not in', ['written_off', 'lost'])
    .groupBy('work_id')
    .execute();
  for (const r of rows) result.set(r.work_id, { total: Number(r.total), available: Number(r.available), onLoan: Number(r.on_loan) });
  return result;
}

/**
 * Whose copies the search counts: a signed-in member of a library sees the own library;
 * a visitor of the public catalogue (and a methodologist or admin looking at one school) names it.
 */
export function availabilityLibrary(actor: Actor | null, requested: number | undefined): number | null {
  if (actor && !belongsTo(actor, 'overseers')) return actor.organisationId;
  return requested ?? null;
}

/**
 * A search someone of a library submitted (not one typed ahead) that found nothing at all under any filter:
 * the library lacks it, and the librarian should know it was asked for (an unmet request, reference/service.ts).
 */
export async function noteIfNothingFound(db: Executor, actor: Actor | null, input: SearchInput, result: SearchResult): Promise<void> {
  const f = input.filters ?? {};
  const unfiltered = !f.language && !f.fund && !f.available && !f.accessibleFormat && !f.ageCategory;
  if (actor && result.total === 0 && (input.offset ?? 0) === 0 && unfiltered) await noteEmptySearch(db, actor, input.q);
}
