import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import type { Routes } from '../../http/types.js';
import { listEntries, listLists, listPdf, saveList } from '../lists.js';
import { addPeriodical, checkInIssue, indexArticle, issuesOf, periodicalRegister, searchArticles, subscribe } from '../periodicals.js';
import { referenceStaff } from '../service.js';
import { created, date, id, language, ok, tags, text } from './shared.js';

const listBody = z.object({
  kind: z.enum(['recommendation', 'index']),
  title: text(500),
  audience: text(300).nullable().optional(),
  compiler: text(300).nullable().optional(),
  intro: text(4000).nullable().optional(),
  items: z.array(z.object({ workId: z.number().int().positive().nullable().optional(), articleId: z.number().int().positive().nullable().optional(), annotation: text(2000).nullable().optional() })).max(1000),
});

/** Recommendation lists and bibliographic indexes, the periodicals register and the article index. */
export const listRoutes: Routes = (app) => {
  app.get('/api/reference/lists', { schema: { tags, summary: 'Recommendation lists and bibliographic indexes of the library', response: { 200: z.object({ items: z.array(z.object({ id: z.number(), kind: z.string(), title: z.string(), audience: z.string().nullable(), compiler: z.string().nullable(), items: z.number() })) }) } } }, async (req) => ({
    items: await listLists(app.db, allow(req.actor, 'staff')),
  }));
  app.post('/api/reference/lists', { schema: { tags, summary: 'Save a recommendation list or a bibliographic index', body: listBody, response: { 201: created } } }, async (req, reply) => {
    const newId = await saveList(app.db, allow(req.actor, 'staff'), req.body);
    reply.status(201);
    return { id: newId };
  });
  app.put('/api/reference/lists/:id', { schema: { tags, summary: 'Change a list and its entries', params: z.object({ id }), body: listBody, response: { 200: ok } } }, async (req) => {
    await saveList(app.db, allow(req.actor, 'staff'), req.body, req.params.id);
    return { ok: true as const };
  });
  app.get(
    '/api/reference/lists/:id',
    {
      schema: {
        tags,
        summary: 'A list with the bibliographic description of each entry',
        params: z.object({ id }),
        response: { 200: z.object({ list: z.object({ id: z.number(), kind: z.string(), title: z.string(), audience: z.string().nullable(), compiler: z.string().nullable(), intro: z.string().nullable() }), items: z.array(z.object({ id: z.number(), workId: z.number().nullable(), articleId: z.number().nullable(), annotation: z.string().nullable(), description: z.string() })) }) },
      },
    },
    async (req) => listEntries(app.db, referenceStaff(req.actor).org, req.params.id),
  );
  app.get('/api/reference/lists/:id/pdf', { schema: { tags, summary: 'A list printed with its bibliographic descriptions (PDF)', params: z.object({ id }), produces: ['application/pdf'], response: { 200: z.any().describe('application/pdf') } } }, async (req, reply) => {
    const pdf = await listPdf(app.db, allow(req.actor, 'staff'), req.params.id, req.locale);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="list-${req.params.id}.pdf"`).send(pdf);
  });

  // ---- periodicals and the article index ----
  app.get(
    '/api/reference/periodicals',
    {
      schema: {
        tags,
        summary: 'The periodicals register of a year: titles, half-years subscribed, issues expected and received, price',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
        response: { 200: z.object({ items: z.array(z.object({ id: z.number(), title: z.string(), issn: z.string().nullable(), kind: z.string(), language, forChildren: z.boolean(), halves: z.array(z.number()), issuesExpected: z.number(), issuesReceived: z.number(), priceTiyn: z.number() })) }) },
      },
    },
    async (req) => ({ items: await periodicalRegister(app.db, allow(req.actor, 'staff'), req.query.year) }),
  );
  app.post('/api/reference/periodicals', { schema: { tags, summary: 'Add a title to the periodicals register', body: z.object({ title: text(300), issn: text(20).nullable().optional(), kind: z.enum(['newspaper', 'magazine']).optional(), language, forChildren: z.boolean().optional() }), response: { 201: created } } }, async (req, reply) => {
    const newId = await addPeriodical(app.db, allow(req.actor, 'staff'), req.body);
    reply.status(201);
    return { id: newId };
  });
  app.post(
    '/api/reference/periodicals/:id/subscriptions',
    { schema: { tags, summary: 'Record the subscription of a half-year', params: z.object({ id }), body: z.object({ year: z.number().int().min(2000).max(2100), half: z.union([z.literal(1), z.literal(2)]), issuesExpected: z.number().int().min(0).max(1000), priceTiyn: z.number().int().min(0).max(100_000_000_00) }), response: { 200: ok } } },
    async (req) => {
      await subscribe(app.db, allow(req.actor, 'staff'), req.params.id, req.body);
      return { ok: true as const };
    },
  );
  app.get('/api/reference/periodicals/:id/issues', { schema: { tags, summary: 'Issues of a title checked in, with the articles indexed', params: z.object({ id }), response: { 200: z.object({ items: z.array(z.object({ id: z.number(), label: z.string(), issueDate: z.string().nullable(), receivedOn: z.string(), articles: z.number() })) }) } } }, async (req) => ({
    items: await issuesOf(app.db, allow(req.actor, 'staff'), req.params.id),
  }));
  app.post('/api/reference/periodicals/:id/issues', { schema: { tags, summary: 'Check in an issue received', params: z.object({ id }), body: z.object({ label: text(100), issueDate: date.nullable().optional(), receivedOn: date }), response: { 201: created } } }, async (req, reply) => {
    const newId = await checkInIssue(app.db, allow(req.actor, 'staff'), req.params.id, req.body);
    reply.status(201);
    return { id: newId };
  });
  app.post(
    '/api/reference/articles',
    { schema: { tags, summary: 'Index an article of an issue received (an analytic record)', body: z.object({ issueId: z.number().int().positive(), title: text(1000), authors: text(500).nullable().optional(), pages: text(50).nullable().optional(), subjects: text(500).nullable().optional(), annotation: text(4000).nullable().optional() }), response: { 201: created } } },
    async (req, reply) => {
      const newId = await indexArticle(app.db, allow(req.actor, 'staff'), req.body);
      reply.status(201);
      return { id: newId };
    },
  );
  app.get(
    '/api/reference/articles',
    {
      schema: {
        tags,
        summary: 'Search the article index by words of the title, authors and subjects',
        querystring: z.object({ q: text(200).default('') }),
        response: { 200: z.object({ items: z.array(z.object({ id: z.number(), title: z.string(), authors: z.string().nullable(), pages: z.string().nullable(), subjects: z.string().nullable(), issue: z.string(), issueDate: z.string().nullable(), periodical: z.string() })) }) },
      },
    },
    async (req) => ({ items: await searchArticles(app.db, allow(req.actor, 'staff'), req.query.q) }),
  );
};
