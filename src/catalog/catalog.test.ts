import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import { searchCatalogue, TOTAL_CAP } from './search.js';
import { createWork } from './works.js';

const ABAI = { name: 'Абай Құнанбайұлы', variants: ['Abai Qunanbaiuly'], birthDate: '1845-08-10', deathDate: '1904-07-06' };

describe.each(BACKENDS)('the catalogue and its search on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let qaraSozder: number;
  let abaiJoly: number;
  let visitor: ApiClient;
  let librarianA: ApiClient;
  let librarianB: ApiClient;

  const countWorks = async () =>
    Number((await sql<{ n: number }>`select count(*) as n from catalog.works`.execute(database.db)).rows[0]!.n);

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    const db = database.db;
    qaraSozder = await createWork(db, null, { title: 'Қара сөздер', language: 'kaz', publishYear: 2020, publisher: 'Жазушы', authors: [ABAI] });
    abaiJoly = await createWork(db, null, { title: 'Абай жолы', language: 'kaz', publishYear: 2019, authors: [{ name: 'Мұхтар Әуезов' }] });
    await createWork(db, null, { title: 'Путь Абая', language: 'rus', authors: [{ name: 'Мухтар Ауэзов' }] });
    await createWork(db, null, { title: 'Қазақ ертегілері', language: 'kaz' });
    // school A: one on the shelf, one on loan, one written off; school B: two on the shelf
    await makeCopy(db, tenants.schoolA.id, qaraSozder);
    const onLoan = await makeCopy(db, tenants.schoolA.id, qaraSozder);
    const gone = await makeCopy(db, tenants.schoolA.id, qaraSozder);
    await db.updateTable('fund.copies').set({ status: 'on_loan' }).where('id', '=', onLoan.id).execute();
    await db.updateTable('fund.copies').set({ status: 'written_off' }).where('id', '=', gone.id).execute();
    await makeCopy(db, tenants.schoolB.id, qaraSozder);
    await makeCopy(db, tenants.schoolB.id, qaraSozder);
    visitor = new ApiClient(app);
    librarianA = new ApiClient(app);
    await librarianA.login('librarian-a');
    librarianB = new ApiClient(app);
    await librarianB.login('librarian-b');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it.each(['Абай', 'Abai', 'Abay', 'Құнанбайұлы', 'Кунанбайулы', 'Qūnanbaiūly'])(
    'a pupil typing «%s» finds «Қара сөздер» by Абай Құнанбайұлы',
    async (spelling) => {
      const res = await visitor.get(`/api/catalog/search?q=${encodeURIComponent(spelling)}`);
      expect(res.status).toBe(200);
      const hit = res.body.items.find((i: { workId: number }) => i.workId === qaraSozder);
      expect(hit).toMatchObject({ title: 'Қара сөздер', publishYear: 2020, publisher: 'Жазушы', language: 'kaz' });
      expect(hit.authors).toEqual([{ id: expect.any(Number), name: 'Абай Құнанбайұлы' }]);
    },
  );

  it('ranks a title match above a work found only by its author', async () => {
    const { items, total } = await searchCatalogue(database.db, { q: 'абай', limit: 10 });
    const ids = items.map((i) => i.workId);
    expect(ids[0]).toBe(abaiJoly);
    expect(ids).toContain(qaraSozder);
    expect(ids.indexOf(abaiJoly)).toBeLessThan(ids.indexOf(qaraSozder));
    expect(total).toBe(3);
  });

  it('needs every word of the query, in any order and script', async () => {
    const res = await searchCatalogue(database.db, { q: 'sozder kara', limit: 10 });
    expect(res.items.map((i) => i.title)).toEqual(['Қара сөздер']);
    expect((await searchCatalogue(database.db, { q: 'Абай ертегі', limit: 10 })).total).toBe(0);
  });

  it('answers one or two letters with the titles that start with them', async () => {
    expect((await searchCatalogue(database.db, { q: 'Қа', limit: 10 })).items.map((i) => i.title)).toEqual(['Қазақ ертегілері', 'Қара сөздер']);
    expect((await searchCatalogue(database.db, { q: 'п', limit: 10 })).items.map((i) => i.title)).toEqual(['Путь Абая']);
  });

  it('filters by language and pages through the results', async () => {
    const rus = await searchCatalogue(database.db, { q: 'абай', limit: 10, filters: { language: 'rus' } });
    expect(rus.items.map((i) => i.title)).toEqual(['Путь Абая']);
    const page2 = await searchCatalogue(database.db, { q: 'абай', limit: 2, offset: 2 });
    expect(page2.items).toHaveLength(1);
    expect(page2.total).toBe(3);
  });

  it('caps the count of a vague query, and still puts the exact title first', async () => {
    // 520 collections of fairy tales catalogued before the one titled just «Ертегілер»
    await sql`insert into catalog.works (title, search_key, title_key, sort_key, language)
      select 'Ертегілер жинағы ' || n, 'ertegiler jinagi ' || n, 'ertegiler jinagi ' || n, '', 'kaz'
      from generate_series(1, 520) as n`.execute(database.db);
    const exact = await createWork(database.db, null, { title: 'Ертегілер', language: 'kaz' });
    const res = await searchCatalogue(database.db, { q: 'ertegiler', limit: 5 });
    expect(TOTAL_CAP).toBeLessThan(520);
    expect(res.total).toBe(TOTAL_CAP);
    expect(res.totalCapped).toBe(true);
    expect(res.items[0]!.workId).toBe(exact);
    const precise = await searchCatalogue(database.db, { q: 'ertegiler jinagi 517', limit: 5 });
    expect(precise).toMatchObject({ total: 1, totalCapped: false });
    expect(precise.items[0]!.title).toBe('Ертегілер жинағы 517');
    await sql`delete from catalog.works where title like 'Ертегілер жинағы %'`.execute(database.db);
  });

  it("counts the copies of the reader's own library only", async () => {
    const own = await librarianA.get('/api/catalog/search?q=қара сөздер');
    expect(own.body.items[0].availability).toEqual({ total: 2, available: 1, onLoan: 1 });
    const other = await librarianB.get(`/api/catalog/search?q=қара сөздер&organisationId=${tenants.schoolA.id}`);
    expect(other.body.items[0].availability).toEqual({ total: 2, available: 2, onLoan: 0 });
    const publicB = await visitor.get(`/api/catalog/search?q=қара сөздер&organisationId=${tenants.schoolB.id}`);
    expect(publicB.body.items[0].availability).toEqual({ total: 2, available: 2, onLoan: 0 });
    const nowhere = await visitor.get('/api/catalog/search?q=қара сөздер');
    expect(nowhere.body.items[0].availability).toEqual({ total: 0, available: 0, onLoan: 0 });
    const onShelf = await librarianA.get('/api/catalog/search?q=абай&available=true');
    expect(onShelf.body.items.map((i: { workId: number }) => i.workId)).toEqual([qaraSozder]);
  });

  it("shows a record to anyone, and its copies only to the own library's librarian", async () => {
    const open = await visitor.get(`/api/catalog/works/${qaraSozder}`);
    expect(open.status).toBe(200);
    expect(open.body.authors[0]).toMatchObject({ name: 'Абай Құнанбайұлы', birthDate: '1845-08-10', role: 'author' });
    expect(open.body.copies).toBeUndefined();
    const a = await librarianA.get(`/api/catalog/works/${qaraSozder}`);
    expect(a.body.copies).toHaveLength(3);
    expect(a.body.copies.map((c: { status: string }) => c.status).sort()).toEqual(['available', 'on_loan', 'written_off']);
    const b = await librarianB.get(`/api/catalog/works/${qaraSozder}`);
    expect(b.body.copies).toHaveLength(2);
    const aIds = new Set(a.body.copies.map((c: { id: number }) => c.id));
    expect(b.body.copies.some((c: { id: number }) => aIds.has(c.id))).toBe(false);
    expect((await visitor.get('/api/catalog/works/999999')).status).toBe(404);
  });

  it('adds a record by ISBN once: the second attempt finds the first', async () => {
    const book = { title: 'Менің атым Қожа', isbn: '978-601-7059-12-5', authors: [{ name: 'Бердібек Соқпақбаев', birthDate: '1924-10-13' }], ageRating: '6+' };
    const created = await librarianA.post('/api/catalog/works', book);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Менің атым Қожа', isbn: '9786017059125', ageRating: '6+' });
    const lookup = await librarianB.get('/api/catalog/isbn/9786017059125');
    expect(lookup.body).toMatchObject({ isbn13: '9786017059125', hyphenated: '978-601-7059-12-5' });
    expect(lookup.body.existing.map((w: { id: number }) => w.id)).toEqual([created.body.id]);
    const again = await librarianB.post('/api/catalog/works', { ...book, isbn: '9786017059125 ' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'catalog.isbn_exists', params: { isbn: '9786017059125', id: created.body.id } });
    const forced = await librarianB.post('/api/catalog/works', { ...book, title: 'Менің атым Қожа (2-басылым)', force: true });
    expect(forced.status).toBe(201);
    // the author authority kept one Soqpaqbaev
    expect(forced.body.authors[0].id).toBe(created.body.authors[0].id);
    expect((await visitor.get('/api/catalog/search?q=Menin atym Qoja')).body.total).toBe(2);
    // typed with hyphens or scanned from the back cover, the ISBN finds both records
    for (const typed of ['978-601-7059-12-5', '9786017059125']) {
      const byIsbn = await visitor.get(`/api/catalog/search?q=${typed}`);
      expect(byIsbn.body.items.map((i: { workId: number }) => i.workId)).toEqual([created.body.id, forced.body.id]);
    }
  });

  it('refuses an invalid ISBN in Russian and Kazakh, and writes nothing', async () => {
    const before = await countWorks();
    // the librarian switched the interface to Russian for this request
    const res = await librarianA.request({
      method: 'POST',
      url: '/api/catalog/works',
      payload: { title: 'Көксерек', isbn: '978-601-7059-12-4' },
      headers: { 'x-locale': 'ru' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'catalog.invalid_isbn',
      message: '«978-601-7059-12-4» — неверный ISBN: проверьте номер и контрольную цифру',
    });
    // and back in the Kazakh of the librarian's profile
    const kk = librarianA;
    const check = await kk.get('/api/catalog/isbn/12345');
    expect(check.status).toBe(400);
    expect(check.body.error.message).toBe('«12345» — жарамсыз ISBN: нөмірді немесе бақылау санын тексеріңіз');
    const badYear = await kk.post('/api/catalog/works', { title: 'Көксерек', publishYear: 3020 });
    expect(badYear.body.error).toMatchObject({ code: 'catalog.bad_year', message: '3020 — басып шығарылған жыл қате' });
    expect((await kk.post('/api/catalog/works', { title: '  ' })).body.error.code).toBe('catalog.title_required');
    expect((await kk.post('/api/catalog/works', { title: 'Көксерек', ageRating: '7+' })).body.error.code).toBe('catalog.bad_age_rating');
    expect(await countWorks()).toBe(before);
  });

  it('edits a record, and the search follows the new author', async () => {
    const res = await librarianA.put(`/api/catalog/works/${abaiJoly}`, { subtitle: 'Роман-эпопея', authors: [{ name: 'Әуезов, Мұхтар' }], pages: 640 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ subtitle: 'Роман-эпопея', pages: 640, authors: [{ name: 'Мұхтар Әуезов' }] });
    expect((await visitor.get('/api/catalog/search?q=roman epopeia')).body.items[0].workId).toBe(abaiJoly);
  });

  it('keeps the author authority: search, add, edit with its dates checked', async () => {
    const found = await librarianA.get('/api/catalog/authors?q=Qunanbaiuly');
    expect(found.body.items.map((a: { name: string }) => a.name)).toEqual(['Абай Құнанбайұлы']);
    const created = await librarianA.post('/api/catalog/authors', { name: 'Ілияс Жансүгіров', birthDate: '1894-05-01', deathDate: '1938-02-26' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await librarianB.get(`/api/catalog/authors/${id}`)).body).toMatchObject({ name: 'Ілияс Жансүгіров', birthDate: '1894-05-01' });
    const wrong = await librarianA.put(`/api/catalog/authors/${id}`, { deathDate: '1890-01-01' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'catalog.author_dates', params: { birth: '1894-05-01', death: '1890-01-01' } });
    const renamed = await librarianA.put(`/api/catalog/authors/${id}`, { variants: ['Ilias Jansugirov'] });
    expect(renamed.body.variants).toEqual(['Ilias Jansugirov']);
    const kulager = await librarianA.post('/api/catalog/works', { title: 'Құлагер', authorIds: [{ id }] });
    expect(kulager.body.authors[0].name).toBe('Ілияс Жансүгіров');
    expect((await librarianA.post('/api/catalog/works', { title: 'Құлагер', authorIds: [{ id: 999999 }] })).status).toBe(404);
  });

  it('lets visitors search and read, but not catalogue', async () => {
    expect((await visitor.get('/api/catalog/search?q=абай')).status).toBe(200);
    expect((await visitor.post('/api/catalog/works', { title: 'Жаңа кітап' })).status).toBe(401);
    expect((await visitor.put(`/api/catalog/works/${abaiJoly}`, { title: 'x' })).status).toBe(401);
    expect((await visitor.get('/api/catalog/isbn/9786017059125')).status).toBe(401);
    expect((await visitor.post('/api/catalog/authors', { name: 'Кім' })).status).toBe(401);
    const teacher = new ApiClient(app);
    await teacher.login('teacher-a');
    expect((await teacher.post('/api/catalog/works', { title: 'Жаңа кітап' })).status).toBe(403);
    const method = new ApiClient(app);
    await method.login('method');
    expect((await method.put(`/api/catalog/works/${abaiJoly}`, { title: 'x' })).status).toBe(403);
    expect((await visitor.get(`/api/catalog/works/${abaiJoly}`)).body.title).toBe('Абай жолы');
  });
});
