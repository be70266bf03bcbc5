import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openBrowserSession, signIn, type BrowserSession } from './support.js';

/** A librarian opens accounts for a teacher and a pupil, sets a new password, and closes one. */
describe("a librarian looks after the library's accounts in the browser", () => {
  let s: BrowserSession;

  beforeAll(async () => {
    s = await openBrowserSession();
    await signIn(s.page, s.baseUrl, s.library.librarianLogin, s.library.password, '/desk');
  });

  afterAll(async () => {
    await s?.close();
  });

  it('opens a teacher account and a pupil account linked to her reader, who then signs in', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Пайдаланушылар' }).click();
    const form = page.getByRole('form', { name: 'Жаңа есептік жазба' });

    await form.getByLabel('Рөлі').selectOption('teacher');
    await form.getByLabel('Аты-жөні').fill('Мұратова Гүлнар');
    await form.getByLabel('Логин').fill('gulnar-5a');
    await form.getByLabel('Құпиясөз (кемінде 8 таңба)').fill('Gulnar-pass-2026');
    await form.getByLabel('Сынып', { exact: true }).fill('5');
    await form.getByLabel('Сынып әрпі').fill('Ә');
    await form.getByRole('button', { name: 'Есептік жазба ашу' }).click();
    await page.getByRole('status').getByText('gulnar-5a есептік жазбасы ашылды.').waitFor();
    const table = page.getByTestId('people');
    await eventually(() => table.locator('tr', { hasText: 'gulnar-5a' }).textContent()).toContain('5Ә');

    const reader = s.library.reader;
    await form.getByLabel('Рөлі').selectOption('student');
    await form.getByLabel('Аты-жөні').fill(reader.fullName);
    await form.getByLabel('Логин').fill('pupil-e2e');
    await form.getByLabel('Құпиясөз (кемінде 8 таңба)').fill('Pupil-pass-2026');
    await form.getByLabel('Оқырман').fill(reader.barcode);
    await form.getByRole('button', { name: 'Табу' }).click();
    await form.getByRole('button', { name: new RegExp(reader.barcode) }).click();
    await form.getByText(`Байланатын оқырман: ${reader.fullName}`, { exact: false }).waitFor();
    await form.getByRole('button', { name: 'Есептік жазба ашу' }).click();
    await page.getByRole('status').getByText('pupil-e2e есептік жазбасы ашылды.').waitFor();
    const account = await s.db.selectFrom('org.users').select(['role', 'reader_id']).where('login', '=', 'pupil-e2e').executeTakeFirstOrThrow();
    expect(account).toEqual({ role: 'student', reader_id: reader.id });

    const pupil = await page.context().browser()!.newContext({ viewport: { width: 390, height: 800 } });
    const phone = await pupil.newPage();
    await signIn(phone, s.baseUrl, 'pupil-e2e', 'Pupil-pass-2026', '/my');
    await pupil.close();
  });

  it('sets a new password for a pupil who forgot hers, and closes the account of one who left', async () => {
    const { page } = s;
    const row = page.getByTestId('people').locator('tr', { hasText: 'pupil-e2e' });
    await row.getByRole('button', { name: 'Жаңа құпиясөз' }).click();
    await row.getByLabel('Жаңа құпиясөз').fill('Another-pass-2026');
    await row.getByRole('button', { name: 'Сақтау' }).click();
    await page.getByRole('status').getByText('pupil-e2e үшін жаңа құпиясөз орнатылды.').waitFor();

    await page.getByTestId('people').locator('tr', { hasText: 'pupil-e2e' }).getByRole('button', { name: 'Жабу' }).click();
    await page.getByRole('status').getByText('pupil-e2e есептік жазбасы жабылды.').waitFor();
    await eventually(() => page.getByTestId('people').locator('tr', { hasText: 'pupil-e2e' }).textContent()).toContain('жабық');
    const closed = await s.db.selectFrom('org.users').select('active').where('login', '=', 'pupil-e2e').executeTakeFirstOrThrow();
    expect(closed.active).toBe(false);
  });
});
