import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connectPGlite } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { TEST_DATABASE_URL } from './db.js';

/** Runs once per test run: checks the PostgreSQL server and makes a migrated PGlite template. */
export default async function setup() {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.end();
  } catch (err) {
    throw new Error(
      `The PostgreSQL test server at ${TEST_DATABASE_URL} is not reachable (${(err as Error).message}). ` +
        'The suite runs every database test on PGlite and on PostgreSQL and never skips one: start the server or set TEST_DATABASE_URL.',
    );
  }
  const handle = await connectPGlite();
  await migrateToLatest(handle.db);
  const file = path.join(os.tmpdir(), `kitaphana-template-${process.pid}.tar.gz`);
  const dump = await handle.dump!();
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  process.env.KITAPHANA_PGLITE_TEMPLATE = file;
  return () => fs.rmSync(file, { force: true });
}
