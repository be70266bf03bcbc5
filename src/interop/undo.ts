import type { Actor } from '../auth/actor.js';
import { refreshWorkSearchKey } from '../catalog/search-keys.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { conflict, notFound } from '../shared/errors.js';
import { libraryOf } from '../auth/guard.js';

interface PreviousState {
  fields: Record<string, unknown>;
  authors: { author_id: number; role: string; position: number }[];
}

const parse = <T>(v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/**
 * Undoes an import: removes the copies and works it created, restores the works it merged into
 * from their stored previous state, removes the authors it added that no work uses any more, and
 * leaves tombstones so OAI-PMH harvesters learn the works are gone. Refused while a copy it
 * created is on loan or a work it created has gained copies or links from elsewhere.
 */
export async function undoImport(trx: Executor, actor: Actor, batchId: number): Promise<void> {
  const organisationId = libraryOf(actor);
  const batch = await trx
    .selectFrom('interop.import_batches')
    .select(['id', 'status', 'created_authors'])
    .where('id', '=', batchId)
    .where('organisation_id', '=', organisationId)
    .forUpdate()
    .executeTakeFirst();
  if (!batch) throw notFound('import_batch', batchId);
  if (batch.status === 'undone') throw conflict('interop.already_undone');
  if (batch.status === 'running') throw conflict('interop.import_running');

  const records = await trx
    .selectFrom('interop.source_records')
    .select(['id', 'action', 'work_id', 'previous', 'copy_ids'])
    .where('batch_id', '=', batchId)
    .orderBy('position', 'desc')
    .execute();
  const copyIds = records.flatMap((r) => (r.copy_ids ?? []).map(Number));
  const createdWorks = [...new Set(records.filter((r) => r.action === 'created' && r.work_id !== null).map((r) => r.work_id!))];

  try {
    await removeCopies(trx, copyIds);
    await removeWorks(trx, createdWorks, organisationId);
  } catch (err) {
    // a copy or work the batch made is referenced elsewhere (an accounting act, a loan history)
    if ((err as { code?: string }).code === '23503') throw conflict('interop.undo_blocked');
    throw err;
  }
  for (const r of records) {
    if (r.action === 'merged' && r.work_id !== null && r.previous) await restoreWork(trx, r.work_id, parse<PreviousState>(r.previous));
  }
  const authorIds = (batch.created_authors ?? []).map(Number);
  if (authorIds.length) {
    await trx
      .deleteFrom('catalog.authors')
      .where('id', 'in', authorIds)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('catalog.work_authors as wa').select('wa.author_id').whereRef('wa.author_id', '=', 'catalog.authors.id'))),
      )
      .execute();
  }
  await trx
    .updateTable('interop.import_batches')
    .set({ status: 'undone', undone_at: new Date(), undone_by: actor.userId })
    .where('id', '=', batchId)
    .execute();
  await audit(trx, actor, 'import_undo', 'import_batch', batchId, { works: createdWorks.length, copies: copyIds.length });
}

async function removeCopies(trx: Executor, copyIds: number[]) {
  for (let i = 0; i < copyIds.length; i += 1000) {
    const ids = copyIds.slice(i, i + 1000);
    const loaned = await trx.selectFrom('circulation.loans').select('copy_id').where('copy_id', 'in', ids).limit(1).executeTakeFirst();
    if (loaned) throw conflict('interop.undo_copies_in_use');
    await trx.deleteFrom('fund.copies').where('id', 'in', ids).execute();
  }
}

async function removeWorks(trx: Executor, workIds: number[], organisationId: number) {
  for (let i = 0; i < workIds.length; i += 1000) {
    const ids = workIds.slice(i, i + 1000);
    const used = await trx.selectFrom('fund.copies').select('work_id').where('work_id', 'in', ids).limit(1).executeTakeFirst();
    if (used) throw conflict('interop.undo_works_in_use', { workId: used.work_id });
    await trx.deleteFrom('catalog.works').where('id', 'in', ids).execute();
    await trx
      .insertInto('interop.deleted_records')
      .values(ids.map((id) => ({ work_id: id, organisation_id: organisationId })))
      .onConflict((oc) => oc.column('work_id').doNothing())
      .execute();
  }
}

async function restoreWork(trx: Executor, workId: number, previous: PreviousState) {
  const exists = await trx.selectFrom('catalog.works').select('id').where('id', '=', workId).executeTakeFirst();
  if (!exists) return;
  await trx
    .updateTable('catalog.works')
    .set({ ...(previous.fields as object), updated_at: new Date() } as never)
    .where('id', '=', workId)
    .execute();
  await trx.deleteFrom('catalog.work_authors').where('work_id', '=', workId).execute();
  if (previous.authors.length) {
    await trx
      .insertInto('catalog.work_authors')
      .values(previous.authors.map((a) => ({ work_id: workId, author_id: a.author_id, role: a.role, position: a.position })))
      .execute();
  }
  await refreshWorkSearchKey(trx, workId);
}
