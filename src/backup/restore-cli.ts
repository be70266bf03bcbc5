/**
 * `npm run restore -- <backup file>`: puts a backup of the embedded database back, with the server
 * stopped. Without a file it lists the backups in the backup folder.
 */
import path from 'node:path';
import { readConfig } from '../config.js';
import { listBackups, readBackupConfig } from './backup.js';
import { erasureLedgerFile } from '../readers/anonymise.js';
import { restoreBackup } from './restore.js';

const config = readConfig();
const backups = readBackupConfig(process.env, config.dataDir);
const file = process.argv[2];

if (config.databaseUrl) {
  console.error('DATABASE_URL is set: a PostgreSQL server is restored with pg_restore or psql (see docs/deploy.md), not with this command.');
  process.exit(2);
}
if (!file) {
  const list = listBackups(backups.dir);
  console.log(`Usage: npm run restore -- <backup file>\nData folder: ${config.dataDir}\nBackups in ${backups.dir}:`);
  for (const b of list) console.log(`  ${path.join(backups.dir, b.name)}  ${b.createdAt}  ${(b.bytes / 2 ** 20).toFixed(1)} MB`);
  if (!list.length) console.log('  (none)');
  process.exit(list.length ? 0 : 1);
}
try {
  // an encrypted backup opens with KITAPHANA_BACKUP_PASSPHRASE, or with this computer's own backup key
  const result = await restoreBackup({
    dataDir: config.dataDir,
    file: path.resolve(file),
    passphrase: process.env.KITAPHANA_BACKUP_PASSPHRASE,
    key: backups.key,
    erasureLedger: erasureLedgerFile(config.dataDir),
  });
  console.log(`Restored ${file} into ${config.dataDir}: ${result.organisations} organisations, ${result.works} records, ${result.readers} readers.`);
  if (result.erasuresReapplied) console.log(`Readers erased since the backup was made were erased again: ${result.erasuresReapplied}.`);
  if (result.keptAt) console.log(`The data folder it replaced is kept at ${result.keptAt}; it is removed by itself ${config.keptFolderDays} days after the restore (KITAPHANA_RESTORE_KEEP_DAYS).`);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
