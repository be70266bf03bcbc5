/**
 * The catalogue records that the rows of an opening-balance template describe (title, author, year, BBK …),
 * found or catalogued a chunk at a time. A fund of 60,000 copies names thousands of titles; cataloguing them
 * one by one through `createWork` cost a dozen statements each (insert, authors, author sign, search key, audit
 * line) and most of a 60,000-copy load. Here a chunk's new records cost the same few statements whether it brings
 * 3 titles or 2,000: one lookup of the titles, the authors resolved as the MARC import resolves them
 * (`AuthorResolver`: one lookup, one insert of the new ones), one insert of the works with the keys
 * `createWork` would give them, one of their author links and one audit line with their count.
 */
import { sql } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import { listAuthorSigns, signFromTable, surnameOf, type AuthorSignEntry } from '../../catalog/author-signs.js';
import { foldForSearch, kazakhSortKey, searchKey } from '../../catalog/folding.js';
import type { PublicationType } from '../../catalog/schema.js';
import type { Executor } from '../../db/executor.js';
import { AuthorResolver, type LinkedAuthor } from '../../interop/authority.js';
import { insertRows } from '../../interop/bulk.js';
import { audit } from '../../org/audit.js';

/** A work described by a template row, when no catalogue id is given. */
export interface OpeningWorkInput {
  title: string;
  author?: string | null;
  year?: number | null;
  bbk?: string | null;
  udc?: string | null;
  language?: string | null;
  publicationType?: PublicationType;
}

/** The columns of a work that decide a copy's register, group, language, type and children's column. */
export type WorkFacts = {
  id: number; bbk: string | null; udc: string | null; knowledge_group: string | null; language: string | null; pages: number | null;
  publication_type: string; age_rating: string | null;
};

/** What one load (a file, a scanning session) has learnt of the catalogue, kept from chunk to chunk. */
export interface WorkCache {
  /** Work key (folded title, first author word, year) → catalogue id. */
  works: Map<string, number>;
  /** The work key of each distinct title, author and year met (folding is the costly part of the key). */
  keys?: Map<string, string>;
  authors?: AuthorResolver;
  /** What the register needs of each work met (its columns are fixed at receipt from these). */
  facts?: Map<number, WorkFacts>;
  /** The author-sign table by initial letter, and the signs already worked out by surname. */
  signTable?: Map<string, AuthorSignEntry[]>;
  signs?: Map<string, string | null>;
}

/** Work key (folded title, first author word, year) of a described work: folded once per distinct title, author and year. */
export function workKey(cache: WorkCache, w: OpeningWorkInput): string {
  const raw = `${w.title}\u0000${w.author ?? ''}\u0000${w.year ?? ''}`;
  cache.keys ??= new Map();
  let key = cache.keys.get(raw);
  if (key === undefined) {
    key = [foldForSearch(w.title), foldForSearch(w.author ?? '').split(' ')[0] ?? '', w.year ?? ''].join('|');
    cache.keys.set(raw, key);
  }
  return key;
}

/** The authors' names of a template cell: «Әуезов М.; Толстой Л.» → two names, as createWork splits them. */
export const authorNames = (author: string | null | undefined) => (author ?? '').split(/\s*;\s*/).map((n) => n.trim()).filter(Boolean);

const LETTER = /\p{L}/u;
/** The first letter, upper case: the author-sign table is looked up by it (as `authorSignFor` does with `LIKE 'Л%'`). */
const initialOf = (word: string) => [...word.normalize('NFC')].find((c) => LETTER.test(c))?.toUpperCase() ?? '';

/** The author sign `deriveAuthorSign` would give: by the first author's surname, or the title's first word. */
async function authorSign(db: Executor, cache: WorkCache, author: string | undefined, title: string): Promise<string | null> {
  const word = author?.trim() ? surnameOf(author) : (title.trim().split(/\s+/)[0] ?? '');
  if (!word || !initialOf(word)) return null;
  cache.signs ??= new Map();
  const known = cache.signs.get(word);
  if (known !== undefined) return known;
  if (!cache.signTable) {
    cache.signTable = new Map();
    for (const entry of await listAuthorSigns(db)) {
      const letter = initialOf(entry.prefix);
      cache.signTable.set(letter, [...(cache.signTable.get(letter) ?? []), entry]);
    }
  }
  const sign = signFromTable(cache.signTable.get(initialOf(word)) ?? [], word);
  cache.signs.set(word, sign);
  return sign;
}

const WORK_COLUMNS = [
  ['id', 'bigint'], ['title', 'text'], ['publish_year', 'smallint'], ['language', 'text'], ['bbk', 'text'], ['udc', 'text'],
  ['publication_type', 'text'], ['author_sign', 'text'], ['search_key', 'text'], ['title_key', 'text'], ['sort_key', 'text'],
].map(([name, type]) => ({ name: name!, type: type! }));
const LINK_COLUMNS = [
  { name: 'work_id', type: 'bigint' }, { name: 'author_id', type: 'bigint' }, { name: 'role', type: 'text' }, { name: 'position', type: 'smallint' },
];

/**
 * Finds the catalogue record each described work stands for (same folded title, an author word in common, the same
 * year when given) or catalogues it, and records the id under `workKey` in `cache.works`. The values must have been
 * checked already (BBK, UDC, year: templateRowInput reports them by row). `db` should be the chunk's transaction.
 */
export async function resolveWorksInBulk(db: Executor, actor: Actor, cache: WorkCache, wanted: OpeningWorkInput[]): Promise<number> {
  const missing = new Map<string, OpeningWorkInput>();
  for (const w of wanted) {
    const key = workKey(cache, w);
    if (!cache.works.has(key) && !missing.has(key)) missing.set(key, w);
  }
  if (!missing.size) return 0;
  const titleKeys = [...new Set([...missing.values()].map((w) => foldForSearch(w.title)))];
  const { rows } = await sql<WorkFacts & { title_key: string; publish_year: number | null; authors: string | null }>`
    SELECT w.id, w.title_key, w.publish_year, w.bbk, w.udc, w.knowledge_group, w.language, w.pages, w.publication_type, w.age_rating,
           (SELECT string_agg(a.search_key, ' ') FROM catalog.work_authors wa JOIN catalog.authors a ON a.id = wa.author_id
             WHERE wa.work_id = w.id) AS authors
      FROM catalog.works w WHERE w.title_key = any(${titleKeys}::text[]) ORDER BY w.id`.execute(db);
  const byTitle = new Map<string, typeof rows>();
  for (const r of rows) byTitle.set(r.title_key, [...(byTitle.get(r.title_key) ?? []), r]);
  const fresh: [string, OpeningWorkInput][] = [];
  for (const [key, w] of missing) {
    const authorWords = foldForSearch(w.author ?? '').split(' ').filter((x) => x.length > 2);
    const found = (byTitle.get(foldForSearch(w.title)) ?? []).find(
      (r) =>
        (w.year == null || r.publish_year === w.year) &&
        (!authorWords.length || authorWords.some((word) => (r.authors ?? '').includes(word))),
    );
    if (found) {
      const id = Number(found.id);
      cache.works.set(key, id);
      cache.facts ??= new Map();
      cache.facts.set(id, { id, bbk: found.bbk, udc: found.udc, knowledge_group: found.knowledge_group, language: found.language, pages: found.pages,
        publication_type: found.publication_type, age_rating: found.age_rating });
    } else fresh.push([key, w]);
  }
  if (!fresh.length) return 0;

  cache.authors ??= new AuthorResolver(actor);
  const linked: Map<string, LinkedAuthor> = await cache.authors.resolve(db, fresh.flatMap(([, w]) => authorNames(w.author)));
  const { rows: ids } = await sql<{ id: number }>`SELECT nextval('catalog.works_id_seq')::int8 AS id FROM generate_series(1, ${fresh.length})`.execute(db);
  const works: Record<string, unknown>[] = [];
  const links: Record<string, unknown>[] = [];
  for (const [i, [key, w]] of fresh.entries()) {
    const id = Number(ids[i]!.id);
    const title = w.title.trim();
    const authors: LinkedAuthor[] = [];
    for (const name of authorNames(w.author)) {
      const a = linked.get(name)!;
      if (!authors.some((x) => x.id === a.id)) authors.push(a);
    }
    const work = {
      id,
      title,
      publish_year: w.year ?? null,
      language: w.language?.trim() || null,
      bbk: w.bbk?.trim() || null,
      udc: w.udc?.trim() || null,
      publication_type: w.publicationType ?? 'book',
      author_sign: await authorSign(db, cache, authors[0]?.names[0], title),
      // as refreshWorkSearchKey computes them: the title, then every author's name and variants
      search_key: searchKey(title, ...authors.flatMap((a) => a.names)),
      title_key: foldForSearch(title),
      sort_key: kazakhSortKey(title),
    };
    works.push(work);
    authors.forEach((a, position) => links.push({ work_id: id, author_id: a.id, role: 'author', position }));
    cache.works.set(key, id);
    cache.facts ??= new Map();
    cache.facts.set(id, { id, bbk: work.bbk, udc: work.udc, knowledge_group: null, language: work.language, pages: null,
      publication_type: work.publication_type, age_rating: null });
  }
  await insertRows(db, 'catalog.works', WORK_COLUMNS, works);
  await insertRows(db, 'catalog.work_authors', LINK_COLUMNS, links);
  // one audit line for the records a chunk catalogued, with their count, as the MARC import writes for its chunks
  // (a line per record, with its indexes, cost as much as the record itself)
  await audit(db, actor, 'import', 'work', null, { created: fresh.length });
  return fresh.length;
}
