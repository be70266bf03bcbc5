import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeReader } from '../../test/support/factories.js';
import { seedTenants, TEST_PASSWORD, type Tenants } from '../../test/support/tenants.js';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { createUser } from '../org/users.js';
import { findReaderByBarcode } from './readers.js';

const year = new Date().toISOString().slice(0, 4);

function pdfText(pdf: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cards-')), 'cards.pdf');
  fs.writeFileSync(file, pdf);
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

describe.each(BACKENDS)('reader records on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let librarian: ApiClient;
  let aruzhanId: number;

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

  const readerCount = async () =>
    Number((await database.db.selectFrom('readers.readers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('registers a student with the next registration number and card barcode of the library', async () => {
    const res = await librarian.post('/api/readers', {
      lastName: 'Сәрсенова',
      firstName: 'Аружан',
      middleName: 'Болатқызы',
      grade: 5,
      classLetter: 'ә',
      birthDate: '2014-03-07',
      parentName: 'Сәрсенова Гүлнар',
      parentPhone: '+7 701 555 1212',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      registrationNumber: `${year}-00001`,
      barcode: '2000000001',
      kind: 'student',
      lastName: 'Сәрсенова',
      firstName: 'Аружан',
      middleName: 'Болатқызы',
      fullName: 'Сәрсенова Аружан Болатқызы',
      grade: 5,
      classLetter: 'Ә',
      className: '5Ә',
      birthDate: '2014-03-07',
      phone: null,
      email: null,
      // a new pupil has no contact consent yet: the family's contacts are not collected
      parentName: null,
      parentPhone: null,
      status: 'active',
      leftOn: null,
      anonymised: false,
      blocked: false,
    });
    aruzhanId = res.body.id;
    const second = await librarian.post('/api/readers', { kind: 'teacher', lastName: 'Омарова', firstName: 'Сәуле' });
    expect(second.body).toMatchObject({ registrationNumber: `${year}-00002`, barcode: '2000000002', className: null });

    const logged = await database.db
      .selectFrom('org.audit_log')
      .select(['action', 'details'])
      .where('entity', '=', 'reader')
      .where('entity_id', '=', String(aruzhanId))
      .execute();
    expect(logged).toEqual([{ action: 'create', details: { registrationNumber: `${year}-00001` } }]);
  });

  it('keeps automatic numbers clear of a card barcode typed by hand', async () => {
    const typed = await librarian.post('/api/readers', { lastName: 'Нұрланов', firstName: 'Ерасыл', grade: 5, classLetter: 'А', barcode: '2000000050' });
    expect(typed.body.barcode).toBe('2000000050');
    const next = await librarian.post('/api/readers', { lastName: 'Бекова', firstName: 'Айым', grade: 5, classLetter: 'Ә' });
    expect(next.body.barcode).toBe('2000000051');
  });

  it('edits a record: new class and phone, audited by field names only', async () => {
    // the phone is kept under the family's contact consent
    expect((await librarian.post(`/api/readers/${aruzhanId}/consents`, { scope: 'contact', givenBy: 'Сәрсенова Гүлнар' })).status).toBe(201);
    const res = await librarian.patch(`/api/readers/${aruzhanId}`, { classLetter: 'Б', phone: '+7 777 000 1122' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ className: '5Б', phone: '+7 777 000 1122', registrationNumber: `${year}-00001`, birthDate: '2014-03-07' });
    const audit = await database.db
      .selectFrom('org.audit_log')
      .select('details')
      .where('action', '=', 'update')
      .where('entity_id', '=', String(aruzhanId))
      .executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ fields: ['classLetter', 'className', 'phone'] });
    const back = await librarian.patch(`/api/readers/${aruzhanId}`, { classLetter: 'Ә' });
    expect(back.body.className).toBe('5Ә');
  });

  it('refuses a registration number or a barcode that another reader of the library has', async () => {
    const before = await readerCount();
    // The signed-in user's language wins over the browser's; ?lang= chooses one for this request.
    const sameBarcode = await librarian.post('/api/readers?lang=ru', { lastName: 'Әлиев', firstName: 'Тимур', grade: 5, classLetter: 'А', barcode: '2000000001' });
    expect(sameBarcode.status).toBe(409);
    expect(sameBarcode.body.error).toEqual({
      code: 'readers.barcode_taken',
      message: 'Штрихкод 2000000001 уже стоит на билете другого читателя этой библиотеки',
      params: { barcode: '2000000001' },
    });
    const renumber = await librarian.patch(`/api/readers/${aruzhanId}`, { registrationNumber: `${year}-00002` });
    expect(renumber.status).toBe(409);
    expect(renumber.body.error.code).toBe('readers.registration_number_taken');
    expect(renumber.body.error.message).toBe(`${year}-00002 тіркеу нөмірі осы кітапханада басқа оқырманға берілген`);
    expect(await readerCount()).toBe(before);
    expect((await librarian.get(`/api/readers/${aruzhanId}`)).body.registrationNumber).toBe(`${year}-00001`);
  });

  it('refuses bad input with the reason in the librarian’s language', async () => {
    const before = await readerCount();
    const cases: [unknown, string][] = [
      [{ lastName: 'Әлиев', firstName: 'Тимур', grade: 13 }, 'readers.bad_grade'],
      [{ lastName: 'Әлиев', firstName: 'Тимур', grade: 5, classLetter: '5' }, 'readers.bad_class_letter'],
      [{ lastName: 'Әлиев', firstName: 'Тимур', classLetter: 'А' }, 'readers.letter_without_grade'],
      [{ kind: 'teacher', lastName: 'Әлиев', firstName: 'Тимур', grade: 5 }, 'readers.class_only_for_students'],
      [{ lastName: 'Әлиев', firstName: 'Тимур', barcode: '2A0001' }, 'readers.bad_barcode'],
      [{ lastName: '', firstName: 'Тимур' }, 'common.validation'],
      [{ lastName: 'Әлиев', firstName: 'Тимур', birthDate: '07.03.2014' }, 'common.validation'],
    ];
    for (const [body, code] of cases) {
      const res = await librarian.post('/api/readers', body);
      expect(res.status, code).toBe(400);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).not.toBe(code);
    }
    const tooHigh = { lastName: 'Әлиев', firstName: 'Тимур', grade: 13 };
    expect((await librarian.post('/api/readers', tooHigh)).body.error.message).toBe('Сынып 0-ден 11-ге дейінгі сан болуы керек, берілгені: 13');
    expect((await librarian.post('/api/readers?lang=ru', tooHigh)).body.error.message).toBe('Класс должен быть числом от 0 до 11, указано: 13');
    expect((await librarian.post('/api/readers?lang=en', tooHigh)).body.error.message).toBe('The grade must be a number from 0 to 11, got 13');
    expect(await readerCount()).toBe(before);
  });

  it('lists readers by class in Kazakh alphabet order and finds them in any script', async () => {
    await librarian.post('/api/readers', { lastName: 'Әбенов', firstName: 'Дәулет', grade: 5, classLetter: 'Ә' });
    await librarian.post('/api/readers', { lastName: 'Ахметова', firstName: 'Іңкәр', grade: 5, classLetter: 'Ә' });
    await librarian.post('/api/readers', { lastName: 'Жұмабаев', firstName: 'Нұрсұлтан', grade: 6, classLetter: 'А' });
    const fifthӘ = await librarian.get('/api/readers?grade=5&classLetter=Ә');
    expect(fifthӘ.body.items.map((r: { lastName: string }) => r.lastName)).toEqual(['Ахметова', 'Әбенов', 'Бекова', 'Сәрсенова']);
    expect(fifthӘ.body.total).toBe(4);

    const all = await librarian.get('/api/readers?limit=3');
    expect(all.body.total).toBe(7);
    expect(all.body.items.map((r: { className: string }) => r.className)).toEqual(['5А', '5Ә', '5Ә']);
    const page3 = await librarian.get('/api/readers?limit=3&offset=6');
    expect(page3.body.items.map((r: { lastName: string }) => r.lastName)).toEqual(['Омарова']);

    for (const q of ['sarsenova', 'Сарсенова аружан', 'Särsenova', `${year}-00001`, '2000000001']) {
      const found = await librarian.get(`/api/readers?q=${encodeURIComponent(q)}`);
      expect(found.body.items.map((r: { id: number }) => r.id), q).toEqual([aruzhanId]);
    }
    const teachers = await librarian.get('/api/readers?kind=teacher');
    expect(teachers.body.items.map((r: { fullName: string }) => r.fullName)).toEqual(['Омарова Сәуле']);
  });

  it('keeps readers who left out of the daily list but on file', async () => {
    const left = await librarian.post('/api/readers', { lastName: 'Қайратов', firstName: 'Мирас', grade: 9, classLetter: 'А' });
    const patched = await librarian.patch(`/api/readers/${left.body.id}`, { status: 'left', leftOn: '2026-06-01' });
    expect(patched.body).toMatchObject({ status: 'left', leftOn: '2026-06-01' });
    expect((await librarian.get('/api/readers?grade=9')).body.total).toBe(0);
    expect((await librarian.get('/api/readers?grade=9&status=left')).body.items[0].fullName).toBe('Қайратов Мирас');
    expect((await librarian.get('/api/readers?grade=9&status=all')).body.total).toBe(1);
  });

  it('counts the active students of each class', async () => {
    const res = await librarian.get('/api/readers/classes');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { grade: 5, classLetter: 'А', count: 1 },
      { grade: 5, classLetter: 'Ә', count: 4 },
      { grade: 6, classLetter: 'А', count: 1 },
    ]);
  });

  it('gives the circulation desk the reader of a scanned card, only within the library', async () => {
    const found = await findReaderByBarcode(database.db, tenants.schoolA.id, ' 2000000001 ');
    expect(found).toMatchObject({ id: aruzhanId, last_name: 'Сәрсенова', class_letter: 'Ә' });
    expect(await findReaderByBarcode(database.db, tenants.schoolB.id, '2000000001')).toBeUndefined();
    expect(await findReaderByBarcode(database.db, tenants.schoolA.id, '2999999999')).toBeUndefined();
  });

  it('shows a class teacher the own class only, read-only', async () => {
    const teacher = new ApiClient(app);
    await teacher.login('teacher-a');
    const list = await teacher.get('/api/readers');
    expect(list.body.items.map((r: { className: string }) => r.className)).toEqual(['5Ә', '5Ә', '5Ә', '5Ә']);
    expect((await teacher.get(`/api/readers/${aruzhanId}`)).body.fullName).toBe('Сәрсенова Аружан Болатқызы');
    const sixth = (await librarian.get('/api/readers?grade=6')).body.items[0].id;
    expect((await teacher.get(`/api/readers/${sixth}`)).status).toBe(404);
    expect((await teacher.get('/api/readers?grade=6')).body.total).toBe(0);
    expect((await teacher.get('/api/readers/classes')).body).toEqual([{ grade: 5, classLetter: 'Ә', count: 4 }]);
    expect((await teacher.post('/api/readers', { lastName: 'Әлиев', firstName: 'Тимур' })).status).toBe(403);
    expect((await teacher.patch(`/api/readers/${aruzhanId}`, { phone: '1' })).status).toBe(403);
  });

  it('shows a student and a parent their own record at /me, and nothing else', async () => {
    await createUser(database.db, null, {
      login: 'aruzhan', password: TEST_PASSWORD, fullName: 'Аружан', role: 'student', organisationId: tenants.schoolA.id, readerId: aruzhanId,
    });
    await createUser(database.db, null, {
      login: 'gulnar', password: TEST_PASSWORD, fullName: 'Гүлнар', role: 'parent', organisationId: tenants.schoolA.id, readerId: aruzhanId,
    });
    for (const login of ['aruzhan', 'gulnar']) {
      const user = new ApiClient(app);
      await user.login(login);
      const me = await user.get('/api/readers/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: aruzhanId, fullName: 'Сәрсенова Аружан Болатқызы', className: '5Ә' });
      expect((await user.get('/api/readers')).status).toBe(403);
      expect((await user.get(`/api/readers/${aruzhanId}`)).status).toBe(403);
    }
    expect((await librarian.get('/api/readers/me')).status).toBe(403);
  });

  it('never lets a methodologist read readers', async () => {
    const method = new ApiClient(app);
    await method.login('method');
    for (const url of ['/api/readers', '/api/readers/classes', `/api/readers/${aruzhanId}`, '/api/readers/me', '/api/readers/promotions']) {
      const res = await method.get(url);
      expect(res.status, url).toBe(403);
      expect(res.body.error.code).toBe('auth.forbidden');
    }
    expect((await method.post('/api/readers', { lastName: 'Әлиев', firstName: 'Тимур' })).status).toBe(403);
    expect((await method.post('/api/readers/cards', { readerIds: [aruzhanId] })).status).toBe(403);
  });

  it('asks an anonymous visitor to sign in on every route', async () => {
    const anonymous = new ApiClient(app);
    for (const url of ['/api/readers', '/api/readers/classes', `/api/readers/${aruzhanId}`, '/api/readers/me', '/api/readers/promotions']) {
      expect((await anonymous.get(url)).status, url).toBe(401);
    }
    expect((await anonymous.post('/api/readers', { lastName: 'Әлиев', firstName: 'Тимур' })).status).toBe(401);
    expect((await anonymous.patch(`/api/readers/${aruzhanId}`, { phone: '1' })).status).toBe(401);
    expect((await anonymous.post('/api/readers/cards', {})).status).toBe(401);
    expect((await anonymous.post('/api/readers/promotion/preview')).status).toBe(401);
  });

  it('hides one school’s readers from another school’s librarian', async () => {
    const other = new ApiClient(app);
    await other.login('librarian-b');
    expect((await other.get(`/api/readers/${aruzhanId}`)).status).toBe(404);
    expect((await other.patch(`/api/readers/${aruzhanId}`, { phone: '+7 700 000 0000' })).status).toBe(404);
    expect((await other.get('/api/readers?q=sarsenova')).body).toEqual({ items: [], total: 0 });
    expect((await other.get('/api/readers/classes')).body).toEqual([]);
    expect((await other.post('/api/readers/cards', { readerIds: [aruzhanId] })).status).toBe(404);
    expect((await librarian.get(`/api/readers/${aruzhanId}`)).body.phone).toBe('+7 777 000 1122');

    // Numbering is per library: school B starts at 00001 and may reuse A's barcode.
    const own = await other.post('/api/readers', { lastName: 'Тоқтаров', firstName: 'Бауыржан', grade: 2, classLetter: 'В' });
    expect(own.body).toMatchObject({ registrationNumber: `${year}-00001`, barcode: '2000000001' });
  });

  it('prints reader cards whose Kazakh names and numbers read back from the PDF', async () => {
    const ulan = await makeReader(database.db, tenants.schoolA.id, { lastName: 'Құрманғазы', firstName: 'Ұлан', grade: 5, classLetter: 'Ә' });
    const res = await librarian.post('/api/readers/cards', { readerIds: [aruzhanId, ulan.id] });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = pdfText(res.raw);
    expect(text).toContain('№1 мектеп-гимназия');
    expect(text).toContain('Сәрсенова Аружан Болатқызы');
    expect(text).toContain('Құрманғазы Ұлан');
    expect(text).toContain(`Тіркеу нөмірі: ${year}-00001`);
    expect(text).toContain('Сынып: 5Ә');
    expect(text).toContain('2000000001');
    expect(text).toContain(ulan.barcode);

    const classCards = await librarian.post('/api/readers/cards?lang=ru', { grade: 5, classLetter: 'Ә' });
    const classText = pdfText(classCards.raw);
    expect(classText.match(/ЧИТАТЕЛЬСКИЙ БИЛЕТ/g)).toHaveLength(5);
    expect(classText).toContain(`Регистрационный номер: ${year}-00001`);
    expect(classText).not.toContain('Жұмабаев');

    const none = await librarian.post('/api/readers/cards', { grade: 10 });
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('readers.cards.none');
  });

  it('describes every readers route in the OpenAPI document', async () => {
    const doc = (await librarian.get('/api/openapi.json')).body;
    for (const p of ['/api/readers', '/api/readers/{id}', '/api/readers/me', '/api/readers/classes', '/api/readers/import/preview',
      '/api/readers/import', '/api/readers/promotion/preview', '/api/readers/promotion', '/api/readers/promotion/{id}/undo',
      '/api/readers/promotions', '/api/readers/cards']) {
      expect(Object.keys(doc.paths), p).toContain(p);
    }
  });
});
