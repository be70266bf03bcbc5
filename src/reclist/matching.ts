import { sql, type ExpressionBuilder } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { foldForSearch, foldQuery } from '../catalog/folding.js';
import { searchCatalogue } from '../catalog/search.js';
import type { Database } from '../db/schema.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { AppError, conflict, notFound } from '../shared/errors.js';
import { findVersion } from './versions.js';
import type { Category, MatchMethod, MatchStatus } from './schema.js';

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

// ---- manual linking: a person links what the matcher did not find, and unlinks what it got wrong ----

interface EntryRow {
  id: number;
  year: number;
  entry_key: string;
  title: string;
  author: string;
  category: Category;
  isbn: string | null;
}

async function entryById(db: Executor, entryId: number): Promise<EntryRow> {
  const entry = await db
    .selectFrom('reclist.entries as e')
    .innerJoin('reclist.versions as v', 'v.id', 'e.version_id')
    .select(['e.id', 'v.year', 'e.entry_key', 'e.title', 'e.author', 'e.category', 'e.isbn'])
    .where('e.id', '=', entryId)
    .executeTakeFirst();
  if (!entry) throw new AppError('reclist.entry_not_found', 404, { id: entryId });
  return entry;
}

const workAuthors = (eb: ExpressionBuilder<Database & { w: Database['catalog.works'] }, 'w'>) =>
  eb
    .selectFrom('catalog.work_authors as wa')
    .innerJoin('catalog.authors as a', 'a.id', 'wa.author_id')
    .whereRef('wa.work_id', '=', 'w.id')
    .select(sql<string>`coalesce(string_agg(a.name, ', ' order by wa.position), '')`.as('authors'))
    .as('authors');

/**
 * The titles of a year's list (the latest by default) with the editions linked to each and the
 * proposals waiting, to find a title the matcher missed. `q` is folded like the catalogue search
 * and looked for in the title and author; `unmatched` keeps the titles without a confirmed edition.
 */
export async function matchingEntries(
  db: Executor,
  filter: { year?: number | null; q?: string; unmatched?: boolean; limit: number; offset: number },
) {
  const version = await findVersion(db, filter.year);
  let q = db.selectFrom('reclist.entries as e').where('e.version_id', '=', version.id);
  for (const word of foldQuery(filter.q ?? '').slice(0, 8)) {
    q = q.where(sql<boolean>`e.entry_key like ${`%${word.replace(/[%_\\]/g, '\\$&')}%`}`);
  }
  const countOf = (status: MatchStatus) => (eb: ExpressionBuilder<Database & { e: Database['reclist.entries'] }, 'e'>) =>
    eb
      .selectFrom('reclist.matches as m')
      .whereRef('m.entry_key', '=', 'e.entry_key')
      .where('m.status', '=', status)
      .select((x) => x.fn.countAll<number>().as('n'));
  if (filter.unmatched) {
    q = q.where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('reclist.matches as m').select('m.id').whereRef('m.entry_key', '=', 'e.entry_key').where('m.status', '=', 'confirmed'),
        ),
      ),
    );
  }
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select(['e.id', 'e.position', 'e.title', 'e.author', 'e.category', 'e.isbn'])
    .select((eb) => [countOf('confirmed')(eb).as('confirmed'), countOf('pending')(eb).as('pending')])
    .orderBy('e.position')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return {
    year: version.year,
    total: Number(total.n),
    items: rows.map((r) => ({
      id: r.id,
      position: r.position,
      title: r.title,
      author: r.author,
      category: r.category,
      isbn: r.isbn,
      confirmed: Number(r.confirmed ?? 0),
      pending: Number(r.pending ?? 0),
    })),
  };
}

function workView(r: { work_id: number; title: string; subtitle: string | null; authors: string | null; isbn: string | null; publish_year: number | null; publisher: string | null; language: string | null }) {
  return {
    id: r.work_id,
    title: r.title,
    subtitle: r.subtitle,
    authors: r.authors ?? '',
    isbn: r.isbn,
    publishYear: r.publish_year,
    publisher: r.publisher,
    language: r.language,
  };
}

/** One list title with every catalogue record decided or proposed for it: confirmed, waiting, rejected. */
export async function entryMatches(db: Executor, entryId: number) {
  const entry = await entryById(db, entryId);
  const rows = await db
    .selectFrom('reclist.matches as m')
    .innerJoin('catalog.works as w', 'w.id', 'm.work_id')
    .select(['m.id', 'm.status', 'm.method', 'm.decided_at', 'w.id as work_id', 'w.title', 'w.subtitle', 'w.isbn', 'w.publish_year', 'w.publisher', 'w.language'])
    .select((eb) => workAuthors(eb))
    .where('m.entry_key', '=', entry.entry_key)
    .orderBy(sql`case m.status when 'confirmed' then 0 when 'pending' then 1 else 2 end`)
    .orderBy('w.sort_key')
    .orderBy('m.id')
    .execute();
  return {
    entry: { id: entry.id, year: entry.year, title: entry.title, author: entry.author, category: entry.category, isbn: entry.isbn },
    matches: rows.map((r) => ({
      id: r.id,
      status: r.status,
      method: r.method,
      decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
      work: workView(r),
    })),
  };
}

/**
 * Catalogue records to link to a list title, found by the catalogue's own folded search (any
 * script, title, author or ISBN), each with the decision already taken for this title, if any.
 */
export async function linkCandidates(db: Executor, entryId: number, input: { q: string; limit: number }) {
  const entry = await entryById(db, entryId);
  const found = await searchCatalogue(db, { q: input.q, limit: input.limit });
  const ids = found.items.map((i) => i.workId);
  const decided = ids.length
    ? await db.selectFrom('reclist.matches').select(['id', 'work_id', 'status']).where('entry_key', '=', entry.entry_key).where('work_id', 'in', ids).execute()
    : [];
  const byWork = new Map(decided.map((d) => [d.work_id, d]));
  return {
    total: found.total,
    items: found.items.map((hit) => ({
      id: hit.workId,
      title: hit.title,
      subtitle: hit.subtitle,
      authors: hit.authors.map((a) => a.name).join(', '),
      isbn: hit.isbn,
      publishYear: hit.publishYear,
      publisher: hit.publisher,
      language: hit.language,
      match: byWork.has(hit.workId) ? { id: byWork.get(hit.workId)!.id, status: byWork.get(hit.workId)!.status } : null,
    })),
  };
}

/**
 * A person links a catalogue record to a list title as one of its editions (a title may have
 * several). A pair the matcher proposed or a person rejected before becomes confirmed; a new
 * pair is kept as a manual match. Linking an already confirmed pair changes nothing.
 */
export async function linkWork(db: Executor, actor: Actor, entryId: number, workId: number) {
  const entry = await entryById(db, entryId);
  const work = await db.selectFrom('catalog.works').select(['id', 'title']).where('id', '=', workId).executeTakeFirst();
  if (!work) throw new AppError('reclist.work_not_found', 404, { id: workId });
  const existing = await db
    .selectFrom('reclist.matches')
    .select(['id', 'status', 'method'])
    .where('entry_key', '=', entry.entry_key)
    .where('work_id', '=', workId)
    .forUpdate()
    .executeTakeFirst();
  if (existing?.status === 'confirmed') return { id: existing.id, status: existing.status, method: existing.method, changed: false };
  const decided = { status: 'confirmed' as const, decided_by: actor.userId, decided_at: new Date() };
  const row = existing
    ? await db.updateTable('reclist.matches').set(decided).where('id', '=', existing.id).returning(['id', 'status', 'method']).executeTakeFirstOrThrow()
    : await db
        .insertInto('reclist.matches')
        .values({ entry_key: entry.entry_key, work_id: workId, method: 'manual', ...decided })
        .onConflict((oc) => oc.columns(['entry_key', 'work_id']).doUpdateSet(decided))
        .returning(['id', 'status', 'method'])
        .executeTakeFirstOrThrow();
  await audit(db, actor, 'link', 'reclist_match', row.id, { entryKey: entry.entry_key, title: entry.title, workId, was: existing?.status ?? null });
  return { id: row.id, status: row.status, method: row.method, changed: true };
}

/**
 * Unlinks a wrong confirmed match. The pair is kept as rejected rather than deleted, so the next
 * matching run does not confirm it again; linking it by hand later restores it.
 */
export async function unlinkMatch(db: Executor, actor: Actor, matchId: number) {
  const match = await db.selectFrom('reclist.matches').select(['id', 'status', 'entry_key', 'work_id']).where('id', '=', matchId).forUpdate().executeTakeFirst();
  if (!match) throw notFound('reclist_match', matchId);
  if (match.status !== 'confirmed') throw conflict('reclist.match_not_confirmed');
  const updated = await db
    .updateTable('reclist.matches')
    .set({ status: 'rejected', decided_by: actor.userId, decided_at: new Date() })
    .where('id', '=', matchId)
    .returning(['id', 'status'])
    .executeTakeFirstOrThrow();
  await audit(db, actor, 'unlink', 'reclist_match', matchId, { entryKey: match.entry_key, workId: match.work_id });
  return { id: updated.id, status: updated.status };
}
