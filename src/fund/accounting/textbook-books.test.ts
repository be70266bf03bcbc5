import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/connect.js';
import type { App } from '../../http/types.js';
import { ApiClient, testApp } from '../../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../../test/support/db.js';
import { makeWork } from '../../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../../test/support/tenants.js';

const YEAR = '2026-2027';

type Tally = { copies: number; sumTiyn: number };
type Cell = Tally & { knowledgeGroup: string; languageGroup: string };

/**
 * The textbook fund in the summary accounting book: textbooks received by count (batches of a receipt) and
 * written off by count (acts of the textbook fund) fill the textbook column, by language, to the tiyn; and a
 * receipt that brought textbooks cannot be deleted or re-dated.
 */
describe.each(BACKENDS)('the textbook fund in the summary book on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let lib: ApiClient;
  let kazakh: number;
  let russian: number;
  let novel: number;
  let receiptId: number;

  const book = async (from: string, to: string) => {
    const res = await lib.get(`/api/fund/summary-book?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const cellOf = (cells: Cell[], group: string, language: string): Tally => {
    const c = cells.find((x) => x.knowledgeGroup === group && x.languageGroup === language);
    return { copies: c?.copies ?? 0, sumTiyn: c?.sumTiyn ?? 0 };
  };
  const count = async (table: 'fund.receipts' | 'textbooks.batches') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    lib = new ApiClient(app, 'kk');
    await lib.login('librarian-a');
    kazakh = await makeWork(database.db, { title: 'Алгебра. 7-сынып', language: 'kaz', knowledgeGroup: null, bbk: '22.14' });
    russian = await makeWork(database.db, { title: 'Алгебра. 7 класс', language: 'rus', knowledgeGroup: null, bbk: '22.14' });
    novel = await makeWork(database.db, { title: 'Көшпенділер', language: 'kaz', bbk: '84(5Каз)' });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('counts textbook batches with their receipt, in the textbook column by language', async () => {
    const res = await lib.post('/api/textbooks/receipts', {
      receivedOn: '2026-08-10', source: 'state_order', documentNumber: 'МТ-7', schoolYear: YEAR,
      // Prices whose average is not a whole tiyn: 3 × 1 800,01 ₸ and 1 × 1 800,02 ₸.
      lines: [{ workId: kazakh, count: 3, priceTiyn: 180_001 }, { workId: russian, count: 2, priceTiyn: 200_000 }],
    });
    expect(res.status).toBe(201);
    receiptId = res.body.items[0].receiptId;
    await lib.post('/api/textbooks/receipts', {
      receivedOn: '2026-09-05', source: 'gift', schoolYear: YEAR, lines: [{ workId: kazakh, count: 1, priceTiyn: 180_002 }],
    });
    // The same receipt document also brings a novel as copies of the main fund.
    const line = await lib.post(`/api/fund/receipts/${receiptId}/lines`, { workId: novel, count: 2, priceTiyn: 300_000 });
    expect(line.status).toBe(201);

    const year = await book('2026-01-01', '2026-12-31');
    expect(year.receipts).toHaveLength(2);
    const first = year.receipts.find((r: { receiptId: number }) => r.receiptId === receiptId);
    expect(first.columns.total).toEqual({ copies: 7, sumTiyn: 3 * 180_001 + 2 * 200_000 + 2 * 300_000 });
    expect(first.columns.groups.textbooks).toEqual({ copies: 5, sumTiyn: 3 * 180_001 + 2 * 200_000 });
    expect(first.columns.groups.fiction).toEqual({ copies: 2, sumTiyn: 600_000 });
    expect(first.columns.languages).toMatchObject({ kk: { copies: 5, sumTiyn: 540_003 + 600_000 }, ru: { copies: 2, sumTiyn: 400_000 } });
    const document = (await lib.get(`/api/fund/receipts/${receiptId}`)).body.receipt;
    expect(document).toMatchObject({ copiesCount: 2, sumTiyn: 600_000, textbooksCount: 5, textbooksSumTiyn: 940_003 });
    const listed = (await lib.get('/api/fund/receipts')).body.items.find((r: { id: number }) => r.id === receiptId);
    expect(listed).toMatchObject({ copiesCount: 2, textbooksCount: 5, textbooksSumTiyn: 940_003 });
    expect(cellOf(year.balance.cells.closing, 'textbooks', 'kk')).toEqual({ copies: 4, sumTiyn: 540_003 + 180_002 });
    expect(cellOf(year.balance.cells.closing, 'textbooks', 'ru')).toEqual({ copies: 2, sumTiyn: 400_000 });
  });

  it('refuses to delete or re-date a receipt that brought textbooks, with a translated 409, deleting nothing', async () => {
    const [receipts, batches] = [await count('fund.receipts'), await count('textbooks.batches')];
    // An empty document of textbooks only: it has no copy lines, only batches.
    const only = await lib.post('/api/textbooks/receipts', {
      receivedOn: '2026-09-20', source: 'budget_purchase', schoolYear: YEAR, lines: [{ workId: russian, count: 3, priceTiyn: 210_000 }],
    });
    const id = only.body.items[0].receiptId;
    const res = await lib.delete(`/api/fund/receipts/${id}`);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'accounting.receipt_has_textbooks',
      message: `№${only.body.items[0].receiptNumber} түсім құжатымен оқулық қорына 3 дана оқулық қабылданған: құжаттың күні мен көзін өзгертуге де, оны жоюға да болмайды`,
    });
    const ru = await lib.request({ method: 'DELETE', url: `/api/fund/receipts/${id}`, headers: { 'x-locale': 'ru' } });
    expect(ru.status).toBe(409);
    expect(ru.body.error.message).toContain('в фонд учебников принято 3 экз.');
    const moved = await lib.patch(`/api/fund/receipts/${id}`, { receivedOn: '2026-09-21' });
    expect(moved.status).toBe(409);
    expect(moved.body.error.code).toBe('accounting.receipt_has_textbooks');
    // The supplier may still be corrected.
    expect((await lib.patch(`/api/fund/receipts/${id}`, { supplier: 'Мектеп' })).status).toBe(200);
    expect([await count('fund.receipts'), await count('textbooks.batches')]).toEqual([receipts + 1, batches + 1]);
    expect((await lib.get(`/api/fund/receipts/${id}`)).body.receipt.receivedOn).toBe('2026-09-20');
    // An empty receipt is still deleted as before.
    const empty = await lib.post('/api/fund/receipts', { receivedOn: '2026-09-21', source: 'gift' });
    expect((await lib.delete(`/api/fund/receipts/${empty.body.id}`)).status).toBe(200);
  });

  it('puts acts of the textbook fund in part II and writes a title off to the last tiyn', async () => {
    // The catalogue later calls the Kazakh algebra Russian: the books keep the language it was booked under.
    await database.db.updateTable('catalog.works').set({ language: 'rus' }).where('id', '=', kazakh).execute();
    await lib.post('/api/textbooks/receipts', {
      receivedOn: '2026-10-01', source: 'gift', schoolYear: YEAR, lines: [{ workId: kazakh, count: 1, priceTiyn: 180_000 }],
    });
    // 5 copies worth 540 003 + 180 002 + 180 000 = 900 005 tiyn; issue none, wear out 2, then lose 3.
    const shelf = await database.db.updateTable('textbooks.stock').set({ good: 0, worn: 2, lost: 3 })
      .where('organisation_id', '=', tenants.schoolA.id).where('work_id', '=', kazakh).executeTakeFirst();
    expect(Number(shelf.numUpdatedRows)).toBe(1);
    // An act dated before the title's first batch arrived would leave the books of that day short: refused, nothing written.
    const early = await lib.post('/api/textbooks/write-offs', { actDate: '2026-08-05', reason: 'loss', lines: [{ workId: kazakh, condition: 'lost', count: 3 }] });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'textbooks.act_before_receipt', params: { date: '2026-08-05', available: 0, count: 3 } });
    expect(early.body.error.message).toBe('«Алгебра. 7-сынып»: 2026-08-05 күнгі есеп бойынша 0 дана ғана болған (түскені шығарылғанын алып тастағанда), ал 3 дана шығарылмақ. Акт күнін тексеріңіз');
    const wear = await lib.post('/api/textbooks/write-offs', { actDate: '2026-11-02', reason: 'wear', lines: [{ workId: kazakh, condition: 'worn', count: 2 }] });
    expect(wear.status).toBe(201);
    expect(wear.body.sumTiyn).toBe(Math.round((900_005 * 2) / 5));
    const loss = await lib.post('/api/textbooks/write-offs', { actDate: '2026-12-15', reason: 'loss', lines: [{ workId: kazakh, condition: 'lost', count: 3 }] });
    expect(loss.status).toBe(201);
    // The last copies take the rest of the title's value: nothing stays in the books for a title with no copies.
    expect(wear.body.sumTiyn + loss.body.sumTiyn).toBe(900_005);

    const year = await book('2026-01-01', '2026-12-31');
    const textbookActs = year.writeOffs.filter((a: { register: string }) => a.register === 'textbooks');
    expect(textbookActs.map((a: { number: string; date: string; reason: string; columns: { groups: { textbooks: Tally }; languages: { kk: Tally } } }) =>
      [a.number, a.date, a.reason, a.columns.groups.textbooks.copies, a.columns.languages.kk.copies])).toEqual([
      [wear.body.number, '2026-11-02', 'wear', 2, 2],
      [loss.body.number, '2026-12-15', 'loss', 3, 3],
    ]);
    expect(cellOf(year.balance.cells.closing, 'textbooks', 'kk')).toEqual({ copies: 0, sumTiyn: 0 });
    expect(cellOf(year.balance.cells.closing, 'textbooks', 'ru')).toEqual({ copies: 5, sumTiyn: 400_000 + 630_000 });
  });

  it('keeps opening + received − written off = closing for every group and language, quarter to quarter', async () => {
    const quarters = [['2026-01-01', '2026-03-31'], ['2026-04-01', '2026-06-30'], ['2026-07-01', '2026-09-30'], ['2026-10-01', '2026-12-31'], ['2027-01-01', '2027-03-31']];
    let previous: Cell[] | null = null;
    for (const [from, to] of quarters) {
      const b = await book(from!, to!);
      const keys = new Set<string>([...b.balance.cells.opening, ...b.balance.cells.received, ...b.balance.cells.writtenOff, ...b.balance.cells.closing]
        .map((c: Cell) => `${c.knowledgeGroup}|${c.languageGroup}`));
      for (const key of keys) {
        const [g, l] = key.split('|') as [string, string];
        const [o, r, w, c] = [b.balance.cells.opening, b.balance.cells.received, b.balance.cells.writtenOff, b.balance.cells.closing].map((x) => cellOf(x, g, l));
        expect({ key, copies: o!.copies + r!.copies - w!.copies, sumTiyn: o!.sumTiyn + r!.sumTiyn - w!.sumTiyn }).toEqual({ key, ...c });
        expect(c!.copies).toBeGreaterThanOrEqual(0);
        expect(c!.sumTiyn).toBeGreaterThanOrEqual(0);
      }
      if (previous) expect(b.balance.cells.opening).toEqual(previous);
      previous = b.balance.cells.closing;
      // Part I and part II add up to the balance part, column by column.
      const sum = (rows: { columns: { total: Tally } }[]) => rows.reduce((s, x) => ({ copies: s.copies + x.columns.total.copies, sumTiyn: s.sumTiyn + x.columns.total.sumTiyn }), { copies: 0, sumTiyn: 0 });
      expect(sum(b.receipts)).toEqual(b.balance.received.total);
      expect(sum(b.writeOffs)).toEqual(b.balance.writtenOff.total);
    }
    // The textbook register agrees with the textbook column of the summary book.
    const stock = (await lib.get('/api/textbooks/stock')).body.items as { received: number; writtenOff: number }[];
    const inRegister = stock.reduce((s, x) => s + x.received - x.writtenOff, 0);
    const last = await book('2026-01-01', '2027-12-31');
    expect(last.balance.closing.groups.textbooks.copies).toBe(inRegister);
  });

  it('prints the textbook acts in part II of the PDF and the spreadsheet', async () => {
    const xlsx = await lib.get('/api/fund/summary-book.xlsx?from=2026-01-01&to=2026-12-31');
    expect(xlsx.status).toBe(200);
    const pdf = await lib.get('/api/fund/summary-book.pdf?from=2026-01-01&to=2026-12-31');
    expect(pdf.status).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.raw as unknown as ArrayBuffer);
    const texts: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => texts.push(row.values ? JSON.stringify(row.values) : '')));
    expect(texts.join('\n')).toContain('Оқулықтардың тозуы (оқулық қоры)');
  });
});
