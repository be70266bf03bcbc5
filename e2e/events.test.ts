import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/connect.js';
import { addPlanEntry } from '../src/events/plans.js';
import { buildApp } from '../src/http/app.js';
import type { App } from '../src/http/types.js';
import { openTestDatabase } from '../test/support/db.js';
import { makeCopy, makeWork } from '../test/support/factories.js';
import { seedTenants, TEST_PASSWORD, type Tenants } from '../test/support/tenants.js';
import { WEB_DIST } from './support.js';

/** The school year the browser's calendar is in, as the pages compute it. */
function currentSchoolYear(): string {
  const now = new Date();
  const start = now.getMonth() + 1 >= 9 ? now.getFullYear() : now.getFullYear() - 1;
  return `${start}-${start + 1}`;
}

/**
 * A librarian starts this year's work plan from last year's in one action, marks an entry held
 * with its participants and sees them counted; then opens the calendar of significant dates and
 * makes an exhibition from an anniversary in one step.
 */
describe('a librarian plans the year and makes an exhibition from the calendar in the browser', () => {
  let database: DatabaseHandle;
  let tenants: Tenants;
  let app: App;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  const year = currentSchoolYear();
  const start = Number(year.slice(0, 4));
  const lastYear = `${start - 1}-${start}`;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error('The web UI is not built: run `npm run build:web` first.');
    database = await openTestDatabase('pglite');
    const db = database.db;
    tenants = await seedTenants(db);
    await addPlanEntry(db, tenants.librarianA, lastYear, { section: 'mass_work', title: 'Жыр алыбына арналған әдеби сағат', form: 'literary_hour', target: '5-7 сыныптар', whenKind: 'month', monthFrom: 10, responsible: 'Кітапханашы' });
    await addPlanEntry(db, tenants.librarianA, lastYear, { section: 'fund', title: 'Қорды рәсімдеу', whenKind: 'constantly' });
    // a poet of the catalogue whose hundredth anniversary falls in this school year (January)
    const work = await makeWork(db, { title: 'Дала жырлары', authors: ['Тестжан Ақынбаев'] });
    await db.updateTable('catalog.authors').set({ birth_date: `${start + 1 - 100}-01-15` }).where('name', '=', 'Тестжан Ақынбаев').execute();
    await makeCopy(db, tenants.schoolA.id, work);

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
    await page.goto(`${baseUrl}/login?next=${encodeURIComponent('/events/plan')}`);
    await page.getByLabel('Логин').fill('librarian-a');
    await page.getByLabel('Құпиясөз').fill(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}/events/plan`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.close();
  });

  it('copies last year’s plan, marks an entry held with participants and sees them counted', async () => {
    await expect.poll(() => page.locator('h1').textContent()).toBe('Жылдық жұмыс жоспары');
    await page.getByRole('button', { name: 'Өткен жылдың жоспарын көшіру' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('2 жазба көшірілді');
    const row = page.locator('tr', { hasText: 'Жыр алыбына арналған әдеби сағат' });
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe('Қазан');
    await row.getByRole('button', { name: 'Өткізілді деп белгілеу' }).click();
    await page.getByLabel('Оқушылар').fill('27');
    await page.getByLabel('Мұғалімдер').fill('2');
    await page.getByLabel('Ата-аналар').fill('5');
    await page.getByRole('button', { name: 'Сақтау' }).click();
    await expect.poll(() => page.getByTestId('count-participants').textContent()).toBe('34');
    await expect.poll(() => page.getByTestId('count-events').textContent()).toBe('1');
    await expect.poll(() => row.getByRole('combobox').inputValue()).toBe('held');
    const held = await database.db.selectFrom('events.events').selectAll().execute();
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ pupils: 27, teachers: 2, parents: 5, organisation_id: tenants.schoolA.id });
  });

  it('opens the calendar and makes an exhibition from an anniversary in one step', async () => {
    await page.goto(`${baseUrl}/calendar`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Атаулы күндер күнтізбесі');
    await page.getByLabel('Іздеу').fill('Ақынбаев');
    await page.keyboard.press('Enter');
    const row = page.locator('tr', { hasText: 'Тестжан Ақынбаев' });
    await expect.poll(() => row.textContent()).toContain('100 жыл');
    await row.getByRole('button', { name: 'Көрме жасау' }).click();
    await page.waitForURL(/\/events\/exhibitions\?id=\d+/);
    const made = page.getByTestId('focused-exhibition');
    await expect.poll(() => made.textContent()).toContain('Тестжан Ақынбаев – 100 жыл');
    await expect.poll(() => made.textContent()).toContain('Дала жырлары');
  });
});
