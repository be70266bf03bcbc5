import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/connect.js';
import type { App } from '../../http/types.js';
import { ApiClient, testApp } from '../../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../../test/support/db.js';
import { makeCopy, makeWork } from '../../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../../test/support/tenants.js';
import { createWork } from '../../catalog/works.js';
import { libraryToday } from '../../shared/library-time.js';
import { CHUNK } from './opening.js';
import { buildSummaryBook, type Columns } from './books.js';
import { reconcile } from './reconciliation.js';

/** A multipart/form-data body as a browser sends it: one file and text fields. */
function multipart(file: { name: string; bytes: Buffer }, fields: Record<string, string> = {}) {
  const boundary = `----kitaphana${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
  parts.push(file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function pdfText(pdf: Buffer): string {
  const file = path.join(os.tmpdir(), `kitaphana-opening-${process.pid}-${Date.now()}.pdf`);
  fs.writeFileSync(file, pdf);
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(file, { force: true });
  }
}

const HEADER = 'Инвентарлық нөмір;Түскен күні;Авторы;Атауы;Басылған жылы;Бағасы, теңге;КБЖ;ӘОЖ;Тілі;Басылым түрі';
const TITLES = [
  ['Әуезов М.', 'Абай жолы', '84(5Каз)', 'kaz'],
  ['Толстой Л.', 'Война и мир', '84(2Рос=Рус)', 'rus'],
  ['Жұмабаев М.', 'Шолпанның күнәсі', '84(5Каз)', 'kaz'],
  ['', 'Қазақстан тарихы атласы', '63.3(5Каз)', 'kaz'],
] as const;

/** A fund of `n` copies numbered from `first`, one row per copy; every 10th without a price; maps and brochures among them. */
function fundCsv(n: number, first = 1, titles = 200): string {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) {
    const [author, title, bbk, lang] = TITLES[i % TITLES.length]!;
    const edition = Math.floor(i / TITLES.length) % titles;
    const type = title.includes('атласы') ? 'карта' : i % 7 === 0 ? 'кітапша' : 'кітап';
    const price = i % 10 === 0 ? '' : `${100 + (i % 37)},${String(i % 100).padStart(2, '0')}`;
    const day = String(1 + (i % 28)).padStart(2, '0');
    lines.push([first + i, `${day}.0${1 + (i % 9)}.20${10 + (i % 12)}`, author, `${title} ${edition}`, 2000 + (edition % 20), price, bbk, '', lang, type].join(';'));
  }
  return lines.join('\r\n') + '\r\n';
}

describe.each(BACKENDS)('booking an existing fund on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let lib: ApiClient;
  let libB: ApiClient;
  let method: ApiClient;

  const copies = async (organisationId: number) =>
    Number((await database.db.selectFrom('fund.copies').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', organisationId).executeTakeFirstOrThrow()).n);
  const draftRows = async () =>
    Number((await database.db.selectFrom('fund.opening_rows').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const upload = (client: ApiClient, openingId: number, name: string, bytes: Buffer, fields: Record<string, string> = {}) => {
    const body = multipart({ name, bytes }, fields);
    return client.request({ method: 'POST', url: `/api/fund/opening-balances/${openingId}/file`, ...body });
  };
  const expectReconciled = async () => {
    for (const school of [tenants.schoolA, tenants.schoolB]) expect((await reconcile(database.db, school.id)).unbooked).toBe(0);
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    lib = new ApiClient(app, 'kk');
    await lib.login('librarian-a');
    libB = new ApiClient(app, 'ru');
    await libB.login('librarian-b');
    method = new ApiClient(app, 'en');
    await method.login('method');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('books 10,000 copies from a template with their own numbers, dates and prices, as a draft posted in one step', async () => {
    const opening = await lib.post('/api/fund/opening-balances', { asOf: '2024-09-01', documentNumber: 'ИК-1', documentDate: '2024-08-30' });
    expect(opening.status).toBe(201);
    // numbers 1..10,000 with 5 skipped lines in the paper book: 1001..1005
    const csv = fundCsv(10_000, 1).split('\r\n').filter((_, i) => i < 1001 || i > 1005).join('\r\n') + fundCsv(5, 10_001).split('\r\n').slice(1).join('\r\n');
    const loaded = await upload(lib, opening.body.id, 'fund.csv', Buffer.from(csv, 'utf8'));
    expect(loaded.status, JSON.stringify(loaded.body).slice(0, 500)).toBe(200);
    expect(loaded.body.added).toBe(10_000);
    expect(loaded.body.copiesCount).toBe(10_000);
    // every 10th copy of the first file is unpriced (1,000, less the skipped number 1001) and the first of the second
    const unpriced = 1_000;
    expect(loaded.body.unpricedCount).toBe(unpriced);
    expect(loaded.body.gaps).toEqual([{ from: '1001', to: '1005', row: 1002 }]);
    // nothing on the books until posted
    expect(await copies(tenants.schoolA.id)).toBe(0);
    expect((await lib.get('/api/fund/summary-book?from=2024-01-01&to=2024-12-31')).body.balance.closing.total.copies).toBe(0);

    const posted = await lib.post(`/api/fund/opening-balances/${opening.body.id}/post`);
    expect(posted.status, JSON.stringify(posted.body).slice(0, 300)).toBe(200);
    expect(posted.body).toMatchObject({ status: 'posted', copiesCount: 10_000, unpricedCount: unpriced });
    expect(await draftRows()).toBe(0);
    expect(await lib.get('/api/fund/reconciliation').then((r) => r.body)).toEqual({ copies: 10_000, booked: 10_000, unbooked: 0 });

    const book = await lib.get('/api/fund/inventory-book?from=2024-01-01&to=2024-12-31&limit=3');
    expect(book.body.total).toBe(10_000);
    expect(book.body.items.map((i: { inventoryNumber: string }) => i.inventoryNumber)).toEqual(['1', '2', '3']);
    expect(book.body.items[0]).toMatchObject({ enteredOn: '2010-01-01', priceUnknown: true, priceTiyn: 0 });
    expect(book.body.items[1]).toMatchObject({ enteredOn: '2011-02-02', priceUnknown: false, priceTiyn: 10_101 });

    const summary = (await lib.get('/api/fund/summary-book?from=2024-09-01&to=2024-12-31')).body;
    const row = summary.receipts[0];
    expect(row).toMatchObject({ source: 'initial', documentNumber: 'ИК-1', documentDate: '2024-08-30', date: '2024-09-01' });
    expect(row.titles).toBeGreaterThan(100);
    expect(row.columns.types.map.copies).toBe(2_500);
    expect(row.columns.total.unpriced).toBe(unpriced);
    // brochures of unknown size are booked on the balance, by their type
    expect(row.columns.types.brochure.copies).toBeGreaterThan(1_000);
    expect(row.columns.languages.ru.copies).toBe(2_500);
    // a new copy after the opening balance takes the next free number
    const work = await makeWork(database.db, { title: 'Жаңа кітап' });
    const added = await lib.post('/api/copies', { workId: work, priceTiyn: 150_000 });
    expect(added.status).toBe(201);
    expect(added.body.items[0].inventoryNumber).toBe('10006');
    await expectReconciled();
  }, 240_000);

  it('refuses a template with errors by row and column, translated, and leaves the fund as it was', async () => {
    const before = { copies: await copies(tenants.schoolA.id), rows: await draftRows() };
    const opening = await lib.post('/api/fund/opening-balances', { asOf: '2024-09-01' });
    const bad = [
      HEADER,
      '20001;01.09.2015;Абай;Қара сөздер;2010;1500;84(5Каз);;kaz;кітап',
      '5;01.09.2015;Абай;Қара сөздер;2010;1500;84(5Каз);;kaz;кітап', // taken in the library
      '20001;01.09.2015;Абай;Қара сөздер;2010;1500;84(5Каз);;kaz;кітап', // twice in the file
      '20003;01.09.2015;Абай;Қара сөздер;2010;-15;84(5Каз);;kaz;кітап', // negative price
      '20004;01.09.2099;Абай;Қара сөздер;2010;1500;84(5Каз);;kaz;кітап', // in the future
      '20005;31.02.2015;Абай;Қара сөздер;2010;1500;84(5Каз);;kaz;кітап', // not a date
    ].join('\n');
    const res = await upload(lib, opening.body.id, 'bad.csv', Buffer.from(bad, 'utf8'));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('accounting.opening.rows_invalid');
    const problems = res.body.error.details.problems as { row: number; column: string; code: string; message: string }[];
    expect(problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [3, 'inventoryNumber', 'accounting.opening.number_taken'],
      [4, 'inventoryNumber', 'accounting.opening.duplicate_in_file'],
      [5, 'price', 'accounting.opening.bad_price'],
      [6, 'enteredOn', 'accounting.opening.future_date'],
      [7, 'enteredOn', 'accounting.opening.bad_date'],
    ].sort((a, b) => (a[0] as number) - (b[0] as number)));
    expect(problems[0]!.message).toBe('3-жол, «Инвентарлық нөмір»: №5 инвентарлық нөмір кітапханада бұрыннан бар');
    expect(problems[1]!.message).toContain('2-жолда');

    // a missing column: the file is refused naming it
    const noTitle = await upload(lib, opening.body.id, 'no-title.csv', Buffer.from('Инвентарлық нөмір;Түскен күні\n20010;01.09.2015\n', 'utf8'));
    expect(noTitle.status).toBe(400);
    expect(noTitle.body.error).toMatchObject({ code: 'accounting.opening.missing_column', params: { column: 'title', row: 1 } });
    expect(noTitle.body.error.message).toContain('title');

    // a Russian request gets Russian messages
    const ru = new ApiClient(app, 'ru');
    await ru.login('librarian-a');
    const again = await ru.request({ method: 'POST', url: `/api/fund/opening-balances/${opening.body.id}/file?lang=ru`, ...multipart({ name: 'bad.csv', bytes: Buffer.from(bad, 'utf8') }) });
    expect(again.body.error.details.problems[0].message).toBe('Строка 3, «Инвентарный номер»: инвентарный номер 5 уже занят в библиотеке');

    expect({ copies: await copies(tenants.schoolA.id), rows: await draftRows() }).toEqual(before);
    await lib.delete(`/api/fund/opening-balances/${opening.body.id}`);
  });

  it('refuses a file whose errors come after its first chunks, by row and column, leaving the draft and the fund as they were', async () => {
    const taken = await makeCopy(database.db, tenants.schoolA.id, await makeWork(database.db, { title: 'Алдыңғы кітап' }), { inventoryNumber: 'З-60' });
    const before = { copies: await copies(tenants.schoolA.id), rows: await draftRows() };
    const opening = await lib.post('/api/fund/opening-balances', { asOf: '2024-09-01' });
    const n = 2 * CHUNK + 500;
    const rows = fundCsv(n, 60_001).split('\r\n');
    // the header is row 1: the errors sit in the third chunk, after two chunks were written to the draft
    const at = (row: number, cells: Record<number, string>) => {
      const c = rows[row - 1]!.split(';');
      for (const [i, v] of Object.entries(cells)) c[Number(i)] = v;
      rows[row - 1] = c.join(';');
    };
    at(n - 100, { 0: 'З-60' }); // taken in the library
    at(n - 50, { 6: 'абв' }); // not a BBK index
    at(n - 40, { 4: '1200' }); // before printing
    at(n - 30, { 7: 'x12' }); // not a UDC number
    const res = await upload(lib, opening.body.id, 'late.csv', Buffer.from(rows.join('\r\n'), 'utf8'));
    expect(res.status).toBe(400);
    const problems = res.body.error.details.problems as { row: number; column: string; code: string; message: string }[];
    expect(problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [n - 100, 'inventoryNumber', 'accounting.opening.number_taken'],
      [n - 50, 'bbk', 'accounting.opening.bad_bbk'],
      [n - 40, 'year', 'accounting.opening.bad_year'],
      [n - 30, 'udc', 'accounting.opening.bad_udc'],
    ]);
    expect(problems[1]!.message).toBe(`${n - 50}-жол, «КБЖ»: КБЖ индексі қате: «абв» (мысалы, 84(5Каз)7-44)`);
    expect({ copies: await copies(tenants.schoolA.id), rows: await draftRows() }).toEqual(before);
    expect((await lib.get(`/api/fund/opening-balances/${opening.body.id}`)).body).toMatchObject({ copiesCount: 0, status: 'draft' });
    await lib.delete(`/api/fund/opening-balances/${opening.body.id}`);
    await database.db.deleteFrom('fund.copies').where('id', '=', taken.id).execute();
  });

  it('catalogues the titles of a template as createWork would: search key, author sign, authors, audit', async () => {
    const opening = await lib.post('/api/fund/opening-balances', { asOf: '2024-09-01' });
    const csv = [HEADER, '70001;01.09.2015;Сейфуллин С.; Көкшетау  ;1989;900;84(5Каз);;kaz;кітап', '70002;01.09.2015;;Ертегілер жинағы;;;;;kaz;кітапша'].join('\n');
    const lastAudit = Number((await database.db.selectFrom('org.audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id);
    const res = await upload(lib, opening.body.id, 'new.csv', Buffer.from(csv, 'utf8'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const made = await database.db.selectFrom('fund.opening_rows as r').innerJoin('catalog.works as w', 'w.id', 'r.work_id')
      .select(['r.inventory_number', 'w.id', 'w.title', 'w.search_key', 'w.title_key', 'w.sort_key', 'w.author_sign', 'w.publish_year', 'w.bbk', 'w.language', 'w.publication_type'])
      .where('r.opening_id', '=', opening.body.id).orderBy('r.inventory_number').execute();
    // the same works through the catalogue's own function
    const refs = [
      await createWork(database.db, null, { title: 'Көкшетау', publishYear: 1989, bbk: '84(5Каз)', language: 'kaz', authors: [{ name: 'Сейфуллин С.' }] }),
      await createWork(database.db, null, { title: 'Ертегілер жинағы', language: 'kaz', publicationType: 'brochure' }),
    ];
    for (const [i, ref] of refs.entries()) {
      const want = await database.db.selectFrom('catalog.works').select(['title', 'search_key', 'title_key', 'sort_key', 'author_sign', 'publish_year', 'bbk', 'language', 'publication_type'])
        .where('id', '=', ref).executeTakeFirstOrThrow();
      const { inventory_number: _n, id: _id, ...got } = made[i]!;
      expect(got).toEqual(want);
    }
    const authors = await database.db.selectFrom('catalog.work_authors as wa').innerJoin('catalog.authors as a', 'a.id', 'wa.author_id')
      .select(['a.name', 'wa.role', 'wa.position']).where('wa.work_id', '=', made[0]!.id).execute();
    expect(authors).toEqual([{ name: 'Сейфуллин С.', role: 'author', position: 0 }]);
    // the file's load wrote one audit line for the records its chunk catalogued and one for the file, with counts
    const lines = await database.db.selectFrom('org.audit_log').select(['action', 'entity', 'details'])
      .where('id', '>', lastAudit).where('organisation_id', '=', tenants.schoolA.id).where('entity', 'in', ['work', 'opening_balance']).orderBy('id').execute();
    expect(lines.map((l) => [l.entity, l.action, l.details])).toEqual([
      ['work', 'import', { created: 2 }],
      ['opening_balance', 'load_file', { count: 2, format: 'csv' }],
    ]);
    await lib.delete(`/api/fund/opening-balances/${opening.body.id}`);
  });

  it('refuses a Windows-1251 file with errors in its own words, by row and column, and posts nothing taken since loading', async () => {
    const opening = await libB.post('/api/fund/opening-balances', { asOf: '2025-01-10' });
    const bad = ['Инвентарный номер;Дата поступления;Автор;Заглавие;Цена;Вид издания', '8001;12.03.2001;Пушкин А.;Сказки;250,50;брошурка', '8002;32.03.2001;Пушкин А.;Сказки;250,50;книга'].join('\r\n');
    const res = await libB.request({ method: 'POST', url: `/api/fund/opening-balances/${opening.body.id}/file?lang=ru`, ...multipart({ name: 'old.csv', bytes: iconv.encode(bad, 'win1251') }) });
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems.map((p: { message: string }) => p.message)).toEqual([
      'Строка 2, «Вид издания»: вид издания не распознан: «брошурка»',
      'Строка 3, «Дата поступления»: неверная дата: «32.03.2001» (пишите ДД.ММ.ГГГГ)',
    ]);
    expect((await libB.get(`/api/fund/opening-balances/${opening.body.id}`)).body.copiesCount).toBe(0);
    // a good file loads; a barcode it gives is taken by another copy before posting: the posting is refused by row
    const good = ['Инвентарный номер;Дата поступления;Автор;Заглавие;Цена;Штрихкод', '8001;12.03.2001;Пушкин А.;Сказки;250,50;2000000001'].join('\r\n');
    expect((await upload(libB, opening.body.id, 'good.csv', iconv.encode(good, 'win1251'))).status).toBe(200);
    const work = await makeWork(database.db, { title: 'Дубровский' });
    await makeCopy(database.db, tenants.schoolB.id, work, { inventoryNumber: 'Т-1', barcode: '2000000001' });
    const posted = await libB.post(`/api/fund/opening-balances/${opening.body.id}/post`);
    expect(posted.status).toBe(400);
    expect(posted.body.error.details.problems).toMatchObject([{ row: 2, column: 'barcode', code: 'accounting.opening.barcode_taken' }]);
    expect(await copies(tenants.schoolB.id)).toBe(1);
    await database.db.deleteFrom('fund.copies').where('barcode', '=', '2000000001').execute();
    await libB.delete(`/api/fund/opening-balances/${opening.body.id}`);
  });

  it('reads a Windows-1251 CSV and an XLSX template, and books catalogued copies chosen or scanned, all through one draft', async () => {
    const opening = await libB.post('/api/fund/opening-balances', { asOf: '2025-01-10' });
    const csv = ['Инвентарный номер;Дата поступления;Автор;Заглавие;Год издания;Цена;ББК;Язык', '7001;12.03.2001;Пушкин А.;Сказки;1999;250,50;84(2Рос=Рус);рус'].join('\r\n');
    const cp = await upload(libB, opening.body.id, 'old.csv', iconv.encode(csv, 'win1251'));
    expect(cp.status, JSON.stringify(cp.body)).toBe(200);
    const rows = await libB.get(`/api/fund/opening-balances/${opening.body.id}/rows`);
    expect(rows.body.items[0]).toMatchObject({ inventoryNumber: '7001', title: 'Сказки', enteredOn: '2001-03-12', priceTiyn: 25_050, authors: 'Пушкин А.' });

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Қор');
    ws.addRow(['Инвентарлық нөмір', 'Түскен күні', 'Авторы', 'Атауы', 'Бағасы, теңге', 'Басылым түрі']);
    ws.addRow(['7002', new Date(Date.UTC(2003, 4, 6)), 'Абай', 'Қара сөздер', 1200, 'кітап']);
    ws.addRow([7003, '07.05.2003', 'Абай', 'Қара сөздер', '', 'кітап']);
    const xlsx = await upload(libB, opening.body.id, 'fund.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(xlsx.status, JSON.stringify(xlsx.body)).toBe(200);
    expect(xlsx.body).toMatchObject({ copiesCount: 3, unpricedCount: 1, sumTiyn: 25_050 + 120_000 });

    // copies already in the catalogue (a MARC import, an earlier entry): one chosen, one scanned
    const work = await makeWork(database.db, { title: 'Көшпенділер', language: 'kaz' });
    const chosen = await makeCopy(database.db, tenants.schoolB.id, work, { inventoryNumber: '7100', priceTiyn: 0 });
    const scanned = await makeCopy(database.db, tenants.schoolB.id, work, { inventoryNumber: '7101', priceTiyn: 300_000 });
    expect((await libB.get('/api/fund/reconciliation')).body).toEqual({ copies: 2, booked: 0, unbooked: 2 });
    const listed = await libB.get('/api/fund/unbooked');
    expect(listed.body.items.map((c: { inventoryNumber: string }) => c.inventoryNumber)).toEqual(['7100', '7101']);
    const added = await libB.post(`/api/fund/opening-balances/${opening.body.id}/rows`, {
      rows: [{ copyId: chosen.id, enteredOn: '2010-09-01' }, { barcode: scanned.barcode }],
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    // the same copy twice is refused by row
    const twice = await libB.post(`/api/fund/opening-balances/${opening.body.id}/rows`, { rows: [{ copyId: chosen.id }] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.details.problems[0]).toMatchObject({ row: 1, column: 'inventoryNumber' });
    // another library cannot see or post the draft
    expect((await lib.post(`/api/fund/opening-balances/${opening.body.id}/post`)).status).toBe(404);
    const posted = await libB.post(`/api/fund/opening-balances/${opening.body.id}/post`);
    expect(posted.body).toMatchObject({ status: 'posted', copiesCount: 5, unpricedCount: 2 });
    expect((await libB.get('/api/fund/reconciliation')).body).toEqual({ copies: 5, booked: 5, unbooked: 0 });
    const copy = await database.db.selectFrom('fund.copies').selectAll().where('id', '=', chosen.id).executeTakeFirstOrThrow();
    expect(copy.acquired_on).toBe('2010-09-01');
    expect(copy.receipt_line_id).not.toBeNull();
    await expectReconciled();
  });

  it('keeps opening + received − written off = closing by group, language and publication type, and reconciles after every operation', async () => {
    const work = await makeWork(database.db, { title: 'Менің атым Қожа', language: 'kaz', bbk: '84(5Каз)' });
    const receipt = await lib.post('/api/fund/receipts', { receivedOn: '2025-02-01', source: 'budget_purchase', documentNumber: 'ШФ-17', documentDate: '2025-01-28' });
    const line = await lib.post(`/api/fund/receipts/${receipt.body.id}/lines`, { workId: work, count: 4, priceTiyn: 250_000 });
    expect(line.status).toBe(201);
    await expectReconciled();
    // a write-off with its commission, of an opening-balance copy and a received one
    const act = await lib.post('/api/fund/write-off-acts', {
      actDate: '2025-03-01', reason: 'physical_wear', chair: 'Ахметова С.', commission: ['Оспанова А.', 'Қасымова Д.'], head: 'Бекова Ж.',
    });
    const opening = await database.db.selectFrom('fund.copies').select('id').where('organisation_id', '=', tenants.schoolA.id).where('inventory_number', '=', '2').executeTakeFirstOrThrow();
    await lib.post(`/api/fund/write-off-acts/${act.body.id}/copies`, { copyIds: [opening.id, line.body.copies[0].id] });
    expect((await lib.post(`/api/fund/write-off-acts/${act.body.id}/approve`)).status).toBe(200);
    await expectReconciled();
    // a transfer to the other school: its copies arrive there as a receipt of source "transfer"
    const transfer = await lib.post('/api/fund/write-off-acts', { actDate: '2025-03-05', reason: 'transfer', transferTo: tenants.schoolB.id, chair: 'Ахметова С.' });
    expect(transfer.status).toBe(201);
    const put = await lib.post(`/api/fund/write-off-acts/${transfer.body.id}/copies`, { copyIds: [line.body.copies[1].id] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const approved = await lib.post(`/api/fund/write-off-acts/${transfer.body.id}/approve`);
    expect(approved.body).toMatchObject({ status: 'approved', transferTo: tenants.schoolB.id });
    const arrived = await libB.get(`/api/fund/receipts/${approved.body.transferReceiptId}`);
    expect(arrived.body.receipt).toMatchObject({ source: 'transfer', copiesCount: 1, sumTiyn: 250_000, documentNumber: transfer.body.number });
    expect((await lib.get(`/api/fund/receipts/${approved.body.transferReceiptId}`)).status).toBe(404);
    expect((await lib.post(`/api/fund/write-off-acts/${transfer.body.id}/reverse`, {})).body.error.code).toBe('accounting.transfer_not_reversible');
    await expectReconciled();

    for (const organisationId of [tenants.schoolA.id, tenants.schoolB.id]) {
      // the last period runs to the library's today: a copy added on a book's page (the first test) is received today
      const today = await libraryToday(database.db, organisationId);
      const quarters = [['2024-01-01', '2024-12-31'], ['2025-01-01', '2025-02-15'], ['2025-02-16', today]];
      let previous: Columns | null = null;
      for (const [from, to] of quarters) {
        const book = await buildSummaryBook(database.db, organisationId, { from: from!, to: to! });
        const { opening: o, received: r, writtenOff: w, closing: c } = book.balance;
        const keys = ['total', ...Object.keys(o.groups).map((g) => `groups.${g}`), ...Object.keys(o.languages).map((l) => `languages.${l}`),
          ...Object.keys(o.types).map((t) => `types.${t}`), 'children'];
        const at = (x: Columns, key: string) => key.split('.').reduce((v: any, k) => v[k], x) as { copies: number; sumTiyn: number; unpriced?: number };
        for (const key of keys) {
          expect(at(o, key).copies + at(r, key).copies - at(w, key).copies, key).toBe(at(c, key).copies);
          expect(at(o, key).sumTiyn + at(r, key).sumTiyn - at(w, key).sumTiyn, key).toBe(at(c, key).sumTiyn);
          expect((at(o, key).unpriced ?? 0) + (at(r, key).unpriced ?? 0) - (at(w, key).unpriced ?? 0), key).toBe(at(c, key).unpriced ?? 0);
        }
        if (previous) expect(o).toEqual(previous);
        previous = c;
      }
      const copiesOnBooks = await database.db.selectFrom('fund.copies').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('organisation_id', '=', organisationId).where('status', '!=', 'written_off').where('fund', '!=', 'off_balance').executeTakeFirstOrThrow();
      expect(previous!.total.copies).toBe(Number(copiesOnBooks.n));
    }

    // the act for the commission to sign: Kazakh title, commission, head
    const pdf = await lib.request({ method: 'GET', url: `/api/fund/write-off-acts/${act.body.id}/act.pdf` });
    expect(pdf.status).toBe(200);
    const text = pdfText(pdf.raw as Buffer);
    for (const s of ['Кітапхана қорынан әдебиетті есептен шығару туралы', 'Ахметова С.', 'Оспанова А.', 'Қасымова Д.', 'Бекова Ж.', 'БЕКІТЕМІН', '01.03.2025']) expect(text).toContain(s);
    const receiptAct = pdfText((await lib.request({ method: 'GET', url: `/api/fund/receipts/${receipt.body.id}/act.pdf?chair=Ахметова%20С.` })).raw as Buffer);
    expect(receiptAct).toContain('Кітапхана қорына әдебиетті қабылдау туралы');
    expect(receiptAct).toContain('Ахметова С.');
    // the summary book in PDF and XLSX: dates as dd.mm.yyyy, documents with their dates
    const bookPdf = pdfText((await lib.request({ method: 'GET', url: '/api/fund/summary-book.pdf?from=2025-01-01&to=2025-12-31' })).raw as Buffer);
    expect(bookPdf).toContain('01.02.2025');
    expect(bookPdf).toContain('ШФ-17');
    expect(bookPdf).toContain('28.01.2025');
    expect(bookPdf).toContain('Балалар');
    const xlsx = new ExcelJS.Workbook();
    await xlsx.xlsx.load((await lib.request({ method: 'GET', url: '/api/fund/summary-book.xlsx?from=2025-01-01&to=2025-12-31' })).raw as never);
    expect(xlsx.worksheets[0]!.getRow(5).getCell(2).value).toBe('01.02.2025');
  });

  it('closing a fund check lists never-booked copies on a draft to book or drop; the copies route never makes an unbooked copy', async () => {
    const work = await makeWork(database.db, { title: 'Ұмытылған кітап' });
    const stray = await makeCopy(database.db, tenants.schoolA.id, work, { inventoryNumber: 'Б-1' });
    const lost = await makeCopy(database.db, tenants.schoolA.id, work, { inventoryNumber: 'Б-2' });
    // one shelf of its own: the check's act lists its part only, not the 10,000 copies booked above
    await database.db.updateTable('fund.copies').set({ location: 'Б-сөре' }).where('id', 'in', [stray.id, lost.id]).execute();
    const check = await lib.post('/api/fund/checks', { locationPrefix: 'Б-сөре' });
    await lib.post(`/api/fund/checks/${check.body.id}/scans`, { barcode: stray.barcode });
    const closed = await lib.post(`/api/fund/checks/${check.body.id}/close`, {});
    expect(closed.status).toBe(200);
    expect(closed.body.unbooked.count).toBe(2);
    const draft = closed.body.unbooked.openingId;
    const rows = await lib.get(`/api/fund/opening-balances/${draft}/rows`);
    expect(rows.body.items.map((r: { inventoryNumber: string }) => r.inventoryNumber).sort()).toEqual(['Б-1', 'Б-2']);
    const actPdf = pdfText((await lib.request({ method: 'GET', url: `/api/fund/checks/${check.body.id}/act.pdf` })).raw as Buffer);
    expect(actPdf).toContain('Кітапхана қорын тексеру туралы');
    // the missing one is not the library's: taken out; the found one is booked
    expect((await lib.post('/api/fund/unbooked/drop', { copyIds: [lost.id], reason: 'Қор тексеруінде табылмады, есепте болмаған' })).body).toEqual({ dropped: 1 });
    expect((await lib.post(`/api/fund/opening-balances/${draft}/post`)).body.status).toBe('posted');
    await expectReconciled();

    // copies added on a book's page are booked on a receipt; a price of 0 is booked as unknown
    const added = await lib.post('/api/copies', { workId: work, count: 2 });
    expect(added.status).toBe(201);
    await expectReconciled();
    const receipts = await lib.get('/api/fund/receipts?limit=1');
    expect(receipts.body.items[0]).toMatchObject({ copiesCount: 2, unpricedCount: 2, source: 'budget_purchase' });
  });

  it('gives the textbook fund its own book reconciled with the single book, and a district its libraries summed', async () => {
    const textbook = await makeWork(database.db, { title: 'Алгебра 7-сынып' });
    const receipt = await lib.post('/api/fund/receipts', { receivedOn: '2025-08-20', source: 'state_order' });
    await lib.post(`/api/fund/receipts/${receipt.body.id}/lines`, { workId: textbook, count: 30, priceTiyn: 180_000, fund: 'textbook' });
    const own = await lib.get('/api/fund/summary-book/textbooks?from=2025-01-01&to=2025-12-31');
    expect(own.body.reconciliation).toEqual({
      singleBookTextbooks: { copies: 30, sumTiyn: 5_400_000 }, textbookBook: { copies: 30, sumTiyn: 5_400_000 }, agrees: true,
    });
    expect(own.body.receipts).toHaveLength(1);
    const area = await method.get(`/api/fund/area-summary?organisationId=${tenants.district.id}&from=2024-01-01&to=2025-12-31`);
    expect(area.status).toBe(200);
    const a = (await lib.get('/api/fund/summary-book?from=2024-01-01&to=2025-12-31')).body.balance.closing.total;
    expect(area.body.libraries.map((l: { organisationId: number }) => l.organisationId)).toEqual([tenants.schoolA.id]);
    expect(area.body.balance.closing.total).toEqual(a);
    expect((await method.get(`/api/fund/area-summary?organisationId=${tenants.otherDistrict.id}&from=2024-01-01&to=2025-12-31`)).status).toBe(403);
    expect((await lib.get(`/api/fund/area-summary?organisationId=${tenants.district.id}&from=2024-01-01&to=2025-12-31`)).status).toBe(403);
  });
});
