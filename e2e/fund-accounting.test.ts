import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/auth/actor.js';
import { addReceiptLine, createReceipt } from '../src/fund/accounting/receipts.js';
import { makeWork } from '../test/support/factories.js';
import { eventually, openBrowserSession, scanCode, signIn, type BrowserSession } from './support.js';

const ISBN = '9786010012349';
const TITLE = 'Қазақ халқының ұлттық ойындары: һәм өнер';
const SHELF = 'Тексеру сөресі, 9';
const CHECKED_TITLE = 'Қозы Көрпеш – Баян сұлу';

/**
 * A librarian receives a batch by scanning its ISBN, prints the inventory book, writes two of the
 * copies off by an approved act, and sees the summary book change.
 */
describe('a librarian keeps the fund accounting books in the browser', () => {
  let s: BrowserSession;
  let closingBefore: number;
  /** The demo fund has a write-off act every summer: the year's books do not start at zero written off. */
  let writtenOffBefore: { total: number; sportArts: number; sportArtsTiyn: number };

  const cellNumber = async (testId: string) => {
    const text = (await s.page.getByTestId(testId).textContent()) ?? '';
    return Number(text.replace(/[\s\u00a0]/g, ''));
  };
  /** «5 001 ₸», «2 500,50 ₸» → tiyn. */
  const cellTiyn = async (testId: string) => {
    const text = (await s.page.getByTestId(testId).textContent()) ?? '';
    return Math.round(Number(text.replace(/[\s\u00a0₸]/g, '').replace(',', '.')) * 100);
  };

  beforeAll(async () => {
    s = await openBrowserSession();
    // approving an act asks for a confirmation
    s.page.on('dialog', (d) => void d.accept());
    const work = await makeWork(s.db, { title: TITLE, authors: ['Ерлан Төлеуов'], isbn: ISBN, bbk: '75.7', language: 'kaz' });
    // No group of its own: BBK 75 (physical culture and sport) decides it.
    await s.db.updateTable('catalog.works').set({ knowledge_group: null }).where('id', '=', work).execute();
    await signIn(s.page, s.baseUrl, s.library.librarianLogin, s.library.password, '/desk');
  });

  afterAll(async () => {
    await s?.close();
  });

  it('receives three copies by scanning the ISBN', async () => {
    const { page } = s;
    await page.goto(`${s.baseUrl}/fund/books`);
    await page.getByTestId('closing-total').waitFor();
    closingBefore = await cellNumber('closing-total');
    writtenOffBefore = {
      total: await cellNumber('writtenOff-total'),
      sportArts: await cellNumber('writtenOff-sport_arts'),
      sportArtsTiyn: await cellTiyn('writtenOff-sport_arts-sum'),
    };

    await page.getByRole('link', { name: 'Әдебиет түсімі' }).click();
    await page.locator('#receipt-document').fill('ЖҚ-2026/14');
    await page.getByRole('button', { name: 'Құжатты ашу' }).click();
    await page.getByTestId('receipt').waitFor();
    await page.locator('#receipt-count').fill('3');
    await page.locator('#receipt-price').fill('2 500,50');
    await page.locator('#receipt-isbn').focus();
    await scanCode(page, ISBN);
    await expect.poll(() => page.getByTestId('inventory-numbers').first().textContent()).toMatch(/^\d+, \d+, \d+$/);
    expect(await page.getByRole('row').filter({ hasText: TITLE }).count()).toBe(1);
    expect(await page.getByTestId('receipt-total').textContent()).toContain('3');
  });

  it('prints the inventory book as a PDF with the Kazakh title intact', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Есепке алу кітаптары' }).click();
    await expect.poll(() => cellNumber('received-total')).toBeGreaterThanOrEqual(3);
    expect(await cellNumber('closing-total')).toBe(closingBefore + 3);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Инвентарлық кітап (PDF)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^inventory-book-\d{4}-01-01-\d{4}-12-31\.pdf$/);
    const file = path.join(s.shotsDir, 'inventory-book.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Инвентарлық кітап');
    expect(text.replace(/\s+/g, ' ')).toContain('Ерлан Төлеуов. Қазақ халқының ұлттық ойындары: һәм өнер');
    expect(text).toContain('2 500,50');
  });

  it('writes two copies off and sees the summary book change', async () => {
    const { page, db } = s;
    const copies = await db
      .selectFrom('fund.copies as c')
      .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
      .select('c.barcode')
      .where('w.isbn', '=', ISBN)
      .orderBy('c.id')
      .execute();
    await page.getByRole('link', { name: 'Есептен шығару актілері' }).click();
    await page.locator('#act-reason').selectOption('physical_wear');
    await page.getByRole('button', { name: 'Акт жасау' }).click();
    await page.getByTestId('act').waitFor();
    for (const copy of copies.slice(0, 2)) {
      await page.locator('#act-barcode').focus();
      await scanCode(page, copy.barcode);
      await expect.poll(() => page.getByTestId('act').getByRole('row').filter({ hasText: TITLE }).count()).toBeGreaterThanOrEqual(copies.indexOf(copy) + 1);
    }
    await page.getByRole('button', { name: 'Бекіту' }).click();
    await expect.poll(() => page.getByTestId('act').locator('h2').textContent()).toContain('Бекітілген');

    await page.getByRole('link', { name: 'Есепке алу кітаптары' }).click();
    await expect.poll(() => cellNumber('writtenOff-total')).toBe(writtenOffBefore.total + 2);
    expect(await cellNumber('writtenOff-sport_arts')).toBe(writtenOffBefore.sportArts + 2);
    expect(await cellNumber('closing-total')).toBe(closingBefore + 1);
    // two copies at 2 500,50 ₸
    expect((await cellTiyn('writtenOff-sport_arts-sum')) - writtenOffBefore.sportArtsTiyn).toBe(500_100);
  });

  it('reverses the approved act: the two copies come back to the fund and the books', async () => {
    const { page, db } = s;
    await page.getByRole('link', { name: 'Есептен шығару актілері' }).click();
    const approved = await db.selectFrom('fund.write_off_acts').select(['id', 'number']).where('status', '=', 'approved').where('reason', '=', 'physical_wear')
      .orderBy('id', 'desc').executeTakeFirstOrThrow();
    await page.getByRole('row').filter({ hasText: 'Тозуы' }).getByRole('button', { name: approved.number, exact: true }).click();
    await page.getByTestId('reverse').locator('summary').click();
    await page.locator('#reverse-note').fill('Комиссия қатесі');
    await page.getByRole('button', { name: 'Кері акт жасау' }).click();
    await eventually(() => page.getByTestId('act').locator('h2').textContent()).toContain('Кері акт');
    const reversal = await db.selectFrom('fund.write_off_acts').select(['kind', 'status', 'note']).where('reverses_id', '=', approved.id).executeTakeFirstOrThrow();
    expect(reversal).toEqual({ kind: 'reversal', status: 'approved', note: 'Комиссия қатесі' });
    await page.getByRole('button', { name: 'Қайтарылған актіні ашу' }).click();
    await eventually(() => page.getByTestId('act').locator('h2').textContent()).toContain('кері қайтарылған');
    expect(await page.getByTestId('reverse').count()).toBe(0);

    await page.getByRole('link', { name: 'Есепке алу кітаптары' }).click();
    await eventually(() => cellNumber('closing-total')).toBe(closingBefore + 3);
    // the reversal is a row of part II with the copies taken back: the year's written off is as before the act
    expect(await cellNumber('writtenOff-total')).toBe(writtenOffBefore.total);
    expect(await cellNumber('writtenOff-sport_arts')).toBe(writtenOffBefore.sportArts);
  });

  /** Four copies on a shelf of their own: two will be scanned, one lent, one lost from the shelf. */
  let shelf: { id: number; barcode: string; inventoryNumber: string }[] = [];

  it('checks a shelf with the scanner: found, on loan, unknown, and a shortage act on closing', async () => {
    const { page, db } = s;
    const user = await db.selectFrom('org.users as u').innerJoin('org.organisations as o', 'o.id', 'u.organisation_id')
      .select(['u.id', 'u.organisation_id', 'o.path']).where('u.login', '=', s.library.librarianLogin).executeTakeFirstOrThrow();
    const actor: Actor = {
      userId: user.id, login: s.library.librarianLogin, fullName: 'librarian', role: 'librarian', organisationId: user.organisation_id!,
      orgPath: user.path, classGrade: null, classLetter: null, readerId: null, locale: 'kk',
    };
    const work = await makeWork(db, { title: CHECKED_TITLE, authors: ['Халық жыры'], language: 'kaz' });
    shelf = await db.transaction().execute(async (trx) => {
      const receipt = await createReceipt(trx, actor, { receivedOn: '2026-01-15', source: 'budget_purchase' });
      const line = await addReceiptLine(trx, actor, receipt.id, { workId: work, count: 4, priceTiyn: 250_050, location: SHELF });
      return line.copies;
    });
    // The third copy is at home with the demo student.
    const [, , lent] = shelf;
    await db.insertInto('circulation.loans')
      .values({ organisation_id: actor.organisationId, copy_id: lent!.id, reader_id: s.library.reader.id, due_on: '2026-12-30', issued_by: null, returned_at: null, returned_by: null })
      .execute();
    await db.updateTable('fund.copies').set({ status: 'on_loan' }).where('id', '=', lent!.id).execute();

    await page.getByRole('link', { name: 'Қорды тексеру' }).click();
    await page.locator('#check-location').fill('Тексеру сөресі');
    await page.getByRole('button', { name: 'Тексеруді бастау' }).click();
    await page.getByTestId('check').waitFor();
    await eventually(() => page.evaluate(() => document.activeElement?.id)).toBe('check-code');
    await scanCode(page, shelf[0]!.barcode);
    await eventually(() => page.getByTestId('check-log').textContent()).toContain(`Табылды: №${shelf[0]!.inventoryNumber}`);

    // A reload in the middle of the work: the check is in the address and goes on from where it stopped.
    await page.reload();
    await page.getByTestId('check').waitFor();
    await eventually(() => page.getByTestId('count-found').textContent()).toBe('1');
    await eventually(() => page.evaluate(() => document.activeElement?.id)).toBe('check-code');
    await scanCode(page, shelf[1]!.barcode);
    await scanCode(page, '1999999999');
    await scanCode(page, shelf[1]!.barcode);
    const log = page.getByTestId('check-log');
    // the log keeps the refusal as a plain entry (the scan field's own alert is cleared by the next good scan)
    await eventually(() => log.locator('li.error').first().textContent()).toBe('1999999999 штрихкоды бар дана кітапхана қорында жоқ');
    expect(await log.getByRole('alert').count()).toBe(0);
    await eventually(() => log.locator('li').first().textContent()).toContain(`Бұрын сканерленген: №${shelf[1]!.inventoryNumber}`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('check-code');
    expect(await page.locator('#check-code').inputValue()).toBe('');
    await eventually(async () => [
      await page.getByTestId('count-expected').textContent(),
      await page.getByTestId('count-found').textContent(),
      await page.getByTestId('count-missing').textContent(),
      await page.getByTestId('count-onLoan').textContent(),
      await page.getByTestId('count-unknown').textContent(),
    ]).toEqual(['4', '2', '1', '1', '1']);
    await page.screenshot({ path: path.join(s.shotsDir, 'fund-check.png'), fullPage: true });
    expect(await page.getByTestId('list-missing').textContent()).toContain(shelf[3]!.inventoryNumber);

    await page.getByRole('button', { name: 'Тексеруді жабу' }).click();
    await page.getByRole('button', { name: 'Иә, жабу' }).click();
    await eventually(() => page.getByTestId('check-closed').textContent()).toContain('табылмаған 1 дана кем шығу актісіне енгізілді');
    await page.getByRole('link', { name: 'Кем шығу актісін ашу' }).click();
    const act = page.getByTestId('act');
    await eventually(() => act.getByRole('row').filter({ hasText: CHECKED_TITLE }).count()).toBe(1);
    expect(await act.getByRole('row').filter({ hasText: CHECKED_TITLE }).textContent()).toContain(shelf[3]!.inventoryNumber);
    expect(await act.locator('h2').textContent()).toContain('Жоба');
    const draft = await db.selectFrom('fund.write_off_acts as a').innerJoin('fund.write_off_lines as l', 'l.act_id', 'a.id')
      .select(['a.reason', 'a.status', 'l.copy_id']).where('l.copy_id', 'in', shelf.map((c) => c.id)).execute();
    expect(draft).toEqual([{ reason: 'missing_at_check', status: 'draft', copy_id: shelf[3]!.id }]);
    await page.screenshot({ path: path.join(s.shotsDir, 'fund-check-act.png'), fullPage: true });
  });

  it('records a book lost by a reader and paid for in tenge', async () => {
    const { page, db } = s;
    const lent = shelf[2]!;
    await page.getByRole('link', { name: 'Жоғалған, бүлінген кітаптар' }).click();
    await eventually(() => page.evaluate(() => document.activeElement?.id)).toBe('loss-reader');
    await scanCode(page, s.library.reader.barcode);
    const form = page.getByTestId('loss-form');
    await eventually(() => form.locator('h2').textContent()).toContain(s.library.reader.fullName);
    await form.getByLabel(new RegExp(`${CHECKED_TITLE}.*№${lent.inventoryNumber}`)).check();
    expect(await page.locator('#loss-barcode').inputValue()).toBe(lent.barcode);
    await page.locator('#loss-settlement').selectOption('payment');
    await page.locator('#loss-amount').fill('2 500,50');
    await page.getByRole('button', { name: 'Жоғалғанын жазу' }).click();
    await eventually(async () => (await page.getByTestId('loss-done').textContent())?.replace(/\s/g, ' ')).toContain('2 500,50 ₸ төленді');
    await eventually(() => page.getByTestId('losses').getByRole('row').filter({ hasText: CHECKED_TITLE }).count()).toBe(1);
    expect(await page.getByTestId('loss-form').textContent()).toContain('Оқырманда кітап жоқ');

    const loss = await db.selectFrom('fund.losses').select(['settlement', 'payment_tiyn', 'reader_id']).where('copy_id', '=', lent.id).executeTakeFirstOrThrow();
    expect(loss).toEqual({ settlement: 'payment', payment_tiyn: 250_050, reader_id: s.library.reader.id });
    expect((await db.selectFrom('fund.copies').select('status').where('id', '=', lent.id).executeTakeFirstOrThrow()).status).toBe('lost');
    const open = await db.selectFrom('circulation.loans').select('id').where('copy_id', '=', lent.id).where('returned_at', 'is', null).execute();
    expect(open).toEqual([]);
    await page.screenshot({ path: path.join(s.shotsDir, 'fund-loss.png'), fullPage: true });
  });

  it('gives a scanned copy a new inventory number and keeps the old one', async () => {
    const { page, db } = s;
    const copy = shelf[0]!;
    await page.getByRole('link', { name: 'Қайта нөмірлеу' }).click();
    await eventually(() => page.evaluate(() => document.activeElement?.id)).toBe('renumber-code');
    await scanCode(page, copy.barcode);
    await eventually(() => page.getByTestId('renumber-list').textContent()).toContain(CHECKED_TITLE);
    await page.getByRole('button', { name: '1 данаға жаңа нөмір беру' }).click();
    await eventually(() => page.getByTestId('renumber-changes').textContent()).toContain(copy.inventoryNumber);
    const now = await db.selectFrom('fund.copies').select('inventory_number').where('id', '=', copy.id).executeTakeFirstOrThrow();
    expect(now.inventory_number).not.toBe(copy.inventoryNumber);
    expect(await page.getByTestId('renumber-changes').getByRole('row').nth(1).textContent()).toBe(`${copy.inventoryNumber}${now.inventory_number}`);
    const history = await db.selectFrom('fund.inventory_number_history').select(['old_number', 'new_number']).where('copy_id', '=', copy.id).execute();
    expect(history).toEqual([{ old_number: copy.inventoryNumber, new_number: now.inventory_number }]);
  });

  it('lets the administrator add a BBK rule to the knowledge-domain mapping', async () => {
    const { page, db } = s;
    await page.context().clearCookies();
    await page.goto(`${s.baseUrl}/login?next=${encodeURIComponent('/fund/group-rules')}`);
    await page.locator('#login-name').fill('admin');
    await page.locator('#login-password').fill(s.library.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${s.baseUrl}/fund/group-rules`);
    const table = page.getByTestId('group-rules');
    await page.locator('#rules-filter').fill('84');
    await eventually(async () => (await table.getByRole('row').count()) > 1).toBe(true);
    const before = await table.getByRole('row').count();
    await page.getByRole('button', { name: 'Ереже қосу' }).click();
    const added = table.getByRole('row').nth(before);
    await added.getByLabel('Индекс басы').fill('84(5Каз)-8');
    await added.getByLabel('Білім саласы').selectOption('linguistics_literature');
    await added.getByLabel('Басымдығы').fill('5');
    await page.getByRole('button', { name: 'Сақтау' }).click();
    await eventually(async () => db.selectFrom('fund.knowledge_group_rules').select(['scheme', 'knowledge_group', 'priority']).where('prefix', '=', '84(5Каз)-8').execute())
      .toEqual([{ scheme: 'bbk', knowledge_group: 'linguistics_literature', priority: 5 }]);
    await page.screenshot({ path: path.join(s.shotsDir, 'group-rules.png'), fullPage: true });
  });
});
