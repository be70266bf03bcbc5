/**
 * Benchmark of the recommended-list monitoring on PostgreSQL.
 *
 *   npx tsx bench/reclist.ts                      defaults sized for a small machine (a few minutes at most)
 *   npx tsx bench/reclist.ts --full               full republic (7,500 schools), a district's schools × 57,000 copies
 *   npx tsx bench/reclist.ts --schools 700 --republic-schools 750 --copies-per-school 5000
 *
 * It measures the level queries a methodologist runs (summary and ranked schools) over the
 * per-school statistics table for a region of 700 schools and for a tenth of the republic
 * (17 regions, 750 schools), and the copy-level path (recomputing one district's schools from
 * their copies, one school's live coverage) at a smaller size. Figures and the machine go to
 * bench/results/reclist-<date>.json and .md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import crypto from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import type { Actor } from '../src/auth/actor.js';
import { connectPostgres, type DatabaseHandle } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { libraryCoverage } from '../src/reclist/coverage.js';
import { levelSummary, rankedSchools, refreshLevel } from '../src/reclist/monitoring.js';
import { describeMachine, type Machine } from './machine.js';
import { generateCopies, generateList, generateSchoolStats, generateTree } from './reclist-generate.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface ReclistBenchOptions {
  databaseUrl?: string;
  /** Schools of the synthetic region. */
  schools?: number;
  /** Schools of the tenth of a republic (the whole republic has about 7,500). */
  republicSchools?: number;
  regions?: number;
  /** Copies of each school of one district, generated for the copy-level path. */
  copiesPerSchool?: number;
  repeats?: number;
  /** Where to write the results; none when null. */
  resultsDir?: string | null;
  /** Added to the result file names, e.g. 'full'. */
  label?: string;
  log?: (line: string) => void;
}

interface Timing {
  name: string;
  level: string;
  rows: number;
  runs: number;
  firstMs: number;
  medianMs: number;
  maxMs: number;
}

const ADMIN: Actor = {
  userId: 0,
  login: 'bench',
  fullName: 'bench',
  role: 'admin',
  organisationId: 0,
  orgPath: '/',
  classGrade: null,
  classLetter: null,
  readerId: null,
  locale: 'kk',
};

async function time<T>(name: string, level: string, rows: number, repeats: number, fn: () => Promise<T>): Promise<Timing> {
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    await fn();
    runs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    name,
    level,
    rows,
    runs: repeats,
    firstMs: round(runs[0]!),
    medianMs: round(sorted[Math.floor(sorted.length / 2)]!),
    maxMs: round(sorted[sorted.length - 1]!),
  };
}

/** A scratch database on the PostgreSQL server, dropped afterwards. */
async function scratchDatabase(url: string): Promise<DatabaseHandle> {
  const name = `kt_bench_reclist_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const handle = await connectPostgres(target.toString(), 4);
  await migrateToLatest(handle.db);
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

export async function runReclistBench(options: ReclistBenchOptions = {}): Promise<BenchResult> {
  const url = options.databaseUrl ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const o = {
    schools: options.schools ?? 700,
    republicSchools: options.republicSchools ?? 750,
    regions: options.regions ?? 17,
    copiesPerSchool: options.copiesPerSchool ?? 5000,
    repeats: options.repeats ?? 5,
  };
  const log = options.log ?? ((line: string) => console.log(line));
  const period = new Date().getFullYear();
  const generation: Record<string, number> = {};
  const timings: Timing[] = [];

  // 1. One region of many schools, aggregate level.
  {
    const database = await scratchDatabase(url);
    try {
      const db = database.db;
      let t = Date.now();
      const tree = await generateTree(db, { regions: 1, districtsPerRegion: Math.max(1, Math.round(o.schools / 40)), schools: o.schools });
      const versionId = await generateList(db, period);
      await generateSchoolStats(db, tree.republicPath, period, period);
      await sql`analyze`.execute(db);
      generation.regionAggregateSeconds = (Date.now() - t) / 1000;
      const region = tree.regions[0]!;
      const district = tree.districts[0]!;
      const fundCopies = await db.selectFrom('reclist.school_stats').select((eb) => eb.fn.sum<number>('copies_total').as('n')).executeTakeFirstOrThrow();
      generation.regionFundCopies = Number(fundCopies.n);
      log(`region: ${o.schools} schools, ${Number(fundCopies.n).toLocaleString('en')} copies in their statistics (${generation.regionAggregateSeconds}s to generate)`);
      timings.push(await time('level summary', 'region', o.schools, o.repeats, () => levelSummary(db, ADMIN, region.id, period)));
      timings.push(await time('schools ranked, first 50', 'region', o.schools, o.repeats, () => rankedSchools(db, ADMIN, region.id, { limit: 50, offset: 0, period })));
      timings.push(await time('level summary', 'district', Math.round(o.schools / tree.districts.length), o.repeats, () => levelSummary(db, ADMIN, district.id, period)));

      // 2. The copy level for one district of this region: its schools' own copies replace their rows.
      t = Date.now();
      const schoolIds = (await db.selectFrom('org.organisations').select('id').where('parent_id', '=', district.id).orderBy('id').execute()).map((r) => r.id);
      const made = await generateCopies(db, schoolIds, { versionId, copiesPerSchool: o.copiesPerSchool, otherWorks: 20000, studentsPerSchool: 400 });
      generation.copyLevelSeconds = (Date.now() - t) / 1000;
      generation.copyLevelCopies = made.copies;
      generation.copyLevelSchools = made.schools;
      log(`copy level: ${made.schools} schools, ${made.copies.toLocaleString('en')} copies (${generation.copyLevelSeconds}s to generate)`);
      const refresh = await time('recompute schools from copies', 'district, copy level', made.schools, Math.min(3, o.repeats), () =>
        refreshLevel(db, null, district, { period }),
      );
      timings.push(refresh);
      timings.push(
        await time('one school coverage, live (1,770 titles)', 'school, copy level', 1, o.repeats, () =>
          libraryCoverage(db, ADMIN, { organisationId: schoolIds[0]! }),
        ),
      );
      generation.copiesPerSecondRecomputed = Math.round(made.copies / (refresh.medianMs / 1000));
    } finally {
      await database.close();
    }
  }

  // 3. A tenth of the republic: 17 regions, about 200 districts' share of schools.
  {
    const database = await scratchDatabase(url);
    try {
      const db = database.db;
      const t = Date.now();
      const tree = await generateTree(db, { regions: o.regions, districtsPerRegion: Math.max(1, Math.round(o.republicSchools / o.regions / 40)), schools: o.republicSchools });
      await generateList(db, period);
      await generateSchoolStats(db, tree.republicPath, period, period);
      await sql`analyze`.execute(db);
      generation.republicAggregateSeconds = (Date.now() - t) / 1000;
      log(`republic: ${o.regions} regions, ${o.republicSchools} schools (${generation.republicAggregateSeconds}s to generate)`);
      timings.push(await time('level summary', 'republic', o.republicSchools, o.repeats, () => levelSummary(db, ADMIN, tree.republicId, period)));
      timings.push(
        await time('schools ranked, first 50', 'republic', o.republicSchools, o.repeats, () => rankedSchools(db, ADMIN, tree.republicId, { limit: 50, offset: 0, period })),
      );
      const region = tree.regions[0]!;
      timings.push(await time('level summary', 'region of the republic', Math.round(o.republicSchools / o.regions), o.repeats, () => levelSummary(db, ADMIN, region.id, period)));
    } finally {
      await database.close();
    }
  }

  const machine = await describeMachine(url);
  const regionSummary = timings.find((x) => x.name === 'level summary' && x.level === 'region')!;
  const republicSummary = timings.find((x) => x.name === 'level summary' && x.level === 'republic')!;
  const scaling = {
    schoolsRatio: Math.round((o.republicSchools / o.schools) * 100) / 100,
    summaryTimeRatio: Math.round((republicSummary.medianMs / regionSummary.medianMs) * 100) / 100,
  };
  const result: BenchResult = { date: new Date().toISOString(), machine, options: o, generation, timings, scaling };
  for (const x of timings) log(`${x.level.padEnd(24)} ${x.name.padEnd(42)} rows ${String(x.rows).padStart(6)}  median ${x.medianMs} ms  (first ${x.firstMs}, max ${x.maxMs})`);
  if (options.resultsDir !== null) writeResults(options.resultsDir ?? path.join(here, 'results'), result, options.label);
  return result;
}

export interface BenchResult {
  date: string;
  machine: Machine;
  options: Record<string, number>;
  generation: Record<string, number>;
  timings: Timing[];
  scaling: Record<string, number>;
}

export function writeResults(dir: string, r: BenchResult, label?: string) {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = r.date.slice(0, 10) + (label ? `-${label}` : '');
  fs.writeFileSync(path.join(dir, `reclist-${stamp}.json`), JSON.stringify(r, null, 2) + '\n');
  const lines = [
    `# Recommended-list monitoring benchmark, ${r.date}`,
    '',
    `Machine: ${r.machine.cpuModel}, ${r.machine.cores} cores, ${r.machine.memoryGb} GB, ${r.machine.os}, Node ${r.machine.node}, PostgreSQL ${r.machine.postgresVersion};` +
      ` load average at the start ${r.machine.loadAverage.join(' ')} (the machine is shared, so the figures carry that noise).`,
    '',
    `Sizes: a region of ${r.options.schools} schools; a republic sample of ${r.options.republicSchools} schools in ${r.options.regions} regions` +
      ` (the whole republic has about 7,500);` +
      ` copy level ${r.generation.copyLevelSchools} schools × ${r.options.copiesPerSchool} copies (${r.generation.copyLevelCopies} copies).`,
    '',
    '| level | query | rows (schools) | median ms | first ms | max ms |',
    '|---|---|---:|---:|---:|---:|',
    ...r.timings.map((x) => `| ${x.level} | ${x.name} | ${x.rows} | ${x.medianMs} | ${x.firstMs} | ${x.maxMs} |`),
    '',
    `Scaling: ${r.scaling.schoolsRatio}× the schools took ${r.scaling.summaryTimeRatio}× the time for the level summary.`,
    `Recomputing from copies ran at ${r.generation.copiesPerSecondRecomputed} copies/s; the region's statistics describe ${r.generation.regionFundCopies} copies.`,
    '',
    `Generation: region ${r.generation.regionAggregateSeconds}s, copy level ${r.generation.copyLevelSeconds}s, republic ${r.generation.republicAggregateSeconds}s.`,
    '',
  ];
  fs.writeFileSync(path.join(dir, `reclist-${stamp}.md`), lines.join('\n'));
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const full = process.argv.includes('--full');
  const num = (name: string, fallback: number) => (flag(name) ? Number(flag(name)) : fallback);
  runReclistBench({
    schools: num('schools', 700),
    republicSchools: num('republic-schools', full ? 7500 : 750),
    copiesPerSchool: num('copies-per-school', full ? 57000 : 5000),
    repeats: num('repeats', 5),
    label: full ? 'full' : undefined,
  }).catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
