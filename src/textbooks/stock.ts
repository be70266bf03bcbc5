import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { languageGroupOf } from '../fund/accounting/groups.js';
import { createReceipt } from '../fund/accounting/receipts.js';
import type { ReceiptSource } from '../fund/accounting/schema.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { takeNumber } from '../shared/counters.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { checkDate, checkSchoolYear } from './access.js';
import type { Condition, TextbookWriteOffReason } from './schema.js';
import { libraryToday } from '../shared/library-time.js';
import { inTransaction } from '../db/transaction.js';
import { staffLibrary } from '../auth/guard.js';

export type Shelf = Record<Condition, number>;
export const EMPTY_SHELF: Readonly<Shelf> = Object.freeze({ good: 0, worn: 0, unusable: 0, lost: 0 });

/**
 * The shelf counts of some titles, locked until the transaction ends (unless only read) so that two desks
 * issuing the same title at once cannot both take the last copy.
 */
export async function lockShelves(db: Executor, organisationId: number, workIds: number[], lock = true): Promise<Map<number, Shelf>> {
  const shelves = new Map<number, Shelf>();
  if (!workIds.length) return shelves;
  let query = db
    .selectFrom('textbooks.stock')
    .select(['work_id', 'good', 'worn', 'unusable', 'lost'])
    .where('organisation_id', '=', organisationId)
    .where('work_id', 'in', workIds)
    .orderBy('work_id');
  if (lock) query = query.forUpdate();
  const rows = await query.execute();
  for (const r of rows) shelves.set(r.work_id, { good: r.good, worn: r.worn, unusable: r.unusable, lost: r.lost });
  return shelves;
}

/** Adds (or, with negative numbers, takes) copies to the shelf; the table's checks refuse a negative count. */
export async function moveOnShelf(db: Executor, organisationId: number, workId: number, delta: Partial<Shelf>): Promise<void> {
  const inc = (c: Condition) => delta[c] ?? 0;
  // The row is made first and changed second: an insert of negative counts would fail its checks before any conflict.
  await db
    .insertInto('textbooks.stock')
    .values({ organisation_id: organisationId, work_id: workId })
    .onConflict((oc) => oc.columns(['organisation_id', 'work_id']).doNothing())
    .execute();
  await db
    .updateTable('textbooks.stock')
    .set((eb) => ({
      good: eb('good', '+', inc('good')),
      worn: eb('worn', '+', inc('worn')),
      unusable: eb('unusable', '+', inc('unusable')),
      lost: eb('lost', '+', inc('lost')),
    }))
    .where('organisation_id', '=', organisationId)
    .where('work_id', '=', workId)
    .execute();
}

// ---- Receipt of new textbooks ----

export interface BatchInput {
  workId: number;
  count: number;
  priceTiyn: number;
}

export interface TextbookReceiptInput {
  /** An open receipt document of the fund to add to; a new one is opened when absent. */
  receiptId?: number;
  receivedOn: string;
  source: ReceiptSource;
  documentNumber?: string | null;
  supplier?: string | null;
  note?: string | null;
  /** The school year the batch was bought for. */
  schoolYear: string;
  lines: BatchInput[];
}

export interface BatchView {
  id: number;
  receiptId: number;
  receiptNumber: string;
  receivedOn: string;
  source: string;
  workId: number;
  title: string;
  schoolYear: string;
  copiesCount: number;
  priceTiyn: number;
  sumTiyn: number;
  stampedOn: string | null;
}

async function receiptFor(db: Executor, actor: Actor, organisationId: number, input: TextbookReceiptInput): Promise<number> {
  if (input.receiptId === undefined) {
    const receipt = await createReceipt(db, actor, {
      receivedOn: input.receivedOn,
      source: input.source,
      documentNumber: input.documentNumber,
      supplier: input.supplier,
      note: input.note,
    });
    return receipt.id;
  }
  const own = await db
    .selectFrom('fund.receipts')
    .select('id')
    .where('id', '=', input.receiptId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  if (!own) throw notFound('receipt', input.receiptId);
  return own.id;
}

/**
 * Receives textbooks by title and count: the receipt is a document of the fund (number, source, date),
 * the titles go to the textbook fund as batches and onto the shelf as good copies.
 */
export async function receiveTextbooks(db: Executor, actor: Actor, input: TextbookReceiptInput): Promise<BatchView[]> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const schoolYear = checkSchoolYear(input.schoolYear);
    checkDate(input.receivedOn);
    if (!input.lines.length) throw invalid('textbooks.no_lines');
    for (const line of input.lines) {
      if (!Number.isInteger(line.count) || line.count < 1 || line.count > 10000) throw invalid('textbooks.bad_count', { value: line.count });
      if (!Number.isInteger(line.priceTiyn) || line.priceTiyn <= 0) throw invalid('textbooks.bad_price', { value: line.priceTiyn });
    }
    const works = await trx.selectFrom('catalog.works').select(['id', 'language']).where('id', 'in', input.lines.map((l) => l.workId)).execute();
    const known = new Map(works.map((w) => [w.id, w.language]));
    const unknown = input.lines.find((l) => !known.has(l.workId));
    if (unknown) throw notFound('work', unknown.workId);
    const booked = await bookedTitles(trx, organisationId, input.lines.map((l) => l.workId));

    const receiptId = await receiptFor(trx, actor, organisationId, input);
    const ids: number[] = [];
    for (const line of input.lines) {
      // A title keeps the language column it was first booked under, whatever the catalogue says later.
      const languageGroup = booked.get(line.workId)?.languageGroup ?? languageGroupOf(known.get(line.workId) ?? null);
      const batch = await trx
        .insertInto('textbooks.batches')
        .values({
          organisation_id: organisationId, receipt_id: receiptId, work_id: line.workId, school_year: schoolYear,
          copies_count: line.count, price_tiyn: line.priceTiyn, language_group: languageGroup,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await moveOnShelf(trx, organisationId, line.workId, { good: line.count });
      ids.push(batch.id);
    }
    await audit(trx, actor, 'receive', 'textbook_receipt', receiptId, { batches: ids, copies: input.lines.reduce((s, l) => s + l.count, 0) });
    return (await listBatches(trx, actor, { receiptId })).filter((b) => ids.includes(b.id));
  });
}

export async function listBatches(
  db: Executor,
  actor: Actor,
  filter: { schoolYear?: string; receiptId?: number; unstamped?: boolean } = {},
): Promise<BatchView[]> {
  const organisationId = staffLibrary(actor);
  let q = db
    .selectFrom('textbooks.batches as b')
    .innerJoin('fund.receipts as r', 'r.id', 'b.receipt_id')
    .innerJoin('catalog.works as w', 'w.id', 'b.work_id')
    .select(['b.id', 'b.receipt_id', 'r.number', 'r.received_on', 'r.source', 'b.work_id', 'w.title', 'b.school_year', 'b.copies_count', 'b.price_tiyn', 'b.stamped_on'])
    .where('b.organisation_id', '=', organisationId);
  if (filter.unstamped) q = q.where('b.stamped_on', 'is', null);
  if (filter.schoolYear) q = q.where('b.school_year', '=', checkSchoolYear(filter.schoolYear));
  if (filter.receiptId !== undefined) q = q.where('b.receipt_id', '=', filter.receiptId);
  const rows = await q.orderBy('r.received_on', 'desc').orderBy('b.id').execute();
  return rows.map((r) => ({
    id: r.id,
    receiptId: r.receipt_id,
    receiptNumber: r.number,
    receivedOn: r.received_on,
    source: r.source,
    workId: r.work_id,
    title: r.title,
    schoolYear: r.school_year,
    copiesCount: r.copies_count,
    priceTiyn: r.price_tiyn,
    sumTiyn: r.copies_count * r.price_tiyn,
    stampedOn: r.stamped_on,
  }));
}

/**
 * Notes that the batches were stamped as the library's property: new textbooks wait in the back room until then,
 * and the list of unstamped batches is the librarian's to-do list after a delivery.
 */
export async function stampBatches(db: Executor, actor: Actor, input: { batchIds: number[]; stampedOn?: string }): Promise<BatchView[]> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const stampedOn = checkDate(input.stampedOn ?? (await libraryToday(trx, organisationId)));
    if (!input.batchIds.length) throw invalid('textbooks.no_lines');
    const own = await trx
      .selectFrom('textbooks.batches')
      .select(['id', 'stamped_on'])
      .where('organisation_id', '=', organisationId)
      .where('id', 'in', input.batchIds)
      .forUpdate()
      .execute();
    const missing = input.batchIds.find((id) => !own.some((b) => b.id === id));
    if (missing !== undefined) throw notFound('textbook_batch', missing);
    const fresh = own.filter((b) => b.stamped_on === null).map((b) => b.id);
    if (fresh.length) {
      await trx.updateTable('textbooks.batches').set({ stamped_on: stampedOn }).where('id', 'in', fresh).execute();
      await audit(trx, actor, 'stamp', 'textbook_batch', null, { batchIds: fresh, stampedOn });
    }
    return (await listBatches(trx, actor)).filter((b) => input.batchIds.includes(b.id));
  });
}

// ---- Stock by title ----

export interface StockLine extends Shelf {
  workId: number;
  title: string;
  received: number;
  writtenOff: number;
  /** Copies with students now. */
  issued: number;
  /** Copies that can serve next year: on the shelf in good or worn condition, or with students. */
  usable: number;
  averagePriceTiyn: number;
}

/** Usable copies per title: the basis of next year's order. */
export async function usableCopies(db: Executor, organisationId: number): Promise<Map<number, number>> {
  const lines = await stockLines(db, organisationId);
  return new Map(lines.map((l) => [l.workId, l.usable]));
}

export async function stockLines(db: Executor, organisationId: number): Promise<StockLine[]> {
  const rows = await db
    .selectFrom('textbooks.stock as s')
    .innerJoin('catalog.works as w', 'w.id', 's.work_id')
    .select(['s.work_id', 'w.title', 's.good', 's.worn', 's.unusable', 's.lost'])
    .select((eb) => [
      eb.selectFrom('textbooks.batches as b').select((e) => e.fn.sum<number>('b.copies_count').as('n'))
        .whereRef('b.work_id', '=', 's.work_id').where('b.organisation_id', '=', organisationId).as('received'),
      eb.selectFrom('textbooks.batches as b').select(sql<number>`sum(b.copies_count * b.price_tiyn)`.as('v'))
        .whereRef('b.work_id', '=', 's.work_id').where('b.organisation_id', '=', organisationId).as('received_value'),
      eb.selectFrom('textbooks.write_off_lines as l').innerJoin('textbooks.write_off_acts as a', 'a.id', 'l.act_id')
        .select((e) => e.fn.sum<number>('l.copies_count').as('n'))
        .whereRef('l.work_id', '=', 's.work_id').where('a.organisation_id', '=', organisationId).as('written_off'),
      eb.selectFrom('textbooks.issues as i').select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('i.work_id', '=', 's.work_id').where('i.organisation_id', '=', organisationId).where('i.returned_on', 'is', null).as('issued'),
    ])
    .where('s.organisation_id', '=', organisationId)
    .orderBy('w.sort_key')
    .execute();
  return rows.map((r) => {
    const received = Number(r.received ?? 0);
    const issued = Number(r.issued ?? 0);
    return {
      workId: r.work_id,
      title: r.title,
      received,
      writtenOff: Number(r.written_off ?? 0),
      good: r.good,
      worn: r.worn,
      unusable: r.unusable,
      lost: r.lost,
      issued,
      usable: r.good + r.worn + issued,
      averagePriceTiyn: received ? Math.round(Number(r.received_value ?? 0) / received) : 0,
    };
  });
}

export async function listStock(db: Executor, actor: Actor): Promise<StockLine[]> {
  return stockLines(db, staffLibrary(actor));
}

// ---- Write-off on wear, loss or curriculum change ----

export interface WriteOffInput {
  actDate?: string;
  reason: TextbookWriteOffReason;
  note?: string | null;
  lines: { workId: number; condition: Condition; count: number }[];
}

export interface WriteOffView {
  id: number;
  number: string;
  actDate: string;
  reason: TextbookWriteOffReason;
  note: string | null;
  lines: { workId: number; title: string; condition: Condition; copiesCount: number; sumTiyn: number }[];
  copiesCount: number;
  sumTiyn: number;
}

/** Which shelf conditions each reason may write off: worn-out copies, lost ones, or any copy of a dropped title. */
const CONDITIONS_OF_REASON: Record<TextbookWriteOffReason, Condition[]> = {
  wear: ['worn', 'unusable'],
  loss: ['lost'],
  curriculum_change: ['good', 'worn', 'unusable'],
};

/** The titles of the newest school year the library has planned: these are not out of the curriculum. */
async function titlesInLatestCurriculum(db: Executor, organisationId: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom('textbooks.curriculum')
    .select('work_id')
    .where('organisation_id', '=', organisationId)
    .where('school_year', '=', (eb) =>
      eb.selectFrom('textbooks.curriculum').select((e) => e.fn.max('school_year').as('y')).where('organisation_id', '=', organisationId),
    )
    .execute();
  return new Set(rows.map((r) => r.work_id));
}

/**
 * Writes textbooks off by count in one act, numbered in the library's sequence of write-off acts.
 * Each line is valued at the title's book value per copy (what is left of its batches' value over the copies left),
 * and counts in the language column its title was booked under. Refused as a whole if any line asks
 * for more copies than the shelf holds in that condition.
 */
export async function writeOffTextbooks(db: Executor, actor: Actor, input: WriteOffInput): Promise<WriteOffView> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const actDate = checkDate(input.actDate ?? (await libraryToday(trx, organisationId)));
    if (!input.lines.length) throw invalid('textbooks.no_lines');
    const lines = mergeLines(input.lines);
    for (const line of lines) {
      if (!Number.isInteger(line.count) || line.count < 1) throw invalid('textbooks.bad_count', { value: line.count });
      if (!CONDITIONS_OF_REASON[input.reason].includes(line.condition)) {
        throw invalid('textbooks.condition_not_for_reason', { condition: line.condition, reason: input.reason });
      }
    }
    const titles = await titleMap(trx, lines.map((l) => l.workId));
    if (input.reason === 'curriculum_change') {
      const planned = await titlesInLatestCurriculum(trx, organisationId);
      const still = lines.find((l) => planned.has(l.workId));
      if (still) throw conflict('textbooks.still_in_curriculum', { title: titles.get(still.workId)! });
    }
    const shelves = await lockShelves(trx, organisationId, lines.map((l) => l.workId));
    for (const line of lines) {
      const available = (shelves.get(line.workId) ?? EMPTY_SHELF)[line.condition];
      if (available < line.count) {
        throw conflict('textbooks.not_enough_on_shelf', { title: titles.get(line.workId)!, condition: line.condition, available, count: line.count });
      }
    }
    const booked = await bookedTitles(trx, organisationId, lines.map((l) => l.workId));
    for (const [workId, count] of countsByTitle(lines)) {
      const available = await lowestBalanceFrom(trx, organisationId, workId, actDate);
      if (available < count) throw conflict('textbooks.act_before_receipt', { title: titles.get(workId)!, date: actDate, available, count });
    }
    const number = String(await takeNumber(trx, organisationId, 'write_off_number'));
    const act = await trx
      .insertInto('textbooks.write_off_acts')
      .values({ organisation_id: organisationId, number, act_date: actDate, reason: input.reason, note: input.note?.trim() || null, created_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const line of lines) {
      const title = booked.get(line.workId) ?? { languageGroup: 'other' as const, copies: 0, valueTiyn: 0 };
      const sum = bookValueOf(title, line.count);
      title.copies -= line.count;
      title.valueTiyn -= sum;
      await trx
        .insertInto('textbooks.write_off_lines')
        .values({ act_id: act.id, work_id: line.workId, condition: line.condition, copies_count: line.count, sum_tiyn: sum, language_group: title.languageGroup })
        .execute();
      await moveOnShelf(trx, organisationId, line.workId, { [line.condition]: -line.count });
    }
    await audit(trx, actor, 'write_off', 'textbook_write_off', act.id, { number, reason: input.reason, lines });
    return getWriteOff(trx, organisationId, act.id);
  });
}

/** What the books hold of a title: the language it was booked under, and the copies and value not yet written off. */
export interface BookedTitle {
  languageGroup: 'kk' | 'ru' | 'other';
  copies: number;
  valueTiyn: number;
}

/** The titles' balance in the books: batches received minus lines written off, to the tiyn. */
export async function bookedTitles(db: Executor, organisationId: number, workIds: number[]): Promise<Map<number, BookedTitle>> {
  const titles = new Map<number, BookedTitle>();
  if (!workIds.length) return titles;
  const { rows } = await sql<{ work_id: number; language_group: BookedTitle['languageGroup']; copies: string | number; value: string | number }>`
    SELECT b.work_id,
           (SELECT f.language_group FROM textbooks.batches f
             WHERE f.organisation_id = ${organisationId} AND f.work_id = b.work_id ORDER BY f.id LIMIT 1) AS language_group,
           sum(b.copies_count)
             - coalesce((SELECT sum(l.copies_count) FROM textbooks.write_off_lines l JOIN textbooks.write_off_acts a ON a.id = l.act_id
                          WHERE a.organisation_id = ${organisationId} AND l.work_id = b.work_id), 0) AS copies,
           sum(b.copies_count * b.price_tiyn)
             - coalesce((SELECT sum(l.sum_tiyn) FROM textbooks.write_off_lines l JOIN textbooks.write_off_acts a ON a.id = l.act_id
                          WHERE a.organisation_id = ${organisationId} AND l.work_id = b.work_id), 0) AS value
      FROM textbooks.batches b
     WHERE b.organisation_id = ${organisationId} AND b.work_id IN (${sql.join(workIds)})
     GROUP BY b.work_id`.execute(db);
  for (const r of rows) titles.set(Number(r.work_id), { languageGroup: r.language_group, copies: Number(r.copies), valueTiyn: Number(r.value) });
  return titles;
}

/**
 * The book value of `count` copies of a title: its remaining value shared evenly over its remaining copies,
 * rounded to the tiyn, and the whole remainder with the last copies, so that a title written off to the end
 * leaves nothing in the summary book (no stray tiyn from rounding an average price).
 */
export function bookValueOf(title: BookedTitle, count: number): number {
  if (title.copies <= 0) return 0;
  if (count >= title.copies) return Math.max(0, title.valueTiyn);
  return Math.round((title.valueTiyn * count) / title.copies);
}

function countsByTitle(lines: WriteOffInput['lines']): Map<number, number> {
  const counts = new Map<number, number>();
  for (const l of lines) counts.set(l.workId, (counts.get(l.workId) ?? 0) + l.count);
  return counts;
}

/**
 * The fewest copies of a title the books hold on any day from `date` on (received by then minus written off by
 * then). A new act dated `date` lowers every one of those balances, so it may write off at most this many:
 * a back-dated act can never make a past period of the summary book hold fewer than zero textbooks.
 */
async function lowestBalanceFrom(db: Executor, organisationId: number, workId: number, date: string): Promise<number> {
  const { rows } = await sql<{ lowest: string | number | null }>`
    WITH moves AS (
      SELECT r.received_on AS day, b.copies_count AS n
        FROM textbooks.batches b JOIN fund.receipts r ON r.id = b.receipt_id
       WHERE b.organisation_id = ${organisationId} AND b.work_id = ${workId}
      UNION ALL
      SELECT a.act_date, -l.copies_count
        FROM textbooks.write_off_lines l JOIN textbooks.write_off_acts a ON a.id = l.act_id
       WHERE a.organisation_id = ${organisationId} AND l.work_id = ${workId}
    ),
    balances AS (SELECT day, sum(n) OVER (ORDER BY day) AS balance FROM moves)
    SELECT least(
             coalesce((SELECT sum(n) FROM moves WHERE day <= ${date}), 0),
             (SELECT min(balance) FROM balances WHERE day > ${date})
           ) AS lowest`.execute(db);
  return Number(rows[0]?.lowest ?? 0);
}

/** Two lines of the same title and condition are one line of the act. */
function mergeLines(lines: WriteOffInput['lines']): WriteOffInput['lines'] {
  const merged = new Map<string, WriteOffInput['lines'][number]>();
  for (const l of lines) {
    const key = `${l.workId}/${l.condition}`;
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, count: seen.count + l.count } : { ...l });
  }
  return [...merged.values()];
}

export async function titleMap(db: Executor, workIds: number[]): Promise<Map<number, string>> {
  if (!workIds.length) return new Map();
  const rows = await db.selectFrom('catalog.works').select(['id', 'title']).where('id', 'in', workIds).execute();
  const map = new Map(rows.map((r) => [r.id, r.title]));
  const missing = workIds.find((id) => !map.has(id));
  if (missing !== undefined) throw notFound('work', missing);
  return map;
}

async function getWriteOff(db: Executor, organisationId: number, id: number): Promise<WriteOffView> {
  return (await writeOffViews(db, organisationId, id))[0]!;
}

async function writeOffViews(db: Executor, organisationId: number, id?: number): Promise<WriteOffView[]> {
  let q = db
    .selectFrom('textbooks.write_off_acts')
    .select(['id', 'number', 'act_date', 'reason', 'note'])
    .where('organisation_id', '=', organisationId);
  if (id !== undefined) q = q.where('id', '=', id);
  const acts = await q.orderBy('act_date', 'desc').orderBy('id', 'desc').execute();
  if (!acts.length) return [];
  const lines = await db
    .selectFrom('textbooks.write_off_lines as l')
    .innerJoin('catalog.works as w', 'w.id', 'l.work_id')
    .select(['l.act_id', 'l.work_id', 'w.title', 'l.condition', 'l.copies_count', 'l.sum_tiyn'])
    .where('l.act_id', 'in', acts.map((a) => a.id))
    .orderBy('w.sort_key')
    .execute();
  return acts.map((a) => {
    const own = lines
      .filter((l) => l.act_id === a.id)
      .map((l) => ({ workId: l.work_id, title: l.title, condition: l.condition, copiesCount: l.copies_count, sumTiyn: l.sum_tiyn }));
    return {
      id: a.id,
      number: a.number,
      actDate: a.act_date,
      reason: a.reason,
      note: a.note,
      lines: own,
      copiesCount: own.reduce((s, l) => s + l.copiesCount, 0),
      sumTiyn: own.reduce((s, l) => s + l.sumTiyn, 0),
    };
  });
}

export async function listWriteOffs(db: Executor, actor: Actor): Promise<WriteOffView[]> {
  return writeOffViews(db, staffLibrary(actor));
}
