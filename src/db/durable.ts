import fs from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Durable commits for the embedded database.
 *
 * PGlite runs PostgreSQL in WebAssembly over Emscripten's NODEFS: PostgreSQL's `write()` becomes
 * Node's `fs.writeSync` into the data folder, but its `fdatasync()`/`fsync()` are no-ops there, so a
 * commit is only in the operating system's cache — a power cut can lose loans the desk confirmed.
 *
 * This class watches the files PostgreSQL writes (the WAL first of all, and the data files a
 * checkpoint writes) and, before a change is acknowledged, syncs every file written since the last
 * sync to the disk. Syncs are grouped (group commit): while one batch is on its way to the disk, the
 * next transactions run, and all that committed meanwhile share the next batch.
 */
export class DurableWrites {
  private dirty = new Set<string>();
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  /** Batches synced and files synced, for the test that counts them and for the benchmark. */
  readonly stats = { batches: 0, files: 0 };

  constructor(private readonly syncFile: (path: string) => Promise<void> = datasync) {}

  /** Starts watching the writes of a PGlite whose data folder is on NODEFS. */
  static attach(pglite: PGlite, enabled = true): DurableWrites | null {
    const module = (pglite as unknown as { Module?: { NODEFS?: NodeFsInternals } }).Module;
    const nodefs = module?.NODEFS;
    if (!enabled || !nodefs?.stream_ops?.write || !nodefs.realPath) return null;
    const durable = new DurableWrites();
    const write = nodefs.stream_ops.write;
    nodefs.stream_ops.write = function (stream, ...rest) {
      const written = write.call(this, stream, ...rest);
      if (written > 0) durable.dirty.add(nodefs.realPath(stream.node));
      return written;
    };
    return durable;
  }

  /** Whether something written is not yet on the disk. */
  get pending(): boolean {
    return this.dirty.size > 0;
  }

  /**
   * Resolves once every file written before the call is on the disk. Joins the batch being
   * synced when there is nothing new; otherwise the next batch, which starts when the current ends.
   */
  flush(): Promise<void> {
    if (this.dirty.size === 0) return this.running ?? Promise.resolve();
    if (this.queued) return this.queued;
    const after = this.running ?? Promise.resolve();
    const batch: Promise<void> = after
      .catch(() => {})
      .then(async () => {
        this.queued = null;
        this.running = batch;
        const files = [...this.dirty];
        this.dirty.clear();
        try {
          await Promise.all(files.map((f) => this.syncFile(f)));
          this.stats.batches++;
          this.stats.files += files.length;
        } catch (err) {
          // not on the disk: the files stay to be synced by the next batch, and this commit fails loudly
          for (const f of files) this.dirty.add(f);
          throw err;
        } finally {
          if (this.running === batch) this.running = null;
        }
      });
    this.queued = batch;
    return batch;
  }
}

interface NodeFsInternals {
  stream_ops: { write: (this: unknown, stream: { node: unknown }, ...rest: unknown[]) => number };
  realPath: (node: unknown) => string;
}

async function datasync(path: string): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(path, 'r+');
  } catch (err) {
    // a file written and then removed (a recycled WAL segment, a dropped table) needs no sync
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
