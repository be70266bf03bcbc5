/**
 * The foundation benchmarks: catalogue search, the circulation desk over HTTP, cold start.
 *
 *   npm run bench                         targets: 100,000 works; 1, 4 and 16 desks for 10 s each
 *   npm run bench -- --works 20000        another catalogue size (cached separately)
 *   npm run bench -- --quick              a smoke run of a few seconds (the test suite runs it)
 *   npm run bench -- --no-postgres        the embedded database only
 *   npm run bench -- desk                 only the desk against pgbench on the PostgreSQL server (bench/desk.ts)
 *   npm run bench -- search --works N     only search on the PostgreSQL server, N works (bench/search-postgres.ts)
 *   npm run bench -- --search-works N     the full run with N works on PostgreSQL instead of 1,000,000
 *   npm run bench -- reports              only the annual report of a region and the republic, 750 schools (bench/reports.ts)
 *
 * Figures and the machine go to bench/results/<yyyy-mm-dd>-foundation.json and .md.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '../src/demo/random.js';
import { runCirculationBench } from './circulation.js';
import { runColdStart } from './cold-start.js';
import { runReclistBench } from './reclist.js';
import { runFundBooksBench } from './fund-books.js';
import { describeMachine } from './machine.js';
import { buildQueryMix } from './queries.js';
import { writeReport, type FoundationResults } from './report.js';
import { readMarker, runSearchBench, searchDataDir } from './search.js';
import { runMarcImportBench } from './marc-import.js';
import { runDurableCommitsBench } from './durable-commits.js';
import { runLongWorkBench } from './long-work.js';
import { deskCommand } from './desk.js';
import { postgresSearchCommand } from './search-postgres.js';
import { reportsCommand } from './reports.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface BenchOptions {
  quick: boolean;
  works: number;
  queries: number;
  passes: number;
  desks: number[];
  seconds: number;
  pairsPerDesk?: number;
  baselineSeconds: number;
  postgres: boolean;
  postgresUrl: string;
  cacheDir: string;
  outDir: string;
  coldStart: boolean;
}

export function parseArgs(argv: string[]): BenchOptions {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = flag('quick');
  const number = (name: string, full: number, small: number) => Number(value(name) ?? (quick ? small : full));
  return {
    quick,
    works: number('works', 100_000, 2_000),
    queries: number('queries', 200, 40),
    passes: number('passes', 2, 1),
    desks: (value('desks') ?? (quick ? '1,4' : '1,4,16')).split(',').map(Number),
    seconds: number('seconds', 10, 1),
    pairsPerDesk: value('pairs') ? Number(value('pairs')) : quick ? 5 : undefined,
    baselineSeconds: number('baseline-seconds', 2, 0.3),
    postgres: !flag('no-postgres'),
    postgresUrl: value('postgres-url') ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    cacheDir: path.resolve(value('cache') ?? path.join(here, '.cache')),
    outDir: path.resolve(value('out') ?? path.join(here, 'results')),
    coldStart: !flag('no-cold-start'),
  };
}

export async function runFoundationBench(options: BenchOptions, log: (line: string) => void = console.log): Promise<{ results: FoundationResults; files: string[] }> {
  const machine = await describeMachine(options.postgres ? options.postgresUrl : null);
  log(`Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, load ${machine.loadAverage.join(' ')}`);

  log(`Search: ${options.works} works on the embedded database`);
  const search = await runSearchBench(options, log);
  log(`  p50 ${search.latencyMs.p50} ms, p95 ${search.latencyMs.p95} ms (target ≤ ${search.targetP95Ms} ms)`);

  log(`Circulation over HTTP: ${options.desks.join(', ')} desk(s)`);
  const circulation = await runCirculationBench(
    {
      backends: options.postgres ? ['pglite', 'postgres'] : ['pglite'],
      desks: options.desks,
      seconds: options.seconds,
      pairsPerDesk: options.pairsPerDesk,
      baselineSeconds: options.baselineSeconds,
      postgresUrl: options.postgresUrl,
    },
    log,
  );

  let coldStart = null;
  if (options.coldStart) {
    log('Cold start of the server on the search benchmark’s data folder');
    // the same query mix as the search benchmark, sent over HTTP when the catalogue has a search route
    const dataDir = searchDataDir(options.cacheDir, options.works);
    const marker = readMarker(dataDir, options.works)!;
    coldStart = await runColdStart(dataDir, buildQueryMix(new Random(7), marker.sources, options.queries), log);
  }

  const results: FoundationResults = {
    kind: 'foundation',
    quick: options.quick,
    machine,
    search,
    circulation,
    coldStart,
    // other work on the machine slows every figure: the load during the run says how much
    loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
  const files = writeReport(results, options.outDir);
  log(`Written: ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
  return { results, files };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv[2] === 'desk') {
  await deskCommand(process.argv.slice(3));
} else if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv[2] === 'search') {
  await postgresSearchCommand(process.argv.slice(3));
} else if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv[2] === 'reports') {
  await reportsCommand(process.argv.slice(3));
} else if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = parseArgs(process.argv.slice(2));
  await runFoundationBench(options);
  if (options.postgres) {
    // The desk against pgbench's TPC-B on the same PostgreSQL server, and PGlite with durable commits.
    const args = process.argv.slice(2);
    await deskCommand(options.quick ? ['--quick', ...args] : args);
    // Search at national size on PostgreSQL: 1,000,000 works (--search-works N), built once and kept.
    const i = args.indexOf('--search-works');
    await postgresSearchCommand(['--works', i >= 0 ? args[i + 1]! : options.quick ? '20000' : '1000000', '--postgres-url', options.postgresUrl, '--out', options.outDir]);
  }
  // The recommended-list monitoring: region and republic level queries, PostgreSQL only.
  if (options.postgres) {
    const quick = options.quick ? { schools: 100, republicSchools: 120, copiesPerSchool: 500, repeats: 2, label: 'quick' } : {};
    await runReclistBench({ databaseUrl: options.postgresUrl, resultsDir: options.outDir, ...quick });
  }
  // The summary accounting book of one library: 100,000 copies and 10 years of receipts and write-offs.
  await runFundBooksBench({
    backends: options.postgres ? ['pglite', 'postgres'] : ['pglite'],
    resultsDir: options.outDir,
    ...(options.quick ? { copies: 5_000, repeats: 1 } : {}),
  });
  // Commits per second on the embedded database with and without the sync of each commit to the disk.
  await runDurableCommitsBench({ seconds: options.quick ? 1 : 5, outDir: options.outDir });
  // The desk's latency during a roster import and a backup; peak memory during a 100 MB upload.
  await runLongWorkBench({ rows: options.quick ? 500 : 5_000, outDir: options.outDir });
  // MARC import rate (records per second), 50,000 synthetic records on each database.
  await runMarcImportBench({
    records: options.quick ? 2_000 : 50_000,
    backends: options.postgres ? ['pglite', 'postgres'] : ['pglite'],
    outDir: options.outDir,
  });
}
