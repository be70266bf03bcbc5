/**
 * The annual report at scale, on PostgreSQL: a region of 700 schools (goal ≤ 1 s) and the republic at 10%
 * scale — 750 schools, 13 M copies, a year of loans (goal ≤ 2 s). A benchmark, not a test.
 *
 *   npx tsx bench/reports.ts                                  the targets (generation takes long)
 *   npx tsx bench/reports.ts --scale 0.05                     5% of the per-school volumes, same school counts
 *   npx tsx bench/reports.ts --copies 17333 --loans 30000 --readers 700 --visits 12000 --repeats 5
 *
 * Writes bench/results/<yyyy-mm-dd>-reports.json and prints a summary.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sql } from 'kysely';
import { connectPostgres, type DatabaseHandle } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { buildReport, computeLive, type OrgNode } from '../src/reports/annual.js';
import { periodOf, previousPeriod } from '../src/reports/period.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const scale = arg('scale', 1);
const o = {
  regionSchools: arg('region-schools', 700),
  republicSchools: arg('republic-schools', 750),
  /** 13 M copies over 750 schools. */
  copies: Math.round(arg('copies', 17333) * scale),
  /** Seed 003's school lends about 30,000 a year (textbooks included) to its 1,390 readers. */
  loans: Math.round(arg('loans', 30000) * scale),
  readers: Math.round(arg('readers', 700) * Math.min(1, scale * 4)),
  visits: Math.round(arg('visits', 12000) * scale),
  repeats: arg('repeats', 5),
};

async function scratch(url: string): Promise<DatabaseHandle> {
  const name = `kt_bench_reports_${crypto.randomBytes(4).toString('hex')}`;
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

async function main() {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const database = await scratch(url);
  const db = database.db;
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  try {
    // The republic, two regions: the big one holds the region's 700 schools in 20 districts.
    const org = async (parent: number | null, parentPath: string, kind: string, name: string) => {
      const row = await sql<{ id: number }>`insert into org.organisations (parent_id, kind, name, path) values (${parent}, ${kind}, ${name}, '') returning id`.execute(db);
      const id = Number(row.rows[0]!.id);
      await sql`update org.organisations set path = ${`${parentPath}${id}/`} where id = ${id}`.execute(db);
      return { id, path: `${parentPath}${id}/` };
    };
    const republic = await org(null, '/', 'republic', 'Республика');
    const region = await org(republic.id, republic.path, 'region', 'Облыс 1');
    const region2 = await org(republic.id, republic.path, 'region', 'Облыс 2');
    for (const [reg, count, districts] of [[region, o.regionSchools, 20], [region2, o.republicSchools - o.regionSchools, 2]] as const) {
      for (let d = 0; d < districts; d++) {
        const district = await org(reg.id, reg.path, 'district', `Аудан ${reg.id}-${d}`);
        const n = Math.floor(count / districts) + (d < count % districts ? 1 : 0);
        await sql`insert into org.organisations (parent_id, kind, name, path)
            select ${district.id}, 'school', 'Мектеп ' || ${district.id} || '-' || i, '' from generate_series(1, ${n}) i`.execute(db);
        // A statement does not see the rows its own insert made: the paths are set by a second one.
        await sql`update org.organisations set path = ${district.path} || id || '/' where parent_id = ${district.id}`.execute(db);
      }
    }
    const schools = (await sql<{ id: number }>`select id from org.organisations where kind = 'school' order by id`.execute(db)).rows.map((r) => Number(r.id));
    console.log(`organisations: ${schools.length} schools`);
    const works: number[] = [];
    for (const [g, lang] of [['fiction', 'kaz'], ['fiction', 'rus'], ['socio_political', 'kaz'], ['natural_sciences', 'rus'], ['sport_arts', 'kaz'], ['linguistics_literature', 'rus']]) {
      const w = await sql<{ id: number }>`insert into catalog.works (title, language, knowledge_group, age_rating) values (${g + ' ' + lang}, ${lang}, ${g}, '12+') returning id`.execute(db);
      works.push(Number(w.rows[0]!.id));
    }
    const step = async (label: string, work: () => Promise<unknown>) => {
      const s = Date.now();
      await work();
      timings[label] = Date.now() - s;
      console.log(`${label}: ${((Date.now() - s) / 1000).toFixed(1)} s`);
    };
    // Generated school by school in slices, so that no statement holds millions of rows in memory at once.
    const slices = Array.from({ length: Math.ceil(schools.length / 25) }, (_, i) => schools.slice(i * 25, i * 25 + 25));
    await step(`copies (${o.copies} per school)`, async () => {
      for (const slice of slices) {
        await sql`insert into fund.copies (organisation_id, work_id, inventory_number, barcode, price_tiyn, acquired_on, fund)
          select s, (array[${sql.join(works)}]::bigint[])[1 + i % 6], i::text, i::text, 100000, date '2015-01-01' + (i % 3000),
                 case when i % 3 = 0 then 'textbook' else 'main' end
            from unnest(array[${sql.join(slice)}]::bigint[]) s, generate_series(1, ${o.copies}) i`.execute(db);
      }
    });
    await step(`readers (${o.readers} per school) and their registrations`, async () => {
      for (const slice of slices) {
        await sql`insert into readers.readers (organisation_id, registration_number, barcode, kind, last_name, first_name, grade)
          select s, i::text, i::text, 'student', 'Оқырман', 'Бала', 1 + i % 11
            from unnest(array[${sql.join(slice)}]::bigint[]) s, generate_series(1, ${o.readers}) i`.execute(db);
      }
      await sql`insert into readers.registrations (organisation_id, reader_id, cycle, registered_on, reader_group, how)
        select organisation_id, id, '2025', date '2025-01-10', case when grade <= 4 then 'grades_1_4' when grade <= 9 then 'grades_5_9' else 'grades_10_11' end, 'visit'
          from readers.readers`.execute(db);
    });
    await step(`visits (${o.visits} per school) and loans (${o.loans} per school)`, async () => {
      for (const slice of slices) {
        await sql`insert into circulation.visits (organisation_id, reader_id, visited_on)
          select r.organisation_id, r.id, date '2025-01-01' + d
            from readers.readers r, generate_series(0, ${Math.max(1, Math.ceil(o.visits / Math.max(1, o.readers))) - 1}) d
           where r.organisation_id in (${sql.join(slice)})`.execute(db);
        await sql`with c as (select id, organisation_id, row_number() over (partition by organisation_id order by id) as k from fund.copies where organisation_id in (${sql.join(slice)})),
                       r as (select id, organisation_id, row_number() over (partition by organisation_id order by id) as k from readers.readers where organisation_id in (${sql.join(slice)}))
          insert into circulation.loans (organisation_id, copy_id, reader_id, issued_at, due_on, returned_at)
          select c.organisation_id, c.id, r.id, timestamptz '2025-01-05 10:00+05' + (g % 360) * interval '1 day', date '2025-01-20' + (g % 360),
                 timestamptz '2025-01-12 10:00+05' + (g % 360) * interval '1 day'
            from unnest(array[${sql.join(slice)}]::bigint[]) s cross join generate_series(0, ${o.loans - 1}) g
            join c on c.organisation_id = s and c.k = 1 + g % ${o.copies}
            join r on r.organisation_id = s and r.k = 1 + g % ${Math.max(1, o.readers)}`.execute(db);
      }
      await sql`analyze`.execute(db);
    });
    const period = periodOf({ year: 2025 });
    const node = async (id: number): Promise<OrgNode> => {
      const r = (await sql<{ id: number; name: string; kind: OrgNode['kind']; path: string; parent_id: number | null }>`select id, name, kind, path, parent_id from org.organisations where id = ${id}`.execute(db)).rows[0]!;
      return { id: Number(r.id), name: r.name, kind: r.kind, path: r.path, parentId: r.parent_id };
    };
    const results: Record<string, { medianMs: number; maxMs: number; libraries: number; loans: number }> = {};
    const measure = async (state: string) => {
    for (const [name, id] of [[`region (${o.regionSchools} schools)`, region.id], [`republic (${o.republicSchools} schools)`, republic.id]] as const) {
      const label = `${name}, ${state}`;
      const root = await node(id);
      const runs: number[] = [];
      let last = null as Awaited<ReturnType<typeof buildReport>> | null;
      for (let i = 0; i < o.repeats; i++) {
        const s = performance.now();
        last = await buildReport(db, root, period);
        runs.push(performance.now() - s);
      }
      runs.sort((a, b) => a - b);
      results[label] = { medianMs: Math.round(runs[Math.floor(runs.length / 2)]!), maxMs: Math.round(runs[runs.length - 1]!), libraries: last!.libraries, loans: last!.indicators.loans };
      console.log(`${label}: median ${results[label]!.medianMs} ms, max ${results[label]!.maxMs} ms (${last!.libraries} libraries, ${last!.indicators.loans} loans, fund ${last!.indicators.fund})`);
    }
    };
    // A year still open everywhere: every figure counted live from the records.
    await measure('counted live');
    // The usual state of a past year: every library has closed it (and the year before), so the area reads kept sums.
    await step('closing both years for every school', async () => {
      for (const p of [period, previousPeriod(period)]) {
        for (let i = 0; i < schools.length; i += 100) {
          const slice = schools.slice(i, i + 100);
          const live = await computeLive(db, slice, p);
          await db
            .insertInto('reports.closed_periods')
            .values(slice.map((id) => ({ organisation_id: id, period: p.key, origin: 'local' as const, figures: JSON.stringify(live.get(id)), closed_by: null })))
            .execute();
        }
      }
    });
    await measure('closed');
    const out = path.join(here, 'results', `${new Date().toISOString().slice(0, 10)}-reports.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ options: o, scale, generationMs: timings, totalMs: Date.now() - t0, results }, null, 2));
    console.log(`written ${path.relative(process.cwd(), out)}`);
  } finally {
    await database.close();
  }
}

await main();
