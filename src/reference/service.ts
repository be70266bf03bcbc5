import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { allow, belongsTo, libraryOf } from '../auth/guard.js';
import type { Executor } from '../db/executor.js';
import { auditedChange, inTransaction } from '../db/transaction.js';
import { invalid, notFound } from '../shared/errors.js';
import { libraryToday, now } from '../shared/library-time.js';
import type { Language, ReaderGroup, ReferenceKind, UnmetStatus } from './schema.js';

/** Librarians and admins keep the reference service of their library. */
export function referenceStaff(actor: Actor | null | undefined): { who: Actor; org: number } {
  const who = allow(actor, 'staff');
  return { who, org: libraryOf(who) };
}

export function checkDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.getUTCDate() !== Number(m[3]) || d.getUTCMonth() !== Number(m[2]) - 1) throw invalid('reference.bad_date', { value });
  return value;
}

const trimmed = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);

// ---- the reference log ----

export interface RequestInput {
  askedOn: string;
  kind: ReferenceKind;
  question: string;
  answer?: string | null;
  readerGroup: ReaderGroup;
  language: Language;
  virtual?: boolean;
}

export async function logRequest(db: Executor, actor: Actor, input: RequestInput, questionId: number | null = null): Promise<number> {
  const { who, org } = referenceStaff(actor);
  const question = input.question.trim();
  if (!question) throw invalid('reference.question_missing');
  checkDate(input.askedOn);
  return auditedChange(
    db,
    who,
    (id: number) => ({ action: 'create', entity: 'reference_request', entityId: id, details: { kind: input.kind } }),
    async (trx) =>
      Number(
        (
          await trx
            .insertInto('reference.requests')
            .values({
              organisation_id: org,
              asked_on: input.askedOn,
              kind: input.kind,
              question,
              answer: trimmed(input.answer),
              reader_group: input.readerGroup,
              language: input.language,
              virtual: input.virtual ?? false,
              question_id: questionId,
              created_by: who.userId,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      ),
  );
}

export async function listRequests(db: Executor, actor: Actor, q: { from?: string; to?: string; kind?: ReferenceKind }) {
  const { org } = referenceStaff(actor);
  let query = db.selectFrom('reference.requests').selectAll().where('organisation_id', '=', org);
  if (q.from) query = query.where('asked_on', '>=', checkDate(q.from));
  if (q.to) query = query.where('asked_on', '<=', checkDate(q.to));
  if (q.kind) query = query.where('kind', '=', q.kind);
  const rows = await query.orderBy('asked_on', 'desc').orderBy('id', 'desc').limit(2000).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    askedOn: r.asked_on,
    kind: r.kind,
    question: r.question,
    answer: r.answer,
    readerGroup: r.reader_group,
    language: r.language,
    virtual: r.virtual,
  }));
}

export async function deleteRequest(db: Executor, actor: Actor, id: number): Promise<void> {
  const { who, org } = referenceStaff(actor);
  const row = await db.selectFrom('reference.requests').select('id').where('id', '=', id).where('organisation_id', '=', org).executeTakeFirst();
  if (!row) throw notFound('reference_request', id);
  await auditedChange(db, who, { action: 'delete', entity: 'reference_request', entityId: id }, async (trx) => {
    await trx.deleteFrom('reference.requests').where('id', '=', id).execute();
  });
}

// ---- "ask the librarian" ----

/** A pupil or parent asks the library a question from the web. */
export async function askLibrarian(db: Executor, actor: Actor, question: string): Promise<number> {
  const who = allow(actor, 'readersAndTeachers');
  const text = question.trim();
  if (!text) throw invalid('reference.question_missing');
  const open = await db
    .selectFrom('reference.questions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('asked_by', '=', who.userId)
    .where('answer', 'is', null)
    .executeTakeFirstOrThrow();
  if (Number(open.n) >= 10) throw invalid('reference.too_many_open');
  return auditedChange(
    db,
    who,
    (id: number) => ({ action: 'create', entity: 'reference_question', entityId: id }),
    async (trx) =>
      Number((await trx.insertInto('reference.questions').values({ organisation_id: who.organisationId, asked_by: who.userId, question: text }).returning('id').executeTakeFirstOrThrow()).id),
  );
}

/** A pupil's or parent's own questions with their answers. */
export async function myQuestions(db: Executor, actor: Actor) {
  const who = allow(actor, 'readersAndTeachers');
  const rows = await db.selectFrom('reference.questions').selectAll().where('asked_by', '=', who.userId).orderBy('asked_at', 'desc').limit(200).execute();
  return rows.map((r) => ({ id: Number(r.id), askedAt: new Date(r.asked_at).toISOString(), question: r.question, answer: r.answer, answeredAt: r.answered_at ? new Date(r.answered_at).toISOString() : null }));
}

function groupOf(role: string, grade: number | null): ReaderGroup {
  if (role === 'parent') return 'parents';
  if (role === 'teacher') return 'teachers';
  if (grade === null) return 'others';
  return grade <= 4 ? '1-4' : grade <= 9 ? '5-9' : '10-11';
}

/** The library's questions, unanswered first. */
export async function libraryQuestions(db: Executor, actor: Actor) {
  const { org } = referenceStaff(actor);
  const rows = await db
    .selectFrom('reference.questions as q')
    .innerJoin('org.users as u', 'u.id', 'q.asked_by')
    .leftJoin('readers.readers as r', 'r.id', 'u.reader_id')
    .select(['q.id', 'q.asked_at', 'q.question', 'q.answer', 'q.answered_at', 'u.role', 'r.grade', 'r.class_letter'])
    .where('q.organisation_id', '=', org)
    .orderBy(sql`q.answer is null`, 'desc')
    .orderBy('q.asked_at', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    askedAt: new Date(r.asked_at).toISOString(),
    question: r.question,
    answer: r.answer,
    answeredAt: r.answered_at ? new Date(r.answered_at).toISOString() : null,
    readerGroup: groupOf(r.role, r.grade ?? null),
    // who asked is shown by group and class only, never by name
    className: r.grade !== null && r.grade !== undefined ? `${r.grade} ${r.class_letter ?? ''}`.trim() : null,
  }));
}

/** The librarian's answer: the question becomes a virtual reference in the log. */
export async function answerQuestion(db: Executor, actor: Actor, id: number, input: { answer: string; kind: ReferenceKind; language: Language }): Promise<void> {
  const { who, org } = referenceStaff(actor);
  const answer = input.answer.trim();
  if (!answer) throw invalid('reference.answer_missing');
  const q = (await libraryQuestions(db, who)).find((x) => x.id === id);
  if (!q) throw notFound('reference_question', id);
  const today = await libraryToday(db, org);
  await auditedChange(db, who, { action: 'answer', entity: 'reference_question', entityId: id }, async (trx) => {
    await trx.updateTable('reference.questions').set({ answer, answered_by: who.userId, answered_at: now() }).where('id', '=', id).execute();
    if (q.answer === null) {
      await trx
        .insertInto('reference.requests')
        .values({ organisation_id: org, asked_on: today, kind: input.kind, question: q.question, answer, reader_group: q.readerGroup, language: input.language, virtual: true, question_id: id, created_by: who.userId })
        .execute();
    }
  });
}

// ---- unmet requests ----

export interface UnmetInput {
  notedOn?: string;
  source: 'desk' | 'search' | 'question';
  title: string;
  author?: string | null;
  readerGroup?: ReaderGroup | null;
  note?: string | null;
}

/** A request the library could not meet; the same title asked again counts once more. */
export async function logUnmet(db: Executor, actor: Actor, input: UnmetInput): Promise<number> {
  const { who, org } = referenceStaff(actor);
  const title = input.title.trim();
  if (!title) throw invalid('reference.title_missing');
  const notedOn = input.notedOn ? checkDate(input.notedOn) : await libraryToday(db, org);
  return auditedChange(
    db,
    who,
    (id: number) => ({ action: 'create', entity: 'unmet_request', entityId: id, details: { title } }),
    (trx) => countUnmet(trx, org, notedOn, { ...input, title }),
  );
}

/** The open request for this title (and author) counted once more, or a new one. */
async function countUnmet(trx: Executor, org: number, notedOn: string, input: UnmetInput): Promise<number> {
  const author = trimmed(input.author);
  const same = await trx
    .selectFrom('reference.unmet')
    .select('id')
    .where('organisation_id', '=', org)
    .where('status', 'in', ['open', 'to_purchase'])
    .where(sql<boolean>`lower(title) = lower(${input.title})`)
    .where(sql<boolean>`coalesce(lower(author), '') = lower(${author ?? ''})`)
    .executeTakeFirst();
  if (same) {
    await trx.updateTable('reference.unmet').set((eb) => ({ times: eb('times', '+', 1), noted_on: notedOn })).where('id', '=', same.id).execute();
    return Number(same.id);
  }
  const row = await trx
    .insertInto('reference.unmet')
    .values({ organisation_id: org, noted_on: notedOn, source: input.source, title: input.title, author, reader_group: input.readerGroup ?? null, note: trimmed(input.note) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Shorter searches are fragments of a word, not a book someone asked for. */
const NOTED_SEARCH_CHARS = { min: 3, max: 200 };

/** The reader group a searching account belongs to, when the account says it (a pupil's class). */
function searcherGroup(actor: Actor): ReaderGroup | null {
  if (actor.role === 'parent') return 'parents';
  if (actor.role === 'teacher') return 'teachers';
  if (actor.role !== 'student' || actor.classGrade === null) return null;
  return actor.classGrade <= 4 ? '1-4' : actor.classGrade <= 9 ? '5-9' : '10-11';
}

/**
 * A catalogue search that someone of a library submitted and that found nothing: the library lacks what
 * was asked for, so it joins the unmet requests (source 'search') the librarian reviews for the purchase
 * plan. Only the words and a reader group are kept — never who searched. Not an audited change: it is a log.
 */
export async function noteEmptySearch(db: Executor, actor: Actor, words: string): Promise<number | null> {
  const title = words.replace(/\s+/g, ' ').trim();
  if (title.length < NOTED_SEARCH_CHARS.min || title.length > NOTED_SEARCH_CHARS.max) return null;
  // the library's own people; an admin or a methodologist searching is not a reader asking
  if (belongsTo(actor, 'overseers')) return null;
  const org = actor.organisationId;
  const notedOn = await libraryToday(db, org);
  return inTransaction(db, (trx) => countUnmet(trx, org, notedOn, { source: 'search', title, readerGroup: searcherGroup(actor) }));
}

/** The requests the librarian put into the purchase plan, most asked first (no reader is named in them). */
export async function unmetToPurchase(db: Executor, organisationId: number) {
  const rows = await db
    .selectFrom('reference.unmet')
    .select(['id', 'title', 'author', 'times', 'source'])
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'to_purchase')
    .orderBy('times', 'desc')
    .orderBy('title')
    .limit(1000)
    .execute();
  return rows.map((r) => ({ unmetId: Number(r.id), title: r.title, author: r.author, times: r.times, source: r.source }));
}

export async function listUnmet(db: Executor, actor: Actor, status?: UnmetStatus) {
  const { org } = referenceStaff(actor);
  let q = db.selectFrom('reference.unmet').selectAll().where('organisation_id', '=', org);
  if (status) q = q.where('status', '=', status);
  const rows = await q.orderBy('times', 'desc').orderBy('noted_on', 'desc').limit(1000).execute();
  return rows.map((r) => ({ id: Number(r.id), notedOn: r.noted_on, source: r.source, title: r.title, author: r.author, readerGroup: r.reader_group, times: r.times, status: r.status, note: r.note }));
}

/** Moves an unmet request on: into the purchase plan ('to_purchase'), met, or declined. */
export async function setUnmetStatus(db: Executor, actor: Actor, id: number, status: UnmetStatus): Promise<void> {
  const { who, org } = referenceStaff(actor);
  const row = await db.selectFrom('reference.unmet').select('id').where('id', '=', id).where('organisation_id', '=', org).executeTakeFirst();
  if (!row) throw notFound('unmet_request', id);
  await auditedChange(db, who, { action: 'update', entity: 'unmet_request', entityId: id, details: { status } }, async (trx) => {
    await trx.updateTable('reference.unmet').set({ status }).where('id', '=', id).execute();
  });
}
