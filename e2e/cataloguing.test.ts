import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openBrowserSession, scanCode, signIn, type BrowserSession } from './support.js';

const ISBN = '9786017712341';
const TITLE = 'Көшпенділер';

/**
 * A librarian catalogues a book with the full form, corrects the saved record, receives two copies by its ISBN
 * and finds them in the summary book's group the BBK decides.
 */
describe('a librarian catalogues a book with the full form', () => {
  let s: BrowserSession;
  let workId = 0;

  const cellNumber = async (testId: string) => Number(((await s.page.getByTestId(testId).textContent()) ?? '').replace(/[\s\u00a0]/g, ''));

  beforeAll(async () => {
    s = await openBrowserSession();
    await signIn(s.page, s.baseUrl, s.library.librarianLogin, s.library.password, '/desk');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('fills every field, sees the author sign and the report group while typing, and saves', async () => {
    const { page } = s;
    await page.goto(`${s.baseUrl}/catalog/new`);
    await page.locator('#title').fill(TITLE);
    await page.locator('#parallelTitle').fill('Кочевники');
    await page.locator('#responsibility').fill('Ілияс Есенберлин; ред. Ә. Кекілбаев');
    await page.locator('#author-0').fill('Ілияс Есенберлин');
    await page.getByRole('button', { name: 'Автор қосу' }).click();
    await page.locator('#author-1').fill('Әбіш Кекілбаев');
    await page.locator('#author-role-1').selectOption('editor');
    await page.locator('#edition').fill('3-басылым');
    await page.locator('#publishPlace').fill('Алматы');
    await page.locator('#publisher').fill('Жазушы');
    await page.locator('#publishYear').fill('2019');
    await page.locator('#pages').fill('672');
    await page.locator('#series').fill('Қазақ романдары');
    await page.locator('#work-isbn').fill(ISBN);
    await page.locator('#bbk').fill('22.1');
    await eventually(() => page.getByTestId('group-preview').textContent()).toContain('Жаратылыстану');
    await page.locator('#bbk').fill('84(5Каз)7-44');
    await eventually(() => page.getByTestId('group-preview').textContent()).toContain('Көркем әдебиет');
    await page.locator('#udc').fill('821.512.122-31');
    await eventually(() => page.locator('#authorSign').inputValue()).toMatch(/^Е\d+$/);
    await page.locator('#ageCategory').selectOption('14+');
    await page.locator('#publicationType').selectOption('book');
    await page.locator('#accessibleFormat').selectOption('large_print');
    await page.locator('#subjectHeadings').fill('Қазақ хандығы -- Тарихи роман');
    await page.locator('#annotation').fill('Қазақ хандығының тарихы туралы трилогия.');
    await page.getByRole('button', { name: 'Жазбаны сақтау' }).click();
    await page.waitForURL(/\/catalog\/works\/\d+$/);
    workId = Number(page.url().split('/').pop());
    await eventually(() => page.locator('dl.facts').textContent()).toContain('84(5Каз)7-44');
    const facts = (await page.locator('dl.facts').textContent()) ?? '';
    for (const text of ['821.512.122-31', '14+', 'Ірі қаріп', 'Қазақ романдары', '3-басылым']) expect(facts).toContain(text);
  });

  it('edits the saved record and the audit log keeps what changed', async () => {
    const { page, db } = s;
    await page.getByRole('button', { name: 'Жазбаны өңдеу' }).click();
    await page.locator('#series').fill('Мектеп кітапханасы');
    await page.locator('#ageCategory').selectOption('12+');
    await page.getByRole('button', { name: 'Сақтау' }).click();
    await eventually(() => page.locator('dl.facts').textContent()).toContain('Мектеп кітапханасы');
    const line = await db.selectFrom('org.audit_log').select('details').where('entity', '=', 'work').where('entity_id', '=', String(workId))
      .where('action', '=', 'update').executeTakeFirstOrThrow();
    expect((line.details as { fields: string[] }).fields.sort()).toEqual(['age_rating', 'series']);
  });

  it('receives two copies by the ISBN and sees them in the fiction group of the summary book', async () => {
    const { page } = s;
    await page.goto(`${s.baseUrl}/fund/books`);
    await page.getByTestId('closing-total').waitFor();
    const before = await cellNumber('received-fiction');
    await page.getByRole('link', { name: 'Әдебиет түсімі' }).click();
    await page.locator('#receipt-document').fill('ЖҚ-2026/21');
    await page.getByRole('button', { name: 'Құжатты ашу' }).click();
    await page.getByTestId('receipt').waitFor();
    await page.locator('#receipt-count').fill('2');
    await page.locator('#receipt-price').fill('3 200');
    await page.locator('#receipt-isbn').focus();
    await scanCode(page, ISBN);
    await expect.poll(() => page.getByTestId('inventory-numbers').first().textContent()).toMatch(/^\d+, \d+$/);
    await page.getByRole('link', { name: 'Есепке алу кітаптары' }).click();
    await expect.poll(() => cellNumber('received-fiction')).toBe(before + 2);
    expect(await cellNumber('received-other')).toBe(0);
  });

  it("prints a class's textbook issue sheet with the pupils' names and a signature column", async () => {
    const { page, db } = s;
    // a class of the demo school holding textbooks, and its school year
    const held = await db.selectFrom('textbooks.issues as i').innerJoin('readers.readers as r', 'r.id', 'i.reader_id')
      .select(['r.grade', 'r.class_letter', 'i.school_year']).where('i.returned_on', 'is', null).where('r.status', '=', 'active')
      .orderBy('r.grade').orderBy('r.class_letter').executeTakeFirstOrThrow();
    const pupils = await db.selectFrom('readers.readers').select(['last_name', 'first_name'])
      .where('grade', '=', held.grade).where('class_letter', '=', held.class_letter!).where('status', '=', 'active').where('kind', '=', 'student').execute();
    await page.goto(`${s.baseUrl}/textbooks/classes`);
    await page.locator('#cls-year').fill(held.school_year);
    await page.locator('#cls-grade').fill(String(held.grade));
    await page.locator('#cls-letter').fill(held.class_letter!);
    await page.getByRole('button', { name: 'Көрсету' }).click();
    await page.getByTestId('diagnosis').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Беру ведомосы (PDF)' }).click()]);
    const file = path.join(s.shotsDir, 'issue-sheet.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Оқулық беру ведомосы');
    expect(text).toContain('Қолы');
    expect(pupils.length).toBeGreaterThan(0);
    for (const p of pupils) expect(text).toContain(`${p.last_name} ${p.first_name}`);
  });
});
