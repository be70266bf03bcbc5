/**
 * Acts that a commission signs, as PDF: the receipt act, the write-off act (with its commission, the head's
 * approval and, for a transfer, the receiving library) and the fund-check act. The Kazakh title is always printed;
 * a Russian or English request adds its own title under it, as bilingual documents are kept in Kazakhstan.
 */
import type { Actor } from '../../auth/actor.js';
import { t } from '../../i18n/index.js';
import type { Executor } from '../../db/executor.js';
import type { Locale } from '../../org/schema.js';
import { FONTS, newPdf, pdfToBuffer, type Pdf } from '../../shared/pdf.js';
import { printDate } from '../../shared/print-date.js';
import { drawTable, formatTenge, type Column } from './book-files.js';
import { checkResult } from './checks.js';
import { staffLibrary } from '../../auth/guard.js';
import { getReceipt } from './receipts.js';
import { getAct } from './write-offs.js';

async function organisationName(db: Executor, id: number): Promise<string> {
  const row = await db.selectFrom('org.organisations').select('name').where('id', '=', id).executeTakeFirstOrThrow();
  return row.name;
}

function actPdf(): Pdf {
  const doc = newPdf({ margin: 40 });
  doc.registerFont('header', FONTS.condensed);
  return doc;
}

/** «БЕКІТЕМІН» block at the top right: the head who approves. */
function approval(doc: Pdf, l: Locale, head: string | null) {
  const x = doc.page.width - 40 - 220;
  const y = doc.y;
  doc.font('bold').fontSize(9).text(t('kk', 'accounting.act.approve'), x, y, { width: 220 });
  if (l !== 'kk') doc.font('regular').fontSize(8).text(t(l, 'accounting.act.approve'), { width: 220 });
  doc.font('regular').fontSize(9).text(`${t(l, 'accounting.act.head')} ____________ ${head ?? ''}`, { width: 220 });
  doc.text('«____» ______________ 20___', { width: 220 });
  doc.x = 40;
  doc.moveDown(1.2);
}

function titleBlock(doc: Pdf, l: Locale, key: string, params: Record<string, string>, organisation: string) {
  doc.font('regular').fontSize(9).text(organisation, { align: 'center' });
  doc.moveDown(0.4);
  doc.font('bold').fontSize(12).text(t('kk', key, params), { align: 'center' });
  if (l !== 'kk') doc.font('regular').fontSize(10).text(t(l, key, params), { align: 'center' });
  doc.moveDown(0.8);
}

function line(doc: Pdf, label: string, value: string) {
  doc.font('bold').fontSize(9).text(`${label}: `, { continued: true }).font('regular').text(value || '—');
}

function signatures(doc: Pdf, l: Locale, chair: string | null, members: string[], extra: [string, string][] = []) {
  doc.moveDown(1.5);
  doc.font('regular').fontSize(9);
  if (chair !== null) doc.text(`${t(l, 'accounting.act.chair')}: ____________ ${chair}`);
  doc.moveDown(0.3);
  if (members.length) {
    doc.text(`${t(l, 'accounting.act.members')}:`);
    for (const m of members) doc.text(`____________ ${m}`, { indent: 20 });
  }
  for (const [label, name] of extra) {
    doc.moveDown(0.3);
    doc.text(`${label}: ____________ ${name}`);
  }
}

const COPY_COLUMNS = (l: Locale): Column[] => [
  { header: '№', width: 26, align: 'right' },
  { header: t(l, 'accounting.book.col.inventory_number'), width: 70 },
  { header: t(l, 'accounting.book.col.author_title'), width: 300 },
  { header: t(l, 'accounting.book.col.price'), width: 119, align: 'right' },
];

/** The write-off act (есептен шығару актісі) with its copies, reason, commission and approval. */
export async function writeOffActPdf(db: Executor, actor: Actor, actId: number, l: Locale): Promise<Buffer> {
  const organisationId = staffLibrary(actor);
  const { act, copies } = await getAct(db, actor, actId);
  const doc = actPdf();
  approval(doc, l, act.head);
  titleBlock(doc, l, act.kind === 'reversal' ? 'accounting.act.reversal_title' : 'accounting.act.write_off_title', { number: act.number }, await organisationName(db, organisationId));
  line(doc, t(l, 'accounting.act.date'), printDate(act.actDate));
  line(doc, t(l, 'accounting.act.reason'), t(l, `accounting.reason.${act.reason}`));
  if (act.reason === 'transfer') line(doc, t(l, 'accounting.act.transfer_to'), act.transferToName ?? '');
  line(doc, t(l, 'accounting.act.commission'), [act.chair ? `${t(l, 'accounting.act.chair')} ${act.chair}` : '', ...act.commission].filter(Boolean).join('; '));
  doc.moveDown(0.3);
  doc.font('regular').fontSize(9).text(t(l, 'accounting.act.write_off_text', { count: copies.length }));
  doc.moveDown(0.5);
  drawTable(doc, COPY_COLUMNS(l), copies.map((c, i) => [String(i + 1), c.inventoryNumber, c.title, formatTenge(c.priceTiyn)]));
  doc.moveDown(0.5);
  doc.font('bold').fontSize(9).text(t(l, 'accounting.act.total', { count: copies.length, sum: formatTenge(act.sumTiyn) }));
  if (act.note) line(doc, t(l, 'accounting.act.note'), act.note);
  doc.font('regular').fontSize(8).text(t(l, 'accounting.act.removed_note'));
  signatures(doc, l, act.chair ?? '', act.commission, [[t(l, 'accounting.act.librarian'), actor.fullName]]);
  return pdfToBuffer(doc);
}

/** The receipt act (қабылдау актісі): what entered the fund with one document, signed by the acceptance commission. */
export async function receiptActPdf(db: Executor, actor: Actor, receiptId: number, l: Locale, commission: { chair?: string; members?: string[] } = {}): Promise<Buffer> {
  const organisationId = staffLibrary(actor);
  const { receipt, lines } = await getReceipt(db, actor, receiptId);
  const doc = actPdf();
  approval(doc, l, null);
  titleBlock(doc, l, 'accounting.act.receipt_title', { number: receipt.number }, await organisationName(db, organisationId));
  line(doc, t(l, 'accounting.act.date'), printDate(receipt.receivedOn));
  line(doc, t(l, 'accounting.act.source'), t(l, `accounting.source.${receipt.source}`));
  line(doc, t(l, 'accounting.act.document'), [receipt.documentNumber ? `№ ${receipt.documentNumber}` : '', printDate(receipt.documentDate)].filter(Boolean).join(' '));
  if (receipt.supplier) line(doc, t(l, 'accounting.act.supplier'), receipt.supplier);
  doc.moveDown(0.5);
  const columns: Column[] = [
    { header: '№', width: 24, align: 'right' },
    { header: t(l, 'accounting.book.col.author_title'), width: 250 },
    { header: t(l, 'accounting.act.col.count'), width: 45, align: 'right' },
    { header: t(l, 'accounting.book.col.price'), width: 70, align: 'right' },
    { header: t(l, 'accounting.book.col.sum'), width: 70, align: 'right' },
    { header: t(l, 'accounting.book.col.inventory_number'), width: 56 },
  ];
  drawTable(doc, columns, lines.map((x, i) => [
    String(i + 1),
    x.title,
    String(x.copiesCount),
    x.priceUnknown ? t(l, 'accounting.book.price_unknown') : formatTenge(x.priceTiyn),
    formatTenge(x.sumTiyn),
    x.copies.length > 1 ? `${x.copies[0]!.inventoryNumber}–${x.copies[x.copies.length - 1]!.inventoryNumber}` : (x.copies[0]?.inventoryNumber ?? ''),
  ]));
  doc.moveDown(0.5);
  doc.font('bold').fontSize(9).text(t(l, 'accounting.act.total', { count: receipt.copiesCount, sum: formatTenge(receipt.sumTiyn) }) +
    (receipt.unpricedCount ? ` (${t(l, 'accounting.book.unpriced', { count: receipt.unpricedCount })})` : ''));
  signatures(doc, l, commission.chair ?? '', commission.members ?? ['', ''], [[t(l, 'accounting.act.librarian'), actor.fullName]]);
  return pdfToBuffer(doc);
}

/** The fund-check act (қорды тексеру актісі): found, missing, on loan, misplaced, unknown barcodes. */
export async function checkActPdf(db: Executor, actor: Actor, checkId: number, l: Locale, commission: { chair?: string; members?: string[] } = {}): Promise<Buffer> {
  const organisationId = staffLibrary(actor);
  const result = await checkResult(db, actor, checkId);
  const doc = actPdf();
  approval(doc, l, null);
  titleBlock(doc, l, 'accounting.act.check_title', { number: result.check.number }, await organisationName(db, organisationId));
  line(doc, t(l, 'accounting.act.date'), printDate(result.check.startedOn));
  const scope = [result.check.locationPrefix, result.check.fund ? result.check.fund : null, result.check.knowledgeGroup ? t(l, `accounting.group.${result.check.knowledgeGroup}`) : null].filter(Boolean).join(', ');
  line(doc, t(l, 'accounting.act.scope'), scope || t(l, 'accounting.act.whole_fund'));
  const c = result.counts;
  doc.moveDown(0.4);
  for (const [key, n] of [['expected', c.expected], ['found', c.found], ['missing', c.missing], ['on_loan', c.onLoan], ['misplaced', c.misplaced], ['unknown', c.unknown]] as const) {
    line(doc, t(l, `accounting.act.check.${key}`), String(n));
  }
  if (result.check.unbooked.count) line(doc, t(l, 'accounting.act.check.unbooked'), String(result.check.unbooked.count));
  const list = (key: string, copies: typeof result.missing) => {
    if (!copies.length) return;
    doc.moveDown(0.6);
    doc.font('bold').fontSize(10).text(t(l, `accounting.act.check.${key}`));
    drawTable(doc, [
      { header: '№', width: 26, align: 'right' },
      { header: t(l, 'accounting.book.col.inventory_number'), width: 70 },
      { header: t(l, 'accounting.book.col.author_title'), width: 300 },
      { header: t(l, 'accounting.act.col.location'), width: 119 },
    ], copies.map((x, i) => [String(i + 1), x.inventoryNumber, x.title, x.location ?? '']));
  };
  list('missing', result.missing);
  list('on_loan', result.onLoan);
  list('misplaced', result.misplaced);
  signatures(doc, l, commission.chair ?? '', commission.members ?? ['', ''], [[t(l, 'accounting.act.librarian'), actor.fullName]]);
  return pdfToBuffer(doc);
}
