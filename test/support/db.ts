import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { connectPGlite, connectPostgres, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export const BACKENDS = ['pglite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

/** The PostgreSQL server of the test run: TEST_DATABASE_URL, else the local one, else a throwaway cluster (global setup). */
export const LOCAL_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const testDatabaseUrl = () => process.env.TEST_DATABASE_URL || LOCAL_TEST_DATABASE_URL;

/**
 * A fresh, migrated database of the given kind, private to the caller: PGlite in memory, or a
 * new database on the PostgreSQL test server, dropped on close. Both are copies of a template
 * migrated once per run by the global setup (test/support/global-setup.ts).
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
  const serverUrl = testDatabaseUrl();
  const admin = new pg.Client({ connectionString: serverUrl });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `The PostgreSQL test server at ${serverUrl} is not reachable (${(err as Error).message}). ` +
        'Database tests run on PGlite and on PostgreSQL: start the server or set TEST_DATABASE_URL.',
    );
  }
  const name = `kt_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const template = process.env.KITAPHANA_PG_TEMPLATE;
  try {
    await admin.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await connectPostgres(url.toString(), 20);
  if (!template) await migrateToLatest(handle.db);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
