import type { Transaction } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { audit } from '../org/audit.js';
import type { Database } from './schema.js';
import type { Executor } from './executor.js';

export type Trx = Transaction<Database>;

/** SQLSTATEs after which the same transaction, run again, may succeed. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/**
 * The one way to make a change: runs `work` in a transaction (or inside the caller's, when `db`
 * already is one) and runs it again after a serialisation failure or a deadlock on PostgreSQL,
 * so callers never see those as errors. `work` must not have effects outside the database.
 */
export async function inTransaction<T>(db: Executor, work: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Trx);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10));
    }
  }
}

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
  organisationId?: number | null;
}

/**
 * A change with its audit line, written in the same transaction: the line exists exactly when the
 * change does. `entry` may be computed from the result (an id the change created).
 */
export async function auditedChange<T>(
  db: Executor,
  actor: Actor | null,
  entry: AuditEntry | ((result: T) => AuditEntry),
  work: (trx: Trx) => Promise<T>,
): Promise<T> {
  return inTransaction(db, async (trx) => {
    const result = await work(trx);
    const e = typeof entry === 'function' ? entry(result) : entry;
    await audit(trx, actor, e.action, e.entity, e.entityId ?? null, e.details ?? {}, e.organisationId);
    return result;
  });
}
