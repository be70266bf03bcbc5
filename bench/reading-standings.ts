/**
 * Benchmark (not a test): reading standings of a region on PostgreSQL.
 *
 *   npx tsx bench/reading-standings.ts [--scale 1] [--postgres-url postgres://…] [--keep]
 *
 * Builds, in a new database on the server, a region of 700 schools (20 districts) with 250,000
 * pupils in classes 1–11 and 5,000,000 reading records of one school year (scale 1; --scale 0.1
 * builds a tenth of the pupils and records), then times what the region's methodologist asks for:
 * the class standings normalised per pupil over the whole region (goal ≤ 1 s), the share of pupils
 * active, and one school's standings. Prints the figures as JSON; drops the database unless --keep.
 */
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { connectPostgres } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { subtreeIds } from '../src/org/organisations.js';
import { activeShare, classStandings, recountReaderYearBooks } from '../src/reading/standings.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const scale = Number(arg('scale') ?? '1');
const serverUrl = arg('postgres-url') ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHOOLS = 700;
const DISTRICTS = 20;
const PUPILS = Math.round(250_000 * scale);
const RECORDS = Math.round(5_000_000 * scale);
const LETTERS = ['А', 'Ә', 'Б', 'В'];

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

async function main() {
  const name = `kt_bench_reading_${crypto.randomBytes(4).toString('hex')}`;
  log(`database ${name}`);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await connectPostgres(url.toString(), 4);
  const db = handle.db;
  try {
    await migrateToLatest(db);
    const started = performance.now();
    log(`building ${SCHOOLS} schools, ${PUPILS} pupils, ${RECORDS} records (scale ${scale})`);
    await sql`insert into org.organisations (id, parent_id, kind, name, path) values (1, null, 'republic', 'Республика', '/1/'), (2, 1, 'region', 'Облыс', '/1/2/')`.execute(db);
    await sql`insert into org.organisations (id, parent_id, kind, name, path)
      select 2 + d, 2, 'district', 'Аудан ' || d, '/1/2/' || (2 + d) || '/' from generate_series(1, ${sql.lit(DISTRICTS)}) d`.execute(db);
    await sql`insert into org.organisations (id, parent_id, kind, name, path)
      select 100 + s, 3 + (s % ${sql.lit(DISTRICTS)}), 'school', 'Мектеп № ' || s, '/1/2/' || (3 + (s % ${sql.lit(DISTRICTS)})) || '/' || (100 + s) || '/'
      from generate_series(1, ${sql.lit(SCHOOLS)}) s`.execute(db);
    await sql`select setval('org.organisations_id_seq', 10000)`.execute(db);
    // pupils spread over the schools: classes 1–11, parallels of about 16–28 pupils (А, Ә, …)
    const parallels = Math.max(1, Math.ceil(PUPILS / SCHOOLS / 11 / 28));
    await sql`insert into readers.readers (organisation_id, registration_number, barcode, kind, last_name, first_name, grade, class_letter)
      select 101 + (p % ${sql.lit(SCHOOLS)}), 'R' || p, 'B' || p, 'student', 'Оқушы', 'Бала ' || p,
             1 + ((p / ${sql.lit(SCHOOLS)}) % 11), (array[${sql.join(LETTERS.map((l) => sql`${l}`))}])[1 + ((p / (${sql.lit(SCHOOLS)} * 11)) % ${sql.lit(parallels)})]
      from generate_series(0, ${sql.lit(PUPILS - 1)}) p`.execute(db);
    log(`pupils in ${Math.round(performance.now() - started)} ms`);
    const { rows: bounds } = await sql<{ lo: number; hi: number }>`select min(id)::int as lo, max(id)::int as hi from readers.readers`.execute(db);
    const lo = bounds[0]!.lo;
    // records: 20 per pupil on average, a pupil's n-th book is book n, one school year, 92% confirmed
    // a bulk load, as an import would make it: the counting trigger off, one recount at the end
    await sql`alter table reading.records disable trigger records_count_confirmed`.execute(db);
    const batch = 500_000;
    for (let from = 0; from < RECORDS; from += batch) {
      const to = Math.min(RECORDS, from + batch) - 1;
      await sql`insert into reading.records (organisation_id, reader_id, title, book_key, source, read_on, school_year, status)
        select 101 + (rid % ${sql.lit(SCHOOLS)}), ${sql.lit(lo)} + rid, 'Кітап ' || n, 't:' || n, 'loan',
               date '2025-09-01' + ((r::bigint * 7919) % 270)::int, '2025-2026', case when r % 25 < 2 then 'pending' else 'confirmed' end
        from (select r, (r % ${sql.lit(PUPILS)}) as rid, (r / ${sql.lit(PUPILS)}) as n from generate_series(${sql.lit(from)}, ${sql.lit(to)}) r) g`.execute(db);
      log(`records ${to + 1}`);
    }
    await sql`alter table reading.records enable trigger records_count_confirmed`.execute(db);
    log(`counted ${await recountReaderYearBooks(db)} readers' years`);
    await sql`analyze`.execute(db);
    const buildMs = Math.round(performance.now() - started);
    log(`built in ${buildMs} ms`);

    const region = await subtreeIds(db, 2);
    const period = { from: '2025-09-01', to: '2026-08-31' };
    const regionStandings = await timed(5, () => classStandings(db, region, period));
    const regionYear = await timed(3, () => classStandings(db, region, { from: '2025-01-01', to: '2025-12-31' }));
    const share = await timed(3, () => activeShare(db, region, period.from, period.to));
    const school = await timed(5, () => classStandings(db, [101], period));
    const counts = await sql<{ readers: number; records: number }>`select (select count(*) from readers.readers)::int as readers, (select count(*) from reading.records)::int as records`.execute(db);
    const out = {
      scale,
      schools: SCHOOLS,
      pupils: counts.rows[0]!.readers,
      records: counts.rows[0]!.records,
      buildMs,
      regionClassStandingsSchoolYearMs: regionStandings.ms,
      regionClassStandingsSchoolYearMedianMs: regionStandings.median,
      regionClasses: regionStandings.result.length,
      regionClassStandingsCalendarYearMedianMs: regionYear.median,
      regionActiveShareMedianMs: share.median,
      oneSchoolStandingsMedianMs: school.median,
      goalMs: 1000,
    };
    console.log(JSON.stringify(out, null, 2));
  } finally {
    await handle.close();
    if (!process.argv.includes('--keep')) {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
