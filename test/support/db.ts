import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { connectPGlite, connectPostgres, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export const BACKENDS = ['pglite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A fresh, migrated database of the given kind, private to the caller:
 * PGlite in memory (from a migrated template made once per run), or a new
 * database on the PostgreSQL test server, dropped on close.
 */
export async function openTestDatabase(backend: Backend): Promise<DatabaseHandle> {
  return backend === 'pglite' ? openPGlite() : openPostgres();
}

async function openPGlite(): Promise<DatabaseHandle> {
  const template = process.env.KITAPHANA_PGLITE_TEMPLATE;
  if (template && fs.existsSync(template)) {
    const blob = new Blob([fs.readFileSync(template)]);
    return connectPGlite(undefined, blob);
  }
  const handle = await connectPGlite();
  await migrateToLatest(handle.db);
  return handle;
}

async function openPostgres(): Promise<DatabaseHandle> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `The PostgreSQL test server at ${TEST_DATABASE_URL} is not reachable (${(err as Error).message}). ` +
        'Database tests run on PGlite and on PostgreSQL: start the server or set TEST_DATABASE_URL.',
    );
  }
  const name = `kt_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const handle = await connectPostgres(url.toString(), 20);
  await migrateToLatest(handle.db);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
