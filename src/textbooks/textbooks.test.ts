import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, TEST_PASSWORD, type Tenants } from '../../test/support/tenants.js';
import { createUser } from '../org/users.js';

const YEAR = '2026-2027';
const NEXT = '2027-2028';

describe.each(BACKENDS)('the textbook fund on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let lib: ApiClient;
  const work: Record<string, number> = {};
  const student: Record<string, number> = {};

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    lib = new ApiClient(app);
    await lib.login('librarian-a');
    const db = database.db;
    for (const [key, title] of [
      ['kazakh', 'Қазақ тілі. 5-сынып'],
      ['maths', 'Математика. 5-сынып'],
      ['history', 'Қазақстан тарихы. 5-сынып'],
      ['maths6', 'Математика. 6-сынып'],
      ['primer', 'Әліппе'],
    ] as const) {
      work[key] = await makeWork(db, { title, authors: ['Авторлар ұжымы'], knowledgeGroup: null });
    }
    // Class 5 Ә, the teacher's class: four students now and one who has left the school.
    for (const [key, lastName, firstName] of [
      ['serikov', 'Серіков', 'Бауыржан'],
      ['akhmetova', 'Ахметова', 'Әлия'],
      ['kassymov', 'Қасымов', 'Данияр'],
      ['zhumabayeva', 'Жұмабаева', 'Гүлнар'],
      ['left', 'Бекова', 'Айым'],
    ] as const) {
      student[key] = (await makeReader(db, tenants.schoolA.id, { lastName, firstName, grade: 5, classLetter: 'Ә' })).id;
    }
    await db.updateTable('readers.readers').set({ status: 'left' }).where('id', '=', student.left!).execute();
    student.otherClass = (await makeReader(db, tenants.schoolA.id, { lastName: 'Омаров', firstName: 'Ерлан', grade: 5, classLetter: 'Б' })).id;
    for (const firstName of ['Нұрлан', 'Мадина']) await makeReader(db, tenants.schoolA.id, { lastName: 'Төлеуов', firstName, grade: 4, classLetter: 'А' });
    student.schoolB = (await makeReader(db, tenants.schoolB.id, { lastName: 'Сейітова', firstName: 'Камила', grade: 5, classLetter: 'Ә' })).id;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const stockOf = async (workId: number) => (await lib.get('/api/textbooks/stock')).body.items.find((s: { workId: number }) => s.workId === workId);
  const recordOf = async (readerId: number) => (await lib.get(`/api/textbooks/students/${readerId}`)).body;

  it('keeps the curriculum list of grade 5 for the school year', async () => {
    for (const [key, subject] of [['kazakh', 'Қазақ тілі'], ['maths', 'Математика'], ['history', 'Қазақстан тарихы']] as const) {
      const res = await lib.post('/api/textbooks/curriculum', { schoolYear: YEAR, grade: 5, subject, workId: work[key], language: 'kk' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ schoolYear: YEAR, grade: 5, subject, workId: work[key], copiesPerStudent: 1 });
    }
    const list = await lib.get(`/api/textbooks/curriculum?schoolYear=${YEAR}&grade=5`);
    expect(list.body.items.map((i: { subject: string }) => i.subject)).toEqual(['Қазақ тілі', 'Қазақстан тарихы', 'Математика']);

    const twin = await lib.post('/api/textbooks/curriculum?lang=ru', { schoolYear: YEAR, grade: 5, subject: 'Қазақ тілі', workId: work.kazakh, language: 'kk' });
    expect(twin.status).toBe(409);
    expect(twin.body.error).toMatchObject({ code: 'textbooks.curriculum_duplicate', message: `Учебник «Қазақ тілі. 5-сынып» уже есть в перечне 5 класса на ${YEAR} учебный год` });
    const badYear = await lib.post('/api/textbooks/curriculum', { schoolYear: '2026-2028', grade: 5, subject: 'Музыка', workId: work.kazakh, language: 'kk' });
    expect(badYear.status).toBe(400);
    expect(badYear.body.error.code).toBe('textbooks.bad_school_year');
    expect((await lib.get(`/api/textbooks/curriculum?schoolYear=${YEAR}`)).body.total).toBe(3);
  });

  it('receives textbooks with a receipt document of the fund', async () => {
    const res = await lib.post('/api/textbooks/receipts', {
      receivedOn: '2026-08-15', source: 'budget_purchase', documentNumber: 'ЖШ-118', supplier: 'Атамұра', schoolYear: YEAR,
      lines: [{ workId: work.kazakh, count: 4, priceTiyn: 180000 }, { workId: work.maths, count: 3, priceTiyn: 210000 }],
    });
    expect(res.status).toBe(201);
    expect(res.body.items.map((b: { title: string; copiesCount: number; sumTiyn: number }) => [b.title, b.copiesCount, b.sumTiyn])).toEqual([
      ['Қазақ тілі. 5-сынып', 4, 720000],
      ['Математика. 5-сынып', 3, 630000],
    ]);
    const receipt = await lib.get('/api/fund/receipts');
    const document = receipt.body.items.find((r: { id: number }) => r.id === res.body.items[0].receiptId);
    expect(document).toMatchObject({ source: 'budget_purchase', documentNumber: 'ЖШ-118', receivedOn: '2026-08-15' });
    expect(await stockOf(work.maths!)).toMatchObject({ received: 3, good: 3, issued: 0, usable: 3, averagePriceTiyn: 210000 });
  });

  it('lists the new batches until they are stamped as the library’s property', async () => {
    const waiting = await lib.get('/api/textbooks/receipts?unstamped=true');
    expect(waiting.body.items.map((b: { title: string; stampedOn: string | null }) => [b.title, b.stampedOn])).toEqual([
      ['Қазақ тілі. 5-сынып', null],
      ['Математика. 5-сынып', null],
    ]);
    const ids = waiting.body.items.map((b: { id: number }) => b.id);
    const stamped = await lib.post('/api/textbooks/receipts/stamp', { batchIds: ids, stampedOn: '2026-08-17' });
    expect(stamped.body.items.map((b: { stampedOn: string }) => b.stampedOn)).toEqual(['2026-08-17', '2026-08-17']);
    expect((await lib.get('/api/textbooks/receipts?unstamped=true')).body.total).toBe(0);
    const other = new ApiClient(app);
    await other.login('librarian-b');
    expect((await other.post('/api/textbooks/receipts/stamp', { batchIds: ids })).status).toBe(404);
  });

  it('diagnoses the supply of class 5 Ә: who lacks what and what the fund cannot cover', async () => {
    const res = await lib.get(`/api/textbooks/diagnosis?schoolYear=${YEAR}&grade=5&classLetter=${encodeURIComponent('ә')}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ grade: 5, classLetter: 'Ә', language: 'kk', studentsCount: 4 });
    const rows = res.body.titles.map((t: Record<string, unknown>) => [t.title, t.needed, t.issued, t.lacking, t.available, t.shortage]);
    expect(rows).toEqual([
      ['Қазақ тілі. 5-сынып', 4, 0, 4, 4, 0],
      ['Қазақстан тарихы. 5-сынып', 4, 0, 4, 0, 4],
      ['Математика. 5-сынып', 4, 0, 4, 3, 1],
    ]);
    expect(res.body.students.map((s: { name: string }) => s.name)).toEqual(['Ахметова Әлия', 'Жұмабаева Гүлнар', 'Қасымов Данияр', 'Серіков Бауыржан']);
    expect(res.body.students.every((s: { complete: boolean; items: { missing: number }[] }) => !s.complete && s.items.every((i) => i.missing === 1))).toBe(true);
  });

  it('issues the full set to the class while the stock lasts and reports who did not get what', async () => {
    const res = await lib.post('/api/textbooks/classes/issue', { schoolYear: YEAR, grade: 5, classLetter: 'Ә', issuedOn: '2026-09-01' });
    expect(res.status).toBe(200);
    expect(res.body.issuedCopies).toBe(7);
    expect(res.body.notIssued.map((n: { name: string; title: string; missing: number }) => `${n.name}: ${n.title} ×${n.missing}`)).toEqual([
      'Ахметова Әлия: Қазақстан тарихы. 5-сынып ×1',
      'Жұмабаева Гүлнар: Қазақстан тарихы. 5-сынып ×1',
      'Қасымов Данияр: Қазақстан тарихы. 5-сынып ×1',
      'Серіков Бауыржан: Қазақстан тарихы. 5-сынып ×1',
      'Серіков Бауыржан: Математика. 5-сынып ×1',
    ]);
    const after = (await lib.get(`/api/textbooks/diagnosis?schoolYear=${YEAR}&grade=5&classLetter=Ә`)).body;
    expect(after.titles.map((t: { issued: number; available: number; shortage: number }) => [t.issued, t.available, t.shortage])).toEqual([[4, 0, 0], [0, 0, 4], [3, 0, 1]]);
    const serikov = after.students.find((s: { readerId: number }) => s.readerId === student.serikov);
    expect(serikov.items.filter((i: { missing: number }) => i.missing).map((i: { workId: number }) => i.workId).sort()).toEqual([work.maths, work.history].sort());
    // Nobody outside the class and no one who has left was given anything.
    expect((await recordOf(student.left!)).holding).toBe(0);
    expect((await recordOf(student.otherClass!)).holding).toBe(0);
    // A second run gives nothing twice.
    const again = await lib.post('/api/textbooks/classes/issue', { schoolYear: YEAR, grade: 5, classLetter: 'Ә' });
    expect(again.body.issuedCopies).toBe(0);
    expect(again.body.notIssued).toHaveLength(5);
    expect(await stockOf(work.kazakh!)).toMatchObject({ received: 4, good: 0, issued: 4, usable: 4 });
  });

  it('lets the class teacher read the own class only, and no methodologist at all', async () => {
    const teacher = new ApiClient(app);
    await teacher.login('teacher-a');
    const own = await teacher.get(`/api/textbooks/diagnosis?schoolYear=${YEAR}&grade=5&classLetter=Ә`);
    expect(own.status).toBe(200);
    expect(own.body.studentsCount).toBe(4);
    expect((await teacher.get(`/api/textbooks/diagnosis?schoolYear=${YEAR}&grade=5&classLetter=Б`)).status).toBe(403);
    expect((await teacher.get(`/api/textbooks/students/${student.akhmetova}`)).body.holding).toBe(2);
    expect((await teacher.get(`/api/textbooks/students/${student.otherClass}`)).status).toBe(403);
    expect((await teacher.post('/api/textbooks/classes/issue', { schoolYear: YEAR, grade: 5, classLetter: 'Ә' })).status).toBe(403);
    const method = new ApiClient(app);
    await method.login('method');
    expect((await method.get(`/api/textbooks/diagnosis?schoolYear=${YEAR}&grade=5&classLetter=Ә`)).status).toBe(403);
    expect((await method.get(`/api/textbooks/students/${student.akhmetova}`)).status).toBe(403);
    expect((await method.get('/api/textbooks/stock')).status).toBe(403);
  });

  it('shows a student the own textbook record and nobody else’s', async () => {
    await createUser(database.db, null, {
      login: 'aliya', password: TEST_PASSWORD, fullName: 'Ахметова Әлия', role: 'student', organisationId: tenants.schoolA.id, readerId: student.akhmetova,
    });
    const aliya = new ApiClient(app);
    await aliya.login('aliya');
    const own = await aliya.get(`/api/textbooks/students/${student.akhmetova}`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ name: 'Ахметова Әлия', grade: 5, classLetter: 'Ә', holding: 2 });
    expect(own.body.issues.map((i: { title: string; issuedOn: string }) => [i.title, i.issuedOn])).toEqual([
      ['Қазақ тілі. 5-сынып', '2026-09-01'],
      ['Математика. 5-сынып', '2026-09-01'],
    ]);
    expect((await aliya.get(`/api/textbooks/students/${student.serikov}`)).status).toBe(403);
    expect((await aliya.get(`/api/textbooks/diagnosis?schoolYear=${YEAR}&grade=5&classLetter=Ә`)).status).toBe(403);
  });

  it('issues to one student all or nothing, and refuses more than the stock', async () => {
    await lib.post('/api/textbooks/receipts', {
      receivedOn: '2026-09-10', source: 'gift', schoolYear: YEAR,
      lines: [{ workId: work.maths, count: 1, priceTiyn: 230000 }, { workId: work.history, count: 1, priceTiyn: 150000 }],
    });
    const tooMany = await lib.post(`/api/textbooks/students/${student.serikov}/issue?lang=kk`, {
      schoolYear: YEAR, items: [{ workId: work.maths }, { workId: work.history }, { workId: work.history }],
    });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toEqual({
      code: 'textbooks.out_of_stock', message: '«Қазақстан тарихы. 5-сынып» оқулығы қорда қалмады', params: { title: 'Қазақстан тарихы. 5-сынып' },
    });
    expect((await recordOf(student.serikov!)).holding).toBe(1);
    expect(await stockOf(work.history!)).toMatchObject({ good: 1, issued: 0 });
    expect(await stockOf(work.maths!)).toMatchObject({ good: 1, issued: 3 });

    const res = await lib.post(`/api/textbooks/students/${student.serikov}/issue`, {
      schoolYear: YEAR, issuedOn: '2026-09-11', items: [{ workId: work.maths, barcode: '300000017' }, { workId: work.history }],
    });
    expect(res.status).toBe(200);
    expect(res.body.holding).toBe(3);
    expect(res.body.issues.find((i: { workId: number }) => i.workId === work.maths)).toMatchObject({ barcode: '300000017', issuedOn: '2026-09-11', issuedCondition: 'good', returnedOn: null });

    const left = await lib.post(`/api/textbooks/students/${student.left}/issue`, { schoolYear: YEAR, items: [{ workId: work.kazakh }] });
    expect(left.status).toBe(409);
    expect(left.body.error.code).toBe('textbooks.not_active_student');
  });

  it('takes textbooks back from a student with their condition, and refuses what was not issued', async () => {
    const worn = await lib.post(`/api/textbooks/students/${student.akhmetova}/return`, { returnedOn: '2026-12-20', items: [{ workId: work.kazakh, condition: 'worn' }] });
    expect(worn.status).toBe(200);
    expect(worn.body.issues.find((i: { workId: number }) => i.workId === work.kazakh)).toMatchObject({ returnedOn: '2026-12-20', returnCondition: 'worn' });
    expect(await stockOf(work.kazakh!)).toMatchObject({ good: 0, worn: 1, issued: 3 });

    const twice = await lib.post(`/api/textbooks/students/${student.akhmetova}/return?lang=ru`, { items: [{ workId: work.maths, condition: 'good' }, { workId: work.kazakh, condition: 'good' }] });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'textbooks.not_issued', message: 'Учебник «Қазақ тілі. 5-сынып» ученику не выдавался, вернуть его нельзя' });
    // The maths book of the same request stays with her: nothing half-written.
    expect((await recordOf(student.akhmetova!)).holding).toBe(1);
    expect(await stockOf(work.maths!)).toMatchObject({ good: 0, issued: 4 });

    const early = await lib.post(`/api/textbooks/students/${student.serikov}/return`, { returnedOn: '2026-08-01', items: [{ barcode: '300000017', condition: 'good' }] });
    expect(early.status).toBe(400);
    expect(early.body.error.code).toBe('textbooks.return_before_issue');
  });

  it('takes everything back from the class in May, with the exceptions the librarian notes', async () => {
    const res = await lib.post('/api/textbooks/classes/return', {
      grade: 5, classLetter: 'Ә', returnedOn: '2027-05-25', condition: 'good',
      exceptions: [
        { readerId: student.zhumabayeva, workId: work.maths, condition: 'unusable' },
        { readerId: student.kassymov, workId: work.kazakh, condition: 'lost' },
        { readerId: student.serikov, workId: work.history, condition: 'worn' },
      ],
    });
    expect(res.status).toBe(200);
    // Open: Kazakh 3 (Zhumabayeva, Kassymov, Serikov), maths 4, history 1 (Serikov).
    expect(res.body).toEqual({ returned: 8, byCondition: { good: 5, worn: 1, unusable: 1, lost: 1 } });
    expect(await stockOf(work.kazakh!)).toMatchObject({ good: 2, worn: 1, lost: 1, issued: 0, usable: 3 });
    expect(await stockOf(work.maths!)).toMatchObject({ good: 3, unusable: 1, issued: 0, usable: 3 });
    const record = await recordOf(student.kassymov!);
    expect(record.holding).toBe(0);
    expect(record.issues.map((i: { title: string; returnCondition: string }) => [i.title, i.returnCondition])).toEqual([
      ['Қазақ тілі. 5-сынып', 'lost'],
      ['Математика. 5-сынып', 'good'],
    ]);
    const nothing = await lib.post('/api/textbooks/classes/return', { grade: 5, classLetter: 'Ә' });
    expect(nothing.status).toBe(409);
    expect(nothing.body.error.code).toBe('textbooks.class_holds_nothing');
  });

  it('writes off worn-out and lost textbooks by count, valued at the average price', async () => {
    const wear = await lib.post('/api/textbooks/write-offs', { actDate: '2027-06-05', reason: 'wear', lines: [{ workId: work.maths, condition: 'unusable', count: 1 }] });
    expect(wear.status).toBe(201);
    // Maths: 3 copies at 2,100 ₸ and 1 at 2,300 ₸ → 2,150 ₸ each on average.
    expect(wear.body).toMatchObject({ reason: 'wear', copiesCount: 1, sumTiyn: 215000 });
    const loss = await lib.post('/api/textbooks/write-offs', { actDate: '2027-06-05', reason: 'loss', lines: [{ workId: work.kazakh, condition: 'lost', count: 1 }] });
    expect(Number(loss.body.number)).toBe(Number(wear.body.number) + 1);
    expect(loss.body.sumTiyn).toBe(180000);

    const before = await lib.get('/api/textbooks/stock');
    const wrongCondition = await lib.post('/api/textbooks/write-offs', { reason: 'wear', lines: [{ workId: work.kazakh, condition: 'good', count: 1 }] });
    expect(wrongCondition.status).toBe(400);
    expect(wrongCondition.body.error.code).toBe('textbooks.condition_not_for_reason');
    const tooMany = await lib.post('/api/textbooks/write-offs', {
      reason: 'wear', lines: [{ workId: work.history, condition: 'worn', count: 1 }, { workId: work.kazakh, condition: 'worn', count: 2 }],
    });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({ code: 'textbooks.not_enough_on_shelf', params: { title: 'Қазақ тілі. 5-сынып', available: 1, count: 2 } });
    const stillInPlan = await lib.post('/api/textbooks/write-offs', { reason: 'curriculum_change', lines: [{ workId: work.history, condition: 'good', count: 1 }] });
    expect(stillInPlan.status).toBe(409);
    expect(stillInPlan.body.error.code).toBe('textbooks.still_in_curriculum');
    expect((await lib.get('/api/textbooks/stock')).body).toEqual(before.body);
    expect((await lib.get('/api/textbooks/write-offs')).body.total).toBe(2);

    // Every copy is accounted for: received − written off = shelf + with students.
    for (const s of (await lib.get('/api/textbooks/stock')).body.items) {
      expect(s.received - s.writtenOff).toBe(s.good + s.worn + s.unusable + s.lost + s.issued);
    }
  });

  it('starts next year from this year, writes off a title the curriculum dropped, and orders the rest', async () => {
    const copy = await lib.post('/api/textbooks/curriculum/copy', { fromYear: YEAR, toYear: NEXT });
    expect(copy.body).toEqual({ copied: 3 });
    expect((await lib.post('/api/textbooks/curriculum/copy', { fromYear: YEAR, toYear: NEXT })).body).toEqual({ copied: 0 });
    const next = (await lib.get(`/api/textbooks/curriculum?schoolYear=${NEXT}`)).body.items;
    const history = next.find((i: { workId: number }) => i.workId === work.history);
    expect((await lib.delete(`/api/textbooks/curriculum/${history.id}`)).status).toBe(200);
    const dropped = await lib.post('/api/textbooks/write-offs', { actDate: '2027-06-20', reason: 'curriculum_change', lines: [{ workId: work.history, condition: 'worn', count: 1 }] });
    expect(dropped.status).toBe(201);
    expect(dropped.body.sumTiyn).toBe(150000);

    await lib.post('/api/textbooks/curriculum', { schoolYear: NEXT, grade: 6, subject: 'Математика', workId: work.maths6, language: 'kk' });
    await lib.post('/api/textbooks/curriculum', { schoolYear: NEXT, grade: 1, subject: 'Сауат ашу', workId: work.primer, language: 'kk', copiesPerStudent: 2 });
    const kazakhRow = next.find((i: { workId: number }) => i.workId === work.kazakh);
    expect((await lib.patch(`/api/textbooks/curriculum/${kazakhRow.id}`, { copiesPerStudent: 2 })).body.copiesPerStudent).toBe(2);
    expect((await lib.put('/api/textbooks/forecasts', { schoolYear: NEXT, grade: 1, language: 'kk', expected: 3 })).status).toBe(200);

    const res = await lib.get(`/api/textbooks/order?schoolYear=${NEXT}`);
    expect(res.status).toBe(200);
    expect(res.body.expected).toEqual([
      { grade: 1, language: 'kk', students: 3, source: 'forecast' },
      { grade: 5, language: 'kk', students: 2, source: 'promoted' },
      { grade: 6, language: 'kk', students: 5, source: 'promoted' },
    ]);
    // Grade 5 next year = this year's two fourth graders; grade 6 = the five fifth graders of 5 Ә and 5 Б.
    const lines = res.body.lines.map((l: Record<string, unknown>) => [l.title, l.needed, l.usable, l.toOrder, l.sumTiyn]);
    expect(lines).toEqual([
      ['Әліппе', 6, 0, 6, 0],
      ['Қазақ тілі. 5-сынып', 4, 3, 1, 180000],
      ['Математика. 5-сынып', 2, 3, 0, 0],
      ['Математика. 6-сынып', 5, 0, 5, 0],
    ]);
    expect(res.body).toMatchObject({ totalCopies: 12, totalSumTiyn: 180000 });
  });

  it('exports the order as a spreadsheet that reads back with its Kazakh letters', async () => {
    const res = await lib.get(`/api/textbooks/order.xlsx?schoolYear=${NEXT}&lang=kk`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.raw as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Тапсырыс')!;
    expect(ws).toBeDefined();
    expect(ws.getCell('A1').value).toBe(`${NEXT} оқу жылына оқулықтар тапсырысы — №1 мектеп-гимназия`);
    expect(ws.getRow(3).values).toEqual([undefined, 'Оқулық', 'Пән', 'Сыныптар', 'Қажет', 'Жарамды даналар', 'Тапсырыс', 'Бағасы, ₸', 'Сомасы, ₸']);
    expect(ws.getRow(4).values).toEqual([undefined, 'Әліппе', 'Сауат ашу', '1', 6, 0, 6, 0, 0]);
    expect(ws.getRow(5).values).toEqual([undefined, 'Қазақ тілі. 5-сынып', 'Қазақ тілі', '5', 4, 3, 1, 1800, 1800]);
    expect(ws.getRow(7).values).toEqual([undefined, 'Математика. 6-сынып', 'Математика', '6', 5, 0, 5, 0, 0]);
    expect(ws.getRow(8).values).toEqual([undefined, 'Барлығы', '', '', '', '', 12, '', 1800]);
  });

  it('keeps the bad input out: languages, classes, copies per student, forecasts, empty years', async () => {
    const cases: [string, string, unknown, string][] = [
      ['post', '/api/textbooks/curriculum', { schoolYear: YEAR, grade: 5, subject: 'Музыка', workId: work.kazakh, language: 'KAZ' }, 'textbooks.bad_language'],
      ['post', '/api/textbooks/curriculum', { schoolYear: YEAR, grade: 14, subject: 'Музыка', workId: work.kazakh, language: 'kk' }, 'textbooks.bad_grade'],
      ['post', '/api/textbooks/curriculum', { schoolYear: YEAR, grade: 5, subject: '  ', workId: work.primer, language: 'kk' }, 'textbooks.subject_required'],
      ['post', '/api/textbooks/curriculum', { schoolYear: YEAR, grade: 5, subject: 'Музыка', workId: work.primer, language: 'kk', copiesPerStudent: 9 }, 'textbooks.bad_copies_per_student'],
      ['put', '/api/textbooks/class-languages', { grade: 5, classLetter: '7', language: 'ru' }, 'textbooks.bad_class'],
      ['put', '/api/textbooks/forecasts', { schoolYear: NEXT, grade: 1, language: 'kk', expected: -2 }, 'textbooks.bad_expected'],
      ['post', '/api/textbooks/curriculum/copy', { fromYear: '2020-2021', toYear: '2021-2022' }, 'textbooks.curriculum_empty'],
      ['post', '/api/textbooks/receipts', { receivedOn: '2026-09-01', source: 'gift', schoolYear: YEAR, lines: [{ workId: work.primer, count: 2, priceTiyn: 0 }] }, 'textbooks.bad_price'],
      ['post', '/api/textbooks/receipts', { receivedOn: '2026-09-01', source: 'gift', schoolYear: YEAR, lines: [] }, 'textbooks.no_lines'],
      ['post', '/api/textbooks/classes/issue', { schoolYear: '2030-2031', grade: 5, classLetter: 'Ә' }, 'textbooks.curriculum_empty'],
      ['post', '/api/textbooks/classes/issue', { schoolYear: YEAR, grade: 5, classLetter: 'Q' }, 'textbooks.bad_class'],
    ];
    for (const [method, url, body, code] of cases) {
      const res = method === 'post' ? await lib.post(url, body) : await lib.put(url, body);
      expect([res.status, res.body.error?.code], `${url} ${JSON.stringify(body)}`).toEqual([400, code]);
    }
    expect((await lib.get(`/api/textbooks/curriculum?schoolYear=${YEAR}`)).body.total).toBe(3);
    expect((await lib.get('/api/textbooks/receipts')).body.total).toBe(4);
    expect((await lib.get('/api/textbooks/class-languages')).body.total).toBe(0);
    expect((await lib.get('/api/textbooks/order?schoolYear=2030-2031')).body.error.code).toBe('textbooks.curriculum_empty');
  });

  it('teaches a Russian class from the Russian list', async () => {
    expect((await lib.put('/api/textbooks/class-languages', { grade: 5, classLetter: 'б', language: 'ru' })).body).toEqual({ grade: 5, classLetter: 'Б', language: 'ru' });
    const res = await lib.get(`/api/textbooks/diagnosis?schoolYear=${YEAR}&grade=5&classLetter=Б`);
    expect(res.body).toMatchObject({ language: 'ru', studentsCount: 1, titles: [] });
    await lib.put('/api/textbooks/class-languages', { grade: 5, classLetter: 'Б', language: 'kk' });
  });

  it('gives the methodologist the supply of the district’s schools in figures, without a name of a child', async () => {
    const method = new ApiClient(app);
    await method.login('method');
    const res = await method.get('/api/textbooks/overview');
    expect(res.status).toBe(200);
    const stock = (await lib.get('/api/textbooks/stock')).body.items as { received: number; writtenOff: number; usable: number; issued: number }[];
    const sum = (f: (s: (typeof stock)[number]) => number) => stock.reduce((n, s) => n + f(s), 0);
    expect(res.body.items).toEqual([
      {
        organisationId: tenants.schoolA.id, name: '№1 мектеп-гимназия', students: 7, titles: stock.length,
        received: sum((s) => s.received), writtenOff: sum((s) => s.writtenOff), withStudents: sum((s) => s.issued),
        usable: sum((s) => s.usable), unusable: 0, lost: 0, perStudent: Math.round((sum((s) => s.usable) / 7) * 100) / 100,
      },
    ]);
    expect(res.body.items[0].usable).toBe(6);
    expect((await method.get(`/api/textbooks/overview?organisationId=${tenants.otherDistrict.id}`)).status).toBe(403);
    const other = new ApiClient(app);
    await other.login('librarian-b');
    expect((await other.get(`/api/textbooks/overview?organisationId=${tenants.schoolA.id}`)).status).toBe(403);
    expect((await other.get('/api/textbooks/overview')).body.items).toMatchObject([{ organisationId: tenants.schoolB.id, students: 1, received: 0 }]);
  });

  it('checks the shelf by count: missing copies become lost, a surplus must come with a receipt', async () => {
    const surplus = await lib.post('/api/textbooks/checks?lang=ru', {
      checkedOn: '2027-06-25', lines: [{ workId: work.kazakh, good: 1, worn: 1, unusable: 0 }, { workId: work.maths, good: 4, worn: 0, unusable: 0 }],
    });
    expect(surplus.status).toBe(409);
    expect(surplus.body.error.message).toBe('«Математика. 5-сынып»: на полке на 1 экз. больше, чем по учёту. Сначала примите лишние экземпляры документом поступления');
    expect(await stockOf(work.kazakh!)).toMatchObject({ good: 2, worn: 1, lost: 0 });

    const res = await lib.post('/api/textbooks/checks', { checkedOn: '2027-06-25', lines: [{ workId: work.kazakh, good: 1, worn: 1, unusable: 0 }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      checkedOn: '2027-06-25', missing: 1,
      lines: [{ title: 'Қазақ тілі. 5-сынып', expected: { good: 2, worn: 1, unusable: 0 }, counted: { good: 1, worn: 1, unusable: 0 }, missing: 1 }],
    });
    expect(await stockOf(work.kazakh!)).toMatchObject({ good: 1, worn: 1, lost: 1, usable: 2 });
    expect((await lib.get('/api/textbooks/checks')).body.total).toBe(1);
    const twice = await lib.post('/api/textbooks/checks', { lines: [{ workId: work.maths, good: 1, worn: 0, unusable: 0 }, { workId: work.maths, good: 1, worn: 0, unusable: 0 }] });
    expect([twice.status, twice.body.error.code]).toEqual([400, 'textbooks.check_title_twice']);
    for (const s of (await lib.get('/api/textbooks/stock')).body.items) {
      expect(s.received - s.writtenOff).toBe(s.good + s.worn + s.unusable + s.lost + s.issued);
    }
  });

  it('shows another school nothing of school A, and lets no anonymous visitor in', async () => {
    const other = new ApiClient(app);
    await other.login('librarian-b');
    for (const url of ['/api/textbooks/stock', '/api/textbooks/receipts', '/api/textbooks/write-offs', '/api/textbooks/checks', `/api/textbooks/curriculum?schoolYear=${YEAR}`]) {
      const res = await other.get(url);
      expect([url, res.status, res.body.total]).toEqual([url, 200, 0]);
    }
    expect((await other.get(`/api/textbooks/students/${student.akhmetova}`)).status).toBe(404);
    expect((await other.post(`/api/textbooks/students/${student.akhmetova}/issue`, { schoolYear: YEAR, items: [{ workId: work.kazakh }] })).status).toBe(404);
    expect((await other.post(`/api/textbooks/students/${student.akhmetova}/return`, { items: [{ workId: work.kazakh, condition: 'good' }] })).status).toBe(404);
    const next = (await lib.get(`/api/textbooks/curriculum?schoolYear=${NEXT}`)).body.items;
    expect((await other.patch(`/api/textbooks/curriculum/${next[0].id}`, { subject: 'Өзгерді' })).status).toBe(404);
    expect((await other.delete(`/api/textbooks/curriculum/${next[0].id}`)).status).toBe(404);
    const diagnosis = await other.get(`/api/textbooks/diagnosis?schoolYear=${YEAR}&grade=5&classLetter=Ә`);
    expect(diagnosis.body).toMatchObject({ studentsCount: 1, titles: [] });
    expect(diagnosis.body.students.map((s: { readerId: number }) => s.readerId)).toEqual([student.schoolB]);
    expect((await other.get(`/api/textbooks/order?schoolYear=${NEXT}`)).status).toBe(400);
    // School A's list is untouched.
    expect((await lib.get(`/api/textbooks/curriculum?schoolYear=${NEXT}`)).body.items[0].subject).toBe(next[0].subject);

    const anonymous = new ApiClient(app);
    const routes: [string, string][] = [
      ['GET', `/api/textbooks/curriculum?schoolYear=${YEAR}`], ['POST', '/api/textbooks/curriculum'], ['PATCH', `/api/textbooks/curriculum/${next[0].id}`],
      ['DELETE', `/api/textbooks/curriculum/${next[0].id}`], ['POST', '/api/textbooks/curriculum/copy'], ['GET', '/api/textbooks/class-languages'],
      ['PUT', '/api/textbooks/class-languages'], ['GET', `/api/textbooks/forecasts?schoolYear=${NEXT}`], ['PUT', '/api/textbooks/forecasts'],
      ['GET', '/api/textbooks/receipts'], ['POST', '/api/textbooks/receipts'], ['POST', '/api/textbooks/receipts/stamp'], ['GET', '/api/textbooks/stock'], ['GET', '/api/textbooks/write-offs'], ['GET', '/api/textbooks/checks'], ['POST', '/api/textbooks/checks'],
      ['POST', '/api/textbooks/write-offs'], ['GET', `/api/textbooks/diagnosis?schoolYear=${YEAR}&grade=5&classLetter=Ә`],
      ['POST', '/api/textbooks/classes/issue'], ['POST', '/api/textbooks/classes/return'], ['GET', `/api/textbooks/students/${student.akhmetova}`],
      ['POST', `/api/textbooks/students/${student.akhmetova}/issue`], ['POST', `/api/textbooks/students/${student.akhmetova}/return`],
      ['GET', `/api/textbooks/order?schoolYear=${NEXT}`], ['GET', `/api/textbooks/order.xlsx?schoolYear=${NEXT}`], ['GET', '/api/textbooks/overview'],
    ];
    const bodies: Record<string, unknown> = {
      '/api/textbooks/curriculum': { schoolYear: YEAR, grade: 5, subject: 'Музыка', workId: work.primer, language: 'kk' },
      '/api/textbooks/curriculum/copy': { fromYear: YEAR, toYear: '2028-2029' },
      '/api/textbooks/class-languages': { grade: 5, classLetter: 'Ә', language: 'ru' },
      '/api/textbooks/forecasts': { schoolYear: NEXT, grade: 1, language: 'kk', expected: 99 },
      '/api/textbooks/receipts': { receivedOn: '2026-09-01', source: 'gift', schoolYear: YEAR, lines: [{ workId: work.primer, count: 1, priceTiyn: 100 }] },
      '/api/textbooks/receipts/stamp': { batchIds: [1] },
      '/api/textbooks/checks': { lines: [{ workId: work.kazakh, good: 0, worn: 0, unusable: 0 }] },
      '/api/textbooks/write-offs': { reason: 'wear', lines: [{ workId: work.maths, condition: 'good', count: 1 }] },
      '/api/textbooks/classes/issue': { schoolYear: YEAR, grade: 5, classLetter: 'Ә' },
      '/api/textbooks/classes/return': { grade: 5, classLetter: 'Ә' },
      [`/api/textbooks/curriculum/${next[0].id}`]: { subject: 'Өзгерді' },
      [`/api/textbooks/students/${student.akhmetova}/issue`]: { schoolYear: YEAR, items: [{ workId: work.kazakh }] },
      [`/api/textbooks/students/${student.akhmetova}/return`]: { items: [{ workId: work.kazakh, condition: 'good' }] },
    };
    for (const [method, url] of routes) {
      const res = await anonymous.request({ method: method as 'GET', url, ...(method === 'GET' || method === 'DELETE' ? {} : { payload: bodies[url] as object }) });
      expect([method, url, res.status]).toEqual([method, url, 401]);
    }
    // Every route is described in the OpenAPI document, under its path template.
    const documented = Object.keys((await anonymous.get('/api/openapi.json')).body.paths);
    const template = (url: string) =>
      url.split('?')[0]!.replace(/curriculum\/\d+/, 'curriculum/{id}').replace(/students\/\d+/, 'students/{readerId}');
    expect(documented).toEqual(expect.arrayContaining(routes.map(([, url]) => template(url))));
  });
});
