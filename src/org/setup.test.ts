import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPGlite, type DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { setUpLibrary } from './setup.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

describe.each(BACKENDS)('setting up a library without the demo, on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('makes the library in its place and its first accounts, once, and a refused password leaves nothing', async () => {
    const input = {
      region: 'Абай облысы',
      district: 'Семей қаласы',
      library: '№ 7 Абай атындағы мектеп-гимназия',
      admin: { login: 'admin', fullName: 'Жүйе әкімшісі', password: 'Ertis-tolqyny-2026' },
      librarian: { login: 'saule', fullName: 'Сәуле Ахметова', password: 'short' },
    };
    await expect(setUpLibrary(database.db, input)).rejects.toMatchObject({ code: 'password.too_short' });
    expect(await database.db.selectFrom('org.organisations').select('id').execute()).toEqual([]);

    const result = await setUpLibrary(database.db, { ...input, librarian: { ...input.librarian, login: 'saule', password: 'Kokshetau-kolderi-7' } });
    const chain = await database.db.selectFrom('org.organisations').select(['id', 'kind', 'name', 'path']).orderBy('id').execute();
    expect(chain.map((o) => [o.kind, o.name])).toEqual([
      ['republic', 'Қазақстан Республикасы'],
      ['region', 'Абай облысы'],
      ['district', 'Семей қаласы'],
      ['school', '№ 7 Абай атындағы мектеп-гимназия'],
    ]);
    expect(chain[3]!.path).toBe(`/${chain[0]!.id}/${chain[1]!.id}/${chain[2]!.id}/${chain[3]!.id}/`);
    expect(result.libraryId).toBe(chain[3]!.id);

    const librarian = new ApiClient(app);
    const signedIn = await librarian.login('saule', 'Kokshetau-kolderi-7');
    expect(signedIn.body).toMatchObject({ role: 'librarian', organisationId: result.libraryId });
    expect((await librarian.get('/api/readers')).status).toBe(200);
    const admin = new ApiClient(app);
    expect((await admin.login('admin', 'Ertis-tolqyny-2026')).body).toMatchObject({ role: 'admin', organisationId: result.libraryId });

    // once someone can sign in, people are added by them, not by the setup
    await expect(setUpLibrary(database.db, { ...input, library: 'Басқа мектеп', admin: { ...input.admin, login: 'admin2' }, librarian: null })).rejects.toMatchObject({ code: 'org.setup_done' });
    expect(await database.db.selectFrom('org.organisations').select('id').execute()).toHaveLength(4);
  });
});

describe('npm run setup', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaphana-setup-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sets up an empty data folder from the command line, then refuses a second time with a translated message', async () => {
    const env = { ...process.env, KITAPHANA_DATA_DIR: path.join(dir, 'kitaphana'), KITAPHANA_ADMIN_PASSWORD: 'Ertis-tolqyny-2026', KITAPHANA_LIBRARIAN_PASSWORD: 'Kokshetau-kolderi-7', DATABASE_URL: '', LANG: 'ru_RU.UTF-8' };
    const args = ['tsx', 'src/org/setup-cli.ts', '--region', 'Ұлытау облысы', '--library', 'Жезқазған балалар кітапханасы', '--kind', 'children_library', '--admin-name', 'Әкімші', '--librarian', 'aigul', '--librarian-name', 'Айгүл Серікова'];
    const first = await run('npx', args, { cwd: root, env });
    expect(first.stdout).toContain('Set up «Жезқазған балалар кітапханасы»');
    const again = await run('npx', args, { cwd: root, env }).catch((err: { code: number; stderr: string }) => err);
    expect('code' in again && again.code).toBe(1);
    expect((again as { stderr: string }).stderr).toContain('Библиотека уже настроена');

    const database = await connectPGlite(path.join(dir, 'kitaphana'));
    const users = await database.db.selectFrom('org.users as u').innerJoin('org.organisations as o', 'o.id', 'u.organisation_id').select(['u.login', 'u.role', 'o.kind']).orderBy('u.id').execute();
    await database.close();
    expect(users).toEqual([
      { login: 'admin', role: 'admin', kind: 'children_library' },
      { login: 'aigul', role: 'librarian', kind: 'children_library' },
    ]);
    // two processes that each start TypeScript: on a busy machine that alone takes tens of seconds
  }, 180_000);
});
