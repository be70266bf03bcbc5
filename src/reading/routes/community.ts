import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import type { Routes } from '../../http/types.js';
import { AppError } from '../../shared/errors.js';
import { libraryToday } from '../../shared/library-time.js';
import { memberLibrary, readingStaff, scopedPeriod, scopeOrganisations } from '../access.js';
import {
  bookcrossingSummary,
  decideRecommendation,
  importNationalBook,
  libraryRecommendations,
  listFamilies,
  nationalBook,
  nationalBookPackage,
  nationalBookStandings,
  recordBookcrossing,
  saveFamily,
  setNationalBook,
  workRecommendations,
} from '../community.js';
import { activeShare } from '../standings.js';
import { period, periodQuery, idParam, isoDate, tags, text } from './shared.js';

const family = z.object({
  id: z.number(),
  name: z.string(),
  members: z.array(z.object({ readerId: z.number(), name: z.string(), kind: z.string(), className: z.string().nullable() })),
});

const recommendation = z.object({
  id: z.number(),
  workId: z.number(),
  title: z.string(),
  text: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  name: z.string().nullable(),
  className: z.string().nullable(),
});

const nationalBookSchema = z.object({ year: z.number(), title: z.string(), author: z.string(), imported: z.boolean() });
const share = z.object({
  organisationId: z.number().nullable(),
  className: z.string().nullable(),
  pupils: z.number(),
  activePupils: z.number(),
  pupilShare: z.number(),
  parents: z.number(),
  activeParents: z.number(),
  parentShare: z.number(),
});

const yearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

/** Families, the bookcrossing shelf, pupils' recommendations, “One country – one book”, and who takes part. */
export const communityRoutes: Routes = (app) => {
  const db = app.db;
  app.get('/api/reading/families', { schema: { tags, summary: 'Readers linked as families', response: { 200: z.object({ items: z.array(family) }) } } }, async (req) => ({
    items: await listFamilies(db, readingStaff(req.actor)),
  }));
  app.post(
    '/api/reading/families',
    { schema: { tags, summary: 'Link readers as a family (siblings and parents)', body: z.object({ name: text(200), readerIds: z.array(z.number().int().positive()).min(1).max(20) }), response: { 200: family } } },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return saveFamily(db, actor, actor.organisationId, req.body);
    },
  );
  app.put(
    '/api/reading/families/:id',
    { schema: { tags, summary: 'Change a family', params: idParam, body: z.object({ name: text(200), readerIds: z.array(z.number().int().positive()).min(1).max(20) }), response: { 200: family } } },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return saveFamily(db, actor, actor.organisationId, { id: req.params.id, ...req.body });
    },
  );

  // ——— Bookcrossing ———
  app.get(
    '/api/reading/bookcrossing',
    {
      schema: {
        tags,
        summary: 'Books outside the fund given and taken at the bookcrossing shelf, counted',
        querystring: periodQuery,
        response: { 200: z.object({ period, given: z.number(), taken: z.number(), lines: z.array(z.object({ id: z.number(), happenedOn: z.string(), direction: z.enum(['given', 'taken']), books: z.number(), title: z.string().nullable() })) }) },
      },
    },
    async (req) => {
      const { orgs, period } = await scopedPeriod(db, allow(req.actor, 'staffAndOverseers'), req.query);
      return { period, ...(await bookcrossingSummary(db, orgs, period)) };
    },
  );
  app.post(
    '/api/reading/bookcrossing',
    {
      schema: {
        tags,
        summary: 'Record books given to or taken from the shelf',
        body: z.object({ happenedOn: isoDate, direction: z.enum(['given', 'taken']), books: z.number().int().min(1).max(1000), title: z.string().trim().max(300).nullable().optional() }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'staff');
      await recordBookcrossing(db, actor, actor.organisationId, req.body, await libraryToday(db, actor.organisationId));
      return reply.status(204).send(null);
    },
  );

  // ——— "I read it and recommend it" ———
  app.get('/api/reading/recommendations', { schema: { tags, summary: "Pupils' recommendations, waiting ones first", response: { 200: z.object({ items: z.array(recommendation) }) } } }, async (req) => ({
    items: await libraryRecommendations(db, readingStaff(req.actor)),
  }));
  for (const [action, status] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    app.post(`/api/reading/recommendations/:id/${action}`, { schema: { tags, summary: `${action === 'approve' ? 'Approve' : 'Reject'} a recommendation`, params: idParam, response: { 204: z.null() } } }, async (req, reply) => {
      const actor = allow(req.actor, 'staff');
      await decideRecommendation(db, actor, actor.organisationId, req.params.id, status);
      return reply.status(204).send(null);
    });
  }
  app.get(
    '/api/reading/works/:id/recommendations',
    { schema: { tags, summary: "Approved pupils' recommendations of a book, shown in the catalogue", params: idParam, response: { 200: z.object({ items: z.array(recommendation) }) } } },
    async (req) => ({ items: await workRecommendations(db, req.params.id, memberLibrary(req.actor)) }),
  );

  // ——— "One country – one book" ———
  app.get('/api/reading/national-book', { schema: { tags, summary: "The year's “One country – one book” title", querystring: yearQuery, response: { 200: z.object({ book: nationalBookSchema.nullable() }) } } }, async (req) => {
    allow(req.actor, 'signedIn');
    return { book: await nationalBook(db, req.query.year) };
  });
  app.put(
    '/api/reading/national-book',
    { schema: { tags, summary: "Set the year's title (republic level only)", body: z.object({ year: z.number().int().min(2000).max(2100), title: text(300), author: text(300) }), response: { 200: nationalBookSchema } } },
    async (req) => setNationalBook(db, allow(req.actor, 'signedIn'), req.body),
  );
  app.get(
    '/api/reading/national-book/package',
    { schema: { tags, summary: 'The package a school on its own server imports', querystring: yearQuery, response: { 200: z.object({ kind: z.string(), version: z.number(), year: z.number(), title: z.string(), author: z.string() }) } } },
    async (req) => {
      allow(req.actor, 'signedIn');
      const book = await nationalBook(db, req.query.year);
      if (!book) throw new AppError('common.not_found', 404, { entity: 'national_book', id: req.query.year });
      return nationalBookPackage(book);
    },
  );
  app.post(
    '/api/reading/national-book/import',
    { schema: { tags, summary: "Import the republic's package on a school's own server", body: z.object({ kind: z.string(), version: z.number(), year: z.number(), title: z.string(), author: z.string() }), response: { 200: nationalBookSchema } } },
    async (req) => importNationalBook(db, allow(req.actor, 'signedIn'), req.body),
  );
  app.get(
    '/api/reading/national-book/standings',
    {
      schema: {
        tags,
        summary: "Readers of the year's national title by class, summed upward",
        querystring: yearQuery.extend({ organisationId: z.coerce.number().int().positive().optional() }),
        response: { 200: z.object({ book: nationalBookSchema.nullable(), total: z.number(), pupils: z.number(), classes: z.array(z.object({ organisationId: z.number(), className: z.string(), readers: z.number(), pupils: z.number() })) }) },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staffTeachersAndOverseers');
      return nationalBookStandings(db, await scopeOrganisations(db, actor, req.query.organisationId), req.query.year);
    },
  );

  // ——— Who takes part ———
  app.get(
    '/api/reading/active-share',
    { schema: { tags, summary: 'Share of pupils and parents active in the reading movement: the whole, each school, each class', querystring: periodQuery, response: { 200: z.object({ period, items: z.array(share) }) } } },
    async (req) => {
      const { orgs, period } = await scopedPeriod(db, allow(req.actor, 'staffAndOverseers'), req.query);
      return { period, items: await activeShare(db, orgs, period.from, period.to) };
    },
  );
};
