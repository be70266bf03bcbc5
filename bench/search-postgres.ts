/**
 * Catalogue search at national size on the PostgreSQL server: 1,000,000 works by default, with their
 * authors and one school's copies of every third work, the keys computed by the application exactly as
 * the catalogue computes them. The rows go in ten thousand at a time as arrays (one statement each),
 * with the search indexes dropped during the load and built once afterwards, as a bulk load should.
 * The catalogue is kept in a database of its own (kitaphana_bench_search_<works>) and reused.
 *
 *   npm run bench -- search [--works 1000000] [--queries 200] [--passes 2] [--postgres-url URL] [--rebuild]
 *
 * Reports search p50/p95 (goal p95 ≤ 30 ms) and the size of the search indexes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { foldForSearch, kazakhSortKey, searchKey } from '../src/catalog/folding.js';
import { searchCatalogue } from '../src/catalog/search.js';
import { connectPostgres, type DatabaseHandle } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { Random } from '../src/demo/random.js';
import { createOrganisation } from '../src/org/organisations.js';
import { syntheticAuthor, syntheticWork } from './catalogue-words.js';
import { describeMachine } from './machine.js';
import { buildQueryMix, type BenchQuery, type QueryKind, type QuerySource } from './queries.js';
import { summarise, timed, type LatencySummary } from './stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const GENERATOR_VERSION = 1;
const BATCH = 10_000;
const SOURCES = 400;
const TARGET_P95_MS = 30;
/** The tables whose secondary indexes are dropped for the load and built after it. */
const LOADED_TABLES = ['catalog.works', 'catalog.authors', 'catalog.work_authors', 'fund.copies'];

export interface PostgresSearchOptions {
  works: number;
  queries: number;
  passes: number;
  postgresUrl: string;
  rebuild: boolean;
  outDir: string;
}

interface Marker {
  version: number;
  works: number;
  copies: number;
  sources: QuerySource[];
  organisationId: number;
  generationSeconds: number;
}

export interface PostgresSearchResult {
  works: number;
  copies: number;
  generatedNow: boolean;
  generationSeconds: number;
  queries: number;
  latencyMs: LatencySummary;
  byKind: Record<string, LatencySummary & { hitRate: number }>;
  /** Bytes of each index of the catalogue's tables, and of the works table itself. */
  indexBytes: Record<string, number>;
  searchIndexBytes: number;
  worksTableBytes: number;
  targetP95Ms: number;
  meetsTarget: boolean;
}

const databaseName = (works: number) => `kitaphana_bench_search_${works}`;

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function readMarker(handle: DatabaseHandle, works: number): Promise<Marker | null> {
  try {
    const { rows } = await sql<{ marker: Marker }>`select marker from public.kitaphana_bench_marker`.execute(handle.db);
    const marker = rows[0]?.marker;
    return marker && marker.version === GENERATOR_VERSION && marker.works === works ? marker : null;
  } catch {
    return null;
  }
}

/** Works, authors and copies, ten thousand rows a statement, with the secondary indexes built after. */
async function generate(handle: DatabaseHandle, works: number, log: (line: string) => void): Promise<Omit<Marker, 'version' | 'works' | 'generationSeconds'>> {
  const db = handle.db;
  const rng = new Random(1_000_000 + works);
  const republic = await createOrganisation(db, null, { parentId: null, kind: 'republic', name: 'Қазақстан Республикасы' });
  const region = await createOrganisation(db, null, { parentId: republic.id, kind: 'region', name: 'Абай облысы' });
  const school = await createOrganisation(db, null, { parentId: region.id, kind: 'school', name: '№ 7 мектеп-гимназия' });

  const { rows: indexes } = await sql<{ name: string; definition: string }>`
    select i.indexname as name, i.indexdef as definition from pg_indexes i
    where i.schemaname || '.' || i.tablename in (${sql.join(LOADED_TABLES)})
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db);
  for (const index of indexes) await sql`drop index ${sql.raw(`"${index.definition.match(/ ON (\w+)\./)![1]}"."${index.name}"`)}`.execute(db);

  const authorNames = Array.from({ length: Math.max(50, Math.round(works / 12)) }, () => syntheticAuthor(rng));
  const authorIds: number[] = [];
  for (let i = 0; i < authorNames.length; i += BATCH) {
    const names = authorNames.slice(i, i + BATCH);
    const { rows } = await sql<{ id: number }>`
      insert into catalog.authors (name, search_key, sort_key)
      select * from unnest(${names}::text[], ${names.map((n) => searchKey(n))}::text[], ${names.map((n) => kazakhSortKey(n))}::text[])
      returning id`.execute(db);
    authorIds.push(...rows.map((r) => r.id));
  }

  let copies = 0;
  const sources: QuerySource[] = [];
  const started = performance.now();
  for (let start = 0; start < works; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, works - start) }, () => syntheticWork(rng, authorNames.length));
    const { rows } = await sql<{ id: number }>`
      insert into catalog.works (title, language, publish_year, publisher, knowledge_group, search_key, title_key, sort_key)
      select t, l, y, case when l = 'kaz' then 'Атамұра' else 'Фолиант' end, 'fiction', s, k, o
      from unnest(${batch.map((w) => w.title)}::text[], ${batch.map((w) => w.language)}::text[], ${batch.map((w) => w.publishYear)}::int[],
        ${batch.map((w) => searchKey(w.title, authorNames[w.authorIndex]))}::text[], ${batch.map((w) => foldForSearch(w.title))}::text[],
        ${batch.map((w) => kazakhSortKey(w.title))}::text[]) as u(t, l, y, s, k, o)
      returning id`.execute(db);
    const ids = rows.map((r) => r.id);
    await sql`
      insert into catalog.work_authors (work_id, author_id, role, position)
      select w, a, 'author', 0 from unnest(${ids}::bigint[], ${batch.map((w) => authorIds[w.authorIndex]!)}::bigint[]) as u(w, a)`.execute(db);
    for (const w of batch) if (rng.chance(SOURCES / works)) sources.push({ title: w.title, author: authorNames[w.authorIndex]! });
    const shelved = ids.filter((_, i) => (start + i) % 3 === 0);
    await sql`
      insert into fund.copies (organisation_id, work_id, inventory_number, barcode, status)
      select ${school.id}, id, id::text, '1' || lpad(id::text, 9, '0'), case when id % 7 = 0 then 'on_loan' else 'available' end
      from unnest(${shelved}::bigint[]) as u(id)`.execute(db);
    copies += shelved.length;
    if ((start / BATCH) % 10 === 9) log(`  ${start + batch.length} works, ${Math.round((performance.now() - started) / 1000)} s`);
  }
  log(`  building ${indexes.length} indexes`);
  await db.connection().execute(async (conn) => {
    await sql`set maintenance_work_mem = '256MB'`.execute(conn);
    for (const index of indexes) await sql.raw(index.definition).execute(conn);
  });
  await sql`analyze`.execute(db);
  return { copies, sources, organisationId: school.id };
}

async function openCatalogue(options: PostgresSearchOptions, log: (line: string) => void) {
  const name = databaseName(options.works);
  const url = new URL(options.postgresUrl);
  url.pathname = `/${name}`;
  await withAdmin(options.postgresUrl, async (admin) => {
    if (options.rebuild) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!exists.rowCount) await admin.query(`CREATE DATABASE ${name}`);
  });
  let handle = await connectPostgres(url.toString(), 4);
  try {
    await migrateToLatest(handle.db);
  } catch {
    await handle.close();
    await withAdmin(options.postgresUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => admin.query(`CREATE DATABASE ${name}`)));
    handle = await connectPostgres(url.toString(), 4);
    await migrateToLatest(handle.db);
  }
  const cached = await readMarker(handle, options.works);
  if (cached) return { handle, marker: cached, generatedNow: false };
  // a load cut short is not resumed: the database starts afresh
  const works = await sql<{ n: number }>`select count(*)::int as n from catalog.works`.execute(handle.db);
  if (works.rows[0]!.n > 0) {
    await handle.close();
    await withAdmin(options.postgresUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => admin.query(`CREATE DATABASE ${name}`)));
    handle = await connectPostgres(url.toString(), 4);
    await migrateToLatest(handle.db);
  }
  log(`  generating ${options.works.toLocaleString('en')} works in ${name}`);
  const [ms, generated] = await timed(() => generate(handle, options.works, log));
  const marker: Marker = { version: GENERATOR_VERSION, works: options.works, ...generated, generationSeconds: Math.round(ms / 100) / 10 };
  // written last: a generation cut short leaves no marker and is redone
  await sql`create table public.kitaphana_bench_marker as select ${JSON.stringify(marker)}::jsonb as marker`.execute(handle.db);
  return { handle, marker, generatedNow: true };
}

export async function runPostgresSearchBench(options: PostgresSearchOptions, log: (line: string) => void = console.log): Promise<PostgresSearchResult> {
  const { handle, marker, generatedNow } = await openCatalogue(options, log);
  try {
    log(generatedNow ? `  generated in ${marker.generationSeconds} s` : `  reused the catalogue of ${options.works.toLocaleString('en')} works`);
    const mix = buildQueryMix(new Random(7), marker.sources, options.queries);
    const run = (q: BenchQuery) => searchCatalogue(handle.db, { q: q.q, organisationId: marker.organisationId, limit: 20, offset: 0 });
    for (const q of mix) await run(q); // warm-up: caches and plans, as on a library's second search
    const samples: { kind: QueryKind; ms: number; hits: number }[] = [];
    for (let pass = 0; pass < options.passes; pass++) {
      for (const q of mix) {
        const [ms, result] = await timed(() => run(q));
        samples.push({ kind: q.kind, ms, hits: result.total });
      }
    }
    const latencyMs = summarise(samples.map((s) => s.ms));
    const byKind: PostgresSearchResult['byKind'] = {};
    for (const kind of new Set(samples.map((s) => s.kind))) {
      const of = samples.filter((s) => s.kind === kind);
      byKind[kind] = { ...summarise(of.map((s) => s.ms)), hitRate: Math.round((of.filter((s) => s.hits > 0).length / of.length) * 100) / 100 };
    }
    const { rows } = await sql<{ name: string; bytes: number }>`
      select c.relname as name, pg_relation_size(c.oid)::bigint as bytes
      from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = 'catalog' and t.relname in ('works', 'authors', 'work_authors')
      order by bytes desc`.execute(handle.db);
    const indexBytes = Object.fromEntries(rows.map((r) => [r.name, Number(r.bytes)]));
    const searchIndexBytes = rows.filter((r) => /search|trgm|prefix/.test(r.name)).reduce((n, r) => n + Number(r.bytes), 0);
    const table = await sql<{ bytes: number }>`select pg_table_size('catalog.works')::bigint as bytes`.execute(handle.db);
    return {
      works: options.works,
      copies: marker.copies,
      generatedNow,
      generationSeconds: marker.generationSeconds,
      queries: mix.length,
      latencyMs,
      byKind,
      indexBytes,
      searchIndexBytes,
      worksTableBytes: Number(table.rows[0]!.bytes),
      targetP95Ms: TARGET_P95_MS,
      meetsTarget: latencyMs.p95 <= TARGET_P95_MS,
    };
  } finally {
    await handle.close();
  }
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 102.4) / 10} MB`;

export function parseSearchArgs(argv: string[]): PostgresSearchOptions {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    works: Number(value('works') ?? 1_000_000),
    queries: Number(value('queries') ?? 200),
    passes: Number(value('passes') ?? 2),
    postgresUrl: value('postgres-url') ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    rebuild: argv.includes('--rebuild'),
    outDir: path.resolve(value('out') ?? path.join(here, 'results')),
  };
}

export async function postgresSearchCommand(argv: string[]): Promise<PostgresSearchResult> {
  const options = parseSearchArgs(argv);
  const machine = await describeMachine(options.postgresUrl);
  console.log(`Search on PostgreSQL ${machine.postgresVersion}: ${options.works.toLocaleString('en')} works (load ${machine.loadAverage.join(' ')})`);
  const result = await runPostgresSearchBench(options, console.log);
  const loadAverageAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
  console.log(`  p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms (goal ≤ ${TARGET_P95_MS} ms: ${result.meetsTarget ? 'met' : 'not met'}), search indexes ${mb(result.searchIndexBytes)}`);
  fs.mkdirSync(options.outDir, { recursive: true });
  const base = path.join(options.outDir, `search-postgres-${options.works}-${machine.date.slice(0, 16).replace(/[:T]/g, '-')}`);
  fs.writeFileSync(`${base}.json`, JSON.stringify({ kind: 'search-postgres', machine, result, loadAverageAtEnd }, null, 2) + '\n');
  const lines = [
    `# Catalogue search on PostgreSQL, ${result.works.toLocaleString('en')} works — ${machine.date}`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB RAM, PostgreSQL ${machine.postgresVersion}. Load average ${machine.loadAverage.join(' / ')} at the start, ${loadAverageAtEnd.join(' / ')} at the end (other work shared the machine).`,
    '',
    `${result.copies.toLocaleString('en')} copies in one school; catalogue generated in ${result.generationSeconds} s${result.generatedNow ? '' : ' (an earlier run; reused)'}.`,
    `${result.queries} queries × ${options.passes} passes after one warm-up pass. p95 goal ≤ ${TARGET_P95_MS} ms: ${result.meetsTarget ? 'met' : '**not met**'}.`,
    '',
    '| queries | n | mean ms | p50 ms | p95 ms | max ms | found something |',
    '|---|---|---|---|---|---|---|',
    `| all | ${result.latencyMs.count} | ${result.latencyMs.mean} | ${result.latencyMs.p50} | ${result.latencyMs.p95} | ${result.latencyMs.max} | |`,
    ...Object.entries(result.byKind).map(([kind, k]) => `| ${kind} | ${k.count} | ${k.mean} | ${k.p50} | ${k.p95} | ${k.max} | ${Math.round(k.hitRate * 100)}% |`),
    '',
    `Works table ${mb(result.worksTableBytes)}; search indexes ${mb(result.searchIndexBytes)} in all.`,
    '',
    '| index | size |',
    '|---|---|',
    ...Object.entries(result.indexBytes).map(([name, bytes]) => `| ${name} | ${mb(bytes)} |`),
  ];
  fs.writeFileSync(`${base}.md`, lines.join('\n') + '\n');
  console.log(`Written: ${path.relative(process.cwd(), base)}.json and .md`);
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await postgresSearchCommand(process.argv.slice(2));
}
