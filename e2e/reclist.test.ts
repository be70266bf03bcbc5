import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/connect.js';
import { buildApp } from '../src/http/app.js';
import type { App } from '../src/http/types.js';
import { createOrganisation } from '../src/org/organisations.js';
import { runMatching } from '../src/reclist/matching.js';
import { loadSampleList } from '../src/reclist/versions.js';
import { openTestDatabase } from '../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../test/support/factories.js';
import { seedTenants, TEST_PASSWORD, type Tenants } from '../test/support/tenants.js';
import { WEB_DIST } from './support.js';

/**
 * A district methodologist opens the monitoring of the recommended list: the coverage chart of
 * the district, the schools ranked weakest first, and one school's own figures. A librarian
 * links an edition the matcher did not find, and unlinks it again.
 */
describe('a methodologist monitors the recommended list in the browser', () => {
  let database: DatabaseHandle;
  let tenants: Tenants;
  let app: App;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let qojaRu: number;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error('The web UI is not built: run `npm run build:web` first.');
    database = await openTestDatabase('pglite');
    const db = database.db;
    tenants = await seedTenants(db);
    // A second school of the district, which has none of the list yet.
    await createOrganisation(db, null, { parentId: tenants.district.id, kind: 'school', name: '№3 ауыл мектебі' });
    await loadSampleList(db);
    const qoja = await makeWork(db, { title: 'Менің атым Қожа', authors: ['Бердібек Соқпақбаев'] });
    const abai = await makeWork(db, { title: 'Абай жолы', authors: ['Мұхтар Әуезов'] });
    // A Russian edition the matcher cannot find: the librarian links it by hand.
    qojaRu = await makeWork(db, { title: 'Меня зовут Кожа', authors: ['Бердибек Сокпакбаев'], language: 'rus' });
    for (let i = 0; i < 3; i++) await makeCopy(db, tenants.schoolA.id, qoja, { acquiredOn: '2025-09-01' });
    await makeCopy(db, tenants.schoolA.id, abai, { acquiredOn: '2024-09-01' });
    for (let i = 0; i < 8; i++) await makeReader(db, tenants.schoolA.id, { grade: 6 });
    await db.transaction().execute((trx) => runMatching(trx, tenants.admin, null));

    app = await buildApp({ database, webDist: WEB_DIST });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.close();
  });

  it('sees the district coverage chart and the schools ranked weakest first', async () => {
    await page.goto(`${baseUrl}/login?next=${encodeURIComponent('/reclist/monitoring')}`);
    await page.getByLabel('Логин').fill('method');
    await page.getByLabel('Құпиясөз').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}/reclist/monitoring`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Тізім мониторингі');
    await expect.poll(() => page.locator('h2').first().textContent()).toBe('Семей қаласы');
    // Two titles of forty held by one of the two schools: 2 of 80 school-titles.
    // (the decimal sign is the browser's Kazakh locale data: a comma or, in some builds, a point)
    expect(await page.getByTestId('level-coverage').textContent()).toMatch(/^2[,.]5%$/);

    const chart = page.getByRole('img', { name: 'Санаттар бойынша қамту, %' });
    await chart.locator('svg').waitFor();
    expect(await chart.locator('svg path').count()).toBeGreaterThan(5);
    const schoolsChart = page.getByRole('img', { name: 'Мектептер қамту бойынша (әлсізі бірінші)' });
    expect(await schoolsChart.locator('svg text').allTextContents()).toEqual(expect.arrayContaining(['№3 ауыл мектебі', '№1 мектеп-гимназия']));

    const rows = page.getByTestId('ranked-schools').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).locator('td').first().textContent()).toBe('№3 ауыл мектебі');
    expect(await rows.nth(1).locator('td').nth(1).textContent()).toBe('5%');
    expect(await page.content()).not.toContain('Сәрсенова');
  });

  it('drills into one school and sees its own figures', async () => {
    await page.getByRole('link', { name: '№1 мектеп-гимназия' }).click();
    await page.waitForURL(`${baseUrl}/reclist/schools/${tenants.schoolA.id}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('№1 мектеп-гимназия');
    expect(await page.getByTestId('school-coverage').textContent()).toBe('5%');
    const facts = await page.locator('dl.facts').first().textContent();
    expect(facts).toContain('2 / 40 кітап');
    expect(facts).toContain('50'); // 4 copies × 100 / 8 students
    await page.getByRole('img', { name: 'Санаттар бойынша қамту, %' }).locator('svg').waitFor();
  });

  it('lets a librarian link a Russian edition to a list title by hand and unlink it', async () => {
    const librarian = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    librarian.setDefaultTimeout(15_000);
    try {
      await librarian.goto(`${baseUrl}/login?next=${encodeURIComponent('/reclist/matching')}`);
      await librarian.getByLabel('Логин').fill('librarian-a');
      await librarian.getByLabel('Құпиясөз').fill(TEST_PASSWORD);
      await librarian.keyboard.press('Enter');
      await librarian.waitForURL(`${baseUrl}/reclist/matching`);
      await expect.poll(() => librarian.locator('h1').textContent()).toBe('Тізімді каталогпен сәйкестендіру');

      await librarian.getByLabel('Тізімнен кітап іздеу').fill('Қожа');
      await librarian.getByLabel('Тізімнен кітап іздеу').press('Enter');
      const titles = librarian.getByTestId('list-titles').locator('tbody tr');
      await expect.poll(() => titles.count()).toBe(1);
      expect(await titles.first().locator('td').nth(2).textContent()).toBe('1');
      await librarian.getByRole('button', { name: '«Менің атым Қожа» кітабының басылымдары' }).click();

      const editions = librarian.getByTestId('entry-editions');
      const matches = librarian.getByTestId('entry-matches').locator('tbody tr');
      await expect.poll(() => matches.count()).toBe(1);
      await editions.getByLabel('Каталогтан басылым іздеу').fill('Кожа');
      await editions.getByLabel('Каталогтан басылым іздеу').press('Enter');
      const russian = librarian.getByTestId('link-candidates').locator('tr', { hasText: 'Меня зовут Кожа' });
      await russian.getByRole('button', { name: 'Байланыстыру' }).click();
      await expect.poll(() => editions.locator('.banner-ok').textContent()).toBe('«Меня зовут Кожа» жазбасы «Менің атым Қожа» кітабына байланды.');
      await expect.poll(() => matches.filter({ hasText: 'Байланған' }).count()).toBe(2);
      await expect.poll(() => titles.first().locator('td').nth(2).textContent()).toBe('2');
      const linked = await database.db.selectFrom('reclist.matches').select(['status', 'method']).where('work_id', '=', qojaRu).executeTakeFirstOrThrow();
      expect(linked).toEqual({ status: 'confirmed', method: 'manual' });

      await matches.filter({ hasText: 'Меня зовут Кожа' }).getByRole('button', { name: 'Байланысты үзу' }).click();
      await expect.poll(() => matches.filter({ hasText: 'Қабылданбаған' }).count()).toBe(1);
      await expect.poll(() => titles.first().locator('td').nth(2).textContent()).toBe('1');
      const unlinked = await database.db.selectFrom('reclist.matches').select('status').where('work_id', '=', qojaRu).executeTakeFirstOrThrow();
      expect(unlinked.status).toBe('rejected');
    } finally {
      await librarian.context().close();
    }
  });
});
