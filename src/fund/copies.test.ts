import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWork } from '../catalog/works.js';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';

/** The text pdftotext reads back from a PDF, as a reader of the sheet would see it. */
function pdfText(pdf: Buffer): string {
  const file = path.join(os.tmpdir(), `labels-${process.pid}-${Date.now()}.pdf`);
  fs.writeFileSync(file, pdf);
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(file, { force: true });
  }
}

describe.each(BACKENDS)("a library's copies on %s", (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let qaraSozder: number;
  let longTitle: number;
  let librarianA: ApiClient;
  let librarianB: ApiClient;

  const copiesOf = async (organisationId: number) =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from fund.copies where organisation_id = ${organisationId}`.execute(database.db)).rows[0]!.n,
    );

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    qaraSozder = await createWork(database.db, null, { title: 'Қара сөздер', authors: [{ name: 'Абай Құнанбайұлы' }] });
    longTitle = await createWork(database.db, null, {
      title: 'Қазақ халқының ауыз әдебиеті: ертегілер, аңыздар, мақал-мәтелдер және жұмбақтар жинағы',
      authors: [{ name: 'Мұхтар Әуезов' }, { name: 'Сәбит Мұқанов' }],
    });
    librarianA = new ApiClient(app);
    await librarianA.login('librarian-a');
    librarianB = new ApiClient(app);
    await librarianB.login('librarian-b');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('receives three copies with inventory numbers and barcodes issued in turn', async () => {
    const res = await librarianA.post('/api/copies', {
      workId: qaraSozder,
      count: 3,
      fund: 'main',
      priceTiyn: 250_000,
      location: 'Көркем әдебиет, 2-сөре',
      acquiredOn: '2026-09-01',
    });
    expect(res.status).toBe(201);
    expect(res.body.items.map((c: { inventoryNumber: string }) => c.inventoryNumber)).toEqual(['1', '2', '3']);
    expect(res.body.items.map((c: { barcode: string }) => c.barcode)).toEqual(['1000000001', '1000000002', '1000000003']);
    expect(res.body.items[0]).toMatchObject({ workId: qaraSozder, fund: 'main', priceTiyn: 250_000, status: 'available', location: 'Көркем әдебиет, 2-сөре', acquiredOn: '2026-09-01' });
    // school B numbers its own fund from one as well
    const b = await librarianB.post('/api/copies', { workId: qaraSozder, count: 1 });
    expect(b.body.items[0]).toMatchObject({ inventoryNumber: '1', barcode: '1000000001', fund: 'main', priceTiyn: 0 });
  });

  it('takes a hand-typed inventory number and continues after it', async () => {
    const typed = await librarianA.post('/api/copies', { workId: longTitle, inventoryNumber: '1500', barcode: '1000009999', fund: 'off_balance' });
    expect(typed.status).toBe(201);
    expect(typed.body.items[0]).toMatchObject({ inventoryNumber: '1500', barcode: '1000009999', fund: 'off_balance' });
    // the counters move past typed numbers, so an automatic number never collides with them
    const next = await librarianA.post('/api/copies', { workId: longTitle });
    expect(next.body.items[0]).toMatchObject({ inventoryNumber: '1501', barcode: '1000010000' });
    const many = await librarianA.post('/api/copies', { workId: longTitle, count: 2, barcode: '1000008888' });
    expect(many.status).toBe(400);
    expect(many.body.error.code).toBe('fund.numbers_for_one_copy');
  });

  it('refuses a duplicate barcode on receipt, translated, and adds nothing', async () => {
    const before = await copiesOf(tenants.schoolA.id);
    const ru = await librarianA.request({
      method: 'POST',
      url: '/api/copies',
      payload: { workId: qaraSozder, barcode: '1000000002' },
      headers: { 'x-locale': 'ru' },
    });
    expect(ru.status).toBe(409);
    expect(ru.body.error).toMatchObject({
      code: 'fund.duplicate_barcode',
      message: 'Штрихкод 1000000002 уже присвоен другому экземпляру этой библиотеки',
    });
    const inv = await librarianA.post('/api/copies', { workId: qaraSozder, inventoryNumber: '2' });
    expect(inv.status).toBe(409);
    expect(inv.body.error.code).toBe('fund.duplicate_inventory_number');
    expect(await copiesOf(tenants.schoolA.id)).toBe(before);
    // the failed receipts used no numbers: the next copy gets the next free ones
    const next = await librarianA.post('/api/copies', { workId: qaraSozder });
    expect(next.body.items[0]).toMatchObject({ inventoryNumber: '1502', barcode: '1000010001' });
  });

  it('refuses bad counts and prices', async () => {
    const before = await copiesOf(tenants.schoolA.id);
    const count = await librarianA.post('/api/copies', { workId: qaraSozder, count: 0 });
    expect(count.body.error).toMatchObject({ code: 'fund.bad_count', message: 'Дана саны 1-ден 1000-ға дейін болуы керек (0 жазылған)' });
    expect((await librarianA.post('/api/copies', { workId: qaraSozder, priceTiyn: -100 })).body.error.code).toBe('fund.bad_price');
    expect((await librarianA.post('/api/copies', { workId: 999999 })).status).toBe(404);
    expect(await copiesOf(tenants.schoolA.id)).toBe(before);
  });

  it('corrects a copy, and refuses a barcode that another copy carries', async () => {
    const list = await librarianA.get(`/api/copies?workId=${qaraSozder}`);
    const [first, second] = list.body.items;
    const moved = await librarianA.patch(`/api/copies/${first.id}`, { location: 'Оқу залы', priceTiyn: 300_000, status: 'in_repair' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ location: 'Оқу залы', priceTiyn: 300_000, status: 'in_repair', barcode: first.barcode });
    const clash = await librarianA.patch(`/api/copies/${second.id}`, { barcode: first.barcode, location: 'Қойма' });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({ code: 'fund.duplicate_barcode', params: { barcode: first.barcode } });
    const unchanged = await librarianA.get(`/api/copies/${second.id}`);
    expect(unchanged.body).toMatchObject({ barcode: second.barcode, location: second.location });
    const empty = await librarianA.patch(`/api/copies/${second.id}`, { inventoryNumber: ' ' });
    expect(empty.body.error.code).toBe('fund.number_required');
  });

  it('will not put a copy that is on loan back on the shelf by hand', async () => {
    const copy = (await librarianA.get(`/api/copies?workId=${qaraSozder}&status=available`)).body.items[0];
    await database.db.updateTable('fund.copies').set({ status: 'on_loan' }).where('id', '=', copy.id).execute();
    const res = await librarianA.request({
      method: 'PATCH',
      url: `/api/copies/${copy.id}`,
      payload: { status: 'available' },
      headers: { 'x-locale': 'ru' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'fund.status_locked',
      message: 'Статус экземпляра нельзя изменить вручную: сейчас он «выдан читателю»',
    });
  });

  it('finds copies by scanned barcode, inventory number or title in any script', async () => {
    const scanned = await librarianA.get('/api/copies/by-barcode/1000009999');
    expect(scanned.status).toBe(200);
    expect(scanned.body).toMatchObject({ inventoryNumber: '1500', title: expect.stringMatching(/^Қазақ халқының/), authors: 'Мұхтар Әуезов, Сәбит Мұқанов' });
    // the same scan on a desk whose keyboard was left in the Kazakh layout
    const garbled = await librarianA.get(`/api/copies/by-barcode/${encodeURIComponent('"қққққұұұұ')}`);
    expect(garbled.body).toMatchObject({ barcode: '1000009999', inventoryNumber: '1500' });
    const byNumber = await librarianA.get('/api/copies?q=1500');
    expect(byNumber.body.items.map((c: { inventoryNumber: string }) => c.inventoryNumber)).toEqual(['1500']);
    const byTitle = await librarianA.get('/api/copies?q=kara sozder');
    expect(byTitle.body.total).toBe(4);
    expect(byTitle.body.items.every((c: { title: string }) => c.title === 'Қара сөздер')).toBe(true);
    const offBalance = await librarianA.get('/api/copies?fund=off_balance');
    expect(offBalance.body.items.map((c: { inventoryNumber: string }) => c.inventoryNumber)).toEqual(['1500']);
  });

  it('prints a label sheet that reads back the Kazakh title and the inventory number', async () => {
    const copies = (await librarianA.get(`/api/copies?limit=100`)).body.items;
    const res = await librarianA.post('/api/copies/labels', { copyIds: copies.map((c: { id: number }) => c.id) });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.raw.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(res.raw);
    expect(text).toContain('Қара сөздер');
    expect(text).toContain('№ 1500');
    expect(text).toContain('1000009999');
    expect(text).toContain('№1 мектеп-гимназия');
    expect(text).toContain('Абай Құнанбайұлы');
    // the long title is cut to the label's width
    expect(text).toMatch(/Қазақ халқының ауыз әдебиеті[^\n]*…/);
    expect(text).not.toContain('жұмбақтар жинағы');
  });

  it("keeps each library's copies to itself on every route", async () => {
    const a = (await librarianA.get('/api/copies?q=1500')).body.items[0];
    const listB = await librarianB.get('/api/copies?limit=100');
    expect(listB.body.total).toBe(1);
    expect(listB.body.items.some((c: { id: number }) => c.id === a.id)).toBe(false);
    expect((await librarianB.get(`/api/copies/${a.id}`)).status).toBe(404);
    expect((await librarianB.get(`/api/copies/by-barcode/${a.barcode}`)).status).toBe(404);
    expect((await librarianB.patch(`/api/copies/${a.id}`, { location: 'Менің сөрем' })).status).toBe(404);
    expect((await librarianB.post('/api/copies/labels', { copyIds: [a.id] })).status).toBe(404);
    expect((await librarianA.get(`/api/copies/${a.id}`)).body.location).toBeNull();
  });

  it('lets only the librarian work with copies', async () => {
    const teacher = new ApiClient(app);
    await teacher.login('teacher-a');
    expect((await teacher.get('/api/copies')).status).toBe(403);
    expect((await teacher.post('/api/copies', { workId: qaraSozder })).status).toBe(403);
    const method = new ApiClient(app);
    await method.login('method');
    expect((await method.get('/api/copies')).status).toBe(403);
    const visitor = new ApiClient(app);
    expect((await visitor.get('/api/copies')).status).toBe(401);
    expect((await visitor.post('/api/copies', { workId: qaraSozder })).status).toBe(401);
    expect((await visitor.get('/api/copies/by-barcode/1000000001')).status).toBe(401);
    expect((await visitor.post('/api/copies/labels', { copyIds: [1] })).status).toBe(401);
  });
});
