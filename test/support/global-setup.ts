import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connectPGlite, connectPostgres } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { LOCAL_TEST_DATABASE_URL } from './db.js';
import { startThrowawayCluster, type ThrowawayCluster } from './pg-cluster.js';

async function answers(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.end();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The PostgreSQL server of the run: TEST_DATABASE_URL, the local server, or a throwaway cluster of our own. */
async function testServer(): Promise<{ url: string; cluster?: ThrowawayCluster }> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    const problem = await answers(given);
    if (problem) {
      throw new Error(
        `The PostgreSQL test server at ${given} is not reachable (${problem}). ` +
          'The suite runs every database test on PGlite and on PostgreSQL and never skips one: start it, or unset TEST_DATABASE_URL to let the suite run its own.',
      );
    }
    return { url: given };
  }
  if (process.env.KITAPHANA_TEST_OWN_CLUSTER !== '1' && (await answers(LOCAL_TEST_DATABASE_URL)) === null) return { url: LOCAL_TEST_DATABASE_URL };
  const cluster = await startThrowawayCluster();
  return { url: cluster.url, cluster };
}

/** A migrated PostgreSQL database that every test database is cloned from (CREATE DATABASE … TEMPLATE). */
async function postgresTemplate(serverUrl: string): Promise<string> {
  const name = `kt_template_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await connectPostgres(url.toString(), 2);
  await migrateToLatest(handle.db);
  await handle.close();
  return name;
}

/** A migrated PGlite database, dumped to a file that every PGlite test database is loaded from. */
async function pgliteTemplate(): Promise<string> {
  const handle = await connectPGlite();
  await migrateToLatest(handle.db);
  const file = path.join(os.tmpdir(), `kitaphana-template-${process.pid}.tar.gz`);
  const dump = await handle.dump!();
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  return file;
}

/** Runs once per test run: finds (or starts) the PostgreSQL server and migrates the two templates. */
export default async function setup() {
  const { url, cluster } = await testServer();
  process.env.TEST_DATABASE_URL = url;
  let pgTemplate: string | undefined;
  let pgliteFile: string | undefined;
  try {
    [pgTemplate, pgliteFile] = await Promise.all([postgresTemplate(url), pgliteTemplate()]);
  } catch (err) {
    cluster?.stop();
    throw err;
  }
  process.env.KITAPHANA_PG_TEMPLATE = pgTemplate;
  process.env.KITAPHANA_PGLITE_TEMPLATE = pgliteFile;
  return async () => {
    fs.rmSync(pgliteFile!, { force: true });
    if (cluster) {
      cluster.stop();
      return;
    }
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pgTemplate} WITH (FORCE)`);
    await admin.end();
  };
}
