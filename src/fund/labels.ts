import type { Actor } from '../auth/actor.js';
import { authorsOf } from '../catalog/works.js';
import type { Executor } from '../db/executor.js';
import { notFound } from '../shared/errors.js';
import { code128Png, newPdf, pdfToBuffer, type Pdf } from '../shared/pdf.js';
import { shortAuthors } from './copies.js';
import { libraryOf } from '../auth/guard.js';

/**
 * The common A4 sheet of self-adhesive labels: 3 columns × 8 rows of 70 × 37 mm, no gaps.
 * `startAt` skips labels already peeled off a sheet used before.
 */
export const SHEET = { columns: 3, rows: 8 } as const;
const MM = 72 / 25.4;
const PAGE = { width: 210 * MM, height: 297 * MM };
const LABEL = { width: PAGE.width / SHEET.columns, height: PAGE.height / SHEET.rows };
const PADDING = 4 * MM;
const BARCODE = { width: 50 * MM, height: 10 * MM };

export interface LabelData {
  libraryName: string;
  barcode: string;
  inventoryNumber: string;
  title: string;
  authors: string;
}

/** Label sheet for any selection of the library's own copies, in the order given. */
export async function copyLabelSheet(db: Executor, actor: Actor, copyIds: number[], startAt = 0): Promise<Buffer> {
  const labels = await labelData(db, actor, copyIds);
  return drawLabels(labels, startAt);
}

async function labelData(db: Executor, actor: Actor, copyIds: number[]): Promise<LabelData[]> {
  const organisationId = libraryOf(actor);
  const library = await db.selectFrom('org.organisations').select('name').where('id', '=', organisationId).executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('fund.copies as c')
    .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
    .select(['c.id', 'c.work_id', 'c.barcode', 'c.inventory_number', 'w.title'])
    .where('c.organisation_id', '=', organisationId)
    .where('c.id', 'in', copyIds)
    .execute();
  const missing = copyIds.find((id) => !rows.some((r) => r.id === id));
  if (missing !== undefined) throw notFound('copy', missing);
  const authors = await authorsOf(db, [...new Set(rows.map((r) => r.work_id))]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return copyIds.map((id) => {
    const r = byId.get(id)!;
    return {
      libraryName: library.name,
      barcode: r.barcode,
      inventoryNumber: r.inventory_number,
      title: r.title,
      authors: shortAuthors(authors.get(r.work_id) ?? []),
    };
  });
}

export async function drawLabels(labels: LabelData[], startAt = 0): Promise<Buffer> {
  const doc = newPdf({ margin: 0, autoFirstPage: true });
  const perPage = SHEET.columns * SHEET.rows;
  // one barcode image per distinct number; a sheet usually repeats none, but reprints do
  const images = new Map<string, Buffer>();
  for (const l of labels) if (!images.has(l.barcode)) images.set(l.barcode, await code128Png(l.barcode));
  labels.forEach((label, i) => {
    const slot = (startAt % perPage) + i;
    if (slot > 0 && slot % perPage === 0) doc.addPage({ size: 'A4', margin: 0 });
    const col = slot % SHEET.columns;
    const row = Math.floor(slot / SHEET.columns) % SHEET.rows;
    drawLabel(doc, label, images.get(label.barcode)!, col * LABEL.width, row * LABEL.height);
  });
  return pdfToBuffer(doc);
}

function drawLabel(doc: Pdf, label: LabelData, barcodePng: Buffer, x: number, y: number) {
  const left = x + PADDING;
  const width = LABEL.width - 2 * PADDING;
  let top = y + PADDING;
  const line = (text: string, font: string, size: number) => {
    doc.font(font).fontSize(size);
    doc.text(fit(doc, text, width), left, top, { width, lineBreak: false });
    top += size * 1.2;
  };
  line(label.libraryName, 'condensed', 6.5);
  doc.image(barcodePng, left + (width - BARCODE.width) / 2, top, { width: BARCODE.width, height: BARCODE.height });
  top += BARCODE.height + 1.5;
  doc.font('regular').fontSize(7.5);
  doc.text(label.barcode, left, top, { width, align: 'center', lineBreak: false });
  top += 7.5 * 1.25;
  line(`№ ${label.inventoryNumber}`, 'bold', 9);
  line(label.title, 'condensed', 7.5);
  if (label.authors) line(label.authors, 'condensed', 7);
}

/** Cuts text to one line of the label, ending with an ellipsis when something was cut. */
export function fit(doc: Pdf, text: string, width: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (doc.widthOfString(clean) <= width) return clean;
  let lo = 0;
  let hi = clean.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(clean.slice(0, mid).trimEnd() + '…') <= width) lo = mid;
    else hi = mid - 1;
  }
  return clean.slice(0, lo).trimEnd() + '…';
}
