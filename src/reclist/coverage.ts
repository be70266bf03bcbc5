import type ExcelJS from 'exceljs';
import { lazy } from '../shared/lazy.js';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { t } from '../i18n/index.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { LIBRARY_KINDS } from '../org/organisations.js';
import type { Locale } from '../org/schema.js';
import { invalid, notFound } from '../shared/errors.js';
import { CATEGORIES, type AgeGroup, type Category, type CategoryFigures } from './schema.js';
import { ACTIVE_STATUSES, per100, percent } from './stats.js';
import { findVersion } from './versions.js';
import { assertCanSeeOrganisation } from '../auth/guard.js';
import { unmetToPurchase } from '../reference/service.js';

const excel = lazy<typeof ExcelJS>('exceljs');

export interface TitleCoverage {
  entryId: number;
  position: number;
  title: string;
  author: string;
  category: Category;
  ageGroup: AgeGroup;
  copies: number;
}

export interface LibraryCoverage {
  organisationId: number;
  organisationName: string;
  listYear: number;
  titlesTotal: number;
  titlesHeld: number;
  coverage: number;
  listCopies: number;
  students: number;
  copiesPer100Students: number | null;
  byCategory: (CategoryFigures & { coverage: number })[];
  titles: TitleCoverage[];
}

/** The library a request is about: a librarian's own, or one a methodologist or admin may see. */
export async function resolveLibrary(db: Executor, actor: Actor, organisationId?: number | null) {
  const id = organisationId ?? actor.organisationId;
  await assertCanSeeOrganisation(db, actor, id);
  const org = await db.selectFrom('org.organisations').select(['id', 'name', 'kind', 'code']).where('id', '=', id).executeTakeFirst();
  if (!org) throw notFound('organisation', id);
  if (!LIBRARY_KINDS.includes(org.kind)) throw invalid('reclist.not_a_library');
  return org;
}

/**
 * Which titles of the list a library holds and how many copies of each, computed live from its
 * copies (written-off and lost copies do not count), with the figures per category.
 */
export async function libraryCoverage(
  db: Executor,
  actor: Actor,
  options: { organisationId?: number | null; year?: number | null } = {},
): Promise<LibraryCoverage> {
  const org = await resolveLibrary(db, actor, options.organisationId);
  const version = await findVersion(db, options.year);
  const rows = await db
    .selectFrom('reclist.entries as e')
    .where('e.version_id', '=', version.id)
    .select(['e.id', 'e.position', 'e.title', 'e.author', 'e.category', 'e.age_group'])
    .select((eb) =>
      eb
        .selectFrom('reclist.matches as m')
        .innerJoin('fund.copies as c', 'c.work_id', 'm.work_id')
        .whereRef('m.entry_key', '=', 'e.entry_key')
        .where('m.status', '=', 'confirmed')
        .where('c.organisation_id', '=', org.id)
        .where('c.status', 'in', ACTIVE_STATUSES)
        .select(sql<number>`count(distinct c.id)`.as('n'))
        .as('copies'),
    )
    .orderBy('e.position')
    .execute();
  const titles: TitleCoverage[] = rows.map((r) => ({
    entryId: r.id,
    position: r.position,
    title: r.title,
    author: r.author,
    category: r.category,
    ageGroup: r.age_group,
    copies: Number(r.copies ?? 0),
  }));
  const students = await studentsByGroup(db, org.id);
  const byCategory = CATEGORIES.map((category) => {
    const of = titles.filter((x) => x.category === category);
    const held = of.filter((x) => x.copies > 0).length;
    return { category, titles: of.length, held, copies: sum(of.map((x) => x.copies)), coverage: percent(held, of.length) };
  });
  const titlesHeld = titles.filter((x) => x.copies > 0).length;
  const listCopies = sum(titles.map((x) => x.copies));
  return {
    organisationId: org.id,
    organisationName: org.name,
    listYear: version.year,
    titlesTotal: titles.length,
    titlesHeld,
    coverage: percent(titlesHeld, titles.length),
    listCopies,
    students: students.all,
    copiesPer100Students: per100(listCopies, students.all),
    byCategory,
    titles,
  };
}

/** Active students of a library per age group of the list (grade 0, the preparatory class, goes with 1–4). */
export async function studentsByGroup(db: Executor, organisationId: number): Promise<Record<AgeGroup, number>> {
  const rows = await db
    .selectFrom('readers.readers')
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', 'student')
    .where('status', '=', 'active')
    .select(['grade', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('grade')
    .execute();
  const counts: Record<AgeGroup, number> = { '1-4': 0, '5-9': 0, '10-11': 0, all: 0 };
  for (const r of rows) {
    const n = Number(r.n);
    counts.all += n;
    const g = r.grade ?? -1;
    if (g >= 0 && g <= 4) counts['1-4'] += n;
    else if (g >= 5 && g <= 9) counts['5-9'] += n;
    else if (g >= 10) counts['10-11'] += n;
  }
  return counts;
}

export interface PurchaseRule {
  studentsPerCopy: number;
  minCopies: number;
  priceTiyn: number;
}

/** Until a library sets its own: a copy per 10 students, at least one, 2,500 tenge a copy. */
export const DEFAULT_RULE: PurchaseRule = { studentsPerCopy: 10, minCopies: 1, priceTiyn: 250_000 };

export async function getPurchaseRule(db: Executor, actor: Actor, organisationId?: number | null) {
  const org = await resolveLibrary(db, actor, organisationId);
  const row = await db.selectFrom('reclist.purchase_rules').selectAll().where('organisation_id', '=', org.id).executeTakeFirst();
  return row
    ? { studentsPerCopy: row.students_per_copy, minCopies: row.min_copies, priceTiyn: row.price_tiyn, isDefault: false }
    : { ...DEFAULT_RULE, isDefault: true };
}

/** Only the library itself (or an admin) sets its rule. */
export async function setPurchaseRule(db: Executor, actor: Actor, rule: PurchaseRule) {
  const org = await resolveLibrary(db, actor, actor.organisationId);
  await db
    .insertInto('reclist.purchase_rules')
    .values({ organisation_id: org.id, students_per_copy: rule.studentsPerCopy, min_copies: rule.minCopies, price_tiyn: rule.priceTiyn })
    .onConflict((oc) =>
      oc.column('organisation_id').doUpdateSet({
        students_per_copy: rule.studentsPerCopy,
        min_copies: rule.minCopies,
        price_tiyn: rule.priceTiyn,
        updated_at: new Date(),
      }),
    )
    .execute();
  await audit(db, actor, 'update', 'reclist_purchase_rule', org.id, { ...rule });
  return { ...rule, isDefault: false };
}

export interface PlanLine {
  entryId: number;
  title: string;
  author: string;
  category: Category;
  ageGroup: AgeGroup;
  students: number;
  needed: number;
  held: number;
  toBuy: number;
  sumTiyn: number;
}

/** A title readers asked for and the library lacks, put into the plan from the unmet requests. */
export interface RequestedLine {
  unmetId: number;
  title: string;
  author: string | null;
  /** how many times it was asked for (at the desk, in a search, by a question) */
  times: number;
  source: 'desk' | 'search' | 'question';
  toBuy: number;
  sumTiyn: number;
}

/** Copies needed of a title: one per N students of its age group, never fewer than the minimum. */
export function copiesNeeded(rule: PurchaseRule, students: number): number {
  return Math.max(rule.minCopies, Math.ceil(students / rule.studentsPerCopy));
}

/** What to buy to close the gaps under the library's rule, and what it would cost. */
export async function purchasePlan(db: Executor, actor: Actor, options: { organisationId?: number | null; year?: number | null } = {}) {
  const coverage = await libraryCoverage(db, actor, options);
  const rule = await getPurchaseRule(db, actor, coverage.organisationId);
  const students = await studentsByGroup(db, coverage.organisationId);
  const lines: PlanLine[] = [];
  for (const title of coverage.titles) {
    const needed = copiesNeeded(rule, students[title.ageGroup]);
    const toBuy = Math.max(0, needed - title.copies);
    if (toBuy === 0) continue;
    lines.push({
      entryId: title.entryId,
      title: title.title,
      author: title.author,
      category: title.category,
      ageGroup: title.ageGroup,
      students: students[title.ageGroup],
      needed,
      held: title.copies,
      toBuy,
      sumTiyn: toBuy * rule.priceTiyn,
    });
  }
  // what readers asked for and did not find, once the librarian judged it worth buying: the rule's minimum of copies
  const requested: RequestedLine[] = (await unmetToPurchase(db, coverage.organisationId)).map((r) => ({
    ...r,
    toBuy: rule.minCopies,
    sumTiyn: rule.minCopies * rule.priceTiyn,
  }));
  return {
    organisationId: coverage.organisationId,
    organisationName: coverage.organisationName,
    listYear: coverage.listYear,
    rule,
    copiesToBuy: sum(lines.map((l) => l.toBuy)),
    sumTiyn: sum(lines.map((l) => l.sumTiyn)),
    lines,
    requested,
    requestedCopies: sum(requested.map((l) => l.toBuy)),
    requestedSumTiyn: sum(requested.map((l) => l.sumTiyn)),
  };
}

type Plan = Awaited<ReturnType<typeof purchasePlan>>;

/** The coverage as a workbook: a sheet per category summary and a sheet of every title. */
export async function coverageWorkbook(coverage: LibraryCoverage, locale: Locale): Promise<Buffer> {
  const tr = (key: string) => t(locale, `reclist.xlsx.${key}`);
  const wb = new (excel().Workbook)();
  const summary = wb.addWorksheet(tr('summary'));
  summary.addRow([coverage.organisationName]);
  summary.addRow([tr('list_year'), coverage.listYear]);
  summary.addRow([tr('coverage'), coverage.coverage]);
  summary.addRow([tr('students'), coverage.students]);
  summary.addRow([tr('per100'), coverage.copiesPer100Students ?? '']);
  summary.addRow([]);
  summary.addRow([tr('category'), tr('titles'), tr('held'), tr('copies'), tr('coverage')]).font = { bold: true };
  for (const c of coverage.byCategory) summary.addRow([t(locale, `reclist.category.${c.category}`), c.titles, c.held, c.copies, c.coverage]);
  summary.addRow([tr('total'), coverage.titlesTotal, coverage.titlesHeld, coverage.listCopies, coverage.coverage]).font = { bold: true };
  summary.getColumn(1).width = 40;

  const titles = wb.addWorksheet(tr('titles'));
  titles.addRow(['№', tr('title'), tr('author'), tr('category'), tr('age_group'), tr('copies')]).font = { bold: true };
  for (const x of coverage.titles) {
    const row = titles.addRow([x.position, x.title, x.author, t(locale, `reclist.category.${x.category}`), x.ageGroup, x.copies]);
    if (x.copies === 0) row.font = { color: { argb: 'FFC00000' } };
  }
  widen(titles);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function planWorkbook(plan: Plan, locale: Locale): Promise<Buffer> {
  const tr = (key: string) => t(locale, `reclist.xlsx.${key}`);
  const wb = new (excel().Workbook)();
  const sheet = wb.addWorksheet(tr('plan'));
  sheet.addRow([plan.organisationName, `${tr('list_year')}: ${plan.listYear}`]);
  sheet.addRow([tr('rule'), plan.rule.studentsPerCopy, tr('min_copies'), plan.rule.minCopies, tr('price'), plan.rule.priceTiyn / 100]);
  sheet.addRow([]);
  sheet.addRow(['№', tr('title'), tr('author'), tr('category'), tr('age_group'), tr('students'), tr('needed'), tr('held'), tr('to_buy'), tr('sum')]).font = {
    bold: true,
  };
  plan.lines.forEach((l, i) =>
    sheet.addRow([i + 1, l.title, l.author, t(locale, `reclist.category.${l.category}`), l.ageGroup, l.students, l.needed, l.held, l.toBuy, l.sumTiyn / 100]),
  );
  sheet.addRow(['', tr('total'), '', '', '', '', '', '', plan.copiesToBuy, plan.sumTiyn / 100]).font = { bold: true };
  sheet.getColumn(10).numFmt = '#,##0.00';
  widen(sheet);
  if (plan.requested.length) {
    const asked = wb.addWorksheet(tr('requested'));
    asked.addRow(['№', tr('title'), tr('author'), tr('times_asked'), tr('to_buy'), tr('sum')]).font = { bold: true };
    plan.requested.forEach((l, i) => asked.addRow([i + 1, l.title, l.author ?? '', l.times, l.toBuy, l.sumTiyn / 100]));
    asked.addRow(['', tr('total'), '', '', plan.requestedCopies, plan.requestedSumTiyn / 100]).font = { bold: true };
    asked.getColumn(6).numFmt = '#,##0.00';
    widen(asked);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function widen(sheet: ExcelJS.Worksheet) {
  sheet.getColumn(2).width = 45;
  sheet.getColumn(3).width = 30;
  sheet.getColumn(4).width = 30;
}

function sum(values: number[]): number {
  return values.reduce((s, v) => s + v, 0);
}
