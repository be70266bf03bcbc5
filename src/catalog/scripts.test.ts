import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connect.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { findOrCreateAuthor } from './authors.js';
import { refreshSearchKeys, FOLDING_VERSION } from './rekey.js';
import { searchCatalogue } from './search.js';
import { createWork } from './works.js';

const NAMES = [
  ['Νίκος Καζαντζάκης', 'Βίος και πολιτεία του Αλέξη Ζορμπά'],
  ['نجيب محفوظ', 'اللص والكلاب'],
  ['Հովհաննես Թումանյան', 'Անուշ'],
  ['შოთა რუსთაველი', 'ვეფხისტყაოსანი'],
  ['עמוס עוז', 'סיפור על אהבה וחושך'],
  ['鲁迅', '阿Q正传'],
  ['村上春樹', 'ノルウェイの森'],
] as const;

describe.each(BACKENDS)('works and authors in every script on %s', (backend) => {
  let database: DatabaseHandle;
  const works = new Map<string, number>();

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    for (const [author, title] of NAMES) works.set(author, await createWork(database.db, null, { title, authors: [{ name: author }] } as never));
  });
  afterAll(async () => {
    await database?.close();
  });

  it('keeps every author apart instead of merging them into one with an empty key', async () => {
    const authors = await database.db.selectFrom('catalog.authors').select(['name', 'search_key']).execute();
    expect(authors).toHaveLength(NAMES.length);
    for (const a of authors) expect(a.search_key).not.toBe('');
    // the same name typed again finds the same author
    const first = await findOrCreateAuthor(database.db, null, { name: 'Νίκος Καζαντζάκης' });
    expect(await findOrCreateAuthor(database.db, null, { name: 'ΝΙΚΟΣ ΚΑΖΑΝΤΖΑΚΗΣ' })).toBe(first);
  });

  it('finds each work by its author in its own script, and only that work', async () => {
    for (const [author] of NAMES) {
      const found = await searchCatalogue(database.db, { q: author });
      expect(found.items.map((i) => i.workId), author).toEqual([works.get(author)]);
    }
  });

  it('finds a Greek author by a Latin transliteration', async () => {
    const found = await searchCatalogue(database.db, { q: 'Kazantzakis' });
    expect(found.items.map((i) => i.workId)).toEqual([works.get('Νίκος Καζαντζάκης')]);
  });

  it('computes keys made by an older folding again at start, once', async () => {
    const greek = works.get('Νίκος Καζαντζάκης')!;
    // as the older folding stored them: every non-Latin, non-Cyrillic letter gone
    await sql`update catalog.works set search_key = '', title_key = ''`.execute(database.db);
    await sql`update catalog.authors set search_key = ''`.execute(database.db);
    await sql`update catalog.search_key_version set version = 1`.execute(database.db);
    expect(await refreshSearchKeys(database.db)).toBe(true);
    expect(await refreshSearchKeys(database.db)).toBe(false);
    const row = await database.db.selectFrom('catalog.search_key_version').select('version').executeTakeFirstOrThrow();
    expect(row.version).toBe(FOLDING_VERSION);
    const found = await searchCatalogue(database.db, { q: 'Καζαντζάκης' });
    expect(found.items.map((i) => i.workId)).toEqual([greek]);
  });
});
