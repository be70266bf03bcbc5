import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWork } from '../test/support/factories.js';
import { openBrowserSession, scanCode, signIn, type BrowserSession } from './support.js';

const ISBN = '9786010012349';
const TITLE = 'Қазақ халқының ұлттық ойындары: һәм өнер';

/**
 * A librarian receives a batch by scanning its ISBN, prints the inventory book, writes two of the
 * copies off by an approved act, and sees the summary book change.
 */
describe('a librarian keeps the fund accounting books in the browser', () => {
  let s: BrowserSession;
  let closingBefore: number;

  const cellNumber = async (testId: string) => {
    const text = (await s.page.getByTestId(testId).textContent()) ?? '';
    return Number(text.replace(/[\s\u00a0]/g, ''));
  };

  beforeAll(async () => {
    s = await openBrowserSession();
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
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Түгендеу кітабы (PDF)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^inventory-book-\d{4}-01-01-\d{4}-12-31\.pdf$/);
    const file = path.join(s.shotsDir, 'inventory-book.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Түгендеу кітабы');
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
    await expect.poll(() => cellNumber('writtenOff-total')).toBe(2);
    expect(await cellNumber('writtenOff-sport_arts')).toBe(2);
    expect(await cellNumber('closing-total')).toBe(closingBefore + 1);
    expect((await page.getByTestId('writtenOff-sport_arts-sum').textContent())?.replace(/\s/g, '')).toBe('5001₸');
  });
});
