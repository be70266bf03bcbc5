import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/connect.js';
import { buildApp } from '../src/http/app.js';
import type { App } from '../src/http/types.js';
import { createUser } from '../src/org/users.js';
import { localDate, schoolYearOf } from '../src/shared/library-time.js';
import { openTestDatabase } from '../test/support/db.js';
import { makeReader, makeWork } from '../test/support/factories.js';
import { seedTenants, TEST_PASSWORD, type Tenants } from '../test/support/tenants.js';
import { WEB_DIST } from './support.js';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

/**
 * The reading movement on a 360-px phone: a pupil logs a book she read; it waits for the
 * librarian's stamp; the librarian stamps it at the desk's computer; the pupil's class moves up.
 */
describe('a pupil logs a book on a phone, the librarian stamps it, the class standing changes', () => {
  let database: DatabaseHandle;
  let tenants: Tenants;
  let app: App;
  let browser: Browser;
  let phone: Page;
  let desk: Page;
  let baseUrl: string;

  const signIn = async (page: Page, login: string, next: string) => {
    await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
    await page.getByLabel('Логин').fill(login);
    await page.getByLabel('Құпиясөз').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}${next}`);
  };

  beforeAll(async () => {
    if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error('The web UI is not built: run `npm run build:web` first.');
    database = await openTestDatabase('pglite');
    const db = database.db;
    tenants = await seedTenants(db);
    const A = tenants.schoolA.id;
    const aru = await makeReader(db, A, { lastName: 'Сәрсенова', firstName: 'Аружан', grade: 5, classLetter: 'Ә' });
    const dan = await makeReader(db, A, { lastName: 'Омаров', firstName: 'Данияр', grade: 5, classLetter: 'Ә' });
    const six = [await makeReader(db, A, { firstName: 'Бір', grade: 6, classLetter: 'А' }), await makeReader(db, A, { firstName: 'Екі', grade: 6, classLetter: 'А' })];
    const works = [await makeWork(db, { title: 'Ертегі 1' }), await makeWork(db, { title: 'Ертегі 2' }), await makeWork(db, { title: 'Ертегі 3' })];
    const today = localDate();
    const record = (readerId: number, workId: number) =>
      db
        .insertInto('reading.records')
        .values({
          organisation_id: A, reader_id: readerId, work_id: workId, title: 'Ертегі', author: null, book_key: `w${workId}`, source: 'reading_room',
          loan_id: null, read_on: today, school_year: schoolYearOf(today), pages: null, minutes: null, note: null, status: 'confirmed',
          reported_by: null, confirmed_by: null, confirmed_at: new Date(),
        })
        .execute();
    // 5Ә: 2 books for 2 pupils (1.0); 6А: 3 books for 2 pupils (1.5)
    await record(dan.id, works[0]!);
    await record(dan.id, works[1]!);
    await record(six[0]!.id, works[0]!);
    await record(six[0]!.id, works[1]!);
    await record(six[1]!.id, works[2]!);
    await createUser(db, null, { login: 'pupil-a', password: TEST_PASSWORD, fullName: 'Аружан Сәрсенова', role: 'student', organisationId: A, classGrade: null, classLetter: null, readerId: aru.id });

    app = await buildApp({ database, webDist: WEB_DIST });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
    phone = await (await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })).newPage();
    phone.setDefaultTimeout(15_000);
    desk = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    desk.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.close();
  });

  it('shows the pupil her reading and her class in second place, without sideways scrolling', async () => {
    await signIn(phone, 'pupil-a', '/reading/my');
    await expect.poll(() => phone.locator('h1').textContent()).toBe('Менің оқуым');
    const standing = phone.getByTestId('my-class-standing');
    await expect.poll(() => standing.textContent()).toContain('2 сыныптың ішінде 2-орын');
    expect(await standing.textContent()).toContain('2 кітап, 2 оқушы');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });

  it('lets the pupil log a book, which waits for the stamp', async () => {
    await phone.getByLabel('Кітап атауы').fill('Менің атым Қожа');
    await phone.getByLabel('Авторы').fill('Бердібек Соқпақбаев');
    await phone.getByLabel('Минут').first().fill('45');
    await phone.getByLabel('Қысқа жазба').fill('Қожа маған ұнады');
    await phone.getByRole('button', { name: 'Жіберу' }).click();
    await expect.poll(() => phone.locator('.banner-ok').textContent()).toContain('«Менің атым Қожа» жазылды');
    await expect.poll(() => phone.locator('.record-pending').count()).toBe(1);
    expect(await phone.getByTestId('my-class-standing').textContent()).toContain('2-орын');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });

  it('lets the librarian stamp it, and the class moves to first place', async () => {
    await signIn(desk, 'librarian-a', '/reading/records');
    const row = desk.getByTestId('pending-records').locator('tr', { hasText: 'Менің атым Қожа' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Сәрсенова Аружан');
    await row.getByRole('button', { name: 'Мөр басу' }).click();
    await expect.poll(() => desk.locator('.banner-ok').textContent()).toContain('расталды');
    await expect.poll(() => desk.getByText('Мөр күтетін жазба жоқ').count()).toBe(1);

    await desk.goto(`${baseUrl}/reading/standings`);
    const firstRow = desk.getByTestId('class-standings').locator('tbody tr').first();
    await expect.poll(() => firstRow.locator('td').nth(1).textContent()).toBe('5Ә');

    await phone.reload();
    const standing = phone.getByTestId('my-class-standing');
    await expect.poll(() => standing.textContent()).toContain('2 сыныптың ішінде 1-орын');
    expect(await standing.textContent()).toContain('3 кітап, 2 оқушы');
    await expect.poll(() => phone.locator('.record-confirmed').count()).toBe(1);
  });
});
