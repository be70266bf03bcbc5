import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import { addReceiptLine, createReceipt } from './accounting/receipts.js';
import { setClock } from '../shared/library-time.js';

describe.each(BACKENDS)('the weeding list on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let lib: ApiClient;
  const copy: Record<string, number> = {};

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    lib = new ApiClient(app, 'kk');
    await lib.login('librarian-a');
    const db = database.db;
    const old = await makeWork(db, { title: 'Физика. Анықтамалық', bbk: '22.3', publishYear: 1998 });
    const fresh = await makeWork(db, { title: 'Жаңа физика', bbk: '22.3', publishYear: 2024 });
    const worn = await makeWork(db, { title: 'Абай жолы', bbk: '84(5Каз)6', publishYear: 2015 });
    // the BBK decides each group (the factory's default group set aside)
    await db.updateTable('catalog.works').set({ knowledge_group: null }).where('id', 'in', [old, fresh, worn]).execute();
    const actor = tenants.librarianA;
    const lines = await db.transaction().execute(async (trx) => {
      const receipt = await createReceipt(trx, actor, { receivedOn: '2015-09-01', source: 'budget_purchase' });
      return {
        old: await addReceiptLine(trx, actor, receipt.id, { workId: old, count: 2, priceTiyn: 50000 }),
        fresh: await addReceiptLine(trx, actor, receipt.id, { workId: fresh, count: 1, priceTiyn: 250000 }),
        worn: await addReceiptLine(trx, actor, receipt.id, { workId: worn, count: 2, priceTiyn: 120000 }),
      };
    });
    copy.old1 = lines.old.copies[0]!.id;
    copy.old2 = lines.old.copies[1]!.id;
    copy.fresh = lines.fresh.copies[0]!.id;
    copy.worn = lines.worn.copies[0]!.id;
    copy.lent = lines.worn.copies[1]!.id;
    await db.updateTable('fund.copies').set({ status: 'in_repair' }).where('id', '=', copy.worn).execute();
    // the second old copy is especially valuable: never proposed
    await db.updateTable('fund.copies').set({ valuable: true }).where('id', '=', copy.old2).execute();
    // «Абай жолы» was borrowed last month: not a "no loans" candidate
    const reader = await makeReader(db, tenants.schoolA.id);
    await db.insertInto('circulation.loans').values({
      organisation_id: tenants.schoolA.id, copy_id: copy.lent, reader_id: reader.id, due_on: '2026-11-20', issued_by: null,
      issued_at: new Date(Date.now() - 30 * 86400_000), returned_at: new Date(), returned_by: null,
    }).execute();
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('proposes old imprints, copies not lent for years and worn copies, with the reasons', async () => {
    const res = await lib.get('/api/fund/weeding?publishedUpTo=2005&noLoansYears=3&inRepair=true');
    expect(res.status).toBe(200);
    const byId = new Map(res.body.items.map((i: { copyId: number; reasons: string[] }) => [i.copyId, i.reasons]));
    expect(byId.get(copy.old1)).toEqual(['old_imprint', 'no_loans']);
    expect(byId.get(copy.fresh)).toEqual(['no_loans']);
    expect(byId.get(copy.worn)).toEqual(['no_loans', 'in_repair']);
    expect(byId.has(copy.old2)).toBe(false);
    expect(byId.has(copy.lent)).toBe(false);
    const onlyOld = await lib.get('/api/fund/weeding?publishedUpTo=2005');
    expect(onlyOld.body.items.map((i: { copyId: number }) => i.copyId)).toEqual([copy.old1]);
    const none = await lib.get('/api/fund/weeding');
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('fund.weeding_no_criterion');
  });

  it('turns the chosen candidates into a draft write-off act in one step', async () => {
    const res = await lib.post('/api/fund/weeding/act', { copyIds: [copy.old1, copy.worn], reason: 'obsolete_content', commission: ['Ахметова Г.', 'Серікова Б.'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'draft', reason: 'obsolete_content', copiesCount: 2, sumTiyn: 170000 });
    const lines = await database.db.selectFrom('fund.write_off_lines').select('copy_id').where('act_id', '=', res.body.id).orderBy('copy_id').execute();
    expect(lines.map((l) => l.copy_id)).toEqual([copy.old1, copy.worn].sort((a, b) => a - b));
    const after = await lib.get('/api/fund/weeding?publishedUpTo=2005&noLoansYears=3&inRepair=true');
    expect(after.body.items.map((i: { copyId: number }) => i.copyId)).toEqual([copy.fresh]);
    // another school's librarian cannot put these copies in an act
    const other = new ApiClient(app);
    await other.login('librarian-b');
    const foreign = await other.post('/api/fund/weeding/act', { copyIds: [copy.fresh] });
    expect(foreign.status).toBe(404);
    expect(await database.db.selectFrom('fund.write_off_acts').select('id').where('organisation_id', '=', tenants.schoolB.id).execute()).toEqual([]);
  });

  it('publishes the new acquisitions bulletin of a period by knowledge domain, as JSON and PDF, to anyone', async () => {
    const visitor = new ApiClient(app, 'kk');
    const res = await visitor.get(`/api/catalog/new-acquisitions?organisationId=${tenants.schoolA.id}&from=2015-09-01&to=2015-09-30`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ titles: 3, copies: 5, from: '2015-09-01', to: '2015-09-30' });
    expect(res.body.groups.map((g: { group: string; titles: number; copies: number }) => [g.group, g.titles, g.copies])).toEqual([
      ['natural_sciences', 2, 3],
      ['fiction', 1, 2],
    ]);
    expect(res.body.groups[0].entries[0].description).toContain('Жаңа физика');
    expect(JSON.stringify(res.body)).not.toMatch(/priceTiyn|inventory/);
    const empty = await visitor.get(`/api/catalog/new-acquisitions?organisationId=${tenants.schoolA.id}&from=2016-01-01&to=2016-01-31`);
    expect(empty.body).toMatchObject({ titles: 0, groups: [] });
    const bad = await visitor.get(`/api/catalog/new-acquisitions?organisationId=${tenants.schoolA.id}&from=2016-02-01&to=2016-01-01`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('fund.bulletin_bad_period');
    const pdf = await visitor.get(`/api/catalog/new-acquisitions.pdf?organisationId=${tenants.schoolA.id}&from=2015-09-01&to=2015-09-30`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const file = path.join(os.tmpdir(), `kt-bulletin-${process.pid}.pdf`);
    fs.writeFileSync(file, pdf.raw);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    fs.rmSync(file, { force: true });
    for (const part of ['Жаңа түсімдер бюллетені', '01.09.2015 – 30.09.2015', 'Жаратылыстану ғылымдары', 'Физика. Анықтамалық', 'Көркем әдебиет', 'Абай жолы']) {
      expect(text).toContain(part);
    }
  });

  it('counts the years without loans by the library’s clock: a loan at 00:30 is on its own day', async () => {
    const db = database.db;
    // 10 March 2026 in Almaty: five years back is 10 March 2021
    setClock(new Date('2026-03-10T07:00:00Z'));
    try {
      const work = await makeWork(db, { title: 'Түнгі кітап', bbk: '99.9', publishYear: 2010 });
      const line = await db.transaction().execute(async (trx) => {
        const receipt = await createReceipt(trx, tenants.librarianA, { receivedOn: '2015-09-01', source: 'budget_purchase' });
        return addReceiptLine(trx, tenants.librarianA, receipt.id, { workId: work, count: 2, priceTiyn: 90000 });
      });
      const [onTheDay, dayBefore] = line.copies.map((c) => c.id);
      const reader = await makeReader(db, tenants.schoolA.id);
      const lend = (copyId: number, at: string) =>
        db.insertInto('circulation.loans').values({ organisation_id: tenants.schoolA.id, copy_id: copyId, reader_id: reader.id, due_on: '2021-04-01', issued_at: new Date(at), returned_at: new Date('2021-03-25T06:00:00Z') }).execute();
      await lend(onTheDay!, '2021-03-10T00:30:00+05:00'); // 9 March in UTC
      await lend(dayBefore!, '2021-03-09T00:30:00+05:00'); // 8 March in UTC
      const res = await lib.get('/api/fund/weeding?noLoansYears=5&bbkPrefix=99.9');
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { copyId: number; lastLoanOn: string }) => [i.copyId, i.lastLoanOn])).toEqual([[dayBefore, '2021-03-09']]);
    } finally {
      setClock(undefined);
    }
  });
});
