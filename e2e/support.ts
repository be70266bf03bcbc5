import { deriveBackupKey } from '../src/backup/backup.js';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { DatabaseHandle, Db } from '../src/db/connect.js';
import { DEMO_LOGINS, DEMO_PASSWORD, loadDemoLibrary } from '../src/demo/seed.js';
import { buildApp } from '../src/http/app.js';
import type { App } from '../src/http/types.js';
import { openTestDatabase } from '../test/support/db.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIST = path.join(root, 'web', 'dist');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What a browser test needs to know about the library it works in. */
export interface LibraryFixture {
  librarianLogin: string;
  password: string;
  /** An active student of the librarian's library with no books at home. */
  reader: { id: number; fullName: string; lastName: string; barcode: string };
  /** A copy on the shelf of a work by Abai. */
  copy: { id: number; barcode: string; title: string };
}

export interface BrowserSession {
  baseUrl: string;
  page: Page;
  db: Db;
  library: LibraryFixture;
  /**
   * A temporary folder for screenshots and downloads of this run, outside the working tree;
   * removed on close unless KITAPHANA_E2E_KEEP=1 (to look at the screenshots).
   */
  shotsDir: string;
  /** Where the server writes backups in this run. */
  backupDir: string;
  close(): Promise<void>;
}

/**
 * The real server on a fresh PGlite database with a library in it, and a headless Chromium
 * page pointed at it. The web UI is not built here: the test command builds web/dist first.
 */
export async function openBrowserSession(): Promise<BrowserSession> {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    throw new Error(`The web UI is not built (${path.relative(root, WEB_DIST)}/index.html is missing): run \`npm run build:web\` before the browser tests.`);
  }
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const fn of closers.reverse()) await fn().catch(() => undefined);
  };
  try {
    const database = await openTestDatabase('pglite');
    closers.push(() => database.close());
    const library = await loadLibrary(database.db);
    const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaphana-e2e-backups-'));
    closers.push(async () => fs.rmSync(backupDir, { recursive: true, force: true }));
    const app = await startServer(database, backupDir);
    closers.push(() => app.close());
    const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    closers.push(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const shotsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaphana-e2e-'));
    if (process.env.KITAPHANA_E2E_KEEP !== '1') closers.push(async () => fs.rmSync(shotsDir, { recursive: true, force: true }));
    return { baseUrl: `http://127.0.0.1:${port}`, page, db: database.db, library, shotsDir, backupDir, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Backups in the browser tests are encrypted, as in a real library. */
const E2E_BACKUP_KEY = deriveBackupKey('e2e backup passphrase');

async function startServer(database: DatabaseHandle, backupDir: string): Promise<App> {
  const app = await buildApp({ database, webDist: WEB_DIST, backups: { dir: backupDir, keepDays: 30, everyHours: 0, key: E2E_BACKUP_KEY } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

/** The demo library, in its small size: a school with a few dozen readers and a year of loans. */
async function loadLibrary(db: Db): Promise<LibraryFixture> {
  await loadDemoLibrary(db, { size: 'small' });
  const librarian = DEMO_LOGINS.find((l) => l.role === 'librarian');
  if (!librarian) throw new Error('The demo library has no librarian to sign in with.');
  return describeLibrary(db, librarian.login, DEMO_PASSWORD);
}

/** Picks, from the loaded library, a reader with nothing at home and a copy of Abai on the shelf. */
async function describeLibrary(db: Db, login: string, password: string): Promise<LibraryFixture> {
  const user = await db.selectFrom('org.users').select('organisation_id').where('login', '=', login).executeTakeFirstOrThrow();
  const library = user.organisation_id;
  const reader = await db
    .selectFrom('readers.readers as r')
    .select(['r.id', 'r.last_name', 'r.first_name', 'r.barcode'])
    .where('r.organisation_id', '=', library)
    .where('r.kind', '=', 'student')
    .where('r.status', '=', 'active')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('circulation.loans as l').select('l.id').whereRef('l.reader_id', '=', 'r.id').where('l.returned_at', 'is', null))))
    .orderBy('r.id')
    .executeTakeFirstOrThrow();
  const copy = await db
    .selectFrom('fund.copies as c')
    .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
    .innerJoin('catalog.work_authors as wa', 'wa.work_id', 'w.id')
    .innerJoin('catalog.authors as a', 'a.id', 'wa.author_id')
    .select(['c.id', 'c.barcode', 'w.title'])
    .where('c.organisation_id', '=', library)
    .where('c.status', '=', 'available')
    .where('a.name', 'like', 'Абай%')
    .orderBy('c.id')
    .executeTakeFirstOrThrow();
  return {
    librarianLogin: login,
    password,
    reader: { id: reader.id, lastName: reader.last_name, fullName: `${reader.last_name} ${reader.first_name}`, barcode: reader.barcode },
    copy,
  };
}

/** Polls until the expectation holds; patient, as the test machine may be busy. */
export function eventually<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 15_000, interval: 100 });
}

/** Signs in through the login form of a fresh page and waits for the role's start page. */
export async function signIn(page: Page, baseUrl: string, login: string, password: string, landing: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('#login-name').fill(login);
  await page.locator('#login-password').fill(password);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${baseUrl}${landing}`);
}

/** Types like a USB barcode scanner: the code's keystrokes, then Enter. */
export async function scanCode(page: Page, code: string): Promise<void> {
  await page.keyboard.type(code, { delay: 5 });
  await page.keyboard.press('Enter');
}

/** The rules of WCAG 2.1 A and AA that axe-core checks automatically. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface A11yProblem {
  page: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page as it stands and returns every serious or critical WCAG 2.1 AA problem,
 * each with the elements it was found on, so a failing test says what to fix and where.
 */
export async function seriousA11yProblems(page: Page, where = page.url()): Promise<A11yProblem[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  // evaluated, not added as a script tag: the app's Content-Security-Policy rightly refuses inline scripts
  if (!loaded) await page.evaluate(fs.readFileSync(AXE_SOURCE, 'utf8'));
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ rule: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  }, WCAG_TAGS);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ page: where, ...v }));
}

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
