import type { ConsoleMessage, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../src/demo/seed.js';
import { menuFor } from '../web/src/nav.js';
import type { Role } from '../web/src/session.jsx';
import { type BrowserSession, openBrowserSession } from './support.js';

/**
 * Every page of every role's menu opens without an error: for each demo role, each page is opened
 * by its address (the menu's layout is not what is tested here) and the test fails on an error
 * banner on the page, an error in the console, an uncaught exception, or an API answer of 4xx/5xx.
 */

const ROLES: Role[] = ['librarian', 'student', 'parent', 'teacher', 'methodologist', 'admin'];

interface Problem {
  path: string;
  what: string;
}

/** Watches one page for everything that counts as an error while `path` is open. */
function watch(page: Page) {
  let path = '';
  const problems: Problem[] = [];
  const onConsole = (msg: ConsoleMessage) => {
    // the browser logs each failed request once more; the response handler reports it with its address
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push({ path, what: `console: ${msg.text().slice(0, 300)}` });
  };
  const onError = (err: Error) => problems.push({ path, what: `exception: ${err.message.slice(0, 300)}` });
  const onResponse = (res: Response) => {
    const url = new URL(res.url());
    if (url.pathname.startsWith('/api/') && res.status() >= 400) problems.push({ path, what: `${res.request().method()} ${url.pathname}${url.search} → ${res.status()}` });
  };
  page.on('console', onConsole);
  page.on('pageerror', onError);
  page.on('response', onResponse);
  return {
    problems,
    at(next: string) {
      path = next;
    },
    stop() {
      page.off('console', onConsole);
      page.off('pageerror', onError);
      page.off('response', onResponse);
    },
  };
}

describe('every page of every role’s menu', () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await openBrowserSession();
  });
  afterAll(async () => {
    await session?.close();
  });

  it.each(ROLES)('opens without an error for the demo %s', async (role) => {
    const { page, baseUrl } = session;
    const login = DEMO_LOGINS.find((l) => l.role === role)!.login;
    await page.context().clearCookies();
    // signing in: a 401 from the session check before it is expected
    await page.goto(`${baseUrl}/login`);
    await page.locator('#login-name').fill(login);
    await page.locator('#login-password').fill(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname !== '/login');

    const watcher = watch(page);
    const paths = menuFor(role).flatMap((group) => group.pages.map((p) => p.path));
    expect(paths.length).toBeGreaterThan(0);
    try {
      for (const path of paths) {
        watcher.at(path);
        await page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle' });
        await page.locator('main, #root').first().waitFor();
        const banners = await page.locator('[role="alert"], .banner-error').allInnerTexts();
        for (const text of banners) if (text.trim()) watcher.problems.push({ path, what: `shown: ${text.trim().slice(0, 300)}` });
      }
    } finally {
      watcher.stop();
    }
    expect(watcher.problems, `${role}: ${paths.length} pages`).toEqual([]);
  }, 300_000);
});
