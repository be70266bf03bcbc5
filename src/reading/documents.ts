import { t } from '../i18n/index.js';
import type { Locale } from '../org/schema.js';
import { newPdf, pdfToBuffer } from '../shared/pdf.js';
import type { BingoGame } from './bingo.js';
import type { Draw } from './draw.js';
import { letterText } from './draw.js';
import { printDate } from '../shared/print-date.js';


/** What a certificate or a diploma names: the reader, or "a reader of class 5Ә" without consent. */
export interface Honoured {
  name: string | null;
  className: string | null;
  books?: number;
  line?: string;
}

function honouredName(locale: Locale, h: Honoured): string {
  if (h.name) return h.name;
  return h.className ? t(locale, 'reading.pdf.reader_of_class', { className: h.className }) : t(locale, 'reading.pdf.a_reader');
}

function frame(doc: PDFKit.PDFDocument) {
  const { width, height } = doc.page;
  doc.save().lineWidth(3).strokeColor('#2b6cb0').rect(24, 24, width - 48, height - 48).stroke();
  doc.lineWidth(1).rect(32, 32, width - 64, height - 64).stroke().restore();
}

/** One page per reader who reached 100 books: the certificate, in Kazakh or Russian. */
export async function certificatesPdf(input: { locale: Locale; libraryName: string; period: string; issuedOn: string; readers: Honoured[] }): Promise<Buffer> {
  const { locale } = input;
  const doc = newPdf({ layout: 'landscape', info: { Title: t(locale, 'reading.pdf.certificate') } });
  input.readers.forEach((r, i) => {
    if (i > 0) doc.addPage();
    frame(doc);
    doc.moveDown(3);
    doc.font('bold').fontSize(34).fillColor('#2b6cb0').text(t(locale, 'reading.pdf.certificate'), { align: 'center' });
    doc.moveDown(0.5).font('regular').fontSize(16).fillColor('black').text(t(locale, 'reading.pdf.awarded_to'), { align: 'center' });
    doc.moveDown(0.5).font('bold').fontSize(26).text(honouredName(locale, r), { align: 'center' });
    if (r.name && r.className) doc.font('regular').fontSize(14).text(t(locale, 'reading.pdf.class', { className: r.className }), { align: 'center' });
    doc.moveDown(1).font('regular').fontSize(16).text(t(locale, 'reading.pdf.hundred_books', { books: r.books ?? 0, period: input.period }), { align: 'center' });
    doc.moveDown(3).fontSize(12).text(input.libraryName, { align: 'center' });
    doc.text(printDate(input.issuedOn), { align: 'center' });
  });
  if (input.readers.length === 0) doc.fontSize(14).text(t(locale, 'reading.pdf.nobody'), { align: 'center' });
  return pdfToBuffer(doc);
}

/** Diplomas of a contest: one page per entrant with a place or a nomination. */
export async function diplomasPdf(input: { locale: Locale; libraryName: string; contestName: string; issuedOn: string; entrants: (Honoured & { place: number | null; nomination: string | null })[] }): Promise<Buffer> {
  const { locale } = input;
  const doc = newPdf({ layout: 'landscape', info: { Title: t(locale, 'reading.pdf.diploma') } });
  input.entrants.forEach((e, i) => {
    if (i > 0) doc.addPage();
    frame(doc);
    doc.moveDown(3);
    doc.font('bold').fontSize(36).fillColor('#9c4221').text(t(locale, 'reading.pdf.diploma'), { align: 'center' });
    if (e.place) doc.fontSize(20).text(t(locale, 'reading.pdf.place', { place: e.place }), { align: 'center' });
    doc.moveDown(0.5).font('regular').fontSize(16).fillColor('black').text(t(locale, 'reading.pdf.awarded_to'), { align: 'center' });
    doc.moveDown(0.5).font('bold').fontSize(26).text(honouredName(locale, e), { align: 'center' });
    if (e.name && e.className) doc.font('regular').fontSize(14).text(t(locale, 'reading.pdf.class', { className: e.className }), { align: 'center' });
    if (e.nomination) doc.moveDown(0.5).font('regular').fontSize(16).text(t(locale, 'reading.pdf.nomination', { nomination: e.nomination }), { align: 'center' });
    doc.moveDown(0.5).fontSize(16).text(input.contestName, { align: 'center' });
    doc.moveDown(2).fontSize(12).text(input.libraryName, { align: 'center' });
    doc.text(printDate(input.issuedOn), { align: 'center' });
  });
  if (input.entrants.length === 0) doc.fontSize(14).text(t(locale, 'reading.pdf.nobody'), { align: 'center' });
  return pdfToBuffer(doc);
}

/** The printed BookBingo cards, two to a page. */
export async function bingoCardsPdf(locale: Locale, game: BingoGame): Promise<Buffer> {
  const doc = newPdf({ info: { Title: game.title } });
  const cell = (doc.page.width - 72) / game.size;
  const cellH = 300 / game.size;
  game.cards.forEach((card, i) => {
    if (i > 0 && i % 2 === 0) doc.addPage();
    const top = 36 + (i % 2) * 390;
    doc.font('bold').fontSize(14).text(`BookBingo — ${game.title}`, 36, top);
    doc.font('regular').fontSize(10).text(t(locale, 'reading.pdf.bingo_card', { number: card.number, grade: game.grade }), 36, top + 20);
    card.cells.forEach((c, k) => {
      const x = 36 + (k % game.size) * cell;
      const y = top + 44 + Math.floor(k / game.size) * cellH;
      doc.rect(x, y, cell, cellH).stroke();
      doc.font('bold').fontSize(9).text(c.title, x + 4, y + 6, { width: cell - 8, height: cellH / 2 });
      doc.font('regular').fontSize(8).text(c.author, x + 4, y + cellH / 2 + 4, { width: cell - 8, height: cellH / 2 - 8 });
    });
  });
  return pdfToBuffer(doc);
}

/** Slips for participants without e-mail: number, book to give, date; never the partner. */
export async function drawSlipsPdf(locale: Locale, draw: Draw): Promise<Buffer> {
  const doc = newPdf({ info: { Title: draw.title } });
  const tr = (key: string, params: Record<string, string | number>) => t(locale, key, params);
  draw.participants.forEach((p, i) => {
    if (i > 0 && i % 4 === 0) doc.addPage();
    const top = 36 + (i % 4) * 190;
    doc.save().dash(4, { space: 4 }).rect(36, top, doc.page.width - 72, 175).stroke().restore();
    doc.font('bold').fontSize(13).text(draw.title, 48, top + 12, { width: doc.page.width - 96 });
    doc.font('regular').fontSize(11).text(letterText(draw, p, tr), 48, top + 36, { width: doc.page.width - 96 });
  });
  return pdfToBuffer(doc);
}
