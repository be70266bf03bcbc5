import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/connect.js';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

export type Executor = Db | Transaction<Database>;

/** Records who changed what; call it inside the transaction that makes the change. */
export async function audit(
  db: Executor,
  actor: Actor | null,
  action: string,
  entity: string,
  entityId: string | number | null,
  details: Record<string, unknown> = {},
  organisationId?: number | null,
): Promise<void> {
  await db
    .insertInto('org.audit_log')
    .values({
      organisation_id: organisationId ?? actor?.organisationId ?? null,
      user_id: actor?.userId ?? null,
      action,
      entity,
      entity_id: entityId === null ? null : String(entityId),
      details: JSON.stringify(details),
    })
    .execute();
}
