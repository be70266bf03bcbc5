import { sql } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { Executor } from '../../db/executor.js';
import { forbidden, invalid } from '../../shared/errors.js';
import { addDays } from '../../shared/library-time.js';
import { KNOWLEDGE_GROUPS, LANGUAGE_GROUPS, type KnowledgeGroup, type LanguageGroup } from './schema.js';
import { allow, assertCanSeeOrganisation, staffLibrary } from '../../auth/guard.js';
import { PUBLICATION_TYPES, type PublicationType } from '../../catalog/schema.js';

export interface Period {
  from: string;
  to: string;
}

export interface Tally {
  copies: number;
  sumTiyn: number;
  /** Copies among `copies` whose price is not known (counted as 0 tiyn); present only when there are any. */
  unpriced?: number;
}

/** A row of the summary book: the total, and the same split by report group, language and publication type. */
export interface Columns {
  total: Tally;
  groups: Record<KnowledgeGroup, Tally>;
  languages: Record<LanguageGroup, Tally>;
  types: Record<PublicationType, Tally>;
  /** Children's literature (works for readers up to 6+), outside the textbook fund. */
  children: Tally;
}

/** The split the balance identity is checked on: report group × language. */
export interface Cell extends Tally {
  knowledgeGroup: KnowledgeGroup;
  languageGroup: LanguageGroup;
}

/** The finest split: every tally of the book is a sum of these cells. */
interface FineCell extends Cell {
  publicationType: PublicationType;
  children: boolean;
  unpriced: number;
}

export interface SummaryReceiptRow {
  receiptId: number;
  number: string;
  date: string;
  source: string;
  documentNumber: string | null;
  documentDate: string | null;
  supplier: string | null;
  /** Titles (distinct works) the document brought; copies are in the columns. */
  titles: number;
  columns: Columns;
}

export interface SummaryWriteOffRow {
  /** 'fund': an act of copies (fund.write_off_acts); 'textbooks': an act of the textbook fund, by count. */
  register: 'fund' | 'textbooks';
  actId: number;
  number: string;
  date: string;
  kind: 'write_off' | 'reversal';
  reason: string;
  titles: number;
  /** A reversal is shown with negative figures: it gives back what its act wrote off. */
  columns: Columns;
}

export interface SummaryBook {
  organisationId: number;
  organisationName: string;
  period: Period;
  receipts: SummaryReceiptRow[];
  writeOffs: SummaryWriteOffRow[];
  balance: {
    opening: Columns;
    received: Columns;
    writtenOff: Columns;
    closing: Columns;
    cells: { opening: Cell[]; received: Cell[]; writtenOff: Cell[]; closing: Cell[] };
  };
}

const zero = (): Tally => ({ copies: 0, sumTiyn: 0 });

export function emptyColumns(): Columns {
  return {
    total: zero(),
    groups: Object.fromEntries(KNOWLEDGE_GROUPS.map((g) => [g, zero()])) as Columns['groups'],
    languages: Object.fromEntries(LANGUAGE_GROUPS.map((l) => [l, zero()])) as Columns['languages'],
    types: Object.fromEntries(PUBLICATION_TYPES.map((t) => [t, zero()])) as Columns['types'],
    children: zero(),
  };
}

function addTo(t: Tally, copies: number, sum: number, unpriced = 0) {
  t.copies += copies;
  t.sumTiyn += sum;
  if (unpriced) t.unpriced = (t.unpriced ?? 0) + unpriced;
  if (t.unpriced === 0) delete t.unpriced;
}

export function columnsOf(cells: (Cell | FineCell)[]): Columns {
  const c = emptyColumns();
  for (const cell of cells) {
    const u = cell.unpriced ?? 0;
    addTo(c.total, cell.copies, cell.sumTiyn, u);
    addTo(c.groups[cell.knowledgeGroup], cell.copies, cell.sumTiyn, u);
    addTo(c.languages[cell.languageGroup], cell.copies, cell.sumTiyn, u);
    if ('publicationType' in cell) {
      addTo(c.types[cell.publicationType], cell.copies, cell.sumTiyn, u);
      if (cell.children) addTo(c.children, cell.copies, cell.sumTiyn, u);
    }
  }
  return c;
}

/** Adds two columns (a district's book is the sum of its libraries' books). */
export function addColumns(a: Columns, b: Columns): Columns {
  const c = emptyColumns();
  for (const x of [a, b]) {
    addTo(c.total, x.total.copies, x.total.sumTiyn, x.total.unpriced);
    for (const g of KNOWLEDGE_GROUPS) addTo(c.groups[g], x.groups[g].copies, x.groups[g].sumTiyn, x.groups[g].unpriced);
    for (const l of LANGUAGE_GROUPS) addTo(c.languages[l], x.languages[l].copies, x.languages[l].sumTiyn, x.languages[l].unpriced);
    for (const t of PUBLICATION_TYPES) addTo(c.types[t], x.types[t].copies, x.types[t].sumTiyn, x.types[t].unpriced);
    addTo(c.children, x.children.copies, x.children.sumTiyn, x.children.unpriced);
  }
  return c;
}

/** opening + received − written off, cell by cell. */
function combine(a: FineCell[], b: FineCell[], sign: 1 | -1): FineCell[] {
  const map = new Map<string, FineCell>();
  for (const [cells, s] of [[a, 1], [b, sign]] as const) {
    for (const cell of cells) {
      const key = `${cell.knowledgeGroup}|${cell.languageGroup}|${cell.publicationType}|${cell.children}`;
      const into = map.get(key) ?? {
        knowledgeGroup: cell.knowledgeGroup, languageGroup: cell.languageGroup, publicationType: cell.publicationType, children: cell.children,
        copies: 0, sumTiyn: 0, unpriced: 0,
      };
      into.copies += s * cell.copies;
      into.sumTiyn += s * cell.sumTiyn;
      into.unpriced += s * cell.unpriced;
      map.set(key, into);
    }
  }
  return [...map.values()].filter((c) => c.copies !== 0 || c.sumTiyn !== 0 || c.unpriced !== 0).sort(cellOrder);
}

/** The fine cells summed to report group × language, the split the balance identity is checked on. */
function coarse(cells: FineCell[]): Cell[] {
  const map = new Map<string, Cell>();
  for (const c of cells) {
    const key = `${c.knowledgeGroup}|${c.languageGroup}`;
    const into = map.get(key) ?? { knowledgeGroup: c.knowledgeGroup, languageGroup: c.languageGroup, copies: 0, sumTiyn: 0 };
    addTo(into, c.copies, c.sumTiyn, c.unpriced);
    map.set(key, into);
  }
  return [...map.values()].filter((c) => c.copies !== 0 || c.sumTiyn !== 0).sort(cellOrder);
}

const cellOrder = (x: Cell, y: Cell) =>
  KNOWLEDGE_GROUPS.indexOf(x.knowledgeGroup) - KNOWLEDGE_GROUPS.indexOf(y.knowledgeGroup) ||
  LANGUAGE_GROUPS.indexOf(x.languageGroup) - LANGUAGE_GROUPS.indexOf(y.languageGroup);

type CellRow = { doc: number; g: string; l: string; t: string; ch: boolean; u: number | string; copies: number | string; sum: number | string };

const toCell = (r: CellRow): FineCell => ({
  knowledgeGroup: r.g as KnowledgeGroup,
  languageGroup: r.l as LanguageGroup,
  publicationType: r.t as PublicationType,
  children: r.ch,
  unpriced: Number(r.u),
  copies: Number(r.copies),
  sumTiyn: Number(r.sum),
});

/**
 * Copies and sums received, per receipt and cell, for receipts dated in [from, to). Off-balance lines never count.
 * Textbooks received by count (`textbooks.batches`, the textbook fund's group accounting) count with the receipt
 * they came with, in the textbook column and the language their title was booked under.
 */
async function receivedCells(db: Executor, organisationId: number, from: string | null, toExclusive: string) {
  const inPeriod = sql`r.organisation_id = ${organisationId}
       AND r.received_on < ${toExclusive} ${from ? sql`AND r.received_on >= ${from}` : sql``}`;
  const { rows } = await sql<CellRow>`
    SELECT r.id AS doc, l.knowledge_group AS g, l.language_group AS l, l.publication_type AS t, l.children AS ch,
           sum(CASE WHEN l.price_unknown THEN l.copies_count ELSE 0 END)::bigint AS u,
           sum(l.copies_count)::bigint AS copies, sum(l.copies_count * l.price_tiyn)::bigint AS sum
      FROM fund.receipts r JOIN fund.receipt_lines l ON l.receipt_id = r.id
     WHERE ${inPeriod} AND NOT l.off_balance
     GROUP BY r.id, l.knowledge_group, l.language_group, l.publication_type, l.children
    UNION ALL
    SELECT r.id AS doc, 'textbooks' AS g, b.language_group AS l, 'book' AS t, false AS ch, 0::bigint AS u,
           sum(b.copies_count)::bigint AS copies, sum(b.copies_count * b.price_tiyn)::bigint AS sum
      FROM fund.receipts r JOIN textbooks.batches b ON b.receipt_id = r.id
     WHERE ${inPeriod} AND b.organisation_id = ${organisationId}
     GROUP BY r.id, b.language_group`.execute(db);
  return rows;
}

/** Textbooks written off by count (acts of the textbook fund), per act and language, all in the textbook column. */
async function textbookWrittenOffCells(db: Executor, organisationId: number, from: string | null, toExclusive: string) {
  const { rows } = await sql<CellRow>`
    SELECT a.id AS doc, 'textbooks' AS g, w.language_group AS l, 'book' AS t, false AS ch, 0::bigint AS u,
           sum(w.copies_count)::bigint AS copies, sum(w.sum_tiyn)::bigint AS sum
      FROM textbooks.write_off_acts a
      JOIN textbooks.write_off_lines w ON w.act_id = a.id
     WHERE a.organisation_id = ${organisationId}
       AND a.act_date < ${toExclusive} ${from ? sql`AND a.act_date >= ${from}` : sql``}
     GROUP BY a.id, w.language_group`.execute(db);
  return rows;
}

/** Copies and sums written off (a reversal counts negative), per approved act and cell. */
async function writtenOffCells(db: Executor, organisationId: number, from: string | null, toExclusive: string) {
  const { rows } = await sql<CellRow>`
    SELECT a.id AS doc, w.knowledge_group AS g, w.language_group AS l, w.publication_type AS t, w.children AS ch,
           (CASE WHEN a.kind = 'reversal' THEN -1 ELSE 1 END * count(*) FILTER (WHERE w.price_unknown))::bigint AS u,
           (CASE WHEN a.kind = 'reversal' THEN -1 ELSE 1 END * count(*))::bigint AS copies,
           (CASE WHEN a.kind = 'reversal' THEN -1 ELSE 1 END * sum(w.price_tiyn))::bigint AS sum
      FROM fund.write_off_acts a
      JOIN fund.write_off_lines w ON w.act_id = a.id
     WHERE a.organisation_id = ${organisationId} AND a.status = 'approved' AND NOT w.off_balance
       AND a.act_date < ${toExclusive} ${from ? sql`AND a.act_date >= ${from}` : sql``}
     GROUP BY a.id, a.kind, w.knowledge_group, w.language_group, w.publication_type, w.children`.execute(db);
  return rows;
}

/** Sums rows of several documents into one list of cells. */
function mergeCells(rows: CellRow[]): FineCell[] {
  return combine([], rows.map(toCell), 1);
}

const nextDay = (date: string) => addDays(date, 1);

export function checkPeriod(period: Period) {
  for (const value of [period.from, period.to]) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw invalid('accounting.bad_date', { value });
  }
  if (period.from > period.to) throw invalid('accounting.bad_period', { from: period.from, to: period.to });
}

/**
 * Who may read a library's summary book: its own librarian or admin, or a methodologist above it.
 * It holds no readers' data, so a methodologist may see it.
 */
export async function summaryBookLibrary(db: Executor, actor: Actor | null, organisationId?: number): Promise<number> {
  if (actor?.role === 'methodologist') {
    if (!organisationId) throw invalid('accounting.organisation_required');
    await assertCanSeeOrganisation(db, actor, organisationId);
    return organisationId;
  }
  const own = staffLibrary(actor);
  if (organisationId !== undefined && organisationId !== own) throw forbidden();
  return own;
}

/**
 * The summary accounting book for a period, in its three parts. Nothing is stored: receipts and approved acts
 * (of copies, and of the textbook fund by count) are aggregated by SQL; the opening balance is everything received before the period minus everything
 * written off before it, so opening + received − written off = closing holds by construction, to the tiyn.
 */
export async function buildSummaryBook(
  db: Executor,
  organisationId: number,
  period: Period,
  options: { only?: 'textbooks' } = {},
): Promise<SummaryBook> {
  checkPeriod(period);
  const end = nextDay(period.to);
  const keep = (rows: CellRow[]) => (options.only === 'textbooks' ? rows.filter((r) => r.g === 'textbooks') : rows);
  const [receivedBefore, writtenBefore, textbooksBefore, receivedRows, writtenRows, textbookRows] = ([
    await receivedCells(db, organisationId, null, period.from),
    await writtenOffCells(db, organisationId, null, period.from),
    await textbookWrittenOffCells(db, organisationId, null, period.from),
    await receivedCells(db, organisationId, period.from, end),
    await writtenOffCells(db, organisationId, period.from, end),
    await textbookWrittenOffCells(db, organisationId, period.from, end),
  ]).map(keep) as [CellRow[], CellRow[], CellRow[], CellRow[], CellRow[], CellRow[]];
  const opening = combine(mergeCells(receivedBefore), mergeCells([...writtenBefore, ...textbooksBefore]), -1);
  const received = mergeCells(receivedRows);
  const writtenOff = mergeCells([...writtenRows, ...textbookRows]);
  const closing = combine(combine(opening, received, 1), writtenOff, -1);
  const org = await db.selectFrom('org.organisations').select('name').where('id', '=', organisationId).executeTakeFirstOrThrow();
  return {
    organisationId,
    organisationName: org.name,
    period,
    receipts: await receiptRows(db, receivedRows),
    writeOffs: [...(await writeOffRows(db, writtenRows)), ...(await textbookWriteOffRows(db, textbookRows))].sort(
      (a, b) => a.date.localeCompare(b.date) || Number(a.number) - Number(b.number) || a.number.localeCompare(b.number),
    ),
    balance: {
      opening: columnsOf(opening),
      received: columnsOf(received),
      writtenOff: columnsOf(writtenOff),
      closing: columnsOf(closing),
      cells: { opening: coarse(opening), received: coarse(received), writtenOff: coarse(writtenOff), closing: coarse(closing) },
    },
  };
}

function byDocument(rows: CellRow[]): Map<number, FineCell[]> {
  const map = new Map<number, FineCell[]>();
  for (const r of rows) map.set(Number(r.doc), [...(map.get(Number(r.doc)) ?? []), toCell(r)]);
  return map;
}

async function receiptRows(db: Executor, rows: CellRow[]): Promise<SummaryReceiptRow[]> {
  const cells = byDocument(rows);
  if (!cells.size) return [];
  const receipts = await db
    .selectFrom('fund.receipts')
    .select(['id', 'number', 'received_on', 'source', 'document_number', 'document_date', 'supplier'])
    .where('id', 'in', [...cells.keys()])
    .orderBy('received_on')
    .orderBy('id')
    .execute();
  const ids = receipts.map((r) => r.id);
  const { rows: titleRows } = await sql<{ id: number; n: number }>`
    SELECT id, sum(n)::int8 AS n FROM (
      SELECT receipt_id AS id, count(DISTINCT work_id) AS n FROM fund.receipt_lines
       WHERE receipt_id = any(${ids}::int8[]) AND NOT off_balance GROUP BY receipt_id
      UNION ALL
      SELECT receipt_id, count(DISTINCT work_id) FROM textbooks.batches WHERE receipt_id = any(${ids}::int8[]) GROUP BY receipt_id) x
     GROUP BY id`.execute(db);
  const titles = new Map(titleRows.map((r) => [Number(r.id), Number(r.n)]));
  return receipts.map((r) => ({
    receiptId: r.id,
    number: r.number,
    date: r.received_on,
    source: r.source,
    documentNumber: r.document_number,
    documentDate: r.document_date,
    supplier: r.supplier,
    titles: titles.get(r.id) ?? 0,
    columns: columnsOf(cells.get(r.id)!),
  }));
}

async function writeOffRows(db: Executor, rows: CellRow[]): Promise<SummaryWriteOffRow[]> {
  const cells = byDocument(rows);
  if (!cells.size) return [];
  const acts = await db
    .selectFrom('fund.write_off_acts')
    .select(['id', 'number', 'act_date', 'kind', 'reason'])
    .where('id', 'in', [...cells.keys()])
    .orderBy('act_date')
    .orderBy('id')
    .execute();
  const ids = acts.map((a) => a.id);
  const { rows: titleRows } = await sql<{ id: number; n: number }>`
    SELECT w.act_id AS id, count(DISTINCT c.work_id)::int8 AS n FROM fund.write_off_lines w JOIN fund.copies c ON c.id = w.copy_id
     WHERE w.act_id = any(${ids}::int8[]) AND NOT w.off_balance GROUP BY w.act_id`.execute(db);
  const titles = new Map(titleRows.map((r) => [Number(r.id), Number(r.n)]));
  return acts.map((a) => ({
    register: 'fund' as const, actId: a.id, number: a.number, date: a.act_date, kind: a.kind, reason: a.reason,
    titles: (a.kind === 'reversal' ? -1 : 1) * (titles.get(a.id) ?? 0), columns: columnsOf(cells.get(a.id)!),
  }));
}

async function textbookWriteOffRows(db: Executor, rows: CellRow[]): Promise<SummaryWriteOffRow[]> {
  const cells = byDocument(rows);
  if (!cells.size) return [];
  const acts = await db
    .selectFrom('textbooks.write_off_acts')
    .select(['id', 'number', 'act_date', 'reason'])
    .where('id', 'in', [...cells.keys()])
    .execute();
  const { rows: titleRows } = await sql<{ id: number; n: number }>`
    SELECT act_id AS id, count(DISTINCT work_id)::int8 AS n FROM textbooks.write_off_lines
     WHERE act_id = any(${acts.map((a) => a.id)}::int8[]) GROUP BY act_id`.execute(db);
  const titles = new Map(titleRows.map((r) => [Number(r.id), Number(r.n)]));
  return acts.map((a) => ({
    register: 'textbooks' as const, actId: a.id, number: a.number, date: a.act_date, kind: 'write_off' as const, reason: a.reason,
    titles: titles.get(a.id) ?? 0, columns: columnsOf(cells.get(a.id)!),
  }));
}

/**
 * The textbook fund's own summary book (seed 003: the textbook fund kept apart), with its reconciliation to the
 * textbook column of the library's single book: both are built from the same documents, so they must agree.
 */
export async function buildTextbookSummaryBook(db: Executor, organisationId: number, period: Period) {
  const [own, single] = [await buildSummaryBook(db, organisationId, period, { only: 'textbooks' }), await buildSummaryBook(db, organisationId, period)];
  const column = single.balance.closing.groups.textbooks;
  const closing = own.balance.closing.total;
  return {
    ...own,
    reconciliation: {
      singleBookTextbooks: { copies: column.copies, sumTiyn: column.sumTiyn },
      textbookBook: { copies: closing.copies, sumTiyn: closing.sumTiyn },
      agrees: column.copies === closing.copies && column.sumTiyn === closing.sumTiyn,
    },
  };
}

export interface AreaSummary {
  organisationId: number;
  organisationName: string;
  kind: string;
  period: Period;
  libraries: { organisationId: number; name: string; balance: Record<'opening' | 'received' | 'writtenOff' | 'closing', Columns> }[];
  balance: Record<'opening' | 'received' | 'writtenOff' | 'closing', Columns>;
}

/**
 * The summary books of every library under a district, region or the republic, summed part III by part III,
 * for a methodologist (an admin sees every area). No readers' data is in it.
 */
export async function buildAreaSummary(db: Executor, actor: Actor | null, areaId: number, period: Period): Promise<AreaSummary> {
  const overseer = allow(actor, 'overseers');
  await assertCanSeeOrganisation(db, overseer, areaId);
  checkPeriod(period);
  const area = await db.selectFrom('org.organisations').select(['id', 'name', 'kind', 'path']).where('id', '=', areaId).executeTakeFirstOrThrow();
  const libraries = await db
    .selectFrom('org.organisations')
    .select(['id', 'name'])
    .where(sql<boolean>`path like ${area.path + '%'}`)
    .where('kind', 'in', ['school', 'college', 'children_library'])
    .orderBy('name')
    .execute();
  const parts = ['opening', 'received', 'writtenOff', 'closing'] as const;
  const total = Object.fromEntries(parts.map((p) => [p, emptyColumns()])) as AreaSummary['balance'];
  const out: AreaSummary['libraries'] = [];
  for (const lib of libraries) {
    const book = await buildSummaryBook(db, lib.id, period);
    const balance = Object.fromEntries(parts.map((p) => [p, book.balance[p]])) as AreaSummary['balance'];
    for (const p of parts) total[p] = addColumns(total[p], balance[p]);
    out.push({ organisationId: lib.id, name: lib.name, balance });
  }
  return { organisationId: area.id, organisationName: area.name, kind: area.kind, period, libraries: out, balance: total };
}

export interface InventoryLine {
  copyId: number;
  inventoryNumber: string;
  previousNumbers: string[];
  enteredOn: string;
  authors: string;
  title: string;
  publishYear: number | null;
  priceTiyn: number;
  /** The price is not known (an old fund booked without one): printed as such, counted as 0. */
  priceUnknown: boolean;
  receiptNumber: string;
  receiptId: number;
  writeOffActNumber: string | null;
  writeOffDate: string | null;
  note: string | null;
}

export type Register = 'balance' | 'off_balance';

/**
 * The inventory book (or the off-balance register): one line per copy entered in the period, in inventory
 * number order, with the receipt it came with and the act that wrote it off.
 */
export async function inventoryBook(
  db: Executor,
  actor: Actor,
  query: Period & { register: Register; limit?: number; offset?: number },
): Promise<{ items: InventoryLine[]; total: number }> {
  const organisationId = staffLibrary(actor);
  checkPeriod(query);
  const base = db
    .selectFrom('fund.copies as c')
    .innerJoin('fund.receipt_lines as l', 'l.id', 'c.receipt_line_id')
    .innerJoin('fund.receipts as r', 'r.id', 'c.receipt_id')
    .where('c.organisation_id', '=', organisationId)
    .where('l.off_balance', '=', query.register === 'off_balance')
    .where('r.received_on', '>=', query.from)
    .where('r.received_on', '<=', query.to);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let rows = base
    .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
    .leftJoin('fund.write_off_acts as a', 'a.id', 'c.write_off_id')
    .select([
      'c.id',
      'c.inventory_number',
      'r.received_on',
      'w.title',
      'w.publish_year',
      'l.price_tiyn',
      'l.price_unknown',
      'c.acquired_on',
      'r.number as receipt_number',
      'r.id as receipt_id',
      'a.number as act_number',
      'a.act_date',
      'c.note',
    ])
    .select([
      sql<string>`coalesce((SELECT string_agg(au.name, ', ' ORDER BY wa.position) FROM catalog.work_authors wa
        JOIN catalog.authors au ON au.id = wa.author_id WHERE wa.work_id = w.id AND wa.role = 'author'), '')`.as('authors'),
      sql<string[] | null>`(SELECT array_agg(h.old_number ORDER BY h.id) FROM fund.inventory_number_history h WHERE h.copy_id = c.id)`.as('previous'),
    ])
    .orderBy(sql`length(c.inventory_number)`)
    .orderBy('c.inventory_number');
  if (query.limit !== undefined) rows = rows.limit(query.limit).offset(query.offset ?? 0);
  const items = (await rows.execute()).map((r) => ({
    copyId: r.id,
    inventoryNumber: r.inventory_number,
    previousNumbers: r.previous ?? [],
    enteredOn: r.acquired_on ?? r.received_on,
    authors: r.authors,
    title: r.title,
    publishYear: r.publish_year,
    priceTiyn: r.price_tiyn,
    priceUnknown: r.price_unknown,
    receiptNumber: r.receipt_number,
    receiptId: r.receipt_id,
    writeOffActNumber: r.act_number,
    writeOffDate: r.act_date,
    note: r.note,
  }));
  return { items, total: Number(total.n) };
}
