import { belongsTo } from '../auth/guard.js';
import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { formatClassName } from '../readers/classes.js';
import { AppError, conflict, invalid, isUniqueViolation } from '../shared/errors.js';
import { addDays, libraryToday } from '../shared/library-time.js';
import { ownReaderOf, readingStaff } from './access.js';

export interface Challenge {
  id: number;
  title: string;
  startsOn: string;
  endsOn: string;
  days: number;
  minutesPerDay: number;
  entrants: number;
}

async function challengeRow(db: Executor, organisationId: number, id: number) {
  const row = await db.selectFrom('reading.challenges').selectAll().where('id', '=', id).where('organisation_id', '=', organisationId).executeTakeFirst();
  if (!row) throw new AppError('reading.challenge_not_found', 404, { id });
  return row;
}

export async function listChallenges(db: Executor, organisationId: number): Promise<Challenge[]> {
  const rows = await db
    .selectFrom('reading.challenges as c')
    .select(['c.id', 'c.title', 'c.starts_on', 'c.days', 'c.minutes_per_day'])
    .select((eb) => eb.selectFrom('reading.challenge_entrants as e').select(eb.fn.countAll<number>().as('n')).whereRef('e.challenge_id', '=', 'c.id').as('entrants'))
    .where('c.organisation_id', '=', organisationId)
    .orderBy('c.starts_on', 'desc')
    .orderBy('c.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    startsOn: r.starts_on,
    endsOn: addDays(r.starts_on, r.days - 1),
    days: r.days,
    minutesPerDay: r.minutes_per_day,
    entrants: Number(r.entrants ?? 0),
  }));
}

export async function createChallenge(db: Executor, actor: Actor | null, input: { title: string; startsOn: string; days?: number; minutesPerDay?: number }): Promise<Challenge> {
  const library = readingStaff(actor);
  const id = await auditedChange(
    db,
    actor,
    (id: number) => ({ action: 'create', entity: 'reading_challenge', entityId: id, details: { title: input.title, startsOn: input.startsOn }, organisationId: library }),
    async (trx) =>
      (
        await trx
          .insertInto('reading.challenges')
          .values({ organisation_id: library, title: input.title.trim(), starts_on: input.startsOn, days: input.days ?? 30, minutes_per_day: input.minutesPerDay ?? 20 })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
  );
  return (await listChallenges(db, library)).find((c) => c.id === id)!;
}

async function join(db: Executor, actor: Actor | null, library: number, challengeId: number, readerId: number): Promise<void> {
  await challengeRow(db, library, challengeId);
  const reader = await db.selectFrom('readers.readers').select('id').where('id', '=', readerId).where('organisation_id', '=', library).executeTakeFirst();
  if (!reader) throw new AppError('reading.reader_not_found', 404, { id: readerId });
  const today = await libraryToday(db, library);
  try {
    await auditedChange(
      db,
      actor,
      { action: 'join', entity: 'reading_challenge', entityId: challengeId, details: { readerId }, organisationId: library },
      async (trx) => {
        await trx.insertInto('reading.challenge_entrants').values({ challenge_id: challengeId, reader_id: readerId, organisation_id: library, joined_on: today }).execute();
      },
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('reading.already_joined', { id: challengeId });
    throw err;
  }
}

/** The librarian enrols a reader, or a pupil joins by themself. */
export async function joinChallenge(db: Executor, actor: Actor | null, challengeId: number, readerId?: number): Promise<void> {
  if (belongsTo(actor, 'readers')) {
    const own = ownReaderOf(actor);
    return join(db, actor, own.library, challengeId, own.readerId);
  }
  const library = readingStaff(actor);
  if (readerId === undefined) throw invalid('reading.reader_missing');
  return join(db, actor, library, challengeId, readerId);
}

export interface CardDay {
  day: string;
  index: number;
  state: 'stamped' | 'logged' | 'missed' | 'today' | 'ahead';
  minutes: number | null;
  note: string | null;
}

export interface ChallengeCard {
  challenge: Challenge;
  readerId: number;
  readerName: string;
  className: string | null;
  days: CardDay[];
  stamped: number;
  missed: number;
  logged: number;
}

/** A reader's card: every day of the challenge, stamped, logged and waiting for the stamp, missed, or ahead. */
export async function challengeCard(db: Executor, library: number, challengeId: number, readerId: number): Promise<ChallengeCard> {
  const c = await challengeRow(db, library, challengeId);
  const entrant = await db
    .selectFrom('reading.challenge_entrants as e')
    .innerJoin('readers.readers as r', 'r.id', 'e.reader_id')
    .select(['r.last_name', 'r.first_name', 'r.grade', 'r.class_letter'])
    .where('e.challenge_id', '=', challengeId)
    .where('e.reader_id', '=', readerId)
    .executeTakeFirst();
  if (!entrant) throw new AppError('reading.not_in_challenge', 404, { id: challengeId });
  const logged = await db.selectFrom('reading.challenge_days').selectAll().where('challenge_id', '=', challengeId).where('reader_id', '=', readerId).execute();
  const byDay = new Map(logged.map((d) => [d.day, d]));
  const today = await libraryToday(db, library);
  const days: CardDay[] = [];
  for (let i = 0; i < c.days; i++) {
    const day = addDays(c.starts_on, i);
    const d = byDay.get(day);
    const state: CardDay['state'] = d ? (d.stamped_at ? 'stamped' : 'logged') : day < today ? 'missed' : day === today ? 'today' : 'ahead';
    days.push({ day, index: i + 1, state, minutes: d?.minutes ?? null, note: d?.note ?? null });
  }
  const challenge = (await listChallenges(db, library)).find((x) => x.id === challengeId)!;
  return {
    challenge,
    readerId,
    readerName: `${entrant.last_name} ${entrant.first_name}`,
    className: formatClassName(entrant.grade, entrant.class_letter),
    days,
    stamped: days.filter((d) => d.state === 'stamped').length,
    missed: days.filter((d) => d.state === 'missed').length,
    logged: days.filter((d) => d.state === 'logged').length,
  };
}

/** The card of the signed-in pupil in a challenge. */
export async function myChallengeCard(db: Executor, actor: Actor | null, challengeId: number): Promise<ChallengeCard> {
  const own = ownReaderOf(actor);
  return challengeCard(db, own.library, challengeId, own.readerId);
}

/** The challenges the signed-in pupil is in. */
export async function myChallenges(db: Executor, actor: Actor | null): Promise<Challenge[]> {
  const own = ownReaderOf(actor);
  const ids = await db.selectFrom('reading.challenge_entrants').select('challenge_id').where('reader_id', '=', own.readerId).execute();
  const set = new Set(ids.map((r) => r.challenge_id));
  return (await listChallenges(db, own.library)).filter((c) => set.has(c.id));
}

async function checkDay(db: Executor, library: number, challengeId: number, day: string) {
  const c = await challengeRow(db, library, challengeId);
  const today = await libraryToday(db, library);
  if (day > today) throw invalid('reading.date_in_future', { date: day });
  if (day < c.starts_on || day > addDays(c.starts_on, c.days - 1)) throw invalid('reading.day_outside_challenge', { date: day });
  return c;
}

/** A pupil writes the day's minutes and the 3-minute note; the librarian's stamp follows. */
export async function logChallengeDay(db: Executor, actor: Actor | null, challengeId: number, input: { day?: string; minutes: number; note?: string | null }): Promise<ChallengeCard> {
  const own = ownReaderOf(actor);
  const day = input.day ?? (await libraryToday(db, own.library));
  await checkDay(db, own.library, challengeId, day);
  await challengeCard(db, own.library, challengeId, own.readerId);
  try {
    await auditedChange(
      db,
      actor,
      { action: 'log_day', entity: 'reading_challenge', entityId: challengeId, details: { readerId: own.readerId, day }, organisationId: own.library },
      async (trx) => {
        await trx
          .insertInto('reading.challenge_days')
          .values({ challenge_id: challengeId, reader_id: own.readerId, organisation_id: own.library, day, minutes: input.minutes, note: input.note?.trim() || null })
          .execute();
      },
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('reading.day_already_logged', { date: day });
    throw err;
  }
  return challengeCard(db, own.library, challengeId, own.readerId);
}

/** The librarian stamps a reader's day (writing it when the pupil brought a paper card). */
export async function stampChallengeDay(
  db: Executor,
  actor: Actor | null,
  challengeId: number,
  input: { readerId: number; day: string; minutes?: number; note?: string | null },
): Promise<ChallengeCard> {
  const library = readingStaff(actor);
  const c = await checkDay(db, library, challengeId, input.day);
  await challengeCard(db, library, challengeId, input.readerId);
  await auditedChange(
    db,
    actor,
    { action: 'stamp', entity: 'reading_challenge', entityId: challengeId, details: { readerId: input.readerId, day: input.day }, organisationId: library },
    async (trx) => {
      await trx
        .insertInto('reading.challenge_days')
        .values({
          challenge_id: challengeId,
          reader_id: input.readerId,
          organisation_id: library,
          day: input.day,
          minutes: input.minutes ?? c.minutes_per_day,
          note: input.note?.trim() || null,
          stamped_by: actor!.userId,
          stamped_at: new Date(),
        })
        .onConflict((oc) => oc.columns(['challenge_id', 'reader_id', 'day']).doUpdateSet({ stamped_by: actor!.userId, stamped_at: new Date() }))
        .execute();
    },
  );
  return challengeCard(db, library, challengeId, input.readerId);
}

/** Every entrant's card in short: stamped, waiting and missed days, for the librarian's table. */
export async function challengeBoard(db: Executor, actor: Actor | null, challengeId: number) {
  const library = readingStaff(actor);
  const entrants = await db.selectFrom('reading.challenge_entrants').select('reader_id').where('challenge_id', '=', challengeId).where('organisation_id', '=', library).execute();
  await challengeRow(db, library, challengeId);
  const cards = [];
  for (const e of entrants) cards.push(await challengeCard(db, library, challengeId, e.reader_id));
  cards.sort((a, b) => b.stamped - a.stamped || a.readerName.localeCompare(b.readerName, 'kk'));
  return cards;
}
