/**
 * Benchmark of booking an existing fund from a template on the embedded database (not a test).
 *
 *   npx tsx bench/opening-balance.ts                 60,000 copies of 8,000 titles, CSV, PGlite in a data folder
 *   npx tsx bench/opening-balance.ts --copies 10000 --xlsx
 *   npx tsx bench/opening-balance.ts --memory        PGlite in memory (no disk writes)
 *   npx tsx bench/opening-balance.ts --label before  a suffix for the result files
 *   npx tsx bench/opening-balance.ts --statements    also sum the database's time by statement (Kysely's log)
 *
 * Writes a template file of one row per copy (inventory number, date of entry, author, title, year, price, BBK,
 * language, publication type), loads it onto an opening-balance draft through the same domain function the
 * route uses (streamed, in chunks, each its own transaction), posts the draft, and records where the time goes
 * (the steps' own timings), how long a desk's request waited meanwhile (a lookup by barcode every 50 ms, as a
 * scan at the desk would make), the process's peak memory and the load average, in
 * bench/results/opening-balance-<date>[-label].json and .md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import type { LogEvent } from 'kysely';
import type { Actor } from '../src/auth/actor.js';
import { connectPGlite, type DatabaseHandle } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { inTransaction } from '../src/db/transaction.js';
import { CHUNK, createOpening, loadOpeningFile, postOpening, type StepTimings } from '../src/fund/accounting/opening.js';
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
const memory = args.includes('--memory');
const label = args.includes('--label') ? args[args.indexOf('--label') + 1] : '';
const byStatement = args.includes('--statements');
/** Milliseconds and count by statement (its first words and tables), when --statements is given. */
const statements = new Map<string, { ms: number; n: number }>();
const statementLog = (event: LogEvent) => {
  const text = event.query.sql.replace(/\s+/g, ' ').replace(/\$\d+/g, '?').slice(0, 90);
  const s = statements.get(text) ?? { ms: 0, n: 0 };
  s.ms += event.queryDurationMillis;
  s.n += 1;
  statements.set(text, s);
};

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

/**
 * A desk's request due every `everyMs` while `work` runs: how long after it was due each was answered. PGlite runs
 * in this thread, so a long statement holds up the event loop as well as the database's one serial lane: the wait
 * counts from when the request was due, not from when the loop got round to sending it.
 */
async function withDesk<T>(database: DatabaseHandle, organisationId: number, work: () => Promise<T>, everyMs = 50) {
  const waits: number[] = [];
  let running = true;
  const desk = (async () => {
    while (running) {
      const due = performance.now() + everyMs;
      await new Promise((r) => setTimeout(r, everyMs));
      if (!running) break;
      await database.db.selectFrom('fund.copies').select(['id', 'status']).where('organisation_id', '=', organisationId).where('barcode', '=', '1000000001').execute();
      waits.push(performance.now() - due);
    }
  })();
  try {
    return { result: await work(), waits };
  } finally {
    running = false;
    await desk;
  }
}

const quantile = (xs: number[], q: number) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]!);
};
const deskFigures = (waits: number[]) => ({ requests: waits.length, p50Ms: quantile(waits, 0.5), p95Ms: quantile(waits, 0.95), maxMs: Math.round(Math.max(0, ...waits)) });
const rounded = (t: StepTimings) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v)]));

async function main() {
  const loadAtStart = os.loadavg().map((l) => Math.round(l * 100) / 100);
  const file = path.join(os.tmpdir(), `kitaphana-bench-opening-${process.pid}.${xlsx ? 'xlsx' : 'csv'}`);
  const t0 = performance.now();
  await writeTemplate(file);
  const written = performance.now() - t0;
  const fileBytes = fs.statSync(file).size;
  // a data folder with durable commits, as a library runs it (or memory, with --memory)
  const dataDir = memory ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'kitaphana-bench-opening-data-'));
  let database: DatabaseHandle;
  if (dataDir) {
    database = await connectPGlite(dataDir, undefined, byStatement ? statementLog : undefined);
    await migrateToLatest(database.db);
  } else {
    database = await openTestDatabase('pglite');
  }
  const db = database.db;
  const republic = await createOrganisation(db, null, { parentId: null, kind: 'republic', name: 'Қазақстан' });
  const region = await createOrganisation(db, null, { parentId: republic.id, kind: 'region', name: 'Облыс' });
  const district = await createOrganisation(db, null, { parentId: region.id, kind: 'district', name: 'Аудан' });
  const school = await createOrganisation(db, null, { parentId: district.id, kind: 'school', name: 'Бенчмарк мектебі' });
  const userId = await createUser(db, null, { login: 'bench', password: 'Qor-esebi-60000-kitap', fullName: 'Бенчмарк', role: 'librarian', organisationId: school.id, classGrade: null, classLetter: null });
  const actor: Actor = { userId, login: 'bench', fullName: 'Бенчмарк', role: 'librarian', organisationId: school.id, orgPath: school.path, classGrade: null, classLetter: null, readerId: null, locale: 'kk' };

  statements.clear();
  const cpuBefore = process.cpuUsage();
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const opening = await inTransaction(db, (trx) => createOpening(trx, actor, { asOf: '2026-09-01' }));
  const loadTimings: StepTimings = {};
  const l0 = performance.now();
  const load = await withDesk(database, school.id, () => loadOpeningFile(db, actor, opening.id, file, xlsx ? 'xlsx' : 'csv', 'auto', loadTimings));
  const loadMs = performance.now() - l0;
  const postTimings: StepTimings = {};
  const p0 = performance.now();
  const post = await withDesk(database, school.id, () => inTransaction(db, (trx) => postOpening(trx, actor, opening.id, postTimings)));
  const postMs = performance.now() - p0;
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpuBefore);
  const check = await reconcile(db, school.id);
  const loadAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
  await database.close();
  fs.rmSync(file, { force: true });
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });

  const result = {
    date: new Date().toISOString(),
    label: label || null,
    machine: await describeMachine(null),
    loadAverage: { start: loadAtStart, end: loadAtEnd },
    database: memory ? 'pglite (memory)' : 'pglite (data folder, durable commits)',
    format: xlsx ? 'xlsx' : 'csv',
    copies,
    titles,
    chunkRows: CHUNK,
    fileBytes,
    templateWriteMs: Math.round(written),
    loadMs: Math.round(loadMs),
    postMs: Math.round(postMs),
    totalMs: Math.round(loadMs + postMs),
    loadSteps: rounded(loadTimings),
    postSteps: rounded(postTimings),
    deskWhileLoading: deskFigures(load.waits),
    deskWhilePosting: deskFigures(post.waits),
    // on a shared machine the wall-clock time depends on the others' load; the process's own CPU time much less
    cpuSeconds: { user: Math.round(cpu.user / 1e4) / 100, system: Math.round(cpu.system / 1e4) / 100 },
    copiesPerSecond: Math.round(copies / ((loadMs + postMs) / 1000)),
    rssBeforeMb: Math.round(rssBefore / 1024 / 1024),
    peakRssMb: Math.round(peakRss / 1024 / 1024),
    staged: load.result.added,
    posted: post.result.copiesCount,
    unpriced: post.result.unpricedCount,
    reconciliation: check,
    goal: '≤ 20 s on the embedded database, memory bounded',
  };
  const dir = path.join(here, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const name = `opening-balance-${result.date.slice(0, 10)}${xlsx ? '-xlsx' : ''}${memory ? '-memory' : ''}${label ? `-${label}` : ''}`;
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(result, null, 2) + '\n');
  const steps = (t: Record<string, number>) => Object.entries(t).map(([k, v]) => `${k} ${v}`).join(', ') || '—';
  fs.writeFileSync(
    path.join(dir, `${name}.md`),
    [
      `# Booking an existing fund from a template (${result.format.toUpperCase()}, ${result.database})`,
      '',
      `${copies.toLocaleString('en')} copies of ${titles.toLocaleString('en')} titles, ${result.date.slice(0, 10)}, ${result.machine.cores} cores, Node ${result.machine.node}, ` +
        `load average ${loadAtStart.join(' ')} at the start and ${loadAtEnd.join(' ')} at the end.`,
      '',
      '| step | ms |',
      '|---|---|',
      `| load the template onto the draft (streamed, chunks of ${CHUNK.toLocaleString('en')} rows) | ${result.loadMs} |`,
      `| post the draft (one transaction) | ${result.postMs} |`,
      `| total | ${result.totalMs} |`,
      `| CPU time of the process (user + system) | ${Math.round((result.cpuSeconds.user + result.cpuSeconds.system) * 1000)} |`,
      '',
      `Load steps (ms, summed over chunks): ${steps(result.loadSteps)}.`,
      `Post steps (ms): ${steps(result.postSteps)}.`,
      `A desk's lookup due every 50 ms, ms from due to answered, while loading: ${JSON.stringify(result.deskWhileLoading)}; while posting: ${JSON.stringify(result.deskWhilePosting)}.`,
      '',
      `Copies per second: ${result.copiesPerSecond}. RSS before the load ${result.rssBeforeMb} MB, peak ${result.peakRssMb} MB. Unpriced copies: ${result.unpriced}.`,
      `Reconciliation after posting: ${JSON.stringify(check)}.`,
      '',
    ].join('\n'),
  );
  console.log(JSON.stringify(result, null, 2));
  if (byStatement) {
    const top = [...statements].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
    for (const [text, x] of top) console.log(`${Math.round(x.ms).toString().padStart(7)} ms ${String(x.n).padStart(6)}×  ${text}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
