import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openBrowserSession, scanCode, signIn, type BrowserSession } from './support.js';

const NUMBERS = ['900001', '900002', '900003', '900004', '900005'];
const CSV = [
  'Инвентарлық нөмір;Түскен күні;Авторы;Атауы;Басылған жылы;Бағасы, теңге;КБЖ;Тілі;Басылым түрі',
  '900001;01.09.2009;Мағжан Жұмабаев;Батыр Баян;2005;1 200,00;84(5Каз);kaz;кітап',
  '900002;01.09.2009;Мағжан Жұмабаев;Батыр Баян;2005;1 200,00;84(5Каз);kaz;кітап',
  '900003;15.02.2011;Ілияс Есенберлин;Көшпенділер;2008;3 500,00;84(5Каз);kaz;кітап',
  '900004;15.02.2011;Ілияс Есенберлин;Көшпенділер;2008;;84(5Каз);kaz;кітап',
  '900005;20.10.2012;;Қазақстан картасы;2010;800,00;26.8;kaz;карта',
].join('\r\n');

/**
 * A librarian books five copies of the existing fund from a spreadsheet, finds them in the inventory book,
 * writes two off by an act of a commission and prints the act for signing.
 */
describe('booking the existing fund and a commission write-off in the browser', () => {
  let s: BrowserSession;

  beforeAll(async () => {
    s = await openBrowserSession();
    s.page.on('dialog', (d) => void d.accept());
    await signIn(s.page, s.baseUrl, s.library.librarianLogin, s.library.password, '/desk');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('books five copies from a spreadsheet with their own numbers', async () => {
    const { page } = s;
    await page.goto(`${s.baseUrl}/fund/opening`);
    await page.locator('#opening-document').fill('ИК-2009');
    await page.getByRole('button', { name: 'Жоба ашу' }).click();
    await page.getByTestId('opening').waitFor();
    await page.locator('#opening-file').setInputFiles({ name: 'qor.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
    await page.getByRole('button', { name: 'Файлды жүктеу' }).click();
    await eventually(() => page.getByTestId('opening-total').textContent()).toContain('5 дана');
    expect(await page.getByTestId('opening-total').textContent()).toContain('бағасыз 1 дана');
    for (const n of NUMBERS) expect(await page.getByTestId('opening-rows').getByRole('row').filter({ hasText: n }).count()).toBe(1);
    await page.getByRole('button', { name: 'Есепке алу', exact: true }).click();
    await eventually(() => page.getByTestId('opening').locator('h2').textContent()).toContain('есепке алынды');
  });

  it('finds the five copies in the inventory book', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Есепке алу кітаптары' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Инвентарлық кітап (PDF)' }).click()]);
    const file = path.join(s.shotsDir, 'inventory.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const n of NUMBERS) expect(text).toContain(n);
    expect(text).toContain('01.09.2009');
    expect(text).toContain('бағасы белгісіз');
  });

  it('writes two off by an act of a commission and prints it with the names and the Kazakh title', async () => {
    const { page, db } = s;
    const copies = await db.selectFrom('fund.copies').select(['barcode', 'inventory_number']).where('inventory_number', 'in', NUMBERS.slice(0, 2)).orderBy('inventory_number').execute();
    await page.getByRole('link', { name: 'Есептен шығару актілері' }).click();
    await page.locator('#act-reason').selectOption('physical_wear');
    await page.locator('#act-chair').fill('Гүлнар Қасенова');
    await page.locator('#act-members').fill('Сәуле Ахметова, Айгүл Оспанова');
    await page.locator('#act-head').fill('Жанар Бекова');
    await page.getByRole('button', { name: 'Акт жасау' }).click();
    await page.getByTestId('act').waitFor();
    for (const [i, copy] of copies.entries()) {
      await page.locator('#act-barcode').focus();
      await scanCode(page, copy.barcode);
      await expect.poll(() => page.getByTestId('act').getByRole('row').filter({ hasText: 'Батыр Баян' }).count()).toBeGreaterThanOrEqual(i + 1);
    }
    await page.getByRole('button', { name: 'Бекіту' }).click();
    await expect.poll(() => page.getByTestId('act').locator('h2').textContent()).toContain('Бекітілген');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Актіні басып шығару (PDF)' }).click()]);
    const file = path.join(s.shotsDir, 'act.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const name of ['Гүлнар Қасенова', 'Сәуле Ахметова', 'Айгүл Оспанова', 'Жанар Бекова']) expect(text).toContain(name);
    expect(text).toContain('Кітапхана қорынан әдебиетті есептен шығару туралы');
    expect(text).toContain('900001');
    const statuses = await db.selectFrom('fund.copies').select('status').where('inventory_number', 'in', NUMBERS.slice(0, 2)).execute();
    expect(statuses.map((c) => c.status)).toEqual(['written_off', 'written_off']);
  });
});
