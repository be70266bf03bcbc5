import { belongsTo } from '../auth/guard.js';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { foldForSearch } from '../catalog/folding.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { formatClassName } from '../readers/classes.js';
import { AppError, conflict, forbidden, invalid, isUniqueViolation, unauthorised } from '../shared/errors.js';
import { libraryToday, localDate, organisationTimeZone, schoolYearOf } from '../shared/library-time.js';
import { ownReaderOf, readingStaff } from './access.js';
import type { RecordSource, RecordStatus } from './schema.js';

/** One book a reader read, as pages and the API show it. */
export interface ReadingRecord {
  id: number;
  readerId: number;
  readerName: string;
  className: string | null;
  workId: number | null;
  title: string;
  author: string | null;
  source: RecordSource;
  loanId: number | null;
  readOn: string;
  schoolYear: string;
  pages: number | null;
  minutes: number | null;
  note: string | null;
  status: RecordStatus;
  confirmedAt: string | null;
}

export interface RecordDetails {
  pages?: number | null;
  minutes?: number | null;
  note?: string | null;
}

/** The key under which a book counts once per reader per year: the work, or its folded title and author. */
export function bookKey(workId: number | null, title: string, author: string | null): string {
  if (workId !== null) return `w${workId}`;
  return `t:${foldForSearch(title)}|${foldForSearch(author ?? '')}`;
}

const recordColumns = [
  'rr.id',
  'rr.reader_id',
  'rr.work_id',
  'rr.title',
  'rr.author',
  'rr.source',
  'rr.loan_id',
  'rr.read_on',
  'rr.school_year',
  'rr.pages',
  'rr.minutes',
  'rr.note',
  'rr.status',
  'rr.confirmed_at',
  'r.last_name',
  'r.first_name',
  'r.grade',
  'r.class_letter',
] as const;

function recordsQuery(db: Executor, organisationId: number) {
  return db
    .selectFrom('reading.records as rr')
    .innerJoin('readers.readers as r', 'r.id', 'rr.reader_id')
    .select([...recordColumns])
    .where('rr.organisation_id', '=', organisationId);
}

type RecordRow = Awaited<ReturnType<ReturnType<typeof recordsQuery>['execute']>>[number];

function toRecord(row: RecordRow): ReadingRecord {
  return {
    id: row.id,
    readerId: row.reader_id,
    readerName: `${row.last_name} ${row.first_name}`,
    className: formatClassName(row.grade, row.class_letter),
    workId: row.work_id,
    title: row.title,
    author: row.author,
    source: row.source,
    loanId: row.loan_id,
    readOn: row.read_on,
    schoolYear: row.school_year,
    pages: row.pages,
    minutes: row.minutes,
    note: row.note,
    status: row.status,
    confirmedAt: row.confirmed_at ? new Date(row.confirmed_at).toISOString() : null,
  };
}

async function readerOfLibrary(db: Executor, organisationId: number, readerId: number) {
  const reader = await db
    .selectFrom('readers.readers')
    .select(['id', 'kind', 'status', 'grade', 'class_letter', 'blocked_at'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', readerId)
    .executeTakeFirst();
  if (!reader) throw new AppError('reading.reader_not_found', 404, { id: readerId });
  return reader;
}

async function workOf(db: Executor, workId: number): Promise<{ title: string; author: string | null }> {
  const work = await db.selectFrom('catalog.works').select('title').where('id', '=', workId).executeTakeFirst();
  if (!work) throw new AppError('reading.work_not_found', 404, { id: workId });
  const authors = await db
    .selectFrom('catalog.work_authors as wa')
    .innerJoin('catalog.authors as a', 'a.id', 'wa.author_id')
    .select('a.name')
    .where('wa.work_id', '=', workId)
    .orderBy('wa.position')
    .execute();
  return { title: work.title, author: authors.length ? authors.map((a) => a.name).join(', ') : null };
}

async function checkReadOn(db: Executor, organisationId: number, readOn: string): Promise<void> {
  const today = await libraryToday(db, organisationId);
  if (readOn > today) throw invalid('reading.date_in_future', { date: readOn });
}

interface NewRecord extends RecordDetails {
  organisationId: number;
  readerId: number;
  workId: number | null;
  title: string;
  author: string | null;
  source: RecordSource;
  loanId: number | null;
  readOn: string;
  status: RecordStatus;
}

async function insertRecord(db: Executor, actor: Actor, input: NewRecord): Promise<number> {
  const confirmed = input.status === 'confirmed';
  const schoolYear = schoolYearOf(input.readOn);
  try {
    return await auditedChange(
      db,
      actor,
      (id: number) => ({
        action: 'create',
        entity: 'reading_record',
        entityId: id,
        details: { readerId: input.readerId, title: input.title, source: input.source, status: input.status },
        organisationId: input.organisationId,
      }),
      async (trx) => {
        const row = await trx
          .insertInto('reading.records')
          .values({
            organisation_id: input.organisationId,
            reader_id: input.readerId,
            work_id: input.workId,
            title: input.title,
            author: input.author,
            book_key: bookKey(input.workId, input.title, input.author),
            source: input.source,
            loan_id: input.loanId,
            read_on: input.readOn,
            school_year: schoolYear,
            pages: input.pages ?? null,
            minutes: input.minutes ?? null,
            note: input.note?.trim() || null,
            status: input.status,
            reported_by: actor.userId,
            confirmed_by: confirmed ? actor.userId : null,
            confirmed_at: confirmed ? new Date() : null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return row.id;
      },
    );
  } catch (err) {
    if (isUniqueViolation(err, 'records_loan_uq')) throw conflict('reading.loan_already_recorded', { loanId: input.loanId ?? '' });
    if (isUniqueViolation(err)) throw conflict('reading.already_counted', { title: input.title, schoolYear });
    throw err;
  }
}

export async function getRecord(db: Executor, organisationId: number, id: number): Promise<ReadingRecord> {
  const row = await recordsQuery(db, organisationId).where('rr.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('reading.record_not_found', 404, { id });
  return toRecord(row);
}

/** One click at the desk's return, or later from the reader's history: the returned loan's book was read. */
export async function recordFromLoan(db: Executor, actor: Actor | null, input: { loanId: number } & RecordDetails): Promise<ReadingRecord> {
  const library = readingStaff(actor);
  const loan = await db
    .selectFrom('circulation.loans as l')
    .innerJoin('fund.copies as c', 'c.id', 'l.copy_id')
    .select(['l.id', 'l.reader_id', 'l.returned_at', 'c.work_id'])
    .where('l.organisation_id', '=', library)
    .where('l.id', '=', input.loanId)
    .executeTakeFirst();
  if (!loan) throw new AppError('reading.loan_not_found', 404, { id: input.loanId });
  if (!loan.returned_at) throw conflict('reading.loan_not_returned', { id: input.loanId });
  const recorded = await db.selectFrom('reading.records').select('id').where('loan_id', '=', loan.id).executeTakeFirst();
  if (recorded) throw conflict('reading.loan_already_recorded', { loanId: loan.id });
  const work = await workOf(db, loan.work_id);
  const readOn = localDate(await organisationTimeZone(db, library), new Date(loan.returned_at));
  const id = await insertRecord(db, actor!, {
    ...input,
    organisationId: library,
    readerId: loan.reader_id,
    workId: loan.work_id,
    title: work.title,
    author: work.author,
    source: 'loan',
    loanId: loan.id,
    readOn,
    status: 'confirmed',
  });
  return getRecord(db, library, id);
}

export interface BookInput extends RecordDetails {
  workId?: number | null;
  title?: string | null;
  author?: string | null;
  readOn?: string;
}

async function bookOf(db: Executor, input: BookInput): Promise<{ workId: number | null; title: string; author: string | null }> {
  if (input.workId) return { workId: input.workId, ...(await workOf(db, input.workId)) };
  const title = input.title?.trim();
  if (!title) throw invalid('reading.book_missing');
  return { workId: null, title, author: input.author?.trim() || null };
}

/** A book read in the reading room (or any book the librarian saw read): confirmed at once. */
export async function recordReadingRoom(db: Executor, actor: Actor | null, input: BookInput & { readerId: number }): Promise<ReadingRecord> {
  const library = readingStaff(actor);
  await readerOfLibrary(db, library, input.readerId);
  const book = await bookOf(db, input);
  const readOn = input.readOn ?? (await libraryToday(db, library));
  await checkReadOn(db, library, readOn);
  const id = await insertRecord(db, actor!, {
    ...input,
    ...book,
    organisationId: library,
    readerId: input.readerId,
    source: 'reading_room',
    loanId: null,
    readOn,
    status: 'confirmed',
  });
  return getRecord(db, library, id);
}

/** A pupil or parent says a book was read; it counts once the librarian stamps it. */
export async function reportOwnReading(db: Executor, actor: Actor | null, input: BookInput): Promise<ReadingRecord> {
  const { library, readerId } = ownReaderOf(actor);
  const book = await bookOf(db, input);
  const readOn = input.readOn ?? (await libraryToday(db, library));
  await checkReadOn(db, library, readOn);
  const id = await insertRecord(db, actor!, {
    ...input,
    ...book,
    organisationId: library,
    readerId,
    source: 'self',
    loanId: null,
    readOn,
    status: 'pending',
  });
  return getRecord(db, library, id);
}

/** The librarian's stamp: a self-report is confirmed (or rejected) by a librarian of the reader's own library. */
export async function decideRecord(db: Executor, actor: Actor | null, id: number, decision: 'confirmed' | 'rejected'): Promise<ReadingRecord> {
  const library = readingStaff(actor);
  const record = await getRecord(db, library, id);
  if (record.status !== 'pending') throw conflict('reading.record_decided', { id });
  await auditedChange(
    db,
    actor,
    decision === 'confirmed'
      ? { action: 'confirm', entity: 'reading_record', entityId: id, details: { readerId: record.readerId, title: record.title }, organisationId: library }
      : { action: 'reject', entity: 'reading_record', entityId: id, details: { readerId: record.readerId, title: record.title }, organisationId: library },
    async (trx) => {
      await trx
        .updateTable('reading.records')
        .set({ status: decision, confirmed_by: actor!.userId, confirmed_at: new Date() })
        .where('id', '=', id)
        .where('organisation_id', '=', library)
        .execute();
    },
  );
  return getRecord(db, library, id);
}

/** Removes a record made by mistake (staff only). */
export async function deleteRecord(db: Executor, actor: Actor | null, id: number): Promise<void> {
  const library = readingStaff(actor);
  const record = await getRecord(db, library, id);
  await auditedChange(
    db,
    actor,
    { action: 'delete', entity: 'reading_record', entityId: id, details: { readerId: record.readerId, title: record.title }, organisationId: library },
    async (trx) => {
      await trx.deleteFrom('reading.records').where('id', '=', id).where('organisation_id', '=', library).execute();
    },
  );
}

/** Self-reports waiting for the librarian's stamp, oldest first. */
export async function pendingRecords(db: Executor, actor: Actor | null): Promise<ReadingRecord[]> {
  const library = readingStaff(actor);
  const rows = await recordsQuery(db, library).where('rr.status', '=', 'pending').orderBy('rr.created_at').orderBy('rr.id').limit(500).execute();
  return rows.map(toRecord);
}

/**
 * A reader's records, newest first. Staff see any reader of their library, a class teacher the pupils
 * of the class, a pupil or parent only their own.
 */
export async function readerRecords(db: Executor, actor: Actor | null, readerId: number, schoolYear?: string): Promise<ReadingRecord[]> {
  if (!actor) throw unauthorised();
  let library: number;
  if (belongsTo(actor, 'readers')) {
    const own = ownReaderOf(actor);
    if (own.readerId !== readerId) throw forbidden();
    library = own.library;
  } else if (belongsTo(actor, 'teachers')) {
    library = actor.organisationId;
    const reader = await readerOfLibrary(db, library, readerId);
    if (actor.classGrade === null || reader.grade !== actor.classGrade || (reader.class_letter ?? null) !== (actor.classLetter ?? null)) throw forbidden();
    // the own class's present pupils only: not one who left, nor one whose data is blocked (as the readers list)
    if (reader.status !== 'active' || reader.blocked_at !== null) throw new AppError('reading.reader_not_found', 404, { id: readerId });
  } else {
    library = readingStaff(actor);
    await readerOfLibrary(db, library, readerId);
  }
  let q = recordsQuery(db, library).where('rr.reader_id', '=', readerId);
  if (schoolYear) q = q.where('rr.school_year', '=', schoolYear);
  const rows = await q.orderBy('rr.read_on', 'desc').orderBy('rr.id', 'desc').limit(1000).execute();
  return rows.map(toRecord);
}

/** The signed-in pupil's (or parent's child's) records. */
export async function myRecords(db: Executor, actor: Actor | null, schoolYear?: string): Promise<ReadingRecord[]> {
  const { readerId } = ownReaderOf(actor);
  return readerRecords(db, actor, readerId, schoolYear);
}

export interface ReturnedLoan {
  loanId: number;
  title: string;
  authors: string | null;
  issuedAt: string;
  returnedAt: string;
  recordId: number | null;
}

/** A reader's returned loans with whether each is already a reading record: the "from history" list. */
export async function returnedLoans(db: Executor, actor: Actor | null, readerId: number): Promise<ReturnedLoan[]> {
  const library = readingStaff(actor);
  await readerOfLibrary(db, library, readerId);
  const rows = await db
    .selectFrom('circulation.loans as l')
    .innerJoin('fund.copies as c', 'c.id', 'l.copy_id')
    .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
    .leftJoin('reading.records as rr', 'rr.loan_id', 'l.id')
    .select([
      'l.id',
      'w.title',
      'l.issued_at',
      'l.returned_at',
      'rr.id as record_id',
      sql<string | null>`(select string_agg(a.name, ', ' order by wa.position) from catalog.work_authors wa join catalog.authors a on a.id = wa.author_id where wa.work_id = w.id)`.as('authors'),
    ])
    .where('l.organisation_id', '=', library)
    .where('l.reader_id', '=', readerId)
    .where('l.returned_at', 'is not', null)
    .orderBy('l.returned_at', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({
    loanId: r.id,
    title: r.title,
    authors: r.authors,
    issuedAt: new Date(r.issued_at).toISOString(),
    returnedAt: new Date(r.returned_at!).toISOString(),
    recordId: r.record_id,
  }));
}
