/**
 * Benchmark of booking an existing fund from a template on the embedded database (not a test).
 *
 *   npx tsx bench/opening-balance.ts                 60,000 copies of 8,000 titles, CSV
 *   npx tsx bench/opening-balance.ts --copies 10000 --xlsx
 *
 * Writes a template file of one row per copy (inventory number, date of entry, author, title, year, price, BBK,
 * language, publication type), loads it onto an opening-balance draft through the same domain function the
 * route uses (streamed, in chunks of 2,000 rows, each its own transaction), posts the draft, and records the time
 * of each step and the process's peak memory in bench/results/opening-balance-<date>.json and .md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import type { Actor } from '../src/auth/actor.js';
import { inTransaction } from '../src/db/transaction.js';
import { createOpening, loadOpeningFile, postOpening } from '../src/fund/accounting/opening.js';
import { reconcile } from '../src/fund/accounting/reconciliation.js';
import { createOrganisation } from '../src/org/organisations.js';
import { createUser } from '../src/org/users.js';
import { openTestDatabase } from '../test/support/db.js';
import { describeMachine } from './machine.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const copies = arg('copies', 60_000);
const titles = arg('titles', Math.max(1, Math.round(copies / 7.5)));
const xlsx = args.includes('--xlsx');

const SURNAMES = ['Әуезов', 'Абай', 'Мүсірепов', 'Жұмабаев', 'Толстой', 'Пушкин', 'Есенберлин', 'Майлин', 'Сейфуллин', 'Чехов', 'Гоголь', 'Айтматов'];
const WORDS = ['дала', 'тау', 'өзен', 'жұлдыз', 'бала', 'жол', 'ақын', 'батыр', 'көктем', 'орман', 'арман', 'өмір', 'ертегі', 'тарих', 'сказки', 'повести'];

function row(i: number): (string | number)[] {
  const t = i % titles;
  const title = `${WORDS[t % WORDS.length]} ${WORDS[(t >> 4) % WORDS.length]} ${t}`;
  const author = `${SURNAMES[t % SURNAMES.length]} ${String.fromCharCode(1040 + (t % 28))}.`;
  const day = String(1 + (i % 28)).padStart(2, '0');
  const month = String(1 + (i % 12)).padStart(2, '0');
  const price = i % 13 === 0 ? '' : `${500 + (t % 4000)},${String(i % 100).padStart(2, '0')}`;
  return [100_000 + i, `${day}.${month}.${1995 + (i % 29)}`, author, title, 1990 + (t % 34), price, t % 5 ? '84(5Каз)' : '63.3(5Каз)', t % 3 ? 'kaz' : 'rus', t % 11 ? 'кітап' : 'кітапша'];
}

const HEADER = ['Инвентарлық нөмір', 'Түскен күні', 'Авторы', 'Атауы', 'Басылған жылы', 'Бағасы, теңге', 'КБЖ', 'Тілі', 'Басылым түрі'];

async function writeTemplate(file: string) {
  if (xlsx) {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
    const ws = wb.addWorksheet('Қор');
    ws.addRow(HEADER).commit();
    for (let i = 0; i < copies; i++) ws.addRow(row(i)).commit();
    await wb.commit();
    return;
  }
  const out = fs.createWriteStream(file);
  out.write(HEADER.join(';') + '\r\n');
  for (let i = 0; i < copies; i++) {
    if (!out.write(row(i).join(';') + '\r\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve) => out.end(resolve));
}

async function main() {
  const file = path.join(os.tmpdir(), `kitaphana-bench-opening-${process.pid}.${xlsx ? 'xlsx' : 'csv'}`);
  const t0 = performance.now();
  await writeTemplate(file);
  const written = performance.now() - t0;
  const database = await openTestDatabase('pglite');
  const db = database.db;
  const republic = await createOrganisation(db, null, { parentId: null, kind: 'republic', name: 'Қазақстан' });
  const region = await createOrganisation(db, null, { parentId: republic.id, kind: 'region', name: 'Облыс' });
  const district = await createOrganisation(db, null, { parentId: region.id, kind: 'district', name: 'Аудан' });
  const school = await createOrganisation(db, null, { parentId: district.id, kind: 'school', name: 'Бенчмарк мектебі' });
  const userId = await createUser(db, null, { login: 'bench', password: 'bench-password-1', fullName: 'Бенчмарк', role: 'librarian', organisationId: school.id, classGrade: null, classLetter: null });
  const actor: Actor = { userId, login: 'bench', fullName: 'Бенчмарк', role: 'librarian', organisationId: school.id, orgPath: school.path, classGrade: null, classLetter: null, readerId: null, locale: 'kk' };

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const opening = await inTransaction(db, (trx) => createOpening(trx, actor, { asOf: '2026-09-01' }));
  const l0 = performance.now();
  const loaded = await loadOpeningFile(db, actor, opening.id, file, xlsx ? 'xlsx' : 'csv');
  const loadMs = performance.now() - l0;
  // a desk request while the draft waits: answered at once
  const d0 = performance.now();
  await reconcile(db, school.id);
  const deskMs = performance.now() - d0;
  const p0 = performance.now();
  const posted = await inTransaction(db, (trx) => postOpening(trx, actor, opening.id));
  const postMs = performance.now() - p0;
  clearInterval(sampler);
  const check = await reconcile(db, school.id);
  await database.close();
  fs.rmSync(file, { force: true });

  const result = {
    date: new Date().toISOString(),
    machine: await describeMachine(null),
    database: 'pglite',
    format: xlsx ? 'xlsx' : 'csv',
    copies,
    titles,
    fileBytes: 0,
    templateWriteMs: Math.round(written),
    loadMs: Math.round(loadMs),
    postMs: Math.round(postMs),
    totalMs: Math.round(loadMs + postMs),
    deskRequestWhileDraftMs: Math.round(deskMs),
    copiesPerSecond: Math.round(copies / ((loadMs + postMs) / 1000)),
    peakRssMb: Math.round(peakRss / 1024 / 1024),
    staged: loaded.added,
    posted: posted.copiesCount,
    unpriced: posted.unpricedCount,
    reconciliation: check,
    goal: '≤ 20 s on the embedded database, memory bounded',
  };
  const dir = path.join(here, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const name = `opening-balance-${result.date.slice(0, 10)}${xlsx ? '-xlsx' : ''}`;
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(result, null, 2) + '\n');
  fs.writeFileSync(
    path.join(dir, `${name}.md`),
    [
      `# Booking an existing fund from a template (${result.format.toUpperCase()}, PGlite)`,
      '',
      `${copies.toLocaleString('en')} copies of ${titles.toLocaleString('en')} titles, ${result.date.slice(0, 10)}, ${result.machine.cores} cores, Node ${result.machine.node}.`,
      '',
      '| step | ms |',
      '|---|---|',
      `| load the template onto the draft (streamed, chunks of 2,000) | ${result.loadMs} |`,
      `| post the draft (one transaction) | ${result.postMs} |`,
      `| total | ${result.totalMs} |`,
      `| a desk request while the draft waits | ${result.deskRequestWhileDraftMs} |`,
      '',
      `Copies per second: ${result.copiesPerSecond}. Peak RSS: ${result.peakRssMb} MB. Unpriced copies: ${result.unpriced}.`,
      `Reconciliation after posting: ${JSON.stringify(check)}.`,
      '',
    ].join('\n'),
  );
  console.log(JSON.stringify(result, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
