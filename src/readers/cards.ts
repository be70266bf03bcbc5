/** Reader cards to print and cut: ten per A4 sheet, each with a Code 128 barcode the desk scanner reads. */
import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import type { Locale } from '../org/schema.js';
import { AppError } from '../shared/errors.js';
import { code128Png, newPdf, pdfToBuffer, type Pdf } from '../shared/pdf.js';
import { formatClassName } from './classes.js';
import { fullNameOf, readersForCards, type ReaderRow } from './readers.js';
import { staffLibrary } from '../auth/guard.js';

const COLUMNS = 2;
const ROWS = 5;
const MARGIN = 28;
const GAP = 8;

const LABELS: Record<Locale, { title: string; className: string; number: string }> = {
  kk: { title: 'ОҚЫРМАН БИЛЕТІ', className: 'Сынып', number: 'Тіркеу нөмірі' },
  ru: { title: 'ЧИТАТЕЛЬСКИЙ БИЛЕТ', className: 'Класс', number: 'Регистрационный номер' },
  en: { title: 'LIBRARY CARD', className: 'Class', number: 'Registration number' },
};

export interface CardSelection {
  readerIds?: number[];
  grade?: number;
  classLetter?: string;
}

/** A PDF with the cards of the chosen readers of the actor's library. */
export async function readerCardsPdf(db: Executor, actor: Actor | null, selection: CardSelection, locale: Locale): Promise<Buffer> {
  const organisationId = staffLibrary(actor);
  const readers = await readersForCards(db, actor, selection);
  if (readers.length === 0) throw new AppError('readers.cards.none', 404);
  const library = await db
    .selectFrom('org.organisations')
    .select(['name', 'name_ru', 'name_en'])
    .where('id', '=', organisationId)
    .executeTakeFirstOrThrow();
  const libraryName = (locale === 'ru' && library.name_ru) || (locale === 'en' && library.name_en) || library.name;

  const doc = newPdf({ margin: MARGIN, info: { Title: LABELS[locale].title } });
  const cardWidth = (doc.page.width - 2 * MARGIN - (COLUMNS - 1) * GAP) / COLUMNS;
  const cardHeight = (doc.page.height - 2 * MARGIN - (ROWS - 1) * GAP) / ROWS;
  for (const [i, reader] of readers.entries()) {
    const slot = i % (COLUMNS * ROWS);
    if (i > 0 && slot === 0) doc.addPage();
    const x = MARGIN + (slot % COLUMNS) * (cardWidth + GAP);
    const y = MARGIN + Math.floor(slot / COLUMNS) * (cardHeight + GAP);
    await drawCard(doc, { x, y, width: cardWidth, height: cardHeight }, reader, libraryName, LABELS[locale]);
  }
  return pdfToBuffer(doc);
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function drawCard(doc: Pdf, box: Box, reader: ReaderRow, libraryName: string, labels: (typeof LABELS)[Locale]) {
  const pad = 10;
  const inner = box.width - 2 * pad;
  // One line each: a height of one line makes pdfkit cut an overlong text with an ellipsis instead of wrapping.
  const line = (size: number) => ({ width: inner, height: size * 1.25, ellipsis: true });
  doc.save().lineWidth(0.5).dash(3, { space: 2 }).strokeColor('#888888').rect(box.x, box.y, box.width, box.height).stroke().restore();

  let y = box.y + pad;
  doc.font('condensed').fontSize(8).fillColor('#333333').text(libraryName, box.x + pad, y, line(8));
  y += 11;
  doc.font('bold').fontSize(7).fillColor('#666666').text(labels.title, box.x + pad, y, line(7));
  y += 12;
  const name = fullNameOf(reader);
  const nameSize = fittingSize(doc, name, 'bold', inner, 12, 8);
  doc.font('bold').fontSize(nameSize).fillColor('#000000').text(name, box.x + pad, y + (12 - nameSize), line(nameSize));
  y += 17;
  const className = formatClassName(reader.grade, reader.class_letter);
  doc.font('regular').fontSize(9);
  if (className) {
    doc.text(`${labels.className}: ${className}`, box.x + pad, y, line(9));
    y += 12;
  }
  doc.text(`${labels.number}: ${reader.registration_number}`, box.x + pad, y, line(9));

  const barcodeHeight = 30;
  const barcodeTop = box.y + box.height - pad - barcodeHeight - 10;
  const png = await code128Png(reader.barcode);
  doc.image(png, box.x + pad, barcodeTop, { fit: [inner * 0.75, barcodeHeight] });
  doc.font('regular').fontSize(8).text(reader.barcode, box.x + pad, barcodeTop + barcodeHeight + 1, line(8));
}

/** The largest font size (down to `min`) at which a long double-barrelled name still fits on one line. */
function fittingSize(doc: Pdf, text: string, font: string, width: number, max: number, min: number): number {
  doc.font(font);
  for (let size = max; size > min; size -= 0.5) {
    if (doc.fontSize(size).widthOfString(text) <= width) return size;
  }
  return min;
}
