import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../test/support/api.js';
import { makeReader } from '../../test/support/factories.js';
import { seedTenants, TEST_PASSWORD } from '../../test/support/tenants.js';
import { decryptBackup, deriveBackupKey, makeBackup } from '../backup/backup.js';
import { removeKeptFolders, restoreBackup } from '../backup/restore.js';
import { connectPGlite } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { buildApp } from '../http/app.js';
import { audit } from '../org/audit.js';
import { createUser } from '../org/users.js';
import { erasureLedgerFile, readLedger } from './anonymise.js';

const PASSPHRASE = 'Мектеп кітапханасы — 2026';
const key = deriveBackupKey(PASSPHRASE);
// what must not be found anywhere once the reader is erased
const SECRETS = ['Жанибекова', 'Zhanibekova', '+7 701 555 44 33', 'ainur.zh@example.kz', 'Жанибеков Серік', '+7 777 000 11 22'];

/** Every file under a folder whose bytes contain one of the secrets. */
function filesHolding(dir: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d)) {
      const p = path.join(d, name);
      const stat = fs.statSync(p);
      if (stat.isDirectory()) walk(p);
      else {
        const bytes = fs.readFileSync(p);
        for (const s of SECRETS) if (bytes.includes(Buffer.from(s))) hits.push(`${path.relative(dir, p)}: ${s}`);
      }
    }
  };
  walk(dir);
  return hits;
}

describe('erasure that erases, on the embedded database', () => {
  let root: string;
  let dataDir: string;
  let backupDir: string;
  let ledger: string;
  let readerId: number;
  let olderBackup: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaphana-erasure-'));
    dataDir = path.join(root, 'kitaphana');
    backupDir = path.join(root, 'backups');
    ledger = erasureLedgerFile(dataDir);
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('leaves the name, phone and e-mail nowhere in the data folder or a new backup, and a restore of an older backup erases again', async () => {
    const database = await connectPGlite(dataDir);
    await migrateToLatest(database.db);
    const tenants = await seedTenants(database.db);
    const db = database.db;
    readerId = (await makeReader(db, tenants.schoolA.id, { lastName: 'Жанибекова', firstName: 'Айнұр' })).id;
    await db.insertInto('readers.consents').values({ organisation_id: tenants.schoolA.id, reader_id: readerId, scope: 'contact', given_by: 'Жанибеков Серік', form: 'paper', given_on: '2026-09-01' }).execute();
    await db
      .updateTable('readers.readers')
      .set({ phone: '+7 701 555 44 33', email: 'ainur.zh@example.kz', parent_name: 'Жанибеков Серік', parent_phone: '+7 777 000 11 22', birth_date: '2014-03-08' })
      .where('id', '=', readerId)
      .execute();
    await createUser(db, null, { login: 'ainur', password: TEST_PASSWORD, fullName: 'Zhanibekova Ainur', role: 'student', organisationId: tenants.schoolA.id, readerId });
    // a free-text audit line that names her, about something else
    await audit(db, null, 'note', 'copy', 1, { note: 'Жанибекова brought the book back torn' }, tenants.schoolA.id);
    await db.insertInto('readers.requests').values({ organisation_id: tenants.schoolA.id, reader_id: readerId, kind: 'correction', message: 'Телефон: +7 777 000 11 22' }).execute();
    // the reading movement wrote her name and words down too: a gift draw, a recommendation, a challenge note
    const org = tenants.schoolA.id;
    const draw = await db.insertInto('reading.draws').values({ organisation_id: org, title: 'Кітап сыйла', gift_on: '2026-12-20' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('reading.draw_participants').values({ draw_id: draw.id, organisation_id: org, reader_id: readerId, name: 'Жанибекова Айнұр', role: 'pupil', email: 'ainur.zh@example.kz', wished_book: 'Абай жолы' }).execute();
    const work = await db.insertInto('catalog.works').values({ title: 'Көксерек', search_key: 'коксерек', title_key: 'коксерек', sort_key: 'коксерек' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('reading.recommendations').values({ organisation_id: org, reader_id: readerId, work_id: work.id, text: 'Жанибекова ұсынады: керемет кітап' }).execute();
    const challenge = await db.insertInto('reading.challenges').values({ organisation_id: org, title: '30 күн', starts_on: '2026-11-01' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('reading.challenge_entrants').values({ challenge_id: challenge.id, reader_id: readerId, organisation_id: org, joined_on: '2026-11-01' }).execute();
    await db.insertInto('reading.challenge_days').values({ challenge_id: challenge.id, reader_id: readerId, organisation_id: org, day: '2026-11-02', minutes: 20, note: 'Жанибеков Серік екеуміз оқыдық' }).execute();
    olderBackup = path.join(backupDir, (await makeBackup(database, { dir: backupDir, keepDays: 30, key }, new Date('2026-11-01T08:00:00Z'))).name);

    const app = await buildApp({ database, webDist: '/nonexistent', backups: { dir: backupDir, keepDays: 30, everyHours: 0, key }, erasureLedger: ledger });
    await app.ready();
    const librarian = new ApiClient(app);
    await librarian.login('librarian-a');
    expect(filesHolding(dataDir).length).toBeGreaterThan(0);
    const started = performance.now();
    const res = await librarian.post(`/api/readers/${readerId}/erase`);
    const ms = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ erased: true, accountsRemoved: 1 });
    console.log(`erasing one reader with the files rewritten: ${Math.round(ms)} ms`);
    // the account is gone, the audit lines no longer name her, the ledger lists numbers only
    expect(await db.selectFrom('org.users').select('id').where('login', '=', 'ainur').execute()).toEqual([]);
    expect(JSON.stringify(await db.selectFrom('org.audit_log').select('details').execute())).not.toContain('Жанибекова');
    expect(readLedger(ledger)).toEqual([{ organisationId: tenants.schoolA.id, readerId, reason: 'request', erasedAt: expect.any(String) }]);
    expect(fs.readFileSync(ledger, 'utf8')).not.toContain('Жанибекова');

    expect(filesHolding(dataDir)).toEqual([]);
    const fresh = await makeBackup(database, { dir: backupDir, keepDays: 365, key });
    const tarball = zlib.gunzipSync(decryptBackup(fs.readFileSync(path.join(backupDir, fresh.name)), { passphrase: PASSPHRASE }));
    for (const s of SECRETS) expect(tarball.includes(Buffer.from(s)), s).toBe(false);
    await app.close();
    await database.close();

    // the older backup still holds her; the restore erases her again before anyone opens it
    const result = await restoreBackup({ dataDir, file: olderBackup, passphrase: PASSPHRASE, erasureLedger: ledger, now: new Date('2026-11-23T10:00:00Z') });
    expect(result.erasuresReapplied).toBe(1);
    expect(filesHolding(dataDir)).toEqual([]);
    const restored = await connectPGlite(dataDir);
    const row = await restored.db.selectFrom('readers.readers').select(['last_name', 'phone', 'anonymised_at']).where('id', '=', readerId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ last_name: '***', phone: null });
    expect(row.anonymised_at).not.toBeNull();
    await restored.close();
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);

    // the folder the restore kept aside holds her too: it is removed after the set time
    expect(fs.existsSync(result.keptAt!)).toBe(true);
    expect(removeKeptFolders(dataDir, 7, new Date('2026-11-25T10:00:00Z'))).toEqual([]);
    expect(removeKeptFolders(dataDir, 7, new Date('2026-11-30T10:00:01Z'))).toEqual([result.keptAt]);
    expect(fs.existsSync(result.keptAt!)).toBe(false);
    // a data folder on disk, two backups and a restore take long on a busy machine
  }, 240_000);
});
