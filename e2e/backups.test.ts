import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/demo/seed.js';
import { eventually, openBrowserSession, signIn, type BrowserSession } from './support.js';

/** The admin of a school on the embedded database makes a backup and downloads it. */
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
    await page.getByRole('status').getByText(/^kitaphana-\d{8}-\d{6}\.tar\.gz көшірмесі жасалды\.$/).waitFor();
    const [file] = fs.readdirSync(s.backupDir);
    expect(file).toMatch(/^kitaphana-\d{8}-\d{6}\.tar\.gz$/);
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
});
