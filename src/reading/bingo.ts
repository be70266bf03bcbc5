import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { allow, belongsTo } from '../auth/guard.js';
import { foldForSearch } from '../catalog/folding.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { AppError, conflict, forbidden, invalid } from '../shared/errors.js';
import { ownReaderOf, readingStaff } from './access.js';
import { newSeed, seededRandom, shuffled } from './seeded.js';
import type { BingoItem } from './schema.js';

export interface BingoCard {
  id: number;
  number: number;
  readerId: number | null;
  /** size × size squares, row by row. */
  cells: { item: number; title: string; author: string; crossed: boolean }[];
  fullLine: boolean;
}

export interface BingoGame {
  id: number;
  title: string;
  grade: number;
  size: number;
  seed: string;
  items: BingoItem[];
  drawn: number[];
  winnerCard: number | null;
  cards: BingoCard[];
}

/** The age group of the recommended list a grade reads from. */
export function ageGroupOf(grade: number): '1-4' | '5-9' | '10-11' {
  return grade <= 4 ? '1-4' : grade <= 9 ? '5-9' : '10-11';
}

/** Titles of the newest recommended list for a grade, with their catalogue work where one is confirmed. */
async function listTitles(db: Executor, grade: number): Promise<BingoItem[]> {
  const { rows } = await sql<{ title: string; author: string; work_id: number | null }>`
    select e.title, e.author,
      (select min(m.work_id) from reclist.matches m where m.entry_key = e.entry_key and m.status = 'confirmed') as work_id
    from reclist.entries e
    where e.version_id = (select id from reclist.versions order by year desc limit 1)
      and e.age_group in (${ageGroupOf(grade)}, 'all')
    order by e.position`.execute(db);
  return rows.map((r) => ({ title: r.title, author: r.author, workId: r.work_id === null ? null : Number(r.work_id) }));
}

/** Whether a card has a full row or column of crossed squares. */
export function hasFullLine(crossed: boolean[], size: number): boolean {
  for (let i = 0; i < size; i++) {
    let row = true;
    let col = true;
    for (let j = 0; j < size; j++) {
      row &&= crossed[i * size + j]!;
      col &&= crossed[j * size + i]!;
    }
    if (row || col) return true;
  }
  return false;
}

/** Card n of a game: size² different titles, chosen by the game's seed. */
export function cardCells(seed: string, itemCount: number, size: number, number: number): number[] {
  const all = Array.from({ length: itemCount }, (_, i) => i);
  return shuffled(all, seededRandom(seed, `card ${number}`)).slice(0, size * size);
}

/** The order in which the caller's screen draws the titles. */
export function drawOrder(seed: string, itemCount: number): number[] {
  return shuffled(
    Array.from({ length: itemCount }, (_, i) => i),
    seededRandom(seed, 'caller'),
  );
}

async function gameRow(db: Executor, library: number, id: number) {
  const row = await db.selectFrom('reading.bingo_games').selectAll().where('id', '=', id).where('organisation_id', '=', library).executeTakeFirst();
  if (!row) throw new AppError('reading.bingo_not_found', 404, { id });
  return row;
}

export async function getBingo(db: Executor, library: number, id: number): Promise<BingoGame> {
  const g = await gameRow(db, library, id);
  const cards = await db.selectFrom('reading.bingo_cards').selectAll().where('game_id', '=', id).orderBy('number').execute();
  const drawn = new Set(g.drawn);
  return {
    id: g.id,
    title: g.title,
    grade: g.grade,
    size: g.size,
    seed: g.seed,
    items: g.items,
    drawn: g.drawn,
    winnerCard: cards.find((c) => c.id === g.winner_card_id)?.number ?? null,
    cards: cards.map((c) => {
      const cells = c.cells.map((item) => ({ item, title: g.items[item]!.title, author: g.items[item]!.author, crossed: drawn.has(item) }));
      return { id: c.id, number: c.number, readerId: c.reader_id, cells, fullLine: hasFullLine(cells.map((x) => x.crossed), g.size) };
    }),
  };
}

export async function listBingo(db: Executor, library: number) {
  const rows = await db
    .selectFrom('reading.bingo_games as g')
    .select(['g.id', 'g.title', 'g.grade', 'g.size', 'g.created_at', 'g.winner_card_id'])
    .select(sql<number>`jsonb_array_length(g.drawn)`.as('drawn'))
    .select((eb) => eb.selectFrom('reading.bingo_cards as c').select(eb.fn.countAll<number>().as('n')).whereRef('c.game_id', '=', 'g.id').as('cards'))
    .where('g.organisation_id', '=', library)
    .orderBy('g.id', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, grade: r.grade, size: r.size, drawn: Number(r.drawn), cards: Number(r.cards ?? 0), finished: r.winner_card_id !== null }));
}

/** A new game for a grade: titles from the recommended list (or given), cards printed from its seed. */
export async function createBingo(
  db: Executor,
  actor: Actor,
  library: number,
  input: { title: string; grade: number; size?: number; cards: number; seed?: string; items?: { title: string; author: string }[] },
): Promise<BingoGame> {
  const size = input.size ?? 3;
  const items: BingoItem[] = input.items?.length ? input.items.map((i) => ({ title: i.title.trim(), author: i.author.trim(), workId: null })) : await listTitles(db, input.grade);
  if (items.length < size * size) throw invalid('reading.bingo_too_few_titles', { needed: size * size, found: items.length });
  const seed = input.seed ?? newSeed();
  const id = await auditedChange(
    db,
    actor,
    (id: number) => ({ action: 'create', entity: 'bingo_game', entityId: id, details: { title: input.title, grade: input.grade, cards: input.cards, seed }, organisationId: library }),
    async (trx) => {
      const game = await trx
        .insertInto('reading.bingo_games')
        .values({ organisation_id: library, title: input.title.trim(), grade: input.grade, size, seed, items: JSON.stringify(items), drawn: '[]' })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (let n = 1; n <= input.cards; n++) {
        await trx
          .insertInto('reading.bingo_cards')
          .values({ game_id: game.id, organisation_id: library, number: n, reader_id: null, cells: JSON.stringify(cardCells(seed, items.length, size, n)) })
          .execute();
      }
      return game.id;
    },
  );
  return getBingo(db, library, id);
}

/**
 * The caller draws the next title. The first card with a full line wins; the game then stops.
 * Answers the game and the cards that completed a line with this draw.
 */
export async function drawBingo(db: Executor, actor: Actor, library: number, id: number): Promise<BingoGame> {
  const g = await gameRow(db, library, id);
  if (g.winner_card_id !== null) throw conflict('reading.bingo_finished', { id });
  const order = drawOrder(g.seed, g.items.length);
  if (g.drawn.length >= order.length) throw conflict('reading.bingo_finished', { id });
  const next = order[g.drawn.length]!;
  const drawn = [...g.drawn, next];
  await auditedChange(
    db,
    actor,
    { action: 'draw', entity: 'bingo_game', entityId: id, details: { title: g.items[next]!.title, drawn: drawn.length }, organisationId: library },
    async (trx) => {
      await trx.updateTable('reading.bingo_games').set({ drawn: JSON.stringify(drawn) }).where('id', '=', id).execute();
      const game = await getBingo(trx, library, id);
      const winner = game.cards.find((c) => c.fullLine);
      if (winner) await trx.updateTable('reading.bingo_games').set({ winner_card_id: winner.id }).where('id', '=', id).execute();
    },
  );
  return getBingo(db, library, id);
}

export interface ReadingCard {
  gameId: number;
  readerId: number;
  size: number;
  cells: { title: string; author: string; read: boolean; recordId: number | null }[];
  fullLine: boolean;
}

/**
 * A reader's reading card beside the game: the titles of the reader's bingo card (or of card 1 when
 * none is given to the reader), a square filled only by the reader's confirmed reading record of that title.
 */
export async function readingCard(db: Executor, library: number, gameId: number, readerId: number): Promise<ReadingCard> {
  const g = await gameRow(db, library, gameId);
  const reader = await db.selectFrom('readers.readers').select('id').where('id', '=', readerId).where('organisation_id', '=', library).executeTakeFirst();
  if (!reader) throw new AppError('reading.reader_not_found', 404, { id: readerId });
  const own = await db.selectFrom('reading.bingo_cards').select('cells').where('game_id', '=', gameId).where('reader_id', '=', readerId).executeTakeFirst();
  const cells = own?.cells ?? cardCells(g.seed, g.items.length, g.size, 1);
  const records = await db
    .selectFrom('reading.records')
    .select(['id', 'work_id', 'title'])
    .where('reader_id', '=', readerId)
    .where('organisation_id', '=', library)
    .where('status', '=', 'confirmed')
    .execute();
  const out = cells.map((i) => {
    const item = g.items[i]!;
    const key = foldForSearch(item.title);
    const hit = records.find((r) => (item.workId !== null && r.work_id === item.workId) || foldForSearch(r.title) === key);
    return { title: item.title, author: item.author, read: hit !== undefined, recordId: hit?.id ?? null };
  });
  return { gameId, readerId, size: g.size, cells: out, fullLine: hasFullLine(out.map((c) => c.read), g.size) };
}

/** Gives card n of a game to a reader (whose reading card then shows that card's titles). */
export async function assignBingoCard(db: Executor, actor: Actor, library: number, gameId: number, number: number, readerId: number | null): Promise<void> {
  await gameRow(db, library, gameId);
  if (readerId !== null) {
    const reader = await db.selectFrom('readers.readers').select('id').where('id', '=', readerId).where('organisation_id', '=', library).executeTakeFirst();
    if (!reader) throw new AppError('reading.reader_not_found', 404, { id: readerId });
  }
  await auditedChange(
    db,
    actor,
    { action: 'assign', entity: 'bingo_game', entityId: gameId, details: { number, readerId }, organisationId: library },
    async (trx) => {
      const res = await trx.updateTable('reading.bingo_cards').set({ reader_id: readerId }).where('game_id', '=', gameId).where('number', '=', number).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw new AppError('reading.bingo_card_not_found', 404, { number });
    },
  );
}

/** A reader's reading card beside a game: a pupil or parent sees only the own card, the library's staff anyone's. */
export async function readingCardFor(db: Executor, actor: Actor | null, gameId: number, readerId: number): Promise<ReadingCard> {
  const who = allow(actor, 'signedIn');
  if (belongsTo(who, 'readers')) {
    const own = ownReaderOf(who);
    if (own.readerId !== readerId) throw forbidden();
    return readingCard(db, own.library, gameId, own.readerId);
  }
  return readingCard(db, readingStaff(who), gameId, readerId);
}
