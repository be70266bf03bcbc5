/**
 * Benchmark (not a test): reading standings of a region on PostgreSQL.
 *
 *   npm run bench -- reading-standings [--scale 1] [--postgres-url postgres://…] [--keep] [--database NAME] [--explain] [--out DIR]
 *
 * Builds, in a new database on the server, a region of 700 schools (20 districts) with 250,000
 * pupils in classes 1–11 and 5,000,000 reading records of one school year (scale 1; --scale 0.1
 * builds a tenth of the pupils and records), then times what the region's methodologist asks for:
 * the class standings normalised per pupil over the whole region (goal ≤ 1 s), the same for a
 * calendar year, the share of pupils active, and one school's standings. The region's school-year
 * standings are checked against the same figures counted from the records themselves. `--keep`
 * leaves the database (its name is printed) and `--database NAME` times a kept one again without
 * building it; `--explain` prints the plan of the region's school-year standings.
 * Figures and the machine go to bench/results/reading-standings-<date>.json and .md.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { connectPostgres } from '../src/db/connect.js';
import type { Executor } from '../src/db/executor.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { subtreeIds } from '../src/org/organisations.js';
import { activeShare, classStandings, classStandingsSql, recountReaderYearBooks, type ClassStanding } from '../src/reading/standings.js';
import { describeMachine, type Machine } from './machine.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCHOOLS = 700;
const DISTRICTS = 20;
const LETTERS = ['А', 'Ә', 'Б', 'В'];
const GOAL_MS = 1000;
const SCHOOL_YEAR = { from: '2025-09-01', to: '2026-08-31' };
const CALENDAR_YEAR = { from: '2025-01-01', to: '2025-12-31' };

export interface StandingsBenchOptions {
  scale: number;
  postgresUrl: string;
  keep: boolean;
  /** A database kept by an earlier run (--keep), timed again without building it. */
  database?: string;
  explain: boolean;
  outDir: string;
}

export interface StandingsBenchResult {
  scale: number;
  database: string;
  schools: number;
  pupils: number;
  records: number;
  buildMs: number | null;
  regionClassStandingsSchoolYearMs: number[];
  regionClassStandingsSchoolYearMedianMs: number;
  regionClasses: number;
  /** The school-year standings equal the same figures counted from the records. */
  sameAsCountedFromRecords: boolean;
  referenceMs: number;
  regionClassStandingsCalendarYearMs: number[];
  regionClassStandingsCalendarYearMedianMs: number;
  regionActiveShareMs: number[];
  regionActiveShareMedianMs: number;
  oneSchoolStandingsMedianMs: number;
  goalMs: number;
  plan?: string;
}

const log = (text: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);

async function timed<T>(runs: number, work: () => Promise<T>): Promise<{ ms: number[]; median: number; result: T }> {
  const ms: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await work();
    ms.push(Math.round(performance.now() - t));
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return { ms, median: sorted[Math.floor(sorted.length / 2)]!, result };
}

/** A region of 700 schools with its pupils and a school year of reading records, as an import would load it. */
async function buildRegion(db: Executor, scale: number): Promise<void> {
  const pupils = Math.round(250_000 * scale);
  const records = Math.round(5_000_000 * scale);
  log(`building ${SCHOOLS} schools, ${pupils} pupils, ${records} records (scale ${scale})`);
  const started = performance.now();
  await sql`insert into org.organisations (id, parent_id, kind, name, path) values (1, null, 'republic', 'Республика', '/1/'), (2, 1, 'region', 'Облыс', '/1/2/')`.execute(db);
  await sql`insert into org.organisations (id, parent_id, kind, name, path)
    select 2 + d, 2, 'district', 'Аудан ' || d, '/1/2/' || (2 + d) || '/' from generate_series(1, ${sql.lit(DISTRICTS)}) d`.execute(db);
  await sql`insert into org.organisations (id, parent_id, kind, name, path)
    select 100 + s, 3 + (s % ${sql.lit(DISTRICTS)}), 'school', 'Мектеп № ' || s, '/1/2/' || (3 + (s % ${sql.lit(DISTRICTS)})) || '/' || (100 + s) || '/'
    from generate_series(1, ${sql.lit(SCHOOLS)}) s`.execute(db);
  await sql`select setval('org.organisations_id_seq', 10000)`.execute(db);
  // pupils spread over the schools: classes 1–11, parallels of about 16–28 pupils (А, Ә, …)
  const parallels = Math.max(1, Math.ceil(pupils / SCHOOLS / 11 / 28));
  await sql`insert into readers.readers (organisation_id, registration_number, barcode, kind, last_name, first_name, grade, class_letter)
    select 101 + (p % ${sql.lit(SCHOOLS)}), 'R' || p, 'B' || p, 'student', 'Оқушы', 'Бала ' || p,
           1 + ((p / ${sql.lit(SCHOOLS)}) % 11), (array[${sql.join(LETTERS.map((l) => sql`${l}`))}])[1 + ((p / (${sql.lit(SCHOOLS)} * 11)) % ${sql.lit(parallels)})]
    from generate_series(0, ${sql.lit(pupils - 1)}) p`.execute(db);
  log(`pupils in ${Math.round(performance.now() - started)} ms`);
  const { rows: bounds } = await sql<{ lo: number }>`select min(id)::int as lo from readers.readers`.execute(db);
  const lo = bounds[0]!.lo;
  // records: 20 per pupil on average, a pupil's n-th book is book n, one school year, 92% confirmed;
  // a bulk load, as an import would make it: the counting trigger off, one recount at the end
  await sql`alter table reading.records disable trigger records_count_confirmed`.execute(db);
  const batch = 500_000;
  for (let from = 0; from < records; from += batch) {
    const to = Math.min(records, from + batch) - 1;
    await sql`insert into reading.records (organisation_id, reader_id, title, book_key, source, read_on, school_year, status)
      select 101 + (rid % ${sql.lit(SCHOOLS)}), ${sql.lit(lo)} + rid, 'Кітап ' || n, 't:' || n, 'loan',
             date '2025-09-01' + ((r::bigint * 7919) % 270)::int, '2025-2026', case when r % 25 < 2 then 'pending' else 'confirmed' end
      from (select r, (r % ${sql.lit(pupils)}) as rid, (r / ${sql.lit(pupils)}) as n from generate_series(${sql.lit(from)}, ${sql.lit(to)}) r) g`.execute(db);
    log(`records ${to + 1}`);
  }
  await sql`alter table reading.records enable trigger records_count_confirmed`.execute(db);
  log(`counted ${await recountReaderYearBooks(db)} readers' years`);
  await sql`vacuum analyze`.execute(db);
}

/**
 * The region's class standings counted from the records themselves (distinct confirmed books per
 * reader in the period), the definition the kept counts must agree with.
 */
async function countedFromRecords(db: Executor, organisationIds: readonly number[], period: { from: string; to: string }) {
  const { rows } = await sql<{ organisation_id: number; grade: number; class_letter: string | null; pupils: number; books: number; readers: number }>`
    with b as (
      select rr.reader_id, count(distinct rr.book_key)::int as books from reading.records rr
      where rr.organisation_id = any(${[...organisationIds]}::bigint[]) and rr.status = 'confirmed' and rr.read_on between ${period.from} and ${period.to}
      group by rr.reader_id)
    select r.organisation_id, r.grade, r.class_letter, count(*)::int as pupils, coalesce(sum(b.books), 0)::int as books, count(b.reader_id)::int as readers
    from readers.readers r left join b on b.reader_id = r.id
    where r.organisation_id = any(${[...organisationIds]}::bigint[]) and r.kind = 'student' and r.status = 'active' and r.grade is not null
    group by 1, 2, 3`.execute(db);
  return rows;
}

function sameFigures(fast: ClassStanding[], counted: Awaited<ReturnType<typeof countedFromRecords>>): boolean {
  const key = (o: number, g: number, l: string | null) => `${o}|${g}|${l ?? ''}`;
  const expected = new Map(counted.map((r) => [key(r.organisation_id, r.grade, r.class_letter), `${r.pupils}/${r.books}/${r.readers}`]));
  return fast.length === expected.size && fast.every((c) => expected.get(key(c.organisationId, c.grade, c.classLetter)) === `${c.pupils}/${c.books}/${c.readers}`);
}

export async function runReadingStandingsBench(options: StandingsBenchOptions): Promise<StandingsBenchResult> {
  const name = options.database ?? `kt_bench_reading_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: options.postgresUrl });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  log(`database ${name}${exists ? ' (kept from an earlier run)' : ''}`);
  const url = new URL(options.postgresUrl);
  url.pathname = `/${name}`;
  const handle = await connectPostgres(url.toString(), 4);
  const db = handle.db;
  try {
    let buildMs: number | null = null;
    await migrateToLatest(db);
    if (!exists) {
      const started = performance.now();
      await buildRegion(db, options.scale);
      buildMs = Math.round(performance.now() - started);
      log(`built in ${buildMs} ms`);
    } else {
      await sql`analyze`.execute(db);
    }
    const region = await subtreeIds(db, 2);
    const plan = options.explain
      ? (await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) ${classStandingsSql(region, SCHOOL_YEAR)}`.execute(db)).rows.map((r) => r['QUERY PLAN']).join('\n')
      : undefined;
    if (plan) log(`plan of the region's school-year standings:\n${plan}`);
    const regionStandings = await timed(5, () => classStandings(db, region, SCHOOL_YEAR));
    const reference = await timed(1, () => countedFromRecords(db, region, SCHOOL_YEAR));
    const same = sameFigures(regionStandings.result, reference.result);
    log(`region, school year: median ${regionStandings.median} ms; the same as counted from the records: ${same}`);
    const regionYear = await timed(3, () => classStandings(db, region, CALENDAR_YEAR));
    const share = await timed(3, () => activeShare(db, region, SCHOOL_YEAR.from, SCHOOL_YEAR.to));
    const school = await timed(5, () => classStandings(db, [101], SCHOOL_YEAR));
    const counts = await sql<{ readers: number; records: number }>`select (select count(*) from readers.readers)::int as readers, (select count(*) from reading.records)::int as records`.execute(db);
    return {
      scale: options.scale,
      database: name,
      schools: SCHOOLS,
      pupils: counts.rows[0]!.readers,
      records: counts.rows[0]!.records,
      buildMs,
      regionClassStandingsSchoolYearMs: regionStandings.ms,
      regionClassStandingsSchoolYearMedianMs: regionStandings.median,
      regionClasses: regionStandings.result.length,
      sameAsCountedFromRecords: same,
      referenceMs: reference.median,
      regionClassStandingsCalendarYearMs: regionYear.ms,
      regionClassStandingsCalendarYearMedianMs: regionYear.median,
      regionActiveShareMs: share.ms,
      regionActiveShareMedianMs: share.median,
      oneSchoolStandingsMedianMs: school.median,
      goalMs: GOAL_MS,
      plan,
    };
  } finally {
    await handle.close();
    if (!options.keep) {
      const dropper = new pg.Client({ connectionString: options.postgresUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    }
  }
}

function markdown(machine: Machine, r: StandingsBenchResult, loadAtEnd: number[]): string {
  const met = r.regionClassStandingsSchoolYearMedianMs <= r.goalMs;
  return [
    `# Reading standings of a region on PostgreSQL — ${machine.date}`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB RAM, ${machine.os}, Node ${machine.node}, PostgreSQL ${machine.postgresVersion}. ` +
      `Load average ${machine.loadAverage.join(' / ')} at the start, ${loadAtEnd.join(' / ')} at the end (other work shared the machine).`,
    '',
    `${r.schools} schools, ${r.pupils.toLocaleString('en')} pupils, ${r.records.toLocaleString('en')} reading records (scale ${r.scale})` +
      `${r.buildMs === null ? ', a database kept from an earlier run' : `, built in ${Math.round(r.buildMs / 1000)} s`}.`,
    '',
    '| query | runs, ms | median ms |',
    '|---|---|---|',
    `| region class standings, school year (goal ≤ ${r.goalMs} ms: ${met ? 'met' : '**not met**'}) | ${r.regionClassStandingsSchoolYearMs.join(', ')} | ${r.regionClassStandingsSchoolYearMedianMs} |`,
    `| the same counted from the records (the check) | ${r.referenceMs} | ${r.referenceMs} |`,
    `| region class standings, calendar year | ${r.regionClassStandingsCalendarYearMs.join(', ')} | ${r.regionClassStandingsCalendarYearMedianMs} |`,
    `| region share of pupils active, school year | ${r.regionActiveShareMs.join(', ')} | ${r.regionActiveShareMedianMs} |`,
    `| one school's class standings, school year | | ${r.oneSchoolStandingsMedianMs} |`,
    '',
    `${r.regionClasses.toLocaleString('en')} classes ranked; the figures ${r.sameAsCountedFromRecords ? 'are the same as' : '**differ from**'} those counted from the records.`,
    ...(r.plan ? ['', 'Plan of the region’s school-year standings:', '', '```', r.plan, '```'] : []),
  ].join('\n') + '\n';
}

export function parseStandingsArgs(argv: string[]): StandingsBenchOptions {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    scale: Number(value('scale') ?? '1'),
    postgresUrl: value('postgres-url') ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    keep: argv.includes('--keep') || value('database') !== undefined,
    database: value('database'),
    explain: argv.includes('--explain'),
    outDir: path.resolve(value('out') ?? path.join(here, 'results')),
  };
}

/** `npm run bench -- reading-standings …`: the figures as JSON, and the result files. */
export async function readingStandingsCommand(argv: string[]): Promise<StandingsBenchResult> {
  const options = parseStandingsArgs(argv);
  const machine = await describeMachine(options.postgresUrl);
  log(`Machine: ${machine.cpuModel}, ${machine.cores} cores, PostgreSQL ${machine.postgresVersion}, load ${machine.loadAverage.join(' ')}`);
  const result = await runReadingStandingsBench(options);
  const loadAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
  fs.mkdirSync(options.outDir, { recursive: true });
  const base = path.join(options.outDir, `reading-standings-${machine.date.slice(0, 16).replace(/[:T]/g, '-')}`);
  fs.writeFileSync(`${base}.json`, JSON.stringify({ kind: 'reading-standings', machine, result, loadAverageAtEnd: loadAtEnd }, null, 2) + '\n');
  fs.writeFileSync(`${base}.md`, markdown(machine, result, loadAtEnd));
  const { plan: _plan, ...shown } = result;
  console.log(JSON.stringify(shown, null, 2));
  log(`Written: ${path.relative(process.cwd(), base)}.json and .md${options.keep ? `; the database ${result.database} is kept` : ''}`);
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await readingStandingsCommand(process.argv.slice(2));
}
