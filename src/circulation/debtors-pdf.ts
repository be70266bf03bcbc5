import { t } from '../i18n/index.js';
import type { Locale } from '../org/schema.js';
import { newPdf, pdfToBuffer, wordSafeSize, type Pdf } from '../shared/pdf.js';
import type { ClassDebtors } from './debtors.js';
import { printDate } from '../shared/print-date.js';

export interface DebtorsPdfInput {
  libraryName: string;
  today: string;
  classes: ClassDebtors[];
  locale: Locale;
}

/** Column x positions and widths on an A4 page with 36 pt margins (523 pt of text width). */
const COLUMNS = {
  number: { x: 36, width: 24 },
  reader: { x: 62, width: 150 },
  book: { x: 214, width: 215 },
  dueOn: { x: 431, width: 70 },
  days: { x: 503, width: 56 },
};

/** The printable debtor list a class teacher takes to the classroom. */
export async function debtorsPdf(input: DebtorsPdfInput): Promise<Buffer> {
  const doc = newPdf({ info: { Title: t(input.locale, 'circulation.pdf.debtors_title') } });
  const label = (key: string, params: Record<string, unknown> = {}) => t(input.locale, `circulation.pdf.${key}`, params);

  doc.font('bold').fontSize(15).text(label('debtors_title'), { align: 'center' });
  doc.font('regular').fontSize(10).text(input.libraryName, { align: 'center' });
  doc.text(label('as_of', { date: printDate(input.today) }), { align: 'center' });
  doc.moveDown();

  if (input.classes.length === 0) doc.fontSize(11).text(label('no_debtors'));
  for (const group of input.classes) drawClass(doc, group, label);
  return pdfToBuffer(doc);
}

function drawClass(doc: Pdf, group: ClassDebtors, label: (key: string, params?: Record<string, unknown>) => string) {
  ensureRoom(doc, 60);
  const heading = group.className ? label('class', { name: group.className }) : label('outside_classes');
  doc.font('bold').fontSize(12).text(heading, COLUMNS.number.x);
  doc.moveDown(0.3);
  drawRow(doc, ['№', label('reader'), label('book'), label('due_on'), label('days_overdue')], 'bold');
  let n = 0;
  for (const reader of group.readers) {
    reader.loans.forEach((loan, i) => {
      const book = loan.authors.length ? `${loan.authors.join(', ')}. ${loan.title}` : loan.title;
      const who = i === 0 ? [String(++n), reader.fullName] : ['', ''];
      drawRow(doc, [...who, `${book} (${loan.inventoryNumber})`, printDate(loan.dueOn), String(loan.overdueDays)], 'regular');
    });
  }
  doc.moveDown();
}

function drawRow(doc: Pdf, cells: string[], font: 'regular' | 'bold') {
  const columns = Object.values(COLUMNS);
  // each cell at the size that keeps its words whole; a narrow header («Дней просрочки») gets smaller
  const sizes = cells.map((c, i) => wordSafeSize(doc.font(font), c, columns[i]!.width, 9));
  const height = Math.max(...cells.map((c, i) => doc.font(font).fontSize(sizes[i]!).heightOfString(c, { width: columns[i]!.width })));
  ensureRoom(doc, height + 4);
  const y = doc.y;
  cells.forEach((cell, i) => doc.font(font).fontSize(sizes[i]!).text(cell, columns[i]!.x, y, { width: columns[i]!.width }));
  doc.moveTo(COLUMNS.number.x, y + height + 2).lineTo(559, y + height + 2).lineWidth(0.3).stroke();
  doc.x = COLUMNS.number.x;
  doc.y = y + height + 4;
}

function ensureRoom(doc: Pdf, height: number) {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}
