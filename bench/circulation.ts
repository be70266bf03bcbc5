import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql, type LogEvent } from 'kysely';
import pg from 'pg';
import type { Actor } from '../src/auth/actor.js';
import { connectPGlite, connectPostgres, type DatabaseHandle } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { addCopies } from '../src/fund/copies.js';
import { buildApp } from '../src/http/app.js';
import { createOrganisation } from '../src/org/organisations.js';
import { createUser } from '../src/org/users.js';
import { createReader } from '../src/readers/readers.js';
import { createWork } from '../src/catalog/works.js';
import { REPEAT_SCAN_WINDOW_MS } from '../src/circulation/desk.js';
import { describeMachine, type Machine } from './machine.js';
import { summarise, timed, type LatencySummary } from './stats.js';

/**
 * The circulation desk over HTTP: the real server on a local port, each desk a signed-in
 * librarian of its own school issuing a copy to a reader and taking it back, as fast as the
 * server answers. The database's bare round trip (`select 1`) at the same concurrency is the
 * baseline: the ratio says how many round trips' worth of work one desk request costs.
 * The statements themselves are counted too (Kysely's query log sees every one, BEGIN and
 * COMMIT included): per request at each level, and listed for one issue and one return.
 *
 * Only this benchmark, with its own result files (<yyyy-mm-dd>-circulation.json and .md):
 *   npx tsx bench/circulation.ts [--desks 1,4,16] [--seconds 10] [--pairs N] [--no-postgres]
 *                                [--postgres-url URL] [--baseline-seconds 2] [--out DIR]
 * An A/B against another checkout of the project (e.g. `git worktree add ../before <commit>`), both
 * servers in this process, driven in turn in short slices (<yyyy-mm-dd>-circulation-ab.json and .md):
 *   npx tsx bench/circulation.ts --compare ../before [--slices 6] [--seconds 3] [--label TEXT]
 */

const PASSWORD = 'bench-password-1';
const COPIES_PER_DESK = 5;

export interface CirculationBenchOptions {
  backends: ('pglite' | 'postgres')[];
  desks: number[];
  /** Each level runs this long (seconds), or `pairsPerDesk` pairs when set. */
  seconds: number;
  pairsPerDesk?: number;
  baselineSeconds: number;
  postgresUrl: string;
  /**
   * PGlite in a data folder of its own with durable commits (every commit synced to the disk before
   * the answer), as a library runs it; in memory (nothing to sync) when absent.
   */
  pgliteOnDisk?: boolean;
}

export interface DeskLevel {
  desks: number;
  pairs: number;
  seconds: number;
  pairsPerSecond: number;
  issueMs: LatencySummary;
  returnMs: LatencySummary;
  errors: number;
  baselineSelect1PerSecond: number;
  /** `select 1` round trips the database does in the time of one desk request. */
  roundTripsPerRequest: number;
  /** Statements actually sent to the database per desk request (session lookup, BEGIN and COMMIT included). */
  statementsPerRequest: number;
  /**
   * CPU time of this process per desk request (user + system): the HTTP client, the server and, on PGlite,
   * the database itself. Less sensitive than the latencies to other work on the machine.
   */
  cpuMsPerRequest: number;
  meetsTarget: boolean | null;
}

export interface BackendResult {
  backend: 'pglite' | 'postgres';
  sequentialSelect1: { perSecond: number; latencyMs: LatencySummary };
  /** The statements of one issue and one return, in order, as the server sent them. */
  statements: { issue: string[]; return: string[]; scanIssue?: string[]; scanReturn?: string[] };
  /** `GET /api/health` from one client, no database: the floor of any request over HTTP in this process. */
  httpFloor: { perSecond: number; latencyMs: LatencySummary; cpuMsPerRequest: number };
  levels: DeskLevel[];
  /** Whether each commit reached the disk before the answer (PostgreSQL always; PGlite in a data folder). */
  durableCommits?: boolean;
}

/** Counts the statements sent to the database, and keeps their text while `recording`. */
export class StatementCounter {
  count = 0;
  recording: string[] | null = null;
  readonly log = (event: LogEvent) => {
    this.count++;
    this.recording?.push(event.query.sql.replace(/\s+/g, ' ').slice(0, 160));
  };
}

export interface Desk {
  login: string;
  readerId: number;
  barcodes: string[];
}

/** One school per desk, with its librarian, one reader and a few copies of one work. */
export async function prepareDesks(handle: DatabaseHandle, count: number): Promise<Desk[]> {
  return handle.db.transaction().execute(async (trx) => {
    const republic = await createOrganisation(trx, null, { parentId: null, kind: 'republic', name: 'Қазақстан Республикасы' });
    const region = await createOrganisation(trx, null, { parentId: republic.id, kind: 'region', name: 'Абай облысы' });
    const workId = await createWork(trx, null, { title: 'Менің атым Қожа', authors: [{ name: 'Бердібек Соқпақбаев' }], language: 'kaz' });
    const desks: Desk[] = [];
    for (let i = 1; i <= count; i++) {
      const school = await createOrganisation(trx, null, { parentId: region.id, kind: 'school', name: `№ ${i} мектеп` });
      const login = `desk${i}`;
      const userId = await createUser(trx, null, { login, password: PASSWORD, fullName: login, role: 'librarian', organisationId: school.id });
      const actor: Actor = {
        userId, login, fullName: login, role: 'librarian', organisationId: school.id, orgPath: school.path,
        classGrade: null, classLetter: null, readerId: null, locale: 'kk',
      };
      const reader = await createReader(trx, actor, { kind: 'student', lastName: 'Сәрсенова', firstName: 'Аружан', grade: 5, classLetter: 'Ә' });
      const copies = await addCopies(trx, actor, { workId, count: COPIES_PER_DESK });
      desks.push({ login, readerId: reader.id, barcodes: copies.map((c) => c.barcode) });
    }
    return desks;
  });
}

/**
 * One request over a kept-alive connection with node:http. The desks run in the benchmark's own
 * process, beside the server: `fetch` (undici, web streams) cost about a third of that process's CPU
 * per request in a profile, work that pgbench's C client, the other side of the ratio, does not do.
 */
function send(agent: http.Agent, base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname, method, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

class DeskClient {
  private cookie = '';
  private csrf = '';
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  constructor(private readonly base: string) {}

  async login(login: string) {
    const res = await send(this.agent, this.base, 'POST', '/api/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ login, password: PASSWORD }));
    if (res.status !== 200) throw new Error(`login of ${login} answered ${res.status}`);
    this.csrf = (JSON.parse(res.body) as { csrfToken: string }).csrfToken;
    this.cookie = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).find((c) => c.startsWith('kt_session='))!;
  }

  /** POSTs and returns the status, once the whole answer is read. */
  async post(path: string, body: unknown): Promise<number> {
    const res = await send(this.agent, this.base, 'POST', path, { 'content-type': 'application/json', cookie: this.cookie, 'x-csrf-token': this.csrf }, JSON.stringify(body));
    return res.status;
  }

  close() {
    this.agent.destroy();
  }
}

async function httpFloor(base: string, seconds: number) {
  const until = performance.now() + seconds * 1000;
  const samples: number[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const cpuBefore = process.cpuUsage();
  while (performance.now() < until) {
    samples.push((await timed(() => send(agent, base, 'GET', '/api/health', {})))[0]);
  }
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  return {
    perSecond: Math.round(samples.length / seconds),
    latencyMs: summarise(samples),
    cpuMsPerRequest: Math.round(((cpu.user + cpu.system) / 1000 / samples.length) * 100) / 100,
  };
}

async function select1Rate(handle: DatabaseHandle, concurrency: number, seconds: number) {
  const until = performance.now() + seconds * 1000;
  const samples: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) samples.push((await timed(() => sql`select 1`.execute(handle.db)))[0]);
    }),
  );
  return { perSecond: Math.round(samples.length / seconds), latencyMs: summarise(samples) };
}

export async function runLevel(
  base: string,
  desks: Desk[],
  options: CirculationBenchOptions,
  counter: StatementCounter,
): Promise<Omit<DeskLevel, 'baselineSelect1PerSecond' | 'roundTripsPerRequest' | 'meetsTarget'>> {
  const clients = await Promise.all(
    desks.map(async (desk) => {
      const client = new DeskClient(base);
      await client.login(desk.login);
      return client;
    }),
  );
  const issue: number[] = [];
  const giveBack: number[] = [];
  let errors = 0;
  const statementsBefore = counter.count;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const until = started + options.seconds * 1000;
  await Promise.all(
    desks.map(async (desk, d) => {
      const client = clients[d]!;
      for (let i = 0; options.pairsPerDesk ? i < options.pairsPerDesk : performance.now() < until; i++) {
        const barcode = desk.barcodes[i % desk.barcodes.length]!;
        const [issueMs, issued] = await timed(() => client.post('/api/circulation/issue', { readerId: desk.readerId, barcode }));
        const [returnMs, returned] = await timed(() => client.post('/api/circulation/return', { barcode }));
        if (issued !== 201 || returned !== 200) errors++;
        issue.push(issueMs);
        giveBack.push(returnMs);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const client of clients) client.close();
  const statements = counter.count - statementsBefore;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    desks: desks.length,
    pairs: issue.length,
    seconds: Math.round(seconds * 100) / 100,
    pairsPerSecond: Math.round((issue.length / seconds) * 10) / 10,
    issueMs: summarise(issue),
    returnMs: summarise(giveBack),
    errors,
    statementsPerRequest: issue.length ? Math.round((statements / (2 * issue.length)) * 10) / 10 : 0,
    cpuMsPerRequest: issue.length ? Math.round(((cpu.user + cpu.system) / 1000 / (2 * issue.length)) * 100) / 100 : 0,
  };
}

/** A fresh database on the PostgreSQL server, dropped again by close(). */
async function freshPostgres(url: string, log?: (event: LogEvent) => void): Promise<DatabaseHandle> {
  const name = `kt_bench_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const handle = await connectPostgres(target.toString(), 20, log);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** One issue and one return at the first desk, with the statements each sent to the database. */
async function recordStatements(base: string, desk: Desk, counter: StatementCounter) {
  const client = new DeskClient(base);
  await client.login(desk.login);
  const barcode = desk.barcodes[0]!;
  const issue: string[] = [];
  counter.recording = issue;
  const issued = await client.post('/api/circulation/issue', { readerId: desk.readerId, barcode });
  const giveBack: string[] = [];
  counter.recording = giveBack;
  const returned = await client.post('/api/circulation/return', { barcode });
  counter.recording = null;
  if (issued !== 201 || returned !== 200) throw new Error(`the desk answered ${issued} and ${returned}`);
  // the desk's own route: a scan issues to the open reader or takes back, and answers with the reader's panel
  const other = desk.barcodes[1]!;
  const scanIssue: string[] = [];
  counter.recording = scanIssue;
  const scanIssued = await client.post('/api/circulation/scan', { code: other, readerId: desk.readerId });
  // a second scan of the same label within the repeat window would be taken for a bounce
  await new Promise((r) => setTimeout(r, REPEAT_SCAN_WINDOW_MS + 100));
  const scanReturn: string[] = [];
  counter.recording = scanReturn;
  const scanReturned = await client.post('/api/circulation/scan', { code: other, readerId: desk.readerId });
  counter.recording = null;
  client.close();
  if (scanIssued !== 200 || scanReturned !== 200) throw new Error(`the desk's scans answered ${scanIssued} and ${scanReturned}`);
  return { issue, return: giveBack, scanIssue, scanReturn };
}

async function benchBackend(backend: 'pglite' | 'postgres', options: CirculationBenchOptions, log: (line: string) => void): Promise<BackendResult> {
  const counter = new StatementCounter();
  const folder = backend === 'pglite' && options.pgliteOnDisk ? fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-desk-')) : null;
  const handle =
    backend === 'pglite'
      ? await connectPGlite(folder ? path.join(folder, 'data') : undefined, undefined, counter.log, true)
      : await freshPostgres(options.postgresUrl, counter.log);
  try {
    await migrateToLatest(handle.db);
    const desks = await prepareDesks(handle, Math.max(...options.desks));
    const app = await buildApp({ database: handle, logger: false });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const statements = await recordStatements(address, desks[0]!, counter);
      log(
        `  ${backend}: one issue sends ${statements.issue.length} statements, one return ${statements.return.length}; ` +
          `a scan that issues ${statements.scanIssue.length}, a scan that takes back ${statements.scanReturn.length} (each with the reader's panel)`,
      );
      const sequentialSelect1 = await select1Rate(handle, 1, options.baselineSeconds);
      const floor = await httpFloor(address, options.baselineSeconds);
      log(`  ${backend}: GET /api/health ${floor.perSecond}/s, p50 ${floor.latencyMs.p50} ms, ${floor.cpuMsPerRequest} ms CPU per request`);
      const levels: DeskLevel[] = [];
      for (const count of options.desks) {
        const level = await runLevel(address, desks.slice(0, count), options, counter);
        const baseline = await select1Rate(handle, count, options.baselineSeconds);
        const requestsPerSecond = level.pairsPerSecond * 2;
        levels.push({
          ...level,
          baselineSelect1PerSecond: baseline.perSecond,
          roundTripsPerRequest: requestsPerSecond ? Math.round((baseline.perSecond / requestsPerSecond) * 10) / 10 : 0,
          meetsTarget: count === 16 ? Math.max(level.issueMs.p99, level.returnMs.p99) <= 20 : null,
        });
        log(
          `  ${backend}, ${count} desk(s): ${level.pairsPerSecond} pairs/s, issue p50/p99 ${level.issueMs.p50}/${level.issueMs.p99} ms, ` +
            `return p50/p99 ${level.returnMs.p50}/${level.returnMs.p99} ms, ${level.statementsPerRequest} statements and ${level.cpuMsPerRequest} ms CPU per request`,
        );
      }
      return { backend, sequentialSelect1, statements, httpFloor: floor, levels, durableCommits: handle.kind === 'postgres' || !!handle.durableWrites };
    } finally {
      await app.close();
    }
  } finally {
    await handle.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  }
}

export async function runCirculationBench(options: CirculationBenchOptions, log: (line: string) => void): Promise<BackendResult[]> {
  const results: BackendResult[] = [];
  for (const backend of options.backends) results.push(await benchBackend(backend, options, log));
  return results;
}

export interface CirculationReport {
  kind: 'circulation';
  machine: Machine;
  options: Omit<CirculationBenchOptions, 'postgresUrl'>;
  results: BackendResult[];
  loadAverageAtEnd: number[];
}

function markdown(report: CirculationReport): string {
  const m = report.machine;
  const lines = [
    `# Circulation desk over HTTP — ${m.date}`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB RAM, ${m.os}, Node ${m.node}, PGlite ${m.pgliteVersion}` +
      `${m.postgresVersion ? `, PostgreSQL ${m.postgresVersion}` : ''}. Load average ${m.loadAverage.join(' / ')} at the start, ` +
      `${report.loadAverageAtEnd.join(' / ')} at the end.`,
    '',
    `Each desk: \`POST /api/circulation/issue\` then \`POST /api/circulation/return\`, ` +
      `${report.options.pairsPerDesk ? `${report.options.pairsPerDesk} pairs` : `${report.options.seconds} s`} per level.`,
    '',
    '| database | desks | pairs/s | issue p50 / p99 ms | return p50 / p99 ms | errors | statements per request | CPU ms per request (this process) | `select 1`/s at same concurrency | round trips per request | p99 ≤ 20 ms at 16 desks |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const b of report.results) {
    for (const l of b.levels) {
      const met = l.meetsTarget === null ? '–' : l.meetsTarget ? 'yes' : '**no**';
      lines.push(
        `| ${b.backend} | ${l.desks} | ${l.pairsPerSecond} | ${l.issueMs.p50} / ${l.issueMs.p99} | ${l.returnMs.p50} / ${l.returnMs.p99} | ${l.errors} | ${l.statementsPerRequest} | ${l.cpuMsPerRequest} | ${l.baselineSelect1PerSecond} | ${l.roundTripsPerRequest} | ${met} |`,
      );
    }
  }
  for (const b of report.results) {
    lines.push('', `Sequential \`select 1\` on ${b.backend}: ${b.sequentialSelect1.perSecond}/s (p50 ${b.sequentialSelect1.latencyMs.p50} ms).`);
    const f = b.httpFloor;
    lines.push('', `\`GET /api/health\` (no database) from one client: ${f.perSecond}/s, p50 ${f.latencyMs.p50} ms, ${f.cpuMsPerRequest} ms CPU per request.`);
    lines.push('', `Statements of one issue on ${b.backend} (${b.statements.issue.length}):`, '');
    for (const q of b.statements.issue) lines.push(`- \`${q}\``);
    lines.push('', `Statements of one return on ${b.backend} (${b.statements.return.length}):`, '');
    for (const q of b.statements.return) lines.push(`- \`${q}\``);
  }
  return lines.join('\n') + '\n';
}

/** Runs the desk benchmark alone and writes <yyyy-mm-dd>-circulation.json and .md (a -2, -3 … suffix keeps earlier runs of the day). */
export async function runCirculationOnly(argv: string[], log: (line: string) => void = console.log): Promise<string[]> {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const postgresUrl = value('postgres-url') ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const options: CirculationBenchOptions = {
    backends: argv.includes('--no-postgres') ? ['pglite'] : ['pglite', 'postgres'],
    desks: (value('desks') ?? '1,4,16').split(',').map(Number),
    seconds: Number(value('seconds') ?? 10),
    pairsPerDesk: value('pairs') ? Number(value('pairs')) : undefined,
    baselineSeconds: Number(value('baseline-seconds') ?? 2),
    postgresUrl,
  };
  const machine = await describeMachine(options.backends.includes('postgres') ? postgresUrl : null);
  log(`Machine: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverage.join(' ')}`);
  const outDir = path.resolve(value('out') ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'results'));
  fs.mkdirSync(outDir, { recursive: true });
  const other = value('compare');
  if (other) {
    const slices = Number(value('slices') ?? 6);
    const seconds = Number(value('seconds') ?? 3);
    log(`A/B against ${other}: ${options.desks.join(', ')} desk(s), ${slices} slices of ${seconds} s each`);
    const levels = await compareCheckouts(path.resolve(other), { ...options, seconds, slices }, log);
    const label = value('label') ?? 'before: the other checkout; after: this one.';
    const loadAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
    let base = path.join(outDir, `${machine.date.slice(0, 10)}-circulation-ab`);
    for (let n = 2; fs.existsSync(`${base}.json`); n++) base = path.join(outDir, `${machine.date.slice(0, 10)}-circulation-ab-${n}`);
    fs.writeFileSync(`${base}.json`, JSON.stringify({ kind: 'circulation-ab', note: label, machine, levels, loadAverageAtEnd: loadAtEnd }, null, 2) + '\n');
    fs.writeFileSync(`${base}.md`, compareMarkdown(machine, levels, loadAtEnd, label));
    log(`Written: ${path.relative(process.cwd(), base)}.json and .md`);
    return [`${base}.json`, `${base}.md`];
  }
  log(`Circulation over HTTP: ${options.desks.join(', ')} desk(s)`);
  const results = await runCirculationBench(options, log);
  const { postgresUrl: _url, ...shown } = options;
  const report: CirculationReport = {
    kind: 'circulation',
    machine,
    options: shown,
    results,
    loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
  let base = path.join(outDir, `${machine.date.slice(0, 10)}-circulation`);
  for (let n = 2; fs.existsSync(`${base}.json`); n++) base = path.join(outDir, `${machine.date.slice(0, 10)}-circulation-${n}`);
  fs.writeFileSync(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
  fs.writeFileSync(`${base}.md`, markdown(report));
  log(`Written: ${path.relative(process.cwd(), base)}.json and .md`);
  return [`${base}.json`, `${base}.md`];
}


/** One code base's figures in an A/B comparison, over all its slices at one level. */
export interface CompareSide {
  pairsPerSecond: number;
  /** Medians over the slices of each slice's p50 and p99. */
  issueMs: { p50: number; p99: number };
  returnMs: { p50: number; p99: number };
  statementsPerRequest: number;
  cpuMsPerRequest: number;
  errors: number;
}

export interface CompareLevel {
  backend: 'pglite' | 'postgres';
  desks: number;
  slices: number;
  secondsPerSlice: number;
  other: CompareSide;
  here: CompareSide;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * A/B in one process: this checkout's server and another checkout's (`otherRoot`, e.g. a
 * `git worktree` of an older commit), each on a database and desks of its own, driven in turn in
 * short slices, so that a change in the machine's load falls on both alike.
 */
export async function compareCheckouts(
  otherRoot: string,
  options: CirculationBenchOptions & { slices: number },
  log: (line: string) => void,
): Promise<CompareLevel[]> {
  const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const levels: CompareLevel[] = [];
  for (const backend of options.backends) {
    for (const desks of options.desks) {
      const sides = [];
      for (const root of [otherRoot, here]) {
        const counter = new StatementCounter();
        const handle = backend === 'pglite' ? await connectPGlite(undefined, undefined, counter.log) : await freshPostgres(options.postgresUrl, counter.log);
        await migrateToLatest(handle.db);
        const deskList = await prepareDesks(handle, desks);
        const { buildApp: build } = (await import(pathToFileURL(path.join(root, 'src/http/app.ts')).href)) as { buildApp: typeof buildApp };
        const app = await build({ database: handle, logger: false });
        const address = await app.listen({ port: 0, host: '127.0.0.1' });
        sides.push({ handle, app, address, deskList, counter, levels: [] as Awaited<ReturnType<typeof runLevel>>[] });
      }
      try {
        for (const s of sides) await runLevel(s.address, s.deskList, { ...options, seconds: 1, pairsPerDesk: undefined }, s.counter);
        for (let slice = 0; slice < options.slices; slice++) {
          for (const s of slice % 2 ? [...sides].reverse() : sides) {
            s.levels.push(await runLevel(s.address, s.deskList, { ...options, pairsPerDesk: undefined }, s.counter));
          }
        }
      } finally {
        for (const s of sides) {
          await s.app.close();
          await s.handle.close();
        }
      }
      const summary = (ls: Awaited<ReturnType<typeof runLevel>>[]): CompareSide => {
        const pairs = ls.reduce((n, l) => n + l.pairs, 0);
        const seconds = ls.reduce((n, l) => n + l.seconds, 0);
        const weighted = (f: (l: (typeof ls)[number]) => number) => Math.round((ls.reduce((n, l) => n + f(l) * l.pairs, 0) / pairs) * 100) / 100;
        return {
          pairsPerSecond: Math.round((pairs / seconds) * 10) / 10,
          issueMs: { p50: median(ls.map((l) => l.issueMs.p50)), p99: median(ls.map((l) => l.issueMs.p99)) },
          returnMs: { p50: median(ls.map((l) => l.returnMs.p50)), p99: median(ls.map((l) => l.returnMs.p99)) },
          statementsPerRequest: weighted((l) => l.statementsPerRequest),
          cpuMsPerRequest: weighted((l) => l.cpuMsPerRequest),
          errors: ls.reduce((n, l) => n + l.errors, 0),
        };
      };
      const level: CompareLevel = { backend, desks, slices: options.slices, secondsPerSlice: options.seconds, other: summary(sides[0]!.levels), here: summary(sides[1]!.levels) };
      levels.push(level);
      for (const [name, s] of [['other', level.other], ['here', level.here]] as const) {
        log(`  ${backend}, ${desks} desk(s), ${name}: ${s.pairsPerSecond} pairs/s, issue p50/p99 ${s.issueMs.p50}/${s.issueMs.p99} ms, return p50/p99 ${s.returnMs.p50}/${s.returnMs.p99} ms, ${s.statementsPerRequest} statements and ${s.cpuMsPerRequest} ms CPU per request, ${s.errors} errors`);
      }
    }
  }
  return levels;
}

function compareMarkdown(machine: Machine, levels: CompareLevel[], loadAtEnd: number[], label: string): string {
  const lines = [
    `# Circulation desk over HTTP, A/B — ${machine.date}`,
    '',
    `${label}`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB RAM, Node ${machine.node}, PGlite ${machine.pgliteVersion}` +
      `${machine.postgresVersion ? `, PostgreSQL ${machine.postgresVersion}` : ''}. Load average ${machine.loadAverage.join(' / ')} at the start, ${loadAtEnd.join(' / ')} at the end.`,
    '',
    'Both servers run in one process, each on its own database with its own desks, driven in turn in slices; p50 and p99 are the medians over the slices.',
    '',
    '| database | desks | code | pairs/s | issue p50 / p99 ms | return p50 / p99 ms | statements per request | CPU ms per request | errors |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const l of levels) {
    for (const [name, s] of [['before', l.other], ['after', l.here]] as const) {
      lines.push(`| ${l.backend} | ${l.desks} | ${name} | ${s.pairsPerSecond} | ${s.issueMs.p50} / ${s.issueMs.p99} | ${s.returnMs.p50} / ${s.returnMs.p99} | ${s.statementsPerRequest} | ${s.cpuMsPerRequest} | ${s.errors} |`);
    }
  }
  return lines.join('\n') + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--help')) {
    console.log('npx tsx bench/circulation.ts [--desks 1,4,16] [--seconds 10] [--pairs N] [--no-postgres] [--postgres-url URL] [--baseline-seconds 2] [--out DIR]');
    console.log('npx tsx bench/circulation.ts --compare OTHER_CHECKOUT [--slices 6] [--seconds 3] [--label TEXT] [--desks …] [--no-postgres]   A/B in one process');
  } else {
    await runCirculationOnly(process.argv.slice(2));
  }
}
