import type nodemailer from 'nodemailer';
import { lazy } from '../shared/lazy.js';
import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { readersWithConsent } from '../readers/consent.js';
import { AppError, conflict, invalid } from '../shared/errors.js';
import { libraryToday } from '../shared/library-time.js';
import { newSeed, seededRandom, shuffled } from './seeded.js';
import type { DrawRole } from './schema.js';

const mail = lazy<typeof nodemailer>('nodemailer');

export interface DrawParticipant {
  id: number;
  name: string;
  role: DrawRole;
  email: string | null;
  wishedBook: string;
  number: number | null;
  /** The number of the participant this one gives a book to. */
  givesToNumber: number | null;
  /** The book to give: what the partner wished. */
  bookToGive: string | null;
  /** The partner's name: kept secret until the day of the gift. */
  givesToName: string | null;
  notified: 'email' | 'slip' | null;
}

export interface Draw {
  id: number;
  title: string;
  giftOn: string;
  seed: string | null;
  drawnAt: string | null;
  partnersRevealed: boolean;
  participants: DrawParticipant[];
}

async function drawRow(db: Executor, library: number, id: number) {
  const row = await db.selectFrom('reading.draws').selectAll().where('id', '=', id).where('organisation_id', '=', library).executeTakeFirst();
  if (!row) throw new AppError('reading.draw_not_found', 404, { id });
  return row;
}

export async function listDraws(db: Executor, library: number) {
  const rows = await db
    .selectFrom('reading.draws as d')
    .select(['d.id', 'd.title', 'd.gift_on', 'd.drawn_at'])
    .select((eb) => eb.selectFrom('reading.draw_participants as p').select(eb.fn.countAll<number>().as('n')).whereRef('p.draw_id', '=', 'd.id').as('participants'))
    .where('d.organisation_id', '=', library)
    .orderBy('d.gift_on', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, giftOn: r.gift_on, drawn: r.drawn_at !== null, participants: Number(r.participants ?? 0) }));
}

export async function getDraw(db: Executor, library: number, id: number): Promise<Draw> {
  const d = await drawRow(db, library, id);
  const rows = await db.selectFrom('reading.draw_participants').selectAll().where('draw_id', '=', id).orderBy('number').orderBy('id').execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const revealed = d.drawn_at !== null && (await libraryToday(db, library)) >= d.gift_on;
  return {
    id: d.id,
    title: d.title,
    giftOn: d.gift_on,
    seed: d.seed,
    drawnAt: d.drawn_at ? new Date(d.drawn_at).toISOString() : null,
    partnersRevealed: revealed,
    participants: rows.map((p) => {
      const to = p.gives_to === null ? undefined : byId.get(p.gives_to);
      return {
        id: p.id,
        name: p.name,
        role: p.role,
        email: p.email,
        wishedBook: p.wished_book,
        number: p.number,
        givesToNumber: to?.number ?? null,
        bookToGive: to?.wished_book ?? null,
        givesToName: revealed && to ? to.name : null,
        notified: p.notified,
      };
    }),
  };
}

export async function createDraw(db: Executor, actor: Actor, library: number, input: { title: string; giftOn: string }): Promise<Draw> {
  const id = await auditedChange(
    db,
    actor,
    (id: number) => ({ action: 'create', entity: 'gift_draw', entityId: id, details: { title: input.title, giftOn: input.giftOn }, organisationId: library }),
    async (trx) =>
      (await trx.insertInto('reading.draws').values({ organisation_id: library, title: input.title.trim(), gift_on: input.giftOn }).returning('id').executeTakeFirstOrThrow()).id,
  );
  return getDraw(db, library, id);
}

/**
 * Registers a participant: a pupil, teacher, parent, the head or staff. A pupil's e-mail is kept only
 * when the parent's consent to contact is on record.
 */
export async function addParticipant(
  db: Executor,
  actor: Actor,
  library: number,
  drawId: number,
  input: { name: string; role: DrawRole; email?: string | null; wishedBook: string; readerId?: number | null },
): Promise<Draw> {
  const d = await drawRow(db, library, drawId);
  if (d.drawn_at) throw conflict('reading.draw_done', { id: drawId });
  const readerId = input.readerId ?? null;
  if (readerId !== null) {
    const reader = await db.selectFrom('readers.readers').select('id').where('id', '=', readerId).where('organisation_id', '=', library).executeTakeFirst();
    if (!reader) throw new AppError('reading.reader_not_found', 404, { id: readerId });
  }
  let email = input.email?.trim() || null;
  if (email && input.role === 'pupil') {
    const consented = readerId !== null && (await readersWithConsent(db, library, [readerId], 'contact')).has(readerId);
    if (!consented) throw invalid('reading.pupil_email_without_consent');
  }
  await auditedChange(
    db,
    actor,
    { action: 'add_participant', entity: 'gift_draw', entityId: drawId, details: { name: input.name, role: input.role }, organisationId: library },
    async (trx) => {
      await trx
        .insertInto('reading.draw_participants')
        .values({ draw_id: drawId, organisation_id: library, reader_id: readerId, name: input.name.trim(), role: input.role, email, wished_book: input.wishedBook.trim() })
        .execute();
    },
  );
  return getDraw(db, library, drawId);
}

/**
 * The pairs a seed gives: participants (by id, in registration order) shuffled into one circle; each
 * gets the number of their place and gives a book to the next. Nobody draws themself.
 */
export function pairsFromSeed(participantIds: readonly number[], seed: string): { id: number; number: number; givesTo: number }[] {
  const circle = shuffled([...participantIds].sort((a, b) => a - b), seededRandom(seed, 'gift draw'));
  return circle.map((id, i) => ({ id, number: i + 1, givesTo: circle[(i + 1) % circle.length]! }));
}

/** The draw itself, with a recorded seed (given, or made now) so that anyone can repeat it. */
export async function performDraw(db: Executor, actor: Actor, library: number, drawId: number, seedGiven?: string): Promise<Draw> {
  const d = await drawRow(db, library, drawId);
  if (d.drawn_at) throw conflict('reading.draw_done', { id: drawId });
  const participants = await db.selectFrom('reading.draw_participants').select('id').where('draw_id', '=', drawId).execute();
  if (participants.length < 2) throw invalid('reading.draw_too_few', { count: participants.length });
  const seed = seedGiven?.trim() || newSeed();
  const pairs = pairsFromSeed(
    participants.map((p) => p.id),
    seed,
  );
  await auditedChange(
    db,
    actor,
    { action: 'draw', entity: 'gift_draw', entityId: drawId, details: { seed, participants: pairs.length }, organisationId: library },
    async (trx) => {
      for (const p of pairs) await trx.updateTable('reading.draw_participants').set({ number: p.number }).where('id', '=', p.id).execute();
      for (const p of pairs) await trx.updateTable('reading.draw_participants').set({ gives_to: p.givesTo }).where('id', '=', p.id).execute();
      await trx.updateTable('reading.draws').set({ seed, drawn_at: new Date(), drawn_by: actor.userId }).where('id', '=', drawId).execute();
    },
  );
  return getDraw(db, library, drawId);
}

/** The letter (or slip) of one participant: their number, the book to give and the date; never the partner. */
export function letterText(draw: Pick<Draw, 'title' | 'giftOn'>, p: DrawParticipant, t: (key: string, params: Record<string, string | number>) => string): string {
  const [y, m, d] = draw.giftOn.split('-');
  return t('reading.draw.letter', {
    name: p.name,
    title: draw.title,
    number: p.number ?? '',
    toNumber: p.givesToNumber ?? '',
    book: p.bookToGive ?? '',
    date: `${d}.${m}.${y}`,
  });
}

/** The SMTP server a library configured, if any (KITAPHANA_SMTP_URL, KITAPHANA_SMTP_FROM). */
export function smtpSettings(env: NodeJS.ProcessEnv = process.env): { url: string; from: string } | null {
  const url = env.KITAPHANA_SMTP_URL?.trim();
  if (!url) return null;
  return { url, from: env.KITAPHANA_SMTP_FROM?.trim() || 'kitaphana@localhost' };
}

/**
 * Tells every participant by e-mail where SMTP is configured and the participant has an address;
 * the others get a printed slip (notified = 'slip'). Answers how many of each.
 */
export async function notifyParticipants(
  db: Executor,
  actor: Actor,
  library: number,
  drawId: number,
  t: (key: string, params: Record<string, string | number>) => string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ emailed: number; slips: number }> {
  const draw = await getDraw(db, library, drawId);
  if (!draw.drawnAt) throw conflict('reading.draw_not_done', { id: drawId });
  const smtp = smtpSettings(env);
  const transport = smtp ? mail().createTransport(smtp.url) : null;
  let emailed = 0;
  let slips = 0;
  const outcome = new Map<number, 'email' | 'slip'>();
  for (const p of draw.participants) {
    if (transport && smtp && p.email) {
      try {
        await transport.sendMail({ from: smtp.from, to: p.email, subject: draw.title, text: letterText(draw, p, t) });
        outcome.set(p.id, 'email');
        emailed++;
        continue;
      } catch {
        // an address the server refuses gets a slip instead
      }
    }
    outcome.set(p.id, 'slip');
    slips++;
  }
  await auditedChange(
    db,
    actor,
    { action: 'notify', entity: 'gift_draw', entityId: drawId, details: { emailed, slips }, organisationId: library },
    async (trx) => {
      for (const [id, how] of outcome) await trx.updateTable('reading.draw_participants').set({ notified: how }).where('id', '=', id).execute();
    },
  );
  return { emailed, slips };
}
