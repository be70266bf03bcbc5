import { audit } from '../org/audit.js';
import type { Actor } from '../auth/actor.js';
import { t } from '../i18n/index.js';
import type { Locale } from '../org/schema.js';
import type { Executor } from '../db/executor.js';
import { newPdf, pdfToBuffer, wordSafeSize, type Pdf } from '../shared/pdf.js';
import { checkClass, checkSchoolYear } from './access.js';
import { classViewer, staffLibrary as textbookStaff } from '../auth/guard.js';
import { classDiagnosis, studentRecord } from './issues.js';
import { printDate } from '../shared/print-date.js';


interface Column {
  header: string;
  width: number;
  align?: 'left' | 'center' | 'right';
}

/** A ruled table that carries on to the next page, repeating its header. */
function table(doc: Pdf, columns: Column[], rows: string[][], rowHeight = 20) {
  const left = doc.page.margins.left;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const drawRow = (cells: string[], bold: boolean) => {
    const font = bold ? 'bold' : 'regular';
    // words stay whole: a word wider than its column makes that cell's type smaller
    const sizes = cells.map((c, i) => wordSafeSize(doc.font(font), c, columns[i]!.width - 6, 9));
    const heights = cells.map((c, i) => doc.font(font).fontSize(sizes[i]!).heightOfString(c, { width: columns[i]!.width - 6 }));
    const h = Math.max(rowHeight, ...heights.map((x) => x + 8));
    if (doc.y + h > bottom()) {
      doc.addPage();
      if (!bold) drawRow(columns.map((c) => c.header), true);
    }
    const y = doc.y;
    let x = left;
    cells.forEach((cell, i) => {
      const col = columns[i]!;
      doc.rect(x, y, col.width, h).stroke();
      doc.font(font).fontSize(sizes[i]!).text(cell, x + 3, y + 4, { width: col.width - 6, align: col.align ?? 'left' });
      x += col.width;
    });
    doc.x = left;
    doc.y = y + h;
  };
  drawRow(columns.map((c) => c.header), true);
  for (const r of rows) drawRow(r, false);
}

async function schoolName(db: Executor, organisationId: number) {
  return (await db.selectFrom('org.organisations').select('name').where('id', '=', organisationId).executeTakeFirstOrThrow()).name;
}

/**
 * The class issue sheet (оқулық беру ведомосы): the class's set of titles, numbered, and one line per pupil with the
 * numbers of the titles the pupil holds, their count and an empty column for the pupil's (or parent's) signature.
 */
export async function classIssueSheetPdf(db: Executor, actor: Actor, input: { schoolYear: string; grade: number; classLetter: string }, locale: Locale): Promise<Buffer> {
  const { grade, classLetter } = checkClass(input.grade, input.classLetter);
  const organisationId = classViewer(actor, grade, classLetter);
  const schoolYear = checkSchoolYear(input.schoolYear);
  const diagnosis = await classDiagnosis(db, actor, { schoolYear, grade, classLetter });
  // a printed list of pupils' names leaves the system: the log says who printed whom
  await audit(db, actor, 'export', 'readers', null, { what: 'textbook_issue_sheet', count: diagnosis.students.length, grade, classLetter });
  const doc = newPdf();
  doc.font('regular').fontSize(10).text(await schoolName(db, organisationId));
  doc.moveDown(0.5);
  doc.font('bold').fontSize(14).text(t(locale, 'textbooks.pdf.issue_sheet'), { align: 'center' });
  doc.font('regular').fontSize(11).text(t(locale, 'textbooks.pdf.class_year', { grade, letter: classLetter, schoolYear }), { align: 'center' });
  doc.moveDown();
  doc.font('bold').fontSize(10).text(t(locale, 'textbooks.pdf.set'));
  diagnosis.titles.forEach((title, i) => doc.font('regular').fontSize(9).text(`${i + 1}. ${title.subject} — ${title.title}${title.copiesPerStudent > 1 ? ` (× ${title.copiesPerStudent})` : ''}`));
  doc.moveDown();
  const number = new Map(diagnosis.titles.map((title, i) => [title.workId, i + 1]));
  const rows = diagnosis.students.map((st, i) => {
    const held = st.items.filter((it) => it.held > 0);
    return [String(i + 1), st.name, held.map((it) => number.get(it.workId)).join(', '), String(held.reduce((s, it) => s + it.held, 0)), ''];
  });
  table(doc, [
    { header: '№', width: 28, align: 'right' },
    { header: t(locale, 'textbooks.pdf.pupil'), width: 170 },
    { header: t(locale, 'textbooks.pdf.titles_held'), width: 150 },
    { header: t(locale, 'textbooks.pdf.copies'), width: 55, align: 'right' },
    { header: t(locale, 'textbooks.pdf.signature'), width: 120 },
  ], rows, 24);
  doc.moveDown(2);
  doc.font('regular').fontSize(10).text(`${t(locale, 'textbooks.pdf.librarian')} ____________________        ${t(locale, 'textbooks.pdf.class_teacher')} ____________________`);
  return pdfToBuffer(doc);
}

/** A pupil's textbook formular: every textbook issued, year by year, with dates, conditions and a signature column. */
export async function studentFormularPdf(db: Executor, actor: Actor, readerId: number, locale: Locale): Promise<Buffer> {
  const organisationId = textbookStaff(actor);
  const record = await studentRecord(db, actor, readerId);
  await audit(db, actor, 'export', 'reader', readerId, { what: 'textbook_formular' });
  const doc = newPdf();
  doc.font('regular').fontSize(10).text(await schoolName(db, organisationId));
  doc.moveDown(0.5);
  doc.font('bold').fontSize(14).text(t(locale, 'textbooks.pdf.formular'), { align: 'center' });
  doc.font('regular').fontSize(11).text(`${record.name}${record.grade !== null ? `, ${record.grade} ${record.classLetter ?? ''}` : ''}`, { align: 'center' });
  doc.moveDown();
  const condition = (c: string | null) => (c ? t(locale, `textbooks.pdf.condition.${c}`) : '');
  table(doc, [
    { header: t(locale, 'textbooks.pdf.school_year'), width: 62 },
    { header: t(locale, 'textbooks.pdf.title'), width: 160 },
    { header: t(locale, 'textbooks.pdf.issued'), width: 62 },
    { header: t(locale, 'textbooks.pdf.condition_out'), width: 55 },
    { header: t(locale, 'textbooks.pdf.returned'), width: 62 },
    { header: t(locale, 'textbooks.pdf.condition_back'), width: 55 },
    { header: t(locale, 'textbooks.pdf.signature'), width: 67 },
  ], record.issues.map((i) => [i.schoolYear, i.barcode ? `${i.title} (№ ${i.barcode})` : i.title, printDate(i.issuedOn), condition(i.issuedCondition), printDate(i.returnedOn), condition(i.returnCondition), '']));
  return pdfToBuffer(doc);
}
