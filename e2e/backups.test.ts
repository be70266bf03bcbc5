import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { eventually, openBrowserSession, signIn, type BrowserSession } from './support.js';

/** The admin of a school on the embedded database makes a backup and downloads it, on a desk's screen and a phone. */
describe('an admin keeps backups in the browser', () => {
  let s: BrowserSession;

  beforeAll(async () => {
    s = await openBrowserSession();
    await signIn(s.page, s.baseUrl, 'admin', DEMO_PASSWORD, '/');
  });

  afterAll(async () => {
    await s?.close();
  });

  it('makes a backup now and downloads the same file', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Резервтік көшірмелер' }).click();
    await page.getByText('Әзірге көшірме жоқ.').waitFor();
    await page.getByRole('button', { name: 'Қазір көшірме жасау' }).click();
    await page.getByRole('status').getByText(/^kitaphana-\d{8}-\d{6}\.kbak көшірмесі жасалды\.$/).waitFor();
    const [file] = fs.readdirSync(s.backupDir);
    expect(file).toMatch(/^kitaphana-\d{8}-\d{6}\.kbak$/);
    // encrypted: the page does not warn, and the file shows no gzip header
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(fs.readFileSync(path.join(s.backupDir, file!)).subarray(0, 8).toString()).toBe('KTPHBAK1');
    await eventually(() => page.locator('tr', { hasText: file! }).count()).toBe(1);

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('tr', { hasText: file! }).getByRole('link', { name: 'Жүктеп алу' }).click()]);
    expect(download.suggestedFilename()).toBe(file);
    const saved = path.join(s.shotsDir, file!);
    await download.saveAs(saved);
    expect(fs.readFileSync(saved).equals(fs.readFileSync(path.join(s.backupDir, file!)))).toBe(true);

    // on a phone the list reads as cards, with nothing sticking out sideways
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it('folds the long menu behind a button on a phone, and folds it again once a page is chosen', async () => {
    const { page } = s;
    await page.setViewportSize({ width: 390, height: 800 });
    const menu = page.getByRole('navigation', { name: 'Мәзір' });
    const toggle = page.getByRole('button', { name: 'Мәзір' });
    expect(await menu.isVisible()).toBe(false);
    // the page itself starts near the top, not under twenty links
    expect(await page.locator('h1').evaluate((h) => h.getBoundingClientRect().top)).toBeLessThan(250);
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await menu.getByRole('link', { name: 'Өзгерістер журналы' }).click();
    await page.waitForURL(`${s.baseUrl}/admin/audit`);
    await eventually(() => menu.isVisible()).toBe(false);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    // on a desk's screen the menu is always there, with no button
    await page.setViewportSize({ width: 1280, height: 860 });
    expect(await menu.isVisible()).toBe(true);
    expect(await toggle.isVisible()).toBe(false);
  });
});
