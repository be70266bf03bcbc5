import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readConfig } from './config.js';
import { connect } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { refreshSearchKeys } from './catalog/rekey.js';
import { buildApp } from './http/app.js';
import { readBackupConfig, scheduleBackups } from './backup/backup.js';
import { removeKeptFolders } from './backup/restore.js';
import { erasureLedgerFile, reapplyErasures } from './readers/anonymise.js';
import { scheduleRetention } from './readers/retention.js';
import { scheduleReservationJob } from './circulation/reservation-job.js';
import { DEMO_LOGINS, isDatabaseEmpty, loadDemoLibrary } from './demo/seed.js';
import { currentBuild, daysToShift, restoreDemoSnapshot, shiftDates, SNAPSHOT_DIR } from './demo/snapshot.js';
import { localDate } from './shared/library-time.js';
import { sql } from 'kysely';

const started = performance.now();
const config = readConfig();
// a first start of the embedded database with the demo: the demo school the build made, when it fits today
const build = currentBuild();
let snapshotDay: string | null = null;
if (!config.databaseUrl && config.loadDemo && build && !fs.existsSync(path.join(config.dataDir, 'PG_VERSION'))) {
  const restored = restoreDemoSnapshot(SNAPSHOT_DIR, config.dataDir, build);
  if ('info' in restored) snapshotDay = restored.info.day;
  else console.log(`The demo school made by the build is not used (${restored.skipped}): it is generated now.`);
}
const database = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, durable: process.env.KITAPHANA_DURABLE_COMMITS !== 'false' });
await migrateToLatest(database.db);
await refreshSearchKeys(database.db, (message) => console.log(message));
// erasures listed outside the database are made again if a restore brought the data back
const erasureLedger = erasureLedgerFile(config.dataDir);
const again = await reapplyErasures(database.db, database.kind, erasureLedger);
if (again) console.log(`Erased again after a restore: ${again} reader(s)`);
for (const gone of removeKeptFolders(config.dataDir, config.keptFolderDays)) console.log(`Removed the folder a restore kept aside: ${gone}`);

if (snapshotDay) {
  const days = daysToShift(snapshotDay, localDate());
  if (days) {
    await shiftDates(database.db, days);
    await sql`checkpoint`.execute(database.db);
  }
  console.log(`Demo school library loaded${days ? ` (its dates moved ${days} day(s) forward to today)` : ''}.`);
} else if (config.loadDemo && (await isDatabaseEmpty(database.db))) {
  console.log('Empty database: loading the demo school library…');
  await loadDemoLibrary(database.db);
  // the load's WAL goes into the tables now, not at the first checkpoint of a working day
  if (database.kind === 'pglite') await sql`checkpoint`.execute(database.db);
}

const nobody = !(await database.db.selectFrom('org.users').select('id').limit(1).executeTakeFirst());
const backups = readBackupConfig(process.env, config.dataDir);
const app = await buildApp({ database, logger: process.env.LOG === 'true', secureCookies: config.secureCookies, backups, erasureLedger, trustedProxies: config.trustedProxies });
if (!config.secureCookies) console.log('Session cookies are not marked Secure: the server listens on loopback only (behind HTTPS set COOKIE_SECURE=true).');
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
// the daily retention job: leavers erased, old audit lines, expired sessions and old backups removed
const stopRetention = scheduleRetention(database.db, database.kind, { erasureLedger, backups }, (message) => console.log(message));
// reservations, hourly: holds past their day pass to the next reader, letters of new holds, old closed ones removed
const stopReservations = scheduleReservationJob(database.db, (message) => console.log(message));
if (database.kind === 'pglite') {
  console.log(backups.everyHours > 0 ? `Backups: every ${backups.everyHours} h into ${backups.dir} (kept ${backups.keepDays} days${backups.key ? ', encrypted' : ', NOT ENCRYPTED'})` : 'Backups: off (KITAPHANA_BACKUP_HOURS=0)');
}

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    await stopBackups();
    await stopRetention();
    await stopReservations();
    await app.close();
    await database.close();
    process.exit(0);
  });
}
