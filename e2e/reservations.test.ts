import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCopy } from '../src/circulation/loans.js';
import type { DatabaseHandle } from '../src/db/connect.js';
import { buildApp } from '../src/http/app.js';
import type { App } from '../src/http/types.js';
import { createUser } from '../src/org/users.js';
import { openTestDatabase } from '../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../test/support/factories.js';
import { seedTenants, TEST_PASSWORD } from '../test/support/tenants.js';
import { scanCode, seriousA11yProblems, WEB_DIST } from './support.js';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

/**
 * Reserving a book on loan, on a 360-px phone: the pupil reserves «Көксерек», whose only copy is out;
 * the librarian takes the copy back at the desk and is told to put it aside for her; the pupil's page
 * says it waits for her; the librarian issues it to her; her page shows the book at home.
 */
describe('a pupil reserves a book on loan on a phone, the desk holds the returned copy for her and issues it', () => {
  let database: DatabaseHandle;
  let app: App;
  let browser: Browser;
  let phone: Page;
  let desk: Page;
  let baseUrl: string;
  let copyBarcode: string;
  let cardBarcode: string;

  const signIn = async (page: Page, login: string, next: string) => {
    await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
    await page.getByLabel('Логин').fill(login);
    await page.getByLabel('Құпиясөз').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}${next}`);
  };
  const noSidewaysScroll = async () => expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  beforeAll(async () => {
    if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error('The web UI is not built: run `npm run build:web` first.');
    database = await openTestDatabase('pglite');
    const db = database.db;
    const tenants = await seedTenants(db);
    const A = tenants.schoolA.id;
    const work = await makeWork(db, { title: 'Көксерек', authors: ['Мұхтар Әуезов'] });
    const copy = await makeCopy(db, A, work);
    copyBarcode = copy.barcode;
    const holder = await makeReader(db, A, { lastName: 'Оспанов', firstName: 'Ерлан', grade: 7, classLetter: 'Б' });
    await issueCopy(db, tenants.librarianA, { readerId: holder.id, barcode: copy.barcode });
    const aru = await makeReader(db, A, { lastName: 'Сәрсенова', firstName: 'Аружан', grade: 5, classLetter: 'Ә' });
    cardBarcode = aru.barcode;
    await createUser(db, null, { login: 'pupil-a', password: TEST_PASSWORD, fullName: 'Аружан Сәрсенова', role: 'student', organisationId: A, classGrade: null, classLetter: null, readerId: aru.id });

    app = await buildApp({ database, webDist: WEB_DIST });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
    phone = await (await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })).newPage();
    phone.setDefaultTimeout(15_000);
    desk = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    desk.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.close();
  });

  it('lets the pupil find the book, see it is out, and reserve it', async () => {
    await signIn(phone, 'pupil-a', '/my');
    await phone.goto(`${baseUrl}/?q=${encodeURIComponent('Көксерек')}`);
    const hit = phone.getByRole('link', { name: 'Көксерек' });
    await expect.poll(() => hit.count()).toBe(1);
    await hit.click();
    await expect.poll(() => phone.locator('h1').textContent()).toBe('Көксерек');
    await phone.getByRole('button', { name: 'Брондау' }).click();
    await expect.poll(() => phone.locator('.banner-ok').textContent()).toContain('«Көксерек» брондалды: кезекте 1-орындасыз.');
    await noSidewaysScroll();
    await phone.goto(`${baseUrl}/my`);
    const mine = phone.getByTestId('my-reservations');
    await expect.poll(() => mine.textContent()).toContain('Кезекте 1-орын');
    await noSidewaysScroll();
    expect(await seriousA11yProblems(phone)).toEqual([]);
  });

  it('tells the librarian at the return to put the copy aside for her, and issues it to her when she comes', async () => {
    await signIn(desk, 'librarian-a', '/desk');
    await desk.locator('#desk-code').focus();
    await scanCode(desk, copyBarcode);
    const hold = desk.getByTestId('desk-hold');
    await expect.poll(() => hold.textContent()).toContain(`«Көксерек» (${copyBarcode}) брондалған: Сәрсенова Аружан, 5Ә үшін бөлек қойыңыз`);

    // the pupil's page now says the book waits for her
    await phone.reload();
    await expect.poll(() => phone.getByTestId('hold-waiting').textContent()).toContain('«Көксерек» кітабы сізді кітапханада күтіп тұр');
    await noSidewaysScroll();

    // she comes to the desk: her card shows what waits for her; a moment later (not a bounce of the scanner) the copy is hers
    await scanCode(desk, cardBarcode);
    const panel = desk.getByLabel('Оқырман формуляры');
    await expect.poll(() => panel.textContent()).toContain('сақтау сөресінде');
    await desk.waitForTimeout(3_200);
    await scanCode(desk, copyBarcode);
    await expect.poll(() => desk.locator('.desk-log li.issued').first().textContent()).toContain('«Көксерек» берілді: Сәрсенова Аружан');
    await expect.poll(() => panel.textContent()).not.toContain('сақтау сөресінде');
    await desk.goto(`${baseUrl}/desk/holds`);
    await expect.poll(() => desk.getByText('Сақтау сөресі бос.').count()).toBe(1);
  });

  it('shows the book at home on her page, the reservation done', async () => {
    await phone.reload();
    await expect.poll(() => phone.locator('.loan-table').textContent()).toContain('Көксерек');
    await expect.poll(() => phone.getByText('Брондалған кітап жоқ.', { exact: false }).count()).toBe(1);
    expect(await phone.getByTestId('hold-waiting').count()).toBe(0);
    await noSidewaysScroll();
  });
});
