import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { checkClass, checkSchoolYear } from './access.js';
import { inTransaction } from '../db/transaction.js';
import { staffLibrary } from '../auth/guard.js';

export interface CurriculumInput {
  schoolYear: string;
  grade: number;
  subject: string;
  workId: number;
  /** Language of instruction, a two-letter code: 'kk', 'ru'… */
  language: string;
  copiesPerStudent?: number;
}

export interface CurriculumItem {
  id: number;
  schoolYear: string;
  grade: number;
  subject: string;
  workId: number;
  title: string;
  language: string;
  copiesPerStudent: number;
}

function checkLanguage(value: string): string {
  if (!/^[a-z]{2}$/.test(value)) throw invalid('textbooks.bad_language', { value });
  return value;
}

function checkGrade(grade: number): number {
  if (!Number.isInteger(grade) || grade < 0 || grade > 11) throw invalid('textbooks.bad_grade', { value: grade });
  return grade;
}

function checkCopiesPerStudent(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 5) throw invalid('textbooks.bad_copies_per_student', { value });
  return value;
}

function curriculumQuery(db: Executor, organisationId: number) {
  return db
    .selectFrom('textbooks.curriculum as c')
    .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
    .select(['c.id', 'c.school_year', 'c.grade', 'c.subject', 'c.work_id', 'w.title', 'c.language', 'c.copies_per_student'])
    .where('c.organisation_id', '=', organisationId);
}

type CurriculumRow = Awaited<ReturnType<ReturnType<typeof curriculumQuery>['execute']>>[number];

const toItem = (r: CurriculumRow): CurriculumItem => ({
  id: r.id,
  schoolYear: r.school_year,
  grade: r.grade,
  subject: r.subject,
  workId: r.work_id,
  title: r.title,
  language: r.language,
  copiesPerStudent: r.copies_per_student,
});

const kazakh = new Intl.Collator('kk');

/** The curriculum rows of a school year, by grade, language, subject and title in Kazakh alphabetical order. */
export async function curriculumOf(
  db: Executor,
  organisationId: number,
  filter: { schoolYear: string; grade?: number; language?: string },
): Promise<CurriculumItem[]> {
  let q = curriculumQuery(db, organisationId).where('c.school_year', '=', filter.schoolYear);
  if (filter.grade !== undefined) q = q.where('c.grade', '=', filter.grade);
  if (filter.language) q = q.where('c.language', '=', filter.language);
  // Subjects have no stored sort key, so the Kazakh order is applied here rather than by the database collation.
  const rows = await q.orderBy('c.grade').orderBy('c.language').orderBy('w.sort_key').execute();
  return rows
    .map(toItem)
    .sort((a, b) => a.grade - b.grade || a.language.localeCompare(b.language) || kazakh.compare(a.subject, b.subject));
}

export async function listCurriculum(
  db: Executor,
  actor: Actor,
  filter: { schoolYear: string; grade?: number; language?: string },
): Promise<CurriculumItem[]> {
  const organisationId = staffLibrary(actor);
  checkSchoolYear(filter.schoolYear);
  return curriculumOf(db, organisationId, filter);
}

async function getItem(db: Executor, organisationId: number, id: number): Promise<CurriculumItem> {
  const row = await curriculumQuery(db, organisationId).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('curriculum', id);
  return toItem(row);
}

export async function addCurriculumItem(db: Executor, actor: Actor, input: CurriculumInput): Promise<CurriculumItem> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const values = {
      organisation_id: organisationId,
      school_year: checkSchoolYear(input.schoolYear),
      grade: checkGrade(input.grade),
      subject: input.subject.trim(),
      work_id: input.workId,
      language: checkLanguage(input.language),
      copies_per_student: checkCopiesPerStudent(input.copiesPerStudent ?? 1),
    };
    if (!values.subject) throw invalid('textbooks.subject_required');
    const work = await trx.selectFrom('catalog.works').select(['id', 'title']).where('id', '=', input.workId).executeTakeFirst();
    if (!work) throw notFound('work', input.workId);
    const twin = await trx
      .selectFrom('textbooks.curriculum')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('school_year', '=', values.school_year)
      .where('grade', '=', values.grade)
      .where('language', '=', values.language)
      .where('work_id', '=', values.work_id)
      .executeTakeFirst();
    if (twin) throw conflict('textbooks.curriculum_duplicate', { title: work.title, grade: values.grade, schoolYear: values.school_year });
    const row = await trx.insertInto('textbooks.curriculum').values(values).returning('id').executeTakeFirstOrThrow();
    await audit(trx, actor, 'create', 'curriculum', row.id, { schoolYear: values.school_year, grade: values.grade, workId: values.work_id });
    return getItem(trx, organisationId, row.id);
  });
}

export async function updateCurriculumItem(
  db: Executor,
  actor: Actor,
  id: number,
  patch: { subject?: string; copiesPerStudent?: number },
): Promise<CurriculumItem> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    await getItem(trx, organisationId, id);
    const subject = patch.subject?.trim();
    if (patch.subject !== undefined && !subject) throw invalid('textbooks.subject_required');
    await trx
      .updateTable('textbooks.curriculum')
      .set({
        ...(subject ? { subject } : {}),
        ...(patch.copiesPerStudent !== undefined ? { copies_per_student: checkCopiesPerStudent(patch.copiesPerStudent) } : {}),
      })
      .where('id', '=', id)
      .execute();
    await audit(trx, actor, 'update', 'curriculum', id, { fields: Object.keys(patch) });
    return getItem(trx, organisationId, id);
  });
}

export async function deleteCurriculumItem(db: Executor, actor: Actor, id: number): Promise<void> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const item = await getItem(trx, organisationId, id);
    await trx.deleteFrom('textbooks.curriculum').where('id', '=', id).execute();
    await audit(trx, actor, 'delete', 'curriculum', id, { schoolYear: item.schoolYear, grade: item.grade, workId: item.workId });
  });
}

/**
 * Starts a school year's list from the previous one: most titles stay, and the librarian then edits
 * what the ministry changed. Rows the new year already has are kept as they are.
 */
export async function copyCurriculum(db: Executor, actor: Actor, input: { fromYear: string; toYear: string }): Promise<{ copied: number }> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const fromYear = checkSchoolYear(input.fromYear);
    const toYear = checkSchoolYear(input.toYear);
    if (fromYear === toYear) throw invalid('textbooks.same_school_year', { value: toYear });
    const source = await trx
      .selectFrom('textbooks.curriculum')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organisation_id', '=', organisationId)
      .where('school_year', '=', fromYear)
      .executeTakeFirstOrThrow();
    if (!Number(source.n)) throw invalid('textbooks.curriculum_empty', { schoolYear: fromYear });
    const result = await sql`
      INSERT INTO textbooks.curriculum (organisation_id, school_year, grade, subject, work_id, language, copies_per_student)
      SELECT organisation_id, ${toYear}, grade, subject, work_id, language, copies_per_student
        FROM textbooks.curriculum
       WHERE organisation_id = ${organisationId} AND school_year = ${fromYear}
      ON CONFLICT (organisation_id, school_year, grade, language, work_id) DO NOTHING`.execute(trx);
    const copied = Number(result.numAffectedRows ?? 0);
    await audit(trx, actor, 'copy', 'curriculum', null, { fromYear, toYear, copied });
    return { copied };
  });
}

// ---- Languages of instruction and expected first graders ----

export interface ClassLanguage {
  grade: number;
  classLetter: string;
  language: string;
}

export async function setClassLanguage(db: Executor, actor: Actor, input: ClassLanguage): Promise<ClassLanguage> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const { grade, classLetter } = checkClass(input.grade, input.classLetter);
    const language = checkLanguage(input.language);
    await trx
      .insertInto('textbooks.class_languages')
      .values({ organisation_id: organisationId, grade, class_letter: classLetter, language })
      .onConflict((oc) => oc.columns(['organisation_id', 'grade', 'class_letter']).doUpdateSet({ language }))
      .execute();
    await audit(trx, actor, 'set_language', 'class', `${grade}${classLetter}`, { language });
    return { grade, classLetter, language };
  });
}

export async function listClassLanguages(db: Executor, actor: Actor): Promise<ClassLanguage[]> {
  const organisationId = staffLibrary(actor);
  const rows = await db
    .selectFrom('textbooks.class_languages')
    .select(['grade', 'class_letter', 'language'])
    .where('organisation_id', '=', organisationId)
    .orderBy('grade')
    .orderBy('class_letter')
    .execute();
  return rows.map((r) => ({ grade: r.grade, classLetter: r.class_letter, language: r.language }));
}

/** The language a class is taught in; Kazakh unless the library said otherwise. */
export async function languageOfClass(db: Executor, organisationId: number, grade: number, classLetter: string): Promise<string> {
  const row = await db
    .selectFrom('textbooks.class_languages')
    .select('language')
    .where('organisation_id', '=', organisationId)
    .where('grade', '=', grade)
    .where('class_letter', '=', classLetter)
    .executeTakeFirst();
  return row?.language ?? 'kk';
}

export interface Forecast {
  schoolYear: string;
  grade: number;
  language: string;
  expected: number;
}

export async function setForecast(db: Executor, actor: Actor, input: Forecast): Promise<Forecast> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const values = {
      organisation_id: organisationId,
      school_year: checkSchoolYear(input.schoolYear),
      grade: checkGrade(input.grade),
      language: checkLanguage(input.language),
      expected: input.expected,
    };
    if (!Number.isInteger(input.expected) || input.expected < 0 || input.expected > 5000) {
      throw invalid('textbooks.bad_expected', { value: input.expected });
    }
    await trx
      .insertInto('textbooks.enrolment_forecasts')
      .values(values)
      .onConflict((oc) => oc.columns(['organisation_id', 'school_year', 'grade', 'language']).doUpdateSet({ expected: values.expected }))
      .execute();
    await audit(trx, actor, 'set_forecast', 'enrolment_forecast', `${values.school_year}/${values.grade}/${values.language}`, { expected: values.expected });
    return { schoolYear: values.school_year, grade: values.grade, language: values.language, expected: values.expected };
  });
}

export async function listForecasts(db: Executor, actor: Actor, schoolYear: string): Promise<Forecast[]> {
  const organisationId = staffLibrary(actor);
  return forecastsOf(db, organisationId, checkSchoolYear(schoolYear));
}

export async function forecastsOf(db: Executor, organisationId: number, schoolYear: string): Promise<Forecast[]> {
  const rows = await db
    .selectFrom('textbooks.enrolment_forecasts')
    .select(['school_year', 'grade', 'language', 'expected'])
    .where('organisation_id', '=', organisationId)
    .where('school_year', '=', schoolYear)
    .orderBy('grade')
    .orderBy('language')
    .execute();
  return rows.map((r) => ({ schoolYear: r.school_year, grade: r.grade, language: r.language, expected: r.expected }));
}
