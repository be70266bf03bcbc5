import { z } from 'zod';
import type { Routes } from '../../http/types.js';
import { ownReaderOf } from '../access.js';
import { joinChallenge, listChallenges, logChallengeDay, myChallengeCard } from '../challenges.js';
import { recommend } from '../community.js';
import { reportOwnReading } from '../records.js';
import { myReading } from '../summaries.js';
import { bookBody, card, challenge, classStanding, idParam, isoDate, period, progress, record, schoolYear, tags, text } from './shared.js';

/** The pupil's (or parent's) own reading, on the phone. */
export const myRoutes: Routes = (app) => {
  const db = app.db;
  app.get(
    '/api/reading/my',
    {
      schema: {
        tags,
        summary: 'My reading: progress toward 100 books, my records, my challenges, my class standing',
        querystring: z.object({ schoolYear: schoolYear.optional() }),
        response: {
          200: z.object({
            period,
            progress,
            records: z.array(record),
            challenges: z.array(challenge),
            classStanding: classStanding.nullable(),
            classes: z.number(),
          }),
        },
      },
    },
    async (req) => myReading(db, req.actor, req.query.schoolYear),
  );
  app.post('/api/reading/my/records', { schema: { tags, summary: 'Log a book I read (waits for the librarian’s stamp)', body: bookBody, response: { 200: record } } }, async (req) =>
    reportOwnReading(db, req.actor, req.body),
  );
  app.post('/api/reading/my/challenges/:id/join', { schema: { tags, summary: 'Join a challenge', params: idParam, response: { 200: card } } }, async (req) => {
    await joinChallenge(db, req.actor, req.params.id);
    return myChallengeCard(db, req.actor, req.params.id);
  });
  app.get('/api/reading/my/challenges/:id/card', { schema: { tags, summary: 'My challenge card', params: idParam, response: { 200: card } } }, async (req) =>
    myChallengeCard(db, req.actor, req.params.id),
  );
  app.post(
    '/api/reading/my/challenges/:id/days',
    { schema: { tags, summary: "Write today's minutes and the short note", params: idParam, body: z.object({ day: isoDate.optional(), minutes: z.number().int().min(1).max(1440), note: z.string().trim().max(1000).nullable().optional() }), response: { 200: card } } },
    async (req) => logChallengeDay(db, req.actor, req.params.id, req.body),
  );
  app.get('/api/reading/my/challenges/open', { schema: { tags, summary: "The library's challenges a pupil may join", response: { 200: z.object({ items: z.array(challenge) }) } } }, async (req) => {
    const own = ownReaderOf(req.actor);
    return { items: await listChallenges(db, own.library) };
  });
  app.post(
    '/api/reading/my/recommendations',
    { schema: { tags, summary: '“I read it and recommend it”: shown in the catalogue after the librarian approves it', body: z.object({ workId: z.number().int().positive(), text: text(1000) }), response: { 204: z.null() } } },
    async (req, reply) => {
      const own = ownReaderOf(req.actor);
      await recommend(db, req.actor!, own.library, own.readerId, req.body);
      return reply.status(204).send(null);
    },
  );
};
