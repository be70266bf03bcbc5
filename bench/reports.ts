/**
 * The annual report of a region and of the republic at 10% of the country, on the PostgreSQL server.
 *
 *   npm run bench -- reports                       750 schools (one region of 700), 13 M copies, two years of work
 *   npm run bench -- reports --scale 0.05          5% of each school's volumes (a quick look; its own database)
 *   npm run bench -- reports --repeats 5 --rebuild --postgres-url URL --out DIR
 *
 * The data is generated once with set-based SQL into kitaphana_bench_report_<schools>[_s<scale%>] and kept
 * (a later run reuses it; a new generator version or --rebuild makes it again). It then times the report of
 * 2025 for the region of 700 schools (goal ≤ 1 s) and the republic (goal ≤ 2 s) in the states a year's
 * report goes through: nothing closed, last year closed and this one open (January), half the schools
 * closed, every school closed. Each state also checks that the report's figures equal those of the
 * first state (counted from the records): what a school keeps when it closes is what the records say.
 * Figures, row counts and the machine go to bench/results/reports-<schools>-<date>-<hhmm>.json and .md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { connectPostgres, type DatabaseHandle } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { recountReaderYearBooks } from '../src/reading/standings.js';
import { buildReport, libraryLive, type AnnualReport, type OrgNode } from '../src/reports/annual.js';
import { periodOf, type ReportPeriod } from '../src/reports/period.js';
import { describeMachine, type Machine } from './machine.js';
import { summarise, type LatencySummary } from './stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const GENERATOR_VERSION = 1;
/** Tables whose plain secondary indexes are dropped for the load and built once after it. */
const LOADED_TABLES = [
  'fund.receipts',
  'fund.receipt_lines',
  'fund.copies',
  'fund.write_off_acts',
  'fund.write_off_lines',
  'textbooks.batches',
  'textbooks.issues',
  'readers.readers',
  'readers.registrations',
  'circulation.visits',
  'circulation.loans',
  'circulation.reading_room_uses',
  'circulation.contacts',
  'reading.records',
  'events.events',
  'reference.requests',
];

export interface ReportBenchOptions {
  schools: number;
  regionSchools: number;
  /** Each school's volumes (readers, copies, loans, visits …) times this; 1 is the 10%-of-the-country target. */
  scale: number;
  repeats: number;
  postgresUrl: string;
  rebuild: boolean;
  outDir: string;
}

export function parseReportArgs(argv: string[]): ReportBenchOptions {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    schools: Number(value('schools') ?? 750),
    regionSchools: Number(value('region-schools') ?? 700),
    scale: Number(value('scale') ?? 1),
    repeats: Number(value('repeats') ?? 5),
    postgresUrl: value('postgres-url') ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    rebuild: argv.includes('--rebuild'),
    outDir: path.resolve(value('out') ?? path.join(here, 'results')),
  };
}

const databaseName = (o: ReportBenchOptions) =>
  `kitaphana_bench_report_${o.schools}${o.scale === 1 ? '' : `_s${String(Math.round(o.scale * 1000) / 10).replace('.', '_')}`}`;

interface Marker {
  version: number;
  schools: number;
  regionSchools: number;
  scale: number;
  republicId: number;
  regionId: number;
  generationSeconds: number;
  steps: Record<string, number>;
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Per school (an average one: the sizes spread from a quarter to 1.75 times it): 700 readers (90% pupils,
 * 7% teachers, parents and others), 6,933 copies of the main fund booked on receipt lines (three quarters
 * on the opening balance of 2021, the rest bought over four years, 3% a year written off) plus 3% entered
 * before accounting began, and 10,400 textbooks held by count (batches received each August, written off
 * each June): 17,333 copies, 13 M over 750 schools. Each of 2024 and 2025 has its reader registrations,
 * ~9 visit-days per reader (one in seven to the reading room, 40% of readers regular), ~6 home loans per
 * reader, a set of 10 textbooks issued to every pupil in September, reading-room use, event attendance and
 * remote contacts, events and exhibitions, reference requests and reading records.
 */
function generationSteps(o: ReportBenchOptions, regionId: number): [string, string][] {
  const s = o.scale;
  const mainWorks = Math.max(2000, Math.round(40_000 * Math.min(1, s * 2)));
  const tbWorks = 1200;
  const u = (x: string) => `public.bench_u(${x})`;
  const schoolSlices = 6;
  const perSlice = (statement: (slice: string) => string) =>
    Array.from({ length: schoolSlices }, (_, i) => statement(`s.k % ${schoolSlices} = ${i}`)).join(';\n');
  return [
    [
      'schools',
      `create table public.bench_schools as
         select id, k, 0.25 + 1.5 * ${u('k')} as sz from (select id, row_number() over (order by id) as k from org.organisations where kind = 'school') x;
       alter table public.bench_schools add column readers int, add column main int, add column tb int;
       update public.bench_schools set readers = greatest(20, round(700 * sz * ${Math.min(1, s * 4)})),
                                       main = greatest(50, round(6933 * sz * ${s})), tb = greatest(40, round(10400 * sz * ${s}));
       alter table public.bench_schools add primary key (id)`,
    ],
    [
      'works',
      `insert into catalog.works (title, language, knowledge_group, age_rating, publication_type, search_key, title_key, sort_key)
         select 'Кітап ' || i, case when ${u('i')} < 0.55 then 'kaz' when ${u('i')} < 0.95 then 'rus' else 'eng' end,
                (array['fiction','fiction','fiction','fiction','linguistics_literature','linguistics_literature','socio_political','socio_political',
                       'natural_sciences','natural_sciences','technology_agriculture','sport_arts','sport_arts','other'])[1 + (i * 7) % 14],
                (array['0+','6+','6+','12+','12+','16+','18+'])[1 + (i * 3) % 7], 'book', 'kitap ' || i, 'kitap ' || i, 'кітап ' || i
           from generate_series(1, ${mainWorks}) i;
       create table public.bench_works as select id, row_number() over (order by id) - 1 as n from catalog.works where title like 'Кітап %';
       insert into catalog.works (title, language, knowledge_group, age_rating, publication_type, search_key, title_key, sort_key)
         select 'Оқулық ' || i, case when i % 20 < 13 then 'kaz' else 'rus' end, null, '6+', 'book', 'okulyk ' || i, 'okulyk ' || i, 'оқулық ' || i
           from generate_series(1, ${tbWorks}) i;
       create table public.bench_textbooks as select id, row_number() over (order by id) - 1 as n from catalog.works where title like 'Оқулық %';
       create index on public.bench_works (n); create index on public.bench_textbooks (n)`,
    ],
    [
      'organisation settings, plans and passports',
      `insert into reports.passports (organisation_id, period, area_m2, reading_room_m2, storage_m2, seats, computers, internet_computers, open_access_copies)
         select id, p, round(80 * sz), round(30 * sz), round(20 * sz), round(25 * sz), 3, 2, round(1300 * sz) from public.bench_schools, unnest(array['2024','2025']) p;
       insert into reports.plans (organisation_id, period, indicator, value)
         select id, p, ind, round(v * sz) from public.bench_schools, unnest(array['2024','2025']) p,
                (values ('readers', 680), ('visits', 6500), ('loans', 13000), ('acquired', 1500), ('events', 40), ('exhibitions', 12)) x(ind, v)`,
    ],
    [
      'receipts',
      `insert into fund.receipts (organisation_id, number, received_on, source)
         select id, 'R-0', date '2021-08-30', 'initial' from public.bench_schools;
       insert into fund.receipts (organisation_id, number, received_on, source)
         select id, 'R-' || y || '-' || i, make_date(y, (array[3, 6, 10])[i], (array[15, 10, 5])[i]), (array['budget_purchase','state_order','gift'])[i]
           from public.bench_schools, generate_series(2022, 2025) y, generate_series(1, 3) i;
       insert into fund.receipts (organisation_id, number, received_on, source)
         select id, 'T-' || y, make_date(y, 8, 20), 'state_order' from public.bench_schools, generate_series(2022, 2025) y`,
    ],
    [
      'receipt lines of the main fund',
      perSlice(
        (slice) => `insert into fund.receipt_lines (receipt_id, work_id, copies_count, price_tiyn, fund, knowledge_group, language_group, children)
         select r.id, w.id, 1 + (j + s.k) % 4, 150000 + ((j * 37) % 35) * 10000, 'main', w.knowledge_group,
                case w.language when 'kaz' then 'kk' when 'rus' then 'ru' else 'other' end, w.age_rating in ('0+','6+')
           from public.bench_schools s
           cross join lateral generate_series(1, ceil(s.main / 2.5)::int) j
           join fund.receipts r on r.organisation_id = s.id
                and r.number = case when ${u('j * 31 + s.k')} < 0.76 then 'R-0' else 'R-' || (2022 + j % 4) || '-' || (1 + (j / 4) % 3) end
           join public.bench_works bw on bw.n = (s.k * 7919 + j * 104729) % ${mainWorks}
           join catalog.works w on w.id = bw.id
          where ${slice}`,
      ),
    ],
    [
      'copies of the main fund',
      perSlice(
        (slice) => `insert into fund.copies (organisation_id, work_id, inventory_number, barcode, fund, price_tiyn, acquired_on, receipt_id, receipt_line_id)
         select s.id, l.work_id, l.id || '/' || c, '2' || lpad(l.id::text, 9, '0') || c, 'main', l.price_tiyn, r.received_on, r.id, l.id
           from public.bench_schools s join fund.receipts r on r.organisation_id = s.id join fund.receipt_lines l on l.receipt_id = r.id
           cross join generate_series(1, l.copies_count) c
          where ${slice}`,
      ),
    ],
    [
      'copies entered before fund accounting',
      `insert into fund.copies (organisation_id, work_id, inventory_number, barcode, fund, price_tiyn, acquired_on)
         select s.id, bw.id, 'U' || j, '3' || lpad(s.k::text, 5, '0') || lpad(j::text, 6, '0'), 'main', 0, date '2015-01-01' + (j * 13) % 2000
           from public.bench_schools s cross join lateral generate_series(1, greatest(1, round(s.main * 0.03))::int) j
           join public.bench_works bw on bw.n = (s.k * 31 + j * 7) % ${mainWorks}`,
    ],
    [
      'write-offs of the main fund',
      `insert into fund.write_off_acts (organisation_id, number, act_date, reason, status, approved_at)
         select id, 'W-' || y, make_date(y, 6, 20), (array['physical_wear','obsolete_content','lost_by_reader','physical_wear'])[y - 2021], 'approved', make_date(y, 6, 20)
           from public.bench_schools, generate_series(2022, 2025) y;
       insert into fund.write_off_lines (act_id, copy_id, price_tiyn, knowledge_group, language_group, children)
         select a.id, c.id, l.price_tiyn, l.knowledge_group, l.language_group, l.children
           from fund.write_off_acts a
           join fund.copies c on c.organisation_id = a.organisation_id and c.receipt_line_id is not null and c.acquired_on < a.act_date
                and c.id % 100 between (extract(year from a.act_date)::int - 2022) * 3 and (extract(year from a.act_date)::int - 2022) * 3 + 2
           join fund.receipt_lines l on l.id = c.receipt_line_id;
       update fund.copies c set status = 'written_off', write_off_id = w.act_id from fund.write_off_lines w where w.copy_id = c.id`,
    ],
    [
      'textbook batches and write-offs',
      `insert into textbooks.batches (organisation_id, receipt_id, work_id, school_year, copies_count, price_tiyn, stamped_on, language_group)
         select s.id, r.id, t.id, y || '-' || (y + 1), greatest(1, round(s.tb * case when y = 2021 then 0.8 else 0.15 end / 40)), 200000, r.received_on + 3,
                case t.language when 'kaz' then 'kk' else 'ru' end
           from public.bench_schools s cross join generate_series(2021, 2025) y cross join generate_series(1, 40) i
           join fund.receipts r on r.organisation_id = s.id and r.number = case when y = 2021 then 'R-0' else 'T-' || y end
           join public.bench_textbooks b on b.n = (s.k * 13 + i * 29 + y) % ${tbWorks}
           join catalog.works t on t.id = b.id;
       insert into textbooks.write_off_acts (organisation_id, number, act_date, reason)
         select id, 'TW-' || y, make_date(y, 6, 10), 'wear' from public.bench_schools, generate_series(2022, 2025) y;
       insert into textbooks.write_off_lines (act_id, work_id, condition, copies_count, sum_tiyn, language_group)
         select a.id, t.id, 'unusable', greatest(1, round(s.tb * 0.10 / 20)), greatest(1, round(s.tb * 0.10 / 20)) * 100000,
                case t.language when 'kaz' then 'kk' else 'ru' end
           from textbooks.write_off_acts a join public.bench_schools s on s.id = a.organisation_id
           cross join generate_series(1, 20) i
           join public.bench_textbooks b on b.n = (s.k * 13 + i * 29 + extract(year from a.act_date)::int) % ${tbWorks}
           join catalog.works t on t.id = b.id`,
    ],
    [
      'readers and their registrations',
      `insert into readers.readers (organisation_id, registration_number, barcode, kind, last_name, first_name, grade, class_letter)
         select s.id, r::text, '4' || lpad(r::text, 9, '0'),
                case when r % 100 < 90 then 'student' when r % 100 < 97 then 'teacher' when r % 100 < 99 then 'parent' else 'other' end,
                'Оқырман', 'Бала', case when r % 100 < 90 then 1 + r % 11 end, case when r % 100 < 90 then (array['А','Ә','Б'])[1 + (r / 11) % 3] end
           from public.bench_schools s cross join lateral generate_series(1, s.readers) r;
       insert into readers.registrations (organisation_id, reader_id, cycle, registered_on, reader_group, how)
         select d.organisation_id, d.id, y::text, make_date(y, 1, 9) + d.registration_number::int % 60,
                case when d.kind = 'student' then case when d.grade <= 4 then 'grades_1_4' when d.grade <= 9 then 'grades_5_9' else 'grades_10_11' end
                     when d.kind = 'teacher' then 'teachers' else 'others' end,
                case when d.kind = 'student' then 'bulk' else 'visit' end
           from readers.readers d cross join generate_series(2024, 2025) y
          where not (y = 2024 and d.registration_number::int % 20 = 0) and not (y = 2025 and d.registration_number::int % 20 = 1)`,
    ],
    [
      'visits',
      perSlice(
        (slice) => `insert into circulation.visits (organisation_id, reader_id, visited_on, reading_room)
         select d.organisation_id, d.id, make_date(y, 1, 1) + (j * 17 + d.id::int) % 365, j % 7 = 3
           from public.bench_schools s join readers.readers d on d.organisation_id = s.id cross join generate_series(2024, 2025) y
           cross join lateral generate_series(0, floor(28 * ${u('d.id * 3 + y')} ^ 2)::int - 1) j
          where ${slice}`,
      ),
    ],
    [
      'loans of the main fund',
      `create unlogged table public.bench_lendable as
         select organisation_id, row_number() over (partition by organisation_id order by id) - 1 as n, id
           from fund.copies where status = 'available' and fund = 'main';
       alter table public.bench_lendable add primary key (organisation_id, n);
       create table public.bench_lendable_count as select organisation_id, count(*)::int as c from public.bench_lendable group by 1;
       ${perSlice(
         (slice) => `insert into circulation.loans (organisation_id, copy_id, reader_id, issued_at, due_on, returned_at)
         select d.organisation_id, l.id, d.id, t, (t at time zone 'Asia/Almaty')::date + 14, t + interval '12 days'
           from public.bench_schools s join readers.readers d on d.organisation_id = s.id join public.bench_lendable_count lc on lc.organisation_id = s.id
           cross join generate_series(2024, 2025) y
           cross join lateral generate_series(0, floor(18 * ${u('d.id * 5 + y')} ^ 2)::int - 1) g
           cross join lateral (select make_timestamptz(y, 1, 1, 10, 0, 0, 'Asia/Almaty') + ((g * 23 + d.id::int) % 365) * interval '1 day' as t) tt
           join public.bench_lendable l on l.organisation_id = s.id and l.n = (d.id * 7 + g * 7919 + y) % lc.c
          where ${slice}`,
       )}`,
    ],
    [
      'textbook issues',
      perSlice(
        (slice) => `insert into textbooks.issues (organisation_id, reader_id, work_id, school_year, issued_on, issued_condition, returned_on, return_condition)
         select d.organisation_id, d.id, b.id, y || '-' || (y + 1), make_date(y, 9, 1) + d.registration_number::int % 10, 'good',
                case when y < 2025 then make_date(y + 1, 5, 25) end, case when y < 2025 then 'good' end
           from public.bench_schools s join readers.readers d on d.organisation_id = s.id and d.kind = 'student'
           cross join generate_series(2024, 2025) y cross join generate_series(1, 10) i
           join public.bench_textbooks b on b.n = (d.grade * 37 + i * 29 + s.k) % ${tbWorks}
          where ${slice}`,
      ),
    ],
    [
      'reading-room use, contacts, events, exhibitions, references, reading records',
      `insert into circulation.reading_room_uses (organisation_id, reader_id, copy_id, used_on, items)
         select d.organisation_id, d.id, case when g = 0 then l.id end, make_date(y, 1, 1) + (d.id::int * 11 + g * 97) % 365, 1 + (d.id::int + g) % 3
           from readers.readers d cross join generate_series(2024, 2025) y cross join generate_series(0, 1) g
           join public.bench_lendable_count lc on lc.organisation_id = d.organisation_id
           join public.bench_lendable l on l.organisation_id = d.organisation_id and l.n = (d.id * 3 + y) % lc.c
          where ${u('d.id * 7 + y')} < 0.4;
       insert into circulation.contacts (organisation_id, kind, occurred_on, quantity)
         select s.id, x.kind, make_date(y, 1, 1) + (i * 11 + s.k::int) % 365, case when x.kind = 'event' then 15 + (i * 7) % 40 else 1 end
           from public.bench_schools s cross join generate_series(2024, 2025) y
           cross join (values ('event', 30), ('online_renewal', 40), ('virtual_reference', 15)) x(kind, cnt)
           cross join lateral generate_series(1, greatest(1, round(x.cnt * s.sz))::int) i;
       insert into events.events (organisation_id, held_on, title, form, pupils, teachers, parents, others)
         select s.id, make_date(y, 1, 1) + (i * 9 + s.k::int) % 365, 'Іс-шара ' || i, (array['lesson','review','exhibition_talk','quiz'])[1 + i % 4],
                20 + (i * 7) % 30, 2, i % 5, 0
           from public.bench_schools s cross join generate_series(2024, 2025) y cross join lateral generate_series(1, greatest(1, round(40 * s.sz))::int) i;
       insert into events.exhibitions (organisation_id, title, starts_on, ends_on, is_public)
         select s.id, 'Көрме ' || i, make_date(y, 1, 10) + i * 28, make_date(y, 1, 10) + i * 28 + 20, i % 4 = 0
           from public.bench_schools s cross join generate_series(2024, 2025) y cross join generate_series(0, 11) i;
       insert into reference.requests (organisation_id, asked_on, kind, question, reader_group, language, virtual)
         select s.id, make_date(y, 1, 1) + (i * 13 + s.k::int) % 365, (array['thematic','address','clarifying','factographic'])[1 + i % 4], 'Сұрақ',
                (array['1-4','5-9','10-11','teachers'])[1 + i % 4], case when i % 3 = 0 then 'ru' else 'kk' end, i % 10 = 0
           from public.bench_schools s cross join generate_series(2024, 2025) y cross join lateral generate_series(1, greatest(1, round(60 * s.sz))::int) i;
       insert into reading.records (organisation_id, reader_id, title, book_key, source, read_on, school_year, status)
         select d.organisation_id, d.id, 'Кітап', 'b' || y || '-' || g, 'self', rd,
                case when extract(month from rd) >= 9 then y || '-' || (y + 1) else (y - 1) || '-' || y end, 'confirmed'
           from readers.readers d cross join generate_series(2024, 2025) y cross join generate_series(1, 4) g
           cross join lateral (select make_date(y, 1, 1) + (d.id::int * 5 + g * 83) % 365 as rd) x
          where d.kind = 'student' and ${u('d.id * 11 + y')} < 0.3`,
    ],
    ['(region)', `select ${regionId}`],
  ];
}

/** The republic, a region of `regionSchools` schools in 20 districts, and the other schools in two small regions. */
async function makeOrganisations(db: pg.Client, o: ReportBenchOptions) {
  const org = async (parent: { id: number; path: string } | null, kind: string, name: string) => {
    const { rows } = await db.query<{ id: string }>(`insert into org.organisations (parent_id, kind, name, path) values ($1, $2, $3, '/') returning id`, [parent?.id ?? null, kind, name]);
    const id = Number(rows[0]!.id);
    const p = `${parent?.path ?? '/'}${id}/`;
    await db.query('update org.organisations set path = $1 where id = $2', [p, id]);
    return { id, path: p };
  };
  const republic = await org(null, 'republic', 'Қазақстан Республикасы');
  const rest = o.schools - o.regionSchools;
  const regions: [number, number][] = [[o.regionSchools, 20], [Math.ceil(rest / 2), 2], [Math.floor(rest / 2), 2]];
  let first: { id: number; path: string } | null = null;
  for (const [i, [count, districts]] of regions.entries()) {
    if (count <= 0) continue;
    const region = await org(republic, 'region', `Облыс ${i + 1}`);
    first ??= region;
    for (let d = 0; d < districts; d++) {
      const district = await org(region, 'district', `Аудан ${i + 1}.${d + 1}`);
      const n = Math.floor(count / districts) + (d < count % districts ? 1 : 0);
      await db.query(
        `insert into org.organisations (parent_id, kind, name, path) select $1, 'school', 'Мектеп № ' || $2 || '.' || $3 || '.' || i, '/' from generate_series(1, $4::int) i`,
        [district.id, i + 1, d + 1, n],
      );
      // a statement does not see the rows its own insert made: the paths are set by a second one
      await db.query(`update org.organisations set path = $1 || id || '/' where parent_id = $2`, [district.path, district.id]);
    }
  }
  return { republicId: republic.id, regionId: first!.id };
}

async function generate(url: string, o: ReportBenchOptions, log: (line: string) => void) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const steps: Record<string, number> = {};
  try {
    // a bulk load of consistent rows: no foreign-key triggers, no waiting for each commit's flush
    await db.query(`set session_replication_role = replica; set synchronous_commit = off; set work_mem = '64MB'; set maintenance_work_mem = '512MB'`);
    await db.query(`create or replace function public.bench_u(x bigint) returns float8 immutable language sql
                    as $$ select ((x * 2654435761) % 4294967296)::float8 / 4294967296 $$`);
    const { republicId, regionId } = await makeOrganisations(db, o);
    const { rows: indexes } = await db.query<{ schema: string; name: string; definition: string }>(
      `select i.schemaname as schema, i.indexname as name, i.indexdef as definition from pg_indexes i
        where i.schemaname || '.' || i.tablename = any($1) and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
      [LOADED_TABLES],
    );
    for (const index of indexes) await db.query(`drop index "${index.schema}"."${index.name}"`);
    for (const [label, statements] of generationSteps(o, regionId)) {
      if (label.startsWith('(')) continue;
      const started = performance.now();
      for (const statement of statements.split(/;\n/)) if (statement.trim()) await db.query(statement);
      steps[label] = Math.round((performance.now() - started) / 100) / 10;
      log(`  ${label}: ${steps[label]} s`);
    }
    let started = performance.now();
    for (const index of indexes) await db.query(index.definition);
    steps[`${indexes.length} secondary indexes`] = Math.round((performance.now() - started) / 100) / 10;
    log(`  ${indexes.length} secondary indexes: ${steps[`${indexes.length} secondary indexes`]} s`);
    await db.query('set session_replication_role = origin');
    // what the switched-off triggers keep, counted once from the rows
    started = performance.now();
    await db.query('select reports.recount_running()');
    steps['running counts'] = Math.round((performance.now() - started) / 100) / 10;
    log(`  running counts: ${steps['running counts']} s`);
    started = performance.now();
    await db.query('vacuum analyze');
    steps['vacuum analyze'] = Math.round((performance.now() - started) / 100) / 10;
    log(`  vacuum analyze: ${steps['vacuum analyze']} s`);
    return { republicId, regionId, steps };
  } finally {
    await db.end();
  }
}

/**
 * What each school keeps when it closes 2024 and 2025 (libraryLive, as closing computes it), kept in a
 * table of the bench database so that every run can close and reopen the years without counting again.
 */
async function keepClosingFigures(handle: DatabaseHandle, periods: ReportPeriod[], log: (line: string) => void) {
  const db = handle.db;
  await sql`create table if not exists public.bench_closing (organisation_id bigint, period text, figures jsonb, primary key (organisation_id, period))`.execute(db);
  const schools = (await sql<{ id: number }>`select id from public.bench_schools order by id`.execute(db)).rows.map((r) => Number(r.id));
  for (const period of periods) {
    const done = Number((await sql<{ n: number }>`select count(*)::int as n from public.bench_closing where period = ${period.key}`.execute(db)).rows[0]!.n);
    if (done === schools.length) continue;
    const started = performance.now();
    const todo = schools.slice(done);
    const inParallel = 4;
    for (let i = 0; i < todo.length; i += inParallel) {
      await Promise.all(
        todo.slice(i, i + inParallel).map(async (id) => {
          const figures = await libraryLive(db, id, period);
          await sql`insert into public.bench_closing values (${id}, ${period.key}, ${JSON.stringify(figures)}::jsonb) on conflict do nothing`.execute(db);
        }),
      );
    }
    log(`  closing figures of ${period.key} for ${schools.length} schools: ${Math.round((performance.now() - started) / 100) / 10} s`);
  }
}

async function openDatabase(o: ReportBenchOptions, log: (line: string) => void): Promise<{ handle: DatabaseHandle; marker: Marker; generatedNow: boolean }> {
  const name = databaseName(o);
  const url = new URL(o.postgresUrl);
  url.pathname = `/${name}`;
  const fresh = async () => {
    await withAdmin(o.postgresUrl, async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
    });
  };
  await withAdmin(o.postgresUrl, async (admin) => {
    if (o.rebuild) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!exists.rowCount) await admin.query(`CREATE DATABASE ${name}`);
  });
  let handle = await connectPostgres(url.toString(), 6);
  try {
    await migrateToLatest(handle.db);
  } catch {
    // a migration added before the kept database's last one: it is made again
    await handle.close();
    await fresh();
    handle = await connectPostgres(url.toString(), 6);
    await migrateToLatest(handle.db);
  }
  const marker = await sql<{ marker: Marker }>`select marker from public.kitaphana_bench_marker`
    .execute(handle.db)
    .then((r) => r.rows[0]?.marker ?? null)
    .catch(() => null);
  if (marker && marker.version === GENERATOR_VERSION && marker.schools === o.schools && marker.regionSchools === o.regionSchools && marker.scale === o.scale) {
    return { handle, marker, generatedNow: false };
  }
  const orgs = Number((await sql<{ n: number }>`select count(*)::int as n from org.organisations`.execute(handle.db)).rows[0]!.n);
  if (orgs > 0) {
    // a generation cut short is not resumed
    await handle.close();
    await fresh();
    handle = await connectPostgres(url.toString(), 6);
    await migrateToLatest(handle.db);
  }
  log(`  generating ${o.schools} schools at scale ${o.scale} in ${name}`);
  const started = performance.now();
  const generated = await generate(url.toString(), o, log);
  // the reading records went in with their counting trigger switched off as well
  await recountReaderYearBooks(handle.db);
  const made: Marker = {
    version: GENERATOR_VERSION,
    schools: o.schools,
    regionSchools: o.regionSchools,
    scale: o.scale,
    republicId: generated.republicId,
    regionId: generated.regionId,
    steps: generated.steps,
    generationSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
  // written last: a generation cut short leaves no marker and is redone
  await sql`create table public.kitaphana_bench_marker as select ${JSON.stringify(made)}::jsonb as marker`.execute(handle.db);
  return { handle, marker: made, generatedNow: true };
}

const COUNTED_TABLES = [
  'org.organisations',
  'catalog.works',
  'readers.readers',
  'readers.registrations',
  'fund.receipts',
  'fund.receipt_lines',
  'fund.copies',
  'fund.write_off_lines',
  'textbooks.batches',
  'textbooks.write_off_lines',
  'circulation.visits',
  'circulation.loans',
  'textbooks.issues',
  'circulation.reading_room_uses',
  'circulation.contacts',
  'events.events',
  'reference.requests',
  'reading.records',
];

async function rowCounts(db: DatabaseHandle['db']): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    counts[table] = Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0]!.n);
  }
  return counts;
}

interface Measurement {
  state: string;
  area: string;
  libraries: number;
  librariesClosed: number;
  ms: LatencySummary;
  goalMs: number;
  meetsGoal: boolean;
  sameFiguresAsCounted: boolean;
}

async function node(db: DatabaseHandle['db'], id: number): Promise<OrgNode> {
  const r = await db.selectFrom('org.organisations').select(['id', 'name', 'kind', 'path', 'parent_id']).where('id', '=', id).executeTakeFirstOrThrow();
  return { id: r.id, name: r.name, kind: r.kind, path: r.path, parentId: r.parent_id };
}

/** The figures a report shows, without what says how they were got (closed or counted). */
const shown = (r: AnnualReport) =>
  JSON.stringify({ figures: r.figures, indicators: r.indicators, lastYear: r.lastYear, plan: r.plan, children: r.children.map((c) => [c.organisationId, c.indicators]) });

export interface ReportBenchResult {
  kind: 'reports';
  machine: Machine;
  loadAverageAtEnd: number[];
  options: ReportBenchOptions;
  database: string;
  generatedNow: boolean;
  generationSeconds: number;
  generationSteps: Record<string, number>;
  rows: Record<string, number>;
  databaseBytes: number;
  fund: { total: number; main: number; textbooks: number };
  loans2025: number;
  measurements: Measurement[];
}

export async function runReportBench(o: ReportBenchOptions, log: (line: string) => void = console.log): Promise<{ result: ReportBenchResult; files: string[] }> {
  const machine = await describeMachine(o.postgresUrl);
  log(`Annual report, ${o.schools} schools at scale ${o.scale}; load ${machine.loadAverage.join(' ')}`);
  const { handle, marker, generatedNow } = await openDatabase(o, log);
  const db = handle.db;
  try {
    log(generatedNow ? `  generated in ${marker.generationSeconds} s` : `  reusing ${databaseName(o)} (generated in ${marker.generationSeconds} s)`);
    const year = periodOf({ year: 2025 });
    const before = periodOf({ year: 2024 });
    await keepClosingFigures(handle, [before, year], log);
    const rows = await rowCounts(db);
    const databaseBytes = Number((await sql<{ n: string }>`select pg_database_size(current_database()) as n`.execute(db)).rows[0]!.n);
    const areas = [
      { name: `region (${o.regionSchools} schools)`, node: await node(db, marker.regionId), goalMs: 1000 },
      { name: `republic (${o.schools} schools)`, node: await node(db, marker.republicId), goalMs: 2000 },
    ];
    const close = async (period: ReportPeriod, which: 'none' | 'half' | 'all') => {
      await sql`delete from reports.closed_periods where period = ${period.key}`.execute(db);
      if (which === 'none') return;
      await sql`insert into reports.closed_periods (organisation_id, period, origin, figures, closed_at)
                select c.organisation_id, c.period, 'local', c.figures, now() from public.bench_closing c join public.bench_schools s on s.id = c.organisation_id
                 where c.period = ${period.key} and (${which === 'all'} or s.k % 2 = 0)`.execute(db);
      await sql`analyze reports.closed_periods`.execute(db);
    };
    const states: { state: string; last: 'none' | 'all'; current: 'none' | 'half' | 'all' }[] = [
      { state: 'nothing closed (2024 and 2025 counted from the records)', last: 'none', current: 'none' },
      { state: '2024 closed, 2025 open (January)', last: 'all', current: 'none' },
      { state: '2024 closed, half the schools closed 2025', last: 'all', current: 'half' },
      { state: 'every school closed 2024 and 2025', last: 'all', current: 'all' },
    ];
    const counted = new Map<number, string>();
    const measurements: Measurement[] = [];
    let fund = { total: 0, main: 0, textbooks: 0 };
    let loans2025 = 0;
    for (const st of states) {
      await close(before, st.last);
      await close(year, st.current);
      for (const area of areas) {
        await buildReport(db, area.node, year); // warm-up: the plans and the caches, as for a methodologist's second look
        const samples: number[] = [];
        let report: AnnualReport | null = null;
        for (let i = 0; i < o.repeats; i++) {
          const started = performance.now();
          report = await buildReport(db, area.node, year);
          samples.push(performance.now() - started);
        }
        const figures = shown(report!);
        if (!counted.has(area.node.id)) counted.set(area.node.id, figures);
        if (area.node.id === marker.republicId) {
          fund = { total: report!.indicators.fund, main: report!.indicators.mainFund, textbooks: report!.indicators.textbookFund };
          loans2025 = report!.indicators.loans;
        }
        const ms = summarise(samples);
        const m: Measurement = {
          state: st.state,
          area: area.name,
          libraries: report!.libraries,
          librariesClosed: report!.librariesClosed,
          ms,
          goalMs: area.goalMs,
          meetsGoal: ms.p50 <= area.goalMs,
          sameFiguresAsCounted: counted.get(area.node.id) === figures,
        };
        measurements.push(m);
        log(`  ${st.state}, ${area.name}: p50 ${ms.p50} ms, max ${ms.max} ms (goal ≤ ${area.goalMs} ms)${m.sameFiguresAsCounted ? '' : ' — FIGURES DIFFER from those counted'}`);
      }
    }
    await close(before, 'all');
    await close(year, 'none');
    const result: ReportBenchResult = {
      kind: 'reports',
      machine,
      loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
      options: o,
      database: databaseName(o),
      generatedNow,
      generationSeconds: marker.generationSeconds,
      generationSteps: marker.steps,
      rows,
      databaseBytes,
      fund,
      loans2025,
      measurements,
    };
    const files = writeResult(result);
    log(`Written: ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
    return { result, files };
  } finally {
    await handle.close();
  }
}

const n = (v: number) => v.toLocaleString('en');

export function renderReportBench(r: ReportBenchResult): string {
  const m = r.machine;
  return [
    `# The annual report at ${r.options.schools} schools${r.options.scale === 1 ? ' (10% of the country)' : `, scale ${r.options.scale}`}, ${m.date.slice(0, 16).replace('T', ' ')}`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB RAM, ${m.os}; Node ${m.node}; PostgreSQL ${m.postgresVersion ?? '?'}; ` +
      `load average (1/5/15 min) at the start ${m.loadAverage.join(' / ')}, at the end ${r.loadAverageAtEnd.join(' / ')}.`,
    '',
    `Database \`${r.database}\`, ${(r.databaseBytes / 2 ** 30).toFixed(1)} GB, ${r.generatedNow ? 'generated in this run' : 'kept from an earlier run'} (${r.generationSeconds} s to generate). ` +
      `The republic's fund at the end of 2025: ${n(r.fund.total)} copies (main fund ${n(r.fund.main)}, textbooks ${n(r.fund.textbooks)}); loans in 2025: ${n(r.loans2025)}.`,
    '',
    '| state | area | libraries (closed) | p50 ms | max ms | goal | met | figures as counted |',
    '|---|---|---|---|---|---|---|---|',
    ...r.measurements.map(
      (x) => `| ${x.state} | ${x.area} | ${x.libraries} (${x.librariesClosed}) | ${x.ms.p50} | ${x.ms.max} | ≤ ${x.goalMs} ms | ${x.meetsGoal ? 'yes' : '**no**'} | ${x.sameFiguresAsCounted ? 'same' : '**differ**'} |`,
    ),
    '',
    `${r.options.repeats} timed runs of each after one warm-up run.`,
    '',
    '| table | rows |',
    '|---|---|',
    ...Object.entries(r.rows).map(([t, c]) => `| ${t} | ${n(c)} |`),
    '',
    'Generation, seconds per step: ' + Object.entries(r.generationSteps).map(([k, v]) => `${k} ${v}`).join('; ') + '.',
    '',
  ].join('\n');
}

function writeResult(r: ReportBenchResult): string[] {
  fs.mkdirSync(r.options.outDir, { recursive: true });
  const stamp = r.machine.date.slice(0, 16).replace('T', '-').replace(':', '');
  const base = path.join(r.options.outDir, `reports-${r.options.schools}${r.options.scale === 1 ? '' : `-s${r.options.scale}`}-${stamp}`);
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(r, null, 2)}\n`);
  fs.writeFileSync(`${base}.md`, renderReportBench(r));
  return [`${base}.json`, `${base}.md`];
}

export async function reportsCommand(argv: string[]) {
  await runReportBench(parseReportArgs(argv));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await reportsCommand(process.argv.slice(2));
}
