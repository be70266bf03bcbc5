import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { createAuthor, findAuthor, findOrCreateAuthor, getAuthor, nameMatchKey, updateAuthor } from './authors.js';

describe('author name matching', () => {
  it('ignores word order, script and the Kazakh letters', () => {
    const key = nameMatchKey('Абай Құнанбайұлы');
    expect(nameMatchKey('Құнанбайұлы, Абай')).toBe(key);
    expect(nameMatchKey('Abai Qunanbaiuly')).toBe(key);
    expect(nameMatchKey('Кунанбайулы Абай')).toBe(key);
  });

  it('keeps different people apart', () => {
    expect(nameMatchKey('Мұхтар Әуезов')).not.toBe(nameMatchKey('Мұхтар Мағауин'));
    expect(nameMatchKey('  ')).toBe('');
  });
});

describe.each(BACKENDS)('the author authority on %s', (backend) => {
  let database: DatabaseHandle;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('finds Abai again however the cataloguer types him, and tells namesakes apart by birth year', async () => {
    const db = database.db;
    const abai = await createAuthor(db, null, { name: 'Абай Құнанбайұлы', variants: ['Абай Кунанбаев'], birthDate: '1845-08-10', deathDate: '1904-07-06' });
    expect(await findOrCreateAuthor(db, null, { name: 'Құнанбайұлы, Абай' })).toBe(abai);
    expect(await findOrCreateAuthor(db, null, { name: 'Abai Qunanbaiuly', birthDate: '1845-08-10' })).toBe(abai);
    expect(await findAuthor(db, { name: 'Кунанбаев Абай' })).toBe(abai);
    const namesake = await findOrCreateAuthor(db, null, { name: 'Абай Құнанбайұлы', birthDate: '1990-01-01' });
    expect(namesake).not.toBe(abai);
    expect((await getAuthor(db, abai)).deathDate).toBe('1904-07-06');
  });

  it('refuses a death before the birth and an empty name, and writes nothing', async () => {
    const db = database.db;
    const before = await db.selectFrom('catalog.authors').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(createAuthor(db, null, { name: 'Шоқан Уәлиханов', birthDate: '1865-11-01', deathDate: '1835-04-10' })).rejects.toMatchObject({
      code: 'catalog.author_dates',
      params: { birth: '1865-11-01', death: '1835-04-10' },
    });
    await expect(createAuthor(db, null, { name: '   ' })).rejects.toMatchObject({ code: 'catalog.author_name_required' });
    const shoqan = await createAuthor(db, null, { name: 'Шоқан Уәлиханов', birthDate: '1835-11-01' });
    await expect(updateAuthor(db, null, shoqan, { deathDate: '1800-01-01' })).rejects.toMatchObject({ code: 'catalog.author_dates' });
    const after = await db.selectFrom('catalog.authors').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1);
    expect((await getAuthor(db, shoqan)).deathDate).toBeNull();
  });
});
