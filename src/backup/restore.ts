import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { lockDataDir } from '../db/lock.js';

export interface RestoreResult {
  /** Where the data folder that was replaced now lies (null when there was none). */
  keptAt: string | null;
  organisations: number;
  works: number;
  readers: number;
}

/** What a backup holds, read without touching the data folder: it must be Kitaphana's own. */
async function inspect(bytes: Buffer): Promise<Omit<RestoreResult, 'keptAt'>> {
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
export async function restoreBackup(options: { dataDir: string; file: string; now?: Date }): Promise<RestoreResult> {
  const dataDir = path.resolve(options.dataDir);
  const bytes = fs.readFileSync(options.file);
  const unlock = lockDataDir(dataDir);
  let unlockNew = () => {};
  try {
    const counts = await inspect(bytes);
    let keptAt: string | null = null;
    if (fs.readdirSync(dataDir).some((f) => f !== 'kitaphana.lock')) {
      keptAt = `${dataDir}.before-restore-${(options.now ?? new Date()).toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
      fs.renameSync(dataDir, keptAt);
      fs.rmSync(path.join(keptAt, 'kitaphana.lock'), { force: true });
      unlockNew = lockDataDir(dataDir);
    }
    const restored = await PGlite.create({ dataDir, loadDataDir: new Blob([new Uint8Array(bytes)]), extensions: { pg_trgm } });
    await restored.query('select 1');
    await restored.close();
    return { keptAt, ...counts };
  } finally {
    unlockNew();
    unlock();
  }
}
