import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeReader } from '../../test/support/factories.js';
import { seedTenants, TEST_PASSWORD, type Tenants } from '../../test/support/tenants.js';
import { createUser } from '../org/users.js';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/readers');
const year = new Date().toISOString().slice(0, 4);

/** A multipart/form-data body as a browser sends it: text fields and one file. */
function upload(api: ApiClient, url: string, file: { name: string; bytes: Buffer } | null, fields: Record<string, string> = {}) {
  const boundary = `----kitaphana${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return api.request({
    method: 'POST',
    url,
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

const fixture = (name: string) => ({ name, bytes: fs.readFileSync(path.join(fixtures, name)) });

describe.each(BACKENDS)('class roster import on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let librarian: ApiClient;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    librarian = new ApiClient(app);
    await librarian.login('librarian-a');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const readersOf = (organisationId: number) =>
    database.db
      .selectFrom('readers.readers')
      .select(['last_name', 'first_name', 'middle_name', 'grade', 'class_letter', 'birth_date', 'registration_number', 'barcode'])
      .where('organisation_id', '=', organisationId)
      .orderBy('id')
      .execute();

  it('imports a UTF-8 roster with commas: a preview first, then the readers with their numbers', async () => {
    const csv = 'Last name,First name,Middle name,Class,Birth date,Parent,Phone\n' +
      'Әлиева,Ұлжан,Маратқызы,5Ә,12.04.2014,Әлиева Сара,+7 701 000 0001\n' +
      'Жұмабек,Әлихан,,5 Ә,2014-11-03,,\n' +
      'Қасымова,Іңкәр,,"5-ә",01.01.2014,,\n';
    const file = { name: '5Ә.csv', bytes: Buffer.from(csv) };
    const preview = await upload(librarian, '/api/readers/import/preview', file);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',', validCount: 3, invalidCount: 0 });
    expect(preview.body.columns.map((c: { field: string }) => c.field)).toEqual([
      'lastName', 'firstName', 'middleName', 'className', 'birthDate', 'parentName', 'phone',
    ]);
    expect(preview.body.rows[0]).toEqual({
      line: 2,
      errors: [],
      values: {
        lastName: 'Әлиева', firstName: 'Ұлжан', middleName: 'Маратқызы', grade: 5, classLetter: 'Ә', birthDate: '2014-04-12',
        parentName: 'Әлиева Сара', parentPhone: null, phone: '+7 701 000 0001', email: null,
      },
    });
    expect(await readersOf(tenants.schoolA.id)).toEqual([]);

    const done = await upload(librarian, '/api/readers/import', file);
    expect(done.status).toBe(200);
    expect(done.body.rejected).toEqual([]);
    expect(done.body.imported.map((r: { line: number; registrationNumber: string; barcode: string; fullName: string }) => [r.line, r.registrationNumber, r.barcode, r.fullName])).toEqual([
      [2, `${year}-00001`, '2000000001', 'Әлиева Ұлжан Маратқызы'],
      [3, `${year}-00002`, '2000000002', 'Жұмабек Әлихан'],
      [4, `${year}-00003`, '2000000003', 'Қасымова Іңкәр'],
    ]);
    const rows = await readersOf(tenants.schoolA.id);
    expect(rows.map((r) => `${r.last_name} ${r.grade}${r.class_letter} ${r.birth_date}`)).toEqual([
      'Әлиева 5Ә 2014-04-12', 'Жұмабек 5Ә 2014-11-03', 'Қасымова 5Ә 2014-01-01',
    ]);
    const audit = await database.db.selectFrom('org.audit_log').select(['details']).where('action', '=', 'import').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ filename: '5Ә.csv', format: 'csv', imported: 3, rejected: 0 });
  });

  it('imports a Windows-1251 roster exported by Russian Excel', async () => {
    const file = fixture('roster-6b-windows-1251.csv');
    const preview = await upload(librarian, '/api/readers/import/preview', file);
    expect(preview.body).toMatchObject({ encoding: 'windows-1251', delimiter: ';', validCount: 3, invalidCount: 0 });
    const done = await upload(librarian, '/api/readers/import', file);
    expect(done.status).toBe(200);
    expect(done.body.imported.map((r: { fullName: string }) => r.fullName)).toEqual([
      'Иванов Пётр Сергеевич', 'Ким Елена', 'Шевченко Юлия Андреевна',
    ]);
    const ivanov = (await librarian.get('/api/readers?q=ivanov')).body.items[0];
    // the roster's phone and parent columns are read but not kept: no contact consent is on record for a new pupil
    expect(ivanov).toMatchObject({ className: '6Б', birthDate: '2013-09-05', parentName: null, phone: null });

    // Read as UTF-8 on the librarian's word, the same bytes give no recognisable header at all.
    const forced = await upload(librarian, '/api/readers/import/preview', file, { encoding: 'utf-8' });
    expect(forced.status).toBe(400);
    expect(forced.body.error.code).toBe('readers.import.no_name_column');
  });

  it('imports an XLSX roster without a class column into the class the librarian chose', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Тізім');
    sheet.addRow(['№', 'Тегі', 'Аты', 'Әкесінің аты', 'Туған күні']);
    sheet.addRow([1, 'Серікова', 'Томирис', 'Асқарқызы', new Date(Date.UTC(2018, 2, 8))]);
    sheet.addRow([2, 'Болатов', 'Нұрдәулет', null, '15.07.2018']);
    const file = { name: '1А.xlsx', bytes: Buffer.from(await workbook.xlsx.writeBuffer()) };
    const done = await upload(librarian, '/api/readers/import', file, { grade: '1', classLetter: 'а' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ format: 'xlsx', encoding: null, delimiter: null, rejected: [] });
    const firstGrade = (await librarian.get('/api/readers?grade=1')).body.items;
    expect(firstGrade.map((r: { fullName: string; className: string; birthDate: string }) => [r.fullName, r.className, r.birthDate])).toEqual([
      ['Болатов Нұрдәулет', '1А', '2018-07-15'],
      ['Серікова Томирис Асқарқызы', '1А', '2018-03-08'],
    ]);
  });

  it('reports a broken roster row by row, refuses it whole, and on request imports only the good rows', async () => {
    await librarian.post('/api/readers', { lastName: 'Үсенов', firstName: 'Ұлан', middleName: 'Болатұлы', grade: 7, classLetter: 'Ә', birthDate: '2012-09-09' });
    const existing = (await librarian.get('/api/readers?q=usenov')).body.items[0].registrationNumber;
    const before = await readersOf(tenants.schoolA.id);
    const file = fixture('roster-7-broken-utf8-bom.csv');

    const preview = await upload(librarian, '/api/readers/import/preview', file);
    expect(preview.body).toMatchObject({ encoding: 'utf-8', delimiter: ',', validCount: 1, invalidCount: 5 });
    expect(preview.body.rows.map((r: { line: number; errors: { code: string }[] }) => [r.line, r.errors.map((e) => e.code)])).toEqual([
      [2, []],
      [3, ['readers.import.missing_name']],
      [4, ['readers.import.bad_class']],
      [5, ['readers.import.bad_date']],
      [6, ['readers.import.duplicate_in_file']],
      [7, ['readers.import.duplicate_existing']],
    ]);
    expect(preview.body.rows[3].errors[0].message).toBe('«30.02.2012» туған күні ретінде танылмады (күн.ай.жыл немесе жыл-ай-күн)');
    expect(preview.body.rows[5].errors[0].message).toBe(`Бұл оқушы кітапханада бұрыннан тіркелген (${existing})`);

    const refused = await upload(librarian, '/api/readers/import?lang=en', file);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('readers.import.has_errors');
    expect(refused.body.error.message).toBe('The roster has 5 rows with errors. Correct them or choose to skip the rows with errors');
    expect(refused.body.error.details.rows[2].errors[0]).toEqual({
      code: 'readers.import.bad_class',
      message: '“7Ж7” is not a class (for example 5Ә, 5 А, 11-Б)',
    });
    expect(await readersOf(tenants.schoolA.id)).toEqual(before);

    const skipped = await upload(librarian, '/api/readers/import?lang=ru', file, { skipInvalid: 'true' });
    expect(skipped.status).toBe(200);
    expect(skipped.body.imported.map((r: { line: number; fullName: string }) => [r.line, r.fullName])).toEqual([[2, 'Әбенова Ақбота Ерланқызы']]);
    expect(skipped.body.rejected.map((r: { line: number; errors: { message: string }[] }) => [r.line, r.errors[0]!.message])).toEqual([
      [3, 'Не указаны фамилия или имя'],
      [4, '«7Ж7» не распознано как класс (например: 5Ә, 5 А, 11-Б)'],
      [5, '«30.02.2012» не распознано как дата рождения (дд.мм.гггг или гггг-мм-дд)'],
      [6, 'Этот учащийся уже есть в файле в строке 2'],
      [7, `Этот учащийся уже записан в библиотеку (${existing})`],
    ]);
    const after = await readersOf(tenants.schoolA.id);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ last_name: 'Әбенова', grade: 7, class_letter: 'Ә', birth_date: '2012-02-14' });
  });

  it('leaves nothing behind when a row fails midway through the write', async () => {
    const next = (await readersOf(tenants.schoolA.id)).length + 1;
    // A number entered into the table by some older program, past the counter's knowledge.
    const clash = `${year}-${String(next + 1).padStart(5, '0')}`;
    await database.db.updateTable('readers.readers').set({ registration_number: clash }).where('last_name', '=', 'Ким').execute();
    const before = await readersOf(tenants.schoolA.id);
    const counter = () =>
      database.db.selectFrom('fund.counters').select('next_value').where('organisation_id', '=', tenants.schoolA.id).where('name', '=', 'reader_number').executeTakeFirstOrThrow();
    const counterBefore = await counter();

    const csv = 'Тегі;Аты;Сынып\nАманов;Алихан;8А\nБекжанова;Дильназ;8А\nВалиев;Руслан;8А\n';
    const res = await upload(librarian, '/api/readers/import', { name: '8А.csv', bytes: Buffer.from(csv) });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'readers.registration_number_taken', params: { number: clash } });
    expect(await readersOf(tenants.schoolA.id)).toEqual(before);
    expect(await counter()).toEqual(counterBefore);
  });

  it('leaves nothing behind when a later chunk of a large roster fails, though earlier chunks were committed', async () => {
    const next = (await readersOf(tenants.schoolA.id)).length + 1;
    const clash = `${year}-${String(next + 250).padStart(5, '0')}`;
    await database.db.updateTable('readers.readers').set({ registration_number: clash }).where('last_name', '=', 'Ким').execute();
    const before = await readersOf(tenants.schoolA.id);
    const counters = () =>
      database.db.selectFrom('fund.counters').select(['name', 'next_value']).where('organisation_id', '=', tenants.schoolA.id).orderBy('name').execute();
    const countersBefore = await counters();
    const rows = Array.from({ length: 300 }, (_, i) => `Оқушы${String.fromCharCode(0x410 + (i % 32))}${i};Айгерім;9А`);
    const res = await upload(librarian, '/api/readers/import', { name: '9А.csv', bytes: Buffer.from(['Тегі;Аты;Сынып', ...rows].join('\n')) });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'readers.registration_number_taken', params: { number: clash } });
    expect(await readersOf(tenants.schoolA.id)).toEqual(before);
    expect(await counters()).toEqual(countersBefore);
  });

  it('refuses a request without a file, a bad class field and a file that is not a roster', async () => {
    const noFile = await upload(librarian, '/api/readers/import/preview', null, { grade: '5' });
    expect(noFile.status).toBe(400);
    expect(noFile.body.error.code).toBe('readers.import.no_file');
    const csv = { name: 'x.csv', bytes: Buffer.from('Тегі;Аты\nӘлиев;Тимур\n') };
    const badGrade = await upload(librarian, '/api/readers/import/preview', csv, { grade: '14' });
    expect(badGrade.body.error.code).toBe('readers.bad_grade');
    const badLetter = await upload(librarian, '/api/readers/import/preview', csv, { grade: '5', classLetter: '%' });
    expect(badLetter.body.error.code).toBe('readers.bad_class_letter');
    const books = await upload(librarian, '/api/readers/import/preview', { name: 'books.csv', bytes: Buffer.from('Атауы;Авторы\nАбай жолы;Әуезов\n') });
    expect(books.status).toBe(400);
    expect(books.body.error.code).toBe('readers.import.no_name_column');
    const empty = await upload(librarian, '/api/readers/import', { name: 'empty.csv', bytes: Buffer.alloc(0) });
    expect(empty.body.error.code).toBe('readers.import.empty_file');
  });

  it('keeps imports inside the library: no duplicates across schools, no access for others', async () => {
    const file = fixture('roster-6b-windows-1251.csv');
    const other = new ApiClient(app);
    await other.login('librarian-b');
    const preview = await upload(other, '/api/readers/import/preview', file);
    expect(preview.body.invalidCount).toBe(0);
    const done = await upload(other, '/api/readers/import', file);
    expect(done.body.imported.map((r: { registrationNumber: string }) => r.registrationNumber)).toEqual([
      `${year}-00001`, `${year}-00002`, `${year}-00003`,
    ]);
    expect((await readersOf(tenants.schoolB.id)).map((r) => r.last_name)).toEqual(['Иванов', 'Ким', 'Шевченко']);

    const anonymous = new ApiClient(app);
    expect((await upload(anonymous, '/api/readers/import/preview', file)).status).toBe(401);
    expect((await upload(anonymous, '/api/readers/import', file)).status).toBe(401);
    for (const login of ['method', 'teacher-a']) {
      const user = new ApiClient(app);
      await user.login(login);
      expect((await upload(user, '/api/readers/import/preview', file)).status, login).toBe(403);
      expect((await upload(user, '/api/readers/import', file)).status, login).toBe(403);
    }
  });
});

describe.each(BACKENDS)('year-end promotion on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let librarian: ApiClient;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    librarian = new ApiClient(app);
    await librarian.login('librarian-a');
    const school = tenants.schoolA.id;
    for (const name of ['Әлиева', 'Бекова', 'Серікбаев']) await makeReader(database.db, school, { lastName: name, grade: 5, classLetter: 'Ә' });
    await makeReader(database.db, school, { lastName: 'Ахметов', grade: 5, classLetter: 'А' });
    await makeReader(database.db, school, { lastName: 'Жақсылықов', grade: 11, classLetter: 'А' });
    await makeReader(database.db, school, { lastName: 'Нұрмағанбетова', grade: 11, classLetter: 'А' });
    await makeReader(database.db, school, { lastName: 'Кішкентай', grade: 0, classLetter: 'Б' });
    await makeReader(database.db, school, { lastName: 'Омарова', kind: 'teacher' });
    const gone = await makeReader(database.db, school, { lastName: 'Кеткен', grade: 9, classLetter: 'В' });
    await createUser(database.db, null, {
      login: 'teacher-11a', password: TEST_PASSWORD, fullName: 'Бітіруші Жетекші', role: 'teacher',
      organisationId: school, classGrade: 11, classLetter: 'А',
    });
    await database.db.updateTable('readers.readers').set({ status: 'left', left_on: '2025-01-15' }).where('id', '=', gone.id).execute();
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const snapshot = () =>
    database.db
      .selectFrom('readers.readers')
      .select(['id', 'last_name', 'grade', 'class_letter', 'status', 'left_on'])
      .orderBy('id')
      .execute();
  const teacherClasses = async () =>
    (
      await database.db
        .selectFrom('org.users')
        .select(['login', 'class_grade', 'class_letter'])
        .where('role', '=', 'teacher')
        .where('organisation_id', '=', tenants.schoolA.id)
        .orderBy('login')
        .execute()
    ).map((u) => `${u.login} ${u.class_grade ?? '-'}${u.class_letter ?? ''}`);
  const classOf = async (lastName: string) => {
    const r = (await snapshot()).find((x) => x.last_name === lastName)!;
    return `${r.grade}${r.class_letter} ${r.status} ${r.left_on ?? '-'}`;
  };

  it('previews the move class by class without changing anyone', async () => {
    const before = await snapshot();
    const res = await librarian.post('/api/readers/promotion/preview', { date: '2026-05-31' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      date: '2026-05-31',
      classes: [
        { grade: 0, classLetter: 'Б', fromClass: '0Б', toClass: '1Б', leaving: false, count: 1 },
        { grade: 5, classLetter: 'А', fromClass: '5А', toClass: '6А', leaving: false, count: 1 },
        { grade: 5, classLetter: 'Ә', fromClass: '5Ә', toClass: '6Ә', leaving: false, count: 3 },
        { grade: 11, classLetter: 'А', fromClass: '11А', toClass: null, leaving: true, count: 2 },
      ],
      promoted: 5,
      leaving: 2,
      teachers: [
        { userId: tenants.teacherA.userId, fullName: 'teacher-a', fromClass: '5Ә', toClass: '6Ә' },
        { userId: expect.any(Number), fullName: 'Бітіруші Жетекші', fromClass: '11А', toClass: null },
      ],
    });
    expect(await snapshot()).toEqual(before);
    expect(await teacherClasses()).toEqual(['teacher-11a 11А', 'teacher-a 5Ә']);
  });

  it('promotes every class, lets the 11th grade leave, and undoes it exactly, latest first', async () => {
    const original = await snapshot();
    const originalTeachers = await teacherClasses();
    const first = await librarian.post('/api/readers/promotion', { date: '2026-05-31' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ date: '2026-05-31', promoted: 5, leaving: 2, performedBy: 'librarian-a', undoneAt: null });
    expect(await classOf('Әлиева')).toBe('6Ә active -');
    expect(await classOf('Кішкентай')).toBe('1Б active -');
    expect(await classOf('Жақсылықов')).toBe('11А left 2026-05-31');
    expect(await classOf('Кеткен')).toBe('9В left 2025-01-15');
    expect((await snapshot()).find((r) => r.last_name === 'Омарова')).toMatchObject({ grade: null, status: 'active' });
    // the class teacher goes up with 5Ә; the teacher of the leaving 11А is left without a class
    expect(await teacherClasses()).toEqual(['teacher-11a -', 'teacher-a 6Ә']);
    const afterFirst = await snapshot();

    const second = await librarian.post('/api/readers/promotion', { date: '2027-05-31' });
    expect(second.body).toMatchObject({ promoted: 5, leaving: 0 });
    expect(await classOf('Әлиева')).toBe('7Ә active -');

    const notLatest = await librarian.post(`/api/readers/promotion/${first.body.id}/undo`);
    expect(notLatest.status).toBe(409);
    expect(notLatest.body.error).toMatchObject({ code: 'readers.promotion.not_latest', params: { id: second.body.id } });

    const undoSecond = await librarian.post(`/api/readers/promotion/${second.body.id}/undo`);
    expect(undoSecond.status).toBe(200);
    expect(undoSecond.body.undoneAt).not.toBeNull();
    expect(await snapshot()).toEqual(afterFirst);
    expect(await teacherClasses()).toEqual(['teacher-11a -', 'teacher-a 6Ә']);
    const again = await librarian.post(`/api/readers/promotion/${second.body.id}/undo`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('readers.promotion.already_undone');

    expect((await librarian.post(`/api/readers/promotion/${first.body.id}/undo`)).status).toBe(200);
    expect(await snapshot()).toEqual(original);
    expect(await teacherClasses()).toEqual(originalTeachers);

    const list = await librarian.get('/api/readers/promotions');
    expect(list.body.total).toBe(2);
    expect(list.body.items.map((p: { id: number; promoted: number; leaving: number; undoneAt: string | null }) => [p.id, p.promoted, p.leaving, p.undoneAt !== null])).toEqual([
      [second.body.id, 5, 0, true],
      [first.body.id, 5, 2, true],
    ]);
    const audited = await database.db.selectFrom('org.audit_log').select('action').where('entity', '=', 'promotion').orderBy('id').execute();
    expect(audited.map((a) => a.action)).toEqual(['promote', 'promote', 'undo', 'undo']);
  });

  it('keeps each library’s promotions to itself', async () => {
    const own = await librarian.post('/api/readers/promotion', { date: '2026-05-31' });
    const before = await snapshot();
    // A second click in the same school year (September to August) would move everyone up twice.
    const twice = await librarian.post('/api/readers/promotion', { date: '2026-08-20' });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'readers.promotion.already_this_year', params: { id: own.body.id, date: '2026-05-31' } });
    expect(await snapshot()).toEqual(before);
    const page = await librarian.get('/api/readers/promotions?limit=1');
    expect(page.body.total).toBe(3);
    expect(page.body.items.map((p: { id: number }) => p.id)).toEqual([own.body.id]);

    const other = new ApiClient(app);
    await other.login('librarian-b');
    expect((await other.get('/api/readers/promotions')).body).toEqual({ items: [], total: 0 });
    expect((await other.post('/api/readers/promotion/preview')).body).toMatchObject({ classes: [], promoted: 0, leaving: 0 });
    const undo = await other.post(`/api/readers/promotion/${own.body.id}/undo`);
    expect(undo.status).toBe(404);
    const nothing = await other.post('/api/readers/promotion');
    expect(nothing.status).toBe(409);
    expect(nothing.body.error.code).toBe('readers.promotion.nothing_to_promote');
    expect(await snapshot()).toEqual(before);
  });

  it('lets only the library staff promote', async () => {
    const anonymous = new ApiClient(app);
    expect((await anonymous.post('/api/readers/promotion')).status).toBe(401);
    expect((await anonymous.post('/api/readers/promotion/1/undo')).status).toBe(401);
    for (const login of ['method', 'teacher-a']) {
      const user = new ApiClient(app);
      await user.login(login);
      expect((await user.post('/api/readers/promotion/preview')).status, login).toBe(403);
      expect((await user.post('/api/readers/promotion')).status, login).toBe(403);
      expect((await user.post('/api/readers/promotion/1/undo')).status, login).toBe(403);
      expect((await user.get('/api/readers/promotions')).status, login).toBe(403);
    }
    const bad = await librarian.post('/api/readers/promotion', { date: '31.05.2026' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('common.validation');
  });
});
