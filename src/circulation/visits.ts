import { sql } from 'kysely';
import { libraryOf, requireRole, type Actor } from '../auth/actor.js';
import { auditedChange } from '../db/transaction.js';
import type { Executor } from '../db/executor.js';
import { registerActivity } from '../readers/registrations.js';
import { invalid, notFound } from '../shared/errors.js';
import { libraryToday } from '../shared/library-time.js';
import type { ContactKind } from './schema.js';

const deskLibrary = (actor: Actor) => libraryOf(requireRole(actor, 'librarian', 'admin'));

/**
 * One visit per reader per day, however many times the card is scanned; the first activity of a
 * year also re-registers the reader for it. A reading-room visit marks the day's visit as one.
 */
export async function countVisit(db: Executor, organisationId: number, readerId: number, day: string, readingRoom = false): Promise<void> {
  await db
    .insertInto('circulation.visits')
    .values({ organisation_id: organisationId, reader_id: readerId, visited_on: day, reading_room: readingRoom })
    .onConflict((oc) => (readingRoom ? oc.columns(['reader_id', 'visited_on']).doUpdateSet({ reading_room: true }) : oc.columns(['reader_id', 'visited_on']).doNothing()))
    .execute();
  await registerActivity(db, organisationId, readerId, day, 'visit');
}

/** A contact that is not a reader-day at the desk: event attendance or a remote contact. */
export async function recordContact(
  db: Executor,
  organisationId: number,
  input: { kind: ContactKind; day: string; quantity?: number; readerId?: number | null; note?: string | null; recordedBy?: number | null },
): Promise<number> {
  const row = await db
    .insertInto('circulation.contacts')
    .values({
      organisation_id: organisationId,
      kind: input.kind,
      occurred_on: input.day,
      quantity: input.quantity ?? 1,
      reader_id: input.readerId ?? null,
      note: input.note ?? null,
      recorded_by: input.recordedBy ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function checkReader(db: Executor, library: number, readerId: number) {
  const reader = await db.selectFrom('readers.readers').select('id').where('id', '=', readerId).where('organisation_id', '=', library).executeTakeFirst();
  if (!reader) throw notFound('reader', readerId);
}

function checkDay(day: string, today: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) throw invalid('reports.bad_date', { value: day });
  if (day > today) throw invalid('reports.future_date', { value: day });
}

/** The librarian records contacts counted by hand: attendance of an event, virtual references. */
export async function addContact(
  db: Executor,
  actor: Actor,
  input: { kind: ContactKind; day?: string; quantity: number; readerId?: number | null; note?: string | null },
): Promise<{ id: number }> {
  const library = deskLibrary(actor);
  const today = await libraryToday(db, library);
  const day = input.day ?? today;
  checkDay(day, today);
  if (input.readerId) await checkReader(db, library, input.readerId);
  return auditedChange(
    db,
    actor,
    (r: { id: number }) => ({ action: 'record', entity: 'contact', entityId: r.id, details: { kind: input.kind, day, quantity: input.quantity } }),
    async (trx) => {
      const id = await recordContact(trx, library, { ...input, day, recordedBy: actor.userId });
      // A reader who came to an event re-registers for the year like at any other visit.
      if (input.kind === 'event' && input.readerId) await registerActivity(trx, library, input.readerId, day, 'visit');
      return { id };
    },
  );
}

/** Documents used in the reading room by a reader: a visit of the day (in the reading room) and its items. */
export async function addReadingRoomUse(
  db: Executor,
  actor: Actor,
  input: { readerId: number; day?: string; items: number; copyId?: number | null },
): Promise<{ id: number }> {
  const library = deskLibrary(actor);
  const today = await libraryToday(db, library);
  const day = input.day ?? today;
  checkDay(day, today);
  await checkReader(db, library, input.readerId);
  if (input.copyId) {
    const copy = await db.selectFrom('fund.copies').select('id').where('id', '=', input.copyId).where('organisation_id', '=', library).executeTakeFirst();
    if (!copy) throw notFound('copy', input.copyId);
  }
  return auditedChange(
    db,
    actor,
    (r: { id: number }) => ({ action: 'record', entity: 'reading_room_use', entityId: r.id, details: { readerId: input.readerId, day, items: input.items } }),
    async (trx) => {
      await countVisit(trx, library, input.readerId, day, true);
      const row = await trx
        .insertInto('circulation.reading_room_uses')
        .values({ organisation_id: library, reader_id: input.readerId, copy_id: input.copyId ?? null, used_on: day, items: input.items, recorded_by: actor.userId })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: row.id };
    },
  );
}

/** Used by tests and the demo: the reader-days of a library in a period. */
export async function visitDays(db: Executor, organisationId: number, from: string, to: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from circulation.visits
    where organisation_id = ${organisationId} and visited_on between ${from} and ${to}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
