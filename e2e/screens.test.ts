import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../src/demo/seed.js';
import { menuFor } from '../web/src/nav.js';
import { eventually, openBrowserSession, scanCode, seriousA11yProblems, signIn, type A11yProblem, type BrowserSession } from './support.js';

/**
 * The screens a school has: a 1366×768 PC at the desk and a 360-px phone in a pupil's hand, and
 * axe-core over the pages each role opens, failing on any serious or critical WCAG 2.1 AA problem.
 */
describe('the screens fit and pass axe', () => {
  let s: BrowserSession;
  const problems: A11yProblem[] = [];

  beforeAll(async () => {
    s = await openBrowserSession();
  });

  afterAll(async () => {
    await s?.close();
  });

  async function audit(label: string) {
    problems.push(...(await seriousA11yProblems(s.page, label)));
  }

  it('keeps the scan field and the first ten loans in view at 1366×768, by keyboard and scanner alone', async () => {
    const { page, library } = s;
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, s.baseUrl, library.librarianLogin, library.password, '/desk');
    const deskInput = page.locator('#desk-code');
    await eventually(() => deskInput.evaluate((el) => el === document.activeElement)).toBe(true);
    await scanCode(page, library.reader.barcode);
    await page.getByLabel('Оқырман формуляры').waitFor();

    const shelf = await s.db
      .selectFrom('fund.copies')
      .select('barcode')
      .where(
        'organisation_id',
        '=',
        (await s.db.selectFrom('readers.readers').select('organisation_id').where('id', '=', library.reader.id).executeTakeFirstOrThrow()).organisation_id,
      )
      .where('status', '=', 'available')
      .where('fund', '=', 'main')
      .orderBy('id')
      .limit(12)
      .execute();
    for (const copy of shelf) await scanCode(page, copy.barcode);
    const rows = page.locator('.loan-table tbody tr');
    await eventually(() => rows.count()).toBe(shelf.length);

    const view = await page.evaluate(() => {
      const bottom = (el: Element | null | undefined) => el?.getBoundingClientRect().bottom ?? Number.POSITIVE_INFINITY;
      return {
        height: window.innerHeight,
        scrollY: window.scrollY,
        input: bottom(document.getElementById('desk-code')),
        tenth: bottom(document.querySelectorAll('.loan-table tbody tr')[9]),
      };
    });
    if (process.env.KITAPHANA_E2E_KEEP === '1') {
      await page.screenshot({ path: `${s.shotsDir}/desk-1366.png` });
      console.log(JSON.stringify(view), s.shotsDir);
    }
    expect(view.scrollY).toBe(0);
    expect(view.input).toBeLessThanOrEqual(view.height);
    expect(view.tenth).toBeLessThanOrEqual(view.height);
    await audit('desk, reader open');

    // A refused scan marks the scan field itself, and the log's entries stay plain list items.
    await scanCode(page, '1999999999');
    await eventually(() => deskInput.getAttribute('aria-invalid')).toBe('true');
    expect((await deskInput.getAttribute('aria-describedby'))?.split(' ')).toContain('desk-error');
    expect(await page.locator('#desk-error').textContent()).toContain('1999999999');
    expect(await page.locator('.desk-log li[role]').count()).toBe(0);
    await audit('desk, refused scan');
    await page.keyboard.press('Escape');
    await scanCode(page, library.reader.barcode);
    await eventually(() => deskInput.getAttribute('aria-invalid')).toBeNull();
  });

  it('moves the focus to the new page heading and names the tab after the page on a route change', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Оқырмандар', exact: true }).click();
    await page.waitForURL(`${s.baseUrl}/readers`);
    // the menu link pressed no longer holds the focus: the new page does (its heading, or its search field)
    await eventually(() => page.evaluate(() => document.getElementById('main')?.contains(document.activeElement) ?? false)).toBe(true);
    expect(await page.title()).toBe('Оқырмандар — Kitaphana');
    await page.getByRole('link', { name: 'Өзгерістер журналы' }).click();
    await page.waitForURL(`${s.baseUrl}/admin/audit`);
    await eventually(() => page.evaluate(() => document.getElementById('main')?.contains(document.activeElement) ?? false)).toBe(true);
    expect(await page.title()).toBe('Өзгерістер журналы — Kitaphana');
  });

  it('folds a menu section and remembers the fold after a reload', async () => {
    const { page } = s;
    const menu = page.getByRole('navigation', { name: 'Мәзір' });
    const section = menu.getByRole('button', { name: 'Қор' });
    expect(await section.getAttribute('aria-expanded')).toBe('true');
    await section.click();
    expect(await section.getAttribute('aria-expanded')).toBe('false');
    await page.reload();
    await eventually(() => menu.getByRole('button', { name: 'Қор' }).getAttribute('aria-expanded')).toBe('false');
    await menu.getByRole('button', { name: 'Қор' }).click();
    expect(await menu.getByRole('button', { name: 'Қор' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('has no serious accessibility problem on any page of the librarian, the admin and the methodologist', async () => {
    const { page } = s;
    const seen = new Set<string>();
    for (const login of ['librarian', 'admin', 'methodologist']) {
      const role = DEMO_LOGINS.find((l) => l.login === login)!.role as Parameters<typeof menuFor>[0];
      await page.context().clearCookies();
      await page.goto(`${s.baseUrl}/login`);
      await page.locator('#login-name').fill(login);
      await page.locator('#login-password').fill(DEMO_PASSWORD);
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      for (const group of menuFor(role)) {
        for (const entry of group.pages) {
          if (seen.has(entry.path)) continue;
          seen.add(entry.path);
          await page.goto(`${s.baseUrl}${entry.path}`);
          await page.locator('main h1').first().waitFor();
          await page.waitForLoadState('networkidle');
          await audit(`${login} ${entry.path}`);
          if (process.env.KITAPHANA_E2E_KEEP === '1') console.log(entry.path, problems.length);
        }
      }
    }
    expect(problems).toEqual([]);
  }, 400_000);

  it('reads on a 360-px phone without sideways scrolling: the catalogue, my loans, the class debtors', async () => {
    const { page } = s;
    await page.setViewportSize({ width: 360, height: 740 });
    const visits: [string, string][] = [
      ['student', '/my'],
      ['student', '/'],
      ['teacher', '/debtors'],
    ];
    for (const [login, path] of visits) {
      await page.context().clearCookies();
      await page.goto(`${s.baseUrl}/login`);
      await page.locator('#login-name').fill(login);
      await page.locator('#login-password').fill(DEMO_PASSWORD);
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      await page.goto(`${s.baseUrl}${path}`);
      await page.locator('main h1').first().waitFor();
      if (path === '/') {
        await page.locator('main input[type="search"], main input').first().fill('Абай');
        await page.keyboard.press('Enter');
      }
      await page.waitForLoadState('networkidle');
      await eventually(() => page.locator('main table, main .result, main .results li').count()).toBeGreaterThan(0);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (process.env.KITAPHANA_E2E_KEEP === '1') await page.screenshot({ path: `${s.shotsDir}/phone-${login}-${path.replaceAll('/', '_')}.png`, fullPage: true });
      expect({ path, width }).toEqual({ path, width: 360 });
      await audit(`${login} ${path} (phone)`);
    }
    expect(problems).toEqual([]);
  });
});
