import { z } from 'zod';
import type { Routes } from '../../http/types.js';
import { ACTION_KINDS, actionResults, createAction, deleteAction, listActions } from '../actions.js';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const action = z.object({
  id: z.number(),
  kind: z.enum(ACTION_KINDS),
  title: z.string(),
  author: z.string().nullable(),
  startsOn: z.string(),
  endsOn: z.string(),
  booksPerMonth: z.number(),
});

/** Biblio-cross actions: "we read one author together" and "six months of reading" (reading/actions.ts). */
export const actionRoutes: Routes = async (app) => {
  const tags = ['reading'];
  const idParams = z.object({ id: z.coerce.number().int().positive() });

  app.get('/api/reading/actions', { schema: { tags, summary: 'The library\'s biblio-cross actions, newest first', response: { 200: z.object({ items: z.array(action) }) } } }, async (req) => ({
    items: await listActions(app.db, req.actor),
  }));

  app.post(
    '/api/reading/actions',
    {
      schema: {
        tags,
        summary: 'Start an action: one author read together in a period, or six months of reading (six calendar months from the start)',
        body: z.object({
          kind: z.enum(ACTION_KINDS),
          title: z.string().max(300),
          author: z.string().max(300).nullable().optional(),
          startsOn: date,
          endsOn: date.nullable().optional(),
          booksPerMonth: z.number().int().min(1).max(31).optional(),
        }),
        response: { 201: action },
      },
    },
    async (req, reply) => reply.status(201).send(await createAction(app.db, req.actor, req.body)),
  );

  app.delete('/api/reading/actions/:id', { schema: { tags, summary: 'Remove an action (its reading records stay)', params: idParams, response: { 200: z.object({ ok: z.literal(true) }) } } }, async (req) => {
    await deleteAction(app.db, req.actor, req.params.id);
    return { ok: true as const };
  });

  app.get(
    '/api/reading/actions/:id/results',
    {
      schema: {
        tags,
        summary: 'Who took part: per class (pupils, those who did it, books, share) and per reader; a class teacher sees the own class',
        params: idParams,
        response: {
          200: z.object({
            action,
            classes: z.array(z.object({ className: z.string(), pupils: z.number(), done: z.number(), books: z.number(), share: z.number() })),
            readers: z.array(z.object({ readerId: z.number(), name: z.string(), className: z.string().nullable(), books: z.number(), months: z.array(z.number()).nullable(), done: z.boolean() })),
          }),
        },
      },
    },
    async (req) => actionResults(app.db, req.actor, req.params.id),
  );
};
