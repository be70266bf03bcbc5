import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { foldForSearch } from '../catalog/folding.js';
import { audit, type Executor } from '../org/audit.js';
import { notFound } from '../shared/errors.js';
import { findVersion } from './versions.js';
import type { MatchMethod, MatchStatus } from './schema.js';

interface Candidate {
  workId: number;
  status: MatchStatus;
  method: MatchMethod;
}

interface EntryToMatch {
  entry_key: string;
  title: string;
  author: string;
  isbn: string | null;
}

interface WorkFound {
  id: number;
  title: string;
  authors: string[];
}

/**
 * Finds the catalogue editions of every title of a list version. An ISBN, or the same title by
 * the same author (folded across scripts), is confident and applied at once; the same title by
 * another or no author, or a longer title by the same author, waits for a person in the review
 * queue. Pairs already decided, either way, are never proposed again.
 */
export async function runMatching(db: Executor, actor: Actor, year?: number | null) {
  const version = await findVersion(db, year);
  const entries = await db
    .selectFrom('reclist.entries')
    .select(['entry_key', 'title', 'author', 'isbn'])
    .where('version_id', '=', version.id)
    .orderBy('position')
    .execute();
  const known = await knownPairs(db, entries.map((e) => e.entry_key));
  const byIsbn = await worksByIsbn(db, entries.flatMap((e) => (e.isbn ? [e.isbn] : [])));

  let confirmed = 0;
  let pending = 0;
  for (const entry of entries) {
    const candidates = [
      ...(byIsbn.get(entry.isbn ?? '') ?? []).map((workId): Candidate => ({ workId, status: 'confirmed', method: 'isbn' })),
      ...judge(entry, await worksLike(db, foldForSearch(entry.title))),
    ];
    const fresh = dedupe(candidates).filter((c) => !known.has(`${entry.entry_key}\u0000${c.workId}`));
    if (fresh.length === 0) continue;
    await db
      .insertInto('reclist.matches')
      .values(
        fresh.map((c) => ({
          entry_key: entry.entry_key,
          work_id: c.workId,
          status: c.status,
          method: c.method,
          decided_by: null,
          decided_at: null,
        })),
      )
      .execute();
    confirmed += fresh.filter((c) => c.status === 'confirmed').length;
    pending += fresh.filter((c) => c.status === 'pending').length;
  }
  const matchedTitles = await db
    .selectFrom('reclist.entries as e')
    .where('e.version_id', '=', version.id)
    .where((eb) =>
      eb.exists(
        eb.selectFrom('reclist.matches as m').select('m.id').whereRef('m.entry_key', '=', 'e.entry_key').where('m.status', '=', 'confirmed'),
      ),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await audit(db, actor, 'match', 'reclist_version', version.year, { confirmed, pending });
  return { year: version.year, titles: entries.length, matchedTitles: Number(matchedTitles.n), confirmed, pending };
}

/** Decides the catalogue candidates found for one title. */
export function judge(entry: EntryToMatch, works: WorkFound[]): Candidate[] {
  const title = foldForSearch(entry.title);
  const authorWords = significantWords(entry.author);
  const out: Candidate[] = [];
  for (const work of works) {
    const workTitle = foldForSearch(work.title);
    const sameAuthor = authorWords.size > 0 && work.authors.some((a) => [...significantWords(a)].some((w) => authorWords.has(w)));
    if (workTitle === title) {
      out.push(sameAuthor || (authorWords.size === 0 && work.authors.length === 0)
        ? { workId: work.id, status: 'confirmed', method: 'author_title' }
        : { workId: work.id, status: 'pending', method: 'title' });
    } else if (sameAuthor && (workTitle.startsWith(`${title} `) || title.startsWith(`${workTitle} `))) {
      out.push({ workId: work.id, status: 'pending', method: 'author_title' });
    }
  }
  return out;
}

// Initials and short particles ("М.", "ibn") say little about who the author is.
function significantWords(name: string): Set<string> {
  return new Set(foldForSearch(name).split(' ').filter((w) => w.length >= 3));
}

function dedupe(candidates: Candidate[]): Candidate[] {
  const seen = new Map<number, Candidate>();
  for (const c of candidates) if (!seen.has(c.workId)) seen.set(c.workId, c);
  return [...seen.values()];
}

async function knownPairs(db: Executor, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('reclist.matches').select(['entry_key', 'work_id']).where('entry_key', 'in', keys).execute();
  return new Set(rows.map((r) => `${r.entry_key}\u0000${r.work_id}`));
}

async function worksByIsbn(db: Executor, isbns: string[]): Promise<Map<string, number[]>> {
  const map = new Map<string, number[]>();
  if (isbns.length === 0) return map;
  const rows = await db.selectFrom('catalog.works').select(['id', 'isbn']).where('isbn', 'in', isbns).execute();
  for (const r of rows) map.set(r.isbn!, [...(map.get(r.isbn!) ?? []), r.id]);
  return map;
}

/** Works whose search key contains the folded title (the trigram index serves the LIKE). */
async function worksLike(db: Executor, foldedTitle: string): Promise<WorkFound[]> {
  if (!foldedTitle) return [];
  const pattern = `%${foldedTitle.replace(/[%_\\]/g, '\\$&')}%`;
  const rows = await db
    .selectFrom('catalog.works as w')
    .leftJoin('catalog.work_authors as wa', 'wa.work_id', 'w.id')
    .leftJoin('catalog.authors as a', 'a.id', 'wa.author_id')
    .select(['w.id', 'w.title', 'a.name'])
    .where(sql<boolean>`w.search_key like ${pattern}`)
    .limit(200)
    .execute();
  const works = new Map<number, WorkFound>();
  for (const r of rows) {
    const w = works.get(r.id) ?? { id: r.id, title: r.title, authors: [] };
    if (r.name) w.authors.push(r.name);
    works.set(r.id, w);
  }
  return [...works.values()];
}

/** The matches waiting for a person, oldest first, with the list title and the catalogue record side by side. */
export async function reviewQueue(db: Executor, page: { limit: number; offset: number }) {
  const base = db.selectFrom('reclist.matches as m').where('m.status', '=', 'pending');
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .innerJoin('catalog.works as w', 'w.id', 'm.work_id')
    .innerJoin(
      (eb) =>
        eb
          .selectFrom('reclist.entries as e')
          .innerJoin('reclist.versions as v', 'v.id', 'e.version_id')
          .distinctOn('e.entry_key')
          .select(['e.entry_key', 'e.title', 'e.author', 'e.category', 'e.isbn'])
          .orderBy('e.entry_key')
          .orderBy('v.year', 'desc')
          .as('entry'),
      (join) => join.onRef('entry.entry_key', '=', 'm.entry_key'),
    )
    .select([
      'm.id',
      'm.method',
      'entry.title as entry_title',
      'entry.author as entry_author',
      'entry.category',
      'entry.isbn as entry_isbn',
      'w.id as work_id',
      'w.title as work_title',
      'w.isbn as work_isbn',
      'w.publish_year',
      'w.publisher',
      'w.language',
    ])
    .select((eb) =>
      eb
        .selectFrom('catalog.work_authors as wa')
        .innerJoin('catalog.authors as a', 'a.id', 'wa.author_id')
        .whereRef('wa.work_id', '=', 'w.id')
        .select(sql<string>`coalesce(string_agg(a.name, ', ' order by wa.position), '')`.as('authors'))
        .as('work_authors'),
    )
    .orderBy('m.created_at')
    .orderBy('m.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    total: Number(total.n),
    items: rows.map((r) => ({
      id: r.id,
      method: r.method,
      entry: { title: r.entry_title, author: r.entry_author, category: r.category, isbn: r.entry_isbn },
      work: {
        id: r.work_id,
        title: r.work_title,
        authors: r.work_authors ?? '',
        isbn: r.work_isbn,
        publishYear: r.publish_year,
        publisher: r.publisher,
        language: r.language,
      },
    })),
  };
}

/** A person confirms or rejects a proposed match; the decision is kept for later years too. */
export async function decideMatch(db: Executor, actor: Actor, matchId: number, decision: 'confirmed' | 'rejected') {
  const updated = await db
    .updateTable('reclist.matches')
    .set({ status: decision, decided_by: actor.userId, decided_at: new Date() })
    .where('id', '=', matchId)
    .returning(['id', 'entry_key', 'work_id', 'status'])
    .executeTakeFirst();
  if (!updated) throw notFound('reclist_match', matchId);
  await audit(db, actor, decision === 'confirmed' ? 'confirm' : 'reject', 'reclist_match', matchId, { workId: updated.work_id });
  return { id: updated.id, status: updated.status };
}
