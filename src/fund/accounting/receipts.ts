import type { Actor } from '../../auth/actor.js';
import { findWorksByIsbn, createWork, type WorkInput } from '../../catalog/works.js';
import { lockWorksByIsbn } from '../../catalog/locks.js';
import { normaliseIsbn } from '../../catalog/isbn.js';
import { audit } from '../../org/audit.js';
import type { Executor } from '../../db/executor.js';
import { takeNumber } from '../../shared/counters.js';
import { AppError, conflict, invalid, notFound } from '../../shared/errors.js';
import { addCopies } from '../copies.js';
import type { FundKind } from '../schema.js';
import { knowledgeGroupOf, languageGroupOf, listGroupRules } from './groups.js';
import type { KnowledgeGroup, LanguageGroup, ReceiptSource } from './schema.js';
import { inTransaction } from '../../db/transaction.js';
import { staffLibrary } from '../../auth/guard.js';

/** Brochures of this many pages or fewer are kept off-balance, in their own register. */
export const BROCHURE_MAX_PAGES = 48;

export interface ReceiptInput {
  receivedOn: string;
  source: ReceiptSource;
  documentNumber?: string | null;
  supplier?: string | null;
  note?: string | null;
}

export interface ReceiptLineInput {
  workId: number;
  count: number;
  priceTiyn: number;
  /** Fund of the copies; textbooks count in their own column. */
  fund?: Exclude<FundKind, 'off_balance'>;
  /** The price was set by the acceptance commission (a gift or an exchange without a price). */
  valuation?: boolean;
  /** Temporary storage; by default brochures of 48 pages or fewer. */
  offBalance?: boolean;
  location?: string | null;
}

export interface ReceiptLineView {
  id: number;
  workId: number;
  title: string;
  copiesCount: number;
  priceTiyn: number;
  sumTiyn: number;
  valuation: boolean;
  fund: string;
  knowledgeGroup: KnowledgeGroup;
  languageGroup: LanguageGroup;
  offBalance: boolean;
  copies: { id: number; inventoryNumber: string; barcode: string }[];
}

export interface ReceiptView {
  id: number;
  number: string;
  receivedOn: string;
  source: ReceiptSource;
  documentNumber: string | null;
  supplier: string | null;
  note: string | null;
  copiesCount: number;
  sumTiyn: number;
  /** Textbooks received by count with this document (the textbook fund's batches), outside the copy lines. */
  textbooksCount: number;
  textbooksSumTiyn: number;
}

type ReceiptRow = {
  id: number;
  number: string;
  received_on: string;
  source: ReceiptSource;
  document_number: string | null;
  supplier: string | null;
  note: string | null;
};

const VALUED_SOURCES: ReceiptSource[] = ['gift', 'exchange'];

function checkDate(value: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw invalid('accounting.bad_date', { value });
}

async function ownReceipt(db: Executor, organisationId: number, id: number): Promise<ReceiptRow> {
  const row = await db
    .selectFrom('fund.receipts')
    .select(['id', 'number', 'received_on', 'source', 'document_number', 'supplier', 'note'])
    .where('id', '=', id)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  if (!row) throw notFound('receipt', id);
  return row;
}

export async function createReceipt(db: Executor, actor: Actor, input: ReceiptInput): Promise<ReceiptView> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    checkDate(input.receivedOn);
    const number = String(await takeNumber(trx, organisationId, 'receipt_number'));
    const row = await trx
      .insertInto('fund.receipts')
      .values({
        organisation_id: organisationId,
        number,
        received_on: input.receivedOn,
        source: input.source,
        document_number: input.documentNumber?.trim() || null,
        supplier: input.supplier?.trim() || null,
        note: input.note?.trim() || null,
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, actor, 'create', 'receipt', row.id, { number, source: input.source, receivedOn: input.receivedOn });
    return getReceipt(trx, actor, row.id).then((r) => r.receipt);
  });
}

/** The date and source can change only while the receipt is empty: its copies were entered on that date. */
export async function updateReceipt(db: Executor, actor: Actor, id: number, patch: Partial<ReceiptInput>): Promise<ReceiptView> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const current = await ownReceipt(trx, organisationId, id);
    const lines = await lineCount(trx, id);
    const changesBooks = (patch.receivedOn !== undefined && patch.receivedOn !== current.received_on) ||
      (patch.source !== undefined && patch.source !== current.source);
    if (changesBooks && lines > 0) throw conflict('accounting.receipt_has_copies', { number: current.number });
    if (changesBooks) await refuseTextbookBatches(trx, current);
    if (patch.receivedOn !== undefined) checkDate(patch.receivedOn);
    await trx
      .updateTable('fund.receipts')
      .set({
        ...(patch.receivedOn !== undefined ? { received_on: patch.receivedOn } : {}),
        ...(patch.source !== undefined ? { source: patch.source } : {}),
        ...(patch.documentNumber !== undefined ? { document_number: patch.documentNumber?.trim() || null } : {}),
        ...(patch.supplier !== undefined ? { supplier: patch.supplier?.trim() || null } : {}),
        ...(patch.note !== undefined ? { note: patch.note?.trim() || null } : {}),
      })
      .where('id', '=', id)
      .execute();
    await audit(trx, actor, 'update', 'receipt', id, { fields: Object.keys(patch) });
    return (await getReceipt(trx, actor, id)).receipt;
  });
}

export async function deleteReceipt(db: Executor, actor: Actor, id: number): Promise<void> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const current = await ownReceipt(trx, organisationId, id);
    if ((await lineCount(trx, id)) > 0) throw conflict('accounting.receipt_has_copies', { number: current.number });
    await refuseTextbookBatches(trx, current);
    await trx.deleteFrom('fund.receipts').where('id', '=', id).execute();
    await audit(trx, actor, 'delete', 'receipt', id, { number: current.number });
  });
}

/**
 * Textbooks received with this document (group accounting, `textbooks.batches`) are in the books as well:
 * the receipt's date, source and existence are then fixed, as with copies.
 */
async function refuseTextbookBatches(db: Executor, receipt: ReceiptRow): Promise<void> {
  const batches = await db
    .selectFrom('textbooks.batches')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('copies_count').as('copies')])
    .where('receipt_id', '=', receipt.id)
    .executeTakeFirstOrThrow();
  if (Number(batches.n) > 0) {
    throw conflict('accounting.receipt_has_textbooks', { number: receipt.number, copies: Number(batches.copies) });
  }
}

async function lineCount(db: Executor, receiptId: number): Promise<number> {
  const row = await db
    .selectFrom('fund.receipt_lines')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('receipt_id', '=', receiptId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Enters one title of a batch: the copies get inventory numbers and barcodes, and the line keeps the price,
 * report group and language that the books will count them under.
 */
export async function addReceiptLine(db: Executor, actor: Actor, receiptId: number, input: ReceiptLineInput): Promise<ReceiptLineView> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const receipt = await ownReceipt(trx, organisationId, receiptId);
    if (!Number.isInteger(input.priceTiyn) || input.priceTiyn < 0) throw invalid('accounting.bad_price', { value: input.priceTiyn });
    if (!Number.isInteger(input.count) || input.count < 1 || input.count > 1000) throw invalid('accounting.bad_count', { value: input.count });
    const work = await trx
      .selectFrom('catalog.works')
      .select(['id', 'bbk', 'udc', 'knowledge_group', 'language', 'pages'])
      .where('id', '=', input.workId)
      .executeTakeFirst();
    if (!work) throw notFound('work', input.workId);

    const fund = input.fund ?? 'main';
    const offBalance = input.offBalance ?? (fund !== 'textbook' && work.pages !== null && work.pages <= BROCHURE_MAX_PAGES);
    if (!offBalance && input.priceTiyn === 0) throw invalid('accounting.price_required');
    const rules = await listGroupRules(trx);
    const line = await trx
      .insertInto('fund.receipt_lines')
      .values({
        receipt_id: receiptId,
        work_id: work.id,
        copies_count: input.count,
        price_tiyn: input.priceTiyn,
        valuation: input.valuation ?? VALUED_SOURCES.includes(receipt.source),
        fund: offBalance ? 'off_balance' : fund,
        knowledge_group: knowledgeGroupOf(rules, work, fund),
        language_group: languageGroupOf(work.language),
        off_balance: offBalance,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const copies = await addCopies(trx, actor, {
      workId: work.id,
      count: input.count,
      fund: offBalance ? 'off_balance' : fund,
      priceTiyn: input.priceTiyn,
      acquiredOn: receipt.received_on,
      location: input.location ?? null,
    });
    await trx
      .updateTable('fund.copies')
      .set({ receipt_id: receiptId, receipt_line_id: line.id })
      .where('id', 'in', copies.map((c) => c.id))
      .execute();
    await audit(trx, actor, 'add_line', 'receipt', receiptId, { lineId: line.id, workId: work.id, count: input.count, priceTiyn: input.priceTiyn });
    const view = (await receiptLines(trx, receiptId)).find((l) => l.id === line.id);
    return view!;
  });
}

export interface IsbnReceiptInput extends Omit<ReceiptLineInput, 'workId'> {
  isbn: string;
  /** Describes the work when the catalogue does not know the ISBN yet. */
  work?: Omit<WorkInput, 'isbn'>;
}

/** The quick way to receive a batch: scan the ISBN, type the number of copies and the price. */
export async function receiveByIsbn(db: Executor, actor: Actor, receiptId: number, input: IsbnReceiptInput): Promise<ReceiptLineView> {
  staffLibrary(actor);
  const isbn = normaliseIsbn(input.isbn);
  if (!isbn) throw invalid('catalog.invalid_isbn', { isbn: input.isbn });
  let workId = (await findWorksByIsbn(db, isbn))[0]?.id;
  if (!workId) {
    if (!input.work?.title) throw new AppError('accounting.isbn_unknown', 404, { isbn });
    // another library may be receiving the same new book this moment: one record for both
    await lockWorksByIsbn(db);
    workId = (await findWorksByIsbn(db, isbn))[0]?.id ?? (await createWork(db, actor, { ...input.work, isbn }));
  }
  const { isbn: _isbn, work: _work, ...line } = input;
  return addReceiptLine(db, actor, receiptId, { ...line, workId });
}

/** A line can be taken back only while none of its copies has lived in the fund (no loan, act or check). */
export async function deleteReceiptLine(db: Executor, actor: Actor, receiptId: number, lineId: number): Promise<void> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    await ownReceipt(trx, organisationId, receiptId);
    const line = await trx
      .selectFrom('fund.receipt_lines')
      .select(['id'])
      .where('id', '=', lineId)
      .where('receipt_id', '=', receiptId)
      .executeTakeFirst();
    if (!line) throw notFound('receipt_line', lineId);
    const used = await trx
      .selectFrom('fund.copies as c')
      .select('c.id')
      .where('c.receipt_line_id', '=', lineId)
      .where((eb) =>
        eb.or([
          eb('c.status', '!=', 'available'),
          eb.exists(eb.selectFrom('circulation.loans as l').select('l.id').whereRef('l.copy_id', '=', 'c.id')),
          eb.exists(eb.selectFrom('fund.write_off_lines as w').select('w.act_id').whereRef('w.copy_id', '=', 'c.id')),
          eb.exists(eb.selectFrom('fund.check_scans as s').select('s.id').whereRef('s.copy_id', '=', 'c.id')),
          eb.exists(eb.selectFrom('fund.losses as x').select('x.id').whereRef('x.replacement_copy_id', '=', 'c.id')),
        ]),
      )
      .executeTakeFirst();
    if (used) throw conflict('accounting.line_in_use');
    await trx.deleteFrom('fund.inventory_number_history').where('copy_id', 'in', (eb) =>
      eb.selectFrom('fund.copies').select('id').where('receipt_line_id', '=', lineId)).execute();
    await trx.deleteFrom('fund.copies').where('receipt_line_id', '=', lineId).execute();
    await trx.deleteFrom('fund.receipt_lines').where('id', '=', lineId).execute();
    await audit(trx, actor, 'delete_line', 'receipt', receiptId, { lineId });
  });
}

async function receiptLines(db: Executor, receiptId: number): Promise<ReceiptLineView[]> {
  const lines = await db
    .selectFrom('fund.receipt_lines as l')
    .innerJoin('catalog.works as w', 'w.id', 'l.work_id')
    .select(['l.id', 'l.work_id', 'w.title', 'l.copies_count', 'l.price_tiyn', 'l.valuation', 'l.fund', 'l.knowledge_group', 'l.language_group', 'l.off_balance'])
    .where('l.receipt_id', '=', receiptId)
    .orderBy('l.id')
    .execute();
  const copies = await db
    .selectFrom('fund.copies')
    .select(['id', 'receipt_line_id', 'inventory_number', 'barcode'])
    .where('receipt_id', '=', receiptId)
    .orderBy('id')
    .execute();
  return lines.map((l) => ({
    id: l.id,
    workId: l.work_id,
    title: l.title,
    copiesCount: l.copies_count,
    priceTiyn: l.price_tiyn,
    sumTiyn: l.copies_count * l.price_tiyn,
    valuation: l.valuation,
    fund: l.fund,
    knowledgeGroup: l.knowledge_group,
    languageGroup: l.language_group,
    offBalance: l.off_balance,
    copies: copies.filter((c) => c.receipt_line_id === l.id).map((c) => ({ id: c.id, inventoryNumber: c.inventory_number, barcode: c.barcode })),
  }));
}

function toReceiptView(r: ReceiptRow, lines: { copiesCount: number; sumTiyn: number }[], textbooks = { copies: 0, sum: 0 }): ReceiptView {
  return {
    id: r.id,
    number: r.number,
    receivedOn: r.received_on,
    source: r.source,
    documentNumber: r.document_number,
    supplier: r.supplier,
    note: r.note,
    copiesCount: lines.reduce((s, l) => s + l.copiesCount, 0),
    sumTiyn: lines.reduce((s, l) => s + l.sumTiyn, 0),
    textbooksCount: textbooks.copies,
    textbooksSumTiyn: textbooks.sum,
  };
}

/** Copies and value of the textbook batches that came with each receipt. */
async function textbookTotals(db: Executor, receiptIds: number[]): Promise<Map<number, { copies: number; sum: number }>> {
  if (!receiptIds.length) return new Map();
  const rows = await db
    .selectFrom('textbooks.batches')
    .select(['receipt_id'])
    .select((eb) => [eb.fn.sum<number>('copies_count').as('copies'), eb.fn.sum<number>(eb('copies_count', '*', eb.ref('price_tiyn'))).as('sum')])
    .where('receipt_id', 'in', receiptIds)
    .groupBy('receipt_id')
    .execute();
  return new Map(rows.map((r) => [r.receipt_id, { copies: Number(r.copies), sum: Number(r.sum) }]));
}

export async function getReceipt(db: Executor, actor: Actor, id: number): Promise<{ receipt: ReceiptView; lines: ReceiptLineView[] }> {
  const organisationId = staffLibrary(actor);
  const row = await ownReceipt(db, organisationId, id);
  const lines = await receiptLines(db, id);
  const textbooks = await textbookTotals(db, [id]);
  return { receipt: toReceiptView(row, lines, textbooks.get(id)), lines };
}

export async function listReceipts(
  db: Executor,
  actor: Actor,
  query: { from?: string; to?: string; limit: number; offset: number },
): Promise<{ items: ReceiptView[]; total: number }> {
  const organisationId = staffLibrary(actor);
  let base = db.selectFrom('fund.receipts as r').where('r.organisation_id', '=', organisationId);
  if (query.from) base = base.where('r.received_on', '>=', query.from);
  if (query.to) base = base.where('r.received_on', '<=', query.to);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .leftJoin('fund.receipt_lines as l', 'l.receipt_id', 'r.id')
    .select(['r.id', 'r.number', 'r.received_on', 'r.source', 'r.document_number', 'r.supplier', 'r.note'])
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('l.copies_count'), eb.lit(0)).as('copies'),
      eb.fn.coalesce(eb.fn.sum<number>(eb('l.copies_count', '*', eb.ref('l.price_tiyn'))), eb.lit(0)).as('sum'),
    ])
    .groupBy('r.id')
    .orderBy('r.received_on', 'desc')
    .orderBy('r.id', 'desc')
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  const textbooks = await textbookTotals(db, rows.map((r) => r.id));
  return {
    items: rows.map((r) => toReceiptView(r, [{ copiesCount: Number(r.copies), sumTiyn: Number(r.sum) }], textbooks.get(r.id))),
    total: Number(total.n),
  };
}
