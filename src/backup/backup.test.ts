import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPGlite, type DatabaseHandle } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { buildApp } from '../http/app.js';
import type { App } from '../http/types.js';
import { ApiClient } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants } from '../../test/support/tenants.js';
import { decryptBackup, deriveBackupKey, listBackups, makeBackup, NoPassphraseError, readBackupConfig, scheduleBackups, writeBackupKeyFile } from './backup.js';

const PASSPHRASE = 'Кітапхана қоры 2026 — test';
const key = deriveBackupKey(PASSPHRASE);
import { restoreBackup } from './restore.js';

const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

const titles = async (database: DatabaseHandle) => (await database.db.selectFrom('catalog.works').select('title').orderBy('id').execute()).map((w) => w.title);

describe('backups of the embedded database', () => {
  let root: string;
  let dataDir: string;
  let backupDir: string;

  beforeAll(() => {
    root = tempDir('kitaphana-backup-');
    dataDir = path.join(root, 'kitaphana');
    backupDir = path.join(root, 'backups');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  // a first data folder, a backup and a restore take long on a busy machine
  it('puts a backup back, and keeps the folder it replaces', async () => {
    let database = await connectPGlite(dataDir);
    await migrateToLatest(database.db);
    const tenants = await seedTenants(database.db);
    await makeWork(database.db, { title: 'Абай жолы' });
    await makeReader(database.db, tenants.schoolA.id, { lastName: 'Сәрсенова', grade: 5 });
    const backup = await makeBackup(database, { dir: backupDir, keepDays: 30, key });
    expect(backup.name).toMatch(/^kitaphana-\d{8}-\d{6}\.kbak$/);
    // unreadable without the passphrase: no gzip or tar header, no name in the bytes
    const bytes = fs.readFileSync(path.join(backupDir, backup.name));
    expect(bytes.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))).toBe(false);
    expect(bytes.includes(Buffer.from('ustar'))).toBe(false);
    expect(bytes.includes(Buffer.from('Сәрсенова'))).toBe(false);
    expect(() => decryptBackup(bytes, { passphrase: 'not the right passphrase' })).toThrow(/does not open/);
    expect(() => decryptBackup(bytes, {})).toThrow(/passphrase/);
    expect(decryptBackup(bytes, { passphrase: PASSPHRASE }).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(fs.readdirSync(backupDir)).toEqual([backup.name]);
    // it holds readers' personal data: only the server's own user may read it
    expect(fs.statSync(path.join(backupDir, backup.name)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(backupDir).mode & 0o777).toBe(0o700);
    // written after the backup: the restored library does not have it, the kept folder does
    await makeWork(database.db, { title: 'Қан мен тер' });
    await database.close();

    await expect(restoreBackup({ dataDir, file: path.join(backupDir, backup.name) })).rejects.toThrow(/passphrase/);
    const result = await restoreBackup({ dataDir, file: path.join(backupDir, backup.name), passphrase: PASSPHRASE, now: new Date('2026-11-23T10:00:00Z') });
    expect(result).toMatchObject({ keptAt: `${dataDir}.before-restore-20261123T100000`, works: 1, readers: 1 });
    expect(result.organisations).toBeGreaterThan(1);

    database = await connectPGlite(dataDir);
    expect(await titles(database)).toEqual(['Абай жолы']);
    const reader = await database.db.selectFrom('readers.readers').select('last_name').executeTakeFirstOrThrow();
    expect(reader.last_name).toBe('Сәрсенова');
    await database.close();
    const kept = await connectPGlite(result.keptAt!);
    expect(await titles(kept)).toEqual(['Абай жолы', 'Қан мен тер']);
    await kept.close();
  }, 180_000);

  it('takes a backup while the desk keeps writing, and the restored database is whole', async () => {
    const liveDir = path.join(root, 'live');
    const liveBackups = path.join(root, 'live-backups');
    // the first test's library, already migrated, copied while closed
    fs.cpSync(dataDir, liveDir, { recursive: true });
    const database = await connectPGlite(liveDir);
    await database.db.deleteFrom('catalog.works').execute();
    await makeWork(database.db, { title: 'Before the backup' });
    // the desk writes the whole time the files are read; none of these waits for the backup to end
    let writing = true;
    let written = 0;
    const desk = (async () => {
      while (writing) {
        await makeWork(database.db, { title: `During ${written}` });
        written++;
      }
    })();
    const [a, b] = await Promise.all([
      makeBackup(database, { dir: liveBackups, keepDays: 30, key }),
      makeBackup(database, { dir: liveBackups, keepDays: 30, key }), // a second one waits its turn
    ]).finally(() => (writing = false));
    await desk;
    expect(written).toBeGreaterThan(0);
    expect(a.name).not.toBe(b.name);
    const atEnd = (await titles(database)).length;
    await database.close();

    const restoredDir = path.join(root, 'restored');
    const result = await restoreBackup({ dataDir: restoredDir, file: path.join(liveBackups, b.name), passphrase: PASSPHRASE });
    expect(result.works).toBeGreaterThanOrEqual(1);
    expect(result.works).toBeLessThanOrEqual(atEnd);
    const restored = await connectPGlite(restoredDir);
    const restoredTitles = await titles(restored);
    expect(restoredTitles[0]).toBe('Before the backup');
    // the writes that made it in are a prefix of the desk's, with no gap: the log replayed to one moment
    expect(restoredTitles.slice(1)).toEqual(restoredTitles.slice(1).map((_, i) => `During ${i}`));
    // the index and the table agree after the replay
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from catalog.works where id > 0`.execute(restored.db);
    expect(rows[0]!.n).toBe(restoredTitles.length);
    await restored.close();
  }, 240_000);

  it('refuses to restore while the server runs, or a file that is no backup, and changes nothing', async () => {
    const before = fs.readdirSync(dataDir).sort();
    const backup = listBackups(backupDir)[0]!;
    // a live process (this one's parent) holds the folder
    fs.writeFileSync(path.join(dataDir, 'kitaphana.lock'), String(process.ppid));
    await expect(restoreBackup({ dataDir, file: path.join(backupDir, backup.name), passphrase: PASSPHRASE })).rejects.toThrow(/in use by process/);
    fs.rmSync(path.join(dataDir, 'kitaphana.lock'));

    const junk = path.join(root, 'holiday-photos.tar.gz');
    fs.writeFileSync(junk, 'not a database at all');
    await expect(restoreBackup({ dataDir, file: junk })).rejects.toThrow(/not a Kitaphana backup/);
    expect(fs.readdirSync(dataDir).sort()).toEqual(before);
    const database = await connectPGlite(dataDir);
    expect(await titles(database)).toEqual(['Абай жолы']);
    await database.close();
  });

  it('keeps backups by age, the newest always, and makes one by itself when the newest is too old', async () => {
    const dir = path.join(root, 'scheduled');
    const database = await connectPGlite(dataDir);
    try {
      const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);
      const old = await makeBackup(database, { dir, keepDays: 30, key }, daysAgo(60));
      // alone, the newest stays however old it is
      expect(listBackups(dir).map((b) => b.name)).toEqual([old.name]);
      const recent = await makeBackup(database, { dir, keepDays: 30, key }, daysAgo(2));
      // the other is more than 30 days older than the newest: removed
      expect(listBackups(dir).map((b) => b.name)).toEqual([recent.name]);

      // the newest is two days old: a new one is made
      const logged: string[] = [];
      const stop = scheduleBackups(database, { dir, keepDays: 30, everyHours: 24, key }, (m) => logged.push(m), { firstAfterMs: 5, checkEveryMs: 60_000 });
      // a dump takes seconds on a busy machine
      await expect.poll(() => logged.length, { timeout: 60_000, interval: 100 }).toBe(1);
      await stop();
      expect(logged[0]).toMatch(/^Backup written: /);
      const newest = listBackups(dir)[0]!;
      expect(Date.now() - Date.parse(newest.createdAt)).toBeLessThan(60_000);
      expect(listBackups(dir).map((b) => b.name)).toEqual([newest.name, recent.name]);

      // the newest is fresh: nothing is made
      const again = scheduleBackups(database, { dir, keepDays: 30, everyHours: 24, key }, (m) => logged.push(m), { firstAfterMs: 5, checkEveryMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await again();
      expect(listBackups(dir)[0]).toEqual(newest);
      expect(logged).toHaveLength(1);
    } finally {
      await database.close();
    }
  });

  it('refuses a plain backup off loopback, and warns loudly on a loopback demo', async () => {
    const database = await connectPGlite(dataDir);
    try {
      const dir = path.join(root, 'plain');
      await expect(makeBackup(database, { dir, keepDays: 30, key: null, allowPlain: false })).rejects.toThrow(NoPassphraseError);
      expect(listBackups(dir)).toEqual([]);
      const plain = await makeBackup(database, { dir, keepDays: 30, key: null, allowPlain: true });
      expect(plain).toMatchObject({ encrypted: false });
      const logged: string[] = [];
      const stop = scheduleBackups(database, { dir, keepDays: 30, everyHours: 24, key: null, allowPlain: false }, (m) => logged.push(m), { firstAfterMs: 60_000, checkEveryMs: 60_000 });
      await stop();
      expect(logged[0]).toMatch(/^WARNING: no backup passphrase is set — NO BACKUPS ARE MADE/);
    } finally {
      await database.close();
    }
  });

  it('reads its folder, how long to keep, how often and the key from the environment', () => {
    expect(readBackupConfig({}, '/srv/kitaphana/data')).toEqual({ dir: path.resolve('/srv/kitaphana/backups'), keepDays: 30, everyHours: 24, key: null, allowPlain: true });
    const config = readBackupConfig(
      { KITAPHANA_BACKUP_DIR: '/media/backup/kitaphana', KITAPHANA_BACKUP_KEEP_DAYS: '60', KITAPHANA_BACKUP_HOURS: '0', HOST: '0.0.0.0', KITAPHANA_BACKUP_PASSPHRASE: PASSPHRASE },
      '/srv/data',
    );
    expect(config).toMatchObject({ dir: '/media/backup/kitaphana', keepDays: 60, everyHours: 0, allowPlain: false });
    expect(config.key?.key).toHaveLength(32);
    // setup writes the derived key, never the passphrase, beside the data folder
    const keyFile = path.join(root, 'backup-key.json');
    writeBackupKeyFile(keyFile, key);
    expect(fs.readFileSync(keyFile, 'utf8')).not.toContain(PASSPHRASE);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readBackupConfig({ KITAPHANA_BACKUP_KEY_FILE: keyFile }, '/srv/data').key).toEqual(key);
  });
});

describe.each(BACKENDS)('backups through the API on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let dir: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await seedTenants(database.db);
    dir = tempDir('kitaphana-backup-api-');
    app = await buildApp({ database, webDist: '/nonexistent', backups: { dir, keepDays: 30, everyHours: 24, key } });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lets an admin make, list and download a backup, and nobody else', async () => {
    const admin = new ApiClient(app);
    await admin.login('admin');
    const librarian = new ApiClient(app);
    await librarian.login('librarian-a');
    expect((await librarian.get('/api/backups')).status).toBe(403);
    expect((await librarian.post('/api/backups')).status).toBe(403);

    if (backend === 'postgres') {
      expect((await admin.get('/api/backups')).body).toEqual({ database: 'postgres', dir: null, keepDays: 30, encrypted: true, everyHours: 0, items: [] });
      const refused = await admin.request({ method: 'POST', url: '/api/backups', headers: { 'x-locale': 'ru' } });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe('Резервные копии сервера PostgreSQL делаются его собственными средствами (pg_dump)');
      return;
    }
    const made = await admin.post('/api/backups');
    expect(made.status).toBe(201);
    const list = await admin.get('/api/backups');
    expect(list.body).toMatchObject({ database: 'pglite', dir, keepDays: 30, encrypted: true, everyHours: 24, items: [made.body] });
    expect((await librarian.get(`/api/backups/${made.body.name}`)).status).toBe(403);
    const download = await admin.get(`/api/backups/${made.body.name}`);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.raw.equals(fs.readFileSync(path.join(dir, made.body.name)))).toBe(true);
    // only the server's own backup names are served
    expect((await admin.get(`/api/backups/${encodeURIComponent('../../etc/passwd')}`)).status).toBe(404);
    const logged = await database.db.selectFrom('org.audit_log').select(['action', 'entity_id']).where('entity', '=', 'backup').orderBy('id').execute();
    expect(logged).toEqual([
      { action: 'create', entity_id: made.body.name },
      { action: 'download', entity_id: made.body.name },
    ]);
  });
});
