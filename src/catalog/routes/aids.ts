import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import { fundKindSchema } from '../../fund/copies-schemas.js';
import type { Routes } from '../../http/types.js';
import { invalid } from '../../shared/errors.js';
import { authorSignFor, listAuthorSigns, replaceAuthorSigns } from '../author-signs.js';
import { knowledgeGroupFor } from '../classification.js';
import { parseIsbn } from '../isbn.js';
import { findWorksByIsbn } from '../works.js';
import { tags, workSchema } from './shared.js';

/** What a cataloguer is shown while typing: the author sign and its table, the knowledge group, the ISBN checked. */
export const cataloguingAidRoutes: Routes = (app) => {
  app.get(
    '/api/catalog/author-sign',
    {
      schema: {
        tags,
        summary: "The author sign of a surname (or of a title's first word) by the library system's author-sign table",
        querystring: z.object({ author: z.string().max(300).optional(), title: z.string().max(1000).optional() }),
        response: { 200: z.object({ authorSign: z.string().nullable() }) },
      },
    },
    async (req) => {
      allow(req.actor, 'signedIn');
      return { authorSign: await authorSignFor(app.db, req.query) };
    },
  );

  app.get(
    '/api/catalog/author-signs',
    {
      schema: {
        tags,
        summary: 'The author-sign table: prefixes in Kazakh alphabetical order with their numbers',
        response: { 200: z.object({ items: z.array(z.object({ prefix: z.string(), number: z.number() })) }) },
      },
    },
    async (req) => {
      allow(req.actor, 'signedIn');
      return { items: await listAuthorSigns(app.db) };
    },
  );

  app.put(
    '/api/catalog/author-signs',
    {
      schema: {
        tags,
        summary: 'Replace the author-sign table (admin), e.g. with the printed table the libraries keep',
        body: z.object({ items: z.array(z.object({ prefix: z.string().max(20), number: z.number().int() })).max(20_000) }),
        response: { 200: z.object({ items: z.array(z.object({ prefix: z.string(), number: z.number() })) }) },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'admin');
      return { items: await replaceAuthorSigns(app.db, actor, req.body.items) };
    },
  );

  app.get(
    '/api/catalog/knowledge-group',
    {
      schema: {
        tags,
        summary: "The summary book's knowledge group a copy of a record with this BBK/UDC will count in (shown while typing)",
        querystring: z.object({
          bbk: z.string().max(100).optional(),
          udc: z.string().max(100).optional(),
          knowledgeGroup: z.string().max(100).optional(),
          fund: fundKindSchema.optional(),
        }),
        response: { 200: z.object({ knowledgeGroup: z.string(), bbkValid: z.boolean(), udcValid: z.boolean() }) },
      },
    },
    async (req) => {
      allow(req.actor, 'signedIn');
      return knowledgeGroupFor(app.db, req.query);
    },
  );

  app.get(
    '/api/catalog/isbn/:isbn',
    {
      schema: {
        tags,
        summary: 'Check and normalise an ISBN, and find the records that already carry it',
        params: z.object({ isbn: z.string().max(40) }),
        response: { 200: z.object({ isbn13: z.string(), hyphenated: z.string(), existing: z.array(workSchema) }) },
      },
    },
    async (req) => {
      allow(req.actor, 'signedIn');
      const parsed = parseIsbn(req.params.isbn);
      if (!parsed) throw invalid('catalog.invalid_isbn', { isbn: req.params.isbn });
      return { ...parsed, existing: await findWorksByIsbn(app.db, parsed.isbn13) };
    },
  );

};
