import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import type { Routes } from '../../http/types.js';
import { UNMET_STATUSES } from '../schema.js';
import { answerQuestion, askLibrarian, deleteRequest, libraryQuestions, listRequests, listUnmet, logRequest, logUnmet, myQuestions, setUnmetStatus } from '../service.js';
import { created, date, group, id, kind, language, ok, tags, text } from './shared.js';

const requestSchema = z.object({ id: z.number(), askedOn: z.string(), kind, question: z.string(), answer: z.string().nullable(), readerGroup: group, language, virtual: z.boolean() });
const unmetSchema = z.object({ id: z.number(), notedOn: z.string(), source: z.string(), title: z.string(), author: z.string().nullable(), readerGroup: z.string().nullable(), times: z.number(), status: z.enum(UNMET_STATUSES), note: z.string().nullable() });

/** The reference log, the questions readers ask the librarian, and the requests the library could not meet. */
export const requestRoutes: Routes = (app) => {
  // ---- the reference log ----
  app.get('/api/reference/requests', { schema: { tags, summary: 'The log of bibliographic references given', querystring: z.object({ from: date.optional(), to: date.optional(), kind: kind.optional() }), response: { 200: z.object({ items: z.array(requestSchema) }) } } }, async (req) => ({
    items: await listRequests(app.db, allow(req.actor, 'staff'), req.query),
  }));

  app.post(
    '/api/reference/requests',
    { schema: { tags, summary: 'Log a reference: kind, reader group, language, whether asked online', body: z.object({ askedOn: date, kind, question: text(4000), answer: text(8000).nullable().optional(), readerGroup: group, language, virtual: z.boolean().optional() }), response: { 201: created } } },
    async (req, reply) => {
      const newId = await logRequest(app.db, allow(req.actor, 'staff'), req.body);
      reply.status(201);
      return { id: newId };
    },
  );

  app.delete('/api/reference/requests/:id', { schema: { tags, summary: 'Remove a line of the reference log', params: z.object({ id }), response: { 200: ok } } }, async (req) => {
    await deleteRequest(app.db, allow(req.actor, 'staff'), req.params.id);
    return { ok: true as const };
  });

  // ---- ask the librarian ----
  app.post('/api/reference/questions', { schema: { tags, summary: 'A pupil or parent asks the librarian a question', body: z.object({ question: text(4000) }), response: { 201: created } } }, async (req, reply) => {
    const newId = await askLibrarian(app.db, allow(req.actor, 'readersAndTeachers'), req.body.question);
    reply.status(201);
    return { id: newId };
  });

  app.get(
    '/api/reference/questions/mine',
    { schema: { tags, summary: 'My questions to the librarian and the answers', response: { 200: z.object({ items: z.array(z.object({ id: z.number(), askedAt: z.string(), question: z.string(), answer: z.string().nullable(), answeredAt: z.string().nullable() })) }) } } },
    async (req) => ({ items: await myQuestions(app.db, allow(req.actor, 'readersAndTeachers')) }),
  );

  app.get(
    '/api/reference/questions',
    {
      schema: {
        tags,
        summary: 'Questions asked of the library, unanswered first (who asked is shown by group and class only)',
        response: { 200: z.object({ items: z.array(z.object({ id: z.number(), askedAt: z.string(), question: z.string(), answer: z.string().nullable(), answeredAt: z.string().nullable(), readerGroup: z.string(), className: z.string().nullable() })) }) },
      },
    },
    async (req) => ({ items: await libraryQuestions(app.db, allow(req.actor, 'staff')) }),
  );

  app.post('/api/reference/questions/:id/answer', { schema: { tags, summary: 'Answer a question; it is logged as a virtual reference', params: z.object({ id }), body: z.object({ answer: text(8000), kind, language }), response: { 200: ok } } }, async (req) => {
    await answerQuestion(app.db, allow(req.actor, 'staff'), req.params.id, req.body);
    return { ok: true as const };
  });

  // ---- unmet requests ----
  app.get('/api/reference/unmet', { schema: { tags, summary: 'Requests the library could not meet, most asked first; those marked to_purchase feed the purchase plan', querystring: z.object({ status: z.enum(UNMET_STATUSES).optional() }), response: { 200: z.object({ items: z.array(unmetSchema) }) } } }, async (req) => ({
    items: await listUnmet(app.db, allow(req.actor, 'staff'), req.query.status),
  }));

  app.post(
    '/api/reference/unmet',
    { schema: { tags, summary: 'Log a request the library could not meet (asked again, it is counted once more)', body: z.object({ notedOn: date.optional(), source: z.enum(['desk', 'search', 'question']), title: text(500), author: text(300).nullable().optional(), readerGroup: group.nullable().optional(), note: text(2000).nullable().optional() }), response: { 201: created } } },
    async (req, reply) => {
      const newId = await logUnmet(app.db, allow(req.actor, 'staff'), req.body);
      reply.status(201);
      return { id: newId };
    },
  );

  app.post('/api/reference/unmet/:id/status', { schema: { tags, summary: 'Put an unmet request into the purchase plan, or mark it met or declined', params: z.object({ id }), body: z.object({ status: z.enum(UNMET_STATUSES) }), response: { 200: ok } } }, async (req) => {
    await setUnmetStatus(app.db, allow(req.actor, 'staff'), req.params.id, req.body.status);
    return { ok: true as const };
  });
};
