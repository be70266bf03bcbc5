import type { Actor } from '../../auth/actor.js';
import { audit } from '../../org/audit.js';
import type { Executor } from '../../db/executor.js';
import { takeNumber } from '../../shared/counters.js';
import { conflict, invalid, notFound } from '../../shared/errors.js';
import { addReceiptLine, createReceipt } from './receipts.js';
import { libraryToday } from '../../shared/library-time.js';
import { inTransaction } from '../../db/transaction.js';
import { staffLibrary } from '../../auth/guard.js';

export interface LossInput {
  readerId: number;
  copyId?: number;
  barcode?: string;
  lostOn?: string;
  settlement: 'replacement' | 'payment';
  /** The book the reader brought instead; by default another copy of the same work at the lost copy's price. */
  replacement?: { workId?: number; priceTiyn?: number };
  paymentTiyn?: number;
  note?: string | null;
}

export interface LossView {
  id: number;
  /** null once retention took the settled loss's personal link away */
  readerId: number | null;
  copyId: number;
  inventoryNumber: string;
  title: string;
  lostOn: string;
  settlement: 'replacement' | 'payment';
  replacementCopyId: number | null;
  replacementInventoryNumber: string | null;
  paymentTiyn: number | null;
  writeOffActId: number;
  writeOffActNumber: string;
  writeOffStatus: 'draft' | 'approved';
}

async function lostCopy(db: Executor, organisationId: number, input: LossInput) {
  let query = db
    .selectFrom('fund.copies')
    .select(['id', 'work_id', 'status', 'inventory_number', 'barcode', 'receipt_line_id', 'price_tiyn'])
    .where('organisation_id', '=', organisationId);
  if (input.copyId !== undefined) query = query.where('id', '=', input.copyId);
  else if (input.barcode) query = query.where('barcode', '=', input.barcode.trim());
  else throw invalid('accounting.no_copies');
  const copy = await query.forUpdate().executeTakeFirst();
  if (!copy) throw notFound('copy', input.copyId ?? input.barcode);
  return copy;
}

/** The library's open draft act for lost books: losses of a period are written off together by the commission. */
async function lossAct(db: Executor, organisationId: number, date: string): Promise<number> {
  const open = await db
    .selectFrom('fund.write_off_acts')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'draft')
    .where('reason', '=', 'lost_by_reader')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (open) return open.id;
  const number = String(await takeNumber(db, organisationId, 'write_off_number'));
  const act = await db
    .insertInto('fund.write_off_acts')
    .values({ organisation_id: organisationId, number, act_date: date, reason: 'lost_by_reader', commission: '[]', note: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return act.id;
}

/**
 * Records a reader's loss: the open loan is closed, the copy marked lost and put on the draft act of lost books,
 * and the loss settled by a replacement copy (entered as a receipt of source 'replacement') or a payment.
 */
export async function recordLoss(db: Executor, actor: Actor, input: LossInput): Promise<LossView> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const lostOn = input.lostOn ?? (await libraryToday(trx, organisationId));
    const reader = await trx
      .selectFrom('readers.readers')
      .select('id')
      .where('id', '=', input.readerId)
      .where('organisation_id', '=', organisationId)
      .executeTakeFirst();
    if (!reader) throw notFound('reader', input.readerId);
    const copy = await lostCopy(trx, organisationId, input);
    const label = { inventoryNumber: copy.inventory_number, barcode: copy.barcode };
    if (copy.status === 'written_off' || copy.status === 'lost') throw conflict('accounting.copy_already_lost', label);
    if (copy.receipt_line_id === null) throw conflict('accounting.copy_not_on_account', label);
    if (input.settlement === 'payment' && (!Number.isInteger(input.paymentTiyn) || input.paymentTiyn! <= 0)) {
      throw invalid('accounting.payment_required');
    }
    const loan = await trx
      .selectFrom('circulation.loans')
      .select(['id', 'reader_id'])
      .where('copy_id', '=', copy.id)
      .where('returned_at', 'is', null)
      .executeTakeFirst();
    if (loan && loan.reader_id !== reader.id) throw conflict('accounting.loan_of_other_reader', label);
    if (loan) {
      await trx.updateTable('circulation.loans').set({ returned_at: new Date(), returned_by: actor.userId }).where('id', '=', loan.id).execute();
    }
    await trx.updateTable('fund.copies').set({ status: 'lost', updated_at: new Date() }).where('id', '=', copy.id).execute();
    const actId = await lossAct(trx, organisationId, lostOn);
    await trx.insertInto('fund.write_off_lines').values({ act_id: actId, copy_id: copy.id }).execute();

    let replacementCopyId: number | null = null;
    if (input.settlement === 'replacement') {
      const booked = await trx.selectFrom('fund.receipt_lines').select('price_tiyn').where('id', '=', copy.receipt_line_id).executeTakeFirstOrThrow();
      const receipt = await createReceipt(trx, actor, {
        receivedOn: lostOn,
        source: 'replacement',
        note: `№ ${copy.inventory_number}`,
      });
      const line = await addReceiptLine(trx, actor, receipt.id, {
        workId: input.replacement?.workId ?? copy.work_id,
        count: 1,
        priceTiyn: input.replacement?.priceTiyn ?? booked.price_tiyn,
      });
      replacementCopyId = line.copies[0]!.id;
    }
    const row = await trx
      .insertInto('fund.losses')
      .values({
        organisation_id: organisationId,
        reader_id: reader.id,
        copy_id: copy.id,
        loan_id: loan?.id ?? null,
        lost_on: lostOn,
        settlement: input.settlement,
        replacement_copy_id: replacementCopyId,
        payment_tiyn: input.settlement === 'payment' ? input.paymentTiyn! : null,
        write_off_act_id: actId,
        note: input.note?.trim() || null,
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, actor, 'create', 'loss', row.id, { readerId: reader.id, copyId: copy.id, settlement: input.settlement });
    return (await listLosses(trx, actor, { readerId: reader.id })).items.find((l) => l.id === row.id)!;
  });
}

/** The losses recorded on a reader (or all of the library's). */
export async function listLosses(db: Executor, actor: Actor, query: { readerId?: number }): Promise<{ items: LossView[]; total: number }> {
  const organisationId = staffLibrary(actor);
  let q = db
    .selectFrom('fund.losses as x')
    .innerJoin('fund.copies as c', 'c.id', 'x.copy_id')
    .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
    .innerJoin('fund.write_off_acts as a', 'a.id', 'x.write_off_act_id')
    .leftJoin('fund.copies as r', 'r.id', 'x.replacement_copy_id')
    .select([
      'x.id',
      'x.reader_id',
      'x.copy_id',
      'c.inventory_number',
      'w.title',
      'x.lost_on',
      'x.settlement',
      'x.replacement_copy_id',
      'r.inventory_number as replacement_number',
      'x.payment_tiyn',
      'x.write_off_act_id',
      'a.number as act_number',
      'a.status as act_status',
    ])
    .where('x.organisation_id', '=', organisationId);
  if (query.readerId !== undefined) q = q.where('x.reader_id', '=', query.readerId);
  const rows = await q.orderBy('x.lost_on', 'desc').orderBy('x.id', 'desc').execute();
  const items = rows.map((r) => ({
    id: r.id,
    readerId: r.reader_id,
    copyId: r.copy_id,
    inventoryNumber: r.inventory_number,
    title: r.title,
    lostOn: r.lost_on,
    settlement: r.settlement,
    replacementCopyId: r.replacement_copy_id,
    replacementInventoryNumber: r.replacement_number,
    paymentTiyn: r.payment_tiyn,
    writeOffActId: r.write_off_act_id,
    writeOffActNumber: r.act_number,
    writeOffStatus: r.act_status,
  }));
  return { items, total: items.length };
}

/**
 * A loss settled long ago keeps its place in the fund's accounts, not its person: the losses of the
 * library recorded before the day whose write-off act is approved lose the reader, the loan and the
 * note (the act, its lines, the replacement copy and the payment stay). Returns how many were
 * unlinked. Called by the daily retention job, inside its transaction.
 */
export async function unlinkSettledLosses(db: Executor, organisationId: number, lostBefore: string): Promise<number> {
  const result = await db
    .updateTable('fund.losses as x')
    .set({ reader_id: null, loan_id: null, note: null })
    .where('x.organisation_id', '=', organisationId)
    .where('x.reader_id', 'is not', null)
    .where('x.lost_on', '<', lostBefore)
    .where((eb) =>
      eb.exists(eb.selectFrom('fund.write_off_acts as a').select('a.id').whereRef('a.id', '=', 'x.write_off_act_id').where('a.status', '=', 'approved')),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows ?? 0);
}
