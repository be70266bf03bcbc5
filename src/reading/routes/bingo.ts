import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import type { Routes } from '../../http/types.js';
import { readingStaff } from '../access.js';
import { assignBingoCard, createBingo, drawBingo, getBingo, listBingo, readingCardFor } from '../bingo.js';
import { bingoCardsPdf } from '../documents.js';
import { idParam, PDF, pdfReply, tags, text } from './shared.js';

const bingoGame = z.object({
  id: z.number(),
  title: z.string(),
  grade: z.number(),
  size: z.number(),
  seed: z.string(),
  items: z.array(z.object({ title: z.string(), author: z.string(), workId: z.number().nullable() })),
  drawn: z.array(z.number()),
  winnerCard: z.number().nullable(),
  cards: z.array(
    z.object({
      id: z.number(),
      number: z.number(),
      readerId: z.number().nullable(),
      cells: z.array(z.object({ item: z.number(), title: z.string(), author: z.string(), crossed: z.boolean() })),
      fullLine: z.boolean(),
    }),
  ),
});

/** BookBingo: games for a grade, printed cards, the caller's draws and the readers' reading cards. */
export const bingoRoutes: Routes = (app) => {
  const db = app.db;
  app.get(
    '/api/reading/bingo',
    {
      schema: {
        tags,
        summary: 'BookBingo games',
        response: { 200: z.object({ items: z.array(z.object({ id: z.number(), title: z.string(), grade: z.number(), size: z.number(), drawn: z.number(), cards: z.number(), finished: z.boolean() })) }) },
      },
    },
    async (req) => ({ items: await listBingo(db, readingStaff(req.actor)) }),
  );
  app.post(
    '/api/reading/bingo',
    {
      schema: {
        tags,
        summary: 'A new BookBingo for a grade: cards from the recommended list (or the titles given), from a recorded seed',
        body: z.object({
          title: text(300),
          grade: z.number().int().min(0).max(11),
          size: z.number().int().min(3).max(5).optional(),
          cards: z.number().int().min(1).max(60),
          seed: z.string().trim().min(1).max(64).optional(),
          items: z.array(z.object({ title: text(300), author: z.string().trim().max(300) })).max(200).optional(),
        }),
        response: { 200: bingoGame },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return createBingo(db, actor, actor.organisationId, req.body);
    },
  );
  app.get('/api/reading/bingo/:id', { schema: { tags, summary: 'A game: the drawn titles and every card', params: idParam, response: { 200: bingoGame } } }, async (req) =>
    getBingo(db, readingStaff(req.actor), req.params.id),
  );
  app.post('/api/reading/bingo/:id/draw', { schema: { tags, summary: "The caller draws the next title; the first card with a full line wins", params: idParam, response: { 200: bingoGame } } }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return drawBingo(db, actor, actor.organisationId, req.params.id);
  });
  app.get('/api/reading/bingo/:id/cards.pdf', { schema: { tags, summary: 'The printable cards', params: idParam, ...PDF } }, async (req, reply) => {
    const game = await getBingo(db, readingStaff(req.actor), req.params.id);
    return pdfReply(reply, `bingo-${game.id}`, await bingoCardsPdf(req.locale, game));
  });
  app.post(
    '/api/reading/bingo/:id/cards/:number/assign',
    { schema: { tags, summary: 'Give a card to a reader', params: z.object({ id: z.coerce.number().int().positive(), number: z.coerce.number().int().positive() }), body: z.object({ readerId: z.number().int().positive().nullable() }), response: { 204: z.null() } } },
    async (req, reply) => {
      const actor = allow(req.actor, 'staff');
      await assignBingoCard(db, actor, actor.organisationId, req.params.id, req.params.number, req.body.readerId);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/reading/bingo/:id/reading-card/:readerId',
    {
      schema: {
        tags,
        summary: "A reader's reading card beside the game: squares filled by confirmed reading records",
        params: z.object({ id: z.coerce.number().int().positive(), readerId: z.coerce.number().int().positive() }),
        response: { 200: z.object({ gameId: z.number(), readerId: z.number(), size: z.number(), cells: z.array(z.object({ title: z.string(), author: z.string(), read: z.boolean(), recordId: z.number().nullable() })), fullLine: z.boolean() }) },
      },
    },
    async (req) => readingCardFor(db, req.actor, req.params.id, req.params.readerId),
  );
};
