import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import type { Routes } from '../../http/types.js';
import { readingStaff } from '../access.js';
import { createContest, getContest, listContests, saveEntrant } from '../community.js';
import { contestDiplomas } from '../summaries.js';
import { idParam, isoDate, lang, PDF, pdfReply, tags, text } from './shared.js';

const contestLevel = z.enum(['school', 'district', 'region', 'republic']);
const contest = z.object({
  id: z.number(),
  organisationId: z.number(),
  name: z.string(),
  level: contestLevel,
  startsOn: z.string(),
  endsOn: z.string(),
  grades: z.string().nullable(),
  jury: z.string().nullable(),
  stages: z.array(z.object({ name: z.string(), on: z.string() })),
  entrants: z.array(
    z.object({ id: z.number(), readerId: z.number(), name: z.string(), className: z.string().nullable(), stage: z.string().nullable(), place: z.number().nullable(), nomination: z.string().nullable() }),
  ),
});

/** The register of the school's contests: entrants, places, nominations and diplomas. */
export const contestRoutes: Routes = (app) => {
  const db = app.db;
  app.get(
    '/api/reading/contests',
    {
      schema: {
        tags,
        summary: "The register of the school's contests",
        response: { 200: z.object({ items: z.array(z.object({ id: z.number(), name: z.string(), level: contestLevel, startsOn: z.string(), endsOn: z.string(), entrants: z.number() })) }) },
      },
    },
    async (req) => ({ items: await listContests(db, readingStaff(req.actor)) }),
  );
  app.post(
    '/api/reading/contests',
    {
      schema: {
        tags,
        summary: 'Register a contest with its period, classes, jury and stages',
        body: z.object({
          name: text(300),
          level: contestLevel.default('school'),
          startsOn: isoDate,
          endsOn: isoDate,
          grades: z.string().trim().max(50).nullable().optional(),
          jury: z.string().trim().max(1000).nullable().optional(),
          stages: z.array(z.object({ name: text(200), on: isoDate })).max(20).optional(),
        }),
        response: { 200: contest },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return createContest(db, actor, actor.organisationId, req.body);
    },
  );
  app.get('/api/reading/contests/:id', { schema: { tags, summary: 'A contest with its entrants, places and nominations', params: idParam, response: { 200: contest } } }, async (req) =>
    getContest(db, readingStaff(req.actor), req.params.id),
  );
  app.post(
    '/api/reading/contests/:id/entrants',
    {
      schema: {
        tags,
        summary: "Add an entrant or set the entrant's stage, place and nomination",
        params: idParam,
        body: z.object({ readerId: z.number().int().positive(), stage: z.string().trim().max(200).nullable().optional(), place: z.number().int().min(1).max(10).nullable().optional(), nomination: z.string().trim().max(200).nullable().optional() }),
        response: { 200: contest },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return saveEntrant(db, actor, actor.organisationId, req.params.id, req.body);
    },
  );
  app.get(
    '/api/reading/contests/:id/diplomas.pdf',
    { schema: { tags, summary: 'Diplomas of the winners and nominees (names only with consent)', params: idParam, querystring: z.object({ lang: lang.default('kk') }), ...PDF } },
    async (req, reply) => {
      const { id, pdf } = await contestDiplomas(db, req.actor, req.params.id, req.query.lang);
      return pdfReply(reply, `diplomas-${id}`, pdf);
    },
  );
};
