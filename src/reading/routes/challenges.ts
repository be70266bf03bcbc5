import { z } from 'zod';
import type { Routes } from '../../http/types.js';
import { readingStaff } from '../access.js';
import { challengeBoard, createChallenge, joinChallenge, listChallenges, stampChallengeDay } from '../challenges.js';
import { card, challenge, idParam, isoDate, tags, text } from './shared.js';

/** Reading challenges as the librarian keeps them: entrants and the stamps on their days. */
export const challengeRoutes: Routes = (app) => {
  const db = app.db;
  app.get('/api/reading/challenges', { schema: { tags, summary: "The library's reading challenges", response: { 200: z.object({ items: z.array(challenge) }) } } }, async (req) => ({
    items: await listChallenges(db, readingStaff(req.actor)),
  }));
  app.post(
    '/api/reading/challenges',
    {
      schema: {
        tags,
        summary: 'Start a 30-day challenge (20 minutes and a short note a day)',
        body: z.object({ title: text(300), startsOn: isoDate, days: z.number().int().min(1).max(366).optional(), minutesPerDay: z.number().int().min(1).max(600).optional() }),
        response: { 200: challenge },
      },
    },
    async (req) => createChallenge(db, req.actor, req.body),
  );
  app.get('/api/reading/challenges/:id/board', { schema: { tags, summary: "Every entrant's card", params: idParam, response: { 200: z.object({ items: z.array(card) }) } } }, async (req) => ({
    items: await challengeBoard(db, req.actor, req.params.id),
  }));
  app.post(
    '/api/reading/challenges/:id/entrants',
    { schema: { tags, summary: 'Enrol a reader', params: idParam, body: z.object({ readerId: z.number().int().positive() }), response: { 200: card } } },
    async (req) => {
      await joinChallenge(db, req.actor, req.params.id, req.body.readerId);
      return (await challengeBoard(db, req.actor, req.params.id)).find((c) => c.readerId === req.body.readerId)!;
    },
  );
  app.post(
    '/api/reading/challenges/:id/stamps',
    {
      schema: {
        tags,
        summary: "The librarian's stamp on a reader's day",
        params: idParam,
        body: z.object({ readerId: z.number().int().positive(), day: isoDate, minutes: z.number().int().min(1).max(1440).optional(), note: z.string().trim().max(1000).nullable().optional() }),
        response: { 200: card },
      },
    },
    async (req) => stampChallengeDay(db, req.actor, req.params.id, req.body),
  );
};
