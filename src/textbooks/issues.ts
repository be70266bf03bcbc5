import { registerActivity } from '../readers/registrations.js';
import type { Actor } from '../auth/actor.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { conflict, forbidden, invalid, notFound } from '../shared/errors.js';
import { checkClass, checkDate, checkSchoolYear } from './access.js';
import { curriculumOf, languageOfClass, type CurriculumItem } from './curriculum.js';
import type { Condition, IssuableCondition } from './schema.js';
import { EMPTY_SHELF, lockShelves, moveOnShelf, titleMap, type Shelf } from './stock.js';
import { libraryToday } from '../shared/library-time.js';
import { inTransaction } from '../db/transaction.js';
import { allow, belongsTo, classViewer, libraryOf, staffLibrary } from '../auth/guard.js';

export interface ClassInput {
  schoolYear: string;
  grade: number;
  classLetter: string;
}

interface Student {
  id: number;
  name: string;
}

/** Active students of a class in the order of the class register (Kazakh alphabetical order). */
async function classStudents(db: Executor, organisationId: number, grade: number, classLetter: string, withBlocked = true): Promise<Student[]> {
  let q = db
    .selectFrom('readers.readers')
    .select(['id', 'last_name', 'first_name'])
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', 'student')
    .where('status', '=', 'active')
    .where('grade', '=', grade)
    .where('class_letter', '=', classLetter);
  // a blocked pupil's data is kept for the library, not shown to the class teacher
  if (!withBlocked) q = q.where('blocked_at', 'is', null);
  const rows = await q
    .orderBy('sort_key')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: `${r.last_name} ${r.first_name}` }));
}

/** How many copies of each title each reader holds now: reader id → work id → count. */
async function holdings(db: Executor, organisationId: number, readerIds: number[], workIds: number[]): Promise<Map<number, Map<number, number>>> {
  const held = new Map<number, Map<number, number>>();
  if (!readerIds.length || !workIds.length) return held;
  const rows = await db
    .selectFrom('textbooks.issues')
    .select(['reader_id', 'work_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('organisation_id', '=', organisationId)
    .where('returned_on', 'is', null)
    .where('reader_id', 'in', readerIds)
    .where('work_id', 'in', workIds)
    .groupBy(['reader_id', 'work_id'])
    .execute();
  for (const r of rows) {
    const mine = held.get(r.reader_id) ?? new Map<number, number>();
    mine.set(r.work_id, Number(r.n));
    held.set(r.reader_id, mine);
  }
  return held;
}

const heldBy = (held: Map<number, Map<number, number>>, readerId: number, workId: number) => held.get(readerId)?.get(workId) ?? 0;

// ---- Supply diagnosis ----

export interface TitleSupply {
  workId: number;
  title: string;
  subject: string;
  copiesPerStudent: number;
  /** Students × copies per student. */
  needed: number;
  /** Of those, copies the students already have. */
  issued: number;
  lacking: number;
  /** Good or worn copies on the library's shelf. */
  available: number;
  /** Copies the library cannot give out of its stock. */
  shortage: number;
}

export interface StudentSupply {
  readerId: number;
  name: string;
  complete: boolean;
  items: { workId: number; held: number; missing: number }[];
}

export interface Diagnosis {
  schoolYear: string;
  grade: number;
  classLetter: string;
  language: string;
  studentsCount: number;
  titles: TitleSupply[];
  students: StudentSupply[];
}

interface ClassPicture {
  organisationId: number;
  schoolYear: string;
  grade: number;
  classLetter: string;
  language: string;
  titles: CurriculumItem[];
  students: Student[];
  held: Map<number, Map<number, number>>;
}

async function classPicture(db: Executor, organisationId: number, input: ClassInput, withBlocked = true): Promise<ClassPicture> {
  const schoolYear = checkSchoolYear(input.schoolYear);
  const { grade, classLetter } = checkClass(input.grade, input.classLetter);
  const language = await languageOfClass(db, organisationId, grade, classLetter);
  const titles = await curriculumOf(db, organisationId, { schoolYear, grade, language });
  const students = await classStudents(db, organisationId, grade, classLetter, withBlocked);
  const held = await holdings(db, organisationId, students.map((s) => s.id), titles.map((t) => t.workId));
  return { organisationId, schoolYear, grade, classLetter, language, titles, students, held };
}

function diagnose(picture: ClassPicture, shelves: Map<number, Shelf>): Diagnosis {
  const { titles, students, held } = picture;
  const titleSupply = titles.map((t) => {
    const needed = students.length * t.copiesPerStudent;
    const issued = students.reduce((s, st) => s + Math.min(t.copiesPerStudent, heldBy(held, st.id, t.workId)), 0);
    const shelf = shelves.get(t.workId) ?? EMPTY_SHELF;
    const available = shelf.good + shelf.worn;
    const lacking = needed - issued;
    return { workId: t.workId, title: t.title, subject: t.subject, copiesPerStudent: t.copiesPerStudent, needed, issued, lacking, available, shortage: Math.max(0, lacking - available) };
  });
  const studentSupply = students.map((st) => {
    const items = titles.map((t) => {
      const h = heldBy(held, st.id, t.workId);
      return { workId: t.workId, held: h, missing: Math.max(0, t.copiesPerStudent - h) };
    });
    return { readerId: st.id, name: st.name, complete: items.every((i) => i.missing === 0), items };
  });
  return {
    schoolYear: picture.schoolYear,
    grade: picture.grade,
    classLetter: picture.classLetter,
    language: picture.language,
    studentsCount: students.length,
    titles: titleSupply,
    students: studentSupply,
  };
}

/** Each student of a class against the curriculum of the year: who has what, who lacks what, and what the fund can cover. */
export async function classDiagnosis(db: Executor, actor: Actor, input: ClassInput): Promise<Diagnosis> {
  const { grade, classLetter } = checkClass(input.grade, input.classLetter);
  const organisationId = classViewer(actor, grade, classLetter);
  const picture = await classPicture(db, organisationId, input, actor.role !== 'teacher');
  const shelves = await lockShelves(db, organisationId, picture.titles.map((t) => t.workId), false);
  return diagnose(picture, shelves);
}

// ---- Issue ----

/** Takes up to `count` copies off a shelf held in memory, good ones first; returns their conditions. */
function takeCopies(shelf: Shelf, count: number): IssuableCondition[] {
  const taken: IssuableCondition[] = [];
  for (const condition of ['good', 'worn'] as const) {
    while (taken.length < count && shelf[condition] > 0) {
      shelf[condition] -= 1;
      taken.push(condition);
    }
  }
  return taken;
}

function countBy(conditions: IssuableCondition[]): Partial<Shelf> {
  const delta: Partial<Shelf> = {};
  for (const c of conditions) delta[c] = (delta[c] ?? 0) - 1;
  return delta;
}

export interface SetIssueResult {
  issuedCopies: number;
  /** Students who did not get a title because the fund ran out, in register order. */
  notIssued: { readerId: number; name: string; workId: number; title: string; missing: number }[];
}

/**
 * Issues the full set of the curriculum to a class in one go: every active student gets each title
 * they still lack, in register order, while the stock lasts. Whoever is left without a title is reported.
 */
export async function issueSetToClass(db: Executor, actor: Actor, input: ClassInput & { issuedOn?: string }): Promise<SetIssueResult> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const issuedOn = checkDate(input.issuedOn ?? (await libraryToday(trx, organisationId)));
    const picture = await classPicture(trx, organisationId, input);
    if (!picture.titles.length) throw invalid('textbooks.curriculum_empty', { schoolYear: picture.schoolYear });
    const shelves = await lockShelves(trx, organisationId, picture.titles.map((t) => t.workId));
    const result: SetIssueResult = { issuedCopies: 0, notIssued: [] };
    for (const title of picture.titles) {
      const shelf = { ...(shelves.get(title.workId) ?? EMPTY_SHELF) };
      const rows: ReturnType<typeof issueRow>[] = [];
      const taken: IssuableCondition[] = [];
      for (const student of picture.students) {
        const missing = Math.max(0, title.copiesPerStudent - heldBy(picture.held, student.id, title.workId));
        const copies = takeCopies(shelf, missing);
        taken.push(...copies);
        rows.push(...copies.map((condition) => issueRow(organisationId, actor, student.id, title.workId, picture.schoolYear, issuedOn, condition)));
        if (copies.length < missing) {
          result.notIssued.push({ readerId: student.id, name: student.name, workId: title.workId, title: title.title, missing: missing - copies.length });
        }
      }
      if (!rows.length) continue;
      await trx.insertInto('textbooks.issues').values(rows).execute();
      await moveOnShelf(trx, organisationId, title.workId, countBy(taken));
      result.issuedCopies += rows.length;
      await registerActivity(trx, organisationId, rows.map((r) => r.reader_id), issuedOn, 'loan');
    }
    await audit(trx, actor, 'issue_set', 'class', `${picture.grade}${picture.classLetter}`, {
      schoolYear: picture.schoolYear,
      issuedCopies: result.issuedCopies,
      notIssued: result.notIssued.length,
    });
    return result;
  });
}

function issueRow(organisationId: number, actor: Actor, readerId: number, workId: number, schoolYear: string, issuedOn: string, condition: IssuableCondition, barcode: string | null = null) {
  return {
    organisation_id: organisationId,
    reader_id: readerId,
    work_id: workId,
    school_year: schoolYear,
    issued_on: issuedOn,
    issued_condition: condition,
    barcode,
    created_by: actor.userId,
  };
}

async function studentOf(db: Executor, organisationId: number, readerId: number) {
  const reader = await db
    .selectFrom('readers.readers')
    .select(['id', 'last_name', 'first_name', 'kind', 'status', 'grade', 'class_letter', 'blocked_at'])
    .where('id', '=', readerId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  if (!reader) throw notFound('reader', readerId);
  return reader;
}

export interface StudentIssueInput {
  schoolYear: string;
  issuedOn?: string;
  /** One entry per copy; a barcode when the school numbers its textbooks. */
  items: { workId: number; barcode?: string | null }[];
}

/** Issues titles to one student (a newcomer, a replacement); all or nothing. */
export async function issueToStudent(db: Executor, actor: Actor, readerId: number, input: StudentIssueInput): Promise<TextbookRecord> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const schoolYear = checkSchoolYear(input.schoolYear);
    const issuedOn = checkDate(input.issuedOn ?? (await libraryToday(trx, organisationId)));
    const reader = await studentOf(trx, organisationId, readerId);
    if (reader.kind !== 'student' || reader.status !== 'active') throw conflict('textbooks.not_active_student', { name: `${reader.last_name} ${reader.first_name}` });
    if (!input.items.length) throw invalid('textbooks.no_lines');
    const titles = await titleMap(trx, input.items.map((i) => i.workId));
    const shelves = await lockShelves(trx, organisationId, [...titles.keys()]);
    for (const item of input.items) {
      const barcode = await freeBarcode(trx, organisationId, item.barcode);
      const shelf = shelves.get(item.workId) ?? { ...EMPTY_SHELF };
      const [condition] = takeCopies(shelf, 1);
      if (!condition) throw conflict('textbooks.out_of_stock', { title: titles.get(item.workId)! });
      shelves.set(item.workId, shelf);
      await trx.insertInto('textbooks.issues').values(issueRow(organisationId, actor, readerId, item.workId, schoolYear, issuedOn, condition, barcode)).execute();
      await moveOnShelf(trx, organisationId, item.workId, { [condition]: -1 });
    }
    await registerActivity(trx, organisationId, readerId, issuedOn, 'loan');
    await audit(trx, actor, 'issue', 'textbook_issue', readerId, { schoolYear, works: input.items.map((i) => i.workId) }, organisationId);
    return studentRecordOf(trx, organisationId, readerId);
  });
}

/** A numbered textbook is with one student at a time; digits only, as the scanner types them. */
async function freeBarcode(db: Executor, organisationId: number, raw: string | null | undefined): Promise<string | null> {
  const barcode = raw?.trim() || null;
  if (barcode === null) return null;
  if (!/^\d+$/.test(barcode)) throw invalid('textbooks.bad_barcode', { barcode });
  const taken = await db
    .selectFrom('textbooks.issues')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('barcode', '=', barcode)
    .where('returned_on', 'is', null)
    .executeTakeFirst();
  if (taken) throw conflict('textbooks.barcode_issued', { barcode });
  return barcode;
}

// ---- Return ----

export interface ReturnItem {
  workId?: number;
  barcode?: string | null;
  condition: Condition;
}

type OpenIssue = { id: number; reader_id: number; work_id: number; barcode: string | null; issued_on: string };

async function openIssuesOf(db: Executor, organisationId: number, readerIds: number[]): Promise<OpenIssue[]> {
  if (!readerIds.length) return [];
  return db
    .selectFrom('textbooks.issues')
    .select(['id', 'reader_id', 'work_id', 'barcode', 'issued_on'])
    .where('organisation_id', '=', organisationId)
    .where('reader_id', 'in', readerIds)
    .where('returned_on', 'is', null)
    .orderBy('issued_on')
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Closes issues with the condition the copies came back in, and puts them on the shelf in that condition. */
async function closeIssues(db: Executor, organisationId: number, closing: { issue: OpenIssue; condition: Condition }[], returnedOn: string) {
  for (const { issue, condition } of closing) {
    if (returnedOn < issue.issued_on) throw invalid('textbooks.return_before_issue', { returnedOn, issuedOn: issue.issued_on });
    await db
      .updateTable('textbooks.issues')
      .set({ returned_on: returnedOn, return_condition: condition })
      .where('id', '=', issue.id)
      .execute();
    await moveOnShelf(db, organisationId, issue.work_id, { [condition]: 1 });
  }
}

/** Picks, for each returned item, one open issue it closes; an item matching nothing was never issued. */
async function matchReturns(db: Executor, open: OpenIssue[], items: (ReturnItem & { readerId: number })[]): Promise<{ issue: OpenIssue; condition: Condition }[]> {
  const left = [...open];
  const matched: { issue: OpenIssue; condition: Condition }[] = [];
  for (const item of items) {
    const barcode = item.barcode?.trim() || null;
    if (barcode === null && item.workId === undefined) throw invalid('textbooks.return_what');
    const index = left.findIndex((i) =>
      i.reader_id === item.readerId && (barcode !== null ? i.barcode === barcode : i.work_id === item.workId),
    );
    if (index < 0) {
      const title = item.workId !== undefined ? (await titleMap(db, [item.workId])).get(item.workId)! : '';
      throw conflict('textbooks.not_issued', { title: title || barcode || '' });
    }
    matched.push({ issue: left.splice(index, 1)[0]!, condition: item.condition });
  }
  return matched;
}

export async function returnFromStudent(
  db: Executor,
  actor: Actor,
  readerId: number,
  input: { returnedOn?: string; items: ReturnItem[] },
): Promise<TextbookRecord> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const returnedOn = checkDate(input.returnedOn ?? (await libraryToday(trx, organisationId)));
    await studentOf(trx, organisationId, readerId);
    if (!input.items.length) throw invalid('textbooks.no_lines');
    const open = await openIssuesOf(trx, organisationId, [readerId]);
    const closing = await matchReturns(trx, open, input.items.map((i) => ({ ...i, readerId })));
    await closeIssues(trx, organisationId, closing, returnedOn);
    await audit(trx, actor, 'return', 'textbook_issue', readerId, { returned: closing.length }, organisationId);
    return studentRecordOf(trx, organisationId, readerId);
  });
}

export interface ClassReturnInput {
  grade: number;
  classLetter: string;
  returnedOn?: string;
  /** The condition of every copy not listed among the exceptions. */
  condition?: Condition;
  exceptions?: { readerId: number; workId: number; condition: Condition }[];
}

/** The May return of a class: everything the class holds comes back, in one condition except the copies listed. */
export async function returnFromClass(db: Executor, actor: Actor, input: ClassReturnInput): Promise<{ returned: number; byCondition: Shelf }> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const { grade, classLetter } = checkClass(input.grade, input.classLetter);
    const returnedOn = checkDate(input.returnedOn ?? (await libraryToday(trx, organisationId)));
    const students = await classStudents(trx, organisationId, grade, classLetter);
    const open = await openIssuesOf(trx, organisationId, students.map((s) => s.id));
    const exceptions = await matchReturns(trx, open, input.exceptions ?? []);
    const excepted = new Set(exceptions.map((e) => e.issue.id));
    const rest = open.filter((i) => !excepted.has(i.id)).map((issue) => ({ issue, condition: input.condition ?? ('good' as Condition) }));
    const closing = [...exceptions, ...rest];
    if (!closing.length) throw conflict('textbooks.class_holds_nothing', { grade, classLetter });
    await closeIssues(trx, organisationId, closing, returnedOn);
    const byCondition = { ...EMPTY_SHELF };
    for (const c of closing) byCondition[c.condition] += 1;
    await audit(trx, actor, 'return_class', 'class', `${grade}${classLetter}`, { returned: closing.length, byCondition });
    return { returned: closing.length, byCondition };
  });
}

// ---- A student's textbook record ----

export interface TextbookRecord {
  readerId: number;
  name: string;
  grade: number | null;
  classLetter: string | null;
  holding: number;
  issues: {
    id: number;
    workId: number;
    title: string;
    schoolYear: string;
    issuedOn: string;
    issuedCondition: IssuableCondition;
    barcode: string | null;
    returnedOn: string | null;
    returnCondition: Condition | null;
  }[];
}

async function studentRecordOf(db: Executor, organisationId: number, readerId: number): Promise<TextbookRecord> {
  const reader = await studentOf(db, organisationId, readerId);
  const rows = await db
    .selectFrom('textbooks.issues as i')
    .innerJoin('catalog.works as w', 'w.id', 'i.work_id')
    .select(['i.id', 'i.work_id', 'w.title', 'i.school_year', 'i.issued_on', 'i.issued_condition', 'i.barcode', 'i.returned_on', 'i.return_condition'])
    .where('i.organisation_id', '=', organisationId)
    .where('i.reader_id', '=', readerId)
    .orderBy('i.school_year', 'desc')
    .orderBy('w.sort_key')
    .orderBy('i.id')
    .execute();
  const issues = rows.map((r) => ({
    id: r.id,
    workId: r.work_id,
    title: r.title,
    schoolYear: r.school_year,
    issuedOn: r.issued_on,
    issuedCondition: r.issued_condition,
    barcode: r.barcode,
    returnedOn: r.returned_on,
    returnCondition: r.return_condition,
  }));
  return {
    readerId: reader.id,
    name: `${reader.last_name} ${reader.first_name}`,
    grade: reader.grade,
    classLetter: reader.class_letter,
    holding: issues.filter((i) => i.returnedOn === null).length,
    issues,
  };
}

/**
 * The record of one student: the library's staff, the class teacher of the student's class,
 * and the student or parent whose account is linked to this reader.
 */
export async function studentRecord(db: Executor, actor: Actor | null, readerId: number): Promise<TextbookRecord> {
  const who = allow(actor, 'libraryMembers');
  const organisationId = libraryOf(who);
  const reader = await studentOf(db, organisationId, readerId);
  const own = belongsTo(who, 'readers') && who.readerId === readerId;
  const ownClass =
    belongsTo(who, 'teachers') && reader.status === 'active' && reader.blocked_at === null && who.classGrade === reader.grade && who.classLetter === reader.class_letter;
  if (!belongsTo(who, 'staff') && !own && !ownClass) throw forbidden();
  return studentRecordOf(db, organisationId, readerId);
}
