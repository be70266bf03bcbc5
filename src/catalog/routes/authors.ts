import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import { inTransaction } from '../../db/transaction.js';
import type { Routes } from '../../http/types.js';
import { createAuthor, getAuthor, searchAuthors, updateAuthor } from '../authors.js';
import { authorInputSchema, authorSchema, idParams, tags } from './shared.js';

/** The author authority. */
export const authorRoutes: Routes = (app) => {
  app.get(
    '/api/catalog/authors',
    {
      schema: {
        tags,
        summary: 'The author authority, searched in any script',
        querystring: z.object({
          q: z.string().max(300).default(''),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ items: z.array(authorSchema), total: z.number() }) },
      },
    },
    async (req) => {
      allow(req.actor, 'signedIn');
      return searchAuthors(app.db, req.query);
    },
  );

  app.get(
    '/api/catalog/authors/:id',
    { schema: { tags, summary: 'One author of the authority', params: idParams, response: { 200: authorSchema } } },
    async (req) => {
      allow(req.actor, 'signedIn');
      return getAuthor(app.db, req.params.id);
    },
  );

  app.post(
    '/api/catalog/authors',
    { schema: { tags, summary: 'Add an author to the authority', body: authorInputSchema, response: { 201: authorSchema } } },
    async (req, reply) => {
      const actor = allow(req.actor, 'staff');
      const id = await inTransaction(app.db, (trx) => createAuthor(trx, actor, req.body));
      return reply.status(201).send(await getAuthor(app.db, id));
    },
  );

  app.put(
    '/api/catalog/authors/:id',
    {
      schema: {
        tags,
        summary: "Edit an author; the search keys of the author's works follow",
        params: idParams,
        body: authorInputSchema.partial(),
        response: { 200: authorSchema },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      await inTransaction(app.db, (trx) => updateAuthor(trx, actor, req.params.id, req.body));
      return getAuthor(app.db, req.params.id);
    },
  );
};
