import { sql, type RawBuilder } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import { audit } from '../../org/audit.js';
import type { Executor } from '../../db/executor.js';
import { takeNumber } from '../../shared/counters.js';
import { AppError, conflict, invalid, notFound } from '../../shared/errors.js';
import type { WriteOffReason } from './schema.js';
import { libraryToday } from '../../shared/library-time.js';
import { inTransaction } from '../../db/transaction.js';
import { staffLibrary } from '../../auth/guard.js';

export interface ActInput {
  actDate: string;
  reason: WriteOffReason;
  /** Members of the write-off commission, as they sign the act. */
  commission?: string[];
  note?: string | null;
}

export interface ActView {
  id: number;
  number: string;
  kind: 'write_off' | 'reversal';
  reversesId: number | null;
  reversedById: number | null;
  actDate: string;
  reason: WriteOffReason;
  commission: string[];
  note: string | null;
  status: 'draft' | 'approved';
  copiesCount: number;
  sumTiyn: number;
}

export interface ActCopyView {
  copyId: number;
  inventoryNumber: string;
  barcode: string;
  title: string;
  priceTiyn: number;
}

type ActRow = {
  id: number;
  number: string;
  kind: 'write_off' | 'reversal';
  reverses_id: number | null;
  act_date: string;
  reason: WriteOffReason;
  commission: string[];
  note: string | null;
  status: 'draft' | 'approved';
};

async function ownAct(db: Executor, organisationId: number, id: number, lock = false): Promise<ActRow> {
  let query = db
    .selectFrom('fund.write_off_acts')
    .select(['id', 'number', 'kind', 'reverses_id', 'act_date', 'reason', 'commission', 'note', 'status'])
    .where('id', '=', id)
    .where('organisation_id', '=', organisationId);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('write_off_act', id);
  return row;
}

function assertDraft(act: ActRow) {
  if (act.status !== 'draft') throw conflict('accounting.act_already_approved', { number: act.number });
}

const cleanCommission = (names: string[] | undefined) => (names ?? []).map((n) => n.trim()).filter(Boolean);

/** A new draft act; `db` must be a transaction when copies are added in the same step. */
export async function createAct(db: Executor, actor: Actor, input: ActInput): Promise<ActView> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const number = String(await takeNumber(trx, organisationId, 'write_off_number'));
    const row = await trx
      .insertInto('fund.write_off_acts')
      .values({
        organisation_id: organisationId,
        number,
        act_date: input.actDate,
        reason: input.reason,
        commission: JSON.stringify(cleanCommission(input.commission)),
        note: input.note?.trim() || null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, actor, 'create', 'write_off_act', row.id, { number, reason: input.reason });
    return (await getAct(trx, actor, row.id)).act;
  });
}

export async function updateAct(db: Executor, actor: Actor, id: number, patch: Partial<ActInput>): Promise<ActView> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    assertDraft(await ownAct(trx, organisationId, id, true));
    await trx
      .updateTable('fund.write_off_acts')
      .set({
        ...(patch.actDate !== undefined ? { act_date: patch.actDate } : {}),
        ...(patch.reason !== undefined ? { reason: patch.reason } : {}),
        ...(patch.commission !== undefined ? { commission: JSON.stringify(cleanCommission(patch.commission)) } : {}),
        ...(patch.note !== undefined ? { note: patch.note?.trim() || null } : {}),
      })
      .where('id', '=', id)
      .execute();
    await audit(trx, actor, 'update', 'write_off_act', id, { fields: Object.keys(patch) });
    return (await getAct(trx, actor, id)).act;
  });
}

export async function deleteAct(db: Executor, actor: Actor, id: number): Promise<void> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const act = await ownAct(trx, organisationId, id, true);
    assertDraft(act);
    await trx.updateTable('fund.checks').set({ write_off_act_id: null }).where('write_off_act_id', '=', id).execute();
    const loss = await trx.selectFrom('fund.losses').select('id').where('write_off_act_id', '=', id).executeTakeFirst();
    if (loss) throw conflict('accounting.act_has_losses', { number: act.number });
    await trx.deleteFrom('fund.write_off_acts').where('id', '=', id).execute();
    await audit(trx, actor, 'delete', 'write_off_act', id, { number: act.number });
  });
}

type CopyForAct = { id: number; barcode: string; inventory_number: string; status: string; receipt_line_id: number | null };

/** Why a copy cannot leave the fund now, or null. The loan check reads circulation itself, not only the status. */
async function obstacle(db: Executor, copy: CopyForAct): Promise<AppError | null> {
  const label = { inventoryNumber: copy.inventory_number, barcode: copy.barcode };
  if (copy.status === 'written_off') return conflict('accounting.copy_written_off', label);
  if (copy.receipt_line_id === null) return conflict('accounting.copy_not_on_account', label);
  const loan = await db
    .selectFrom('circulation.loans')
    .select('id')
    .where('copy_id', '=', copy.id)
    .where('returned_at', 'is', null)
    .executeTakeFirst();
  if (copy.status === 'on_loan' || loan) return conflict('accounting.copy_on_loan', label);
  return null;
}

/** Adds copies to a draft act by scanned barcode or by id (from a list). */
export async function addCopiesToAct(
  db: Executor,
  actor: Actor,
  actId: number,
  input: { barcodes?: string[]; copyIds?: number[] },
): Promise<ActView> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    assertDraft(await ownAct(trx, organisationId, actId, true));
    const copies: CopyForAct[] = [];
    const select = () =>
      trx
        .selectFrom('fund.copies')
        .select(['id', 'barcode', 'inventory_number', 'status', 'receipt_line_id'])
        .where('organisation_id', '=', organisationId);
    for (const barcode of input.barcodes ?? []) {
      const copy = await select().where('barcode', '=', barcode.trim()).executeTakeFirst();
      if (!copy) throw new AppError('accounting.unknown_barcode', 404, { barcode: barcode.trim() });
      copies.push(copy);
    }
    for (const id of input.copyIds ?? []) {
      const copy = await select().where('id', '=', id).executeTakeFirst();
      if (!copy) throw notFound('copy', id);
      copies.push(copy);
    }
    if (!copies.length) throw invalid('accounting.no_copies');
    for (const copy of copies) {
      const problem = await obstacle(trx, copy);
      if (problem) throw problem;
    }
    await trx
      .insertInto('fund.write_off_lines')
      .values(copies.map((c) => ({ act_id: actId, copy_id: c.id })))
      .onConflict((oc) => oc.columns(['act_id', 'copy_id']).doNothing())
      .execute();
    await audit(trx, actor, 'add_copies', 'write_off_act', actId, { copyIds: copies.map((c) => c.id) });
    return (await getAct(trx, actor, actId)).act;
  });
}

export async function removeCopyFromAct(db: Executor, actor: Actor, actId: number, copyId: number): Promise<ActView> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    assertDraft(await ownAct(trx, organisationId, actId, true));
    const removed = await trx.deleteFrom('fund.write_off_lines').where('act_id', '=', actId).where('copy_id', '=', copyId).executeTakeFirst();
    if (!Number(removed.numDeletedRows)) throw notFound('copy', copyId);
    await audit(trx, actor, 'remove_copy', 'write_off_act', actId, { copyId });
    return (await getAct(trx, actor, actId)).act;
  });
}

/**
 * Approving writes the copies off: each line takes the booked price, group and language of its receipt line,
 * and the copies get status 'written_off'. Refused as a whole if any copy is on loan or already written off.
 */
export async function approveAct(db: Executor, actor: Actor, id: number): Promise<ActView> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const act = await ownAct(trx, organisationId, id, true);
    assertDraft(act);
    const copies = await trx
      .selectFrom('fund.write_off_lines as w')
      .innerJoin('fund.copies as c', 'c.id', 'w.copy_id')
      .select(['c.id', 'c.barcode', 'c.inventory_number', 'c.status', 'c.receipt_line_id'])
      .where('w.act_id', '=', id)
      .forUpdate()
      .execute();
    if (!copies.length) throw invalid('accounting.act_empty', { number: act.number });
    for (const copy of copies) {
      const problem = await obstacle(trx, copy);
      if (problem) throw problem;
    }
    // A copy cannot leave the fund before it entered it: the books would count it backwards.
    const early = await trx
      .selectFrom('fund.write_off_lines as w')
      .innerJoin('fund.copies as c', 'c.id', 'w.copy_id')
      .innerJoin('fund.receipts as r', 'r.id', 'c.receipt_id')
      .select(['c.inventory_number', 'r.received_on'])
      .where('w.act_id', '=', id)
      .where('r.received_on', '>', act.act_date)
      .executeTakeFirst();
    if (early) throw conflict('accounting.act_before_receipt', { inventoryNumber: early.inventory_number, receivedOn: early.received_on });
    await sql`
      UPDATE fund.write_off_lines w
         SET price_tiyn = l.price_tiyn, knowledge_group = l.knowledge_group, language_group = l.language_group, off_balance = l.off_balance
        FROM fund.copies c JOIN fund.receipt_lines l ON l.id = c.receipt_line_id
       WHERE w.act_id = ${id} AND c.id = w.copy_id`.execute(trx);
    await trx
      .updateTable('fund.copies')
      .set({ status: 'written_off', write_off_id: id, updated_at: new Date() })
      .where('id', 'in', copies.map((c) => c.id))
      .execute();
    await trx
      .updateTable('fund.write_off_acts')
      .set({ status: 'approved', approved_at: new Date(), approved_by: actor.userId })
      .where('id', '=', id)
      .execute();
    await audit(trx, actor, 'approve', 'write_off_act', id, { number: act.number, copies: copies.length });
    return (await getAct(trx, actor, id)).act;
  });
}

/**
 * An approved act is never edited or deleted; a reversal document returns its copies to the fund
 * and the summary book shows it as a reversal on its own date.
 */
export async function reverseAct(db: Executor, actor: Actor, id: number, input: { actDate?: string; note?: string | null }): Promise<ActView> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const act = await ownAct(trx, organisationId, id, true);
    if (act.status !== 'approved' || act.kind !== 'write_off') throw conflict('accounting.act_not_reversible', { number: act.number });
    const already = await trx.selectFrom('fund.write_off_acts').select('number').where('reverses_id', '=', id).executeTakeFirst();
    if (already) throw conflict('accounting.act_already_reversed', { number: act.number, reversal: already.number });
    const actDate = input.actDate ?? (await libraryToday(trx, organisationId));
    if (actDate < act.act_date) throw invalid('accounting.reversal_before_act', { number: act.number, date: act.act_date });
    const number = String(await takeNumber(trx, organisationId, 'write_off_number'));
    const reversal = await trx
      .insertInto('fund.write_off_acts')
      .values({
        organisation_id: organisationId,
        number,
        kind: 'reversal',
        reverses_id: id,
        act_date: actDate,
        reason: act.reason,
        commission: JSON.stringify(act.commission),
        note: input.note?.trim() || null,
        status: 'approved',
        approved_at: new Date(),
        approved_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`
      INSERT INTO fund.write_off_lines (act_id, copy_id, price_tiyn, knowledge_group, language_group, off_balance)
      SELECT ${reversal.id}, copy_id, price_tiyn, knowledge_group, language_group, off_balance FROM fund.write_off_lines WHERE act_id = ${id}`.execute(trx);
    await trx
      .updateTable('fund.copies')
      .set({ status: 'available', write_off_id: null, updated_at: new Date() })
      .where('write_off_id', '=', id)
      .execute();
    await audit(trx, actor, 'reverse', 'write_off_act', id, { reversal: number });
    return (await getAct(trx, actor, reversal.id)).act;
  });
}

/**
 * What one line of an act is worth, over write_off_lines w joined to its copy's receipt line l:
 * a draft shows the booked price it will take on approval, an approved act the price it fixed.
 */
function linePrice(status: RawBuilder<unknown>) {
  return sql<number>`case when ${status} = 'draft' then coalesce(l.price_tiyn, 0) else w.price_tiyn end`;
}

export async function getAct(db: Executor, actor: Actor, id: number): Promise<{ act: ActView; copies: ActCopyView[] }> {
  const organisationId = staffLibrary(actor);
  const act = await ownAct(db, organisationId, id);
  const copies = await db
    .selectFrom('fund.write_off_lines as w')
    .innerJoin('fund.copies as c', 'c.id', 'w.copy_id')
    .innerJoin('catalog.works as k', 'k.id', 'c.work_id')
    .leftJoin('fund.receipt_lines as l', 'l.id', 'c.receipt_line_id')
    .select(['c.id', 'c.inventory_number', 'c.barcode', 'k.title', linePrice(sql.lit(act.status)).as('price')])
    .where('w.act_id', '=', id)
    .orderBy(sql`length(c.inventory_number)`)
    .orderBy('c.inventory_number')
    .execute();
  const reversal = await db.selectFrom('fund.write_off_acts').select('id').where('reverses_id', '=', id).executeTakeFirst();
  const items = copies.map((c) => ({ copyId: c.id, inventoryNumber: c.inventory_number, barcode: c.barcode, title: c.title, priceTiyn: Number(c.price) }));
  return {
    act: toActView(act, items.length, items.reduce((s, c) => s + c.priceTiyn, 0), reversal?.id ?? null),
    copies: items,
  };
}

function toActView(a: ActRow, copiesCount: number, sumTiyn: number, reversedById: number | null): ActView {
  return {
    id: a.id,
    number: a.number,
    kind: a.kind,
    reversesId: a.reverses_id,
    reversedById,
    actDate: a.act_date,
    reason: a.reason,
    commission: a.commission,
    note: a.note,
    status: a.status,
    copiesCount,
    sumTiyn,
  };
}

export async function listActs(
  db: Executor,
  actor: Actor,
  query: { status?: 'draft' | 'approved'; from?: string; to?: string; limit: number; offset: number },
): Promise<{ items: ActView[]; total: number }> {
  const organisationId = staffLibrary(actor);
  let base = db.selectFrom('fund.write_off_acts as a').where('a.organisation_id', '=', organisationId);
  if (query.status) base = base.where('a.status', '=', query.status);
  if (query.from) base = base.where('a.act_date', '>=', query.from);
  if (query.to) base = base.where('a.act_date', '<=', query.to);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select(['a.id', 'a.number', 'a.kind', 'a.reverses_id', 'a.act_date', 'a.reason', 'a.commission', 'a.note', 'a.status'])
    .select((eb) => [
      eb.selectFrom('fund.write_off_lines as w').select((e) => e.fn.countAll<number>().as('n')).whereRef('w.act_id', '=', 'a.id').as('copies'),
      eb
        .selectFrom('fund.write_off_lines as w')
        .innerJoin('fund.copies as c', 'c.id', 'w.copy_id')
        .leftJoin('fund.receipt_lines as l', 'l.id', 'c.receipt_line_id')
        .select(sql<number>`sum(${linePrice(sql.ref('a.status'))})`.as('s'))
        .whereRef('w.act_id', '=', 'a.id')
        .as('sum'),
      eb.selectFrom('fund.write_off_acts as r').select('r.id').whereRef('r.reverses_id', '=', 'a.id').as('reversed_by'),
    ])
    .orderBy('a.act_date', 'desc')
    .orderBy('a.id', 'desc')
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  return {
    items: rows.map((r) => toActView(r, Number(r.copies ?? 0), Number(r.sum ?? 0), r.reversed_by ?? null)),
    total: Number(total.n),
  };
}
