import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, TEST_PASSWORD, type Tenants } from '../../test/support/tenants.js';
import { createOrganisation } from '../org/organisations.js';
import { createUser } from '../org/users.js';
import { cp1251Csv, readXlsx, upload, xlsxFile } from './test-support.js';
import { refreshLevel } from './monitoring.js';
import { loadSampleList } from './versions.js';

const SHUGA_ISBN = '9786017000127';

describe.each(BACKENDS)('the recommended list and its monitoring on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let admin: ApiClient;
  let librarianA: ApiClient;
  let librarianB: ApiClient;
  let method: ApiClient;
  const works: Record<string, number> = {};

  const as = async (login: string) => {
    const api = new ApiClient(app);
    expect((await api.login(login)).status).toBe(200);
    return api;
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    await database.db.updateTable('org.organisations').set({ code: 'SCH-A' }).where('id', '=', tenants.schoolA.id).execute();
    await database.db.updateTable('org.organisations').set({ code: 'SCH-B' }).where('id', '=', tenants.schoolB.id).execute();
    app = await testApp(database);
    admin = await as('admin');
    librarianA = await as('librarian-a');
    librarianB = await as('librarian-b');
    method = await as('method');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('refuses every route to an anonymous visitor', async () => {
    const anonymous = new ApiClient(app);
    for (const url of [
      '/api/reclist/versions',
      '/api/reclist/diff?from=2025&to=2026',
      '/api/reclist/matching/queue',
      '/api/reclist/coverage',
      '/api/reclist/purchase-plan',
      `/api/reclist/monitoring/${tenants.district.id}/summary`,
      `/api/reclist/monitoring/${tenants.district.id}/schools`,
      `/api/reclist/schools/${tenants.schoolA.id}/figures`,
      '/api/reclist/package',
      '/api/reclist/matching/entries',
      '/api/reclist/entries/1/matches',
      '/api/reclist/entries/1/candidates?q=Qoja',
    ]) {
      const res = await anonymous.get(url);
      expect(res.status, url).toBe(401);
      expect(res.body.error.code).toBe('auth.unauthorised');
    }
    expect((await upload(anonymous, '/api/reclist/versions', Buffer.from('x'), 'list.csv')).status).toBe(401);
    expect((await anonymous.post('/api/reclist/matching/run', {})).status).toBe(401);
    expect((await anonymous.post('/api/reclist/entries/1/matches', { workId: 1 })).status).toBe(401);
    expect((await anonymous.post('/api/reclist/matches/1/unlink', {})).status).toBe(401);
  });

  it('loads the sample list of 2025 that ships with the demo', async () => {
    expect(await loadSampleList(database.db)).toEqual({ year: 2025, entries: 40 });
    expect(await loadSampleList(database.db)).toBeNull();
    const versions = await librarianA.get('/api/reclist/versions');
    expect(versions.status).toBe(200);
    expect(versions.body.items).toHaveLength(1);
    expect(versions.body.items[0]).toMatchObject({ year: 2025, titles: 40, sourceName: 'sample-list.csv' });
    expect(versions.body.items[0].byCategory).toEqual([
      { category: 'classical', titles: 13 },
      { category: 'independence', titles: 8 },
      { category: 'contemporary', titles: 3 },
      { category: 'abroad', titles: 2 },
      { category: 'foreign', titles: 14 },
    ]);
    const foreign = await librarianA.get('/api/reclist/versions/2025/entries?category=foreign&limit=3');
    expect(foreign.body.total).toBe(14);
    expect(foreign.body.items.map((e: { title: string }) => e.title)).toEqual([
      'Кішкентай ханзада',
      'Том Сойердің басынан кешкендері',
      'Алиса ғажайыптар елінде',
    ]);
  });

  it('reports every broken line of a Windows-1251 file and imports none of it', async () => {
    const file = cp1251Csv([
      ['Название', 'Автор', 'Категория', 'Возрастная группа', 'ISBN', 'Год'],
      ['Робинзон Крузо', 'Даниэль Дефо', 'Зарубежная литература', '5-9', '', '2024'],
      ['Ақ кеме', 'Шыңғыс Айтматов', 'Поэзия', '5-9', '', '2024'],
      ['Капитан Гранттың балалары', 'Жюль Верн', 'Зарубежная литература', '5-9', '978-5-00-000000-0', '2024'],
      ['Робинзон Крузо', 'Даниэль Дефо', 'Зарубежная литература', '5-9', '', '2024'],
      ['', 'Абай Құнанбайұлы', 'Древняя и классическая литература', '10-11', '', '2024'],
      ['Қара сөздер', 'Абай Құнанбайұлы', 'Древняя и классическая литература', '12', '', '2024'],
    ]);
    const preview = await upload(admin, '/api/reclist/versions/preview?lang=ru', file, 'список-2024.csv');
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ year: 2024, valid: 1, comparedWith: null, exists: false });
    expect(preview.body.errors).toEqual([
      { line: 3, code: 'reclist.row.bad_category', message: 'Неизвестная категория «Поэзия»' },
      { line: 4, code: 'reclist.row.bad_isbn', message: 'Неверный ISBN «978-5-00-000000-0»' },
      { line: 5, code: 'reclist.row.duplicate', message: 'Эта книга уже есть в строке 2' },
      { line: 6, code: 'reclist.row.title_missing', message: 'Нет названия книги' },
      {
        line: 7,
        code: 'reclist.row.bad_age_group',
        message: 'Неизвестная возрастная группа «12» (1-4, 5-9, 10-11 или все)',
      },
    ]);

    const refused = await upload(admin, '/api/reclist/versions?lang=ru', file, 'список-2024.csv');
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('reclist.import_rejected');
    expect(refused.body.error.message).toBe('В 5 строках файла есть ошибки, ничего не загружено. Исправьте ошибки и загрузите файл снова');
    expect(refused.body.error.details.rows).toHaveLength(5);
    const versions = await database.db.selectFrom('reclist.versions').select('year').execute();
    expect(versions.map((v) => v.year)).toEqual([2025]);
    const entries = await database.db.selectFrom('reclist.entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(entries.n)).toBe(40);

    const garbage = await upload(admin, '/api/reclist/versions', Buffer.from('just one line without columns'), 'x.csv');
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.code).toBe('reclist.column_missing');
  });

  it('lets only an administrator load a list', async () => {
    const file = cp1251Csv([['Title', 'Category', 'Year'], ['Ақ кеме', 'foreign', '2030']]);
    for (const api of [librarianA, method]) {
      const res = await upload(api, '/api/reclist/versions', file, 'l.csv');
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('auth.forbidden');
    }
    expect(await database.db.selectFrom('reclist.versions').select('year').where('year', '=', 2030).execute()).toEqual([]);
  });

  it('keeps the 2026 list beside 2025 and shows what was added and removed', async () => {
    const previous = await admin.get('/api/reclist/versions/2025/entries?limit=500');
    const kept = previous.body.items.filter((e: { title: string }) => e.title !== 'Бесін');
    const file = await xlsxFile([
      ['Title', 'Author', 'Category', 'Age group', 'Language', 'ISBN', 'Year'],
      ...kept.map((e: { title: string; author: string; category: string; ageGroup: string }) => [e.title, e.author, e.category, e.ageGroup, 'kaz', '', 2026]),
      ['Шұғаның белгісі', 'Бейімбет Майлин', 'classical', '5-9', 'қазақ', '978-601-7000-12-7', 2026],
      ['Хоббит', 'Джон Толкин', 'foreign', '5-9', 'қазақ', '', 2026],
    ]);
    const preview = await upload(admin, '/api/reclist/versions/preview', file, 'list-2026.xlsx');
    expect(preview.body).toMatchObject({ year: 2026, valid: 41, errors: [], comparedWith: 2025, added: 2, removed: 1, exists: false });

    const imported = await upload(admin, '/api/reclist/versions', file, 'list-2026.xlsx');
    expect(imported.status).toBe(201);
    expect(imported.body).toEqual({ year: 2026, entries: 41 });

    const diff = await librarianB.get('/api/reclist/diff?from=2025&to=2026');
    expect(diff.status).toBe(200);
    expect(diff.body.added.map((e: { title: string }) => e.title)).toEqual(['Шұғаның белгісі', 'Хоббит']);
    expect(diff.body.added[0]).toMatchObject({ author: 'Бейімбет Майлин', isbn: SHUGA_ISBN, language: 'kaz', category: 'classical' });
    expect(diff.body.removed.map((e: { title: string }) => e.title)).toEqual(['Бесін']);
    expect(diff.body.kept).toBe(39);

    const again = await upload(admin, '/api/reclist/versions', file, 'list-2026.xlsx');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('reclist.version_exists');
    const versions = await admin.get('/api/reclist/versions');
    expect(versions.body.items.map((v: { year: number; titles: number }) => [v.year, v.titles])).toEqual([
      [2026, 41],
      [2025, 40],
    ]);
  });

  it('matches list titles to catalogue records across scripts, by ISBN, and queues the uncertain ones', async () => {
    const db = database.db;
    works.qoja = await makeWork(db, { title: 'Menıñ atym Qoja', authors: ['Berdibek Soqpaqbaev'] });
    works.shuga = await makeWork(db, { title: 'Шұға', authors: ['Б. Майлин'], isbn: SHUGA_ISBN });
    works.abai = await makeWork(db, { title: 'Абай жолы', authors: ['Мұхтар Әуезов'] });
    works.abaiNoAuthor = await makeWork(db, { title: 'Абай жолы', authors: [] });
    works.akKeme = await makeWork(db, { title: 'Ақ кеме', authors: ['Ш. Айтматов'], language: 'rus' });
    works.akAzuTales = await makeWork(db, { title: 'Ақ азу. Повестер', authors: ['Джек Лондон'] });
    works.maths = await makeWork(db, { title: 'Математика. 5 сынып', authors: ['Алдамұратова Т.'], knowledgeGroup: 'natural_sciences' });

    const teacher = await as('teacher-a');
    expect((await teacher.post('/api/reclist/matching/run', {})).status).toBe(403);

    const run = await librarianA.post('/api/reclist/matching/run', {});
    expect(run.status).toBe(200);
    expect(run.body).toEqual({ year: 2026, titles: 41, matchedTitles: 4, confirmed: 4, pending: 2 });

    const confirmed = await db.selectFrom('reclist.matches').select(['work_id', 'method']).where('status', '=', 'confirmed').orderBy('work_id').execute();
    expect(confirmed).toEqual([
      { work_id: works.qoja, method: 'author_title' },
      { work_id: works.shuga, method: 'isbn' },
      { work_id: works.abai, method: 'author_title' },
      { work_id: works.akKeme, method: 'author_title' },
    ]);

    const queue = await librarianA.get('/api/reclist/matching/queue');
    expect(queue.body.total).toBe(2);
    const byWork = new Map(queue.body.items.map((i: { work: { id: number } }) => [i.work.id, i]));
    expect(byWork.get(works.abaiNoAuthor)).toMatchObject({ method: 'title', entry: { title: 'Абай жолы', author: 'Мұхтар Әуезов' }, work: { authors: '' } });
    expect(byWork.get(works.akAzuTales)).toMatchObject({ method: 'author_title', entry: { title: 'Ақ азу' }, work: { authors: 'Джек Лондон' } });

    const yes = await librarianA.post(`/api/reclist/matches/${(byWork.get(works.abaiNoAuthor) as { id: number }).id}/confirm`);
    expect(yes.body.status).toBe('confirmed');
    const no = await librarianA.post(`/api/reclist/matches/${(byWork.get(works.akAzuTales) as { id: number }).id}/reject`);
    expect(no.body.status).toBe('rejected');
    expect((await method.post(`/api/reclist/matches/${yes.body.id}/reject`)).status).toBe(403);
    expect((await librarianA.post('/api/reclist/matches/999999/confirm')).status).toBe(404);
    expect((await librarianA.get('/api/reclist/matching/queue')).body.total).toBe(0);

    // Decisions stay decided: a second run proposes nothing again.
    const rerun = await admin.post('/api/reclist/matching/run', { year: 2026 });
    expect(rerun.body).toEqual({ year: 2026, titles: 41, matchedTitles: 4, confirmed: 0, pending: 0 });
  });

  it('computes a library\'s coverage, copies per 100 students and its gaps', async () => {
    const db = database.db;
    const a = tenants.schoolA.id;
    for (const acquiredOn of ['2024-09-01', '2024-09-01', '2025-03-10']) await makeCopy(db, a, works.qoja!, { acquiredOn });
    // The Shuga copy came as a gift, on a receipt document of fund accounting.
    const gift = await db
      .insertInto('fund.receipts')
      .values({ organisation_id: a, number: 'R-2025-7', received_on: '2025-03-10', source: 'gift', document_number: null, supplier: null, note: null, created_by: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const shuga = await makeCopy(db, a, works.shuga!, { acquiredOn: '2025-03-10' });
    await db.updateTable('fund.copies').set({ receipt_id: gift.id }).where('id', '=', shuga.id).execute();
    await makeCopy(db, a, works.abai!, { acquiredOn: '2023-05-01' });
    await makeCopy(db, a, works.abaiNoAuthor!, { acquiredOn: '2025-01-15' });
    await makeCopy(db, a, works.akKeme!, { acquiredOn: '2025-02-01' });
    const worn = await makeCopy(db, a, works.akKeme!, { acquiredOn: '2025-02-01' });
    await db.updateTable('fund.copies').set({ status: 'written_off' }).where('id', '=', worn.id).execute();
    for (let i = 0; i < 2; i++) await makeCopy(db, a, works.akAzuTales!, { acquiredOn: '2025-02-01' });
    for (let i = 0; i < 5; i++) await makeCopy(db, a, works.maths!, { fund: 'textbook', acquiredOn: '2025-08-20' });
    for (let i = 0; i < 12; i++) await makeReader(db, a, { grade: 5, classLetter: 'Ә' });
    for (let i = 0; i < 3; i++) await makeReader(db, a, { grade: 2, classLetter: 'А' });
    await makeReader(db, a, { kind: 'teacher', lastName: 'Омарова', firstName: 'Гүлнар' });
    const b = tenants.schoolB.id;
    await makeCopy(db, b, works.qoja!, { acquiredOn: '2025-10-01' });
    for (let i = 0; i < 5; i++) await makeReader(db, b, { grade: 10, classLetter: 'Б' });

    const res = await librarianA.get('/api/reclist/coverage');
    expect(res.status).toBe(200);
    const c = res.body;
    expect(c).toMatchObject({
      organisationId: a,
      listYear: 2026,
      titlesTotal: 41,
      titlesHeld: 4,
      coverage: 9.8, // 4 of 41
      listCopies: 7, // Qoja 3 + Shuga 1 + two editions of Abai joly 2 + Ak keme 1 (the written-off one does not count)
      students: 15,
      copiesPer100Students: 46.7, // 7 × 100 / 15
    });
    expect(c.byCategory.find((x: { category: string }) => x.category === 'classical')).toEqual({ category: 'classical', titles: 14, held: 3, copies: 6, coverage: 21.4 });
    expect(c.byCategory.find((x: { category: string }) => x.category === 'foreign')).toEqual({ category: 'foreign', titles: 15, held: 1, copies: 1, coverage: 6.7 });
    const copiesOf = (title: string) => c.titles.find((x: { title: string }) => x.title === title).copies;
    expect([copiesOf('Менің атым Қожа'), copiesOf('Абай жолы'), copiesOf('Ақ азу'), copiesOf('Хоббит')]).toEqual([3, 2, 0, 0]);

    const other = await librarianB.get('/api/reclist/coverage');
    expect(other.body).toMatchObject({ organisationId: b, titlesHeld: 1, listCopies: 1, students: 5, copiesPer100Students: 20 });
    const peek = await librarianB.get(`/api/reclist/coverage?organisationId=${a}`);
    expect(peek.status).toBe(403);
    expect(JSON.stringify(peek.body)).not.toContain('Қожа');
    expect((await method.get(`/api/reclist/coverage?organisationId=${a}`)).body.titlesHeld).toBe(4);
    expect((await method.get(`/api/reclist/coverage?organisationId=${b}`)).status).toBe(403);
    const notLibrary = await admin.get(`/api/reclist/coverage?organisationId=${tenants.district.id}`);
    expect(notLibrary.status).toBe(400);
    expect(notLibrary.body.error.code).toBe('reclist.not_a_library');

    const xlsx = await librarianA.get('/api/reclist/coverage.xlsx?lang=en');
    expect(xlsx.status).toBe(200);
    expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');
    const wb = await readXlsx(xlsx.raw);
    const titles = wb.getWorksheet('Titles')!;
    expect(titles.rowCount).toBe(42);
    const qojaRow = titles.getRows(2, 41)!.find((r) => r.getCell(2).text === 'Менің атым Қожа')!;
    expect([qojaRow.getCell(3).text, qojaRow.getCell(6).value]).toEqual(['Бердібек Соқпақбаев', 3]);
    const summary = wb.getWorksheet('Summary')!;
    expect(summary.getRow(3).values).toEqual([undefined, 'Coverage, %', 9.8]);
  });

  it('plans the purchase of the gaps by the library\'s own rule, as JSON and XLSX', async () => {
    expect((await librarianA.get('/api/reclist/purchase-rule')).body).toEqual({ studentsPerCopy: 10, minCopies: 1, priceTiyn: 250000, isDefault: true });
    const bad = await librarianA.put('/api/reclist/purchase-rule', { studentsPerCopy: 0, minCopies: 1, priceTiyn: 300000 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('common.validation');
    expect((await method.put('/api/reclist/purchase-rule', { studentsPerCopy: 5, minCopies: 1, priceTiyn: 300000 })).status).toBe(403);
    const set = await librarianA.put('/api/reclist/purchase-rule', { studentsPerCopy: 5, minCopies: 1, priceTiyn: 300000 });
    expect(set.body).toEqual({ studentsPerCopy: 5, minCopies: 1, priceTiyn: 300000, isDefault: false });
    expect((await librarianB.get('/api/reclist/purchase-rule')).body.isDefault).toBe(true);

    // a book readers asked for and the fund lacks, put into the plan by the librarian, joins it at the rule's minimum
    const asked = await librarianA.post('/api/reference/unmet', { source: 'desk', title: 'Көксерек', author: 'Әуезов' });
    await librarianA.post('/api/reference/unmet', { source: 'search', title: 'көксерек', author: 'әуезов' });
    await librarianA.post('/api/reference/unmet', { source: 'desk', title: 'Ешкім сатып алмайды' });
    expect((await librarianA.post(`/api/reference/unmet/${asked.body.id}/status`, { status: 'to_purchase' })).status).toBe(200);

    const plan = await librarianA.get('/api/reclist/purchase-plan');
    expect(plan.status).toBe(200);
    expect(plan.body.requested).toEqual([{ unmetId: asked.body.id, title: 'Көксерек', author: 'Әуезов', times: 2, source: 'desk', toBuy: 1, sumTiyn: 300000 }]);
    expect([plan.body.requestedCopies, plan.body.requestedSumTiyn]).toEqual([1, 300000]);
    expect((await librarianB.get('/api/reclist/purchase-plan')).body.requested).toEqual([]);
    // 3 students in grades 1–4, 12 in 5–9, none in 10–11: a copy per 5 students, at least one.
    const needed: Record<string, number> = { '1-4': 1, '5-9': 3, '10-11': 1, all: 3 };
    const held: Record<string, number> = { 'Менің атым Қожа': 3, 'Шұғаның белгісі': 1, 'Абай жолы': 2, 'Ақ кеме': 1 };
    const entries = (await librarianA.get('/api/reclist/versions/2026/entries?limit=500')).body.items as { title: string; ageGroup: string }[];
    const expected = entries.reduce((s, e) => s + Math.max(0, needed[e.ageGroup]! - (held[e.title] ?? 0)), 0);
    expect(plan.body.copiesToBuy).toBe(expected);
    expect(plan.body.sumTiyn).toBe(expected * 300000);
    const line = (title: string) => plan.body.lines.find((l: { title: string }) => l.title === title);
    expect(line('Ақ кеме')).toMatchObject({ ageGroup: '5-9', students: 12, needed: 3, held: 1, toBuy: 2, sumTiyn: 600000 });
    expect(line('Менің атым Қожа')).toBeUndefined();
    expect(line('Абай жолы')).toBeUndefined();
    expect(line('Алиса ғажайыптар елінде')).toMatchObject({ students: 3, needed: 1, held: 0, toBuy: 1 });

    const xlsx = await librarianA.get('/api/reclist/purchase-plan.xlsx?lang=kk');
    expect(xlsx.status).toBe(200);
    const sheet = (await readXlsx(xlsx.raw)).getWorksheet('Сатып алу жоспары')!;
    expect(sheet.getRow(4).getCell(9).text).toBe('Сатып алу');
    const last = sheet.getRow(sheet.rowCount);
    expect([last.getCell(2).text, last.getCell(9).value, last.getCell(10).value]).toEqual(['Барлығы', expected, expected * 3000]);
    const requested = (await readXlsx(xlsx.raw)).getWorksheet('Оқырмандар сұрағаны')!;
    expect([requested.getRow(2).getCell(2).text, requested.getRow(2).getCell(4).value, requested.getRow(2).getCell(6).value]).toEqual(['Көксерек', 2, 3000]);
  });

  it('sums the schools for the region exactly, ranks the weakest first, and shows no reader', async () => {
    // A level with more stale libraries than the limit is not recomputed on read: that is the refresh's job.
    expect(await refreshLevel(database.db, null, tenants.region, { onlyStale: true, maxLibraries: 1 })).toBe(0);
    expect(await database.db.selectFrom('reclist.school_stats').select('organisation_id').execute()).toEqual([]);
    expect((await method.post(`/api/reclist/monitoring/${tenants.region.id}/refresh`)).status).toBe(403);
    const refresh = await admin.post(`/api/reclist/monitoring/${tenants.region.id}/refresh`);
    expect(refresh.body).toEqual({ schools: 2 });

    const a = await admin.get(`/api/reclist/schools/${tenants.schoolA.id}/figures`);
    const b = await admin.get(`/api/reclist/schools/${tenants.schoolB.id}/figures`);
    expect(a.body).toMatchObject({ origin: 'local', titlesHeld: 4, listCopies: 7, students: 15 });
    expect(a.body.fund).toEqual({ copies: 14, fictionCopies: 9, kazakhCopies: 13, fictionShare: 64.3, kazakhShare: 92.9 });
    expect(a.body.bought).toEqual([
      { year: 2023, source: 'unspecified', copies: 1 },
      { year: 2024, source: 'unspecified', copies: 2 },
      { year: 2025, source: 'gift', copies: 1 },
      { year: 2025, source: 'unspecified', copies: 4 },
    ]);

    const region = await admin.get(`/api/reclist/monitoring/${tenants.region.id}/summary`);
    expect(region.status).toBe(200);
    const r = region.body;
    expect(r).toMatchObject({ libraries: 2, reporting: 2, completeLibraries: 0, listYear: 2026 });
    for (const key of ['titlesTotal', 'titlesHeld', 'listCopies', 'students'] as const) expect(r[key], key).toBe(a.body[key] + b.body[key]);
    for (const key of ['copies', 'fictionCopies', 'kazakhCopies'] as const) expect(r.fund[key], key).toBe(a.body.fund[key] + b.body.fund[key]);
    r.byCategory.forEach((cat: { category: string; titles: number; held: number; copies: number }, i: number) => {
      expect(cat.titles).toBe(a.body.byCategory[i].titles + b.body.byCategory[i].titles);
      expect(cat.held).toBe(a.body.byCategory[i].held + b.body.byCategory[i].held);
      expect(cat.copies).toBe(a.body.byCategory[i].copies + b.body.byCategory[i].copies);
    });
    expect(r).toMatchObject({ titlesHeld: 5, listCopies: 8, students: 20, coverage: 6.1, copiesPer100Students: 40 });
    expect(r.bought).toEqual([
      { year: 2023, source: 'unspecified', copies: 1 },
      { year: 2024, source: 'unspecified', copies: 2 },
      { year: 2025, source: 'gift', copies: 1 },
      { year: 2025, source: 'unspecified', copies: 5 },
    ]);
    expect(r.categoryShares.find((s: { category: string }) => s.category === 'classical').share).toBe(87.5); // 7 of 8 copies

    const ranked = await admin.get(`/api/reclist/monitoring/${tenants.region.id}/schools`);
    expect(ranked.body.total).toBe(2);
    expect(ranked.body.items.map((s: { code: string; coverage: number }) => [s.code, s.coverage])).toEqual([
      ['SCH-B', 2.4],
      ['SCH-A', 9.8],
    ]);
    const everything = JSON.stringify([r, ranked.body, a.body]);
    expect(everything).not.toContain('Сәрсенова');
    expect(everything).not.toContain('Омарова');
  });

  it('shows a methodologist the own district only, and a librarian only the own school', async () => {
    const district = await method.get(`/api/reclist/monitoring/${tenants.district.id}/summary`);
    expect(district.status).toBe(200);
    expect(district.body).toMatchObject({ libraries: 1, titlesHeld: 4, organisation: { id: tenants.district.id } });
    const drill = await method.get(`/api/reclist/schools/${tenants.schoolA.id}/figures`);
    expect(drill.body).toMatchObject({ organisation: { code: 'SCH-A' }, titlesHeld: 4 });
    for (const url of [
      `/api/reclist/monitoring/${tenants.region.id}/summary`,
      `/api/reclist/monitoring/${tenants.otherDistrict.id}/schools`,
      `/api/reclist/schools/${tenants.schoolB.id}/figures`,
    ]) {
      const res = await method.get(url);
      expect(res.status, url).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain('SCH-B');
    }
    expect((await librarianB.get(`/api/reclist/monitoring/${tenants.district.id}/summary`)).status).toBe(403);
    expect((await librarianB.get(`/api/reclist/schools/${tenants.schoolA.id}/figures`)).status).toBe(403);
    const own = await librarianB.get(`/api/reclist/schools/${tenants.schoolB.id}/figures`);
    expect(own.body).toMatchObject({ titlesHeld: 1, students: 5 });
    const teacher = await as('teacher-a');
    for (const url of [`/api/reclist/schools/${tenants.schoolA.id}/figures`, '/api/reclist/coverage', '/api/reclist/package']) {
      expect((await teacher.get(url)).status, url).toBe(403);
    }
  });

  it('takes a signed package from a school on its own instance, once, and rejects a forged one', async () => {
    // The school's own embedded server.
    const school = await openTestDatabase('pglite');
    try {
      const sdb = school.db;
      const rep = await createOrganisation(sdb, null, { parentId: null, kind: 'republic', name: 'Қазақстан' });
      const reg = await createOrganisation(sdb, null, { parentId: rep.id, kind: 'region', name: 'Абай облысы' });
      const dis = await createOrganisation(sdb, null, { parentId: reg.id, kind: 'district', name: 'Семей қаласы' });
      const own = await createOrganisation(sdb, null, { parentId: dis.id, kind: 'school', name: '№7 ауыл мектебі', code: 'SCH-C' });
      await createUser(sdb, null, { login: 'librarian-c', password: TEST_PASSWORD, fullName: 'Librarian C', role: 'librarian', organisationId: own.id, classGrade: null, classLetter: null });
      await loadSampleList(sdb);
      const prince = await makeWork(sdb, { title: 'Кішкентай ханзада', authors: ['Антуан де Сент-Экзюпери'] });
      await makeCopy(sdb, own.id, prince, { acquiredOn: '2025-09-01' });
      await makeCopy(sdb, own.id, prince, { acquiredOn: '2025-09-01' });
      for (let i = 0; i < 4; i++) await makeReader(sdb, own.id, { grade: 3, classLetter: 'А' });
      const schoolApp = await testApp(school);
      try {
        const librarianC = new ApiClient(schoolApp);
        await librarianC.login('librarian-c');
        await librarianC.post('/api/reclist/matching/run', {});
        const key = (await librarianC.get('/api/reclist/package/public-key')).body.publicKey as string;
        const exported = await librarianC.get('/api/reclist/package');
        expect(exported.status).toBe(200);
        expect(String(exported.headers['content-disposition'])).toContain('reclist-stats-SCH-C-');
        const file = exported.raw;
        const pkg = JSON.parse(file.toString('utf8'));
        expect(pkg.payload).toMatchObject({ schoolCode: 'SCH-C', stats: { listYear: 2025, titlesHeld: 1, listCopies: 2, students: 4 } });

        // The district server knows the school by its code and trusts its key.
        const c = await createOrganisation(database.db, null, { parentId: tenants.district.id, kind: 'school', name: '№7 ауыл мектебі', code: 'SCH-C' });
        const untrusted = await upload(method, '/api/reclist/packages', file, 'p.json');
        expect(untrusted.status).toBe(400);
        expect(untrusted.body.error.code).toBe('reclist.package_untrusted');
        expect((await method.put(`/api/reclist/trusted-keys/${tenants.schoolB.id}`, { publicKey: key })).status).toBe(403);
        expect((await method.put(`/api/reclist/trusted-keys/${c.id}`, { publicKey: 'not a key' })).body.error.code).toBe('reclist.bad_public_key');
        expect((await method.put(`/api/reclist/trusted-keys/${c.id}`, { publicKey: key })).status).toBe(200);

        expect((await upload(librarianA, '/api/reclist/packages', file, 'p.json')).status).toBe(403);
        const first = await upload(method, '/api/reclist/packages', file, 'p.json');
        expect(first.status).toBe(200);
        expect(first.body).toMatchObject({ status: 'imported', organisationId: c.id });
        const second = await upload(method, '/api/reclist/packages', file, 'p.json');
        expect(second.body).toMatchObject({ status: 'unchanged', contentHash: first.body.contentHash });
        const rows = await database.db.selectFrom('reclist.school_stats').selectAll().where('organisation_id', '=', c.id).execute();
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ origin: 'package', titles_held: 1, list_copies: 2, students: 4, content_hash: first.body.contentHash });
        const packages = await database.db.selectFrom('reclist.imported_packages').select('school_code').execute();
        expect(packages).toEqual([{ school_code: 'SCH-C' }]);

        const forged = JSON.parse(file.toString('utf8'));
        forged.payload.stats.titlesHeld = 40;
 const refused = await upload(method, '/api/reclist/packages?lang=kk', Buffer.from(JSON.stringify(forged)), 'p.json');
        expect(refused.status).toBe(400);
        expect(refused.body.error).toMatchObject({
          code: 'reclist.package_bad_signature',
          message: 'SCH-C мектебі пакетінің қолтаңбасы сәйкес келмейді: пакет өзгертілген немесе басқа кілтпен қол қойылған',
        });
        expect((await upload(method, '/api/reclist/packages', Buffer.from('{"hello":1}'), 'p.json')).body.error.code).toBe('reclist.package_invalid');
        expect((await database.db.selectFrom('reclist.school_stats').select('titles_held').where('organisation_id', '=', c.id).executeTakeFirstOrThrow()).titles_held).toBe(1);

        // The imported school stands in the district's monitoring beside the local one.
        const district = await method.get(`/api/reclist/monitoring/${tenants.district.id}/summary`);
        expect(district.body).toMatchObject({ libraries: 2, reporting: 2, titlesHeld: 5, listCopies: 9, students: 19 });
        const drill = await method.get(`/api/reclist/schools/${c.id}/figures`);
        expect(drill.body).toMatchObject({ origin: 'package', titlesHeld: 1, listYear: 2025 });
      } finally {
        await schoolApp.close();
      }
    } finally {
      await school.close();
    }
  });

  it('lets a person link an edition the matcher missed, keep several editions of one title, and unlink a wrong one', async () => {
    const db = database.db;
    const a = tenants.schoolA.id;
    // A Russian edition of «Менің атым Қожа»: another title, so the matcher cannot find it.
    works.qojaRu = await makeWork(db, { title: 'Меня зовут Кожа', authors: ['Бердибек Сокпакбаев'], language: 'rus' });
    for (let i = 0; i < 2; i++) await makeCopy(db, a, works.qojaRu!, { acquiredOn: '2025-11-01' });
    const before = (await librarianA.get('/api/reclist/coverage')).body;
    expect(before).toMatchObject({ titlesHeld: 4, listCopies: 7 });

    // The titles of the list with what is linked; the search folds the scripts.
    const found = await librarianA.get(`/api/reclist/matching/entries?q=${encodeURIComponent('Qoja')}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ year: 2026, total: 1, items: [{ title: 'Менің атым Қожа', confirmed: 1, pending: 0 }] });
    const qojaEntry = found.body.items[0].id as number;
    const unmatched = await librarianA.get('/api/reclist/matching/entries?unmatched=true&limit=500');
    expect(unmatched.body.total).toBe(41 - 4);
    expect(unmatched.body.items.map((e: { title: string }) => e.title)).not.toContain('Менің атым Қожа');

    // Searching the catalogue for the title shows both editions and which one is linked already.
    const candidates = await librarianA.get(`/api/reclist/entries/${qojaEntry}/candidates?q=${encodeURIComponent('кожа')}`);
    expect(candidates.status).toBe(200);
    const byId = new Map(candidates.body.items.map((c: { id: number }) => [c.id, c]));
    expect(byId.get(works.qoja)).toMatchObject({ title: 'Menıñ atym Qoja', match: { status: 'confirmed' } });
    expect(byId.get(works.qojaRu)).toMatchObject({ title: 'Меня зовут Кожа', authors: 'Бердибек Сокпакбаев', language: 'rus', match: null });

    const linked = await librarianA.post(`/api/reclist/entries/${qojaEntry}/matches`, { workId: works.qojaRu });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ status: 'confirmed', method: 'manual', changed: true });
    const again = await librarianA.post(`/api/reclist/entries/${qojaEntry}/matches`, { workId: works.qojaRu });
    expect(again.body).toEqual({ ...linked.body, changed: false });
    const editions = await librarianA.get(`/api/reclist/entries/${qojaEntry}/matches`);
    expect(editions.body.entry).toMatchObject({ title: 'Менің атым Қожа', year: 2026 });
    expect(editions.body.matches.map((m: { work: { id: number }; status: string; method: string }) => [m.work.id, m.status, m.method])).toEqual(
      expect.arrayContaining([
        [works.qoja, 'confirmed', 'author_title'],
        [works.qojaRu, 'confirmed', 'manual'],
      ]),
    );
    // One title, two editions: the title counts once, its copies add up.
    expect((await librarianA.get('/api/reclist/coverage')).body).toMatchObject({ titlesHeld: 4, listCopies: 9 });

    // A pair rejected earlier can be linked by hand, and a wrong link unlinked again.
    const akAzu = (await librarianA.get(`/api/reclist/matching/entries?q=${encodeURIComponent('Ақ азу')}`)).body.items[0].id as number;
    const relinked = await librarianA.post(`/api/reclist/entries/${akAzu}/matches`, { workId: works.akAzuTales });
    expect(relinked.body).toMatchObject({ status: 'confirmed', method: 'author_title', changed: true });
    expect((await librarianA.get('/api/reclist/coverage')).body).toMatchObject({ titlesHeld: 5, listCopies: 11 });
    const unlinked = await librarianA.post(`/api/reclist/matches/${relinked.body.id}/unlink`);
    expect(unlinked.body).toEqual({ id: relinked.body.id, status: 'rejected' });
    expect((await librarianA.get('/api/reclist/coverage')).body).toMatchObject({ titlesHeld: 4, listCopies: 9 });
    const twice = await librarianA.post(`/api/reclist/matches/${relinked.body.id}/unlink?lang=ru`);
    expect(twice.status).toBe(409);
    expect(twice.body.error).toEqual(
      expect.objectContaining({ code: 'reclist.match_not_confirmed', message: 'Это сопоставление не подтверждено: отвязать можно только подтверждённое издание' }),
    );
    // An unlinked pair stays decided: the next run neither confirms nor proposes it.
    expect((await admin.post('/api/reclist/matching/run', {})).body).toMatchObject({ confirmed: 0, pending: 0 });
    expect((await db.selectFrom('reclist.matches').select('status').where('id', '=', relinked.body.id).executeTakeFirstOrThrow()).status).toBe('rejected');

    const noWork = await librarianA.post(`/api/reclist/entries/${qojaEntry}/matches?lang=kk`, { workId: 99_999_999 });
    expect([noWork.status, noWork.body.error.code, noWork.body.error.message]).toEqual([404, 'reclist.work_not_found', 'Каталогта 99999999 нөмірлі жазба жоқ']);
    const noEntry = await librarianA.get('/api/reclist/entries/99999999/matches?lang=en');
    expect([noEntry.status, noEntry.body.error.message]).toEqual([404, 'The list has no title number 99999999']);
    expect((await librarianA.post('/api/reclist/matches/99999999/unlink')).status).toBe(404);
    const teacher = await as('teacher-a');
    for (const api of [method, teacher]) {
      expect((await api.post(`/api/reclist/entries/${qojaEntry}/matches`, { workId: works.maths })).status).toBe(403);
      expect((await api.post(`/api/reclist/matches/${linked.body.id}/unlink`)).status).toBe(403);
      expect((await api.get(`/api/reclist/entries/${qojaEntry}/candidates?q=qoja`)).status).toBe(403);
    }
    expect((await librarianA.post(`/api/reclist/entries/${qojaEntry}/matches`, { workId: 'x' })).status).toBe(400);

    const log = await db
      .selectFrom('org.audit_log')
      .select(['action', 'entity_id', 'details'])
      .where('entity', '=', 'reclist_match')
      .where('action', 'in', ['link', 'unlink'])
      .orderBy('id')
      .execute();
    expect(log.map((l) => [l.action, Number(l.entity_id)])).toEqual([
      ['link', linked.body.id],
      ['link', relinked.body.id],
      ['unlink', relinked.body.id],
    ]);
  });
});
