import ExcelJS from 'exceljs';
import { t } from '../../i18n/index.js';
import type { Locale } from '../../org/schema.js';
import { FONTS, newPdf, pdfToBuffer, type Pdf } from '../../shared/pdf.js';
import type { Columns, InventoryLine, Register, SummaryBook, Tally } from './books.js';
import { KNOWLEDGE_GROUPS, LANGUAGE_GROUPS } from './schema.js';

/** Tenge with two decimals and a space between thousands, as written in the books: 12 345,60. */
export function formatTenge(tiyn: number): string {
  const sign = tiyn < 0 ? '-' : '';
  const abs = Math.abs(tiyn);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${sign}${whole},${String(abs % 100).padStart(2, '0')}`;
}

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

const TALLY_KEYS = (l: Locale) => [
  { key: 'total', label: t(l, 'accounting.book.col.total') },
  ...KNOWLEDGE_GROUPS.map((g) => ({ key: `g:${g}`, label: t(l, `accounting.group.${g}`) })),
  ...LANGUAGE_GROUPS.map((g) => ({ key: `l:${g}`, label: t(l, `accounting.language.${g}`) })),
];

function tallyOf(columns: Columns, key: string): Tally {
  if (key === 'total') return columns.total;
  const [kind, name] = key.split(':') as ['g' | 'l', string];
  return kind === 'g' ? columns.groups[name as keyof Columns['groups']] : columns.languages[name as keyof Columns['languages']];
}

// ---------- PDF ----------

const FONT_SIZE = 6.5;
const PAD = 2;
/** Narrow group columns: the condensed face keeps words like «Жаратылыстану» on one line. */
const HEADER_FONT = 'header';
const HEADER_SIZE = 5.6;

/** Draws a ruled table, repeating its header on every new page. */
function drawTable(doc: Pdf, columns: Column[], rows: string[][], options: { boldRows?: Set<number> } = {}) {
  const left = doc.page.margins.left;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const sizeOf = (font: string) => (font === HEADER_FONT ? HEADER_SIZE : FONT_SIZE);
  const heightOf = (cells: string[], font: string) => {
    doc.font(font).fontSize(sizeOf(font));
    return Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: columns[i]!.width - 2 * PAD }))) + 2 * PAD;
  };
  const drawRow = (cells: string[], font: string) => {
    const h = heightOf(cells, font);
    if (doc.y + h > bottom()) {
      doc.addPage();
      drawRow(columns.map((c) => c.header), HEADER_FONT);
    }
    const y = doc.y;
    let x = left;
    doc.font(font).fontSize(sizeOf(font));
    cells.forEach((cell, i) => {
      const col = columns[i]!;
      doc.rect(x, y, col.width, h).lineWidth(0.4).stroke();
      doc.text(cell, x + PAD, y + PAD, { width: col.width - 2 * PAD, align: col.align ?? 'left', lineBreak: true });
      x += col.width;
    });
    doc.x = left;
    doc.y = y + h;
  };
  drawRow(columns.map((c) => c.header), HEADER_FONT);
  rows.forEach((r, i) => drawRow(r, options.boldRows?.has(i) ? 'bold' : 'condensed'));
}

function bookPdf(): Pdf {
  const doc = newPdf({ layout: 'landscape', margin: 28 });
  doc.registerFont(HEADER_FONT, FONTS.condensed);
  return doc;
}

function heading(doc: Pdf, title: string, subtitle: string) {
  doc.font('bold').fontSize(12).text(title, { align: 'center' });
  doc.font('regular').fontSize(9).text(subtitle, { align: 'center' });
  doc.moveDown(0.6);
}

/** The reason of a row of part II: an act of copies, its reversal, or an act of the textbook fund. */
function actReason(a: SummaryBook['writeOffs'][number], l: Locale): string {
  if (a.register === 'textbooks') return `${t(l, `accounting.textbook_reason.${a.reason}`)} (${t(l, 'accounting.book.textbook_act')})`;
  return t(l, `accounting.reason.${a.reason}`) + (a.kind === 'reversal' ? ` (${t(l, 'accounting.book.reversal')})` : '');
}

const tallyCell = (x: Tally) => (x.copies === 0 && x.sumTiyn === 0 ? '' : `${x.copies}\n${formatTenge(x.sumTiyn)}`);

function summaryColumns(l: Locale, width: number): Column[] {
  const tallies = TALLY_KEYS(l);
  const fixed = [
    { header: t(l, 'accounting.book.col.number'), width: 22 },
    { header: t(l, 'accounting.book.col.date'), width: 46 },
    { header: t(l, 'accounting.book.col.document'), width: 80 },
  ];
  const rest = (width - fixed.reduce((s, c) => s + c.width, 0)) / tallies.length;
  const unit = `${t(l, 'accounting.book.col.copies')} / ${t(l, 'accounting.book.col.sum')}`;
  return [...fixed, ...tallies.map((x) => ({ header: `${x.label}\n${unit}`, width: rest, align: 'right' as const }))];
}

export async function summaryBookPdf(book: SummaryBook, l: Locale): Promise<Buffer> {
  const doc = bookPdf();
  const width = doc.page.width - 56;
  const tallies = TALLY_KEYS(l);
  const cells = (c: Columns) => tallies.map((x) => tallyCell(tallyOf(c, x.key)));
  heading(doc, `${t(l, 'accounting.book.summary_title')} — ${book.organisationName}`, t(l, 'accounting.book.period', { ...book.period }));
  const columns = summaryColumns(l, width);

  doc.font('bold').fontSize(9).text(t(l, 'accounting.book.part1'));
  drawTable(doc, columns, book.receipts.map((r) => [
    r.number, r.date,
    [t(l, `accounting.source.${r.source}`), r.documentNumber, r.supplier].filter(Boolean).join(', '),
    ...cells(r.columns),
  ]));
  doc.moveDown();
  doc.font('bold').fontSize(9).text(t(l, 'accounting.book.part2'));
  drawTable(doc, columns, book.writeOffs.map((a) => [
    a.number, a.date,
    actReason(a, l),
    ...cells(a.columns),
  ]));
  doc.moveDown();
  doc.font('bold').fontSize(9).text(t(l, 'accounting.book.part3'));
  drawTable(doc, columns, balanceRows(book, l).map(([label, c]) => ['', '', label, ...cells(c)]), { boldRows: new Set([0, 3]) });
  return pdfToBuffer(doc);
}

function balanceRows(book: SummaryBook, l: Locale): [string, Columns][] {
  return [
    [t(l, 'accounting.book.row.opening'), book.balance.opening],
    [t(l, 'accounting.book.row.received'), book.balance.received],
    [t(l, 'accounting.book.row.written_off'), book.balance.writtenOff],
    [t(l, 'accounting.book.row.closing'), book.balance.closing],
  ];
}

function inventoryColumns(l: Locale): Column[] {
  return [
    { header: t(l, 'accounting.book.col.date'), width: 55 },
    { header: t(l, 'accounting.book.col.inventory_number'), width: 70 },
    { header: t(l, 'accounting.book.col.author_title'), width: 270 },
    { header: t(l, 'accounting.book.col.year'), width: 35, align: 'center' },
    { header: t(l, 'accounting.book.col.price'), width: 60, align: 'right' },
    { header: t(l, 'accounting.book.col.receipt'), width: 60, align: 'center' },
    { header: t(l, 'accounting.book.col.write_off'), width: 90 },
    { header: t(l, 'accounting.book.col.note'), width: 146 },
  ];
}

function inventoryCells(line: InventoryLine): string[] {
  return [
    line.enteredOn,
    line.inventoryNumber,
    [line.authors, line.title].filter(Boolean).join('. '),
    line.publishYear ? String(line.publishYear) : '',
    formatTenge(line.priceTiyn),
    line.receiptNumber,
    line.writeOffActNumber ? `${line.writeOffActNumber}, ${line.writeOffDate}` : '',
    [line.previousNumbers.length ? `← ${line.previousNumbers.join(', ')}` : '', line.note ?? ''].filter(Boolean).join('; '),
  ];
}

const registerTitle = (register: Register, l: Locale) =>
  t(l, register === 'off_balance' ? 'accounting.book.off_balance_title' : 'accounting.book.inventory_title');

export async function inventoryBookPdf(
  lines: InventoryLine[],
  meta: { organisationName: string; from: string; to: string; register: Register },
  l: Locale,
): Promise<Buffer> {
  const doc = bookPdf();
  heading(doc, `${registerTitle(meta.register, l)} — ${meta.organisationName}`, t(l, 'accounting.book.period', meta));
  drawTable(doc, inventoryColumns(l), lines.map(inventoryCells));
  return pdfToBuffer(doc);
}

// ---------- XLSX ----------

/** Sheet names: at most 31 characters and none of : \ / ? * [ ]. */
const sheetName = (s: string) => s.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31).trim();

const tenge = (tiyn: number) => tiyn / 100;
const MONEY = '#,##0.00';

export async function summaryBookXlsx(book: SummaryBook, l: Locale): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const tallies = TALLY_KEYS(l);
  const header = (ws: ExcelJS.Worksheet, first: string[]) => {
    ws.addRow([`${t(l, 'accounting.book.summary_title')} — ${book.organisationName}`]).font = { bold: true };
    ws.addRow([t(l, 'accounting.book.period', { ...book.period })]);
    ws.addRow([...first, ...tallies.flatMap((x) => [x.label, ''])]).font = { bold: true };
    ws.addRow([...first.map(() => ''), ...tallies.flatMap(() => [t(l, 'accounting.book.col.copies'), t(l, 'accounting.book.col.sum')])]);
    tallies.forEach((_, i) => ws.mergeCells(3, first.length + 1 + 2 * i, 3, first.length + 2 + 2 * i));
  };
  const figures = (c: Columns) => tallies.flatMap((x) => [tallyOf(c, x.key).copies, tenge(tallyOf(c, x.key).sumTiyn)]);
  const money = (ws: ExcelJS.Worksheet, first: number) => {
    tallies.forEach((_, i) => (ws.getColumn(first + 2 + 2 * i).numFmt = MONEY));
  };
  const cols = [t(l, 'accounting.book.col.number'), t(l, 'accounting.book.col.date'), t(l, 'accounting.book.col.document')];

  const receipts = wb.addWorksheet(sheetName(t(l, 'accounting.book.sheet.receipts')));
  header(receipts, cols);
  for (const r of book.receipts) {
    const doc = [t(l, `accounting.source.${r.source}`), r.documentNumber, r.supplier].filter(Boolean).join(', ');
    receipts.addRow([r.number, r.date, doc, ...figures(r.columns)]);
  }
  money(receipts, cols.length);

  const writeOffs = wb.addWorksheet(sheetName(t(l, 'accounting.book.sheet.write_offs')));
  header(writeOffs, cols);
  for (const a of book.writeOffs) {
    const reason = actReason(a, l);
    writeOffs.addRow([a.number, a.date, reason, ...figures(a.columns)]);
  }
  money(writeOffs, cols.length);

  const balance = wb.addWorksheet(sheetName(t(l, 'accounting.book.sheet.balance')));
  header(balance, ['']);
  for (const [label, c] of balanceRows(book, l)) balance.addRow([label, ...figures(c)]);
  money(balance, 1);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function inventoryBookXlsx(
  lines: InventoryLine[],
  meta: { organisationName: string; from: string; to: string; register: Register },
  l: Locale,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName(registerTitle(meta.register, l)));
  ws.addRow([`${registerTitle(meta.register, l)} — ${meta.organisationName}`]).font = { bold: true };
  ws.addRow([t(l, 'accounting.book.period', meta)]);
  ws.addRow(inventoryColumns(l).map((c) => c.header)).font = { bold: true };
  for (const line of lines) {
    const cells: (string | number)[] = inventoryCells(line);
    cells[4] = tenge(line.priceTiyn);
    ws.addRow(cells);
  }
  ws.getColumn(5).numFmt = MONEY;
  ws.getColumn(3).width = 60;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
