import { createRequire } from 'node:module';
import path from 'node:path';
import type PDFDocument from 'pdfkit';
import type bwipjs from 'bwip-js';
import { lazy } from './lazy.js';

const require = createRequire(import.meta.url);
const pdfkit = lazy<typeof PDFDocument>('pdfkit');
const barcodes = lazy<typeof bwipjs>('bwip-js');
const fontDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/** DejaVu covers Kazakh Cyrillic (ә ғ қ ң ө ұ ү һ і), Kazakh Latin and Russian; the PDF's built-in fonts do not. */
export const FONTS = {
  regular: path.join(fontDir, 'DejaVuSans.ttf'),
  bold: path.join(fontDir, 'DejaVuSans-Bold.ttf'),
  condensed: path.join(fontDir, 'DejaVuSansCondensed.ttf'),
};

export type Pdf = PDFKit.PDFDocument;

/** A new A4 document with the Unicode fonts registered as 'regular', 'bold' and 'condensed'. */
export function newPdf(options: PDFKit.PDFDocumentOptions = {}): Pdf {
  const doc = new (pdfkit())({ size: 'A4', margin: 36, bufferPages: true, ...options });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  doc.registerFont('condensed', FONTS.condensed);
  doc.font('regular');
  return doc;
}

/** Collects a finished document into one buffer. Call after drawing; it ends the document. */
export function pdfToBuffer(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** A Code 128 barcode as PNG, without the human-readable line (the caller prints its own). */
export function code128Png(text: string, heightMm = 10): Promise<Buffer> {
  return barcodes().toBuffer({ bcid: 'code128', text, scale: 3, height: heightMm, includetext: false });
}

/**
 * The font size (from `size` down to `min`) at which no word of `text` is wider than `width`, so
 * that PDFKit wraps the cell between words: a word wider than its column would otherwise be cut
 * in the middle («просроч-ки» on two lines). Set the font first; the size is left set on return.
 */
export function wordSafeSize(doc: Pdf, text: string, width: number, size: number, min = 5): number {
  const words = text.split(/\s+/).filter(Boolean);
  let fitted = size;
  const widest = () => Math.max(0, ...words.map((w) => doc.fontSize(fitted).widthOfString(w)));
  while (fitted > min && widest() > width) fitted = Math.max(min, fitted - 0.25);
  doc.fontSize(fitted);
  return fitted;
}
