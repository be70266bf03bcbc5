import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { invalid, notFound } from '../shared/errors.js';
import { checkDate, eventsStaff, eventsViewer, ownRow, trimOrNull } from './access.js';

export interface EventInput {
  heldOn: string;
  title: string;
  form: string;
  classes?: string | null;
  pupils?: number;
  teachers?: number;
  parents?: number;
  others?: number;
  planEntryId?: number | null;
  note?: string | null;
  isPublic?: boolean;
}

export interface EventView {
  id: number;
  heldOn: string;
  title: string;
  form: string;
  classes: string | null;
  pupils: number;
  teachers: number;
  parents: number;
  others: number;
  participants: number;
  planEntryId: number | null;
  planEntryTitle: string | null;
  note: string | null;
  isPublic: boolean;
  photos: number[];
}

const count = (v: number | undefined, field: string) => {
  const n = v ?? 0;
  if (!Number.isInteger(n) || n < 0) throw invalid('events.bad_participants', { field, value: String(v) });
  if (n > 100_000) throw invalid('events.too_many_participants', { field, value: n });
  return n;
};

async function rowOf(db: Executor, org: number, input: EventInput) {
  const title = input.title.trim();
  if (!title) throw invalid('events.title_missing');
  checkDate(input.heldOn, 'heldOn');
  if (input.planEntryId != null) {
    const e = await db.selectFrom('events.plan_entries').select('id').where('id', '=', input.planEntryId).where('organisation_id', '=', org).executeTakeFirst();
    if (!e) throw notFound('plan_entry', input.planEntryId);
  }
  return {
    held_on: input.heldOn,
    title,
    form: input.form,
    classes: trimOrNull(input.classes),
    pupils: count(input.pupils, 'pupils'),
    teachers: count(input.teachers, 'teachers'),
    parents: count(input.parents, 'parents'),
    others: count(input.others, 'others'),
    plan_entry_id: input.planEntryId ?? null,
    note: trimOrNull(input.note),
    is_public: input.isPublic ?? false,
  };
}

/** Records an event held; when it fulfils a plan entry, that entry is marked held. */
export async function recordEvent(db: Executor, actor: Actor, input: EventInput): Promise<number> {
  const { who, org } = eventsStaff(actor);
  const values = await rowOf(db, org, input);
  return auditedChange(
    db,
    who,
    (id: number) => ({ action: 'create', entity: 'event', entityId: id, details: { title: values.title, heldOn: values.held_on } }),
    async (trx) => {
      const r = await trx.insertInto('events.events').values({ ...values, organisation_id: org, created_by: who.userId }).returning('id').executeTakeFirstOrThrow();
      if (values.plan_entry_id !== null) await trx.updateTable('events.plan_entries').set({ status: 'held' }).where('id', '=', values.plan_entry_id).execute();
      return Number(r.id);
    },
  );
}

export async function updateEvent(db: Executor, actor: Actor, id: number, input: EventInput): Promise<void> {
  const { who, org } = eventsStaff(actor);
  await ownRow(db, 'events.events', id, org, 'event');
  const values = await rowOf(db, org, input);
  await auditedChange(db, who, { action: 'update', entity: 'event', entityId: id, details: { title: values.title } }, async (trx) => {
    await trx.updateTable('events.events').set(values).where('id', '=', id).execute();
    if (values.plan_entry_id !== null) await trx.updateTable('events.plan_entries').set({ status: 'held' }).where('id', '=', values.plan_entry_id).execute();
  });
}

export async function deleteEvent(db: Executor, actor: Actor, id: number): Promise<void> {
  const { who, org } = eventsStaff(actor);
  await ownRow(db, 'events.events', id, org, 'event');
  await auditedChange(db, who, { action: 'delete', entity: 'event', entityId: id }, async (trx) => {
    await trx.deleteFrom('events.events').where('id', '=', id).execute();
  });
}

export async function listEvents(db: Executor, actor: Actor, q: { from?: string; to?: string; form?: string }): Promise<EventView[]> {
  const { org } = eventsViewer(actor);
  return eventsOf(db, org, q);
}

export async function eventsOf(db: Executor, org: number, q: { from?: string; to?: string; form?: string; publicOnly?: boolean; limit?: number }): Promise<EventView[]> {
  let query = db
    .selectFrom('events.events as e')
    .leftJoin('events.plan_entries as p', 'p.id', 'e.plan_entry_id')
    .selectAll('e')
    .select('p.title as plan_title')
    .where('e.organisation_id', '=', org);
  if (q.from) query = query.where('e.held_on', '>=', checkDate(q.from, 'from'));
  if (q.to) query = query.where('e.held_on', '<=', checkDate(q.to, 'to'));
  if (q.form) query = query.where('e.form', '=', q.form);
  if (q.publicOnly) query = query.where('e.is_public', '=', true);
  const rows = await query.orderBy('e.held_on', 'desc').orderBy('e.id', 'desc').limit(q.limit ?? 2000).execute();
  const photos = rows.length
    ? await db.selectFrom('events.event_photos').select(['id', 'event_id']).where('event_id', 'in', rows.map((r) => r.id)).orderBy('id').execute()
    : [];
  return rows.map((r) => ({
    id: Number(r.id),
    heldOn: r.held_on,
    title: r.title,
    form: r.form,
    classes: r.classes,
    pupils: r.pupils,
    teachers: r.teachers,
    parents: r.parents,
    others: r.others,
    participants: r.pupils + r.teachers + r.parents + r.others,
    planEntryId: r.plan_entry_id === null ? null : Number(r.plan_entry_id),
    planEntryTitle: r.plan_title ?? null,
    note: r.note,
    isPublic: r.is_public,
    photos: photos.filter((p) => Number(p.event_id) === Number(r.id)).map((p) => Number(p.id)),
  }));
}

export const PHOTO_LIMIT = 5 * 1024 * 1024;

/** A JPEG or PNG photo of an event, told by its first bytes rather than by its name. */
export function photoMime(bytes: Buffer): 'image/jpeg' | 'image/png' | null {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

export async function addPhoto(db: Executor, actor: Actor, eventId: number, bytes: Buffer): Promise<number> {
  const { who, org } = eventsStaff(actor);
  await ownRow(db, 'events.events', eventId, org, 'event');
  if (bytes.length > PHOTO_LIMIT) throw invalid('events.photo_too_large', { max: 5 });
  const mime = photoMime(bytes);
  if (!mime) throw invalid('events.photo_not_image');
  return auditedChange(
    db,
    who,
    (id: number) => ({ action: 'add_photo', entity: 'event', entityId: eventId, details: { photoId: id, bytes: bytes.length } }),
    async (trx) => Number((await trx.insertInto('events.event_photos').values({ organisation_id: org, event_id: eventId, mime, bytes }).returning('id').executeTakeFirstOrThrow()).id),
  );
}

/** A photo of the library's event: staff see all; the public page shows those of public events. */
export async function photoOf(db: Executor, org: number, photoId: number, publicOnly: boolean) {
  let q = db
    .selectFrom('events.event_photos as p')
    .innerJoin('events.events as e', 'e.id', 'p.event_id')
    .select(['p.mime', 'p.bytes'])
    .where('p.id', '=', photoId)
    .where('p.organisation_id', '=', org);
  if (publicOnly) q = q.where('e.is_public', '=', true);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('photo', photoId);
  return row;
}
