import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Executor } from '../db/executor.js';

/**
 * Which imports are still being worked on. An import runs in the background of the server process
 * that received the file; if that process stops (a restart, a crash, a power cut), its batch would
 * stay 'running' for ever. A batch is alive while
 *   - this process is importing it (the set below), or
 *   - on a PostgreSQL server, some process holds the batch's advisory lock: the worker takes it on
 *     a connection of its own for the whole import, and PostgreSQL drops it when that process or
 *     its connection goes, so no timeout has to be guessed. The embedded database is opened by
 *     one process only (its data folder is locked), so there the set alone decides.
 * Anything else still 'running' is marked failed with `interop.import_interrupted`: its committed
 * chunks stay, and it can be undone or resumed with the same file.
 */
const active = new Set<number>();

/** First key of the batch locks (ASCII 'MARC'); the second is the batch id. */
const LOCK_SPACE = 0x4d415243;

export type DatabaseKind = 'pglite' | 'postgres';

export interface Lease {
  release(): Promise<void>;
}

/** Marks a batch as worked on by this process until the lease is released. */
export async function takeLease(db: Db, batchId: number, kind: DatabaseKind | undefined): Promise<Lease> {
  active.add(batchId);
  if (kind !== 'postgres') return { release: async () => void active.delete(batchId) };
  let unlock!: () => void;
  const released = new Promise<void>((resolve) => (unlock = resolve));
  let locked!: () => void;
  let failed!: (err: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    locked = resolve;
    failed = reject;
  });
  const holder = db
    .connection()
    .execute(async (conn) => {
      await sql`select pg_advisory_lock(${LOCK_SPACE}::int4, ${batchId}::int4)`.execute(conn);
      locked();
      await released;
      await sql`select pg_advisory_unlock(${LOCK_SPACE}::int4, ${batchId}::int4)`.execute(conn);
    })
    .catch((err: unknown) => failed(err));
  try {
    await ready;
  } catch (err) {
    active.delete(batchId);
    throw err;
  }
  return {
    release: async () => {
      unlock();
      await holder;
      active.delete(batchId);
    },
  };
}

export const INTERRUPTED = 'interop.import_interrupted';

/**
 * Marks failed, with `interop.import_interrupted`, the running imports (of one library, or all)
 * that no live process works on. On PostgreSQL a batch whose advisory lock some other process
 * holds is left alone: `pg_try_advisory_xact_lock` succeeds only when nobody holds it, and the
 * lock it takes ends with the statement.
 */
export async function markInterruptedImports(db: Executor, organisationId?: number): Promise<number[]> {
  let query = db.selectFrom('interop.import_batches').select('id').where('status', '=', 'running');
  if (organisationId !== undefined) query = query.where('organisation_id', '=', organisationId);
  const candidates = (await query.execute()).map((r) => r.id).filter((id) => !active.has(id));
  if (!candidates.length) return [];
  const { rows } = await sql<{ id: number }>`
    update interop.import_batches
    set status = 'failed', error = ${INTERRUPTED}, finished_at = now()
    where id = any(${candidates}::int8[]) and status = 'running'
      and pg_try_advisory_xact_lock(${LOCK_SPACE}::int4, id::int4)
    returning id`.execute(db);
  return rows.map((r) => Number(r.id));
}
