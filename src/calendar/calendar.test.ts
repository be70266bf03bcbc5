import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy, makeWork } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import { createOrganisation } from '../org/organisations.js';
import { createUser } from '../org/users.js';
import { dateOfRule, daysOfYear } from './days.js';
import { shippedEntries } from './shipped.js';
import { anniversaryIn, type SignificantDate } from './significant-dates.js';

describe('the rules of the calendar', () => {
  it('lists anniversaries in multiples of five years only', () => {
    const seifullin = { year: 1894, month: 10, day: 15 };
    expect(anniversaryIn(seifullin, 2024)).toEqual({ years: 130, date: '2024-10-15', feb29: false });
    expect(anniversaryIn(seifullin, 2025)).toBeNull();
    expect(anniversaryIn(seifullin, 2019)?.years).toBe(125);
    expect(anniversaryIn(seifullin, 1894)).toBeNull();
    expect(anniversaryIn(seifullin, 1880)).toBeNull();
  });

  it('gives a date only when the day is known; a year-only date lists the year', () => {
    expect(anniversaryIn({ year: 1835, month: null, day: null }, 2025)).toEqual({ years: 190, date: null, feb29: false });
    expect(anniversaryIn({ year: 1835, month: 11, day: null }, 2025)).toEqual({ years: 190, date: null, feb29: false });
  });

  it('lists a 29 February birth on 28 February in other years, and on the 29th in leap years', () => {
    const rossini = { year: 1792, month: 2, day: 29 };
    expect(anniversaryIn(rossini, 2022)).toEqual({ years: 230, date: '2022-02-28', feb29: true });
    expect(anniversaryIn(rossini, 2032)).toEqual({ years: 240, date: '2032-02-29', feb29: true });
  });

  it('places movable days by their rule', () => {
    // the third Sunday of June (medical workers' day)
    expect(dateOfRule({ nth: 3, weekday: 0, month: 6 }, 2024)).toBe('2024-06-16');
    expect(dateOfRule({ nth: 3, weekday: 0, month: 6 }, 2025)).toBe('2025-06-15');
    // the last Monday of October
    expect(dateOfRule({ nth: -1, weekday: 1, month: 10 }, 2024)).toBe('2024-10-28');
    expect(dateOfRule({ nth: -1, weekday: 1, month: 10 }, 2025)).toBe('2025-10-27');
    // the fourth Monday of October: the international school library day
    const y2024 = daysOfYear(2024);
    expect(y2024.find((d) => d.day.key === 'school-library')?.date).toBe('2024-10-28');
    expect(y2024.find((d) => d.day.key === 'republic')?.date).toBe('2024-10-25');
    expect(y2024.find((d) => d.day.key === 'independence')?.date).toBe('2024-12-16');
    expect(y2024.find((d) => d.day.key === 'book-copyright')?.date).toBe('2024-04-23');
    expect(y2024.find((d) => d.day.key === 'childrens-book')?.date).toBe('2024-04-02');
    // the day of languages moved to 5 September from 2018 (Government decree No. 689 of 31 October 2017); before, the third Sunday of September
    expect(daysOfYear(2017).find((d) => d.day.kk === 'Қазақстан халқының тілдері күні')?.date).toBe('2017-09-17');
    expect(daysOfYear(2018).filter((d) => d.day.kk === 'Қазақстан халқының тілдері күні').map((d) => d.date)).toEqual(['2018-09-05']);
    expect(daysOfYear(2024).filter((d) => d.day.kk === 'Қазақстан халқының тілдері күні').map((d) => d.date)).toEqual(['2024-09-05']);
  });

  it('ships a reference list of at least two hundred persons with valid dates and no duplicates', () => {
    const list = shippedEntries();
    expect(list.length).toBeGreaterThanOrEqual(200);
    const names = new Set<string>();
    for (const e of list) {
      expect(e.born).toMatch(/^\d{3,4}(-\d{2}-\d{2})?$/);
      if (e.born.length > 4) {
        const [y, m, d] = e.born.split('-').map(Number);
        const date = new Date(Date.UTC(y!, m! - 1, d!));
        expect(date.getUTCDate()).toBe(d);
      }
      expect(names.has(e.kk)).toBe(false);
      names.add(e.kk);
    }
  });
});

describe.each(BACKENDS)('the calendar of significant dates on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let librarianA: ApiClient;
  let librarianB: ApiClient;
  let republicAdmin: ApiClient;
  let method: ApiClient;

  const as = async (login: string) => {
    const api = new ApiClient(app);
    expect((await api.login(login)).status).toBe(200);
    return api;
  };
  const find = (items: SignificantDate[], text: string) => items.filter((i) => [i.name, i.nameRu, i.nameEn].some((n) => n?.includes(text)));

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    librarianA = await as('librarian-a');
    librarianB = await as('librarian-b');
    republicAdmin = await as('admin');
    method = await as('method');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('is full on a fresh start: the jubilees of 2024 and of the school year 2024–2025', async () => {
    const y = await librarianA.get('/api/calendar/significant-dates?year=2024');
    expect(y.status).toBe(200);
    const jansugirov = find(y.body.items, 'Жансүгіров');
    expect(jansugirov).toHaveLength(1);
    expect(jansugirov[0]).toMatchObject({ date: '2024-05-14', years: 130, kind: 'person', born: '1894-05-14' });
    expect(find(y.body.items, 'Республика күні')[0]).toMatchObject({ date: '2024-10-25', kind: 'national_day', years: null });

    const sy = await librarianA.get('/api/calendar/significant-dates?schoolYear=2024-2025');
    expect(sy.status).toBe(200);
    expect(sy.body.from).toBe('2024-09-01');
    expect(find(sy.body.items, 'Соқпақбаев')[0]).toMatchObject({ years: 100, date: '2024-10-13' });
    expect(find(sy.body.items, 'Сейфуллин')[0]).toMatchObject({ years: 130, date: '2024-10-15' });
    expect(find(sy.body.items, 'Майлин')[0]).toMatchObject({ years: 130, date: '2024-11-15' });
    // the jubilees of both calendar years: Jansugirov (May 2024) and Abai 180 (August 2025)
    expect(find(sy.body.items, 'Жансүгіров')[0]).toMatchObject({ years: 130, inSchoolYear: false });
    expect(find(sy.body.items, 'Абай Құнанбайұлы')[0]).toMatchObject({ years: 180, date: '2025-08-10' });
    // days only within 1 September – 31 August
    const days = sy.body.items.filter((i: SignificantDate) => i.kind === 'national_day');
    expect(days.every((d: SignificantDate) => d.date! >= '2024-09-01' && d.date! <= '2025-08-31')).toBe(true);
    // year-only dates: Shokan Ualikhanov (1835) in 2025 with the year and no day
    const shokan = find(sy.body.items, 'Уәлиханов')[0];
    expect(shokan).toMatchObject({ date: null, year: 2025, years: 190, born: '1835' });
    // sorted by date
    const dated = sy.body.items.filter((i: SignificantDate) => i.date).map((i: SignificantDate) => i.date);
    expect([...dated].sort()).toEqual(dated);
  });

  it('lists the anniversaries of seed 004’s calendar for 2023', async () => {
    const res = await librarianA.get('/api/calendar/significant-dates?year=2023');
    const years = (text: string) => find(res.body.items, text).map((i) => i.years);
    expect(years('Құрманғазы')).toEqual([205]);
    expect(years('Мағжан Жұмабаев')).toEqual([130]);
    expect(years('Мұзафар Әлімбаев')).toEqual([100]);
    expect(years('Ықылас Дүкенұлы')).toEqual([180]);
    expect(years('Жанайдар Садуақасов')).toEqual([125]);
    expect(years('Тәкен Әлімқұлов')).toEqual([105]);
    expect(years('Әмен Қайдаров')).toEqual([100]);
    expect(years('Анатолий Билык')).toEqual([95]);
    expect(years('Шыңғыс Айтматов')).toEqual([95]);
  });

  it('lets catalogue authors with a known birth date join, lists one person from two sources once, and links the works held', async () => {
    const workId = await makeWork(database.db, { title: 'Қашқар қызы', authors: ['Лейла Тестова'] });
    await database.db.updateTable('catalog.authors').set({ birth_date: '1964-03-03' }).where('name', '=', 'Лейла Тестова').execute();
    await makeCopy(database.db, tenants.schoolA.id, workId);
    const seifWork = await makeWork(database.db, { title: 'Көкшетау', authors: ['Сейфуллин, Сәкен'] });
    await database.db.updateTable('catalog.authors').set({ birth_date: '1894-10-15' }).where('name', '=', 'Сейфуллин, Сәкен').execute();
    await makeCopy(database.db, tenants.schoolA.id, seifWork);
    await makeCopy(database.db, tenants.schoolA.id, seifWork);

    const res = await librarianA.get('/api/calendar/significant-dates?year=2024');
    const leila = find(res.body.items, 'Лейла Тестова');
    expect(leila).toHaveLength(1);
    expect(leila[0]).toMatchObject({ date: '2024-03-03', years: 60, sources: ['catalogue'], worksHeld: 1 });
    const seifullin = find(res.body.items, 'Сейфуллин');
    expect(seifullin).toHaveLength(1);
    expect(seifullin[0].sources.sort()).toEqual(['catalogue', 'shipped']);
    expect(seifullin[0].worksHeld).toBe(1);
    expect(seifullin[0].authorId).toBeGreaterThan(0);
    // school B holds none of those works
    const b = await librarianB.get('/api/calendar/significant-dates?year=2024');
    expect(find(b.body.items, 'Сейфуллин')[0].worksHeld).toBe(0);
  });

  it('sends a republic entry down to every school; a school’s own entry stays its own', async () => {
    const r = await republicAdmin.post('/api/calendar/entries', { kind: 'person', name: 'Тестбек Республикалық', year: 1949, month: 6, day: 1, occupation: 'writer' });
    expect(r.status).toBe(201);
    const own = await librarianA.post('/api/calendar/entries', { kind: 'day', name: 'Мектептің құрылған күні', year: 1974, month: 9, day: 3 });
    expect(own.status).toBe(201);
    for (const api of [librarianA, librarianB]) {
      const res = await api.get('/api/calendar/significant-dates?year=2024');
      expect(find(res.body.items, 'Тестбек Республикалық')[0]).toMatchObject({ years: 75, date: '2024-06-01', addedBy: { kind: 'republic' } });
    }
    const a = await librarianA.get('/api/calendar/significant-dates?year=2024');
    expect(find(a.body.items, 'Мектептің құрылған күні')[0]).toMatchObject({ date: '2024-09-03', years: 50, kind: 'day' });
    const b = await librarianB.get('/api/calendar/significant-dates?year=2024');
    expect(find(b.body.items, 'Мектептің құрылған күні')).toHaveLength(0);
    // a school may not change the republic's entry, nor another school's
    expect((await librarianA.delete(`/api/calendar/entries/${r.body.id}`)).status).toBe(403);
    expect((await librarianB.delete(`/api/calendar/entries/${own.body.id}`)).status).toBe(404);
  });

  it('refuses impossible dates with a translated message and writes nothing', async () => {
    const before = await database.db.selectFrom('calendar.entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const feb = await librarianA.post('/api/calendar/entries', { kind: 'person', name: 'Х', year: 1901, month: 2, day: 29 });
    expect(feb.status).toBe(400);
    expect(feb.body.error.message).toContain('кібісе емес');
    const noYear = await librarianA.post('/api/calendar/entries', { kind: 'person', name: 'Х', month: 2, day: 3 });
    expect(noYear.status).toBe(400);
    expect(noYear.body.error.message).toContain('Жылы көрсетілмеген');
    const badSy = await librarianA.get('/api/calendar/significant-dates?schoolYear=2024-2026');
    expect(badSy.status).toBe(400);
    expect(badSy.body.error.message).toContain('оқу жылы емес');
    const after = await database.db.selectFrom('calendar.entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('reaches a school on its own server as a package', async () => {
    const pkg = await republicAdmin.get('/api/calendar/package');
    expect(pkg.status).toBe(200);
    expect(pkg.body.entries.map((e: { name: string }) => e.name)).toContain('Тестбек Республикалық');
    // a school's own server: its own top organisation and administrator
    const top = await createOrganisation(database.db, null, { parentId: null, kind: 'republic', name: 'Мектеп серверi' });
    const region = await createOrganisation(database.db, null, { parentId: top.id, kind: 'region', name: 'Облыс' });
    const district = await createOrganisation(database.db, null, { parentId: region.id, kind: 'district', name: 'Аудан' });
    const school = await createOrganisation(database.db, null, { parentId: district.id, kind: 'school', name: 'Ауыл мектебі' });
    await createUser(database.db, null, { login: 'local-admin', password: 'test-password-1', fullName: 'Әкімші', role: 'admin', organisationId: top.id, classGrade: null, classLetter: null });
    await createUser(database.db, null, { login: 'local-librarian', password: 'test-password-1', fullName: 'Кітапханашы', role: 'librarian', organisationId: school.id, classGrade: null, classLetter: null });
    const localAdmin = await as('local-admin');
    const first = await localAdmin.post('/api/calendar/package', pkg.body);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ added: 1, updated: 0 });
    expect((await localAdmin.post('/api/calendar/package', pkg.body)).body).toEqual({ added: 0, updated: 0 });
    const local = await as('local-librarian');
    const res = await local.get('/api/calendar/significant-dates?year=2024');
    expect(find(res.body.items, 'Тестбек Республикалық')).toHaveLength(1);
    const broken = await localAdmin.post('/api/calendar/package', { format: 'something', version: 1, entries: [] });
    expect(broken.status).toBe(400);
    // only an administrator takes packages in
    expect((await librarianA.post('/api/calendar/package', pkg.body)).status).toBe(403);
    void method;
  });

  it('prints the calendar as a PDF', async () => {
    const res = await librarianA.get('/api/calendar/significant-dates.pdf?schoolYear=2024-2025');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('application/pdf');
    expect(res.raw.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
