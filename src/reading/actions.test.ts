import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeReader } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import { createUser } from '../org/users.js';

describe.each(BACKENDS)('biblio-cross actions on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let librarian: ApiClient;
  let other: ApiClient;
  let teacher: ApiClient;
  let pupils: { aigerim: number; bauyrzhan: number; dana: number };

  /** A reading record as the librarian confirms it (or a pupil's own report still waiting). */
  const read = async (readerId: number, readOn: string, title: string, author: string, status: 'confirmed' | 'pending' = 'confirmed') => {
    await database.db
      .insertInto('reading.records')
      .values({
        organisation_id: tenants.schoolA.id,
        reader_id: readerId,
        work_id: null,
        title,
        author,
        book_key: `t:${title}`,
        source: 'reading_room',
        read_on: readOn,
        school_year: readOn < `${readOn.slice(0, 4)}-09-01` ? `${Number(readOn.slice(0, 4)) - 1}-${readOn.slice(0, 4)}` : `${readOn.slice(0, 4)}-${Number(readOn.slice(0, 4)) + 1}`,
        status,
      })
      .execute();
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    const as = async (login: string) => {
      const api = new ApiClient(app);
      expect((await api.login(login)).status).toBe(200);
      return api;
    };
    const a = await makeReader(database.db, tenants.schoolA.id, { lastName: 'Әбенова', firstName: 'Әйгерім', grade: 5, classLetter: 'А' });
    const b = await makeReader(database.db, tenants.schoolA.id, { lastName: 'Бекұлы', firstName: 'Бауыржан', grade: 5, classLetter: 'А' });
    const d = await makeReader(database.db, tenants.schoolA.id, { lastName: 'Дәулетова', firstName: 'Дана', grade: 6, classLetter: 'Б' });
    pupils = { aigerim: Number(a.id), bauyrzhan: Number(b.id), dana: Number(d.id) };
    await createUser(database.db, null, { login: 'teacher-5a', password: 'test-password-1', fullName: 'Сынып жетекшісі', role: 'teacher', organisationId: tenants.schoolA.id, classGrade: 5, classLetter: 'А' });
    librarian = await as('librarian-a');
    other = await as('librarian-b');
    teacher = await as('teacher-5a');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('counts the pupils of each class who read the author, in any script, within the period', async () => {
    const action = await librarian.post('/api/reading/actions', { kind: 'one_author', title: 'Әуезовті бірге оқимыз', author: 'Мұхтар Әуезов', startsOn: '2024-10-01', endsOn: '2024-12-31' });
    expect(action.status).toBe(201);
    await read(pupils.aigerim, '2024-10-05', 'Көксерек', 'Әуезов, Мұхтар');
    await read(pupils.aigerim, '2024-11-05', 'Қараш-Қараш оқиғасы', 'Мұхтар Әуезов');
    await read(pupils.bauyrzhan, '2024-11-20', 'Абай жолы', 'Mukhtar Auezov');
    await read(pupils.dana, '2024-11-20', 'Қара сөздер', 'Абай Құнанбайұлы'); // another author
    await read(pupils.dana, '2024-09-20', 'Көксерек', 'Мұхтар Әуезов'); // before the action
    await read(pupils.dana, '2024-12-02', 'Өскен өркен', 'Мұхтар Әуезов', 'pending'); // not stamped yet
    const res = await librarian.get(`/api/reading/actions/${action.body.id}/results`);
    expect(res.status).toBe(200);
    expect(res.body.classes).toEqual([
      { className: '5А', pupils: 2, done: 2, books: 3, share: 100 },
      { className: '6Б', pupils: 1, done: 0, books: 0, share: 0 },
    ]);
    expect(res.body.readers.map((r: { name: string; books: number }) => [r.name, r.books])).toEqual([
      ['Әбенова Әйгерім', 2],
      ['Бекұлы Бауыржан', 1],
    ]);
    // the class teacher sees the own class; another school sees nothing of it
    expect((await teacher.get(`/api/reading/actions/${action.body.id}/results`)).body.classes.map((c: { className: string }) => c.className)).toEqual(['5А']);
    expect((await other.get(`/api/reading/actions/${action.body.id}/results`)).status).toBe(404);
    expect((await other.get('/api/reading/actions')).body.items).toEqual([]);
    expect((await teacher.post('/api/reading/actions', { kind: 'six_months', title: 'Жоқ', startsOn: '2024-09-01' })).status).toBe(403);
  });

  it('runs six months from the month it starts in and needs the books in every one of them', async () => {
    const action = await librarian.post('/api/reading/actions', { kind: 'six_months', title: 'Алты ай оқу', startsOn: '2025-01-15', booksPerMonth: 1 });
    expect(action.body).toMatchObject({ startsOn: '2025-01-01', endsOn: '2025-06-30' });
    for (const month of ['01', '02', '03', '04', '05', '06']) await read(pupils.dana, `2025-${month}-10`, `Кітап ${month}`, 'Автор');
    for (const month of ['01', '02', '03', '05', '06']) await read(pupils.bauyrzhan, `2025-${month}-11`, `Кітап Б ${month}`, 'Автор');
    await read(pupils.bauyrzhan, '2025-07-01', 'Шілдедегі кітап', 'Автор'); // after the six months
    const res = await librarian.get(`/api/reading/actions/${action.body.id}/results`);
    expect(res.body.readers.map((r: { name: string; months: number[]; done: boolean }) => [r.name, r.months, r.done])).toEqual([
      ['Дәулетова Дана', [1, 1, 1, 1, 1, 1], true],
      ['Бекұлы Бауыржан', [1, 1, 1, 0, 1, 1], false],
    ]);
    expect(res.body.classes.find((c: { className: string }) => c.className === '6Б')).toEqual({ className: '6Б', pupils: 1, done: 1, books: 6, share: 100 });
  });

  it('refuses an action without its author or with a period that ends before it starts, writing nothing', async () => {
    const before = (await librarian.get('/api/reading/actions')).body.items.length;
    const noAuthor = await librarian.post('/api/reading/actions', { kind: 'one_author', title: 'Автор жоқ', author: '  ', startsOn: '2024-10-01', endsOn: '2024-12-31' });
    expect([noAuthor.status, noAuthor.body.error.code]).toEqual([400, 'reading.action_author_missing']);
    const backwards = await librarian.post('/api/reading/actions', { kind: 'one_author', title: 'Кері', author: 'Абай', startsOn: '2024-12-01', endsOn: '2024-10-01' });
    expect([backwards.status, backwards.body.error.code]).toEqual([400, 'reading.action_bad_period']);
    expect((await librarian.get('/api/reading/actions')).body.items).toHaveLength(before);
    const first = (await librarian.get('/api/reading/actions')).body.items[0];
    expect((await other.delete(`/api/reading/actions/${first.id}`)).status).toBe(404);
    expect((await librarian.delete(`/api/reading/actions/${first.id}`)).status).toBe(200);
  });
});
