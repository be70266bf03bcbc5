import type ExcelJS from 'exceljs';
import { lazy } from '../shared/lazy.js';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { t } from '../i18n/index.js';
import type { Executor } from '../db/executor.js';
import type { Locale } from '../org/schema.js';
import { invalid } from '../shared/errors.js';
import { checkSchoolYear } from './access.js';
import { curriculumOf, forecastsOf } from './curriculum.js';
import { usableCopies } from './stock.js';
import { staffLibrary } from '../auth/guard.js';

const excel = lazy<typeof ExcelJS>('exceljs');

export interface ExpectedGrade {
  grade: number;
  language: string;
  students: number;
  /** 'promoted': this year's previous grade moves up; 'forecast': entered by the school (first graders). */
  source: 'promoted' | 'forecast';
}

export interface OrderLine {
  workId: number;
  title: string;
  subjects: string;
  grades: number[];
  needed: number;
  usable: number;
  toOrder: number;
  /** The price of the latest batch of the title; 0 when it was never received. */
  lastPriceTiyn: number;
  sumTiyn: number;
}

export interface TextbookOrder {
  schoolYear: string;
  organisationName: string;
  expected: ExpectedGrade[];
  lines: OrderLine[];
  totalCopies: number;
  totalSumTiyn: number;
}

/** Active students now, per grade and language of instruction of their class. */
async function studentsNow(db: Executor, organisationId: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('readers.readers as r')
    .leftJoin('textbooks.class_languages as c', (join) =>
      join.onRef('c.organisation_id', '=', 'r.organisation_id').onRef('c.grade', '=', 'r.grade').onRef('c.class_letter', '=', 'r.class_letter'),
    )
    .select(['r.grade', sql<string>`coalesce(c.language, 'kk')`.as('language'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('r.organisation_id', '=', organisationId)
    .where('r.kind', '=', 'student')
    .where('r.status', '=', 'active')
    .where('r.grade', 'is not', null)
    .groupBy(['r.grade', sql`coalesce(c.language, 'kk')`])
    .execute();
  return new Map(rows.map((r) => [`${r.grade}/${r.language}`, Number(r.n)]));
}

async function lastPrices(db: Executor, organisationId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('textbooks.batches as b')
    .innerJoin('fund.receipts as r', 'r.id', 'b.receipt_id')
    .select(['b.work_id', 'b.price_tiyn'])
    .where('b.organisation_id', '=', organisationId)
    .orderBy('r.received_on')
    .orderBy('b.id')
    .execute();
  return new Map(rows.map((r) => [r.work_id, r.price_tiyn]));
}

/**
 * Next year's order: students expected in each grade (this year's previous grade, or the forecast the school
 * entered for first graders) × the titles of that year's curriculum, minus the copies still usable.
 */
export async function textbookOrder(db: Executor, actor: Actor, input: { schoolYear: string }): Promise<TextbookOrder> {
  const organisationId = staffLibrary(actor);
  const schoolYear = checkSchoolYear(input.schoolYear);
  const curriculum = await curriculumOf(db, organisationId, { schoolYear });
  if (!curriculum.length) throw invalid('textbooks.curriculum_empty', { schoolYear });
  const forecasts = new Map((await forecastsOf(db, organisationId, schoolYear)).map((f) => [`${f.grade}/${f.language}`, f.expected]));
  const now = await studentsNow(db, organisationId);

  const expected = new Map<string, ExpectedGrade>();
  const expect = (grade: number, language: string): number => {
    const key = `${grade}/${language}`;
    if (!expected.has(key)) {
      const forecast = forecasts.get(key);
      expected.set(key, forecast !== undefined
        ? { grade, language, students: forecast, source: 'forecast' }
        : { grade, language, students: now.get(`${grade - 1}/${language}`) ?? 0, source: 'promoted' });
    }
    return expected.get(key)!.students;
  };

  const byWork = new Map<number, { title: string; subjects: Set<string>; grades: Set<number>; needed: number }>();
  for (const item of curriculum) {
    const line = byWork.get(item.workId) ?? { title: item.title, subjects: new Set(), grades: new Set(), needed: 0 };
    line.subjects.add(item.subject);
    line.grades.add(item.grade);
    line.needed += expect(item.grade, item.language) * item.copiesPerStudent;
    byWork.set(item.workId, line);
  }
  const usable = await usableCopies(db, organisationId);
  const prices = await lastPrices(db, organisationId);
  // the ministry's price list of the year, when imported, wins over the last batch's price
  const listed = await db.selectFrom('textbooks.prices').select(['work_id', 'price_tiyn'])
    .where('organisation_id', '=', organisationId).where('school_year', '=', schoolYear).execute();
  for (const p of listed) prices.set(p.work_id, Number(p.price_tiyn));
  const lines = [...byWork.entries()].map(([workId, l]) => {
    const have = usable.get(workId) ?? 0;
    const toOrder = Math.max(0, l.needed - have);
    const lastPriceTiyn = prices.get(workId) ?? 0;
    return {
      workId,
      title: l.title,
      subjects: [...l.subjects].join(', '),
      grades: [...l.grades].sort((a, b) => a - b),
      needed: l.needed,
      usable: have,
      toOrder,
      lastPriceTiyn,
      sumTiyn: toOrder * lastPriceTiyn,
    };
  });
  const kazakh = new Intl.Collator('kk');
  lines.sort((a, b) => a.grades[0]! - b.grades[0]! || kazakh.compare(a.subjects, b.subjects) || kazakh.compare(a.title, b.title));
  const organisation = await db.selectFrom('org.organisations').select('name').where('id', '=', organisationId).executeTakeFirstOrThrow();
  return {
    schoolYear,
    organisationName: organisation.name,
    expected: [...expected.values()].sort((a, b) => a.grade - b.grade || a.language.localeCompare(b.language)),
    lines,
    totalCopies: lines.reduce((s, l) => s + l.toOrder, 0),
    totalSumTiyn: lines.reduce((s, l) => s + l.sumTiyn, 0),
  };
}

const tenge = (tiyn: number) => tiyn / 100;

/** The order as a spreadsheet for the education department: one line per title, sums in tenge. */
export async function textbookOrderXlsx(order: TextbookOrder, locale: Locale): Promise<Buffer> {
  const wb = new (excel().Workbook)();
  const ws = wb.addWorksheet(t(locale, 'textbooks.order.sheet'));
  ws.addRow([t(locale, 'textbooks.order.heading', { schoolYear: order.schoolYear, organisation: order.organisationName })]).font = { bold: true };
  ws.addRow([]);
  const header = ws.addRow(['title', 'subject', 'grades', 'needed', 'usable', 'to_order', 'price', 'sum'].map((c) => t(locale, `textbooks.order.${c}`)));
  header.font = { bold: true };
  for (const l of order.lines) {
    ws.addRow([l.title, l.subjects, l.grades.join(', '), l.needed, l.usable, l.toOrder, tenge(l.lastPriceTiyn), tenge(l.sumTiyn)]);
  }
  ws.addRow([t(locale, 'textbooks.order.total'), '', '', '', '', order.totalCopies, '', tenge(order.totalSumTiyn)]).font = { bold: true };
  ws.getColumn(1).width = 45;
  ws.getColumn(2).width = 25;
  for (const c of [7, 8]) ws.getColumn(c).numFmt = '#,##0.00';
  return Buffer.from(await wb.xlsx.writeBuffer());
}
