import { noteEmptySearch } from '../reference/service.js';
import { z } from 'zod';
import { type Actor } from '../auth/actor.js';
import { copySchema, fundKindSchema } from '../fund/copies-schemas.js';
import { listCopies } from '../fund/copies.js';
import type { Routes } from '../http/types.js';
import { AppError, invalid } from '../shared/errors.js';
import { createAuthor, getAuthor, searchAuthors, updateAuthor } from './authors.js';
import { fetchCover, isOwnCoverAddress, MAX_COVER_BYTES, readCover, removeCover, saveCover } from './covers.js';
import { parseIsbn } from './isbn.js';
import { searchCatalogue, TOTAL_CAP } from './search.js';
import { inTransaction } from '../db/transaction.js';
import { allow, belongsTo } from '../auth/guard.js';
import { addWork, checkBbk, checkUdc, findWorksByIsbn, getWork, updateWork } from './works.js';
import { authorSignFor, listAuthorSigns, replaceAuthorSigns } from './author-signs.js';
import { ACCESSIBLE_FORMATS, AGE_CATEGORIES, PUBLICATION_TYPES } from './schema.js';
import { knowledgeGroupOf, listGroupRules } from '../fund/accounting/groups.js';
import { fundKindSchema as copyFundSchema } from '../fund/copies-schemas.js';

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const idParams = z.object({ id: z.coerce.number().int().positive() });
const text = (max: number) => z.string().max(max).nullable().optional();

const authorInputSchema = z.object({
  name: z.string().max(300),
  variants: z.array(z.string().max(300)).max(50).optional(),
  birthDate: dateSchema.nullable().optional(),
  deathDate: dateSchema.nullable().optional(),
  note: text(2000),
});

const authorSchema = z.object({
  id: z.number(),
  name: z.string(),
  variants: z.array(z.string()),
  birthDate: z.string().nullable(),
  deathDate: z.string().nullable(),
  note: z.string().nullable(),
});

const roleSchema = z.enum(['author', 'editor', 'translator', 'illustrator', 'compiler']);

const workFields = {
  title: z.string().max(1000),
  subtitle: text(1000),
  isbn: text(40),
  publisher: text(300),
  publishPlace: text(200),
  publishYear: z.number().int().nullable().optional(),
  language: text(8),
  pages: z.number().int().positive().nullable().optional(),
  bbk: text(100),
  udc: text(100),
  knowledgeGroup: text(100),
  genre: text(100),
  ageRating: text(8),
  ageCategory: text(8),
  annotation: text(10000),
  coverUrl: z.url().max(1000).nullable().optional(),
  parallelTitle: text(1000),
  responsibility: text(1000),
  edition: text(300),
  series: text(500),
  authorSign: text(20),
  accessibleFormat: z.enum(ACCESSIBLE_FORMATS).nullable().optional(),
  publicationType: z.enum(PUBLICATION_TYPES).optional(),
  subjectHeadings: z.array(z.string().max(300)).max(50).optional(),
  authors: z.array(authorInputSchema.extend({ role: roleSchema.optional() })).max(50).optional(),
  authorIds: z.array(z.object({ id: z.number().int().positive(), role: roleSchema.optional() })).max(50).optional(),
};

const workSchema = z.object({
  id: z.number(),
  title: z.string(),
  subtitle: z.string().nullable(),
  isbn: z.string().nullable(),
  publisher: z.string().nullable(),
  publishPlace: z.string().nullable(),
  publishYear: z.number().nullable(),
  language: z.string().nullable(),
  pages: z.number().nullable(),
  bbk: z.string().nullable(),
  udc: z.string().nullable(),
  knowledgeGroup: z.string().nullable(),
  genre: z.string().nullable(),
  ageRating: z.string().nullable(),
  ageCategory: z.string().nullable(),
  annotation: z.string().nullable(),
  coverUrl: z.string().nullable(),
  parallelTitle: z.string().nullable(),
  responsibility: z.string().nullable(),
  edition: z.string().nullable(),
  series: z.string().nullable(),
  authorSign: z.string().nullable(),
  accessibleFormat: z.enum(ACCESSIBLE_FORMATS).nullable(),
  publicationType: z.enum(PUBLICATION_TYPES),
  subjectHeadings: z.array(z.string()),
  authors: z.array(authorSchema.extend({ role: z.string() })),
});

const availabilitySchema = z.object({ total: z.number(), available: z.number(), onLoan: z.number() });

const searchHitSchema = z.object({
  workId: z.number(),
  title: z.string(),
  subtitle: z.string().nullable(),
  authors: z.array(z.object({ id: z.number(), name: z.string() })),
  publishYear: z.number().nullable(),
  publisher: z.string().nullable(),
  isbn: z.string().nullable(),
  language: z.string().nullable(),
  ageRating: z.string().nullable(),
  accessibleFormat: z.string().nullable(),
  availability: availabilitySchema,
});


/**
 * Whose copies the search counts: a signed-in member of a library sees the own library;
 * a visitor of the public catalogue (and a methodologist or admin looking at one school) names it.
 */
function availabilityLibrary(actor: Actor | null, requested: number | undefined): number | null {
  if (actor && !belongsTo(actor, 'overseers')) return actor.organisationId;
  return requested ?? null;
}

export const catalogRoutes: Routes = async (app) => {
  const tags = ['catalog'];

  app.get(
    '/api/catalog/search',
    {
      schema: {
        tags,
        summary: `Search the catalogue in any script (Kazakh Cyrillic or Latin, Russian keyboard); ranked, with one library's availability. total counts up to ${TOTAL_CAP}.`,
        querystring: z.object({
          q: z.string().max(300).default(''),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          offset: z.coerce.number().int().min(0).max(10_000).default(0),
          organisationId: z.coerce.number().int().positive().optional(),
          language: z.string().max(8).optional(),
          fund: fundKindSchema.optional(),
          available: z.enum(['true', 'false']).optional(),
          accessibleFormat: z.enum([...ACCESSIBLE_FORMATS, 'any']).optional(),
          ageCategory: z.enum(AGE_CATEGORIES).optional(),
          asked: z.enum(['true', 'false']).optional().describe('true: a search a reader submitted; when it finds nothing it is noted as an unmet request'),
        }),
        response: { 200: z.object({ items: z.array(searchHitSchema), total: z.number(), totalCapped: z.boolean() }) },
      },
    },
    async (req) => {
      const { q, limit, offset, organisationId, language, fund, available, accessibleFormat, ageCategory, asked } = req.query;
      const result = await searchCatalogue(app.db, {
        q,
        limit,
        offset,
        organisationId: availabilityLibrary(req.actor, organisationId),
        filters: { language, fund, available: available === 'true', accessibleFormat, ageCategory },
      });
      // nothing at all under any filter: the library lacks it, and the librarian should know it was asked for
      const unfiltered = !language && !fund && available !== 'true' && !accessibleFormat && !ageCategory;
      if (asked === 'true' && req.actor && result.total === 0 && offset === 0 && unfiltered) await noteEmptySearch(app.db, req.actor, q);
      return result;
    },
  );

  app.get(
    '/api/catalog/works/:id',
    {
      schema: {
        tags,
        summary: 'One bibliographic record; a librarian also gets the copies of the own library',
        params: idParams,
        response: { 200: workSchema.extend({ copies: z.array(copySchema).optional() }) },
      },
    },
    async (req) => {
      const work = await getWork(app.db, req.params.id);
      const actor = req.actor;
      if (!actor || !belongsTo(actor, 'staff')) return work;
      const copies = await listCopies(app.db, actor, { workId: work.id, limit: 1000, offset: 0 });
      return { ...work, copies: copies.items };
    },
  );

  app.post(
    '/api/catalog/works',
    {
      schema: {
        tags,
        summary: 'Add a record to the shared catalogue; an ISBN already catalogued answers 409 with the existing id unless force',
        body: z.object({ ...workFields, force: z.boolean().optional() }),
        response: { 201: workSchema },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'staff');
      // a cover from elsewhere is fetched now and stored: browsers are only ever given the library's own address
      const { coverUrl, ...rest } = req.body;
      const image = coverUrl && !isOwnCoverAddress(coverUrl) ? await fetchCover(coverUrl) : null;
      const id = await inTransaction(app.db, async (trx) => {
        const workId = await addWork(trx, actor, image ? rest : req.body);
        if (image) await saveCover(trx, actor, workId, image);
        return workId;
      });
      return reply.status(201).send(await getWork(app.db, id));
    },
  );

  app.put(
    '/api/catalog/works/:id',
    {
      schema: {
        tags,
        summary: 'Edit a record of the shared catalogue; authors given replace the old ones',
        params: idParams,
        body: z.object(workFields).partial(),
        response: { 200: workSchema },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      const { coverUrl, ...rest } = req.body;
      const image = coverUrl && !isOwnCoverAddress(coverUrl) ? await fetchCover(coverUrl) : null;
      await inTransaction(app.db, async (trx) => {
        await updateWork(trx, actor, req.params.id, image ? rest : req.body);
        if (image) await saveCover(trx, actor, req.params.id, image);
      });
      return getWork(app.db, req.params.id);
    },
  );

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
      return { items: await app.db.transaction().execute((trx) => replaceAuthorSigns(trx, actor, req.body.items)) };
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
          fund: copyFundSchema.optional(),
        }),
        response: { 200: z.object({ knowledgeGroup: z.string(), bbkValid: z.boolean(), udcValid: z.boolean() }) },
      },
    },
    async (req) => {
      allow(req.actor, 'signedIn');
      const valid = (check: (v: string) => unknown, v: string | undefined) => {
        try {
          check(v ?? '');
          return true;
        } catch {
          return false;
        }
      };
      const bbkValid = valid(checkBbk, req.query.bbk);
      const udcValid = valid(checkUdc, req.query.udc);
      const rules = await listGroupRules(app.db);
      const knowledgeGroup = knowledgeGroupOf(
        rules,
        { bbk: bbkValid ? (req.query.bbk ?? null) : null, udc: udcValid ? (req.query.udc ?? null) : null, knowledge_group: req.query.knowledgeGroup ?? null, language: null },
        req.query.fund ?? 'main',
      );
      return { knowledgeGroup, bbkValid, udcValid };
    },
  );

  app.post(
    '/api/catalog/works/:id/cover',
    {
      schema: {
        tags,
        summary: `Upload a cover image (JPEG, PNG or WebP, up to ${MAX_COVER_BYTES / 1024 / 1024} MB) as multipart/form-data field \`file\``,
        params: idParams,
        response: { 200: workSchema },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      if (!req.isMultipart()) throw new AppError('catalog.cover_no_file', 400);
      const part = await req.file({ limits: { fileSize: MAX_COVER_BYTES + 1 } });
      if (!part) throw new AppError('catalog.cover_no_file', 400);
      const bytes = await part.toBuffer().catch((err: { code?: string }) => {
        if (err.code === 'FST_REQ_FILE_TOO_LARGE') throw invalid('catalog.cover_too_large', { max: MAX_COVER_BYTES / 1024 / 1024 });
        throw err;
      });
      await inTransaction(app.db, (trx) => saveCover(trx, actor, req.params.id, bytes));
      return getWork(app.db, req.params.id);
    },
  );

  app.get(
    '/api/catalog/works/:id/cover',
    { schema: { tags, summary: 'The uploaded cover image of a record (public, like the record)', params: idParams } },
    async (req, reply) => {
      const cover = await readCover(app.db, req.params.id);
      return reply
        .header('content-type', cover.mime)
        .header('cache-control', 'public, max-age=86400')
        .header('last-modified', cover.updatedAt.toUTCString())
        .send(cover.bytes);
    },
  );

  app.delete(
    '/api/catalog/works/:id/cover',
    { schema: { tags, summary: 'Remove the uploaded cover of a record', params: idParams, response: { 200: workSchema } } },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      await inTransaction(app.db, (trx) => removeCover(trx, actor, req.params.id));
      return getWork(app.db, req.params.id);
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
