import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, TEST_PASSWORD, type Tenants } from '../../test/support/tenants.js';
import type { DatabaseHandle, Db } from '../db/connect.js';
import type { App } from '../http/types.js';
import { createUser } from '../org/users.js';
import { addDays, localDate, setClock } from '../shared/library-time.js';
import { REPEAT_SCAN_WINDOW_MS } from './desk.js';

function pdfText(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debtors-'));
  try {
    const file = path.join(dir, 'list.pdf');
    fs.writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(BACKENDS)('the circulation API on %s', (backend) => {
  let database: DatabaseHandle;
  let db: Db;
  let app: App;
  let tenants: Tenants;
  let desk: ApiClient;
  let work: number;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    db = database.db;
    tenants = await seedTenants(db);
    app = await testApp(database);
    desk = new ApiClient(app);
    await desk.login('librarian-a');
    work = await makeWork(db, { title: 'Қан мен тер', authors: ['Әбдіжәміл Нұрпейісов'] });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  // Signed-in users get messages in their profile language (Kazakh here) unless a request asks with ?lang=.
  const signedIn = async (login: string) => {
    const api = new ApiClient(app);
    expect((await api.login(login)).status).toBe(200);
    return api;
  };

  it('asks anonymous visitors to sign in', async () => {
    const anonymous = new ApiClient(app, 'kk');
    const scan = await anonymous.post('/api/circulation/scan', { code: '2000000001' });
    expect(scan.status).toBe(401);
    expect(scan.body.error).toEqual({ code: 'auth.unauthorised', message: 'Жүйеге кіріңіз' });
    for (const url of ['/api/circulation/loan-rules', '/api/circulation/loans', '/api/circulation/debtors', '/api/circulation/my-loans', '/api/circulation/readers/1/panel', '/api/circulation/stats?from=2026-01-01&to=2026-12-31']) {
      expect((await anonymous.get(url)).status).toBe(401);
    }
    for (const url of ['/api/circulation/issue', '/api/circulation/return', '/api/circulation/loans/1/renew', '/api/circulation/my-loans/1/renew']) {
      expect((await anonymous.post(url, { readerId: 1, barcode: '1' })).status).toBe(401);
    }
  });

  it('replaces the library loan rules and refuses an ambiguous set whole', async () => {
    const put = await desk.put('/api/circulation/loan-rules', {
      rules: [
        { readerKind: 'student', fund: null, loanDays: 10, maxRenewals: 2, maxLoans: 5 },
        { readerKind: 'teacher', fund: null, loanDays: 30, maxRenewals: 3, maxLoans: null },
      ],
    });
    expect(put.status).toBe(200);
    expect(put.body.items.slice(0, 2)).toEqual([
      { organisationId: tenants.schoolA.id, readerKind: 'student', fund: null, loanDays: 10, maxRenewals: 2, maxLoans: 5 },
      { organisationId: tenants.schoolA.id, readerKind: 'teacher', fund: null, loanDays: 30, maxRenewals: 3, maxLoans: null },
    ]);
    expect(put.body.items.at(-1)).toEqual({ organisationId: null, readerKind: null, fund: null, loanDays: 14, maxRenewals: 2, maxLoans: null });

    const duplicate = await desk.put('/api/circulation/loan-rules?lang=ru', {
      rules: [
        { readerKind: 'student', fund: 'main', loanDays: 5, maxRenewals: 0, maxLoans: null },
        { readerKind: 'student', fund: 'main', loanDays: 7, maxRenewals: 0, maxLoans: null },
      ],
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.code).toBe('circulation.duplicate_rule');
    expect(duplicate.body.error.message).toBe('Для одного вида читателя (ученик) и фонда (основной фонд) задано два правила');
    const bad = await desk.put('/api/circulation/loan-rules', { rules: [{ readerKind: 'student', fund: null, loanDays: 0, maxRenewals: 1, maxLoans: null }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('common.validation');

    const rules = await desk.get('/api/circulation/loan-rules');
    expect(rules.body.total).toBe(3);
    expect(rules.body.items.filter((r: { organisationId: number | null }) => r.organisationId === tenants.schoolA.id)).toHaveLength(2);

    // School B keeps only the global default; its librarian neither sees nor changes A's rules.
    const other = await signedIn('librarian-b');
    expect((await other.get('/api/circulation/loan-rules')).body.items).toEqual([put.body.items.at(-1)]);
    const teacher = await signedIn('teacher-a');
    expect((await teacher.put('/api/circulation/loan-rules', { rules: [] })).status).toBe(403);
  });

  it('works the desk by scanner: card, issue, panel, list, return, renew', async () => {
    const aruzhan = await makeReader(db, tenants.schoolA.id, { lastName: 'Сәрсенова', firstName: 'Аружан' });
    const copy = await makeCopy(db, tenants.schoolA.id, work);
    const second = await makeCopy(db, tenants.schoolA.id, work);

    const opened = await desk.post('/api/circulation/scan', { code: `${aruzhan.barcode}\r\n` });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ action: 'reader_opened', panel: { reader: { id: aruzhan.id, fullName: 'Сәрсенова Аружан', className: '5Ә' }, visitsThisYear: 1 } });

    const issued = await desk.post('/api/circulation/scan', { code: copy.barcode, readerId: aruzhan.id });
    expect(issued.body.action).toBe('issued');
    expect(issued.body.loan).toMatchObject({ title: 'Қан мен тер', authors: ['Әбдіжәміл Нұрпейісов'], dueOn: addDays(localDate(), 10), readerName: 'Сәрсенова Аружан' });
    const direct = await desk.post('/api/circulation/issue', { readerId: aruzhan.id, barcode: second.barcode });
    expect(direct.status).toBe(201);

    const panel = await desk.get(`/api/circulation/readers/${aruzhan.id}/panel`);
    expect(panel.status).toBe(200);
    expect(panel.body.loans.map((l: { barcode: string }) => l.barcode)).toEqual([copy.barcode, second.barcode]);
    expect(panel.body.loans[0]).toMatchObject({ inventoryNumber: copy.inventory_number, overdueDays: 0, renewals: 0, canRenew: true });

    const open = await desk.get(`/api/circulation/loans?status=open&readerId=${aruzhan.id}`);
    expect(open.body.total).toBe(2);
    const renewed = await desk.post(`/api/circulation/loans/${direct.body.loanId}/renew`);
    expect(renewed.status).toBe(200);
    expect(renewed.body.renewals).toBe(1);

    // A returning book needs no open reader (a few seconds later: at once it would be the scanner's bounce).
    setClock(new Date(Date.now() + REPEAT_SCAN_WINDOW_MS + 1000));
    const back = await desk.post('/api/circulation/scan', { code: copy.barcode }).finally(() => setClock(undefined));
    expect(back.body).toMatchObject({ action: 'returned', panel: null, loan: { barcode: copy.barcode } });
    const returned = await desk.post('/api/circulation/return', { barcode: second.barcode });
    expect(returned.status).toBe(200);
    expect(returned.body.returnedAt).not.toBeNull();
    const history = await desk.get(`/api/circulation/loans?status=returned&readerId=${aruzhan.id}&limit=1`);
    expect(history.body.total).toBe(2);
    expect(history.body.items).toHaveLength(1);

    const twice = await desk.post('/api/circulation/return', { barcode: second.barcode });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'circulation.not_on_loan', message: `${second.barcode} данасы ешкімге берілмеген, оны қайтаруға болмайды` });
    const noReader = await desk.post('/api/circulation/scan', { code: copy.barcode });
    expect(noReader.status).toBe(409);
    expect(noReader.body.error.message).toBe(`Алдымен оқырман билетін сканерлеңіз: ${copy.barcode} данасы қазір ешкімде жоқ`);
  });

  it('refuses bad input with translated errors and leaves nothing half-written', async () => {
    const reader = await makeReader(db, tenants.schoolA.id, { lastName: 'Әлиев', firstName: 'Тимур' });
    const copy = await makeCopy(db, tenants.schoolA.id, work);
    const ru = { post: (url: string, body: unknown) => desk.post(`${url}?lang=ru`, body), get: (url: string) => desk.get(`${url}&lang=ru`) };

    const empty = await ru.post('/api/circulation/scan', { code: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('common.validation');
    const missing = await ru.post('/api/circulation/issue', { readerId: reader.id });
    expect(missing.status).toBe(400);
    const unknown = await ru.post('/api/circulation/scan', { code: 'ABC-1', readerId: reader.id });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({
      code: 'circulation.unknown_code',
      message: 'Код «ABC-1» не найден: это не читательский билет и не экземпляр этой библиотеки',
      params: { code: 'ABC-1' },
    });
    const nobody = await ru.post('/api/circulation/issue', { readerId: 999999, barcode: copy.barcode });
    expect(nobody.status).toBe(404);
    const badPeriod = await ru.get('/api/circulation/stats?from=2026-12-31&to=2026-01-01');
    expect(badPeriod.status).toBe(400);
    expect(badPeriod.body.error.message).toBe('Неверный период: начало (2026-12-31) позже конца (2026-01-01)');
    expect((await ru.get('/api/circulation/stats?from=31.12.2026&to=2026-12-31')).status).toBe(400);

    const loans = await ru.get(`/api/circulation/loans?readerId=${reader.id}`);
    expect(loans.body).toEqual({ items: [], total: 0 });
  });

  it('lets only one of two simultaneous issues of a copy through over HTTP', async () => {
    const copy = await makeCopy(db, tenants.schoolA.id, work);
    const dana = await makeReader(db, tenants.schoolA.id, { lastName: 'Омарова', firstName: 'Дана' });
    const ermek = await makeReader(db, tenants.schoolA.id, { lastName: 'Серіков', firstName: 'Ермек' });
    const otherDesk = await signedIn('librarian-a');
    const [a, b] = await Promise.all([
      desk.post('/api/circulation/issue', { readerId: dana.id, barcode: copy.barcode }),
      otherDesk.post('/api/circulation/issue', { readerId: ermek.id, barcode: copy.barcode }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const winner = a.status === 201 ? a : b;
    const loser = a.status === 201 ? b : a;
    expect(loser.body.error.code).toBe('circulation.copy_on_loan');
    expect(loser.body.error.message).toBe(`${copy.barcode} данасы қазір оқырманда: ${winner.body.readerName}`);
    const open = await db
      .selectFrom('circulation.loans')
      .select('reader_id')
      .where('copy_id', '=', copy.id)
      .where('returned_at', 'is', null)
      .execute();
    expect(open).toEqual([{ reader_id: winner.body.readerId }]);
  });

  it("keeps school A's desk closed to school B and to the methodologist", async () => {
    const reader = await makeReader(db, tenants.schoolA.id, { lastName: 'Бекен', firstName: 'Алия' });
    const copy = await makeCopy(db, tenants.schoolA.id, work);
    const issued = await desk.post('/api/circulation/issue', { readerId: reader.id, barcode: copy.barcode });

    const other = await signedIn('librarian-b');
    const scanned = await other.post('/api/circulation/scan', { code: copy.barcode });
    expect(scanned.status).toBe(404);
    expect(scanned.body.error.code).toBe('circulation.unknown_code');
    const panel = await other.get(`/api/circulation/readers/${reader.id}/panel`);
    expect(panel.status).toBe(404);
    expect(JSON.stringify(panel.body)).not.toContain('Бекен');
    expect((await other.post(`/api/circulation/loans/${issued.body.loanId}/renew`)).status).toBe(404);
    expect((await other.post('/api/circulation/issue', { readerId: reader.id, barcode: copy.barcode })).status).toBe(404);
    const list = await other.get('/api/circulation/loans');
    expect(list.body).toEqual({ items: [], total: 0 });
    expect((await other.get('/api/circulation/debtors')).body.items).toEqual([]);
    expect((await other.get(`/api/circulation/stats?from=2026-01-01&to=2030-12-31&organisationId=${tenants.schoolA.id}`)).status).toBe(403);

    // The methodologist sees figures for the district, never a reader's record.
    const method = await signedIn('method');
    expect((await method.get(`/api/circulation/readers/${reader.id}/panel`)).status).toBe(403);
    expect((await method.get('/api/circulation/debtors')).status).toBe(403);
    const stats = await method.get(`/api/circulation/stats?from=${localDate()}&to=${localDate()}`);
    expect(stats.status).toBe(200);
    expect(stats.body.organisationIds).toContain(tenants.schoolA.id);
    expect(stats.body.organisationIds).not.toContain(tenants.schoolB.id);
    expect(stats.body.loans).toBeGreaterThanOrEqual(1);
    expect((await method.get(`/api/circulation/stats?from=2026-01-01&to=2026-12-31&organisationId=${tenants.schoolB.id}`)).status).toBe(403);
  });

  it('gives the class teacher the debtor list of 5 Ә, on screen and as a printable PDF', async () => {
    const debtor = await makeReader(db, tenants.schoolA.id, { lastName: 'Жақсыбекова', firstName: 'Ұлжан', grade: 5, classLetter: 'Ә' });
    const sixth = await makeReader(db, tenants.schoolA.id, { lastName: 'Көшербаев', firstName: 'Іңкәр', grade: 6, classLetter: 'А' });
    const copy = await makeCopy(db, tenants.schoolA.id, work);
    const other = await makeCopy(db, tenants.schoolA.id, work);
    await desk.post('/api/circulation/issue', { readerId: debtor.id, barcode: copy.barcode });
    await desk.post('/api/circulation/issue', { readerId: sixth.id, barcode: other.barcode });
    const asOf = addDays(localDate(), 40);

    const teacher = await signedIn('teacher-a');
    const list = await teacher.get(`/api/circulation/debtors?asOf=${asOf}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { className: string }) => c.className)).toEqual(['5Ә']);
    const mine = list.body.items[0].readers.find((r: { readerId: number }) => r.readerId === debtor.id);
    expect(mine.loans).toEqual([expect.objectContaining({ title: 'Қан мен тер', overdueDays: 30 })]);
    const forbidden = await teacher.get(`/api/circulation/debtors?grade=6&classLetter=А&asOf=${asOf}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.message).toBe('Бұл әрекетке рұқсатыңыз жоқ');

    const librarianView = await desk.get(`/api/circulation/debtors?grade=6&asOf=${asOf}`);
    expect(librarianView.body.items.map((c: { className: string }) => c.className)).toEqual(['6А']);

    const pdf = await teacher.get(`/api/circulation/debtors.pdf?asOf=${asOf}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.raw);
    expect(text).toContain('Борышкер оқырмандар тізімі');
    expect(text).toContain('№1 мектеп-гимназия');
    expect(text).toContain('5Ә сынып');
    expect(text).toContain('Жақсыбекова Ұлжан');
    expect(text).toContain('Әбдіжәміл Нұрпейісов. Қан мен тер');
    expect(text).not.toContain('Көшербаев');
  });

  it('shows a student the own loans and lets them renew online', async () => {
    const reader = await makeReader(db, tenants.schoolA.id, { lastName: 'Төлегенова', firstName: 'Әйгерім' });
    const classmate = await makeReader(db, tenants.schoolA.id, { lastName: 'Ибраев', firstName: 'Дәурен' });
    await createUser(db, null, {
      login: 'aigerim',
      password: TEST_PASSWORD,
      fullName: 'Төлегенова Әйгерім',
      role: 'student',
      organisationId: tenants.schoolA.id,
      readerId: reader.id,
    });
    const copy = await makeCopy(db, tenants.schoolA.id, work);
    const theirs = await makeCopy(db, tenants.schoolA.id, work);
    const loan = await desk.post('/api/circulation/issue', { readerId: reader.id, barcode: copy.barcode });
    const notMine = await desk.post('/api/circulation/issue', { readerId: classmate.id, barcode: theirs.barcode });

    const student = await signedIn('aigerim');
    const mine = await student.get('/api/circulation/my-loans');
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(1);
    expect(mine.body.items[0]).toMatchObject({ loanId: loan.body.loanId, title: 'Қан мен тер', canRenew: true });
    const renewed = await student.post(`/api/circulation/my-loans/${loan.body.loanId}/renew`);
    expect(renewed.status).toBe(200);
    expect(renewed.body.renewals).toBe(1);
    expect((await student.post(`/api/circulation/my-loans/${notMine.body.loanId}/renew`)).status).toBe(404);
    await student.post(`/api/circulation/my-loans/${loan.body.loanId}/renew`);
    const limit = await student.post(`/api/circulation/my-loans/${loan.body.loanId}/renew?lang=ru`);
    expect(limit.status).toBe(409);
    expect(limit.body.error.message).toBe('Продлить нельзя: допускается не более 2 продлений');

    // An account not linked to a reader record has no loans to show.
    await createUser(db, null, { login: 'parent-x', password: TEST_PASSWORD, fullName: 'Ата-ана', role: 'parent', organisationId: tenants.schoolA.id });
    const unlinked = await (await signedIn('parent-x')).get('/api/circulation/my-loans?lang=en');
    expect(unlinked.status).toBe(404);
    expect(unlinked.body.error).toEqual({
      code: 'circulation.no_reader_card',
      message: 'Your account is not linked to a reader record. Please ask the librarian',
    });

    // The desk is staff only.
    expect((await student.post('/api/circulation/scan', { code: copy.barcode })).status).toBe(403);
    expect((await student.get(`/api/circulation/readers/${reader.id}/panel`)).status).toBe(403);
    expect((await desk.get('/api/circulation/my-loans')).status).toBe(403);
  });

  it('documents every circulation route in the OpenAPI document', async () => {
    const doc = await desk.get('/api/openapi.json');
    const paths = Object.keys(doc.body.paths).filter((p) => p.startsWith('/api/circulation'));
    expect(paths.sort()).toEqual(
      [
        '/api/circulation/contacts',
        '/api/circulation/debtors',
        '/api/circulation/debtors.pdf',
        '/api/circulation/issue',
        '/api/circulation/loan-rules',
        '/api/circulation/loans',
        '/api/circulation/loans/{id}/renew',
        '/api/circulation/my-loans',
        '/api/circulation/my-loans/{id}/renew',
        '/api/circulation/readers/{id}/panel',
        '/api/circulation/reading-room',
        '/api/circulation/return',
        '/api/circulation/scan',
        '/api/circulation/stats',
        '/api/circulation/my-reservations',
        '/api/circulation/my-reservations/{id}/cancel',
        '/api/circulation/reservations',
        '/api/circulation/reservations/{id}/cancel',
        '/api/circulation/hold-shelf',
        '/api/circulation/reservation-rules',
      ].sort(),
    );
  });
});
