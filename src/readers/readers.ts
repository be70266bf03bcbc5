import { sql, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { foldQuery, kazakhSortKey, searchKey } from '../catalog/folding.js';
import type { Database } from '../db/schema.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { libraryToday } from '../shared/library-time.js';
import { staffLibrary } from '../auth/guard.js';
import { bumpCounterPast, takeNumber } from '../shared/counters.js';
import { AppError, conflict, forbidden, invalid, isUniqueViolation, notFound, unauthorised } from '../shared/errors.js';
import { cleanPersonText } from '../shared/text.js';
import { formatClassName, isValidGrade, KAZAKH_LETTERS, normaliseClassLetter } from './classes.js';
import type { ReaderKind, ReaderTable } from './schema.js';

export type ReaderRow = Selectable<ReaderTable>;
export type ReaderStatus = 'active' | 'left';

export const READER_KINDS: ReaderKind[] = ['student', 'teacher', 'staff', 'parent', 'other'];

/** What a librarian fills in on the reader's form; numbers are issued when left out. */
export interface ReaderInput {
  registrationNumber?: string | null;
  barcode?: string | null;
  kind: ReaderKind;
  lastName: string;
  firstName: string;
  middleName?: string | null;
  grade?: number | null;
  classLetter?: string | null;
  birthDate?: string | null;
  phone?: string | null;
  email?: string | null;
  parentName?: string | null;
  parentPhone?: string | null;
  status?: ReaderStatus;
  leftOn?: string | null;
}

export type ReaderPatch = Partial<ReaderInput>;

export interface ReaderJson {
  id: number;
  registrationNumber: string;
  barcode: string;
  kind: ReaderKind;
  lastName: string;
  firstName: string;
  middleName: string | null;
  fullName: string;
  grade: number | null;
  classLetter: string | null;
  className: string | null;
  birthDate: string | null;
  phone: string | null;
  email: string | null;
  parentName: string | null;
  parentPhone: string | null;
  status: ReaderStatus;
  leftOn: string | null;
  /** The personal data was erased after the reader left; only numbers, class and history remain. */
  anonymised: boolean;
  /** Blocked on the legal representative's request: kept, not used. */
  blocked: boolean;
}

export interface ReaderFilters {
  q?: string;
  kind?: ReaderKind;
  grade?: number;
  classLetter?: string;
  /** 'active' unless asked otherwise: readers who left stay on file but out of the daily lists. */
  status?: ReaderStatus | 'all';
  limit?: number;
  offset?: number;
}

export interface ClassCount {
  grade: number;
  classLetter: string | null;
  count: number;
}

const BARCODE = /^\d{4,20}$/;
const READER_BARCODE = /^2\d{9}$/;
const REGISTRATION_NUMBER = /^(\d{4})-(\d{1,9})$/;

export function fullNameOf(r: { last_name: string; first_name: string; middle_name: string | null }): string {
  return [r.last_name, r.first_name, r.middle_name].filter(Boolean).join(' ');
}

export function toReaderJson(r: ReaderRow): ReaderJson {
  return {
    id: r.id,
    registrationNumber: r.registration_number,
    barcode: r.barcode,
    kind: r.kind,
    lastName: r.last_name,
    firstName: r.first_name,
    middleName: r.middle_name,
    fullName: fullNameOf(r),
    grade: r.grade,
    classLetter: r.class_letter,
    className: formatClassName(r.grade, r.class_letter),
    birthDate: r.birth_date,
    phone: r.phone,
    email: r.email,
    parentName: r.parent_name,
    parentPhone: r.parent_phone,
    status: r.status,
    leftOn: r.left_on,
    anonymised: r.anonymised_at !== null,
    blocked: r.blocked_at !== null,
  };
}

/**
 * What a class teacher sees of a pupil: the name and class (for open loans and reading), not
 * the birth date or the family's contacts, which serve only the library.
 */
export function teacherView(r: ReaderJson): ReaderJson {
  return { ...r, birthDate: null, phone: null, email: null, parentName: null, parentPhone: null };
}

/** The fields only a contact consent gives a purpose to (Law No. 94-V, art. 7: no more data than the purpose needs). */
export const CONTACT_FIELDS = ['phone', 'email', 'parent_name', 'parent_phone'] as const;

async function hasContactConsent(db: Executor, readerId: number): Promise<boolean> {
  const row = await db
    .selectFrom('readers.consents')
    .select('id')
    .where('reader_id', '=', readerId)
    .where('scope', '=', 'contact')
    .where('withdrawn_on', 'is', null)
    .executeTakeFirst();
  return !!row;
}

/** Bulk reads of readers' data are audited: a list of leavers, or more than one page at once. */
export const BULK_READ = 50;

/** Which readers an actor may read: staff the whole library, a teacher the own class only. */
interface ReadScope {
  organisationId: number;
  grade?: number;
  classLetter?: string | null;
  /** A class teacher: active, unblocked pupils only, and not their birth dates or contacts. */
  teacher?: boolean;
}

function readScope(actor: Actor | null): ReadScope {
  if (!actor) throw unauthorised();
  if (actor.role === 'librarian' || actor.role === 'admin') return { organisationId: actor.organisationId };
  if (actor.role === 'teacher' && actor.classGrade !== null) {
    return { organisationId: actor.organisationId, grade: actor.classGrade, classLetter: actor.classLetter, teacher: true };
  }
  throw forbidden();
}

/** The library whose readers this actor may change. */
export function writableLibrary(actor: Actor | null): number {
  return staffLibrary(actor);
}

function scoped<O>(query: SelectQueryBuilder<Database, 'readers.readers', O>, scope: ReadScope) {
  let q = query.where('readers.readers.organisation_id', '=', scope.organisationId);
  if (scope.grade !== undefined) {
    q = q.where('readers.readers.grade', '=', scope.grade).where('readers.readers.kind', '=', 'student');
    const letter = scope.classLetter ?? null;
    q = letter === null ? q.where('readers.readers.class_letter', 'is', null) : q.where('readers.readers.class_letter', '=', letter);
  }
  if (scope.teacher) q = q.where('readers.readers.status', '=', 'active').where('readers.readers.blocked_at', 'is', null);
  return q;
}

/** Class letters in Kazakh alphabet order (А Ә Б …), which the database collation does not know. */
export const classLetterOrder = sql<number>`strpos(${KAZAKH_LETTERS}, coalesce(readers.readers.class_letter, ''))`;

export async function getReader(db: Executor, actor: Actor | null, id: number): Promise<ReaderJson> {
  const scope = readScope(actor);
  const row = await scoped(db.selectFrom('readers.readers').selectAll(), scope)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('reader', id);
  return scope.teacher ? teacherView(toReaderJson(row)) : toReaderJson(row);
}

/** A student's or parent's own reader's record, linked through the user account. */
export async function getOwnReader(db: Executor, actor: Actor | null): Promise<ReaderJson> {
  if (!actor) throw unauthorised();
  if (actor.role !== 'student' && actor.role !== 'parent') throw forbidden();
  if (actor.readerId === null) throw new AppError('readers.no_own_record', 404);
  const row = await db
    .selectFrom('readers.readers')
    .selectAll()
    .where('id', '=', actor.readerId)
    .where('organisation_id', '=', actor.organisationId)
    .executeTakeFirst();
  if (!row) throw new AppError('readers.no_own_record', 404);
  return toReaderJson(row);
}

export async function listReaders(
  db: Executor,
  actor: Actor | null,
  filters: ReaderFilters = {},
): Promise<{ items: ReaderJson[]; total: number }> {
  const scope = readScope(actor);
  let q = scoped(db.selectFrom('readers.readers'), scope);
  for (const word of foldQuery(filters.q ?? '')) q = q.where('search_key', 'ilike', `%${word}%`);
  if (filters.kind) q = q.where('kind', '=', filters.kind);
  if (filters.grade !== undefined) q = q.where('grade', '=', filters.grade);
  if (filters.classLetter) q = q.where('class_letter', '=', normaliseClassLetter(filters.classLetter) ?? filters.classLetter);
  const status = filters.status ?? 'active';
  if (status !== 'all') q = q.where('status', '=', status);

  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy(sql`grade asc nulls last`)
    .orderBy(classLetterOrder)
    .orderBy('sort_key')
    .orderBy('id')
    .limit(filters.limit ?? 50)
    .offset(filters.offset ?? 0)
    .execute();
  // a list of leavers, or many readers at once, is a bulk read of children's data: the log says who read it
  if (status !== 'active' || rows.length > BULK_READ) {
    await audit(db, actor, 'read', 'readers', null, { status, count: rows.length, offset: filters.offset ?? 0 });
  }
  return { items: rows.map((r) => (scope.teacher ? teacherView(toReaderJson(r)) : toReaderJson(r))), total: Number(total) };
}

/** The library's classes with the number of active students in each: the roster index. */
export async function listClasses(db: Executor, actor: Actor | null): Promise<ClassCount[]> {
  const rows = await scoped(db.selectFrom('readers.readers'), readScope(actor))
    .where('kind', '=', 'student')
    .where('status', '=', 'active')
    .where('grade', 'is not', null)
    .select((eb) => ['grade', 'class_letter', eb.fn.countAll<number>().as('count'), sql<number>`min(${classLetterOrder})`.as('letter_order')])
    .groupBy(['grade', 'class_letter'])
    .orderBy('grade')
    .orderBy('letter_order')
    .execute();
  return rows.map((r) => ({ grade: r.grade!, classLetter: r.class_letter, count: Number(r.count) }));
}

/** The reader whose card was scanned at the desk, within one library; undefined if none. */
export async function findReaderByBarcode(db: Executor, organisationId: number, code: string): Promise<ReaderRow | undefined> {
  const barcode = code.trim();
  if (!barcode) return undefined;
  return db
    .selectFrom('readers.readers')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('barcode', '=', barcode)
    .executeTakeFirst();
}

/** Registration numbers look like «2026-00042»: the year of registration and the library's running number. */
export function formatRegistrationNumber(year: number, n: number): string {
  return `${year}-${String(n).padStart(5, '0')}`;
}

export function formatReaderBarcode(n: number): string {
  return `2${String(n).padStart(9, '0')}`;
}

/** Issues the next registration numbers and card barcodes of a library, `count` at a time. */
/** The year in the number is the library's own year today: a reader registered at 00:30 on 1 January gets the new one. */
export async function issueReaderNumbers(db: Executor, organisationId: number, count: number, year?: number) {
  year ??= Number((await libraryToday(db, organisationId)).slice(0, 4));
  const firstNumber = await takeNumber(db, organisationId, 'reader_number', count);
  const firstBarcode = await takeNumber(db, organisationId, 'reader_barcode', count);
  return Array.from({ length: count }, (_, i) => ({
    registrationNumber: formatRegistrationNumber(year, firstNumber + i),
    barcode: formatReaderBarcode(firstBarcode + i),
  }));
}

/** Numbers typed by hand move the counters past them, so automatic numbers never collide later. */
async function keepCountersAhead(db: Executor, organisationId: number, registrationNumber: string, barcode: string) {
  const reg = REGISTRATION_NUMBER.exec(registrationNumber);
  if (reg) await bumpCounterPast(db, organisationId, 'reader_number', Number(reg[2]));
  if (READER_BARCODE.test(barcode)) await bumpCounterPast(db, organisationId, 'reader_barcode', Number(barcode.slice(1)));
}

/** A reader's text field as stored: trimmed, and for names without invisible direction or zero-width characters. */
const trimmed = (s: string | null | undefined) => {
  const t = s === null || s === undefined ? undefined : cleanPersonText(s);
  return t ? t : null;
};

/** Checks and normalises a reader's fields; returns the columns to store, keys included. */
function readerColumns(input: ReaderInput, today: string) {
  const lastName = trimmed(input.lastName);
  const firstName = trimmed(input.firstName);
  if (!lastName || !firstName) throw invalid('readers.name_required');
  const grade = input.grade ?? null;
  let classLetter: string | null = null;
  if (input.kind !== 'student' && (grade !== null || trimmed(input.classLetter))) throw invalid('readers.class_only_for_students');
  if (grade !== null && !isValidGrade(grade)) throw invalid('readers.bad_grade', { grade });
  if (trimmed(input.classLetter)) {
    if (grade === null) throw invalid('readers.letter_without_grade');
    classLetter = normaliseClassLetter(input.classLetter!) ?? null;
    if (!classLetter) throw invalid('readers.bad_class_letter', { letter: input.classLetter! });
  }
  const status = input.status ?? 'active';
  const middleName = trimmed(input.middleName);
  return {
    kind: input.kind,
    last_name: lastName,
    first_name: firstName,
    middle_name: middleName,
    grade,
    class_letter: classLetter,
    birth_date: input.birthDate ?? null,
    phone: trimmed(input.phone),
    email: trimmed(input.email),
    parent_name: trimmed(input.parentName),
    parent_phone: trimmed(input.parentPhone),
    status,
    left_on: status === 'left' ? (input.leftOn ?? today) : null,
    sort_key: kazakhSortKey([lastName, firstName, middleName].filter(Boolean).join(' ')),
  };
}

/** A pupil's contacts are kept only with a contact consent on record. */
function withoutContacts<T extends Record<(typeof CONTACT_FIELDS)[number], string | null>>(columns: T, drop: boolean): T {
  if (!drop) return columns;
  return { ...columns, phone: null, email: null, parent_name: null, parent_phone: null };
}

function checkNumbers(registrationNumber: string, barcode: string) {
  if (!registrationNumber || registrationNumber.length > 30) throw invalid('readers.bad_registration_number');
  if (!BARCODE.test(barcode)) throw invalid('readers.bad_barcode', { barcode });
}

/** Turns a unique-key violation into the librarian's words; anything else passes through. */
function explainUniqueViolation(err: unknown, registrationNumber: string, barcode: string): never {
  if (isUniqueViolation(err, 'registration_number')) throw conflict('readers.registration_number_taken', { number: registrationNumber });
  if (isUniqueViolation(err, 'barcode')) throw conflict('readers.barcode_taken', { barcode });
  throw err;
}

/**
 * Inserts readers in one statement inside the caller's transaction; numbers must already be issued.
 * A number already taken fails the whole statement without naming its row: `insertReader` row by
 * row names it.
 */
export async function insertReaders(db: Executor, organisationId: number, inputs: (ReaderInput & { registrationNumber: string; barcode: string })[]) {
  if (!inputs.length) return [];
  const today = await libraryToday(db, organisationId);
  const values = inputs.map((input) => {
    const columns = withoutContacts(readerColumns(input, today), input.kind === 'student');
    checkNumbers(input.registrationNumber, input.barcode);
    return {
      organisation_id: organisationId,
      registration_number: input.registrationNumber,
      barcode: input.barcode,
      ...columns,
      search_key: searchKey(columns.last_name, columns.first_name, columns.middle_name, input.registrationNumber, input.barcode),
    };
  });
  return db.insertInto('readers.readers').values(values).returningAll().execute();
}

/** Inserts one reader inside the caller's transaction; numbers must already be issued. */
export async function insertReader(db: Executor, organisationId: number, input: ReaderInput & { registrationNumber: string; barcode: string }) {
  // a new pupil has no contact consent yet: the family's phone and e-mail are not collected
  const columns = withoutContacts(readerColumns(input, await libraryToday(db, organisationId)), input.kind === 'student');
  checkNumbers(input.registrationNumber, input.barcode);
  try {
    return await db
      .insertInto('readers.readers')
      .values({
        organisation_id: organisationId,
        registration_number: input.registrationNumber,
        barcode: input.barcode,
        ...columns,
        search_key: searchKey(columns.last_name, columns.first_name, columns.middle_name, input.registrationNumber, input.barcode),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    explainUniqueViolation(err, input.registrationNumber, input.barcode);
  }
}

/** Registers a reader in the actor's library; call inside a transaction. */
export async function createReader(db: Executor, actor: Actor | null, input: ReaderInput): Promise<ReaderJson> {
  const organisationId = writableLibrary(actor);
  const registrationNumber = trimmed(input.registrationNumber);
  const barcode = trimmed(input.barcode);
  const [issued] = registrationNumber && barcode ? [undefined] : await issueReaderNumbers(db, organisationId, 1);
  const numbers = { registrationNumber: registrationNumber ?? issued!.registrationNumber, barcode: barcode ?? issued!.barcode };
  const row = await insertReader(db, organisationId, { ...input, ...numbers });
  await keepCountersAhead(db, organisationId, numbers.registrationNumber, numbers.barcode);
  await audit(db, actor, 'create', 'reader', row.id, { registrationNumber: row.registration_number });
  return toReaderJson(row);
}

/** Changes a reader's record; fields left out keep their values. Call inside a transaction. */
export async function updateReader(db: Executor, actor: Actor | null, id: number, patch: ReaderPatch): Promise<ReaderJson> {
  const organisationId = writableLibrary(actor);
  const current = await db
    .selectFrom('readers.readers')
    .selectAll()
    .where('id', '=', id)
    .where('organisation_id', '=', organisationId)
    .forUpdate()
    .executeTakeFirst();
  if (!current) throw notFound('reader', id);
  if (current.anonymised_at) throw conflict('readers.anonymised', { number: current.registration_number });

  const before = toReaderJson(current);
  const merged = { ...before, ...definedOnly(patch) };
  const columns = withoutContacts(readerColumns(merged, await libraryToday(db, organisationId)), merged.kind === 'student' && !(await hasContactConsent(db, id)));
  const registrationNumber = trimmed(merged.registrationNumber) ?? '';
  const barcode = trimmed(merged.barcode) ?? '';
  checkNumbers(registrationNumber, barcode);

  let row: ReaderRow;
  try {
    row = await db
      .updateTable('readers.readers')
      .set({
        ...columns,
        registration_number: registrationNumber,
        barcode,
        search_key: searchKey(columns.last_name, columns.first_name, columns.middle_name, registrationNumber, barcode),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    explainUniqueViolation(err, registrationNumber, barcode);
  }
  await keepCountersAhead(db, organisationId, registrationNumber, barcode);
  const after = toReaderJson(row);
  // The audit names the changed fields, not their values: children's personal data stays in one place.
  const changed = (Object.keys(after) as (keyof ReaderJson)[]).filter((k) => after[k] !== before[k]);
  await audit(db, actor, 'update', 'reader', id, { fields: changed });
  return after;
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Readers of the actor's library for printing cards: chosen ones, or a class, or everyone active. */
export async function readersForCards(
  db: Executor,
  actor: Actor | null,
  selection: { readerIds?: number[]; grade?: number; classLetter?: string },
): Promise<ReaderRow[]> {
  const organisationId = writableLibrary(actor);
  let q = db.selectFrom('readers.readers').selectAll().where('organisation_id', '=', organisationId);
  if (selection.readerIds?.length) q = q.where('id', 'in', selection.readerIds);
  else q = q.where('status', '=', 'active');
  if (selection.grade !== undefined) q = q.where('grade', '=', selection.grade);
  if (selection.classLetter) q = q.where('class_letter', '=', normaliseClassLetter(selection.classLetter) ?? selection.classLetter);
  const rows = await q.orderBy(sql`grade asc nulls last`).orderBy(classLetterOrder).orderBy('sort_key').orderBy('id').execute();
  // a PDF of readers' names leaves the system: the log says who printed whom
  await audit(db, actor, 'export', 'readers', null, { what: 'cards', count: rows.length, grade: selection.grade ?? null, classLetter: selection.classLetter ?? null });
  return rows;
}
