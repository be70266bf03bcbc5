import type ExcelJS from 'exceljs';
import { lazy } from '../../shared/lazy.js';
import { t } from '../../i18n/index.js';
import type { Locale } from '../../org/schema.js';
import { FONTS, newPdf, pdfToBuffer, type Pdf } from '../../shared/pdf.js';
import type { Columns, InventoryLine, Register, SummaryBook, Tally } from './books.js';
import { KNOWLEDGE_GROUPS, LANGUAGE_GROUPS } from './schema.js';
import { PUBLICATION_TYPES, type PublicationType } from '../../catalog/schema.js';
import { printDate } from '../../shared/print-date.js';

const excel = lazy<typeof ExcelJS>('exceljs');

/** Tenge with two decimals and a space between thousands, as written in the books: 12 345,60. */
export function formatTenge(tiyn: number): string {
  const sign = tiyn < 0 ? '-' : '';
  const abs = Math.abs(tiyn);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${sign}${whole},${String(abs % 100).padStart(2, '0')}`;
}

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}



/**
 * The columns of the summary book: total, groups, languages, children's literature, and the publication types
 * (those the book has copies of: a school fund rarely holds maps or sheet music, and the page is narrow).
 */
const TALLY_KEYS = (l: Locale, book?: SummaryBook) => [
  { key: 'total', label: t(l, 'accounting.book.col.total') },
  ...KNOWLEDGE_GROUPS.map((g) => ({ key: `g:${g}`, label: t(l, `accounting.group.${g}`) })),
  ...LANGUAGE_GROUPS.map((g) => ({ key: `l:${g}`, label: t(l, `accounting.language.${g}`) })),
  { key: 'children', label: t(l, 'accounting.book.col.children') },
  ...PUBLICATION_TYPES.filter((p) => !book || p === 'book' || usedType(book, p)).map((p) => ({ key: `t:${p}`, label: t(l, `accounting.publication_type.${p}`) })),
];

function usedType(book: SummaryBook, type: PublicationType): boolean {
  const b = book.balance;
  return [b.opening, b.received, b.writtenOff, b.closing].some((c) => c.types[type].copies !== 0);
}

function tallyOf(columns: Columns, key: string): Tally {
  if (key === 'total') return columns.total;
  if (key === 'children') return columns.children;
  const [kind, name] = key.split(':') as ['g' | 'l' | 't', string];
  if (kind === 't') return columns.types[name as PublicationType];
  return kind === 'g' ? columns.groups[name as keyof Columns['groups']] : columns.languages[name as keyof Columns['languages']];
}

/** «Бағасыз 3»: beside every sum that counts copies without a known price as 0. */
const unpricedNote = (x: Tally, l: Locale) => (x.unpriced ? `\n${t(l, 'accounting.book.unpriced', { count: x.unpriced })}` : '');

// ---------- PDF ----------

const FONT_SIZE = 6.5;
const PAD = 2;
/** Narrow group columns: the condensed face keeps words like «Жаратылыстану» on one line. */
const HEADER_FONT = 'header';
const HEADER_SIZE = 5.6;

/** Draws a ruled table, repeating its header on every new page. */
export function drawTable(doc: Pdf, columns: Column[], rows: string[][], options: { boldRows?: Set<number> } = {}) {
  const left = doc.page.margins.left;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const sizeOf = (font: string) => (font === HEADER_FONT ? HEADER_SIZE : FONT_SIZE);
  // a cell wraps at words, never inside one: a word wider than its column gets a smaller size
  const fitSize = (cell: string, width: number, font: string) => {
    doc.font(font);
    let size = sizeOf(font);
    const words = cell.split(/\s+/).filter(Boolean);
    const widest = () => Math.max(0, ...words.map((w) => doc.fontSize(size).widthOfString(w)));
    while (size > 3 && widest() > width) size -= 0.2;
    return size;
  };
  const heightOf = (cells: string[], font: string) =>
    Math.max(
      ...cells.map((c, i) => {
        const width = columns[i]!.width - 2 * PAD;
        doc.font(font).fontSize(fitSize(c || ' ', width, font));
        return doc.heightOfString(c || ' ', { width });
      }),
    ) + 2 * PAD;
  const drawRow = (cells: string[], font: string) => {
    const h = heightOf(cells, font);
    if (doc.y + h > bottom()) {
      doc.addPage();
      drawRow(columns.map((c) => c.header), HEADER_FONT);
    }
    const y = doc.y;
    let x = left;
    cells.forEach((cell, i) => {
      const col = columns[i]!;
      doc.rect(x, y, col.width, h).lineWidth(0.4).stroke();
      doc.font(font).fontSize(fitSize(cell || ' ', col.width - 2 * PAD, font));
      doc.text(cell, x + PAD, y + PAD, { width: col.width - 2 * PAD, align: col.align ?? 'left', lineBreak: true });
      x += col.width;
    });
    doc.x = left;
    doc.y = y + h;
  };
  drawRow(columns.map((c) => c.header), HEADER_FONT);
  rows.forEach((r, i) => drawRow(r, options.boldRows?.has(i) ? 'bold' : 'condensed'));
}

export function bookPdf(): Pdf {
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

const tallyCell = (x: Tally, l: Locale) => (x.copies === 0 && x.sumTiyn === 0 ? '' : `${x.copies}\n${formatTenge(x.sumTiyn)}${unpricedNote(x, l)}`);

/**
 * Order 44 keeps the summary book on a spread: the left page counts by knowledge group, the right page by language,
 * children's literature and publication type. One landscape page cannot hold all of them at a readable width
 * (a group header like «Жаратылыстану ғылымдары» would break inside its words), so every part is drawn as two tables.
 */
function summaryColumns(l: Locale, width: number, tallies: { label: string }[]): Column[] {
  const fixed = [
    { header: t(l, 'accounting.book.col.number'), width: 22 },
    { header: t(l, 'accounting.book.col.date'), width: 44 },
    { header: t(l, 'accounting.book.col.document'), width: 78 },
    { header: t(l, 'accounting.book.col.titles'), width: 28, align: 'right' as const },
  ];
  const rest = (width - fixed.reduce((s, c) => s + c.width, 0)) / tallies.length;
  const unit = `${t(l, 'accounting.book.col.copies')} / ${t(l, 'accounting.book.col.sum')}`;
  return [...fixed, ...tallies.map((x) => ({ header: `${x.label}\n${unit}`, width: rest, align: 'right' as const }))];
}

/** The accompanying document of a receipt: source, «№ 15 от 02.09.2025», supplier. */
export function receiptDocument(r: SummaryBook['receipts'][number], l: Locale): string {
  const doc = r.documentNumber ? `№ ${r.documentNumber}${r.documentDate ? ` ${t(l, 'accounting.book.of_date', { date: printDate(r.documentDate) })}` : ''}` : '';
  return [t(l, `accounting.source.${r.source}`), doc, r.supplier].filter(Boolean).join(', ');
}

const periodText = (l: Locale, p: { from: string; to: string }) => t(l, 'accounting.book.period', { from: printDate(p.from), to: printDate(p.to) });

export async function summaryBookPdf(book: SummaryBook, l: Locale, title?: string): Promise<Buffer> {
  const doc = bookPdf();
  const width = doc.page.width - 56;
  const all = TALLY_KEYS(l, book);
  // the left page of the spread: the total and the knowledge groups; the right page: the total, languages,
  // children's literature and publication types
  const halves = [
    { caption: t(l, 'accounting.book.by_groups'), tallies: all.filter((x) => x.key === 'total' || x.key.startsWith('g:')) },
    { caption: t(l, 'accounting.book.by_languages'), tallies: all.filter((x) => !x.key.startsWith('g:')) },
  ].map((h) => ({ ...h, columns: summaryColumns(l, width, h.tallies) }));
  heading(doc, `${title ?? t(l, 'accounting.book.summary_title')} — ${book.organisationName}`, periodText(l, book.period));

  const part = (name: string, rows: (tallies: { key: string }[]) => string[][], options: { boldRows?: Set<number> } = {}) => {
    for (const [i, half] of halves.entries()) {
      if (i > 0) doc.moveDown(0.6);
      doc.font('bold').fontSize(9).text(`${name}. ${half.caption}`);
      drawTable(doc, half.columns, rows(half.tallies), options);
    }
    doc.moveDown();
  };
  const cells = (c: Columns, tallies: { key: string }[]) => tallies.map((x) => tallyCell(tallyOf(c, x.key), l));

  part(t(l, 'accounting.book.part1'), (tallies) => book.receipts.map((r) => [
    r.number, printDate(r.date), receiptDocument(r, l), String(r.titles),
    ...cells(r.columns, tallies),
  ]));
  part(t(l, 'accounting.book.part2'), (tallies) => book.writeOffs.map((a) => [
    a.number, printDate(a.date),
    actReason(a, l), String(a.titles),
    ...cells(a.columns, tallies),
  ]));
  part(t(l, 'accounting.book.part3'), (tallies) => balanceRows(book, l).map(([label, c]) => ['', '', label, '', ...cells(c, tallies)]), { boldRows: new Set([0, 3]) });
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

function inventoryCells(line: InventoryLine, l: Locale): string[] {
  return [
    printDate(line.enteredOn),
    line.inventoryNumber,
    [line.authors, line.title].filter(Boolean).join('. '),
    line.publishYear ? String(line.publishYear) : '',
    line.priceUnknown ? t(l, 'accounting.book.price_unknown') : formatTenge(line.priceTiyn),
    line.receiptNumber,
    line.writeOffActNumber ? `${line.writeOffActNumber}, ${printDate(line.writeOffDate)}` : '',
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
  heading(doc, `${registerTitle(meta.register, l)} — ${meta.organisationName}`, periodText(l, meta));
  drawTable(doc, inventoryColumns(l), lines.map((x) => inventoryCells(x, l)));
  return pdfToBuffer(doc);
}

// ---------- XLSX ----------

/** Sheet names: at most 31 characters and none of : \ / ? * [ ]. */
const sheetName = (s: string) => s.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31).trim();

const tenge = (tiyn: number) => tiyn / 100;
const MONEY = '#,##0.00';

export async function summaryBookXlsx(book: SummaryBook, l: Locale, title?: string): Promise<Buffer> {
  const wb = new (excel().Workbook)();
  const tallies = TALLY_KEYS(l);
  const header = (ws: ExcelJS.Worksheet, first: string[]) => {
    ws.addRow([`${title ?? t(l, 'accounting.book.summary_title')} — ${book.organisationName}`]).font = { bold: true };
    ws.addRow([periodText(l, book.period)]);
    ws.addRow([...first, ...tallies.flatMap((x) => [x.label, '', ''])]).font = { bold: true };
    ws.addRow([...first.map(() => ''), ...tallies.flatMap(() => [t(l, 'accounting.book.col.copies'), t(l, 'accounting.book.col.sum'), t(l, 'accounting.book.col.unpriced')])]);
    tallies.forEach((_, i) => ws.mergeCells(3, first.length + 1 + 3 * i, 3, first.length + 3 + 3 * i));
  };
  const figures = (c: Columns) => tallies.flatMap((x) => {
    const v = tallyOf(c, x.key);
    return [v.copies, tenge(v.sumTiyn), v.unpriced ?? 0];
  });
  const money = (ws: ExcelJS.Worksheet, first: number) => {
    tallies.forEach((_, i) => (ws.getColumn(first + 2 + 3 * i).numFmt = MONEY));
  };
  const cols = [t(l, 'accounting.book.col.number'), t(l, 'accounting.book.col.date'), t(l, 'accounting.book.col.document'), t(l, 'accounting.book.col.titles')];

  const receipts = wb.addWorksheet(sheetName(t(l, 'accounting.book.sheet.receipts')));
  header(receipts, cols);
  for (const r of book.receipts) receipts.addRow([r.number, printDate(r.date), receiptDocument(r, l), r.titles, ...figures(r.columns)]);
  money(receipts, cols.length);

  const writeOffs = wb.addWorksheet(sheetName(t(l, 'accounting.book.sheet.write_offs')));
  header(writeOffs, cols);
  for (const a of book.writeOffs) writeOffs.addRow([a.number, printDate(a.date), actReason(a, l), a.titles, ...figures(a.columns)]);
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
  const wb = new (excel().Workbook)();
  const ws = wb.addWorksheet(sheetName(registerTitle(meta.register, l)));
  ws.addRow([`${registerTitle(meta.register, l)} — ${meta.organisationName}`]).font = { bold: true };
  ws.addRow([periodText(l, meta)]);
  ws.addRow(inventoryColumns(l).map((c) => c.header)).font = { bold: true };
  for (const line of lines) {
    const cells: (string | number)[] = inventoryCells(line, l);
    if (!line.priceUnknown) cells[4] = tenge(line.priceTiyn);
    ws.addRow(cells);
  }
  ws.getColumn(5).numFmt = MONEY;
  ws.getColumn(3).width = 60;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
