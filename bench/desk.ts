/**
 * The circulation desk against the database's own limit: pgbench's TPC-B on the PostgreSQL server,
 * then checkout + return pairs over HTTP on the same server (1, 4 and 16 desks), then the same desk on
 * the embedded database in a data folder with durable commits. Ends with one JSON line:
 * {"desks":16,"pairsPerSecond":…,"pgbenchTps":…,"ratio":…,"p99Ms":…}
 *
 *   npm run bench -- desk [--pgbench-seconds 30] [--seconds 10] [--desks 1,4,16] [--postgres-url URL]
 *                         [--no-pglite] [--out DIR]
 *   npm run bench -- desk --quick          pgbench 5 s, 3 s per desk level: a look, not a figure
 *
 * pgbench comes with Debian's PostgreSQL server package; `bash scripts/ensure-system-packages.sh pgbench`
 * installs it when missing. It runs in a database of its own (kitaphana_bench_pgbench), initialised
 * with `-i -s 16`; the desk runs in a fresh database dropped at the end.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { runCirculationBench, type BackendResult, type DeskLevel } from './circulation.js';
import { describeMachine, type Machine } from './machine.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const PGBENCH_DATABASE = 'kitaphana_bench_pgbench';

export interface DeskBenchOptions {
  postgresUrl: string;
  /** pgbench's run (`-T`); 30 s for the figure. */
  pgbenchSeconds: number;
  /** Each desk level runs this long. */
  seconds: number;
  desks: number[];
  pglite: boolean;
  baselineSeconds: number;
  outDir: string;
}

export interface PgbenchResult {
  scale: number;
  clients: number;
  threads: number;
  seconds: number;
  tps: number;
  latencyAverageMs: number;
  transactions: number;
}

export interface DeskSummary {
  desks: number;
  pairsPerSecond: number;
  pgbenchTps: number;
  ratio: number;
  p99Ms: number;
}

/** The pgbench of the newest PostgreSQL installed, or the one on the PATH. */
export function findPgbench(): string | null {
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'pgbench'))).sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], 'bin', 'pgbench');
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, 'pgbench');
    if (dir && fs.existsSync(file)) return file;
  }
  return null;
}

async function ensurePgbench(log: (line: string) => void): Promise<string> {
  let found = findPgbench();
  if (!found) {
    log('  pgbench is missing: installing it through scripts/ensure-system-packages.sh');
    await run('bash', [path.join(here, '..', 'scripts', 'ensure-system-packages.sh'), 'pgbench'], { maxBuffer: 1 << 24 });
    found = findPgbench();
  }
  if (!found) throw new Error('pgbench is not installed and could not be installed (Debian: apt-get install postgresql)');
  return found;
}

function databaseUrl(url: string, name: string): string {
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/** TPC-B as pgbench runs it by default, on the server of `url`, in a database of its own. */
export async function runPgbench(url: string, seconds: number, log: (line: string) => void, scale = 16, clients = 16, threads = 2): Promise<PgbenchResult> {
  const pgbench = await ensurePgbench(log);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [PGBENCH_DATABASE]);
    if (!exists.rowCount) await admin.query(`CREATE DATABASE ${PGBENCH_DATABASE}`);
  } finally {
    await admin.end();
  }
  const target = databaseUrl(url, PGBENCH_DATABASE);
  log(`  pgbench -i -s ${scale}`);
  await run(pgbench, ['-i', '-s', String(scale), '-q', target], { maxBuffer: 1 << 24 });
  log(`  pgbench -c ${clients} -j ${threads} -T ${seconds}`);
  const { stdout } = await run(pgbench, ['-c', String(clients), '-j', String(threads), '-T', String(seconds), target], { maxBuffer: 1 << 24 });
  const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1]);
  if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${stdout}`);
  return {
    scale,
    clients,
    threads,
    seconds,
    tps: Math.round(tps * 10) / 10,
    latencyAverageMs: Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1] ?? NaN),
    transactions: Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1] ?? NaN),
  };
}

const p99Of = (level: DeskLevel) => Math.max(level.issueMs.p99, level.returnMs.p99);

export function summariseDesk(postgres: BackendResult, pgbench: PgbenchResult): DeskSummary {
  const top = postgres.levels.reduce((a, b) => (b.desks > a.desks ? b : a));
  return {
    desks: top.desks,
    pairsPerSecond: top.pairsPerSecond,
    pgbenchTps: pgbench.tps,
    ratio: Math.round((top.pairsPerSecond / pgbench.tps) * 1000) / 1000,
    p99Ms: p99Of(top),
  };
}

export interface DeskReport {
  kind: 'desk';
  machine: Machine;
  options: Omit<DeskBenchOptions, 'postgresUrl' | 'outDir'>;
  pgbench: PgbenchResult;
  results: BackendResult[];
  summary: DeskSummary;
  goals: { ratio: number; p99Ms: number; pglitePairsPerSecond: number; pgliteP99Ms: number };
  loadAverageAtEnd: number[];
}

const GOALS = { ratio: 0.4, p99Ms: 20, pglitePairsPerSecond: 300, pgliteP99Ms: 40 };

function markdown(report: DeskReport): string {
  const m = report.machine;
  const s = report.summary;
  const lite = report.results.find((r) => r.backend === 'pglite');
  const liteTop = lite?.levels.at(-1);
  const lines = [
    `# The desk against pgbench — ${m.date}`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB RAM, ${m.os}, Node ${m.node}, PGlite ${m.pgliteVersion}` +
      `${m.postgresVersion ? `, PostgreSQL ${m.postgresVersion}` : ''}. Load average ${m.loadAverage.join(' / ')} at the start, ` +
      `${report.loadAverageAtEnd.join(' / ')} at the end: other work shared the machine, so the ratio, measured in one run, says more than either figure.`,
    '',
    `pgbench TPC-B (scale ${report.pgbench.scale}, ${report.pgbench.clients} clients, ${report.pgbench.threads} threads, ${report.pgbench.seconds} s): ` +
      `**${report.pgbench.tps} TPS**, latency average ${report.pgbench.latencyAverageMs} ms.`,
    '',
    '| goal | figure | target | met |',
    '|---|---|---|---|',
    `| pairs/s at ${s.desks} desks ÷ pgbench TPS (PostgreSQL) | ${s.pairsPerSecond} ÷ ${s.pgbenchTps} = ${s.ratio} | ≥ ${report.goals.ratio} | ${s.ratio >= report.goals.ratio ? 'yes' : '**no**'} |`,
    `| p99 at ${s.desks} desks (PostgreSQL) | ${s.p99Ms} ms | ≤ ${report.goals.p99Ms} ms | ${s.p99Ms <= report.goals.p99Ms ? 'yes' : '**no**'} |`,
  ];
  if (liteTop) {
    const p99 = p99Of(liteTop);
    lines.push(
      `| pairs/s at ${liteTop.desks} desks (PGlite${lite?.durableCommits ? ', durable commits' : ''}) | ${liteTop.pairsPerSecond} | ≥ ${report.goals.pglitePairsPerSecond} | ${liteTop.pairsPerSecond >= report.goals.pglitePairsPerSecond ? 'yes' : '**no**'} |`,
      `| p99 at ${liteTop.desks} desks (PGlite) | ${p99} ms | ≤ ${report.goals.pgliteP99Ms} ms | ${p99 <= report.goals.pgliteP99Ms ? 'yes' : '**no**'} |`,
    );
  }
  lines.push(
    '',
    '| database | desks | pairs/s | ÷ pgbench TPS | issue p50 / p99 ms | return p50 / p99 ms | statements per request | CPU ms per request (this process) | errors |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of report.results) {
    for (const l of r.levels) {
      lines.push(
        `| ${r.backend} | ${l.desks} | ${l.pairsPerSecond} | ${Math.round((l.pairsPerSecond / report.pgbench.tps) * 1000) / 1000} | ${l.issueMs.p50} / ${l.issueMs.p99} | ${l.returnMs.p50} / ${l.returnMs.p99} | ${l.statementsPerRequest} | ${l.cpuMsPerRequest} | ${l.errors} |`,
      );
    }
  }
  for (const r of report.results) {
    lines.push('', `Statements of one issue on ${r.backend} (session lookup included when not cached):`, '', ...r.statements.issue.map((q) => `- \`${q}\``));
    lines.push('', `Statements of one return on ${r.backend}:`, '', ...r.statements.return.map((q) => `- \`${q}\``));
    if (r.statements.scanIssue) lines.push('', `Statements of one scan that issues, with the reader's panel, on ${r.backend}:`, '', ...r.statements.scanIssue.map((q) => `- \`${q}\``));
    if (r.statements.scanReturn) lines.push('', `Statements of one scan that takes back, with the reader's panel, on ${r.backend}:`, '', ...r.statements.scanReturn.map((q) => `- \`${q}\``));
  }
  return lines.join('\n') + '\n';
}

export async function runDeskBench(options: DeskBenchOptions, log: (line: string) => void = console.log): Promise<{ report: DeskReport; files: string[] }> {
  const machine = await describeMachine(options.postgresUrl);
  if (!machine.postgresVersion) throw new Error(`No PostgreSQL server answers at ${new URL(options.postgresUrl).host}: the desk is measured against one`);
  log(`Machine: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, PostgreSQL ${machine.postgresVersion}, load ${machine.loadAverage.join(' ')}`);
  log('pgbench TPC-B on the PostgreSQL server');
  const pgbench = await runPgbench(options.postgresUrl, options.pgbenchSeconds, log);
  log(`  ${pgbench.tps} TPS, latency average ${pgbench.latencyAverageMs} ms`);
  log(`The desk over HTTP on the same server: ${options.desks.join(', ')} desk(s), ${options.seconds} s each`);
  const common = { seconds: options.seconds, baselineSeconds: options.baselineSeconds, postgresUrl: options.postgresUrl, pgliteOnDisk: true };
  const results = await runCirculationBench({ ...common, backends: ['postgres'], desks: options.desks }, log);
  if (options.pglite) {
    const top = Math.max(...options.desks);
    log(`The desk on the embedded database (a data folder, durable commits): ${top} desks`);
    results.push(...(await runCirculationBench({ ...common, backends: ['pglite'], desks: [top] }, log)));
  }
  const summary = summariseDesk(results[0]!, pgbench);
  const { postgresUrl: _u, outDir: _o, ...shown } = options;
  const report: DeskReport = {
    kind: 'desk',
    machine,
    options: shown,
    pgbench,
    results,
    summary,
    goals: GOALS,
    loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
  fs.mkdirSync(options.outDir, { recursive: true });
  const base = path.join(options.outDir, `desk-${machine.date.slice(0, 16).replace(/[:T]/g, '-')}`);
  fs.writeFileSync(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
  fs.writeFileSync(`${base}.md`, markdown(report));
  log(`Written: ${path.relative(process.cwd(), base)}.json and .md`);
  return { report, files: [`${base}.json`, `${base}.md`] };
}

export function parseDeskArgs(argv: string[]): DeskBenchOptions {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  return {
    postgresUrl: value('postgres-url') ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    pgbenchSeconds: Number(value('pgbench-seconds') ?? (quick ? 5 : 30)),
    seconds: Number(value('seconds') ?? (quick ? 3 : 10)),
    desks: (value('desks') ?? '1,4,16').split(',').map(Number),
    pglite: !argv.includes('--no-pglite'),
    baselineSeconds: Number(value('baseline-seconds') ?? (quick ? 0.3 : 1)),
    outDir: path.resolve(value('out') ?? path.join(here, 'results')),
  };
}

/** `npm run bench -- desk …`: the figures, then the one JSON line last. */
export async function deskCommand(argv: string[]): Promise<void> {
  const { report } = await runDeskBench(parseDeskArgs(argv));
  const lite = report.results.find((r) => r.backend === 'pglite')?.levels.at(-1);
  if (lite) console.log(`PGlite, ${lite.desks} desks: ${lite.pairsPerSecond} pairs/s, p99 ${p99Of(lite)} ms`);
  console.log(JSON.stringify(report.summary));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await deskCommand(process.argv.slice(2));
}
