/**
 * `npm run setup -- --region <name> [--district <name>] --library <name> --admin-name <full name>
 * [--admin <login>] [--librarian <login> --librarian-name <full name>] [--kind school|college|children_library]
 * [--backup-passphrase]`
 *
 * Makes the first library and its first accounts in a database started without the demo
 * (KITAPHANA_DEMO=false), with the server stopped on the embedded database. Passwords come from
 * KITAPHANA_ADMIN_PASSWORD and KITAPHANA_LIBRARIAN_PASSWORD, or are typed at a prompt that does
 * not show them. With --backup-passphrase the backup passphrase (KITAPHANA_BACKUP_PASSPHRASE, or
 * typed twice) is turned into the backup key beside the data folder; run it alone to set or change it.
 */
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { readConfig } from '../config.js';
import { connect } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { pickLocale, t } from '../i18n/index.js';
import { AppError } from '../shared/errors.js';
import { backupKeyFile, deriveBackupKey, writeBackupKeyFile } from '../backup/backup.js';
import { setUpLibrary } from './setup.js';

const USAGE = `Usage: npm run setup -- --region <name> [--district <name>] --library <name> --admin-name <full name>
       [--admin <login>] [--librarian <login> --librarian-name <full name>] [--kind school|college|children_library] [--code <code>]
       [--backup-passphrase]   (alone: set or change only the backup passphrase)
Passwords: KITAPHANA_ADMIN_PASSWORD, KITAPHANA_LIBRARIAN_PASSWORD, KITAPHANA_BACKUP_PASSPHRASE, or typed when asked.`;

/** Reads a line without echoing it when a person types at a terminal. */
function askHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, encoding, done) {
      if (!muted) process.stdout.write(chunk, encoding);
      done();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY === true });
  return new Promise((resolve) => {
    process.stdout.write(question);
    muted = true;
    rl.question('', (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}

const { values } = parseArgs({
  options: {
    region: { type: 'string' },
    district: { type: 'string' },
    library: { type: 'string' },
    kind: { type: 'string', default: 'school' },
    code: { type: 'string' },
    admin: { type: 'string', default: 'admin' },
    'admin-name': { type: 'string' },
    librarian: { type: 'string' },
    'librarian-name': { type: 'string' },
    'backup-passphrase': { type: 'boolean', default: false },
  },
});

/**
 * Backups hold every child's personal data: they are encrypted with a key derived from this
 * passphrase. Only the derived key is stored (beside the data folder, readable by the server's user);
 * the passphrase itself is needed to restore a backup on another computer.
 */
async function setBackupPassphrase(dataDir: string): Promise<void> {
  let passphrase = process.env.KITAPHANA_BACKUP_PASSPHRASE;
  if (!passphrase) {
    passphrase = await askHidden('Backup passphrase (at least 12 characters; write it down and keep it apart from the backups): ');
    if ((await askHidden('The same passphrase again: ')) !== passphrase) {
      console.error('The two passphrases differ: nothing was changed.');
      process.exit(2);
    }
  }
  const file = backupKeyFile(dataDir);
  writeBackupKeyFile(file, deriveBackupKey(passphrase));
  console.log(`Backup key written to ${file}: new backups are encrypted. Keep the passphrase: a backup cannot be restored without it.`);
}

if (values['backup-passphrase'] && !values.region && !values.library) {
  try {
    await setBackupPassphrase(readConfig().dataDir);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  process.exit(0);
}
const kind = values.kind;
if (!values.region || !values.library || !values['admin-name'] || (values.librarian && !values['librarian-name']) || !['school', 'college', 'children_library'].includes(kind)) {
  console.error(USAGE);
  process.exit(2);
}

const locale = pickLocale(process.env.LANG);
const config = readConfig();
const database = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrateToLatest(database.db);
  const adminPassword = process.env.KITAPHANA_ADMIN_PASSWORD ?? (await askHidden(`Password for ${values.admin}: `));
  const librarianPassword = values.librarian ? (process.env.KITAPHANA_LIBRARIAN_PASSWORD ?? (await askHidden(`Password for ${values.librarian}: `))) : '';
  const result = await setUpLibrary(database.db, {
    region: values.region,
    district: values.district ?? null,
    library: values.library,
    kind: kind as 'school' | 'college' | 'children_library',
    code: values.code ?? null,
    admin: { login: values.admin, fullName: values['admin-name'], password: adminPassword },
    librarian: values.librarian ? { login: values.librarian, fullName: values['librarian-name']!, password: librarianPassword } : null,
  });
  if (values['backup-passphrase']) await setBackupPassphrase(config.dataDir);
  else console.log('No backup passphrase set yet: run npm run setup -- --backup-passphrase before real use (backups are refused or left unencrypted without it).');
  console.log(`Set up «${values.library}» (organisation ${result.libraryId}): admin «${values.admin}»${values.librarian ? `, librarian «${values.librarian}»` : ''}. Start the server with npm start and sign in.`);
} catch (err) {
  console.error(err instanceof AppError ? t(locale, err.code, err.params) : (err as Error).message);
  process.exitCode = 1;
} finally {
  await database.close();
}
