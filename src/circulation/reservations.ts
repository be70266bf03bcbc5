/**
 * Reservations (holds) of a title whose copies are all out, simplified for a school library: a pupil
 * or parent reserves on the phone, or the librarian at the desk for a reader; one queue per work and
 * library, first placed first served. The return of a copy holds it for the first reader waiting
 * (in the return's own statement, loans.ts); the copy waits on the hold shelf until a day, and only
 * that reader may take it. A hold that runs out passes the copy to the next reader, done whenever
 * holds are read (the hold shelf, the reader's list, an issue of the copy) and by the hourly job.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { allow, staffLibrary } from '../auth/guard.js';
import type { Executor } from '../db/executor.js';
import { auditedChange, inTransaction } from '../db/transaction.js';
import { audit } from '../org/audit.js';
import { AppError, conflict, isUniqueViolation, notFound } from '../shared/errors.js';
import { libraryToday, now } from '../shared/library-time.js';
import { authorsJson, className, fullName } from './loan-views.js';
import type { ReservationStatus } from './schema.js';

/** A library's reservation rule. */
export interface ReservationRules {
  /** Titles a reader may have reserved at once (waiting or held). */
  maxActive: number;
  /** Days a returned copy waits on the hold shelf for the reader, the day of the return not counted. */
  holdDays: number;
}

/**
 * Without a rule of its own a library lets a reader reserve 3 titles at once, and a copy waits 7
 * calendar days: a whole school week whatever day the book came back, without a timetable to consult.
 */
export const RESERVATION_DEFAULTS: Readonly<ReservationRules> = { maxActive: 3, holdDays: 7 };

/** Closed reservations (fulfilled, cancelled, expired) are kept this long, then the hourly job removes them. */
export const CLOSED_KEPT_DAYS = 30;

/** Expired holds are listed on the hold shelf page this long, so that the copy is put back on the shelf. */
const EXPIRED_SHOWN_DAYS = 7;

/** A reservation as the reader and the desk see it. */
export interface ReservationView {
  id: number;
  workId: number;
  title: string;
  authors: string[];
  readerId: number;
  readerName: string;
  className: string | null;
  status: ReservationStatus;
  placedAt: string;
  /** Place in the queue among the readers still waiting (1 = the next copy back is theirs); null unless waiting. */
  place: number | null;
  /** The copy put aside (while held, and for an expired hold). */
  barcode: string | null;
  inventoryNumber: string | null;
  holdUntil: string | null;
  closedAt: string | null;
}

/** What the desk is told when a returned copy is held for a reader. */
export interface HoldNotice {
  reservationId: number;
  readerId: number;
  readerName: string;
  className: string | null;
  holdUntil: string;
}

export async function reservationRules(db: Executor, library: number): Promise<ReservationRules> {
  const row = await db.selectFrom('circulation.reservation_rules').select(['max_active', 'hold_days']).where('organisation_id', '=', library).executeTakeFirst();
  return row ? { maxActive: row.max_active, holdDays: row.hold_days } : { ...RESERVATION_DEFAULTS };
}

/** The library's rule, for the desk: its own or the defaults. */
export async function getReservationRules(db: Executor, actor: Actor): Promise<ReservationRules> {
  return reservationRules(db, staffLibrary(actor));
}

export async function replaceReservationRules(db: Executor, actor: Actor, input: ReservationRules): Promise<ReservationRules> {
  const library = staffLibrary(actor);
  return auditedChange(
    db,
    actor,
    { action: 'replace', entity: 'reservation_rules', details: { maxActive: input.maxActive, holdDays: input.holdDays } },
    async (trx) => {
      await trx
        .insertInto('circulation.reservation_rules')
        .values({ organisation_id: library, max_active: input.maxActive, hold_days: input.holdDays })
        .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ max_active: input.maxActive, hold_days: input.holdDays }))
        .execute();
      return { ...input };
    },
  );
}

/**
 * The common table expressions that hold a copy for the first reader waiting for its work: `freed`
 * (defined by the caller: the copy, id and work_id, when it is free to hold) is given to the first
 * waiting reservation of an active reader, in queue order, until the library's hold days from
 * `today`; the hold is written to the audit log in the same statement. A reservation another desk
 * is taking at the same moment is skipped, not waited for. `held` returns what was held.
 */
export function holdForNextSql(library: number, today: string, userId: number | null): RawBuilder<unknown> {
  return sql`next_in_queue as (
      select rv.id, freed.id as copy_id from circulation.reservations rv
      join freed on freed.work_id = rv.work_id
      join readers.readers nr on nr.id = rv.reader_id and nr.status = 'active' and nr.blocked_at is null
      where rv.organisation_id = ${library} and rv.status = 'waiting'
        and not exists (select 1 from circulation.reservations x where x.copy_id = freed.id and x.status = 'held')
      order by rv.placed_at, rv.id
      limit 1
      for update of rv skip locked
    ), held as (
      update circulation.reservations rv
      set status = 'held', copy_id = next_in_queue.copy_id, held_on = ${today}::date, notified_at = null,
        hold_until = ${today}::date + coalesce((select rr.hold_days from circulation.reservation_rules rr where rr.organisation_id = ${library}), ${RESERVATION_DEFAULTS.holdDays}::int)
      from next_in_queue where rv.id = next_in_queue.id
      returning rv.id, rv.reader_id, rv.copy_id, rv.hold_until
    ), held_logged as (
      insert into org.audit_log (organisation_id, user_id, action, entity, entity_id, details)
      select ${library}, ${userId}::bigint, 'hold', 'reservation', held.id::text,
        jsonb_build_object('copyId', held.copy_id, 'readerId', held.reader_id, 'holdUntil', held.hold_until)
      from held
    )`;
}

/**
 * Holds a copy that became free (a hold ran out or was cancelled, or its reader took another copy)
 * for the next reader waiting for its work, if any and if the copy is on the shelf.
 */
export async function passCopyOn(db: Executor, library: number, copyId: number, today: string, userId: number | null = null): Promise<HoldNotice | null> {
  const { rows } = await sql<HoldRow>`
    with freed as (
      select c.id, c.work_id from fund.copies c
      where c.id = ${copyId} and c.organisation_id = ${library} and c.status = 'available'
        and not exists (select 1 from circulation.loans l where l.copy_id = c.id and l.returned_at is null)
    ), ${holdForNextSql(library, today, userId)}
    select held.id as hold_id, held.hold_until, r.id as hold_reader_id, r.last_name as hold_last_name, r.first_name as hold_first_name,
      r.middle_name as hold_middle_name, r.grade as hold_grade, r.class_letter as hold_class_letter
    from held join readers.readers r on r.id = held.reader_id`.execute(db);
  return holdNotice(rows[0]);
}

/** The hold columns of a statement that may have held a copy (the return, `passCopyOn`). */
export interface HoldRow {
  hold_id: number | null;
  hold_until: string | null;
  hold_reader_id: number | null;
  hold_last_name: string | null;
  hold_first_name: string | null;
  hold_middle_name: string | null;
  hold_grade: number | null;
  hold_class_letter: string | null;
}

export function holdNotice(row: HoldRow | undefined): HoldNotice | null {
  if (!row || row.hold_id === null) return null;
  const reader = { last_name: row.hold_last_name!, first_name: row.hold_first_name!, middle_name: row.hold_middle_name };
  return {
    reservationId: row.hold_id,
    readerId: row.hold_reader_id!,
    readerName: fullName(reader),
    className: className({ grade: row.hold_grade, class_letter: row.hold_class_letter }),
    holdUntil: row.hold_until!,
  };
}

/**
 * Ends what is over: holds whose last day has passed expire, and the active reservations of readers
 * who left (or were anonymised) are cancelled; each copy that was held passes to the next reader
 * waiting. Idempotent; runs when holds are read and in the hourly job.
 */
export async function settleHolds(db: Executor, library: number, today: string): Promise<{ expired: number; cancelled: number; passedOn: number }> {
  return inTransaction(db, async (trx) => {
    const moment = now();
    const { rows: expired } = await sql<{ id: number; copy_id: number; reader_id: number }>`
      update circulation.reservations set status = 'expired', closed_at = ${moment}
      where organisation_id = ${library} and status = 'held' and hold_until < ${today}::date
      returning id, copy_id, reader_id`.execute(trx);
    const { rows: cancelled } = await sql<{ id: number; copy_id: number | null; reader_id: number }>`
      update circulation.reservations rv set status = 'cancelled', closed_at = ${moment}
      from readers.readers r
      where rv.organisation_id = ${library} and rv.status in ('waiting', 'held') and r.id = rv.reader_id
        and (r.status = 'left' or r.anonymised_at is not null)
      returning rv.id, rv.copy_id, rv.reader_id`.execute(trx);
    for (const e of expired) await audit(trx, null, 'expire', 'reservation', e.id, { copyId: e.copy_id, readerId: e.reader_id }, library);
    for (const c of cancelled) await audit(trx, null, 'cancel', 'reservation', c.id, { copyId: c.copy_id, readerId: c.reader_id }, library);
    let passedOn = 0;
    for (const copyId of [...expired, ...cancelled].map((r) => r.copy_id).filter((id): id is number => id !== null)) {
      if (await passCopyOn(trx, library, copyId, today)) passedOn++;
    }
    return { expired: expired.length, cancelled: cancelled.length, passedOn };
  });
}

/** The reader a pupil's or parent's account is linked to (a parent's: the child's). */
function ownReader(actor: Actor): { library: number; readerId: number } {
  allow(actor, 'readers');
  if (actor.readerId === null) throw new AppError('circulation.no_reader_card', 404);
  return { library: actor.organisationId, readerId: actor.readerId };
}

/** What a reservation's checks need, read after the reader's row is locked. */
interface PlaceFacts {
  reader_id: number | null;
  reader_status: string | null;
  blocked: boolean | null;
  last_name: string | null;
  first_name: string | null;
  middle_name: string | null;
  work_id: number | null;
  title: string | null;
  copies: number;
  on_shelf: number;
  at_home: number;
  duplicate: number | null;
  active: number;
  max_active: number | null;
}

export interface PlaceInput {
  workId: number;
  today?: string;
}

/** A pupil or parent reserves a title for the own reader record. */
export async function placeMyReservation(db: Executor, actor: Actor, input: PlaceInput): Promise<ReservationView> {
  const { library, readerId } = ownReader(actor);
  return place(db, actor, library, readerId, input);
}

/** The librarian reserves a title for a reader of the library (at the desk). */
export async function placeReservation(db: Executor, actor: Actor, input: PlaceInput & { readerId: number }): Promise<ReservationView> {
  return place(db, actor, staffLibrary(actor), input.readerId, input);
}

/**
 * Places a reservation: the reader must be an active reader of the library (not blocked), the
 * library must keep the title, no copy may be on the shelf (the reader is told to come and take it),
 * the reader must not have the title at home or reserved already, and must be below the library's
 * limit. The reader's row is locked first, so that two reservations of one reader count one after
 * the other.
 */
async function place(db: Executor, actor: Actor, library: number, readerId: number, input: PlaceInput): Promise<ReservationView> {
  return inTransaction(db, async (trx) => {
    await trx.selectFrom('readers.readers').select('id').where('organisation_id', '=', library).where('id', '=', readerId).forUpdate().execute();
    const { rows } = await sql<PlaceFacts>`
      select r.id as reader_id, r.status as reader_status, (r.blocked_at is not null or r.anonymised_at is not null) as blocked,
        r.last_name, r.first_name, r.middle_name, w.id as work_id, w.title,
        (select count(*)::int from fund.copies c
          where c.organisation_id = ${library} and c.work_id = w.id and c.status not in ('written_off', 'lost')) as copies,
        (select count(*)::int from fund.copies c
          where c.organisation_id = ${library} and c.work_id = w.id and c.status = 'available'
            and not exists (select 1 from circulation.loans l where l.copy_id = c.id and l.returned_at is null)
            and not exists (select 1 from circulation.reservations h where h.copy_id = c.id and h.status = 'held')) as on_shelf,
        (select count(*)::int from circulation.loans l join fund.copies c on c.id = l.copy_id
          where l.organisation_id = ${library} and l.reader_id = r.id and l.returned_at is null and c.work_id = w.id) as at_home,
        (select x.id from circulation.reservations x where x.reader_id = r.id and x.work_id = w.id and x.status in ('waiting', 'held')) as duplicate,
        (select count(*)::int from circulation.reservations x
          where x.organisation_id = ${library} and x.reader_id = r.id and x.status in ('waiting', 'held')) as active,
        (select rr.max_active from circulation.reservation_rules rr where rr.organisation_id = ${library}) as max_active
      from (select 1) as one
      left join readers.readers r on r.organisation_id = ${library} and r.id = ${readerId}
      left join catalog.works w on w.id = ${input.workId}`.execute(trx);
    const facts = rows[0]!;
    if (facts.reader_id === null) throw notFound('reader', readerId);
    const reader = fullName({ last_name: facts.last_name!, first_name: facts.first_name!, middle_name: facts.middle_name });
    if (facts.reader_status !== 'active' || facts.blocked) throw conflict('circulation.reserve_reader_inactive', { reader });
    if (facts.work_id === null) throw notFound('work', input.workId);
    const title = facts.title!;
    if (Number(facts.copies) === 0) throw conflict('circulation.reserve_no_copies', { title });
    if (Number(facts.at_home) > 0) throw conflict('circulation.reserve_at_home', { title });
    if (Number(facts.on_shelf) > 0) throw conflict('circulation.reserve_on_shelf', { title, count: Number(facts.on_shelf) });
    if (facts.duplicate !== null) throw conflict('circulation.reserve_duplicate', { title });
    const max = facts.max_active ?? RESERVATION_DEFAULTS.maxActive;
    if (Number(facts.active) >= max) throw conflict('circulation.reserve_limit', { max });
    const id = await trx
      .insertInto('circulation.reservations')
      .values({ organisation_id: library, work_id: facts.work_id, reader_id: facts.reader_id, placed_by: actor.userId, placed_at: now() })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((r) => r.id)
      .catch((err: unknown) => {
        if (isUniqueViolation(err, 'reservations_one_active_uq')) throw conflict('circulation.reserve_duplicate', { title });
        throw err;
      });
    await audit(trx, actor, 'reserve', 'reservation', id, { workId: facts.work_id, readerId: facts.reader_id }, library);
    return (await reservationViews(trx, library, sql`rv.id = ${id}`))[0]!;
  });
}

/** A pupil or parent cancels an own reservation. */
export async function cancelMyReservation(db: Executor, actor: Actor, input: { id: number; today?: string }): Promise<ReservationView> {
  const { library, readerId } = ownReader(actor);
  return cancel(db, actor, library, input, readerId);
}

/** The librarian cancels a reservation of the library. */
export async function cancelReservation(db: Executor, actor: Actor, input: { id: number; today?: string }): Promise<ReservationView> {
  return cancel(db, actor, staffLibrary(actor), input);
}

async function cancel(db: Executor, actor: Actor, library: number, input: { id: number; today?: string }, readerId?: number): Promise<ReservationView> {
  return inTransaction(db, async (trx) => {
    let query = trx
      .selectFrom('circulation.reservations')
      .select(['id', 'status', 'copy_id', 'reader_id', 'work_id'])
      .where('id', '=', input.id)
      .where('organisation_id', '=', library);
    if (readerId !== undefined) query = query.where('reader_id', '=', readerId);
    const row = await query.forUpdate().executeTakeFirst();
    if (!row) throw notFound('reservation', input.id);
    if (row.status !== 'waiting' && row.status !== 'held') throw conflict('circulation.reservation_closed');
    await trx.updateTable('circulation.reservations').set({ status: 'cancelled', closed_at: now() }).where('id', '=', row.id).execute();
    await audit(trx, actor, 'cancel', 'reservation', row.id, { copyId: row.copy_id, readerId: row.reader_id }, library);
    // a copy held for the reader goes to the next one waiting
    if (row.status === 'held' && row.copy_id !== null) {
      await passCopyOn(trx, library, row.copy_id, input.today ?? (await libraryToday(trx, library)), actor.userId);
    }
    return (await reservationViews(trx, library, sql`rv.id = ${row.id}`))[0]!;
  });
}

interface ReservationRow {
  id: number;
  work_id: number;
  title: string;
  authors: string[];
  reader_id: number;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  grade: number | null;
  class_letter: string | null;
  status: ReservationStatus;
  placed_at: Date | string;
  hold_until: string | null;
  closed_at: Date | string | null;
  barcode: string | null;
  inventory_number: string | null;
  place: number | null;
}

/** The place of a waiting reservation: those of active readers placed before it, and itself. */
export const placeInQueue = sql<number | null>`case when rv.status = 'waiting' then (
    select count(*)::int from circulation.reservations q
    join readers.readers qr on qr.id = q.reader_id and qr.status = 'active' and qr.blocked_at is null
    where q.organisation_id = rv.organisation_id and q.work_id = rv.work_id and q.status = 'waiting'
      and (q.placed_at, q.id) <= (rv.placed_at, rv.id)) end`;

async function reservationViews(db: Executor, library: number, where: RawBuilder<unknown>, order: RawBuilder<unknown> = sql`rv.placed_at, rv.id`): Promise<ReservationView[]> {
  const { rows } = await sql<ReservationRow>`
    select rv.id, rv.work_id, w.title, ${authorsJson(sql.ref('rv.work_id'))} as authors,
      rv.reader_id, r.last_name, r.first_name, r.middle_name, r.grade, r.class_letter,
      rv.status, rv.placed_at, rv.hold_until, rv.closed_at, c.barcode, c.inventory_number, ${placeInQueue} as place
    from circulation.reservations rv
    join catalog.works w on w.id = rv.work_id
    join readers.readers r on r.id = rv.reader_id
    left join fund.copies c on c.id = rv.copy_id and rv.status in ('held', 'expired')
    where rv.organisation_id = ${library} and ${where}
    order by ${order}`.execute(db);
  return rows.map(toView);
}

function toView(r: ReservationRow): ReservationView {
  return {
    id: r.id,
    workId: r.work_id,
    title: r.title,
    authors: r.authors,
    readerId: r.reader_id,
    readerName: fullName(r),
    className: className(r),
    status: r.status,
    placedAt: new Date(r.placed_at).toISOString(),
    place: r.place === null ? null : Number(r.place),
    barcode: r.barcode,
    inventoryNumber: r.inventory_number,
    holdUntil: r.hold_until,
    closedAt: r.closed_at === null ? null : new Date(r.closed_at).toISOString(),
  };
}

const daysAgo = (days: number) => new Date(now().getTime() - days * 86_400_000);

/**
 * The signed-in reader's reservations: the active ones (waiting with the place in the queue, or held
 * until a day) and holds that ran out in the last two weeks. Holds past their day are settled first.
 */
export async function myReservations(db: Executor, actor: Actor, today?: string): Promise<ReservationView[]> {
  const { library, readerId } = ownReader(actor);
  today ??= await libraryToday(db, library);
  await settleHolds(db, library, today);
  return reservationViews(
    db,
    library,
    sql`rv.reader_id = ${readerId} and (rv.status in ('waiting', 'held') or (rv.status = 'expired' and rv.closed_at >= ${daysAgo(14)}))`,
    sql`rv.status = 'held' desc, rv.status = 'waiting' desc, rv.placed_at, rv.id`,
  );
}

/** The library's active reservations, the queue of each title in order; of one reader when asked. */
export async function listReservations(db: Executor, actor: Actor, filter: { status?: 'waiting' | 'held'; readerId?: number } = {}): Promise<ReservationView[]> {
  const library = staffLibrary(actor);
  const statuses = filter.status ? [filter.status] : ['waiting', 'held'];
  const reader = filter.readerId === undefined ? sql`true` : sql`rv.reader_id = ${filter.readerId}`;
  return reservationViews(db, library, sql`rv.status in (${sql.join(statuses)}) and ${reader}`, sql`w.sort_key, w.id, rv.placed_at, rv.id`);
}

export interface HoldShelf {
  /** Copies put aside, the soonest to run out first. */
  held: ReservationView[];
  /** Holds that ran out in the last days with nobody next: the copy goes back on the shelf. */
  expired: ReservationView[];
}

/** The hold shelf of the desk; holds past their day are settled first. */
export async function holdShelf(db: Executor, actor: Actor, today?: string): Promise<HoldShelf> {
  const library = staffLibrary(actor);
  today ??= await libraryToday(db, library);
  await settleHolds(db, library, today);
  const held = await reservationViews(db, library, sql`rv.status = 'held'`, sql`rv.hold_until, c.barcode, rv.id`);
  // the last hold of its copy, when the copy has been neither held again nor issued since
  const expired = await reservationViews(
    db,
    library,
    sql`rv.status = 'expired' and rv.closed_at >= ${daysAgo(EXPIRED_SHOWN_DAYS)} and c.status = 'available'
      and not exists (select 1 from circulation.reservations x
        where x.copy_id = rv.copy_id and x.id <> rv.id and (x.status = 'held' or x.closed_at > rv.closed_at))
      and not exists (select 1 from circulation.loans l where l.copy_id = rv.copy_id and l.issued_at > rv.closed_at)`,
    sql`rv.closed_at desc, rv.id`,
  );
  return { held, expired };
}

/**
 * Removes a reader's reservations before the reader's data is erased: a copy held for the reader
 * passes to the next one waiting. Call inside the erasure's transaction.
 */
export async function forgetReservations(db: Executor, library: number, readerIds: readonly number[], today: string): Promise<number> {
  if (!readerIds.length) return 0;
  const gone = await db
    .deleteFrom('circulation.reservations')
    .where('organisation_id', '=', library)
    .where('reader_id', 'in', [...readerIds])
    .returning(['status', 'copy_id'])
    .execute();
  for (const r of gone) if (r.status === 'held' && r.copy_id !== null) await passCopyOn(db, library, r.copy_id, today);
  return gone.length;
}
