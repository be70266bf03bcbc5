import type { Actor } from '../auth/actor.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { subtreeIds } from '../org/organisations.js';
import { allow, assertCanSeeOrganisation, staffLibrary as textbookStaff } from '../auth/guard.js';
import { libraryToday } from '../shared/library-time.js';
import { conflict, invalid } from '../shared/errors.js';
import { checkClass, checkDate, checkSchoolYear } from './access.js';
import { RAID_CONDITIONS, type RaidCondition } from './schema.js';

// ---- The share of pupils holding their complete set ----

export interface SetsTally {
  /** Active pupils of classes whose grade has a textbook list for the year. */
  students: number;
  /** Of them, pupils holding every title of their class's list (as many copies as the list asks). */
  complete: number;
  /** complete / students in per cent, one decimal; null when there are no pupils. */
  sharePercent: number | null;
}

export interface ClassSets extends SetsTally {
  grade: number;
  classLetter: string;
  language: string;
  titles: number;
}

export interface SchoolSets extends SetsTally {
  organisationId: number;
  name: string;
  grades: (SetsTally & { grade: number })[];
  classes: ClassSets[];
}

export interface SetsReport extends SetsTally {
  schoolYear: string;
  schools: SchoolSets[];
}

const share = (complete: number, students: number) => (students ? Math.round((complete / students) * 1000) / 10 : null);
const tally = (students: number, complete: number): SetsTally => ({ students, complete, sharePercent: share(complete, students) });

/** Complete sets of one school's classes, computed from four queries over the school. */
async function schoolSets(db: Executor, organisationId: number, name: string, schoolYear: string): Promise<SchoolSets> {
  const [curriculum, languages, students, issues] = await Promise.all([
    db.selectFrom('textbooks.curriculum').select(['grade', 'language', 'work_id', 'copies_per_student'])
      .where('organisation_id', '=', organisationId).where('school_year', '=', schoolYear).execute(),
    db.selectFrom('textbooks.class_languages').select(['grade', 'class_letter', 'language']).where('organisation_id', '=', organisationId).execute(),
    db.selectFrom('readers.readers').select(['id', 'grade', 'class_letter'])
      .where('organisation_id', '=', organisationId).where('kind', '=', 'student').where('status', '=', 'active')
      .where('grade', 'is not', null).execute(),
    db.selectFrom('textbooks.issues').select(['reader_id', 'work_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('organisation_id', '=', organisationId).where('returned_on', 'is', null).groupBy(['reader_id', 'work_id']).execute(),
  ]);
  const list = new Map<string, { workId: number; copies: number }[]>();
  for (const c of curriculum) {
    const key = `${c.grade}/${c.language}`;
    list.set(key, [...(list.get(key) ?? []), { workId: c.work_id, copies: c.copies_per_student }]);
  }
  const languageOf = new Map(languages.map((l) => [`${l.grade}/${l.class_letter}`, l.language]));
  const held = new Map(issues.map((i) => [`${i.reader_id}/${i.work_id}`, Number(i.n)]));
  const classes = new Map<string, ClassSets>();
  for (const st of students) {
    const letter = st.class_letter ?? '';
    const key = `${st.grade}/${letter}`;
    const language = languageOf.get(key) ?? 'kk';
    const titles = list.get(`${st.grade}/${language}`) ?? [];
    if (!titles.length) continue;
    const cls = classes.get(key) ?? { grade: st.grade!, classLetter: letter, language, titles: titles.length, students: 0, complete: 0, sharePercent: null };
    cls.students += 1;
    if (titles.every((t) => (held.get(`${st.id}/${t.workId}`) ?? 0) >= t.copies)) cls.complete += 1;
    classes.set(key, cls);
  }
  const classList = [...classes.values()]
    .map((c) => ({ ...c, sharePercent: share(c.complete, c.students) }))
    .sort((a, b) => a.grade - b.grade || a.classLetter.localeCompare(b.classLetter, 'kk'));
  const grades = new Map<number, { students: number; complete: number }>();
  for (const c of classList) {
    const g = grades.get(c.grade) ?? { students: 0, complete: 0 };
    g.students += c.students;
    g.complete += c.complete;
    grades.set(c.grade, g);
  }
  const studentsTotal = classList.reduce((s, c) => s + c.students, 0);
  const completeTotal = classList.reduce((s, c) => s + c.complete, 0);
  return {
    organisationId,
    name,
    ...tally(studentsTotal, completeTotal),
    grades: [...grades.entries()].sort(([a], [b]) => a - b).map(([grade, g]) => ({ grade, ...tally(g.students, g.complete) })),
    classes: classList,
  };
}

/**
 * The share of pupils holding their complete set of textbooks, per class, per grade, per school and summed over
 * every school under an organisation (the district's or region's figure is pupils over pupils, not an average of
 * shares). Figures only: no pupil's name leaves the school.
 */
export async function completeSets(db: Executor, actor: Actor | null, input: { schoolYear: string; organisationId?: number }): Promise<SetsReport> {
  const who = allow(actor, 'staffAndOverseers');
  const schoolYear = checkSchoolYear(input.schoolYear);
  const rootId = input.organisationId ?? who.organisationId;
  await assertCanSeeOrganisation(db, who, rootId);
  const ids = await subtreeIds(db, rootId);
  const schools = await db.selectFrom('org.organisations').select(['id', 'name']).where('id', 'in', ids).where('kind', 'in', ['school', 'college'])
    .orderBy('name').execute();
  const result: SchoolSets[] = [];
  for (const s of schools) result.push(await schoolSets(db, s.id, s.name, schoolYear));
  const students = result.reduce((n, s) => n + s.students, 0);
  const complete = result.reduce((n, s) => n + s.complete, 0);
  return { schoolYear, ...tally(students, complete), schools: result };
}

// ---- Class raids ----

export interface RaidLineInput {
  readerId: number;
  workId: number;
  condition: RaidCondition;
  note?: string | null;
}

export interface RaidInput {
  schoolYear: string;
  grade: number;
  classLetter: string;
  raidOn?: string;
  note?: string | null;
  lines: RaidLineInput[];
}

export interface RaidView {
  id: number;
  schoolYear: string;
  grade: number;
  classLetter: string;
  raidOn: string;
  note: string | null;
  counts: Record<RaidCondition, number>;
  lines: { readerId: number; name: string; workId: number; title: string; condition: RaidCondition; note: string | null }[];
}

/**
 * Records a raid on a class: the condition of each copy each pupil holds. Only copies the pupil really holds may be
 * noted, and a class that was given no textbooks has nothing to raid (409, nothing written).
 */
export async function recordRaid(db: Executor, actor: Actor, input: RaidInput): Promise<RaidView> {
  const organisationId = textbookStaff(actor);
  const schoolYear = checkSchoolYear(input.schoolYear);
  const { grade, classLetter } = checkClass(input.grade, input.classLetter);
  const raidOn = input.raidOn ? checkDate(input.raidOn) : await libraryToday(db, organisationId);
  const pupils = await db.selectFrom('readers.readers').select(['id', 'last_name', 'first_name'])
    .where('organisation_id', '=', organisationId).where('kind', '=', 'student').where('status', '=', 'active')
    .where('grade', '=', grade).where('class_letter', '=', classLetter).execute();
  const held = pupils.length
    ? await db.selectFrom('textbooks.issues').select(['reader_id', 'work_id']).where('organisation_id', '=', organisationId)
      .where('returned_on', 'is', null).where('reader_id', 'in', pupils.map((p) => p.id)).execute()
    : [];
  if (!held.length) throw conflict('textbooks.raid_no_issues', { grade, letter: classLetter });
  if (!input.lines.length) throw invalid('textbooks.raid_empty');
  const names = new Map(pupils.map((p) => [p.id, `${p.last_name} ${p.first_name}`]));
  const holds = new Set(held.map((h) => `${h.reader_id}/${h.work_id}`));
  const seen = new Set<string>();
  for (const line of input.lines) {
    if (!(RAID_CONDITIONS as readonly string[]).includes(line.condition)) throw invalid('textbooks.bad_condition', { value: line.condition });
    if (!names.has(line.readerId)) throw invalid('textbooks.raid_not_in_class', { readerId: line.readerId, grade, letter: classLetter });
    const key = `${line.readerId}/${line.workId}`;
    if (!holds.has(key)) throw invalid('textbooks.raid_not_held', { name: names.get(line.readerId)!, workId: line.workId });
    if (seen.has(key)) throw invalid('textbooks.raid_duplicate', { name: names.get(line.readerId)!, workId: line.workId });
    seen.add(key);
  }
  const raid = await db.insertInto('textbooks.raids')
    .values({ organisation_id: organisationId, school_year: schoolYear, grade, class_letter: classLetter, raid_on: raidOn, note: input.note?.trim() || null, created_by: actor.userId })
    .returning('id').executeTakeFirstOrThrow();
  await db.insertInto('textbooks.raid_lines')
    .values(input.lines.map((l) => ({ raid_id: raid.id, reader_id: l.readerId, work_id: l.workId, condition: l.condition, note: l.note?.trim() || null })))
    .execute();
  await audit(db, actor, 'create', 'textbook_raid', raid.id, { schoolYear, grade, classLetter, lines: input.lines.length });
  return getRaid(db, organisationId, raid.id);
}

async function getRaid(db: Executor, organisationId: number, id: number): Promise<RaidView> {
  const raid = await db.selectFrom('textbooks.raids').selectAll().where('id', '=', id).where('organisation_id', '=', organisationId).executeTakeFirstOrThrow();
  const lines = await db.selectFrom('textbooks.raid_lines as l')
    .innerJoin('readers.readers as r', 'r.id', 'l.reader_id')
    .innerJoin('catalog.works as w', 'w.id', 'l.work_id')
    .select(['l.reader_id', 'r.last_name', 'r.first_name', 'l.work_id', 'w.title', 'l.condition', 'l.note'])
    .where('l.raid_id', '=', id)
    .orderBy('r.sort_key').orderBy('w.sort_key')
    .execute();
  const counts = { good: 0, worn: 0, unusable: 0, absent: 0 } as Record<RaidCondition, number>;
  for (const l of lines) counts[l.condition] += 1;
  return {
    id: raid.id,
    schoolYear: raid.school_year,
    grade: raid.grade,
    classLetter: raid.class_letter,
    raidOn: raid.raid_on,
    note: raid.note,
    counts,
    lines: lines.map((l) => ({ readerId: l.reader_id, name: `${l.last_name} ${l.first_name}`, workId: l.work_id, title: l.title, condition: l.condition, note: l.note })),
  };
}

/** The raids of the library, newest first, optionally of one class. */
export async function listRaids(db: Executor, actor: Actor, filter: { grade?: number; classLetter?: string }): Promise<RaidView[]> {
  const organisationId = textbookStaff(actor);
  let q = db.selectFrom('textbooks.raids').select('id').where('organisation_id', '=', organisationId);
  if (filter.grade !== undefined && filter.classLetter) {
    const { grade, classLetter } = checkClass(filter.grade, filter.classLetter);
    q = q.where('grade', '=', grade).where('class_letter', '=', classLetter);
  }
  const rows = await q.orderBy('raid_on', 'desc').orderBy('id', 'desc').limit(100).execute();
  const result: RaidView[] = [];
  for (const r of rows) result.push(await getRaid(db, organisationId, r.id));
  return result;
}
