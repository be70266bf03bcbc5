import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { refreshSearchKeys } from '../catalog/rekey.js';
import { connectPGlite, type Db } from '../db/connect.js';
import { listMigrationFiles, migrateToLatest } from '../db/migrate.js';
import { daysBetween } from '../circulation/dates.js';
import { localDate, schoolYearOf } from '../shared/library-time.js';
import { loadDemoLibrary, type DemoOptions, type DemoSummary } from './seed.js';

/**
 * The demo school made once, when the server is built (`npm ci` runs the build), as a ready data
 * folder of the embedded database: the first start copies it instead of simulating a year of the
 * library, which takes about a minute. The folder is made for the day of the build; a start on a
 * later day of the same school year and calendar year moves its dates forward by the days between,
 * so that the demo still shows the twelve months before today. Further apart, the years written into
 * the data (school years, report periods, act numbers) would no longer match its dates, and the
 * start makes the demo afresh instead.
 */

export interface SnapshotInfo {
  /** The day the demo's year of loans ends. */
  day: string;
  /** The migrations the folder holds: a folder of another schema is never used. */
  migrations: string[];
  /** The build of the server that made it (the build's stamp); another build makes another demo. */
  build: string;
  summary: Omit<DemoSummary, 'milliseconds'> & { milliseconds: number };
}

const INFO = 'snapshot.json';
const DATA = 'data';

/** The compiled server's folder (dist/): the build writes its stamp and the demo's folder there. */
const BUILD_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SNAPSHOT_DIR = path.join(BUILD_ROOT, 'demo-school');

/** The stamp of the build that is running, or null when the sources run without a build (tests). */
export function currentBuild(): string | null {
  try {
    return fs.readFileSync(path.join(BUILD_ROOT, '.build-stamp'), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

function migrationNames(): string[] {
  return listMigrationFiles().map((f) => path.basename(f, '.sql'));
}

/** Makes the demo's data folder in `dir` (replacing what is there) and checkpoints it. */
export async function buildDemoSnapshot(dir: string, build: string, options: DemoOptions = {}): Promise<SnapshotInfo> {
  const today = options.today ?? localDate();
  fs.rmSync(dir, { recursive: true, force: true });
  const dataDir = path.join(dir, DATA);
  // A folder that is copied later needs no syncs while it is made: it is complete only once closed.
  // The load runs in buffers as large as PostgreSQL's default (the server's smaller ones would write
  // pages out and read them back all along), and WAL files are removed after the checkpoint rather
  // than kept for reuse, so that every first start does not copy 80 MB of empty WAL.
  const database = await connectPGlite(dataDir, undefined, undefined, false, { shared_buffers: '128MB', wal_recycle: 'off', min_wal_size: '32MB' });
  let summary: DemoSummary | null;
  try {
    await migrateToLatest(database.db);
    await refreshSearchKeys(database.db);
    summary = await loadDemoLibrary(database.db, { ...options, today });
    // the load's WAL is written into the tables now, so that the copy carries no replay and no WAL
    // beyond the few segments PostgreSQL keeps
    await sql`checkpoint`.execute(database.db);
  } finally {
    await database.close();
  }
  if (!summary) throw new Error('the demo was not loaded into the new data folder');
  const info: SnapshotInfo = { day: today, migrations: migrationNames(), build, summary };
  fs.writeFileSync(path.join(dir, INFO), `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

/** Why a snapshot cannot serve today, or null when it can. */
export function snapshotUnfit(info: SnapshotInfo, build: string, today: string): string | null {
  if (info.build !== build) return 'it was made by another build of the server';
  if (info.migrations.join() !== migrationNames().join()) return 'it was made for other migrations';
  if (today < info.day) return `it was made for a later day (${info.day})`;
  if (today.slice(0, 4) !== info.day.slice(0, 4) || schoolYearOf(today) !== schoolYearOf(info.day)) {
    return `it was made on ${info.day}, in another year`;
  }
  return null;
}

export function readSnapshotInfo(dir: string): SnapshotInfo | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, INFO), 'utf8')) as SnapshotInfo;
  } catch {
    return null;
  }
}

/**
 * Copies the snapshot's data folder to `dataDir` when the snapshot fits today and `dataDir` holds no
 * database yet. Returns the snapshot's description, or the reason it was not used.
 */
export function restoreDemoSnapshot(dir: string, dataDir: string, build: string, today: string = localDate()): { info: SnapshotInfo } | { skipped: string } {
  const info = readSnapshotInfo(dir);
  if (!info) return { skipped: 'there is none' };
  const unfit = snapshotUnfit(info, build, today);
  if (unfit) return { skipped: unfit };
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return { skipped: 'the data folder already holds a database' };
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.cpSync(path.join(dir, DATA), dataDir, { recursive: true });
  return { info };
}

/**
 * Dates that are facts of the world, not of the library's year: they never move.
 */
const FIXED = new Set(['catalog.authors.birth_date', 'catalog.authors.death_date', 'readers.readers.birth_date']);

/**
 * Moves every date and moment of the library's data forward by `days`, so that a demo made on an
 * earlier day ends today. One UPDATE per table; triggers are off meanwhile (nothing but dates changes).
 */
export async function shiftDates(db: Db, days: number): Promise<number> {
  if (days === 0) return 0;
  const columns = await sql<{ schema: string; table: string; column: string; type: string }>`
    select c.table_schema as schema, c.table_name as table, c.column_name as column, c.data_type as type
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema not in ('pg_catalog', 'information_schema', 'public')
      and c.data_type in ('date', 'timestamp with time zone', 'timestamp without time zone')
    order by 1, 2, 3`.execute(db);
  // a unique key that holds a date (one visit a reader a day) would meet the not yet moved row of the
  // day after: such a table moves far past all its dates first, then back to where it belongs
  const unique = await sql<{ schema: string; table: string }>`
    select distinct n.nspname as schema, c.relname as table
    from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey)
    where i.indisunique and format_type(a.atttypid, a.atttypmod) in ('date', 'timestamp with time zone', 'timestamp without time zone')`.execute(db);
  const twoSteps = new Set(unique.rows.map((u) => `"${u.schema}"."${u.table}"`));
  const FAR = 100_000;
  const byTable = new Map<string, { column: string; date: boolean }[]>();
  for (const c of columns.rows) {
    if (FIXED.has(`${c.schema}.${c.table}.${c.column}`)) continue;
    const name = `"${c.schema}"."${c.table}"`;
    byTable.set(name, [...(byTable.get(name) ?? []), { column: c.column, date: c.type === 'date' }]);
  }
  const move = (cols: { column: string; date: boolean }[], n: number) =>
    cols.map(({ column, date }) => (date ? `"${column}" = "${column}" + ${n}` : `"${column}" = "${column}" + interval '${n} days'`)).join(', ');
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    for (const [table, cols] of byTable) {
      if (twoSteps.has(table)) {
        await sql.raw(`update ${table} set ${move(cols, days + FAR)}`).execute(trx);
        await sql.raw(`update ${table} set ${move(cols, -FAR)}`).execute(trx);
      } else {
        await sql.raw(`update ${table} set ${move(cols, days)}`).execute(trx);
      }
    }
  });
  return byTable.size;
}

/** Days to move a snapshot made on `day` so that it ends on `today`. */
export function daysToShift(day: string, today: string): number {
  return daysBetween(day, today);
}
