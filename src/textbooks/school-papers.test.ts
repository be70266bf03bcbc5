import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeReader } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';

const YEAR = '2026-2027';

function upload(api: ApiClient, url: string, file: { name: string; bytes: Buffer }, fields: Record<string, string>) {
  const boundary = `----kitaphana${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
  parts.push(file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return api.request({ method: 'POST', url, payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Тізім');
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const pdfText = (bytes: Buffer) => {
  const file = path.join(os.tmpdir(), `kt-sheet-${process.pid}-${crypto.randomBytes(4).toString('hex')}.pdf`);
  fs.writeFileSync(file, bytes);
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(file, { force: true });
  }
};

describe.each(BACKENDS)('the textbook fund as a school keeps it on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let lib: ApiClient;
  let method: ApiClient;
  const pupils: number[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    lib = new ApiClient(app, 'kk');
    await lib.login('librarian-a');
    method = new ApiClient(app);
    await method.login('method');
    for (const [lastName, firstName] of [['Серіков', 'Бауыржан'], ['Ахметова', 'Әлия'], ['Қасымов', 'Данияр']]) {
      pupils.push((await makeReader(database.db, tenants.schoolA.id, { lastName, firstName, grade: 5, classLetter: 'Ә' })).id);
    }
    await makeReader(database.db, tenants.schoolA.id, { lastName: 'Омаров', firstName: 'Ерлан', grade: 6, classLetter: 'А' });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it("imports the ministry's list with prices into the curriculum and the order", async () => {
    const file = await xlsx([
      ['Сынып', 'Пән', 'Оқулық атауы', 'Авторы', 'Баспа', 'Жылы', 'Тілі', 'Бағасы'],
      [5, 'Қазақ тілі', 'Қазақ тілі. 5-сынып', 'Ә. Оралбаева; Г. Қосымова', 'Атамұра', 2022, 'қазақ', '2 150,00'],
      [5, 'Математика', 'Математика. 5-сынып', 'А. Абылкасымова', 'Мектеп', 2022, 'қазақ', '2 480'],
      [6, 'Тарих', 'Қазақстан тарихы. 6-сынып', 'Т. Омарбеков', 'Атамұра', 2023, 'қазақ', '1 990,50'],
    ]);
    const res = await upload(lib, '/api/textbooks/curriculum/import', { name: 'тізім-2026.xlsx', bytes: file }, { schoolYear: YEAR });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ rows: 3, worksCreated: 3, itemsAdded: 3, itemsKept: 0, pricesSet: 3 });
    const again = await upload(lib, '/api/textbooks/curriculum/import', { name: 'тізім-2026.xlsx', bytes: file }, { schoolYear: YEAR });
    expect(again.body).toMatchObject({ worksCreated: 0, itemsAdded: 0, itemsKept: 3 });
    const list = (await lib.get(`/api/textbooks/curriculum?schoolYear=${YEAR}&grade=5`)).body.items;
    expect(list.map((i: { subject: string }) => i.subject)).toEqual(['Қазақ тілі', 'Математика']);
    // a later price list changes one price; the order values the title at it
    const prices = 'Атауы;Бағасы\nМатематика. 5-сынып;2 600\n';
    const priced = await upload(lib, '/api/textbooks/prices/import', { name: 'баға.csv', bytes: Buffer.from(prices) }, { schoolYear: YEAR });
    expect(priced.status).toBe(200);
    const order = await lib.get(`/api/textbooks/order?schoolYear=${YEAR}`);
    const maths = order.body.lines.find((l: { title: string }) => l.title === 'Математика. 5-сынып');
    expect(maths.lastPriceTiyn).toBe(260000);
  });

  it('refuses a price list with titles the school does not use, writing nothing', async () => {
    const before = await database.db.selectFrom('textbooks.prices').selectAll().execute();
    const csv = 'Атауы;Бағасы\nМатематика. 5-сынып;3000\nХимия. 8-сынып;2500\n';
    const res = await upload(lib, '/api/textbooks/prices/import', { name: 'баға.csv', bytes: Buffer.from(csv) }, { schoolYear: YEAR });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('textbooks.price_unknown_titles');
    expect(res.body.error.message).toContain('Химия. 8-сынып');
    expect(await database.db.selectFrom('textbooks.prices').selectAll().execute()).toEqual(before);
    const bad = await upload(lib, '/api/textbooks/curriculum/import', { name: 'x.csv', bytes: Buffer.from('Сынып;Пән;Атауы\n15;Музыка;Музыка\n') }, { schoolYear: YEAR });
    expect(bad.body.error.code).toBe('textbooks.import_bad_rows');
  });

  it('refuses a raid on a class that was given no textbooks', async () => {
    const res = await lib.post('/api/textbooks/raids', { schoolYear: YEAR, grade: 5, classLetter: 'Ә', lines: [{ readerId: pupils[0], workId: 1, condition: 'good' }] });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'textbooks.raid_no_issues', message: '5 «Ә» сыныбына оқулық берілмеген: рейдте тексеретін ештеңе жоқ' });
    expect(await database.db.selectFrom('textbooks.raids').selectAll().execute()).toEqual([]);
  });

  it('counts the share of complete sets per class and upward, records a raid and prints the papers', async () => {
    const list = (await lib.get(`/api/textbooks/curriculum?schoolYear=${YEAR}&grade=5`)).body.items as { workId: number }[];
    // 3 pupils, 2 titles: 3 copies of the first, only 2 of the second — one pupil lacks a title
    const receipt = await lib.post('/api/textbooks/receipts', {
      receivedOn: '2026-08-15', source: 'budget_purchase', schoolYear: YEAR,
      lines: [{ workId: list[0]!.workId, count: 3, priceTiyn: 215000 }, { workId: list[1]!.workId, count: 2, priceTiyn: 248000 }],
    });
    expect(receipt.status).toBe(201);
    expect((await lib.post('/api/textbooks/classes/issue', { schoolYear: YEAR, grade: 5, classLetter: 'Ә', issuedOn: '2026-09-01' })).status).toBe(200);

    const sets = (await lib.get(`/api/textbooks/complete-sets?schoolYear=${YEAR}`)).body;
    const school = sets.schools.find((s: { organisationId: number }) => s.organisationId === tenants.schoolA.id);
    expect(school.classes).toEqual([
      { grade: 5, classLetter: 'Ә', language: 'kk', titles: 2, students: 3, complete: 2, sharePercent: 66.7 },
      { grade: 6, classLetter: 'А', language: 'kk', titles: 1, students: 1, complete: 0, sharePercent: 0 },
    ]);
    // grade 6 has one title and a pupil holding nothing
    expect(school.grades).toEqual([
      { grade: 5, students: 3, complete: 2, sharePercent: 66.7 },
      { grade: 6, students: 1, complete: 0, sharePercent: 0 },
    ]);
    expect(school).toMatchObject({ students: 4, complete: 2, sharePercent: 50 });
    const district = (await method.get(`/api/textbooks/complete-sets?schoolYear=${YEAR}&organisationId=${tenants.district.id}`)).body;
    expect(district).toMatchObject({ students: 4, complete: 2, sharePercent: 50 });
    expect(JSON.stringify(district)).not.toContain('Серіков');

    const raid = await lib.post('/api/textbooks/raids', {
      schoolYear: YEAR, grade: 5, classLetter: 'Ә', raidOn: '2026-11-20',
      lines: [
        { readerId: pupils[0], workId: list[0]!.workId, condition: 'good' },
        { readerId: pupils[1], workId: list[0]!.workId, condition: 'worn', note: 'мұқабасы жыртылған' },
        { readerId: pupils[2], workId: list[0]!.workId, condition: 'absent' },
      ],
    });
    expect(raid.status).toBe(201);
    expect(raid.body.counts).toEqual({ good: 1, worn: 1, unusable: 0, absent: 1 });
    const notHeld = await lib.post('/api/textbooks/raids', { schoolYear: YEAR, grade: 5, classLetter: 'Ә', lines: [{ readerId: pupils[0], workId: 999999, condition: 'good' }] });
    expect(notHeld.body.error.code).toBe('textbooks.raid_not_held');
    expect((await lib.get('/api/textbooks/raids?grade=5&classLetter=Ә')).body.total).toBe(1);

    const sheet = await lib.get(`/api/textbooks/classes/issue-sheet.pdf?schoolYear=${YEAR}&grade=5&classLetter=${encodeURIComponent('Ә')}`);
    expect(sheet.status).toBe(200);
    expect(sheet.headers['content-type']).toBe('application/pdf');
    const text = pdfText(sheet.raw);
    for (const name of ['Серіков Бауыржан', 'Ахметова Әлия', 'Қасымов Данияр', 'Оқулық беру ведомосы', 'Қолы', 'Математика. 5-сынып']) expect(text).toContain(name);
    const formular = await lib.get(`/api/textbooks/students/${pupils[0]}/formular.pdf`);
    const ftext = pdfText(formular.raw);
    expect(ftext).toContain('Серіков Бауыржан');
    expect(ftext).toContain('Қазақ тілі. 5-сынып');
    expect(ftext).toContain('01.09.2026');
  });
});
