/**
 * `npm run setup -- --region <name> [--district <name>] --library <name> --admin-name <full name>
 * [--admin <login>] [--librarian <login> --librarian-name <full name>] [--kind school|college|children_library]`
 *
 * Makes the first library and its first accounts in a database started without the demo
 * (KITAPHANA_DEMO=false), with the server stopped on the embedded database. Passwords come from
 * KITAPHANA_ADMIN_PASSWORD and KITAPHANA_LIBRARIAN_PASSWORD, or are typed at a prompt that does
 * not show them.
 */
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { readConfig } from '../config.js';
import { connect } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { pickLocale, t } from '../i18n/index.js';
import { AppError } from '../shared/errors.js';
import { setUpLibrary } from './setup.js';

const USAGE = `Usage: npm run setup -- --region <name> [--district <name>] --library <name> --admin-name <full name>
       [--admin <login>] [--librarian <login> --librarian-name <full name>] [--kind school|college|children_library] [--code <code>]
Passwords: KITAPHANA_ADMIN_PASSWORD, KITAPHANA_LIBRARIAN_PASSWORD, or typed when asked.`;

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
  },
});
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
  console.log(`Set up «${values.library}» (organisation ${result.libraryId}): admin «${values.admin}»${values.librarian ? `, librarian «${values.librarian}»` : ''}. Start the server with npm start and sign in.`);
} catch (err) {
  console.error(err instanceof AppError ? t(locale, err.code, err.params) : (err as Error).message);
  process.exitCode = 1;
} finally {
  await database.close();
}
