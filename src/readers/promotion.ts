/**
 * Year-end promotion: every active student moves up one grade with the same letter, and the
 * 11th grade leaves the school. Each run stores the previous values so that it can be undone
 * exactly, latest first.
 */
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { audit } from '../org/audit.js';
import { forgetSessions } from '../auth/session-cache.js';
import type { Executor } from '../db/executor.js';
import { conflict, notFound } from '../shared/errors.js';
import { libraryToday } from '../shared/library-time.js';
import { formatClassName, MAX_GRADE } from './classes.js';
import { classLetterOrder } from './readers.js';
import type { PromotionChange, TeacherClassChange } from './schema.js';
import { inTransaction } from '../db/transaction.js';
import { staffLibrary } from '../auth/guard.js';

export interface ClassMove {
  grade: number;
  classLetter: string | null;
  fromClass: string;
  /** null when the class finishes school. */
  toClass: string | null;
  leaving: boolean;
  count: number;
}

/** A class teacher who goes up with the class, or is left without one when it finishes school. */
export interface TeacherMove {
  userId: number;
  fullName: string;
  fromClass: string;
  toClass: string | null;
}

export interface PromotionPreview {
  date: string;
  classes: ClassMove[];
  promoted: number;
  leaving: number;
  teachers: TeacherMove[];
}

export interface PromotionSummary {
  id: number;
  date: string;
  performedAt: string;
  performedBy: string | null;
  promoted: number;
  leaving: number;
  undoneAt: string | null;
}

/** Active students with a grade: the ones a promotion moves. */
function promotable(db: Executor, organisationId: number) {
  return db
    .selectFrom('readers.readers')
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', 'student')
    .where('status', '=', 'active')
    .where('grade', 'is not', null);
}

export async function previewPromotion(db: Executor, actor: Actor | null, date?: string): Promise<PromotionPreview> {
  const organisationId = staffLibrary(actor);
  date ??= await libraryToday(db, organisationId);
  const rows = await promotable(db, organisationId)
    .select((eb) => ['grade', 'class_letter', eb.fn.countAll<number>().as('count'), sql<number>`min(${classLetterOrder})`.as('letter_order')])
    .groupBy(['grade', 'class_letter'])
    .orderBy('grade')
    .orderBy('letter_order')
    .execute();
  const classes = rows.map((r): ClassMove => {
    const grade = r.grade!;
    const leaving = grade >= MAX_GRADE;
    return {
      grade,
      classLetter: r.class_letter,
      fromClass: formatClassName(grade, r.class_letter)!,
      toClass: leaving ? null : formatClassName(grade + 1, r.class_letter),
      leaving,
      count: Number(r.count),
    };
  });
  const sum = (moves: ClassMove[]) => moves.reduce((n, c) => n + c.count, 0);
  const teachers = (await classTeachers(db, organisationId).select('full_name').execute()).map((u) => ({
    userId: u.id,
    fullName: u.full_name,
    fromClass: formatClassName(u.class_grade, u.class_letter)!,
    toClass: u.class_grade! >= MAX_GRADE ? null : formatClassName(u.class_grade! + 1, u.class_letter),
  }));
  return { date, classes, promoted: sum(classes.filter((c) => !c.leaving)), leaving: sum(classes.filter((c) => c.leaving)), teachers };
}

/** Teachers of the library who lead a class: they go up with it. */
function classTeachers(db: Executor, organisationId: number) {
  return db
    .selectFrom('org.users')
    .select(['id', 'class_grade', 'class_letter'])
    .where('organisation_id', '=', organisationId)
    .where('role', '=', 'teacher')
    .where('class_grade', 'is not', null)
    .orderBy('class_grade')
    .orderBy('id');
}

/** Moves every class up one grade and lets the 11th grade leave on `date`, in one transaction with its audit line. */
export async function performPromotion(db: Executor, actor: Actor | null, date?: string): Promise<PromotionSummary> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    date ??= await libraryToday(trx, organisationId);
    const readers = await promotable(trx, organisationId)
      .select(['id', 'grade', 'class_letter', 'status', 'left_on'])
      .orderBy('id')
      .forUpdate()
      .execute();
    if (readers.length === 0) throw conflict('readers.promotion.nothing_to_promote');
    await refuseSecondPromotionOfYear(trx, organisationId, date);

    const changes: PromotionChange[] = readers.map((r) => ({
      readerId: r.id,
      grade: r.grade,
      classLetter: r.class_letter,
      status: r.status,
      leftOn: r.left_on,
    }));
    const leavingIds = readers.filter((r) => r.grade! >= MAX_GRADE).map((r) => r.id);
    const promotedIds = readers.filter((r) => r.grade! < MAX_GRADE).map((r) => r.id);
    const now = new Date();
    if (promotedIds.length) {
      await trx
        .updateTable('readers.readers')
        .set((eb) => ({ grade: eb('grade', '+', 1), updated_at: now }))
        .where('id', 'in', promotedIds)
        .execute();
    }
    if (leavingIds.length) {
      await trx
        .updateTable('readers.readers')
        .set({ status: 'left', left_on: date, updated_at: now })
        .where('id', 'in', leavingIds)
        .execute();
    }
    const teachers = await classTeachers(trx, organisationId).forUpdate().execute();
    const teacherChanges: TeacherClassChange[] = teachers.map((u) => ({ userId: u.id, classGrade: u.class_grade!, classLetter: u.class_letter }));
    const movingTeachers = teachers.filter((u) => u.class_grade! < MAX_GRADE).map((u) => u.id);
    const graduatedTeachers = teachers.filter((u) => u.class_grade! >= MAX_GRADE).map((u) => u.id);
    if (movingTeachers.length) {
      await trx.updateTable('org.users').set((eb) => ({ class_grade: eb('class_grade', '+', 1) })).where('id', 'in', movingTeachers).execute();
    }
    if (graduatedTeachers.length) {
      await trx.updateTable('org.users').set({ class_grade: null, class_letter: null }).where('id', 'in', graduatedTeachers).execute();
    }
    if (teachers.length) forgetSessions();
    const promotion = await trx
      .insertInto('readers.promotions')
      .values({
        organisation_id: organisationId,
        performed_by: actor!.userId,
        promoted_on: date,
        changes: JSON.stringify(changes),
        teacher_changes: JSON.stringify(teacherChanges),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, actor, 'promote', 'promotion', promotion.id, {
      date,
      promoted: promotedIds.length,
      leaving: leavingIds.length,
      teachers: teacherChanges.length,
    });
    return promotionSummary(trx, organisationId, promotion.id);
  });
}

/** The school year (September to August) a date belongs to, named by the year it starts in. */
export function schoolYearOf(date: string): number {
  const [year, month] = date.split('-').map(Number) as [number, number];
  return month >= 9 ? year : year - 1;
}

/**
 * One promotion per school year: a second click on «perform» would move every child up twice.
 * Runs after the readers are locked, so a concurrent second promotion waits and then sees the first.
 */
async function refuseSecondPromotionOfYear(db: Executor, organisationId: number, date: string) {
  const start = `${schoolYearOf(date)}-09-01`;
  const end = `${schoolYearOf(date) + 1}-08-31`;
  const done = await db
    .selectFrom('readers.promotions')
    .select(['id', 'promoted_on'])
    .where('organisation_id', '=', organisationId)
    .where('undone_at', 'is', null)
    .where('promoted_on', '>=', start)
    .where('promoted_on', '<=', end)
    .executeTakeFirst();
  if (done) throw conflict('readers.promotion.already_this_year', { id: done.id, date: done.promoted_on });
}

/**
 * Puts back grade, letter, status and leaving date of every reader the promotion moved.
 * Only the library's latest promotion that is still in force can be undone, so that
 * undoing never mixes two years.
 */
export async function undoPromotion(db: Executor, actor: Actor | null, id: number): Promise<PromotionSummary> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const promotion = await trx
      .selectFrom('readers.promotions')
      .selectAll()
      .where('id', '=', id)
      .where('organisation_id', '=', organisationId)
      .forUpdate()
      .executeTakeFirst();
    if (!promotion) throw notFound('promotion', id);
    if (promotion.undone_at) throw conflict('readers.promotion.already_undone');
    const later = await trx
      .selectFrom('readers.promotions')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('undone_at', 'is', null)
      .where('id', '>', id)
      .executeTakeFirst();
    if (later) throw conflict('readers.promotion.not_latest', { id: later.id });

    const now = new Date();
    // one statement for the whole school: a promotion moves a thousand readers at once
    if (promotion.changes.length) {
      await sql`
        UPDATE readers.readers r
           SET grade = c.grade, class_letter = c."classLetter", status = c.status, left_on = c."leftOn", updated_at = ${now}
          FROM jsonb_to_recordset(${JSON.stringify(promotion.changes)}::jsonb)
               AS c("readerId" int, grade smallint, "classLetter" text, status text, "leftOn" date)
         WHERE r.id = c."readerId" AND r.organisation_id = ${organisationId}`.execute(trx);
    }
    if (promotion.teacher_changes.length) {
      await sql`
        UPDATE org.users u
           SET class_grade = c."classGrade", class_letter = c."classLetter"
          FROM jsonb_to_recordset(${JSON.stringify(promotion.teacher_changes)}::jsonb)
               AS c("userId" int, "classGrade" smallint, "classLetter" text)
         WHERE u.id = c."userId" AND u.organisation_id = ${organisationId} AND u.role = 'teacher'`.execute(trx);
    }
    await trx.updateTable('readers.promotions').set({ undone_at: now }).where('id', '=', id).execute();
    await audit(trx, actor, 'undo', 'promotion', id, { readers: promotion.changes.length });
    return promotionSummary(trx, organisationId, id);
  });
}

function promotionsOf(db: Executor, organisationId: number) {
  return db.selectFrom('readers.promotions as p').where('p.organisation_id', '=', organisationId);
}

function summaries(db: Executor, organisationId: number) {
  return promotionsOf(db, organisationId)
    .leftJoin('org.users as u', 'u.id', 'p.performed_by')
    .select(['p.id', 'p.promoted_on', 'p.performed_at', 'p.undone_at', 'p.changes', 'u.full_name']);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>['execute']>>[number];

function toSummary(r: SummaryRow): PromotionSummary {
  const leaving = r.changes.filter((c) => c.grade !== null && c.grade >= MAX_GRADE).length;
  return {
    id: r.id,
    date: r.promoted_on,
    performedAt: new Date(r.performed_at).toISOString(),
    performedBy: r.full_name,
    promoted: r.changes.length - leaving,
    leaving,
    undoneAt: r.undone_at ? new Date(r.undone_at).toISOString() : null,
  };
}

async function promotionSummary(db: Executor, organisationId: number, id: number): Promise<PromotionSummary> {
  return toSummary(await summaries(db, organisationId).where('p.id', '=', id).executeTakeFirstOrThrow());
}

/** The library's promotions, newest first. */
export async function listPromotions(
  db: Executor,
  actor: Actor | null,
  page: { limit?: number; offset?: number } = {},
): Promise<{ items: PromotionSummary[]; total: number }> {
  const organisationId = staffLibrary(actor);
  const { total } = await promotionsOf(db, organisationId)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await summaries(db, organisationId)
    .orderBy('p.id', 'desc')
    .limit(page.limit ?? 50)
    .offset(page.offset ?? 0)
    .execute();
  return { items: rows.map(toSummary), total: Number(total) };
}
