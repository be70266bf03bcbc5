import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { foldForSearch, searchKey } from './folding.js';

/**
 * The folding that made the stored search keys. Raise it whenever catalog/folding.ts folds any text
 * differently: the next start computes every key again.
 *   1 — Kazakh and Russian only; other scripts folded to nothing
 *   2 — every script keeps its letters, Latin transliteration added, passport endings (-yev)
 */
export const FOLDING_VERSION = 2;

const BATCH = 1000;

/** Computes the search keys of works, authors and readers again when they were made by an older folding. */
export async function refreshSearchKeys(db: Db, log: (message: string) => void = () => {}): Promise<boolean> {
  const row = await db.selectFrom('catalog.search_key_version').select('version').executeTakeFirst();
  if (row && row.version >= FOLDING_VERSION) return false;
  log('Search keys were made by an older folding: computing them again…');
  await rekeyAuthors(db);
  await rekeyWorks(db);
  await rekeyReaders(db);
  await db.updateTable('catalog.search_key_version').set({ version: FOLDING_VERSION }).execute();
  return true;
}

async function rekeyAuthors(db: Db) {
  for (let after = 0; ; ) {
    const rows = await db.selectFrom('catalog.authors').select(['id', 'name', 'variants']).where('id', '>', after).orderBy('id').limit(BATCH).execute();
    if (!rows.length) return;
    after = rows[rows.length - 1]!.id;
    await updateKeys(db, 'catalog.authors', rows.map((r) => ({ id: r.id, search_key: searchKey(r.name, ...(r.variants ?? [])) })));
  }
}

async function rekeyWorks(db: Db) {
  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom('catalog.works as w')
      .select(['w.id', 'w.title', 'w.subtitle', 'w.isbn'])
      .select(sql<string[]>`coalesce((select array_agg(a.name order by wa.position) from catalog.work_authors wa join catalog.authors a on a.id = wa.author_id where wa.work_id = w.id), '{}')`.as('names'))
      .where('w.id', '>', after)
      .orderBy('w.id')
      .limit(BATCH)
      .execute();
    if (!rows.length) return;
    after = rows[rows.length - 1]!.id;
    await updateKeys(
      db,
      'catalog.works',
      rows.map((r) => ({ id: r.id, search_key: searchKey(r.title, r.subtitle, ...r.names, r.isbn), title_key: foldForSearch(r.title) })),
    );
  }
}

async function rekeyReaders(db: Db) {
  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom('readers.readers')
      .select(['id', 'last_name', 'first_name', 'middle_name', 'registration_number', 'barcode', 'anonymised_at'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (!rows.length) return;
    after = rows[rows.length - 1]!.id;
    await updateKeys(
      db,
      'readers.readers',
      rows.map((r) => ({
        id: r.id,
        search_key: r.anonymised_at ? searchKey(r.registration_number) : searchKey(r.last_name, r.first_name, r.middle_name, r.registration_number, r.barcode),
      })),
    );
  }
}

async function updateKeys(db: Db, table: string, rows: { id: number; search_key: string; title_key?: string }[]) {
  if (!rows.length) return;
  const withTitle = rows[0]!.title_key !== undefined;
  const values = sql.join(rows.map((r) => (withTitle ? sql`(${r.id}::int8, ${r.search_key}, ${r.title_key})` : sql`(${r.id}::int8, ${r.search_key})`)));
  const t = sql.table(table);
  if (withTitle) {
    await sql`update ${t} as x set search_key = v.k, title_key = v.t from (values ${values}) as v(id, k, t) where x.id = v.id`.execute(db);
  } else {
    await sql`update ${t} as x set search_key = v.k from (values ${values}) as v(id, k) where x.id = v.id`.execute(db);
  }
}

