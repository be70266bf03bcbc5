import { performance } from 'node:perf_hooks';
import { readConfig } from './config.js';
import { connect } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { refreshSearchKeys } from './catalog/rekey.js';
import { buildApp } from './http/app.js';
import { readBackupConfig, scheduleBackups } from './backup/backup.js';
import { DEMO_LOGINS, isDatabaseEmpty, loadDemoLibrary } from './demo/seed.js';

const started = performance.now();
const config = readConfig();
const database = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await migrateToLatest(database.db);
await refreshSearchKeys(database.db, (message) => console.log(message));

if (config.loadDemo && (await isDatabaseEmpty(database.db))) {
  console.log('Empty database: loading the demo school library…');
  await loadDemoLibrary(database.db);
}

const nobody = !(await database.db.selectFrom('org.users').select('id').limit(1).executeTakeFirst());
const backups = readBackupConfig(process.env, config.dataDir);
const app = await buildApp({ database, logger: process.env.LOG === 'true', secureCookies: config.secureCookies, backups });
const address = await app.listen({ port: config.port, host: config.host });
const where = config.databaseUrl ? 'PostgreSQL server' : `embedded database in ${config.dataDir}`;
console.log(`Kitaphana is running at ${address} on the ${where} (ready in ${Math.round(performance.now() - started)} ms)`);
if (config.loadDemo) {
  console.log('Demo logins (password for all: demo12345):');
  for (const l of DEMO_LOGINS) console.log(`  ${l.login.padEnd(14)} ${l.role}`);
}

if (nobody) {
  console.log('No one can sign in yet. Stop the server (Ctrl+C) and set up the library first:');
  console.log('  npm run setup -- --region <region> --district <district> --library <name> --admin-name <full name> --librarian <login> --librarian-name <full name>');
  console.log('  (see docs/deploy.md), or start with KITAPHANA_DEMO=true on an empty database to try the demo school.');
}
const stopBackups = scheduleBackups(database, backups, (message) => console.log(message));
if (database.kind === 'pglite') {
  console.log(backups.everyHours > 0 ? `Backups: every ${backups.everyHours} h into ${backups.dir} (the newest ${backups.keep} kept)` : 'Backups: off (KITAPHANA_BACKUP_HOURS=0)');
}

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    await stopBackups();
    await app.close();
    await database.close();
    process.exit(0);
  });
}
