import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPEAT_SCAN_WINDOW_MS } from '../src/circulation/desk.js';
import { setClock } from '../src/shared/library-time.js';
import { eventually, openBrowserSession, scanCode, type BrowserSession } from './support.js';

/**
 * The foundation in a real browser: a librarian signs in, finds a reader, issues a book at the
 * desk with the scanner and takes it back, switches the interface language, a search in Latin
 * letters finds the Kazakh record, and the audit log shows the loan, on a desk and on a phone.
 */
describe('a librarian works the desk in the browser', () => {
  let s: BrowserSession;
  let issuedLoanId: number;

  beforeAll(async () => {
    s = await openBrowserSession();
  });

  afterAll(async () => {
    await s?.close();
  });

  it('signs in and lands on the circulation desk, in Kazakh by default', async () => {
    const { page, library } = s;
    await page.goto(`${s.baseUrl}/login`);
    await page.getByLabel('Логин').fill(library.librarianLogin);
    await page.getByLabel('Құпиясөз').fill(library.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${s.baseUrl}/desk`);
    await eventually(() => page.locator('h1').textContent()).toBe('Абонемент');
    expect(await page.locator('html').getAttribute('lang')).toBe('kk');
  });

  it('refuses a wrong password with the server message in Kazakh', async () => {
    const browser = s.page.context().browser()!;
    const stranger = await browser.newPage();
    await stranger.goto(`${s.baseUrl}/login`);
    await stranger.getByLabel('Логин').fill(s.library.librarianLogin);
    await stranger.getByLabel('Құпиясөз').fill('not-the-password');
    await stranger.getByRole('button', { name: 'Кіру' }).last().click();
    const alert = stranger.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Логин немесе құпиясөз қате');
    expect(stranger.url()).toBe(`${s.baseUrl}/login`);
    await stranger.close();
  });

  it('finds the reader by surname in the reader list', async () => {
    const { page, library } = s;
    await page.getByRole('link', { name: 'Оқырмандар', exact: true }).click();
    await page.waitForURL(`${s.baseUrl}/readers`);
    await page.locator('#readers-q').fill(library.reader.lastName);
    await page.keyboard.press('Enter');
    const row = page.getByRole('row').filter({ hasText: library.reader.lastName });
    await row.first().waitFor();
    expect(await row.first().textContent()).toContain(library.reader.barcode);
  });

  it('issues a book by scanning the card and then the copy, with the input keeping the focus', async () => {
    const { page, library } = s;
    await page.getByRole('link', { name: 'Абонемент' }).click();
    await page.waitForURL(`${s.baseUrl}/desk`);
    const deskInput = page.locator('#desk-code');
    await eventually(() => deskInput.evaluate((el) => el === document.activeElement)).toBe(true);

    await scanCode(page, library.reader.barcode);
    const panel = page.getByLabel('Оқырман формуляры');
    await panel.getByText(library.reader.fullName, { exact: false }).first().waitFor();
    expect(await page.locator('.desk-log li').first().textContent()).toContain('Оқырман ашылды');

    await scanCode(page, library.copy.barcode);
    const loanRow = panel.getByRole('row').filter({ hasText: library.copy.title });
    await loanRow.waitFor();
    expect(await loanRow.textContent()).toContain(library.copy.barcode);
    expect(await loanRow.getByRole('button', { name: `«${library.copy.title}» кітабының мерзімін ұзарту` }).isEnabled()).toBe(true);
    expect(await page.locator('.desk-log li.issued').first().textContent()).toContain(`«${library.copy.title}» берілді`);
    expect(await deskInput.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await deskInput.inputValue()).toBe('');

    const open = await s.db
      .selectFrom('circulation.loans')
      .select(['id', 'reader_id'])
      .where('copy_id', '=', library.copy.id)
      .where('returned_at', 'is', null)
      .execute();
    expect(open.map((l) => l.reader_id)).toEqual([library.reader.id]);
    issuedLoanId = open[0]!.id;

    await page.screenshot({ path: path.join(s.shotsDir, 'desk-issued.png'), fullPage: true });
  });

  it('closes the reader with Esc and takes the book back by scanning it alone', async () => {
    const { page, library } = s;
    await page.keyboard.press('Escape');
    await page.getByText('Оқырман ашылмаған', { exact: false }).waitFor();
    // A click elsewhere takes the focus away; the scan must still reach the desk input.
    await page.locator('h1').click();
    expect(await page.locator('#desk-code').evaluate((el) => el === document.activeElement)).toBe(false);

    // The copy was issued a moment ago: a scan of it within the bounce window would be ignored
    // as a scanner bounce, so the clock moves past the window, as for a book brought back later.
    setClock(() => new Date(Date.now() + REPEAT_SCAN_WINDOW_MS + 1000));
    try {
      await scanCode(page, library.copy.barcode);
      await page.locator('.desk-log li.returned').first().waitFor();
    } finally {
      setClock(undefined);
    }
    expect(await page.locator('.desk-log li.returned').first().textContent()).toContain(`«${library.copy.title}» қайтарылды`);

    const loan = await s.db.selectFrom('circulation.loans').select('returned_at').where('id', '=', issuedLoanId).executeTakeFirstOrThrow();
    expect(loan.returned_at).not.toBeNull();
    const copy = await s.db.selectFrom('fund.copies').select('status').where('id', '=', library.copy.id).executeTakeFirstOrThrow();
    expect(copy.status).toBe('available');
  });

  it('switches the language kk → ru → en, remembers it, and server errors follow', async () => {
    const { page } = s;
    const heading = page.locator('h1');
    await page.getByRole('button', { name: 'Русский' }).click();
    await eventually(() => heading.textContent()).toBe('Кафедра выдачи');
    expect(await page.getByRole('link', { name: 'Читатели', exact: true }).count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');

    await page.getByRole('button', { name: 'English' }).click();
    await eventually(() => heading.textContent()).toBe('Circulation desk');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);

    // The account keeps the choice, and the server answers in it.
    await expect
      .poll(async () => (await s.db.selectFrom('org.users').select('locale').where('login', '=', s.library.librarianLogin).executeTakeFirstOrThrow()).locale)
      .toBe('en');
    await page.locator('#desk-code').focus();
    await scanCode(page, '1999999999');
    await page.locator('.desk-log li.error').first().waitFor();
    expect(await page.locator('.desk-log li.error').first().textContent()).toBe(
      'Code “1999999999” not found: it is neither a reader card nor a copy of this library',
    );

    await page.reload();
    await eventually(() => heading.textContent()).toBe('Circulation desk');
  });

  it('finds «Абай» when the search is typed in Latin letters', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Search the catalogue' }).click();
    await page.getByRole('searchbox').fill('Abai');
    await page.keyboard.press('Enter');
    const results = page.locator('.results');
    await results.getByText('Абай', { exact: false }).first().waitFor();
    const titles = await results.locator('.result-title').allTextContents();
    expect(titles).toContain('Абай жолы');
    expect(titles).toContain(s.library.copy.title);
  });

  it('shows the loan in the audit log, narrows it to loans, and fits a phone screen', async () => {
    const { page } = s;
    const librarian = await s.db.selectFrom('org.users').select(['full_name', 'organisation_id']).where('login', '=', s.library.librarianLogin).executeTakeFirstOrThrow();
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(`${s.baseUrl}/admin/audit`);
    const rows = page.locator('[data-testid=audit-lines] tbody tr');
    const issued = rows.filter({ hasText: 'Book issued' }).filter({ hasText: String(issuedLoanId) });
    await issued.waitFor();
    expect(await issued.textContent()).toContain(librarian.full_name);
    expect(await issued.textContent()).toContain(`Barcode: ${s.library.copy.barcode}`);
    expect(await rows.filter({ hasText: 'Book returned' }).filter({ hasText: String(issuedLoanId) }).count()).toBe(1);
    expect(await rows.filter({ hasText: 'Signed in' }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(s.shotsDir, 'audit.png'), fullPage: true });

    await page.locator('#audit-entity').selectOption({ label: 'Loan' });
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL(`${s.baseUrl}/admin/audit?entity=loan`);
    await eventually(() => rows.filter({ hasText: 'Signed in' }).count()).toBe(0);
    const loanLines = await s.db.selectFrom('org.audit_log').select('id').where('organisation_id', '=', librarian.organisation_id).where('entity', '=', 'loan').execute();
    await eventually(() => rows.count()).toBe(Math.min(loanLines.length, 50));
    const events = new Set((await rows.locator('td:nth-child(3)').allTextContents()).map((text) => text.trim()));
    expect([...events].every((text) => ['Book issued', 'Book returned', 'Loan renewed'].includes(text))).toBe(true);

    // on a phone each line is a card, and nothing sticks out sideways
    await page.setViewportSize({ width: 390, height: 844 });
    await issued.waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.locator('[data-testid=audit-lines] thead').isVisible()).toBe(false);
    await page.screenshot({ path: path.join(s.shotsDir, 'audit-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 860 });
  });
});
