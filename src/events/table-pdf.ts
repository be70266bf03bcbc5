import { newPdf, pdfToBuffer, wordSafeSize, type Pdf } from '../shared/pdf.js';

export interface TableColumn {
  label: string;
  /** Share of the text width (the columns' shares are scaled to fill it). */
  width: number;
}

export interface TablePdfInput {
  title: string;
  lines: string[];
  columns: TableColumn[];
  /** A row of cells, or a heading spanning the whole table. */
  rows: (string[] | { heading: string })[];
  footer?: string[];
  landscape?: boolean;
}

/** Kept here for the modules that print a table: the one date formatter of printed documents. */
export { printDate } from '../shared/print-date.js';

/** A titled document with one table, its header repeated on every page: plans, calendars, lists. */
export async function tablePdf(input: TablePdfInput): Promise<Buffer> {
  const doc = newPdf({ layout: input.landscape ? 'landscape' : 'portrait', info: { Title: input.title } });
  const left = doc.page.margins.left;
  const textWidth = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const total = input.columns.reduce((s, c) => s + c.width, 0);
  const widths = input.columns.map((c) => (c.width / total) * textWidth);
  const xs = widths.map((_, i) => left + widths.slice(0, i).reduce((s, w) => s + w, 0));

  doc.font('bold').fontSize(14).text(input.title, { align: 'center' });
  doc.font('regular').fontSize(10);
  for (const l of input.lines) doc.text(l, { align: 'center' });
  doc.moveDown();

  const drawRow = (cells: string[], font: 'regular' | 'bold') => {
    // a cell wraps between words; a word wider than its column makes the cell's type smaller instead
    const sizes = cells.map((c, i) => wordSafeSize(doc.font(font), c, widths[i]! - 4, 9));
    const height = Math.max(12, ...cells.map((c, i) => doc.font(font).fontSize(sizes[i]!).heightOfString(c || ' ', { width: widths[i]! - 4 })));
    if (doc.y + height + 6 > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      if (font === 'regular') drawHeader();
    }
    const y = doc.y;
    cells.forEach((cell, i) => doc.font(font).fontSize(sizes[i]!).text(cell, xs[i]! + 2, y + 2, { width: widths[i]! - 4 }));
    doc.rect(left, y, textWidth, height + 4).lineWidth(0.3).stroke();
    xs.slice(1).forEach((x) => doc.moveTo(x, y).lineTo(x, y + height + 4).lineWidth(0.3).stroke());
    doc.x = left;
    doc.y = y + height + 4;
  };
  const drawHeader = () => drawRow(input.columns.map((c) => c.label), 'bold');
  drawHeader();
  for (const r of input.rows) {
    if (Array.isArray(r)) drawRow(r, 'regular');
    else {
      ensure(doc, 30);
      doc.font('bold').fontSize(10).text(r.heading, left, doc.y + 4, { width: textWidth });
      doc.moveDown(0.3);
    }
  }
  if (input.footer?.length) {
    doc.moveDown();
    doc.font('regular').fontSize(10);
    for (const l of input.footer) doc.text(l, left);
  }
  return pdfToBuffer(doc);
}

function ensure(doc: Pdf, room: number) {
  if (doc.y + room > doc.page.height - doc.page.margins.bottom) doc.addPage();
}
