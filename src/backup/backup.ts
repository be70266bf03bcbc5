import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import tar from 'tar-stream';
import type { DatabaseHandle, Db } from '../db/connect.js';

/**
 * Backups of the embedded database. A school runs Kitaphana on one old PC: when its disk dies,
 * the catalogue, the inventory book and every reader's loans go with it unless a copy of the data
 * folder lies elsewhere. The server writes one by itself (daily by default) into a backup folder
 * — best on another disk — encrypted with the passphrase set at setup, and keeps them for a set
 * number of days; an admin can make and
 * download one at any time; `npm run restore` puts one back (restore.ts). A PostgreSQL server
 * is backed up by its own tools (pg_dump, see docs/deploy.md).
 */
export interface BackupConfig {
  /** Where backups are written. */
  dir: string;
  /** Backups older than this many days are removed (the newest one always stays). */
  keepDays: number;
  /** A new backup when the newest is older than this; 0: the server makes none by itself. */
  everyHours: number;
  /** The key backups are encrypted with (from the passphrase set at setup); null: none was set. */
  key?: BackupKey | null;
  /** Without a key, plain backups are allowed only on a loopback-only demo, with a loud warning. */
  allowPlain?: boolean;
}

/** A key derived from the backup passphrase with scrypt, and the salt it was derived with. */
export interface BackupKey {
  salt: Buffer;
  key: Buffer;
}

const MAGIC = Buffer.from('KTPHBAK1');
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** Derives the backup key from the passphrase (scrypt, 32 bytes for AES-256). */
export function deriveBackupKey(passphrase: string, salt: Buffer = crypto.randomBytes(16)): BackupKey {
  if (passphrase.length < 12) throw new Error('The backup passphrase must be at least 12 characters long');
  return { salt, key: crypto.scryptSync(passphrase.normalize('NFC'), salt, 32, SCRYPT) };
}

/** The key file setup writes beside the data folder: salt and derived key, never the passphrase. */
export function backupKeyFile(dataDir: string): string {
  return path.join(path.dirname(path.resolve(dataDir)), 'backup-key.json');
}

export function writeBackupKeyFile(file: string, key: BackupKey): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, JSON.stringify({ salt: key.salt.toString('base64'), key: key.key.toString('base64') }), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

export function readBackupKeyFile(file: string): BackupKey | null {
  if (!fs.existsSync(file)) return null;
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { salt: string; key: string };
  return { salt: Buffer.from(json.salt, 'base64'), key: Buffer.from(json.key, 'base64') };
}

/** An encrypted backup is AES-256-GCM: magic, salt, IV, tag, then the ciphertext. Nothing of the tarball shows. */
export function isEncryptedBackup(bytes: Buffer): boolean {
  return bytes.length > MAGIC.length + 44 && bytes.subarray(0, MAGIC.length).equals(MAGIC);
}

/** Decrypts a backup with the passphrase (or the stored key when its salt matches). */
export function decryptBackup(bytes: Buffer, secret: { passphrase?: string; key?: BackupKey | null }): Buffer {
  if (!isEncryptedBackup(bytes)) throw new Error('This file is not an encrypted Kitaphana backup');
  const salt = bytes.subarray(8, 24);
  const iv = bytes.subarray(24, 36);
  const tag = bytes.subarray(36, 52);
  let key: Buffer;
  if (secret.passphrase) key = crypto.scryptSync(secret.passphrase.normalize('NFC'), salt, 32, SCRYPT);
  else if (secret.key && secret.key.salt.equals(salt)) key = secret.key.key;
  else throw new Error('This backup is encrypted: give its passphrase (KITAPHANA_BACKUP_PASSPHRASE)');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(MAGIC);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(bytes.subarray(52)), decipher.final()]);
  } catch {
    throw new Error('The passphrase does not open this backup (or the file is damaged)');
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
export const isLoopback = (host: string) => LOOPBACK.has(host) || host.startsWith('127.');

export function readBackupConfig(env: NodeJS.ProcessEnv, dataDir: string): BackupConfig {
  const number = (value: string | undefined, fallback: number) => (value !== undefined && /^\d+$/.test(value) ? Number(value) : fallback);
  const passphrase = env.KITAPHANA_BACKUP_PASSPHRASE;
  const keyFile = env.KITAPHANA_BACKUP_KEY_FILE || backupKeyFile(dataDir);
  return {
    dir: path.resolve(env.KITAPHANA_BACKUP_DIR || path.join(path.dirname(dataDir), 'backups')),
    keepDays: Math.max(1, number(env.KITAPHANA_BACKUP_KEEP_DAYS, 30)),
    everyHours: number(env.KITAPHANA_BACKUP_HOURS, 24),
    key: passphrase ? deriveBackupKey(passphrase) : readBackupKeyFile(keyFile),
    allowPlain: isLoopback(env.HOST || '127.0.0.1'),
  };
}

export interface BackupFile {
  name: string;
  bytes: number;
  createdAt: string;
  /** Encrypted with the passphrase; false only for a loopback demo without one. */
  encrypted: boolean;
}

const NAME = /^kitaphana-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(-\d+)?\.(kbak|tar\.gz)$/;

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

function describe(dir: string, name: string): BackupFile | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const stat = fs.statSync(path.join(dir, name), { throwIfNoEntry: false });
  if (!stat?.isFile()) return null;
  return { name, bytes: stat.size, createdAt: new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`).toISOString(), encrypted: m[8] === 'kbak' };
}

/** The backups in the folder, newest first (their names sort by time). */
export function listBackups(dir: string): BackupFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .sort()
    .reverse()
    .map((name) => describe(dir, name))
    .filter((f): f is BackupFile => f !== null);
}

/** The path of a backup by its name, or null: only names the server itself gives are served. */
export function backupPath(dir: string, name: string): string | null {
  return describe(dir, name) ? path.join(dir, name) : null;
}

/**
 * Copies the data folder into a new backup and removes those older than `keepDays`; it is encrypted
 * with the key from the backup passphrase (AES-256-GCM), and refused without one unless the server
 * listens on loopback only (a demo), where it is written plain after a loud warning.
 *
 * The desk is not held while the files are read. The copy is taken the way PostgreSQL's own base
 * backups are: `pg_backup_start` (a checkpoint, the only moment the database waits), the files read
 * while the desk goes on writing, `pg_backup_stop`, then the write-ahead log from the start to the
 * stop and the backup label. A restore replays that log over the files, so the backup is the
 * database as it was at the stop, whatever changed while the files were read. The file is written
 * under a temporary name and renamed, so a power cut never leaves a broken file under a backup's name.
 */
export async function makeBackup(
  database: DatabaseHandle,
  config: Pick<BackupConfig, 'dir' | 'keepDays' | 'key' | 'allowPlain'>,
  now = new Date(),
): Promise<BackupFile> {
  if (database.kind !== 'pglite' || !(database.dataDir || database.dump)) throw new Error('Only the embedded database is backed up by Kitaphana');
  if (!config.key && !config.allowPlain) throw new NoPassphraseError();
  // one backup at a time: the database keeps one backup in progress per session, and it has one session
  const previous = backupsInProgress;
  let done = () => {};
  backupsInProgress = new Promise<void>((resolve) => (done = resolve));
  await previous;
  try {
    // readers' personal data: readable by the server's own user only
    fs.mkdirSync(config.dir, { recursive: true, mode: 0o700 });
    const ext = config.key ? 'kbak' : 'tar.gz';
    let name = `kitaphana-${stamp(now)}.${ext}`;
    for (let n = 2; fs.existsSync(path.join(config.dir, name)); n++) name = `kitaphana-${stamp(now)}-${n}.${ext}`;
    const target = path.join(config.dir, name);
    const partial = `${target}.partial`;
    try {
      let gzipped: Readable;
      if (database.dataDir) {
        gzipped = packBaseBackup(database.db, database.dataDir).pipe(zlib.createGzip());
      } else {
        // a database in memory (tests): its own dump, taken in the lane after a checkpoint
        const blob = await database.db.connection().execute(async (conn) => {
          await sql`checkpoint`.execute(conn);
          return database.dump!();
        });
        gzipped = Readable.from([Buffer.from(await blob.arrayBuffer())]);
      }
      await writeBackupFile(partial, gzipped, config.key ?? null);
      fs.renameSync(partial, target);
    } catch (err) {
      // a full disk leaves no half-written file behind
      fs.rmSync(partial, { force: true });
      throw err;
    }
    pruneBackups(config.dir, config.keepDays, now);
    return describe(config.dir, name)!;
  } finally {
    done();
  }
}

let backupsInProgress: Promise<void> = Promise.resolve();

/** Files of a running server that are no part of the database (and the label a backup adds itself). */
const NOT_COPIED = new Set(['kitaphana.lock', 'postmaster.pid', 'postmaster.opts', 'backup_label', 'tablespace_map']);
const WAL_SEGMENT = /^[0-9A-F]{24}$/;
const CHUNK = 1 << 20;

/**
 * A base backup of the live data folder as a tarball in the layout the embedded database loads back:
 * every file but the log, read while the desk works on; then the stop, the label, and the log
 * segments from the start to the stop (checked to be all there, or the backup fails).
 */
function packBaseBackup(db: Db, dataDir: string): Readable {
  const pack = tar.pack();
  const write = async () => {
    const start = await sql<{ lsn: string }>`select pg_backup_start('kitaphana', true)::text as lsn`.execute(db);
    let stopped = false;
    try {
      await addFolder(pack, dataDir, '', (name) => !NOT_COPIED.has(name) && !name.startsWith('pg_wal/'));
      const stop = await sql<{ lsn: string; labelfile: string; spcmapfile: string | null }>`
        select lsn::text as lsn, labelfile, spcmapfile from pg_backup_stop(false)`.execute(db);
      stopped = true;
      const { lsn, labelfile, spcmapfile } = stop.rows[0]!;
      addText(pack, 'backup_label', labelfile);
      if (spcmapfile) addText(pack, 'tablespace_map', spcmapfile);
      const first = walSegment(start.rows[0]!.lsn);
      const last = walSegment(lsn);
      const walDir = path.join(dataDir, 'pg_wal');
      const needed = fs.readdirSync(walDir).filter((f) => WAL_SEGMENT.test(f) && f.slice(8) >= first && f.slice(8) <= last).sort();
      const expected = segmentsBetween(first, last);
      if (needed.length !== expected) throw new Error(`A log segment of the backup was removed while it was taken (${first}–${last}); try again`);
      for (const segment of needed) await addFile(pack, path.join(walDir, segment), `pg_wal/${segment}`);
    } finally {
      if (!stopped) await sql`select pg_backup_stop(false)`.execute(db).catch(() => {});
    }
  };
  write().then(
    () => pack.finalize(),
    (err: Error) => pack.destroy(err),
  );
  return pack as unknown as Readable;
}

/** The log segment of an LSN (timeline left out: the embedded database has one), as its file name's last 16 digits. */
function walSegment(lsn: string): string {
  const [high, low] = lsn.split('/').map((part) => Number.parseInt(part, 16)) as [number, number];
  const segment = Math.floor(low / WAL_SEGMENT_BYTES);
  return high.toString(16).toUpperCase().padStart(8, '0') + segment.toString(16).toUpperCase().padStart(8, '0');
}

/** 16 MB segments: 256 to each 4 GB of the log. */
const WAL_SEGMENT_BYTES = 16 * 1024 * 1024;
const SEGMENTS_PER_ID = 0x1_0000_0000 / WAL_SEGMENT_BYTES;

function segmentsBetween(first: string, last: string): number {
  const index = (s: string) => Number.parseInt(s.slice(0, 8), 16) * SEGMENTS_PER_ID + Number.parseInt(s.slice(8), 16);
  return index(last) - index(first) + 1;
}

async function addFolder(pack: tar.Pack, root: string, prefix: string, wanted: (name: string) => boolean): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(prefix ? path.join(root, prefix) : root, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // removed while read: the log replays it
    throw err;
  }
  for (const entry of entries) {
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      pack.entry({ name, type: 'directory', mode: 0o700 });
      await addFolder(pack, root, name, wanted);
    } else if (entry.isFile() && wanted(name)) {
      await addFile(pack, path.join(root, name), name);
    }
  }
}

/** One file at the size it had when opened: one cut short while read is padded with zeros, as a base backup does; the log mends it. */
async function addFile(pack: tar.Pack, file: string, name: string): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // dropped while read: the log replays it
    throw err;
  }
  try {
    const { size, mtime } = await handle.stat();
    let finished: () => void = () => {};
    let failed: (err: Error) => void = () => {};
    const entryDone = new Promise<void>((resolve, reject) => ((finished = resolve), (failed = reject)));
    const sink = pack.entry({ name, size, mode: 0o600, mtime }, (err) => (err ? failed(err) : finished()));
    for (let offset = 0; offset < size; offset += CHUNK) {
      const buffer = Buffer.alloc(Math.min(CHUNK, size - offset));
      await handle.read(buffer, 0, buffer.length, offset);
      if (!sink.write(buffer)) await once(sink, 'drain');
    }
    (sink as NodeJS.WritableStream).end();
    await entryDone;
  } finally {
    await handle.close();
  }
}

function addText(pack: tar.Pack, name: string, text: string): void {
  pack.entry({ name, mode: 0o600, mtime: new Date() }, text);
}

/** Writes the compressed tarball, encrypted when there is a key (the tag goes in its place at the end), and syncs it. */
async function writeBackupFile(file: string, gzipped: Readable, key: BackupKey | null): Promise<void> {
  const handle = await fs.promises.open(file, 'w', 0o600);
  try {
    if (key) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key.key, iv);
      cipher.setAAD(MAGIC);
      await handle.write(Buffer.concat([MAGIC, key.salt, iv, Buffer.alloc(16)]));
      for await (const chunk of gzipped) await handle.write(cipher.update(chunk as Buffer));
      await handle.write(cipher.final());
      await handle.write(cipher.getAuthTag(), 0, 16, MAGIC.length + key.salt.length + iv.length);
    } else {
      for await (const chunk of gzipped) await handle.write(chunk as Buffer);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Thrown when a backup would be written in the clear outside a loopback-only demo. */
export class NoPassphraseError extends Error {
  constructor() {
    super('No backup passphrase is set (npm run setup -- --backup-passphrase, or KITAPHANA_BACKUP_PASSPHRASE): backups hold children\'s personal data and are not written unencrypted');
  }
}

/** Removes backups older than `keepDays`; the newest always stays, however old. Returns the names removed. */
export function pruneBackups(dir: string, keepDays: number, now = new Date()): string[] {
  const limit = now.getTime() - keepDays * 86_400_000;
  const removed: string[] = [];
  for (const old of listBackups(dir).slice(1)) {
    if (Date.parse(old.createdAt) < limit) {
      fs.rmSync(path.join(dir, old.name), { force: true });
      removed.push(old.name);
    }
  }
  return removed;
}

/** The plain tarball inside a backup file: decrypted when it is encrypted. */
export function openBackup(bytes: Buffer, secret: { passphrase?: string; key?: BackupKey | null }): Buffer {
  return isEncryptedBackup(bytes) ? decryptBackup(bytes, secret) : bytes;
}

/**
 * Makes a backup whenever the newest one is older than `everyHours`: first a minute after the
 * server starts (not slowing the start), then checked every hour, so a PC switched off at night
 * gets its backup within an hour of being switched on. Returns a function that stops it and
 * waits for a backup under way, so the database is not closed in the middle of one.
 */
export function scheduleBackups(
  database: DatabaseHandle,
  config: BackupConfig,
  log: (message: string) => void,
  timing = { firstAfterMs: 60_000, checkEveryMs: 3_600_000 },
): () => Promise<void> {
  if (database.kind !== 'pglite' || config.everyHours <= 0) return async () => {};
  let current: Promise<void> | null = null;
  const due = () => {
    const newest = listBackups(config.dir)[0];
    return !newest || Date.now() - Date.parse(newest.createdAt) >= config.everyHours * 3_600_000;
  };
  if (!config.key) {
    log(
      config.allowPlain
        ? 'WARNING: no backup passphrase is set — backups are written UNENCRYPTED (allowed only because the server listens on loopback). Set one with npm run setup -- --backup-passphrase before real use.'
        : 'WARNING: no backup passphrase is set — NO BACKUPS ARE MADE. Set one with npm run setup -- --backup-passphrase.',
    );
  }
  const check = () => {
    if (current || !due()) return;
    current = makeBackup(database, config)
      .then((file) => log(`Backup written: ${path.join(config.dir, file.name)} (${(file.bytes / 2 ** 20).toFixed(1)} MB)`))
      .catch((err: unknown) => log(`Backup failed: ${(err as Error).message}`))
      .finally(() => (current = null));
  };
  const first = setTimeout(check, timing.firstAfterMs);
  const every = setInterval(check, timing.checkEveryMs);
  first.unref();
  every.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(every);
    await current;
  };
}
