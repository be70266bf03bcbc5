import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCopy } from '../src/circulation/loans.js';
import type { DatabaseHandle } from '../src/db/connect.js';
import { buildApp } from '../src/http/app.js';
import type { App } from '../src/http/types.js';
import { openTestDatabase } from '../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../test/support/factories.js';
import { seedTenants, TEST_PASSWORD, type Tenants } from '../test/support/tenants.js';
import { eventually, WEB_DIST } from './support.js';

/**
 * A librarian opens the annual report of last year, enters its plan, downloads the PDF and finds the
 * Kazakh headings in it; a methodologist opens the district and drills into its school.
 */
describe('the annual report in the browser', () => {
  let database: DatabaseHandle;
  let tenants: Tenants;
  let app: App;
  let browser: Browser;
  let baseUrl: string;
  const year = Number(new Date().getFullYear()) - 1;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error('The web UI is not built: run `npm run build:web` first.');
    database = await openTestDatabase('pglite');
    const db = database.db;
    tenants = await seedTenants(db);
    const work = await makeWork(db, { title: 'Абай жолы' });
    for (let i = 0; i < 3; i++) {
      const copy = await makeCopy(db, tenants.schoolA.id, work, { acquiredOn: `${year - 1}-09-01` });
      const reader = await makeReader(db, tenants.schoolA.id, { grade: 5 + i });
      await issueCopy(db, tenants.librarianA, { readerId: reader.id, barcode: copy.barcode, today: `${year}-03-1${i}` });
    }
    app = await buildApp({ database, webDist: WEB_DIST });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.close();
  });

  async function signedIn(login: string, landing: string) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${baseUrl}/login?next=${encodeURIComponent(landing)}`);
    await page.locator('#login-name').fill(login);
    await page.locator('#login-password').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}${landing}`);
    return page;
  }

  it('lets a librarian enter the plan and download the report as a PDF with Kazakh headings', async () => {
    const page = await signedIn('librarian-a', `/reports/annual?year=${year}`);
    await eventually(() => page.locator('h1').textContent()).toBe('Жылдық есеп');
    const control = page.getByRole('table', { name: 'Негізгі бақылау көрсеткіштері' });
    await eventually(() => control.locator('tr', { hasText: 'Кітап беру' }).locator('td').nth(3).textContent()).toBe('3');
    await page.getByRole('img', { name: 'Көрсеткіш жылдар бойынша және жоспармен' }).locator('svg').waitFor();

    await page.locator('section').getByRole('link', { name: 'Есеп жоспары мен төлқұжаты' }).click();
    const planForm = page.getByRole('form', { name: 'Жылдың жоспары' });
    await planForm.getByLabel('Кітап беру', { exact: true }).fill('4');
    await planForm.getByLabel('Оқырмандар', { exact: true }).fill('5');
    await planForm.getByRole('button', { name: 'Жоспарды сақтау' }).click();
    await eventually(() => page.locator('.banner-ok').textContent()).toBe('Сақталды');

    await page.locator('section').getByRole('link', { name: 'Жылдық есеп' }).click();
    await eventually(() => control.locator('tr', { hasText: 'Кітап беру' }).locator('td').nth(2).textContent()).toBe('4');
    await eventually(() => control.locator('tr', { hasText: 'Кітап беру' }).locator('td').nth(4).textContent()).toBe('75.0%');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'PDF жүктеу' }).click()]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kt-report-')), 'report.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
    expect(text).toContain('КІТАПХАНАНЫҢ ЖЫЛДЫҚ ЕСЕБІ');
    expect(text).toContain('КІТАПХАНАНЫҢ НЕГІЗГІ БАҚЫЛАУ КӨРСЕТКІШТЕРІ');
    expect(text).toContain('Кітап берілімінің саны');
    expect(text).toContain('ОСНОВНЫЕ КОНТРОЛЬНЫЕ ПОКАЗАТЕЛИ');
  });

  it('lets a methodologist open the district and drill into a school', async () => {
    const page = await signedIn('method', `/reports/annual?year=${year}`);
    await eventually(() => page.locator('h2').first().textContent()).toContain('Семей қаласы');
    const schools = page.getByRole('table', { name: 'Кітапханалар бойынша' });
    await eventually(() => schools.locator('tbody tr').count()).toBe(1);
    expect(await schools.locator('tbody tr td').nth(1).textContent()).toBe('Жабылмаған (0/1)');
    await page.getByRole('img', { name: 'Кітапханалар қатар' }).locator('svg').waitFor();
    await schools.getByRole('button', { name: '№1 мектеп-гимназия' }).click();
    await eventually(() => page.locator('h2').first().textContent()).toContain('№1 мектеп-гимназия');
    const control = page.getByRole('table', { name: 'Негізгі бақылау көрсеткіштері' });
    await eventually(() => control.locator('tr', { hasText: 'Кітап беру' }).locator('td').nth(3).textContent()).toBe('3');
    expect(page.url()).toContain(`organisationId=${tenants.schoolA.id}`);
  });
});
