/**
 * Booking an existing fund (бұрыннан бар қорды есепке алу): the copies a library already holds, with the
 * inventory numbers they carry, their dates of entry and prices, taken on the books as one document — a
 * receipt of source `initial`. The copies come three ways (scanned, from a template file, chosen from the
 * catalogue) and all go through `stageOpeningRows`. They wait on a draft, written in chunks, so that the desk
 * keeps working on the embedded database while a fund of 60,000 copies loads; `postOpening` then books the
 * whole draft in one short, set-based step. Nothing of a draft reaches the registers until it is posted.
 */
import { sql } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import { checkBbk, checkUdc } from '../../catalog/works.js';
import { PUBLICATION_TYPES, type PublicationType } from '../../catalog/schema.js';
import type { Db } from '../../db/connect.js';
import { inTransaction } from '../../db/transaction.js';
import { t } from '../../i18n/index.js';
import { insertRows } from '../../interop/bulk.js';
import { audit } from '../../org/audit.js';
import type { Executor } from '../../db/executor.js';
import type { Locale } from '../../org/schema.js';
import { bumpCounterPast, takeNumber } from '../../shared/counters.js';
import { AppError, conflict, invalid, notFound } from '../../shared/errors.js';
import { libraryToday } from '../../shared/library-time.js';
import { staffLibrary } from '../../auth/guard.js';
import { knowledgeGroupOf, languageGroupOf, listGroupRules, type GroupRule } from './groups.js';
import { readTemplate, type TemplateEncoding, type TemplateRow } from './opening-file.js';
import { isChildrens, BROCHURE_MAX_PAGES } from './receipts.js';
import { resolveWorksInBulk, workKey, type OpeningWorkInput, type WorkCache } from './opening-works.js';

export type { OpeningWorkInput } from './opening-works.js';

export interface OpeningInput {
  asOf: string;
  documentNumber?: string | null;
  documentDate?: string | null;
  note?: string | null;
}

/** One copy to book. Either an existing copy (copyId, or its scanned barcode alone), or a new one with its own number. */
export interface OpeningRowInput {
  /** The row of the file, for messages; rows typed or scanned are numbered in order. */
  row?: number;
  copyId?: number;
  barcode?: string | null;
  workId?: number;
  work?: OpeningWorkInput;
  inventoryNumber?: string;
  enteredOn?: string;
  /** Tiyn; null or absent: the price is not known (counts as 0, shown as unpriced). */
  priceTiyn?: number | null;
  /** The price is the commission's valuation. */
  valuation?: boolean;
  fund?: 'main' | 'textbook' | 'periodical' | 'electronic' | 'off_balance';
  location?: string | null;
}

export interface RowProblem {
  row: number;
  column: string;
  code: string;
  params: Record<string, string | number>;
  message?: string;
}

export interface OpeningView {
  id: number;
  asOf: string;
  documentNumber: string | null;
  documentDate: string | null;
  note: string | null;
  status: 'draft' | 'posted';
  receiptId: number | null;
  receiptNumber: string | null;
  importId: number | null;
  checkId: number | null;
  copiesCount: number;
  sumTiyn: number;
  unpricedCount: number;
  /** Gaps in the numeric inventory numbers of the draft: warnings, not errors. */
  gaps: { from: string; to: string; row: number | null }[];
  gapsCount: number;
}

export interface OpeningRowView {
  id: number;
  row: number | null;
  copyId: number | null;
  inventoryNumber: string;
  barcode: string | null;
  enteredOn: string;
  title: string;
  authors: string;
  priceTiyn: number;
  priceUnknown: boolean;
  valuation: boolean;
  fund: string;
  publicationType: string;
}

/** State of one load (a file, or one scanning session): numbers already seen, works found, problems. */
export interface OpeningLoad extends WorkCache {
  loadId: number;
  seen: Map<string, number>;
  seenBarcodes: Map<string, number>;
  problems: RowProblem[];
  staged: number;
  nextRow: number;
  /** Milliseconds by step, summed over the chunks, when the caller wants to know where the time goes. */
  timings?: StepTimings;
}

/** Milliseconds spent in each step of a load or a posting (the benchmark prints them). */
export type StepTimings = Record<string, number>;

async function timed<T>(timings: StepTimings | undefined, step: string, work: () => Promise<T> | T): Promise<T> {
  if (!timings) return work();
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings[step] = (timings[step] ?? 0) + (performance.now() - start);
  }
}

/** Problems reported by row: the first ones only, a file with thousands of errors is answered by its first 200. */
export const MAX_PROBLEMS = 200;

export function newLoad(loadId = Math.floor(Math.random() * 2_000_000_000) + 1): OpeningLoad {
  return { loadId, seen: new Map(), seenBarcodes: new Map(), works: new Map(), problems: [], staged: 0, nextRow: 1 };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

async function ownOpening(db: Executor, organisationId: number, id: number, lock = false) {
  let q = db.selectFrom('fund.opening_balances').selectAll().where('id', '=', id).where('organisation_id', '=', organisationId);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('opening_balance', id);
  return row;
}

function assertDraft(row: { status: string; id: number }) {
  if (row.status !== 'draft') throw conflict('accounting.opening.posted', { id: row.id });
}

export async function createOpening(db: Executor, actor: Actor, input: OpeningInput & { importId?: number | null; checkId?: number | null }): Promise<OpeningView> {
  const organisationId = staffLibrary(actor);
  if (!validDate(input.asOf)) throw invalid('accounting.bad_date', { value: input.asOf });
  if (input.documentDate && !validDate(input.documentDate)) throw invalid('accounting.bad_date', { value: input.documentDate });
  const row = await db
    .insertInto('fund.opening_balances')
    .values({
      organisation_id: organisationId,
      as_of: input.asOf,
      document_number: input.documentNumber?.trim() || null,
      document_date: input.documentDate || null,
      note: input.note?.trim() || null,
      receipt_id: null,
      import_id: input.importId ?? null,
      check_id: input.checkId ?? null,
      created_by: actor.userId,
      posted_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(db, actor, 'create', 'opening_balance', row.id, { asOf: input.asOf });
  return getOpening(db, actor, row.id);
}

export async function updateOpening(db: Executor, actor: Actor, id: number, patch: Partial<OpeningInput>): Promise<OpeningView> {
  const organisationId = staffLibrary(actor);
  assertDraft(await ownOpening(db, organisationId, id, true));
  for (const d of [patch.asOf, patch.documentDate]) if (d && !validDate(d)) throw invalid('accounting.bad_date', { value: d });
  await db
    .updateTable('fund.opening_balances')
    .set({
      ...(patch.asOf ? { as_of: patch.asOf } : {}),
      ...(patch.documentNumber !== undefined ? { document_number: patch.documentNumber?.trim() || null } : {}),
      ...(patch.documentDate !== undefined ? { document_date: patch.documentDate || null } : {}),
      ...(patch.note !== undefined ? { note: patch.note?.trim() || null } : {}),
    })
    .where('id', '=', id)
    .execute();
  await audit(db, actor, 'update', 'opening_balance', id, { fields: Object.keys(patch) });
  return getOpening(db, actor, id);
}

export async function deleteOpening(db: Executor, actor: Actor, id: number): Promise<void> {
  const organisationId = staffLibrary(actor);
  assertDraft(await ownOpening(db, organisationId, id, true));
  await db.deleteFrom('fund.opening_balances').where('id', '=', id).execute();
  await audit(db, actor, 'delete', 'opening_balance', id, {});
}

export async function getOpening(db: Executor, actor: Actor, id: number): Promise<OpeningView> {
  const organisationId = staffLibrary(actor);
  const row = await ownOpening(db, organisationId, id);
  return openingView(db, row);
}

async function openingView(db: Executor, row: Awaited<ReturnType<typeof ownOpening>>): Promise<OpeningView> {
  let totals = { copies: 0, sum: 0, unpriced: 0 };
  let receiptNumber: string | null = null;
  let gaps: OpeningView['gaps'] = [];
  let gapsCount = 0;
  if (row.status === 'draft') {
    const { rows } = await sql<{ copies: number; sum: number; unpriced: number }>`
      SELECT count(*)::int8 AS copies, coalesce(sum(price_tiyn), 0)::int8 AS sum,
             count(*) FILTER (WHERE price_unknown)::int8 AS unpriced
        FROM fund.opening_rows WHERE opening_id = ${row.id}`.execute(db);
    totals = { copies: Number(rows[0]!.copies), sum: Number(rows[0]!.sum), unpriced: Number(rows[0]!.unpriced) };
    ({ gaps, count: gapsCount } = await numberGaps(db, row.id));
  } else if (row.receipt_id) {
    const { rows } = await sql<{ number: string; copies: number; sum: number; unpriced: number }>`
      SELECT r.number, coalesce(sum(l.copies_count), 0)::int8 AS copies, coalesce(sum(l.copies_count * l.price_tiyn), 0)::int8 AS sum,
             coalesce(sum(l.copies_count) FILTER (WHERE l.price_unknown), 0)::int8 AS unpriced
        FROM fund.receipts r LEFT JOIN fund.receipt_lines l ON l.receipt_id = r.id
       WHERE r.id = ${row.receipt_id} GROUP BY r.number`.execute(db);
    receiptNumber = rows[0]?.number ?? null;
    totals = { copies: Number(rows[0]?.copies ?? 0), sum: Number(rows[0]?.sum ?? 0), unpriced: Number(rows[0]?.unpriced ?? 0) };
  }
  return {
    id: row.id,
    asOf: row.as_of,
    documentNumber: row.document_number,
    documentDate: row.document_date,
    note: row.note,
    status: row.status,
    receiptId: row.receipt_id,
    receiptNumber,
    importId: row.import_id,
    checkId: row.check_id,
    copiesCount: totals.copies,
    sumTiyn: totals.sum,
    unpricedCount: totals.unpriced,
    gaps,
    gapsCount,
  };
}

/** Gaps in the numbering of the draft's numeric inventory numbers (a paper book's skipped lines): the first 50. */
async function numberGaps(db: Executor, openingId: number) {
  const { rows } = await sql<{ a: string; b: string; row: number | null; total: number }>`
    WITH n AS (SELECT inventory_number::numeric AS n, row_number AS r FROM fund.opening_rows
                WHERE opening_id = ${openingId} AND inventory_number ~ '^[0-9]{1,15}$'),
         g AS (SELECT n, lead(n) OVER (ORDER BY n) AS next, lead(r) OVER (ORDER BY n) AS next_row FROM n)
    SELECT (n + 1)::text AS a, (next - 1)::text AS b, next_row AS row, count(*) OVER ()::int8 AS total
      FROM g WHERE next > n + 1 ORDER BY n LIMIT 50`.execute(db);
  return { gaps: rows.map((r) => ({ from: r.a, to: r.b, row: r.row })), count: Number(rows[0]?.total ?? 0) };
}

export async function listOpenings(db: Executor, actor: Actor): Promise<OpeningView[]> {
  const organisationId = staffLibrary(actor);
  const rows = await db.selectFrom('fund.opening_balances').selectAll().where('organisation_id', '=', organisationId).orderBy('id', 'desc').limit(100).execute();
  const views: OpeningView[] = [];
  for (const r of rows) views.push(await openingView(db, r));
  return views;
}

export async function openingRows(
  db: Executor,
  actor: Actor,
  id: number,
  page: { limit: number; offset: number },
): Promise<{ items: OpeningRowView[]; total: number }> {
  const organisationId = staffLibrary(actor);
  await ownOpening(db, organisationId, id);
  const total = await db.selectFrom('fund.opening_rows').select((eb) => eb.fn.countAll<number>().as('n')).where('opening_id', '=', id).executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('fund.opening_rows as r')
    .innerJoin('catalog.works as w', 'w.id', 'r.work_id')
    .select(['r.id', 'r.row_number', 'r.copy_id', 'r.inventory_number', 'r.barcode', 'r.entered_on', 'w.title', 'r.price_tiyn', 'r.price_unknown', 'r.valuation', 'r.fund', 'r.publication_type'])
    .select(sql<string>`coalesce((SELECT string_agg(au.name, ', ' ORDER BY wa.position) FROM catalog.work_authors wa
        JOIN catalog.authors au ON au.id = wa.author_id WHERE wa.work_id = w.id AND wa.role = 'author'), '')`.as('authors'))
    .where('r.opening_id', '=', id)
    .orderBy(sql`length(r.inventory_number)`)
    .orderBy('r.inventory_number')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    total: Number(total.n),
    items: rows.map((r) => ({
      id: r.id, row: r.row_number, copyId: r.copy_id, inventoryNumber: r.inventory_number, barcode: r.barcode, enteredOn: r.entered_on,
      title: r.title, authors: r.authors, priceTiyn: r.price_tiyn, priceUnknown: r.price_unknown, valuation: r.valuation, fund: r.fund,
      publicationType: r.publication_type,
    })),
  };
}

export async function removeOpeningRow(db: Executor, actor: Actor, id: number, rowId: number): Promise<OpeningView> {
  const organisationId = staffLibrary(actor);
  assertDraft(await ownOpening(db, organisationId, id, true));
  const removed = await db.deleteFrom('fund.opening_rows').where('id', '=', rowId).where('opening_id', '=', id).executeTakeFirst();
  if (!Number(removed.numDeletedRows)) throw notFound('opening_row', rowId);
  await audit(db, actor, 'remove_row', 'opening_balance', id, { rowId });
  return getOpening(db, actor, id);
}


const FUNDS = ['main', 'textbook', 'periodical', 'electronic', 'off_balance'] as const;

/**
 * The values a new catalogue record would be refused for (catalog/works.ts: the year between 1450 and next year,
 * a BBK or UDC index of the right form), reported by row and column instead of failing the whole load.
 */
function workFieldsValid(
  w: OpeningWorkInput,
  row: number,
  maxYear: number,
  note: (row: number, column: string, code: string, params?: Record<string, string | number>) => void,
): boolean {
  let ok = true;
  if (w.year != null && (!Number.isInteger(w.year) || w.year < 1450 || w.year > maxYear)) {
    note(row, 'year', 'accounting.opening.bad_year', { value: String(w.year) });
    ok = false;
  }
  for (const [column, check] of [['bbk', checkBbk], ['udc', checkUdc]] as const) {
    try {
      check(w[column]);
    } catch {
      note(row, column, `accounting.opening.bad_${column}`, { value: w[column] ?? '' });
      ok = false;
    }
  }
  return ok;
}

/**
 * The one way copies get onto an opening-balance draft, whichever way they came (scanned, from a file,
 * chosen from the catalogue). Checks every row — a number already taken in the library or on another draft,
 * a number twice in the same load, a negative price, a date in the future or not a date, a missing title —
 * and records each problem with its row and column in `load.problems`. Only a chunk without problems in its
 * load is written. `db` should be a transaction: the chunk is written as a whole or not at all.
 */
export async function stageOpeningRows(db: Executor, actor: Actor, openingId: number, rows: OpeningRowInput[], load: OpeningLoad): Promise<number> {
  const organisationId = staffLibrary(actor);
  assertDraft(await ownOpening(db, organisationId, openingId, true));
  const today = await libraryToday(db, organisationId);
  const maxYear = Number(today.slice(0, 4)) + 1; // a book of next year may already be out, as the catalogue allows
  const note = (row: number, column: string, code: string, params: Record<string, string | number> = {}) => {
    if (load.problems.length < MAX_PROBLEMS) load.problems.push({ row, column, code, params });
  };

  // existing copies: by id or by a barcode alone (a scan)
  const byBarcode = rows.filter((r) => r.copyId === undefined && r.barcode && !r.workId && !r.work && !r.inventoryNumber).map((r) => r.barcode!.trim());
  const byId = rows.filter((r) => r.copyId !== undefined).map((r) => r.copyId!);
  const existing = byBarcode.length || byId.length
    ? await db
        .selectFrom('fund.copies')
        .select(['id', 'barcode', 'inventory_number', 'work_id', 'price_tiyn', 'acquired_on', 'fund', 'status', 'receipt_line_id', 'location'])
        .where('organisation_id', '=', organisationId)
        .where(sql<boolean>`(id = any(${byId}::int8[]) OR barcode = any(${byBarcode}::text[]))`)
        .execute()
    : [];
  const scanned = new Set(byBarcode);
  const copyById = new Map(existing.map((c) => [Number(c.id), c]));
  const copyByBarcode = new Map(existing.map((c) => [c.barcode, c]));
  const onDrafts = existing.length
    ? new Set(
        (await db
          .selectFrom('fund.opening_rows as r')
          .innerJoin('fund.opening_balances as o', 'o.id', 'r.opening_id')
          .select('r.copy_id')
          .where('o.status', '=', 'draft')
          .where(sql<boolean>`r.copy_id = any(${existing.map((c) => c.id)}::int8[])`)
          .execute()).map((r) => Number(r.copy_id)),
      )
    : new Set<number>();

  type Planned = {
    row: number; copyId: number | null; workId: number | null; work?: OpeningWorkInput; inventoryNumber: string; barcode: string | null;
    enteredOn: string; priceTiyn: number; priceUnknown: boolean; valuation: boolean; fund: (typeof FUNDS)[number]; location: string | null;
  };
  const planned: Planned[] = [];
  for (const input of rows) {
    const row = input.row ?? load.nextRow;
    load.nextRow = Math.max(load.nextRow, row + 1);
    let copy = input.copyId !== undefined ? copyById.get(input.copyId) : undefined;
    const isExisting = input.copyId !== undefined || scanned.has(input.barcode?.trim() ?? '\u0000');
    if (isExisting && !copy && input.barcode) copy = copyByBarcode.get(input.barcode.trim());
    if (isExisting) {
      if (!copy) {
        note(row, input.copyId !== undefined ? 'copyId' : 'barcode', 'accounting.opening.copy_unknown', { value: input.barcode ?? input.copyId ?? '' });
        continue;
      }
      if (copy.receipt_line_id !== null) {
        note(row, 'inventoryNumber', 'accounting.opening.copy_booked', { inventoryNumber: copy.inventory_number });
        continue;
      }
      if (copy.status === 'written_off') {
        note(row, 'inventoryNumber', 'accounting.copy_written_off', { inventoryNumber: copy.inventory_number });
        continue;
      }
      if (onDrafts.has(copy.id)) {
        note(row, 'inventoryNumber', 'accounting.opening.copy_on_draft', { inventoryNumber: copy.inventory_number });
        continue;
      }
    }
    const inventoryNumber = (copy?.inventory_number ?? input.inventoryNumber ?? '').trim();
    const enteredOn = input.enteredOn ?? copy?.acquired_on ?? '';
    let ok = true;
    if (!inventoryNumber) {
      note(row, 'inventoryNumber', 'accounting.opening.number_required');
      ok = false;
    } else if (inventoryNumber.length > 50) {
      note(row, 'inventoryNumber', 'accounting.opening.number_too_long', { value: inventoryNumber.slice(0, 60) });
      ok = false;
    } else {
      const first = load.seen.get(inventoryNumber);
      if (first !== undefined) {
        note(row, 'inventoryNumber', 'accounting.opening.duplicate_in_file', { inventoryNumber, firstRow: first });
        ok = false;
      } else load.seen.set(inventoryNumber, row);
    }
    if (!enteredOn || !validDate(enteredOn)) {
      note(row, 'enteredOn', 'accounting.opening.bad_date', { value: enteredOn });
      ok = false;
    } else if (enteredOn > today) {
      note(row, 'enteredOn', 'accounting.opening.future_date', { value: enteredOn, today });
      ok = false;
    }
    const price = input.priceTiyn === undefined || input.priceTiyn === null ? (copy && copy.price_tiyn > 0 ? copy.price_tiyn : null) : input.priceTiyn;
    if (price !== null && (!Number.isInteger(price) || price < 0)) {
      note(row, 'price', 'accounting.opening.bad_price', { value: String(input.priceTiyn) });
      ok = false;
    }
    if (!copy && !input.workId && !input.work?.title?.trim()) {
      note(row, 'title', 'accounting.opening.title_required');
      ok = false;
    }
    if (input.work && !copy && !input.workId && !workFieldsValid(input.work, row, maxYear, note)) ok = false;
    if (input.work?.publicationType && !PUBLICATION_TYPES.includes(input.work.publicationType)) {
      note(row, 'publicationType', 'accounting.opening.bad_publication_type', { value: input.work.publicationType });
      ok = false;
    }
    const fund = input.fund ?? (copy?.fund as Planned['fund'] | undefined) ?? 'main';
    if (!FUNDS.includes(fund)) {
      note(row, 'fund', 'accounting.opening.bad_fund', { value: fund });
      ok = false;
    }
    const barcode = copy ? copy.barcode : input.barcode?.trim() || null;
    if (!copy && barcode) {
      const firstB = load.seenBarcodes.get(barcode);
      if (firstB !== undefined) {
        note(row, 'barcode', 'accounting.opening.duplicate_barcode_in_file', { barcode, firstRow: firstB });
        ok = false;
      } else load.seenBarcodes.set(barcode, row);
    }
    if (!ok) continue;
    planned.push({
      row,
      copyId: copy?.id ?? null,
      workId: copy?.work_id ?? input.workId ?? null,
      ...(input.work ? { work: { ...input.work, title: input.work.title.trim() } } : {}),
      inventoryNumber,
      barcode,
      enteredOn,
      priceTiyn: price ?? 0,
      priceUnknown: price === null,
      valuation: input.valuation ?? false,
      fund,
      location: input.location ?? copy?.location ?? null,
    });
  }

  // numbers taken in the library or on another draft of it
  const fresh = planned.filter((p) => p.copyId === null);
  if (fresh.length) {
    const numbers = fresh.map((p) => p.inventoryNumber);
    const barcodes = fresh.map((p) => p.barcode).filter((b): b is string => !!b);
    // one query for the chunk: numbers and barcodes of the library's copies, and of its other drafts (and earlier loads
    // of this one), each through a unique index
    const parts = [sql`SELECT 'n' AS kind, inventory_number AS value FROM fund.copies
       WHERE organisation_id = ${organisationId} AND inventory_number = any(${numbers}::text[])`,
      sql`SELECT 'd', r.inventory_number FROM fund.opening_balances o
        JOIN fund.opening_rows r ON r.opening_id = o.id AND r.inventory_number = any(${numbers}::text[])
       WHERE o.organisation_id = ${organisationId} AND o.status = 'draft' AND (r.opening_id <> ${openingId} OR r.load_id <> ${load.loadId})`];
    if (barcodes.length) {
      parts.push(sql`SELECT 'b', barcode FROM fund.copies WHERE organisation_id = ${organisationId} AND barcode = any(${barcodes}::text[])`,
        sql`SELECT 'e', r.barcode FROM fund.opening_balances o JOIN fund.opening_rows r ON r.opening_id = o.id
         WHERE o.organisation_id = ${organisationId} AND o.status = 'draft' AND r.barcode = any(${barcodes}::text[])
           AND (r.opening_id <> ${openingId} OR r.load_id <> ${load.loadId})`);
    }
    const { rows: taken } = await timed(load.timings, 'check_taken', () => sql<{ kind: string; value: string }>`${sql.join(parts, sql` UNION ALL `)}`.execute(db));
    const takenNumbers = new Set(taken.filter((t) => t.kind === 'n').map((t) => t.value));
    const draftNumbers = new Set(taken.filter((t) => t.kind === 'd').map((t) => t.value));
    const takenBarcodes = new Set(taken.filter((t) => t.kind === 'b' || t.kind === 'e').map((t) => t.value));
    for (const p of fresh) {
      if (takenNumbers.has(p.inventoryNumber)) note(p.row, 'inventoryNumber', 'accounting.opening.number_taken', { inventoryNumber: p.inventoryNumber });
      else if (draftNumbers.has(p.inventoryNumber)) note(p.row, 'inventoryNumber', 'accounting.opening.number_on_draft', { inventoryNumber: p.inventoryNumber });
      if (p.barcode && takenBarcodes.has(p.barcode)) note(p.row, 'barcode', 'accounting.opening.barcode_taken', { barcode: p.barcode });
    }
  }
  if (load.problems.length) return 0; // a load with errors writes nothing more

  if (!planned.length) return 0;
  await timed(load.timings, 'works', () => resolveWorksInBulk(db, actor, load, planned.filter((p) => p.workId === null && p.work).map((p) => p.work!)));
  for (const p of planned) if (p.workId === null && p.work) p.workId = load.works.get(workKey(load, p.work))!;
  // the works a template row named are known from finding or cataloguing them; copies and ids given are looked up
  load.facts ??= new Map();
  const works = load.facts;
  const unknown = [...new Set(planned.map((p) => p.workId!))].filter((id) => !works.has(id));
  if (unknown.length) {
    const found = await timed(load.timings, 'work_facts', () => db
      .selectFrom('catalog.works')
      .select(['id', 'bbk', 'udc', 'knowledge_group', 'language', 'pages', 'publication_type', 'age_rating'])
      .where(sql<boolean>`id = any(${unknown}::int8[])`)
      .execute());
    for (const w of found) works.set(Number(w.id), w);
  }
  for (const p of planned) {
    if (!works.has(p.workId!)) {
      note(p.row, 'workId', 'accounting.opening.work_unknown', { value: p.workId! });
    }
  }
  if (load.problems.length) return 0;
  const rules: GroupRule[] = await listGroupRules(db);
  const values = planned.map((p) => {
    const w = works.get(p.workId!)!;
    const offBalance = p.fund === 'off_balance' || (p.fund !== 'textbook' && w.pages !== null && w.pages <= BROCHURE_MAX_PAGES);
    const fund = offBalance ? 'off_balance' : p.fund;
    const base = fund === 'off_balance' ? 'main' : fund;
    return {
      opening_id: openingId,
      organisation_id: organisationId,
      load_id: load.loadId,
      row_number: p.row,
      copy_id: p.copyId,
      work_id: p.workId,
      inventory_number: p.inventoryNumber,
      barcode: p.barcode,
      entered_on: p.enteredOn,
      price_tiyn: p.priceTiyn,
      price_unknown: p.priceUnknown,
      valuation: p.valuation,
      fund,
      off_balance: offBalance,
      knowledge_group: knowledgeGroupOf(rules, w, base),
      language_group: languageGroupOf(w.language),
      publication_type: w.publication_type,
      children: isChildrens(w.age_rating, base),
      location: p.location,
    };
  });
  await timed(load.timings, 'insert_rows', () => insertRows(db, 'fund.opening_rows', ROW_COLUMNS, values));
  load.staged += values.length;
  return values.length;
}

const ROW_COLUMNS = [
  ['opening_id', 'bigint'], ['organisation_id', 'bigint'], ['load_id', 'integer'], ['row_number', 'integer'], ['copy_id', 'bigint'],
  ['work_id', 'bigint'], ['inventory_number', 'text'], ['barcode', 'text'], ['entered_on', 'date'], ['price_tiyn', 'bigint'],
  ['price_unknown', 'boolean'], ['valuation', 'boolean'], ['fund', 'text'], ['off_balance', 'boolean'], ['knowledge_group', 'text'],
  ['language_group', 'text'], ['publication_type', 'text'], ['children', 'boolean'], ['location', 'text'],
].map(([name, type]) => ({ name: name!, type: type! }));

/** The refusal of a load that had problems, by row and column in row order. */
function refusal(load: OpeningLoad): AppError {
  load.problems.sort((a, b) => a.row - b.row);
  return invalid('accounting.opening.rows_invalid', { count: load.problems.length, first: load.problems[0]!.row }, { problems: load.problems });
}

/**
 * Refuses a load that had problems: its rows leave the draft, the problems are reported by row. Called inside the
 * load's one transaction, whose rollback takes the rows away as well; a load written in several transactions (a file)
 * removes its rows in a transaction of their own before refusing (loadOpeningFile).
 */
export async function finishLoad(db: Executor, openingId: number, load: OpeningLoad): Promise<void> {
  if (!load.problems.length) return;
  await db.deleteFrom('fund.opening_rows').where('opening_id', '=', openingId).where('load_id', '=', load.loadId).execute();
  throw refusal(load);
}

/** Copies typed, scanned or chosen in one request: staged as one load, all or nothing. */
export async function addOpeningRows(db: Executor, actor: Actor, openingId: number, rows: OpeningRowInput[]): Promise<OpeningView & { added: number }> {
  if (!rows.length) throw invalid('accounting.no_copies');
  const load = newLoad();
  const added = await inTransaction(db, async (trx) => {
    const n = await stageOpeningRows(trx, actor, openingId, rows, load);
    await finishLoad(trx, openingId, load);
    await audit(trx, actor, 'add_rows', 'opening_balance', openingId, { count: n });
    return n;
  });
  return { ...(await getOpening(db, actor, openingId)), added };
}

/**
 * Rows of a file per chunk, each chunk its own transaction. PGlite runs in the server's thread, so a desk's request
 * waits for the chunk under way: 1,000 rows keep that wait near a third of a second on this machine's cores.
 */
export const CHUNK = 1_000;

/** Converts the text of a template row to an input row, noting what cannot be read (by row and column). */
export function templateRowInput(r: TemplateRow, load: OpeningLoad): OpeningRowInput | null {
  const v = r.values;
  let bad = false;
  const problem = (column: string, code: string, params: Record<string, string | number>) => {
    if (load.problems.length < MAX_PROBLEMS) load.problems.push({ row: r.row, column, code, params });
    bad = true;
  };
  const enteredOn = v.enteredOn ? readDate(v.enteredOn) : undefined;
  if (v.enteredOn && !enteredOn) problem('enteredOn', 'accounting.opening.bad_date', { value: v.enteredOn });
  let priceTiyn: number | null = null;
  if (v.price) {
    priceTiyn = readTenge(v.price);
    if (priceTiyn === null || priceTiyn < 0) problem('price', 'accounting.opening.bad_price', { value: v.price });
  }
  let year: number | null = null;
  if (v.year) {
    year = /^\d{4}$/.test(v.year.trim()) ? Number(v.year.trim()) : null;
    if (year === null) problem('year', 'accounting.opening.bad_year', { value: v.year });
  }
  const type = v.publicationType ? readPublicationType(v.publicationType) : 'book';
  if (!type) problem('publicationType', 'accounting.opening.bad_publication_type', { value: v.publicationType! });
  const fund = v.fund ? readFund(v.fund) : 'main';
  if (!fund) problem('fund', 'accounting.opening.bad_fund', { value: v.fund! });
  if (bad) {
    // still check the number for duplicates so that the report is complete
    if (v.inventoryNumber) {
      const first = load.seen.get(v.inventoryNumber);
      if (first !== undefined) load.problems.push({ row: r.row, column: 'inventoryNumber', code: 'accounting.opening.duplicate_in_file', params: { inventoryNumber: v.inventoryNumber, firstRow: first } });
      else load.seen.set(v.inventoryNumber, r.row);
    }
    return null;
  }
  return {
    row: r.row,
    inventoryNumber: v.inventoryNumber ?? '',
    ...(enteredOn ? { enteredOn } : {}),
    priceTiyn,
    fund: fund!,
    barcode: v.barcode ?? null,
    location: v.location ?? null,
    work: {
      title: v.title ?? '',
      author: v.author ?? null,
      year,
      bbk: v.bbk ?? null,
      udc: v.udc ?? null,
      language: v.language ? readLanguage(v.language) : null,
      publicationType: type!,
    },
  };
}

/**
 * Loads a template file onto a draft in chunks of `CHUNK` rows, each in its own short transaction, so the desk's
 * requests are served between them. The file is read as a stream: only one chunk of rows is held at a time.
 * A file with any problem leaves the draft as it was before it and is answered with its problems by row and column;
 * so does a load that fails for any other reason (its rows of earlier chunks are removed).
 */
export async function loadOpeningFile(
  db: Db | Executor,
  actor: Actor,
  openingId: number,
  file: string,
  format: 'csv' | 'xlsx',
  encoding: TemplateEncoding | 'auto' = 'auto',
  timings?: StepTimings,
): Promise<OpeningView & { added: number }> {
  const organisationId = staffLibrary(actor);
  assertDraft(await ownOpening(db, organisationId, openingId));
  const load = newLoad();
  if (timings) load.timings = timings;
  let chunk: OpeningRowInput[] = [];
  const flush = async () => {
    if (!chunk.length) return;
    const rows = chunk;
    chunk = [];
    await timed(timings, 'chunk_transactions', () => inTransaction(db, (trx) => stageOpeningRows(trx, actor, openingId, rows, load)));
  };
  try {
    const reader = readTemplate(file, format, encoding);
    for (;;) {
      const next = await timed(timings, 'read_file', () => reader.next());
      if (next.done) break;
      const input = templateRowInput(next.value, load);
      if (input) chunk.push(input);
      if (chunk.length >= CHUNK) await flush();
      if (load.problems.length >= MAX_PROBLEMS) break;
    }
    await flush();
    if (load.problems.length) throw refusal(load);
    if (!load.staged) throw invalid('accounting.opening.empty_file');
  } catch (err) {
    if (load.staged) {
      await inTransaction(db, (trx) => trx.deleteFrom('fund.opening_rows').where('opening_id', '=', openingId).where('load_id', '=', load.loadId).execute());
    }
    throw err;
  }
  // one line for the whole file, with its count: not one per copy
  await inTransaction(db, (trx) => audit(trx, actor, 'load_file', 'opening_balance', openingId, { count: load.staged, format }));
  return { ...(await getOpening(db, actor, openingId)), added: load.staged };
}

/** dd.mm.yyyy (as typed in these locales), yyyy-mm-dd, or d.m.yy. */
export function readDate(text: string): string | null {
  const s = text.trim();
  // a date cell of a workbook read without its styles: days since 30.12.1899
  if (/^\d{5}$/.test(s)) {
    const d = new Date(Date.UTC(1899, 11, 30) + Number(s) * 86_400_000);
    return d.toISOString().slice(0, 10);
  }
  if (DATE.test(s)) return validDate(s) ? s : null;
  const m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$/.exec(s);
  if (!m) return null;
  const year = m[3]!.length === 2 ? (Number(m[3]) > 50 ? 1900 : 2000) + Number(m[3]) : Number(m[3]);
  const iso = `${year}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return validDate(iso) ? iso : null;
}

/** «1 250,50», «1250.5», «1250» tenge → tiyn; null when it is not a number. */
export function readTenge(text: string): number | null {
  const s = text.replace(/[\s\u00a0]/g, '').replace(/(тг|тенге|теңге|₸|kzt)$/i, '').replace(',', '.');
  if (!/^-?\d+(\.\d{1,2})?$/.test(s)) return null;
  return Math.round(Number(s) * 100);
}

const TYPE_WORDS: Record<string, PublicationType> = {
  book: 'book', кітап: 'book', книга: 'book',
  brochure: 'brochure', кітапша: 'brochure', брошюра: 'brochure',
  periodical: 'periodical', мерзімдібасылым: 'periodical', журнал: 'periodical', газет: 'periodical', газета: 'periodical', периодика: 'periodical',
  audiovisual: 'audiovisual', аудиовизуалды: 'audiovisual', аудиовизуальное: 'audiovisual', cd: 'audiovisual', dvd: 'audiovisual',
  electronic: 'electronic', электрондық: 'electronic', электронное: 'electronic', электрондықбасылым: 'electronic',
  sheetmusic: 'sheet_music', sheet_music: 'sheet_music', ноталар: 'sheet_music', ноты: 'sheet_music', нота: 'sheet_music',
  map: 'map', карта: 'map', карталар: 'map',
};
export function readPublicationType(text: string): PublicationType | null {
  const key = text.toLowerCase().replace(/[^\p{L}_]+/gu, '');
  return TYPE_WORDS[key] ?? null;
}

function readLanguage(text: string): string {
  const key = text.trim().toLowerCase();
  if (['kaz', 'kk', 'қаз', 'қазақ', 'қазақша', 'каз', 'казахский'].includes(key)) return 'kaz';
  if (['rus', 'ru', 'орыс', 'орысша', 'рус', 'русский'].includes(key)) return 'rus';
  if (['eng', 'en', 'ағыл', 'ағылшын', 'англ', 'английский', 'english'].includes(key)) return 'eng';
  return key.slice(0, 3);
}

function readFund(text: string): OpeningRowInput['fund'] | null {
  const key = text.trim().toLowerCase();
  const map: Record<string, OpeningRowInput['fund']> = {
    main: 'main', негізгі: 'main', основной: 'main', textbook: 'textbook', оқулық: 'textbook', оқулықтар: 'textbook', учебный: 'textbook',
    учебники: 'textbook', periodical: 'periodical', мерзімді: 'periodical', периодика: 'periodical', electronic: 'electronic',
    электрондық: 'electronic', электронный: 'electronic', off_balance: 'off_balance', балансрдантыс: 'off_balance', балансқатыс: 'off_balance',
    забалансовый: 'off_balance',
  };
  return map[key.replace(/\s+/g, '')] ?? map[key] ?? null;
}

/** What makes a receipt line: copies of one work with the same price, register and columns share one. */
const LINE_KEY = sql.raw('work_id, price_tiyn, price_unknown, valuation, fund, off_balance, knowledge_group, language_group, publication_type, children');

/**
 * Books a draft in one set-based step: a receipt of source `initial` dated as of the draft, one line per work,
 * price, register and columns, the new copies inserted with their own numbers and the existing ones linked.
 * Numbers and barcodes are checked again (a copy may have been added since the draft was loaded).
 *
 * Each copy finds its line without a join on the ten columns of the line's key: the lines take their ids from the
 * sequence first, and the n-th key in sorted order (`row_number` over the grouped rows, `dense_rank` over the rows)
 * takes the n-th id. A join on those columns, planned before the new lines had statistics, walked every line of
 * the receipt for every copy — most of the 214 s a 60,000-copy posting took.
 */
export async function postOpening(db: Executor, actor: Actor, openingId: number, timings?: StepTimings): Promise<OpeningView> {
  const organisationId = staffLibrary(actor);
  const draft = await ownOpening(db, organisationId, openingId, true);
  assertDraft(draft);
  const { rows: [counts] } = await timed(timings, 'count', () => sql<{ n: number; lines: number; no_barcode: number; existing: number }>`
    SELECT count(*)::int8 AS n, count(*) FILTER (WHERE copy_id IS NULL AND barcode IS NULL)::int8 AS no_barcode,
           count(*) FILTER (WHERE copy_id IS NOT NULL)::int8 AS existing,
           (SELECT count(*) FROM (SELECT DISTINCT ${LINE_KEY} FROM fund.opening_rows WHERE opening_id = ${openingId}) k)::int8 AS lines
      FROM fund.opening_rows WHERE opening_id = ${openingId}`.execute(db));
  const total = Number(counts!.n);
  if (!total) throw invalid('accounting.opening.empty');
  const { rows: clashes } = await timed(timings, 'check_taken', () => sql<{ col: string; value: string; row_number: number | null }>`
    SELECT 'inventoryNumber' AS col, r.inventory_number AS value, r.row_number FROM fund.opening_rows r
      JOIN fund.copies c ON c.organisation_id = r.organisation_id AND c.inventory_number = r.inventory_number
     WHERE r.opening_id = ${openingId} AND (r.copy_id IS NULL OR c.id <> r.copy_id)
    UNION ALL
    SELECT 'barcode', r.barcode, r.row_number FROM fund.opening_rows r
      JOIN fund.copies c ON c.organisation_id = r.organisation_id AND c.barcode = r.barcode
     WHERE r.opening_id = ${openingId} AND r.copy_id IS NULL
    UNION ALL
    SELECT 'inventoryNumber', c.inventory_number, r.row_number FROM fund.opening_rows r JOIN fund.copies c ON c.id = r.copy_id
     WHERE r.opening_id = ${openingId} AND (c.receipt_line_id IS NOT NULL OR c.status = 'written_off')
     LIMIT ${MAX_PROBLEMS}`.execute(db));
  if (clashes.length) {
    throw invalid('accounting.opening.rows_invalid', { count: clashes.length, first: clashes[0]!.row_number ?? 0 }, {
      problems: clashes.map((c) => c.col === 'barcode'
        ? { row: c.row_number ?? 0, column: 'barcode', code: 'accounting.opening.barcode_taken', params: { barcode: c.value } }
        : { row: c.row_number ?? 0, column: 'inventoryNumber', code: 'accounting.opening.number_taken', params: { inventoryNumber: c.value } }),
    });
  }
  const number = String(await takeNumber(db, organisationId, 'receipt_number'));
  const receipt = await db
    .insertInto('fund.receipts')
    .values({
      organisation_id: organisationId,
      number,
      received_on: draft.as_of,
      source: 'initial',
      document_number: draft.document_number,
      document_date: draft.document_date,
      supplier: null,
      note: draft.note,
      created_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { rows: lineIds } = await sql<{ id: number }>`
    SELECT nextval('fund.receipt_lines_id_seq')::int8 AS id FROM generate_series(1, ${Number(counts!.lines)})`.execute(db);
  const ids = lineIds.map((r) => Number(r.id));
  await timed(timings, 'insert_lines', () => sql`
    INSERT INTO fund.receipt_lines (id, receipt_id, copies_count, ${LINE_KEY})
    SELECT (${ids}::int8[])[row_number() OVER (ORDER BY ${LINE_KEY})], ${receipt.id}, count(*), ${LINE_KEY}
      FROM fund.opening_rows WHERE opening_id = ${openingId} GROUP BY ${LINE_KEY}`.execute(db));
  const noBarcode = Number(counts!.no_barcode);
  const firstBarcode = noBarcode ? await takeNumber(db, organisationId, 'copy_barcode', noBarcode) : 0;
  // the draft's rows with the index of their line and, for a new copy without a barcode, its place among those
  const ranked = sql`(SELECT r.*, dense_rank() OVER (ORDER BY ${LINE_KEY}) AS line_rank,
             row_number() OVER (PARTITION BY r.barcode IS NULL ORDER BY r.id) AS barcode_rank
        FROM fund.opening_rows r WHERE r.opening_id = ${openingId}) r`;
  await timed(timings, 'insert_copies', () => sql`
    INSERT INTO fund.copies (organisation_id, work_id, inventory_number, barcode, fund, price_tiyn, location, acquired_on, receipt_id, receipt_line_id)
    SELECT r.organisation_id, r.work_id, r.inventory_number,
           coalesce(r.barcode, '1' || lpad((${firstBarcode}::int8 - 1 + r.barcode_rank)::text, 9, '0')),
           r.fund, r.price_tiyn, r.location, r.entered_on, ${receipt.id}, (${ids}::int8[])[r.line_rank]
      FROM ${ranked} WHERE r.copy_id IS NULL`.execute(db));
  if (Number(counts!.existing)) {
    await timed(timings, 'link_copies', () => sql`
      UPDATE fund.copies c SET receipt_id = ${receipt.id}, receipt_line_id = (${ids}::int8[])[r.line_rank], price_tiyn = r.price_tiyn,
             acquired_on = r.entered_on, fund = r.fund, updated_at = now()
        FROM ${ranked} WHERE c.id = r.copy_id`.execute(db));
  }
  const { rows: max } = await sql<{ inv: string | null; bar: string | null }>`
    SELECT max(inventory_number::numeric) FILTER (WHERE inventory_number ~ '^[0-9]{1,12}$')::text AS inv,
           max(substr(barcode, 2)::numeric) FILTER (WHERE barcode ~ '^1[0-9]{9}$')::text AS bar
      FROM fund.opening_rows WHERE opening_id = ${openingId}`.execute(db);
  if (max[0]?.inv) await bumpCounterPast(db, organisationId, 'inventory_number', Number(max[0].inv));
  if (max[0]?.bar) await bumpCounterPast(db, organisationId, 'copy_barcode', Number(max[0].bar));
  await timed(timings, 'clear_draft', () => db.deleteFrom('fund.opening_rows').where('opening_id', '=', openingId).execute());
  await db.updateTable('fund.opening_balances').set({ status: 'posted', receipt_id: receipt.id, posted_at: new Date() }).where('id', '=', openingId).execute();
  // one audit line for the document, with its counts: not one per copy
  await audit(db, actor, 'post', 'opening_balance', openingId, { receiptId: receipt.id, number, copies: total });
  return getOpening(db, actor, openingId);
}

/** Problems with their messages in the request's language. */
export function translateProblems(locale: Locale, problems: RowProblem[]): RowProblem[] {
  return problems.map((p) => ({
    ...p,
    message: t(locale, 'accounting.opening.problem_at', {
      row: p.row,
      column: t(locale, `accounting.opening.column.${p.column}`),
      message: t(locale, p.code, p.params),
    }),
  }));
}
