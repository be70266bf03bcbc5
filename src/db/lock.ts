import fs from 'node:fs';
import path from 'node:path';

/**
 * PGlite lets a second process open the same data folder and a write gets lost,
 * so the folder is locked by a pid file. A lock left by a dead process is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  // children's personal data: the folder is the server's own user's alone (an existing one is narrowed too)
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
  const lockFile = path.join(dataDir, 'kitaphana.lock');
  try {
    fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = Number(fs.readFileSync(lockFile, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(
        `The data folder ${dataDir} is in use by process ${holder}. Stop it first: two processes on one embedded database lose data.`,
      );
    }
    fs.writeFileSync(lockFile, String(process.pid));
  }
  return () => {
    try {
      if (fs.readFileSync(lockFile, 'utf8') === String(process.pid)) fs.unlinkSync(lockFile);
    } catch {
      /* already gone */
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
