import type { Actor } from '../auth/actor.js';
import { allow, belongsTo } from '../auth/guard.js';
import type { Executor } from '../db/executor.js';
import type { Locale } from '../org/schema.js';
import { readersWithConsent } from '../readers/consent.js';
import { libraryToday } from '../shared/library-time.js';
import { memberLibrary, ownReaderOf, readingStaff, resolvePeriod } from './access.js';
import { myChallenges } from './challenges.js';
import { getContest } from './community.js';
import { certificatesPdf, diplomasPdf } from './documents.js';
import { myRecords } from './records.js';
import { classStandings, readerProgress, readerStandings, seesAllNames, YEAR_GOAL } from './standings.js';

/**
 * The views of the reading movement composed from records, challenges and standings: what a pupil,
 * a class teacher and the 100-books page show, and the certificates and diplomas printed from them.
 */

type PeriodQuery = { year?: number; schoolYear?: string };

async function libraryName(db: Executor, id: number): Promise<string> {
  return (await db.selectFrom('org.organisations').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;
}

/** A pupil's (or parent's) own reading: progress toward 100 books, the records, the challenges and the class's standing. */
export async function myReading(db: Executor, actor: Actor | null, schoolYear?: string) {
  const own = ownReaderOf(actor);
  const p = await resolvePeriod(db, own.library, { schoolYear });
  const reader = await db.selectFrom('readers.readers').select(['grade', 'class_letter']).where('id', '=', own.readerId).executeTakeFirst();
  const all = await classStandings(db, [own.library], p);
  const mine = reader?.grade != null ? (all.find((c) => c.grade === reader.grade && (c.classLetter ?? null) === (reader.class_letter ?? null)) ?? null) : null;
  return {
    period: p,
    progress: await readerProgress(db, own.library, own.readerId, p),
    records: await myRecords(db, actor, p.kind === 'school_year' ? p.label : undefined),
    challenges: await myChallenges(db, actor),
    classStanding: mine,
    classes: all.length,
  };
}

/** Who reached 100 books in the period and the leaders; a class teacher sees the own class, with every name. */
export async function hundredBooks(db: Executor, actor: Actor | null, query: PeriodQuery) {
  const who = allow(actor, 'staffAndTeachers');
  const p = await resolvePeriod(db, who.organisationId, query);
  const teacher = belongsTo(who, 'teachers');
  const cls = teacher ? { grade: who.classGrade ?? -1, classLetter: who.classLetter } : {};
  const options = { ...cls, showAllNames: seesAllNames(who) || teacher };
  return {
    goal: YEAR_GOAL,
    period: p,
    reached: await readerStandings(db, [who.organisationId], p, { ...options, minBooks: YEAR_GOAL, limit: 1000 }),
    leaders: await readerStandings(db, [who.organisationId], p, { ...options, limit: 50 }),
  };
}

/** The certificates of those who read 100 books in the period (names only with consent). */
export async function hundredCertificates(db: Executor, actor: Actor | null, query: PeriodQuery & { lang: Locale }) {
  const library = readingStaff(actor);
  const p = await resolvePeriod(db, library, query);
  const reached = await readerStandings(db, [library], p, { minBooks: YEAR_GOAL, limit: 1000, showAllNames: false, kinds: ['student', 'teacher', 'staff', 'parent', 'other'] });
  const pdf = await certificatesPdf({ locale: query.lang, libraryName: await libraryName(db, library), period: p.label, issuedOn: await libraryToday(db, library), readers: reached });
  return { label: p.label, pdf };
}

/** The best reader of every class of the actor's library, in class order. */
export async function bestReaderOfEachClass(db: Executor, actor: Actor | null, query: PeriodQuery) {
  const library = memberLibrary(actor);
  const p = await resolvePeriod(db, library, query);
  const all = await readerStandings(db, [library], p, { limit: 100000, showAllNames: seesAllNames(actor!) });
  const seen = new Set<string>();
  const items = all.filter((r) => r.className !== null && !seen.has(r.className) && seen.add(r.className) !== undefined);
  items.sort((a, b) => (a.className ?? '').localeCompare(b.className ?? '', 'kk', { numeric: true }));
  return { period: p, items };
}

/** The diplomas of a contest's winners and nominees (names only with consent). */
export async function contestDiplomas(db: Executor, actor: Actor | null, contestId: number, locale: Locale) {
  const library = readingStaff(actor);
  const c = await getContest(db, library, contestId);
  const honoured = c.entrants.filter((e) => e.place !== null || e.nomination);
  const allowed = await readersWithConsent(
    db,
    library,
    honoured.map((e) => e.readerId),
    'public_name',
  );
  const pdf = await diplomasPdf({
    locale,
    libraryName: await libraryName(db, library),
    contestName: c.name,
    issuedOn: c.endsOn,
    entrants: honoured.map((e) => ({ name: allowed.has(e.readerId) ? e.name : null, className: e.className, place: e.place, nomination: e.nomination })),
  });
  return { id: c.id, pdf };
}

/** A class teacher's class: its standing among the school's classes and its pupils' reading. */
export async function teacherClass(db: Executor, actor: Actor | null, query: PeriodQuery) {
  const teacher = allow(actor, 'teachers');
  const p = await resolvePeriod(db, teacher.organisationId, query);
  const classes = await classStandings(db, [teacher.organisationId], p);
  if (teacher.classGrade === null) return { period: p, className: null, standing: null, classes, pupils: [] };
  const standing = classes.find((c) => c.grade === teacher.classGrade && (c.classLetter ?? null) === (teacher.classLetter ?? null)) ?? null;
  const pupils = await readerStandings(db, [teacher.organisationId], p, { grade: teacher.classGrade, classLetter: teacher.classLetter, minBooks: 0, limit: 100, showAllNames: true });
  return { period: p, className: `${teacher.classGrade}${teacher.classLetter ?? ''}`, standing, classes, pupils };
}
