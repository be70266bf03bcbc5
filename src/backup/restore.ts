import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { connectPGlite } from '../db/connect.js';
import { lockDataDir } from '../db/lock.js';
import { migrateToLatest } from '../db/migrate.js';
import { readLedger, reapplyErasures } from '../readers/anonymise.js';
import { openBackup, type BackupKey } from './backup.js';

export interface RestoreResult {
  /** Where the data folder that was replaced now lies (null when there was none). */
  keptAt: string | null;
  organisations: number;
  works: number;
  readers: number;
  /** Readers erased since the backup was made, erased again. */
  erasuresReapplied: number;
}

const KEPT = /\.before-restore-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/;

/**
 * Removes the data folders a restore kept aside once they are older than `days`: they hold
 * personal data that may since have been erased. Returns the folders removed.
 */
export function removeKeptFolders(dataDir: string, days: number, now = new Date()): string[] {
  const parent = path.dirname(path.resolve(dataDir));
  const base = path.basename(path.resolve(dataDir));
  if (!fs.existsSync(parent)) return [];
  const removed: string[] = [];
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(`${base}.before-restore-`)) continue;
    const m = KEPT.exec(name);
    if (!m) continue;
    const at = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
    if (now.getTime() - at >= days * 86_400_000) {
      fs.rmSync(path.join(parent, name), { recursive: true, force: true });
      removed.push(path.join(parent, name));
    }
  }
  return removed;
}

/** What a backup holds, read without touching the data folder: it must be Kitaphana's own. */
async function inspect(bytes: Buffer): Promise<Omit<RestoreResult, 'keptAt' | 'erasuresReapplied'>> {
  let probe: PGlite;
  try {
    probe = await PGlite.create({ loadDataDir: new Blob([new Uint8Array(bytes)]), extensions: { pg_trgm } });
  } catch (err) {
    throw new Error(`This file is not a Kitaphana backup (${(err as Error).message})`);
  }
  try {
    const { rows } = await probe.query<{ organisations: number; works: number; readers: number }>(
      `select (select count(*) from org.organisations)::int as organisations,
              (select count(*) from catalog.works)::int as works,
              (select count(*) from readers.readers)::int as readers`,
    );
    return rows[0]!;
  } catch (err) {
    throw new Error(`This file is not a Kitaphana backup (${(err as Error).message})`);
  } finally {
    await probe.close();
  }
}

/**
 * Puts a backup back in place of the data folder. The server must be stopped (the folder's lock
 * says whether it runs). Nothing is lost: the backup is read in memory first and refused unless
 * it holds a Kitaphana database, and the current folder is moved aside, not deleted.
 */
export async function restoreBackup(options: {
  dataDir: string;
  file: string;
  now?: Date;
  passphrase?: string;
  key?: BackupKey | null;
  /** The list of erasures made since: applied again to the restored data. */
  erasureLedger?: string | null;
}): Promise<RestoreResult> {
  const dataDir = path.resolve(options.dataDir);
  const bytes = openBackup(fs.readFileSync(options.file), { passphrase: options.passphrase, key: options.key });
  const result = await putBack(dataDir, bytes, options.now);
  // erasures made after the backup was taken are made again before anyone opens the library
  if (!readLedger(options.erasureLedger ?? null).length) return result;
  const database = await connectPGlite(dataDir);
  try {
    await migrateToLatest(database.db);
    result.erasuresReapplied = await reapplyErasures(database.db, 'pglite', options.erasureLedger ?? null);
  } finally {
    await database.close();
  }
  return result;
}

async function putBack(dataDir: string, bytes: Buffer, now?: Date): Promise<RestoreResult> {
  const unlock = lockDataDir(dataDir);
  let unlockNew = () => {};
  try {
    const counts = await inspect(bytes);
    let keptAt: string | null = null;
    if (fs.readdirSync(dataDir).some((f) => f !== 'kitaphana.lock')) {
      keptAt = `${dataDir}.before-restore-${(now ?? new Date()).toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
      fs.renameSync(dataDir, keptAt);
      fs.rmSync(path.join(keptAt, 'kitaphana.lock'), { force: true });
      unlockNew = lockDataDir(dataDir);
    }
    const restored = await PGlite.create({ dataDir, loadDataDir: new Blob([new Uint8Array(bytes)]), extensions: { pg_trgm } });
    await restored.query('select 1');
    await restored.close();
    fs.chmodSync(dataDir, 0o700);
    return { keptAt, ...counts, erasuresReapplied: 0 };
  } finally {
    unlockNew();
    unlock();
  }
}
