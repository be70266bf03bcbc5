import type { Executor } from '../db/executor.js';
import type { ConsentScope } from './schema.js';

/**
 * Readers of a library whose consent (or legal basis) for a scope is on record and not withdrawn.
 * Pupils need such a record; adult readers (teachers, staff, parents, others) speak for themselves
 * and are counted as consenting to having their own name shown.
 */
export async function readersWithConsent(
  db: Executor,
  organisationId: number,
  readerIds: readonly number[],
  scope: ConsentScope,
): Promise<Set<number>> {
  if (readerIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('readers.readers as r')
    .select('r.id')
    .where('r.organisation_id', '=', organisationId)
    .where('r.id', 'in', [...readerIds])
    // a blocked reader's data is kept, not used: no name is shown to others
    .where('r.blocked_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('r.kind', '!=', 'student'),
        eb.exists(
          eb
            .selectFrom('readers.consents as c')
            .select('c.id')
            .whereRef('c.reader_id', '=', 'r.id')
            .where('c.scope', '=', scope)
            .where('c.withdrawn_on', 'is', null),
        ),
      ]),
    )
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** May this reader's name be shown to others (standings, certificates, public pages)? */
export async function mayShowNamePublicly(db: Executor, organisationId: number, readerId: number): Promise<boolean> {
  return (await readersWithConsent(db, organisationId, [readerId], 'public_name')).has(readerId);
}
