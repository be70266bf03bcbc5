import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/connect.js';

/**
 * Backups of the embedded database. A school runs Kitaphana on one old PC: when its disk dies,
 * the catalogue, the inventory book and every reader's loans go with it unless a copy of the data
 * folder lies elsewhere. The server writes one by itself (daily by default) into a backup folder
 * — best on another disk or a USB stick — and keeps the newest few; an admin can make and
 * download one at any time; `npm run restore` puts one back (restore.ts). A PostgreSQL server
 * is backed up by its own tools (pg_dump, see docs/deploy.md).
 */
export interface BackupConfig {
  /** Where backups are written. */
  dir: string;
  /** How many of the newest backups are kept; older ones are removed after each new one. */
  keep: number;
  /** A new backup when the newest is older than this; 0: the server makes none by itself. */
  everyHours: number;
}

export function readBackupConfig(env: NodeJS.ProcessEnv, dataDir: string): BackupConfig {
  const number = (value: string | undefined, fallback: number) => (value !== undefined && /^\d+$/.test(value) ? Number(value) : fallback);
  return {
    dir: path.resolve(env.KITAPHANA_BACKUP_DIR || path.join(path.dirname(dataDir), 'backups')),
    keep: Math.max(1, number(env.KITAPHANA_BACKUP_KEEP, 14)),
    everyHours: number(env.KITAPHANA_BACKUP_HOURS, 24),
  };
}

export interface BackupFile {
  name: string;
  bytes: number;
  createdAt: string;
}

const NAME = /^kitaphana-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(-\d+)?\.tar\.gz$/;

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

function describe(dir: string, name: string): BackupFile | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const stat = fs.statSync(path.join(dir, name), { throwIfNoEntry: false });
  if (!stat?.isFile()) return null;
  return { name, bytes: stat.size, createdAt: new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`).toISOString() };
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
 * Copies the data folder into a new backup and removes those past `keep`. The copy is taken in
 * the database's one serial lane, after a checkpoint, so no transaction is half-way through
 * it; it is written under a temporary name and renamed, so a power cut never leaves a broken
 * file under a backup's name.
 */
export async function makeBackup(database: DatabaseHandle, config: Pick<BackupConfig, 'dir' | 'keep'>, now = new Date()): Promise<BackupFile> {
  const dump = database.dump;
  if (database.kind !== 'pglite' || !dump) throw new Error('Only the embedded database is backed up by Kitaphana');
  const blob = await database.db.connection().execute(async (conn) => {
    await sql`checkpoint`.execute(conn);
    return dump();
  });
  // readers' personal data: readable by the server's own user only
  fs.mkdirSync(config.dir, { recursive: true, mode: 0o700 });
  let name = `kitaphana-${stamp(now)}.tar.gz`;
  for (let n = 2; fs.existsSync(path.join(config.dir, name)); n++) name = `kitaphana-${stamp(now)}-${n}.tar.gz`;
  const target = path.join(config.dir, name);
  const partial = `${target}.partial`;
  try {
    const handle = fs.openSync(partial, 'w', 0o600);
    try {
      fs.writeSync(handle, new Uint8Array(await blob.arrayBuffer()));
      fs.fsyncSync(handle);
    } finally {
      fs.closeSync(handle);
    }
    fs.renameSync(partial, target);
  } catch (err) {
    // a full disk leaves no half-written file behind
    fs.rmSync(partial, { force: true });
    throw err;
  }
  for (const old of listBackups(config.dir).slice(config.keep)) fs.rmSync(path.join(config.dir, old.name), { force: true });
  return describe(config.dir, name)!;
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
