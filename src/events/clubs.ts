import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { libraryToday } from '../shared/library-time.js';
import { checkDate, eventsStaff, eventsViewer, ownRow, trimOrNull } from './access.js';

export interface ClubInput {
  name: string;
  genre?: string | null;
  leader?: string | null;
  meets?: string | null;
  target?: string | null;
  active?: boolean;
}

function clubRow(input: ClubInput) {
  const name = input.name.trim();
  if (!name) throw invalid('events.name_missing');
  return { name, genre: trimOrNull(input.genre), leader: trimOrNull(input.leader), meets: trimOrNull(input.meets), target: trimOrNull(input.target), active: input.active ?? true };
}

export async function createClub(db: Executor, actor: Actor, input: ClubInput): Promise<number> {
  const { who, org } = eventsStaff(actor);
  const values = clubRow(input);
  return auditedChange(
    db,
    who,
    (id: number) => ({ action: 'create', entity: 'club', entityId: id, details: { name: values.name } }),
    async (trx) => Number((await trx.insertInto('events.clubs').values({ ...values, organisation_id: org }).returning('id').executeTakeFirstOrThrow()).id),
  );
}

export async function updateClub(db: Executor, actor: Actor, id: number, input: ClubInput): Promise<void> {
  const { who, org } = eventsStaff(actor);
  await ownRow(db, 'events.clubs', id, org, 'club');
  const values = clubRow(input);
  await auditedChange(db, who, { action: 'update', entity: 'club', entityId: id, details: { name: values.name } }, async (trx) => {
    await trx.updateTable('events.clubs').set(values).where('id', '=', id).execute();
  });
}

export async function listClubs(db: Executor, actor: Actor) {
  const { org } = eventsViewer(actor);
  const rows = await db
    .selectFrom('events.clubs as c')
    .selectAll('c')
    .select((eb) => eb.selectFrom('events.club_members as m').select(eb.fn.countAll<number>().as('n')).whereRef('m.club_id', '=', 'c.id').where('m.left_on', 'is', null).as('members'))
    .select((eb) => eb.selectFrom('events.club_sessions as s').select(eb.fn.countAll<number>().as('n')).whereRef('s.club_id', '=', 'c.id').as('sessions'))
    .where('c.organisation_id', '=', org)
    .orderBy('c.name')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    genre: r.genre,
    leader: r.leader,
    meets: r.meets,
    target: r.target,
    active: r.active,
    members: Number(r.members ?? 0),
    sessions: Number(r.sessions ?? 0),
  }));
}

/** A club with its members (readers of the library) and its sessions with attendance. */
export async function getClub(db: Executor, actor: Actor, id: number) {
  const { org } = eventsViewer(actor);
  const club = (await listClubs(db, actor)).find((c) => c.id === id);
  if (!club) throw notFound('club', id);
  const members = await db
    .selectFrom('events.club_members as m')
    .innerJoin('readers.readers as r', 'r.id', 'm.reader_id')
    .select(['m.id', 'm.reader_id', 'm.joined_on', 'm.left_on', 'r.last_name', 'r.first_name', 'r.grade', 'r.class_letter', 'r.kind'])
    .where('m.club_id', '=', id)
    .where('m.organisation_id', '=', org)
    .orderBy('r.last_name')
    .orderBy('r.first_name')
    .execute();
  const sessions = await db.selectFrom('events.club_sessions').selectAll().where('club_id', '=', id).where('organisation_id', '=', org).orderBy('held_on', 'desc').execute();
  const attendance = sessions.length
    ? await db.selectFrom('events.club_attendance').selectAll().where('session_id', 'in', sessions.map((s) => s.id)).execute()
    : [];
  return {
    ...club,
    memberList: members.map((m) => ({
      id: Number(m.id),
      readerId: Number(m.reader_id),
      name: `${m.last_name} ${m.first_name}`,
      className: m.grade !== null ? `${m.grade} ${m.class_letter ?? ''}`.trim() : null,
      joinedOn: m.joined_on,
      leftOn: m.left_on,
    })),
    sessionList: sessions.map((s) => ({
      id: Number(s.id),
      heldOn: s.held_on,
      topic: s.topic,
      guests: s.guests,
      note: s.note,
      present: attendance.filter((a) => Number(a.session_id) === Number(s.id)).map((a) => Number(a.member_id)),
    })),
  };
}

export async function addMember(db: Executor, actor: Actor, clubId: number, readerId: number, joinedOn?: string): Promise<number> {
  const { who, org } = eventsStaff(actor);
  await ownRow(db, 'events.clubs', clubId, org, 'club');
  const reader = await db.selectFrom('readers.readers').select('id').where('id', '=', readerId).where('organisation_id', '=', org).executeTakeFirst();
  if (!reader) throw notFound('reader', readerId);
  const on = joinedOn ? checkDate(joinedOn, 'joinedOn') : await libraryToday(db, org);
  const existing = await db.selectFrom('events.club_members').select(['id', 'left_on']).where('club_id', '=', clubId).where('reader_id', '=', readerId).executeTakeFirst();
  if (existing && existing.left_on === null) throw conflict('events.already_member');
  return auditedChange(
    db,
    who,
    (id: number) => ({ action: 'add_member', entity: 'club', entityId: clubId, details: { memberId: id } }),
    async (trx) => {
      if (existing) {
        await trx.updateTable('events.club_members').set({ left_on: null, joined_on: on }).where('id', '=', existing.id).execute();
        return Number(existing.id);
      }
      return Number((await trx.insertInto('events.club_members').values({ organisation_id: org, club_id: clubId, reader_id: readerId, joined_on: on }).returning('id').executeTakeFirstOrThrow()).id);
    },
  );
}

export async function removeMember(db: Executor, actor: Actor, memberId: number, leftOn?: string): Promise<void> {
  const { who, org } = eventsStaff(actor);
  await ownRow(db, 'events.club_members', memberId, org, 'club_member');
  const on = leftOn ? checkDate(leftOn, 'leftOn') : await libraryToday(db, org);
  await auditedChange(db, who, { action: 'remove_member', entity: 'club', entityId: memberId, details: { leftOn: on } }, async (trx) => {
    await trx.updateTable('events.club_members').set({ left_on: on }).where('id', '=', memberId).execute();
  });
}

/** A session of the club with the members present (members of this club only). */
export async function recordSession(db: Executor, actor: Actor, clubId: number, input: { heldOn: string; topic: string; guests?: number; note?: string | null; present: number[] }): Promise<number> {
  const { who, org } = eventsStaff(actor);
  await ownRow(db, 'events.clubs', clubId, org, 'club');
  checkDate(input.heldOn, 'heldOn');
  const topic = input.topic.trim();
  if (!topic) throw invalid('events.title_missing');
  if (input.guests !== undefined && (!Number.isInteger(input.guests) || input.guests < 0)) throw invalid('events.bad_participants', { field: 'guests', value: String(input.guests) });
  const present = [...new Set(input.present)];
  if (present.length) {
    const members = await db.selectFrom('events.club_members').select('id').where('club_id', '=', clubId).where('id', 'in', present).execute();
    const unknown = present.find((p) => !members.some((m) => Number(m.id) === p));
    if (unknown !== undefined) throw notFound('club_member', unknown);
  }
  return auditedChange(
    db,
    who,
    (id: number) => ({ action: 'add_session', entity: 'club', entityId: clubId, details: { sessionId: id, present: present.length } }),
    async (trx) => {
      const s = await trx
        .insertInto('events.club_sessions')
        .values({ organisation_id: org, club_id: clubId, held_on: input.heldOn, topic, guests: input.guests ?? 0, note: trimOrNull(input.note) })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (present.length) await trx.insertInto('events.club_attendance').values(present.map((m) => ({ session_id: s.id, member_id: m }))).execute();
      return Number(s.id);
    },
  );
}
