import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/connect.js';
import type { App } from '../../http/types.js';
import { ApiClient, testApp } from '../../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../../test/support/db.js';
import { makeReader, makeWork } from '../../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../../test/support/tenants.js';

/** A valid ISBN-13 from its first twelve digits. */
function isbn13(twelve: string) {
  const sum = [...twelve].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
  return twelve + ((10 - (sum % 10)) % 10);
}

const KAZAKH_LETTERS = ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і'];
const TITLE = 'Әліппе: ғажайып қиял, ңғ өнер, ұлы үміт, һәм білім';

describe.each(BACKENDS)('fund accounting through the API on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let lib: ApiClient;
  let other: ApiClient;
  let anonymous: ApiClient;
  let knownIsbn: string;
  let receiptId: number;
  let barcodes: string[] = [];

  const count = async (table: 'fund.copies' | 'fund.receipt_lines' | 'fund.write_off_lines') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const statusOf = async (barcode: string) =>
    (await database.db.selectFrom('fund.copies').select('status').where('barcode', '=', barcode).executeTakeFirstOrThrow()).status;
  const lend = async (barcode: string) => {
    const copy = await database.db.selectFrom('fund.copies').select('id').where('barcode', '=', barcode).executeTakeFirstOrThrow();
    const reader = await makeReader(database.db, tenants.schoolA.id, { lastName: 'Жұмабаев', firstName: 'Нұрлан' });
    const loan = await database.db
      .insertInto('circulation.loans')
      .values({ organisation_id: tenants.schoolA.id, copy_id: copy.id, reader_id: reader.id, due_on: '2026-12-01', issued_by: null, returned_at: null, returned_by: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.updateTable('fund.copies').set({ status: 'on_loan' }).where('id', '=', copy.id).execute();
    return { copyId: copy.id, readerId: reader.id, loanId: loan.id };
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    knownIsbn = isbn13('978601700001');
    await makeWork(database.db, { title: TITLE, authors: ['Ыбырай Алтынсарин'], isbn: knownIsbn, bbk: '84(5Каз)', language: 'kaz', knowledgeGroup: null });
    lib = new ApiClient(app, 'kk');
    await lib.login('librarian-a');
    other = new ApiClient(app, 'en');
    await other.login('librarian-b');
    anonymous = new ApiClient(app);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('receives a batch by scanning ISBNs: copies get inventory numbers and barcodes', async () => {
    const created = await lib.post('/api/fund/receipts', {
      receivedOn: '2026-09-01', source: 'budget_purchase', documentNumber: 'ЖҚ-117', supplier: '«Атамұра» баспасы',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ number: '1', source: 'budget_purchase', copiesCount: 0, sumTiyn: 0 });
    receiptId = created.body.id;

    const known = await lib.post(`/api/fund/receipts/${receiptId}/receive-isbn`, { isbn: knownIsbn.replace(/^(\d{3})(\d{3})/, '$1-$2-'), count: 3, priceTiyn: 250_050 });
    expect(known.status).toBe(201);
    expect(known.body).toMatchObject({ title: TITLE, copiesCount: 3, priceTiyn: 250_050, sumTiyn: 750_150, knowledgeGroup: 'fiction', languageGroup: 'kk', offBalance: false });
    expect(known.body.copies.map((c: { inventoryNumber: string }) => c.inventoryNumber)).toEqual(['1', '2', '3']);
    for (const c of known.body.copies) expect(c.barcode).toMatch(/^1\d{9}$/);
    barcodes = known.body.copies.map((c: { barcode: string }) => c.barcode);

    const unknownIsbn = isbn13('978601700002');
    const missing = await lib.post(`/api/fund/receipts/${receiptId}/receive-isbn`, { isbn: unknownIsbn, count: 2, priceTiyn: 180_000 });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('accounting.isbn_unknown');

    const described = await lib.post(`/api/fund/receipts/${receiptId}/receive-isbn`, {
      isbn: unknownIsbn, count: 2, priceTiyn: 180_000,
      work: { title: 'Физика. Жаратылыстану', authors: [{ name: 'Т. Қыдырбаев' }], language: 'rus', bbk: '22.3', pages: 200 },
    });
    expect(described.status).toBe(201);
    expect(described.body).toMatchObject({ knowledgeGroup: 'natural_sciences', languageGroup: 'ru', copiesCount: 2 });
    barcodes.push(...described.body.copies.map((c: { barcode: string }) => c.barcode));

    const receipt = await lib.get(`/api/fund/receipts/${receiptId}`);
    expect(receipt.body.receipt).toMatchObject({ copiesCount: 5, sumTiyn: 750_150 + 360_000, documentNumber: 'ЖҚ-117' });
    expect(receipt.body.lines).toHaveLength(2);
    const list = await lib.get('/api/fund/receipts?from=2026-01-01&to=2026-12-31');
    expect(list.body).toMatchObject({ total: 1, items: [{ id: receiptId, copiesCount: 5, sumTiyn: 1_110_150 }] });
  });

  it('refuses a negative price and a receipt date change once copies exist, writing nothing', async () => {
    const [copies, lines] = [await count('fund.copies'), await count('fund.receipt_lines')];
    const res = await lib.post(`/api/fund/receipts/${receiptId}/receive-isbn`, { isbn: knownIsbn, count: 2, priceTiyn: -100 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'accounting.bad_price', message: 'Бағасы қате: -100. Баға теріс болмауы керек (тиынмен, бүтін сан)' });
    expect([await count('fund.copies'), await count('fund.receipt_lines')]).toEqual([copies, lines]);

    const moved = await lib.patch(`/api/fund/receipts/${receiptId}`, { receivedOn: '2026-09-02' });
    expect(moved.status).toBe(409);
    expect(moved.body.error.code).toBe('accounting.receipt_has_copies');
    expect((await lib.patch(`/api/fund/receipts/${receiptId}`, { supplier: 'Мектеп' })).body.supplier).toBe('Мектеп');
    expect((await lib.delete(`/api/fund/receipts/${receiptId}`)).status).toBe(409);
  });

  it('values a gift by the commission and keeps brochures off the balance', async () => {
    const gift = (await lib.post('/api/fund/receipts', { receivedOn: '2026-09-10', source: 'gift', supplier: 'Ата-аналар комитеті' })).body;
    const brochure = await makeWork(database.db, { title: 'Қазақ ертегілері (кітапша)', bbk: '82.3(5Каз)', isbn: null });
    await database.db.updateTable('catalog.works').set({ pages: 24 }).where('id', '=', brochure).execute();
    const noPrice = await lib.post(`/api/fund/receipts/${gift.id}/lines`, { workId: brochure, count: 1, priceTiyn: 0, offBalance: false });
    expect(noPrice.status).toBe(400);
    expect(noPrice.body.error.code).toBe('accounting.price_required');
    const line = await lib.post(`/api/fund/receipts/${gift.id}/lines`, { workId: brochure, count: 2, priceTiyn: 50_000 });
    expect(line.status).toBe(201);
    expect(line.body).toMatchObject({ valuation: true, offBalance: true, fund: 'off_balance' });

    const book = await lib.get('/api/fund/inventory-book?from=2026-01-01&to=2026-12-31');
    expect(book.body.total).toBe(5);
    const register = await lib.get('/api/fund/inventory-book?from=2026-01-01&to=2026-12-31&register=off_balance');
    expect(register.body.items.map((i: { title: string }) => i.title)).toEqual(['Қазақ ертегілері (кітапша)', 'Қазақ ертегілері (кітапша)']);
    const summary = await lib.get('/api/fund/summary-book?from=2026-01-01&to=2026-12-31');
    expect(summary.body.balance.received.total).toEqual({ copies: 5, sumTiyn: 1_110_150 });
    expect(summary.body.receipts).toHaveLength(1);
  });

  it('keeps every register to its own library', async () => {
    expect((await anonymous.get('/api/fund/receipts')).status).toBe(401);
    expect((await anonymous.post('/api/fund/receipts', { receivedOn: '2026-09-01', source: 'gift' })).status).toBe(401);
    expect((await anonymous.get('/api/fund/summary-book?from=2026-01-01&to=2026-12-31')).status).toBe(401);
    expect((await other.get(`/api/fund/receipts/${receiptId}`)).status).toBe(404);
    const line = await other.post(`/api/fund/receipts/${receiptId}/lines`, { workId: 1, count: 1, priceTiyn: 100 });
    expect(line.status).toBe(404);
    expect((await other.get('/api/fund/receipts')).body).toEqual({ items: [], total: 0 });
    expect((await other.get('/api/fund/inventory-book?from=2026-01-01&to=2026-12-31')).body).toEqual({ items: [], total: 0 });
    const foreign = await other.get(`/api/fund/summary-book?from=2026-01-01&to=2026-12-31&organisationId=${tenants.schoolA.id}`);
    expect(foreign.status).toBe(403);
    const teacher = new ApiClient(app);
    await teacher.login('teacher-a');
    expect((await teacher.get('/api/fund/receipts')).status).toBe(403);
    expect((await other.post('/api/fund/write-off-acts/1/approve')).status).toBe(404);
    expect((await other.get('/api/fund/checks/1')).status).toBe(404);
  });

  it('lets a methodologist read the summary book of a school in the district, and nothing else', async () => {
    const m = new ApiClient(app);
    await m.login('method');
    const book = await m.get(`/api/fund/summary-book?from=2026-01-01&to=2026-12-31&organisationId=${tenants.schoolA.id}`);
    expect(book.status).toBe(200);
    expect(book.body.balance.closing.total.copies).toBeGreaterThan(0);
    expect((await m.get(`/api/fund/summary-book?from=2026-01-01&to=2026-12-31&organisationId=${tenants.schoolB.id}`)).status).toBe(403);
    expect((await m.get('/api/fund/summary-book?from=2026-01-01&to=2026-12-31')).body.error.code).toBe('accounting.organisation_required');
    expect((await m.get('/api/fund/inventory-book?from=2026-01-01&to=2026-12-31')).status).toBe(403);
    expect((await m.get('/api/fund/losses')).status).toBe(403);
  });

  it('writes off two copies by an approved act, refuses a copy on loan and a second approval, and reverses', async () => {
    const act = await lib.post('/api/fund/write-off-acts', { actDate: '2026-10-05', reason: 'physical_wear', commission: ['Сәрсенова А.', 'Бекова Г.'] });
    expect(act.status).toBe(201);
    const loan = await lend(barcodes[2]!);
    const lent = await lib.post(`/api/fund/write-off-acts/${act.body.id}/copies`, { barcodes: [barcodes[0], barcodes[2]] });
    expect(lent.status).toBe(409);
    expect(lent.body.error.code).toBe('accounting.copy_on_loan');
    expect(await count('fund.write_off_lines')).toBe(0);
    const unknown = await lib.post(`/api/fund/write-off-acts/${act.body.id}/copies`, { barcodes: ['1999999999'] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('accounting.unknown_barcode');

    const added = await lib.post(`/api/fund/write-off-acts/${act.body.id}/copies`, { barcodes: [barcodes[0], barcodes[1]] });
    expect(added.body).toMatchObject({ status: 'draft', copiesCount: 2, sumTiyn: 500_100 });
    // the list shows a draft's sum at the prices it will take, not 0 ₸
    const drafts = (await lib.get('/api/fund/write-off-acts?status=draft')).body.items;
    expect(drafts.find((a: { id: number }) => a.id === act.body.id)).toMatchObject({ copiesCount: 2, sumTiyn: 500_100 });
    expect((await lib.patch(`/api/fund/write-off-acts/${act.body.id}`, { note: 'Мұқабасы жыртылған' })).body.note).toBe('Мұқабасы жыртылған');
    await lib.patch(`/api/fund/write-off-acts/${act.body.id}`, { actDate: '2026-08-31' });
    const early = await lib.post(`/api/fund/write-off-acts/${act.body.id}/approve`);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'accounting.act_before_receipt', params: { receivedOn: '2026-09-01' } });
    await lib.patch(`/api/fund/write-off-acts/${act.body.id}`, { actDate: '2026-10-05' });
    const approved = await lib.post(`/api/fund/write-off-acts/${act.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', copiesCount: 2, sumTiyn: 500_100 });
    expect([await statusOf(barcodes[0]!), await statusOf(barcodes[1]!)]).toEqual(['written_off', 'written_off']);

    const twice = await lib.post(`/api/fund/write-off-acts/${act.body.id}/approve`);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('accounting.act_already_approved');
    expect((await lib.patch(`/api/fund/write-off-acts/${act.body.id}`, { note: 'x' })).status).toBe(409);
    expect((await lib.delete(`/api/fund/write-off-acts/${act.body.id}`)).status).toBe(409);

    const book = await lib.get('/api/fund/inventory-book?from=2026-01-01&to=2026-12-31');
    const first = book.body.items.find((i: { inventoryNumber: string }) => i.inventoryNumber === '1');
    expect(first).toMatchObject({ writeOffActNumber: act.body.number, writeOffDate: '2026-10-05', authors: 'Ыбырай Алтынсарин', receiptNumber: '1' });
    const summary = (await lib.get('/api/fund/summary-book?from=2026-10-01&to=2026-12-31')).body;
    expect(summary.balance.opening.total).toEqual({ copies: 5, sumTiyn: 1_110_150 });
    expect(summary.balance.writtenOff.groups.fiction).toEqual({ copies: 2, sumTiyn: 500_100 });
    expect(summary.balance.closing.languages.kk).toEqual({ copies: 1, sumTiyn: 250_050 });

    const backwards = await lib.post(`/api/fund/write-off-acts/${act.body.id}/reverse`, { actDate: '2026-10-04' });
    expect(backwards.body.error.code).toBe('accounting.reversal_before_act');
    const reversal = await lib.post(`/api/fund/write-off-acts/${act.body.id}/reverse`, { actDate: '2026-10-20', note: 'Қате шығарылған' });
    expect(reversal.status).toBe(201);
    expect(reversal.body).toMatchObject({ kind: 'reversal', reversesId: act.body.id, status: 'approved', copiesCount: 2 });
    expect(await statusOf(barcodes[0]!)).toBe('available');
    expect((await lib.post(`/api/fund/write-off-acts/${act.body.id}/reverse`, {})).body.error.code).toBe('accounting.act_already_reversed');
    const after = (await lib.get('/api/fund/summary-book?from=2026-10-01&to=2026-12-31')).body;
    expect(after.writeOffs.map((w: { kind: string; columns: { total: unknown } }) => [w.kind, w.columns.total])).toEqual([
      ['write_off', { copies: 2, sumTiyn: 500_100 }],
      ['reversal', { copies: -2, sumTiyn: -500_100 }],
    ]);
    expect(after.balance.closing.total).toEqual({ copies: 5, sumTiyn: 1_110_150 });

    // A copy lent after it was put on a draft blocks the approval; nothing changes.
    const draft = (await lib.post('/api/fund/write-off-acts', { actDate: '2026-11-01', reason: 'obsolete_content' })).body;
    await lib.post(`/api/fund/write-off-acts/${draft.id}/copies`, { barcodes: [barcodes[3]] });
    await lend(barcodes[3]!);
    const blocked = await lib.post(`/api/fund/write-off-acts/${draft.id}/approve`);
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe('accounting.copy_on_loan');
    expect((await lib.get(`/api/fund/write-off-acts/${draft.id}`)).body.act.status).toBe('draft');
    expect(await statusOf(barcodes[3]!)).toBe('on_loan');
    expect((await lib.delete(`/api/fund/write-off-acts/${draft.id}`)).status).toBe(200);
    await database.db.updateTable('circulation.loans').set({ returned_at: new Date() }).where('copy_id', 'in', [loan.copyId]).execute();
  });

  it('runs a fund check: found, missing, on loan, misplaced and unknown, closing with a shortage act', async () => {
    const shelf = (await database.db.selectFrom('fund.copies').select(['id', 'barcode']).where('organisation_id', '=', tenants.schoolA.id).where('fund', '=', 'main').orderBy('id').execute());
    await database.db.updateTable('fund.copies').set({ location: 'А-1' }).where('id', 'in', shelf.slice(0, 4).map((c) => c.id)).execute();
    await database.db.updateTable('fund.copies').set({ location: 'Б-2' }).where('id', '=', shelf[4]!.id).execute();
    const check = await lib.post('/api/fund/checks', { locationPrefix: 'А-' });
    expect(check.status).toBe(201);
    const scan = (barcode: string, client = lib) => client.post(`/api/fund/checks/${check.body.id}/scans`, { barcode, shelf: 'А-1' });
    expect((await scan(shelf[0]!.barcode)).body.outcome).toBe('found');
    expect((await scan(shelf[0]!.barcode)).body.outcome).toBe('repeat');
    expect((await scan(shelf[4]!.barcode)).body.outcome).toBe('misplaced');
    expect((await scan('1000009999', anonymous)).status).toBe(401);
    const stranger = await scan('1000009999');
    expect(stranger.status).toBe(404);
    expect(stranger.body.error).toMatchObject({ code: 'accounting.unknown_barcode', message: '1000009999 штрихкоды бар дана кітапхана қорында жоқ' });
    expect((await scan(shelf[0]!.barcode, other)).status).toBe(404);

    const result = (await lib.get(`/api/fund/checks/${check.body.id}/result`)).body;
    expect(result.counts).toEqual({ expected: 4, found: 1, missing: 2, onLoan: 1, misplaced: 1, unknown: 1 });
    expect(result.onLoan.map((c: { barcode: string }) => c.barcode)).toEqual([barcodes[3]]);
    expect(result.unknown).toEqual(['1000009999']);
    expect(result.check.scanned).toBe(3);

    const closed = await lib.post(`/api/fund/checks/${check.body.id}/close`, { actDate: '2026-11-15' });
    expect(closed.body.status).toBe('closed');
    const shortage = (await lib.get(`/api/fund/write-off-acts/${closed.body.writeOffActId}`)).body;
    expect(shortage.act).toMatchObject({ reason: 'missing_at_check', status: 'draft', copiesCount: 2 });
    expect(shortage.copies.map((c: { copyId: number }) => c.copyId).sort()).toEqual(result.missing.map((c: { copyId: number }) => c.copyId).sort());
    expect((await scan(shelf[1]!.barcode)).body.error.code).toBe('accounting.check_closed');
    await lib.delete(`/api/fund/write-off-acts/${closed.body.writeOffActId}`);
  });

  it('renumbers copies and keeps the old inventory numbers in the book', async () => {
    const copy = await database.db.selectFrom('fund.copies').select(['id', 'inventory_number']).where('barcode', '=', barcodes[4]!).executeTakeFirstOrThrow();
    const res = await lib.post('/api/fund/renumber', { copyIds: [copy.id] });
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ copyId: copy.id, oldNumber: copy.inventory_number });
    const line = (await lib.get('/api/fund/inventory-book?from=2026-01-01&to=2026-12-31')).body.items.find((i: { copyId: number }) => i.copyId === copy.id);
    expect(line).toMatchObject({ inventoryNumber: res.body.items[0].newNumber, previousNumbers: [copy.inventory_number] });
    expect((await other.post('/api/fund/renumber', { copyIds: [copy.id] })).status).toBe(404);
  });

  it('settles a reader\'s loss by a replacement copy or a payment', async () => {
    const loan = await lend(barcodes[2]!);
    await database.db.updateTable('circulation.loans').set({ returned_at: new Date() }).where('copy_id', '=', loan.copyId).where('reader_id', '!=', loan.readerId).execute();
    const lost = await lib.post('/api/fund/losses', { readerId: loan.readerId, barcode: barcodes[2], lostOn: '2026-11-20', settlement: 'replacement' });
    expect(lost.status).toBe(201);
    expect(lost.body).toMatchObject({ readerId: loan.readerId, settlement: 'replacement', writeOffStatus: 'draft' });
    expect(lost.body.replacementInventoryNumber).toMatch(/^\d+$/);
    expect(await statusOf(barcodes[2]!)).toBe('lost');
    const closedLoan = await database.db.selectFrom('circulation.loans').select('returned_at').where('id', '=', loan.loanId).executeTakeFirstOrThrow();
    expect(closedLoan.returned_at).not.toBeNull();
    const replacement = await database.db
      .selectFrom('fund.copies as c').innerJoin('fund.receipts as r', 'r.id', 'c.receipt_id')
      .select(['r.source', 'c.price_tiyn', 'c.work_id']).where('c.id', '=', lost.body.replacementCopyId).executeTakeFirstOrThrow();
    expect(replacement).toMatchObject({ source: 'replacement', price_tiyn: 250_050 });

    const paid = await lib.post('/api/fund/losses', { readerId: loan.readerId, barcode: barcodes[4], settlement: 'payment' });
    expect(paid.status).toBe(400);
    expect(paid.body.error.code).toBe('accounting.payment_required');
    const payment = await lib.post('/api/fund/losses', { readerId: loan.readerId, barcode: barcodes[4], lostOn: '2026-11-21', settlement: 'payment', paymentTiyn: 180_000 });
    expect(payment.body).toMatchObject({ paymentTiyn: 180_000, writeOffActId: lost.body.writeOffActId });
    expect((await lib.post('/api/fund/losses', { readerId: loan.readerId, barcode: barcodes[4], settlement: 'payment', paymentTiyn: 1 })).body.error.code)
      .toBe('accounting.copy_already_lost');

    const onReader = await lib.get(`/api/fund/losses?readerId=${loan.readerId}`);
    expect(onReader.body.total).toBe(2);
    expect((await other.get(`/api/fund/losses?readerId=${loan.readerId}`)).body.total).toBe(0);
    expect((await other.post('/api/fund/losses', { readerId: loan.readerId, barcode: barcodes[0], settlement: 'payment', paymentTiyn: 1 })).status).toBe(404);

    const act = await lib.post(`/api/fund/write-off-acts/${lost.body.writeOffActId}/approve`);
    expect(act.body).toMatchObject({ reason: 'lost_by_reader', copiesCount: 2, sumTiyn: 250_050 + 180_000 });
    expect(await statusOf(barcodes[2]!)).toBe('written_off');
  });

  it('lets only an admin edit the group mapping', async () => {
    const rules = (await lib.get('/api/fund/knowledge-group-rules')).body.items;
    expect(rules).toContainEqual({ scheme: 'bbk', prefix: '84', knowledgeGroup: 'fiction', priority: 0 });
    expect((await lib.put('/api/fund/knowledge-group-rules', { items: rules })).status).toBe(403);
    const admin = new ApiClient(app);
    await admin.login('admin');
    const dup = await admin.put('/api/fund/knowledge-group-rules', { items: [...rules, rules[0]] });
    expect(dup.status).toBe(400);
    expect(dup.body.error.code).toBe('accounting.rule_duplicate');
    const edited = await admin.put('/api/fund/knowledge-group-rules', { items: [...rules, { scheme: 'bbk', prefix: '74', knowledgeGroup: 'other', priority: 0 }] });
    expect(edited.status).toBe(200);
    expect(edited.body.total).toBe(rules.length + 1);
    await admin.put('/api/fund/knowledge-group-rules', { items: rules });
  });

  it('prints the books as PDF and XLSX with Kazakh letters intact', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-books-'));
    try {
      const pdf = await lib.get('/api/fund/inventory-book.pdf?from=2026-01-01&to=2026-12-31');
      expect(pdf.status).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      fs.writeFileSync(path.join(dir, 'inventory.pdf'), pdf.raw);
      const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'inventory.pdf'), '-'], { encoding: 'utf8' });
      expect(text).toContain('Инвентарлық кітап');
      // a cell wraps between words, never inside one: read the text in reading order
      const flowing = execFileSync('pdftotext', [path.join(dir, 'inventory.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(flowing).toContain('Ыбырай Алтынсарин');
      expect(flowing).toContain('2 500,50');
      for (const letter of KAZAKH_LETTERS) expect(text).toContain(letter);

      const summaryPdf = await lib.get('/api/fund/summary-book.pdf?from=2026-01-01&to=2026-12-31');
      fs.writeFileSync(path.join(dir, 'summary.pdf'), summaryPdf.raw);
      // Narrow header cells wrap their words onto several lines.
      const summaryText = execFileSync('pdftotext', [path.join(dir, 'summary.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      // every part is drawn as Order 44's spread: by knowledge group, then by language, children's literature and type,
      // so a group header has the width to wrap between its words, never inside one
      for (const words of ['Кітапхана қорын жиынтық есепке алу кітабы', 'Көркем әдебиет', 'Жаратылыстану ғылымдары', 'Кезең соңындағы қалдық', 'кері акт',
        'Білім салалары бойынша', 'Тілдер, балалар әдебиеті және басылым түрлері бойынша', 'Қазақ тілінде', 'Балалар әдебиеті']) {
        expect(summaryText).toContain(words);
      }

      const xlsx = await lib.get('/api/fund/summary-book.xlsx?from=2026-01-01&to=2026-12-31');
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.raw as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['Қорға түсу', 'Қордан шығару', 'Қалдық']);
      const balance = wb.worksheets[2]!;
      const closing = balance.getRow(8);
      expect(closing.getCell(1).value).toBe('Кезең соңындағы қалдық');
      const book = (await lib.get('/api/fund/summary-book?from=2026-01-01&to=2026-12-31')).body;
      expect(closing.getCell(2).value).toBe(book.balance.closing.total.copies);
      expect(closing.getCell(3).value).toBe(book.balance.closing.total.sumTiyn / 100);

      const inv = await lib.get('/api/fund/inventory-book.xlsx?from=2026-01-01&to=2026-12-31');
      const wb2 = new ExcelJS.Workbook();
      await wb2.xlsx.load(inv.raw as unknown as ArrayBuffer);
      const sheet = wb2.worksheets[0]!;
      expect(sheet.name).toBe('Инвентарлық кітап');
      const titles = [];
      for (let r = 4; r <= sheet.rowCount; r++) titles.push(String(sheet.getRow(r).getCell(3).value));
      expect(titles).toContain(`Ыбырай Алтынсарин. ${TITLE}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes back a line entered by mistake, but never one whose copies were used', async () => {
    const receipt = (await lib.post('/api/fund/receipts', { receivedOn: '2026-11-22', source: 'state_order' })).body;
    const mistake = (await lib.post(`/api/fund/receipts/${receipt.id}/receive-isbn`, { isbn: knownIsbn, count: 2, priceTiyn: 100_000 })).body;
    const copies = await count('fund.copies');
    expect((await other.delete(`/api/fund/receipts/${receipt.id}/lines/${mistake.id}`)).status).toBe(404);
    expect((await lib.delete(`/api/fund/receipts/${receipt.id}/lines/${mistake.id}`)).status).toBe(200);
    expect(await count('fund.copies')).toBe(copies - 2);
    expect((await lib.delete(`/api/fund/receipts/${receipt.id}`)).status).toBe(200);
    expect((await lib.get(`/api/fund/receipts/${receipt.id}`)).status).toBe(404);

    const used = (await lib.get(`/api/fund/receipts/${receiptId}`)).body.lines[0];
    const refused = await lib.delete(`/api/fund/receipts/${receiptId}/lines/${used.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('accounting.line_in_use');
    expect((await lib.get(`/api/fund/receipts/${receiptId}`)).body.lines).toHaveLength(2);
  });

  it('rejects a bad period with a translated error', async () => {
    const res = await lib.get('/api/fund/summary-book?from=2026-12-31&to=2026-01-01');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'accounting.bad_period' });
    expect(res.body.error.message).toContain('Кезең қате');
  });
});
