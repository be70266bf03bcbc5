/**
 * A reader's personal data under the Law of the Republic of Kazakhstan «On personal data and their
 * protection» (No. 94-V): the consents the legal representative gave (or the legal basis the school
 * relies on), and the rights of the subject — to see everything held (art. 24), to have it corrected,
 * blocked or destroyed (art. 24, 25) — exercised through the pupil's or parent's own account and
 * answered by the librarian.
 */
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { libraryToday } from '../shared/library-time.js';
import { conflict, forbidden, invalid, notFound, unauthorised } from '../shared/errors.js';
import { toReaderJson, writableLibrary, type ReaderJson } from './readers.js';
import { formatClassName } from './classes.js';
import type { ConsentScope, RequestKind } from './schema.js';

export interface ConsentJson {
  id: number;
  scope: ConsentScope;
  basis: 'consent' | 'legal_basis';
  givenBy: string | null;
  form: 'paper' | 'electronic' | null;
  givenOn: string;
  withdrawnOn: string | null;
  note: string | null;
}

export interface ConsentInput {
  scope: ConsentScope;
  basis?: 'consent' | 'legal_basis';
  givenBy?: string | null;
  form?: 'paper' | 'electronic' | null;
  givenOn?: string;
  note?: string | null;
}

/**
 * The reader an actor may act for on privacy matters: the library's staff any reader of the
 * library; a pupil or parent only the reader their account is linked to.
 */
async function readerFor(db: Executor, actor: Actor | null, readerId: number, staffOnly = false) {
  if (!actor) throw unauthorised();
  const staff = actor.role === 'librarian' || actor.role === 'admin';
  const own = (actor.role === 'student' || actor.role === 'parent') && actor.readerId === readerId;
  if (!staff && (staffOnly || !own)) throw forbidden();
  const row = await db
    .selectFrom('readers.readers')
    .selectAll()
    .where('id', '=', readerId)
    .where('organisation_id', '=', actor.organisationId)
    .executeTakeFirst();
  if (!row) throw notFound('reader', readerId);
  return row;
}

const consentJson = (c: {
  id: number;
  scope: ConsentScope;
  basis: 'consent' | 'legal_basis';
  given_by: string | null;
  form: 'paper' | 'electronic' | null;
  given_on: string;
  withdrawn_on: string | null;
  note: string | null;
}): ConsentJson => ({
  id: c.id,
  scope: c.scope,
  basis: c.basis,
  givenBy: c.given_by,
  form: c.form,
  givenOn: c.given_on,
  withdrawnOn: c.withdrawn_on,
  note: c.note,
});

export async function listConsents(db: Executor, actor: Actor | null, readerId: number): Promise<ConsentJson[]> {
  await readerFor(db, actor, readerId);
  const rows = await db.selectFrom('readers.consents').selectAll().where('reader_id', '=', readerId).orderBy('given_on', 'desc').orderBy('id', 'desc').execute();
  return rows.map(consentJson);
}

/** Records a consent (or the legal basis relied on) for one scope; a scope already in force is refused. */
export async function recordConsent(db: Executor, actor: Actor | null, readerId: number, input: ConsentInput): Promise<ConsentJson> {
  const organisationId = writableLibrary(actor);
  const reader = await readerFor(db, actor, readerId, true);
  if (reader.anonymised_at) throw conflict('readers.anonymised', { number: reader.registration_number });
  const basis = input.basis ?? 'consent';
  const givenBy = input.givenBy?.trim() || null;
  // a consent names who gave it (the legal representative of a minor); a legal basis names the law in the note
  if (basis === 'consent' && !givenBy) throw invalid('readers.consent.given_by_required');
  if (basis === 'legal_basis' && !input.note?.trim()) throw invalid('readers.consent.basis_note_required');
  const active = await db
    .selectFrom('readers.consents')
    .select('id')
    .where('reader_id', '=', readerId)
    .where('scope', '=', input.scope)
    .where('withdrawn_on', 'is', null)
    .executeTakeFirst();
  if (active) throw conflict('readers.consent.already', { scope: input.scope });
  const givenOn = input.givenOn ?? (await libraryToday(db, organisationId));
  const row = await db
    .insertInto('readers.consents')
    .values({
      organisation_id: organisationId,
      reader_id: readerId,
      scope: input.scope,
      basis,
      given_by: givenBy,
      form: input.form ?? (basis === 'consent' ? 'paper' : null),
      given_on: givenOn,
      note: input.note?.trim() || null,
      recorded_by: actor!.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(db, actor, 'consent', 'reader', readerId, { scope: input.scope, basis });
  return consentJson(row);
}

/**
 * Withdraws a consent: staff on the paper the family brought, or the pupil's or parent's own
 * account. A contact consent withdrawn takes the phones and e-mail with it: without a purpose
 * they are not kept.
 */
export async function withdrawConsent(db: Executor, actor: Actor | null, readerId: number, consentId: number): Promise<ConsentJson> {
  const reader = await readerFor(db, actor, readerId);
  const consent = await db
    .selectFrom('readers.consents')
    .selectAll()
    .where('id', '=', consentId)
    .where('reader_id', '=', readerId)
    .forUpdate()
    .executeTakeFirst();
  if (!consent) throw notFound('consent', consentId);
  if (consent.withdrawn_on) throw conflict('readers.consent.withdrawn');
  const today = await libraryToday(db, reader.organisation_id);
  const row = await db.updateTable('readers.consents').set({ withdrawn_on: today }).where('id', '=', consentId).returningAll().executeTakeFirstOrThrow();
  if (consent.scope === 'contact' && reader.kind === 'student') {
    await db
      .updateTable('readers.readers')
      .set({ phone: null, email: null, parent_name: null, parent_phone: null, updated_at: new Date() })
      .where('id', '=', readerId)
      .execute();
  }
  await audit(db, actor, 'withdraw_consent', 'reader', readerId, { scope: consent.scope }, reader.organisation_id);
  return consentJson(row);
}

/** Blocks a reader's data (kept, not used: hidden from the class teacher and the standings) or lifts the block. */
export async function setBlocked(db: Executor, actor: Actor | null, readerId: number, blocked: boolean): Promise<ReaderJson> {
  writableLibrary(actor);
  const reader = await readerFor(db, actor, readerId, true);
  if (reader.anonymised_at) throw conflict('readers.anonymised', { number: reader.registration_number });
  const row = await db
    .updateTable('readers.readers')
    .set({ blocked_at: blocked ? (reader.blocked_at ?? new Date()) : null, updated_at: new Date() })
    .where('id', '=', readerId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(db, actor, blocked ? 'block' : 'unblock', 'reader', readerId);
  return toReaderJson(row);
}

export interface RequestJson {
  id: number;
  readerId: number;
  /** The reader's name, for the librarian's list. */
  readerName: string;
  className: string | null;
  kind: RequestKind;
  message: string;
  requestedAt: string;
  status: 'open' | 'done' | 'refused';
  answer: string | null;
  answeredAt: string | null;
}

function requestsQuery(db: Executor) {
  return db
    .selectFrom('readers.requests as q')
    .innerJoin('readers.readers as r', 'r.id', 'q.reader_id')
    .select([
      'q.id',
      'q.reader_id',
      'q.kind',
      'q.message',
      'q.requested_at',
      'q.status',
      'q.answer',
      'q.answered_at',
      sql<string>`concat_ws(' ', r.last_name, r.first_name)`.as('reader_name'),
      'r.grade',
      'r.class_letter',
    ]);
}

const requestJson = (r: {
  id: number;
  reader_id: number;
  kind: RequestKind;
  message: string;
  requested_at: Date;
  status: 'open' | 'done' | 'refused';
  answer: string | null;
  answered_at: Date | null;
  reader_name: string;
  grade: number | null;
  class_letter: string | null;
}): RequestJson => ({
  id: r.id,
  readerId: r.reader_id,
  readerName: r.reader_name,
  className: formatClassName(r.grade, r.class_letter),
  kind: r.kind,
  message: r.message,
  requestedAt: new Date(r.requested_at).toISOString(),
  status: r.status,
  answer: r.answer,
  answeredAt: r.answered_at ? new Date(r.answered_at).toISOString() : null,
});

/** A pupil or parent asks the library to correct, block or erase the reader's data. */
export async function makeRequest(db: Executor, actor: Actor | null, input: { kind: RequestKind; message: string }): Promise<RequestJson> {
  if (!actor) throw unauthorised();
  if ((actor.role !== 'student' && actor.role !== 'parent') || actor.readerId === null) throw forbidden();
  const reader = await readerFor(db, actor, actor.readerId);
  const message = input.message.trim();
  if (input.kind === 'correction' && !message) throw invalid('readers.request.message_required');
  const open = await db
    .selectFrom('readers.requests')
    .select('id')
    .where('reader_id', '=', reader.id)
    .where('kind', '=', input.kind)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (open) throw conflict('readers.request.already_open');
  const { id } = await db
    .insertInto('readers.requests')
    .values({ organisation_id: reader.organisation_id, reader_id: reader.id, kind: input.kind, message, requested_by: actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(db, actor, 'request', 'reader', reader.id, { kind: input.kind, request: id });
  return requestJson(await requestsQuery(db).where('q.id', '=', id).executeTakeFirstOrThrow());
}

/** The requests of the own reader (pupil, parent), or of the library (staff; open ones first). */
export async function listRequests(db: Executor, actor: Actor | null, filter: { status?: 'open' | 'done' | 'refused' } = {}): Promise<RequestJson[]> {
  if (!actor) throw unauthorised();
  let q = requestsQuery(db).where('q.organisation_id', '=', actor.organisationId);
  if (actor.role === 'student' || actor.role === 'parent') {
    if (actor.readerId === null) return [];
    q = q.where('q.reader_id', '=', actor.readerId);
  } else writableLibrary(actor);
  if (filter.status) q = q.where('q.status', '=', filter.status);
  const rows = await q.orderBy(sql`q.status = 'open'`, 'desc').orderBy('q.requested_at', 'desc').limit(500).execute();
  return rows.map(requestJson);
}

/** The librarian answers a request: done (the correction, block or erasure is made separately) or refused with a reason. */
export async function answerRequest(
  db: Executor,
  actor: Actor | null,
  id: number,
  input: { status: 'done' | 'refused'; answer: string },
): Promise<RequestJson> {
  const organisationId = writableLibrary(actor);
  const request = await db.selectFrom('readers.requests').selectAll().where('id', '=', id).where('organisation_id', '=', organisationId).forUpdate().executeTakeFirst();
  if (!request) throw notFound('request', id);
  if (request.status !== 'open') throw conflict('readers.request.answered');
  if (input.status === 'refused' && !input.answer.trim()) throw invalid('readers.request.reason_required');
  await db
    .updateTable('readers.requests')
    .set({ status: input.status, answer: input.answer.trim() || null, answered_by: actor!.userId, answered_at: new Date() })
    .where('id', '=', id)
    .execute();
  await audit(db, actor, 'answer_request', 'reader', request.reader_id, { kind: request.kind, status: input.status, request: id });
  return requestJson(await requestsQuery(db).where('q.id', '=', id).executeTakeFirstOrThrow());
}

/**
 * Everything the library holds about one reader, table by table: the tables are those whose
 * foreign keys refer to readers.readers (a test walks the schema and fails when one is missing).
 */
export interface SubjectData {
  generatedAt: string;
  reader: ReaderJson & Record<string, unknown>;
  tables: Record<string, Record<string, unknown>[]>;
}

/** Tables exported row by row as they are: each refers to the reader by its reader_id column. */
const PLAIN_TABLES = [
  'circulation.contacts',
  'circulation.reading_room_uses',
  'circulation.reservations',
  'events.club_members',
  'readers.registrations',
  'reading.bingo_cards',
  'reading.challenge_days',
  'reading.challenge_entrants',
  'reading.contest_entrants',
  'reading.draw_participants',
  'reading.family_members',
  'reading.kept_books',
  'reading.reader_year_books',
  'reading.recommendations',
  'reading.records',
  'textbooks.raid_lines',
] as const;

export const EXPORTED_TABLES = [
  'circulation.loans',
  'circulation.visits',
  'fund.losses',
  'org.users',
  'readers.consents',
  'readers.erasures',
  'readers.requests',
  'textbooks.issues',
  ...PLAIN_TABLES,
] as const;

/** The rows of one table that refer to the reader, dates as ISO strings. */
async function plainRows(db: Executor, table: (typeof PLAIN_TABLES)[number], readerId: number): Promise<Record<string, unknown>[]> {
  const [schema, name] = table.split('.') as [string, string];
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(`${schema}.${name}`)} where reader_id = ${readerId} order by 1`.execute(db);
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])));
}

export async function subjectData(db: Executor, actor: Actor | null, readerId: number): Promise<SubjectData> {
  const row = await readerFor(db, actor, readerId);
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  const loans = await db
    .selectFrom('circulation.loans as l')
    .innerJoin('fund.copies as c', 'c.id', 'l.copy_id')
    .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
    .select(['l.id', 'w.title', 'c.inventory_number', 'l.issued_at', 'l.due_on', 'l.renewals', 'l.returned_at'])
    .where('l.reader_id', '=', readerId)
    .orderBy('l.issued_at')
    .execute();
  const visits = await db.selectFrom('circulation.visits').select('visited_on').where('reader_id', '=', readerId).orderBy('visited_on').execute();
  const losses = await db
    .selectFrom('fund.losses as x')
    .innerJoin('fund.copies as c', 'c.id', 'x.copy_id')
    .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
    .select(['x.id', 'w.title', 'x.lost_on', 'x.settlement', 'x.payment_tiyn', 'x.note'])
    .where('x.reader_id', '=', readerId)
    .orderBy('x.lost_on')
    .execute();
  const accounts = await db
    .selectFrom('org.users')
    .select(['id', 'login', 'full_name', 'role', 'active', 'created_at', 'locale'])
    .where('reader_id', '=', readerId)
    .orderBy('id')
    .execute();
  const consents = await db.selectFrom('readers.consents').selectAll().where('reader_id', '=', readerId).orderBy('id').execute();
  const erasures = await db.selectFrom('readers.erasures').select(['reason', 'erased_at']).where('reader_id', '=', readerId).execute();
  const requests = await db
    .selectFrom('readers.requests')
    .select(['id', 'kind', 'message', 'requested_at', 'status', 'answer', 'answered_at'])
    .where('reader_id', '=', readerId)
    .orderBy('id')
    .execute();
  const textbooks = await db
    .selectFrom('textbooks.issues as i')
    .innerJoin('catalog.works as w', 'w.id', 'i.work_id')
    .select(['i.id', 'w.title', 'i.school_year', 'i.issued_on', 'i.issued_condition', 'i.returned_on', 'i.return_condition'])
    .where('i.reader_id', '=', readerId)
    .orderBy('i.issued_on')
    .execute();
  const plain = {} as Record<(typeof PLAIN_TABLES)[number], Record<string, unknown>[]>;
  for (const table of PLAIN_TABLES) plain[table] = await plainRows(db, table, readerId);
  const tables: Record<(typeof EXPORTED_TABLES)[number], Record<string, unknown>[]> = {
    'circulation.loans': loans.map((l) => ({ ...l, issued_at: iso(l.issued_at), returned_at: iso(l.returned_at) })),
    'circulation.visits': visits,
    'fund.losses': losses,
    'org.users': accounts.map((a) => ({ ...a, created_at: iso(a.created_at) })),
    'readers.consents': consents.map((c) => ({ ...consentJson(c) })),
    'readers.erasures': erasures.map((e) => ({ ...e, erased_at: iso(e.erased_at) })),
    'readers.requests': requests.map((r) => ({ ...r, requested_at: iso(r.requested_at), answered_at: iso(r.answered_at) })),
    'textbooks.issues': textbooks,
    ...plain,
  };
  await audit(db, actor, 'export', 'reader', readerId, { what: 'subject_data' }, row.organisation_id);
  return { generatedAt: new Date().toISOString(), reader: { ...toReaderJson(row) }, tables };
}
