import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect, type LogConfig } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { PGliteDialect } from './pglite-dialect.js';
import { DurableWrites } from './durable.js';
import { lockDataDir } from './lock.js';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
  /** What the embedded database synced to the disk (PGlite with a data folder only). */
  durableWrites?: DurableWrites | null;
  /** The embedded database's whole data folder as a tarball (PGlite only). */
  dump?: () => Promise<Blob>;
  /** The embedded database's folder on the disk (PGlite with a data folder only). */
  dataDir?: string;
}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

// Both drivers must hand the same JS types back: int8 as number (ids and tiyn stay
// far below 2^53), dates as 'YYYY-MM-DD' strings so that no time zone shifts a due date.
const parsers = {
  [INT8]: (v: string) => Number(v),
  [NUMERIC]: (v: string) => Number(v),
  [DATE]: (v: string) => v,
};

export interface ConnectOptions {
  /** postgres://… to use a PostgreSQL server; otherwise the embedded database. */
  databaseUrl?: string;
  /** Folder of the embedded database; memory when absent. */
  dataDir?: string;
  /** A dumped data folder to start from (tests use a migrated template). */
  loadDataDir?: Blob;
  poolSize?: number;
  /** Kysely's query log: sees every statement, BEGIN and COMMIT included (the benchmark counts them). */
  log?: LogConfig;
  /**
   * Sync what the embedded database wrote to the disk before a change is acknowledged (on by default;
   * KITAPHANA_DURABLE_COMMITS=false turns it off, for a benchmark or a throw-away database).
   */
  durable?: boolean;
}

export async function connect(options: ConnectOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return connectPostgres(options.databaseUrl, options.poolSize ?? 10, options.log);
  return connectPGlite(options.dataDir, options.loadDataDir, options.log, options.durable);
}

export async function connectPostgres(url: string, poolSize = 10, log?: LogConfig): Promise<DatabaseHandle> {
  const types = {
    getTypeParser: (oid: number, format?: string) =>
      (parsers as Record<number, (v: string) => unknown>)[oid] ??
      pg.types.getTypeParser(oid, format as 'text'),
  };
  // gin_pending_list_limit: the trigram indexes' 64 kB pending list (catalog migrations 0102, 0104),
  // given per connection so that a bulk import may widen it for its own transaction.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: types as pg.CustomTypesConfig,
    options: '-c gin_pending_list_limit=64',
  });
  // An idle connection the server drops (restart, terminated backend) is discarded by the pool and
  // replaced on the next query; without a listener its 'error' event would end the whole process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

/**
 * PostgreSQL's defaults are sized for a server: 128 MB of shared buffers held in PGlite's WebAssembly
 * memory (it never gives memory back), 100 connections for a database that has one, and a WAL allowed
 * to grow to 1 GB before a checkpoint. A school's database is some 60 MB, and what misses the buffers
 * is read from the operating system's file cache; KITAPHANA_SHARED_BUFFERS gives a larger library more.
 */
export function pgliteSettings(env: NodeJS.ProcessEnv = process.env, extra: Record<string, string> = {}): string[] {
  const sharedBuffers = /^\d+(kB|MB|GB)$/.test(env.KITAPHANA_SHARED_BUFFERS ?? '') ? env.KITAPHANA_SHARED_BUFFERS! : '32MB';
  const settings = { shared_buffers: sharedBuffers, max_connections: '10', min_wal_size: '32MB', max_wal_size: '160MB', ...extra };
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

/**
 * `settings`: PostgreSQL settings for this opening only, over those of pgliteSettings (the demo's
 * data folder is made with more buffers and without recycled WAL files).
 */
export async function connectPGlite(
  dataDir?: string,
  loadDataDir?: Blob,
  log?: LogConfig,
  durable = true,
  settings: Record<string, string> = {},
): Promise<DatabaseHandle> {
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    // pgcrypto is never loaded: with it, trigram queries on PGlite intermittently hang.
    const pglite = await PGlite.create({
      dataDir,
      loadDataDir,
      extensions: { pg_trgm },
      parsers,
      startParams: [...PGlite.defaultStartParams, ...pgliteSettings(process.env, settings)],
    });
    // only a data folder on the disk has anything to make durable; memory has not
    const writes = dataDir ? DurableWrites.attach(pglite, durable) : null;
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite, writes), log });
    return {
      db,
      kind: 'pglite',
      durableWrites: writes,
      dump: () => pglite.dumpDataDir('gzip'),
      dataDir,
      close: async () => {
        await db.destroy();
        await pglite.close();
        unlock();
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}
