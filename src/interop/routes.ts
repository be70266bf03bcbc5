import { deleteHoldingsProfile, holdingsFieldRule, holdingsProfileFields, listHoldingsProfiles, saveHoldingsProfile } from './holdings-profiles.js';
import { z } from 'zod';
import { type Actor } from '../auth/actor.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Routes } from '../http/types.js';
import { t } from '../i18n/index.js';
import type { Locale } from '../org/schema.js';
import { AppError, invalid } from '../shared/errors.js';
import { isFileTooLarge, MAX_UPLOAD_MEGABYTES } from '../shared/uploads.js';
import { exportWorks } from './export.js';
import { getImport, listImports, previewImport, processImportBatch, resumeImport, startImport, type BatchStart, type BatchView, type ImportOptions } from './imports.js';
import { ENCODINGS } from './marc/encoding.js';
import { FORMATS } from './mapping.js';
import { handleOai, repositoryIdentifier } from './oai.js';
import { handleSru } from './sru.js';
import { undoImport } from './undo.js';
import { markInterruptedImports } from './workers.js';
import { libraryToday } from '../shared/library-time.js';
import { allow } from '../auth/guard.js';

const problemSchema = z.object({
  position: z.number().describe('1-based record number in the file (0: the file as a whole)'),
  offset: z.number().nullable().describe('byte offset of the record in an ISO 2709 file'),
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});

const previewSchema = z.object({
  syntax: z.string(),
  format: z.string(),
  encoding: z.string(),
  total: z.number(),
  readable: z.number(),
  errors: z.number(),
  warnings: z.number(),
  matches: z.number().describe('readable records that match a work already in the catalogue'),
  copies: z.number().describe('copies described by the holdings fields'),
  formats: z.record(z.string(), z.number()),
  encodings: z.record(z.string(), z.number()),
  problems: z.array(problemSchema),
  samples: z.array(
    z.object({
      position: z.number(),
      title: z.string(),
      authors: z.array(z.string()),
      isbn: z.string().nullable(),
      publishYear: z.number().nullable(),
      udc: z.string().nullable(),
      bbk: z.string().nullable(),
    }),
  ),
  holdingsProfile: z.string(),
  suggestedProfile: z.string(),
  copySamples: z.array(
    z.object({ position: z.number(), title: z.string(), inventoryNumber: z.string().nullable(), barcode: z.string().nullable(), priceTiyn: z.number(), location: z.string().nullable() }),
  ),
});

const batchSchema = z.object({
  id: z.number(),
  fileName: z.string(),
  syntax: z.string(),
  format: z.string(),
  encoding: z.string(),
  options: z.object({ matching: z.enum(['merge', 'keep', 'skip']), holdings: z.boolean() }),
  status: z.enum(['running', 'done', 'failed', 'undone']),
  total: z.number(),
  processed: z.number().describe('records handled so far: the progress bar is processed / total'),
  created: z.number(),
  merged: z.number(),
  skipped: z.number(),
  failed: z.number(),
  warnings: z.number(),
  copies: z.number(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  undoneAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  error: z
    .object({ code: z.string(), message: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })
    .nullable()
    .describe('why a failed import failed, translated; `interop.import_interrupted`: the server stopped during the import (undo or resume it)'),
});

const reportSchema = batchSchema.extend({
  problems: z.array(problemSchema),
  records: z.array(
    z.object({
      position: z.number(),
      action: z.enum(['created', 'merged', 'skipped', 'failed']),
      workId: z.number().nullable(),
      title: z.string().nullable(),
      copies: z.number(),
    }),
  ),
});

const readQuery = z.object({
  encoding: z.enum(ENCODINGS).optional().describe('named by the user; detected per record when absent'),
  format: z.enum(FORMATS).optional().describe('MARC 21 or UNIMARC/RUSMARC; detected per record when absent'),
  holdingsProfile: z.string().max(50).optional().describe('where the source system wrote its copies: auto, koha, sirsi, irbis, marc21, unimarc or own:<key>'),
});

const importQuery = readQuery.extend({
  matching: z.enum(['merge', 'keep', 'skip']).default('merge').describe('what to do with a record that matches a work already in the catalogue'),
  holdings: z.enum(['true', 'false']).default('true').describe('add the copies the file describes to the library'),
  chunkSize: z.coerce.number().int().min(10).max(5000).optional(),
});

const idParams = z.object({ id: z.coerce.number().int().positive() });
const page = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) });

/** The uploaded file of a multipart request. */
async function uploadedFile(req: FastifyRequest) {
  const part = await req.file().catch(() => undefined);
  if (!part) throw invalid('interop.file_required');
  const bytes = await part.toBuffer().catch((err: unknown) => {
    if (isFileTooLarge(err)) throw new AppError('interop.file_too_large', 413, { megabytes: MAX_UPLOAD_MEGABYTES });
    throw err;
  });
  if (!bytes.length) throw invalid('interop.file_required');
  return { fileName: part.filename || 'upload.mrc', bytes };
}

export const interopRoutes: Routes = async (app) => {
  const tags = ['interop'];
  const running = new Set<Promise<void>>();
  // the server waits for an import in progress before it closes the database
  app.addHook('onClose', async () => {
    await Promise.allSettled([...running]);
  });
  // imports left running by a server that stopped are marked interrupted as soon as this one is up
  app.addHook('onReady', async () => {
    const ids = await markInterruptedImports(app.db);
    if (ids.length) app.log.warn({ batches: ids }, 'MARC imports interrupted by a server stop were marked failed');
  });

  /** The import goes on in the background; the server waits for it before closing. */
  const runInBackground = (req: FastifyRequest, actor: Actor, start: BatchStart, options: ImportOptions) => {
    const job: Promise<void> = processImportBatch(app.db, actor, start, options)
      .catch((err: unknown) => req.log.error(err, 'MARC import could not record its failure'))
      .finally(() => running.delete(job));
    running.add(job);
  };

  const translateBatch = <T extends BatchView>(locale: Locale, batch: T) => ({
    ...batch,
    error: batch.error && { ...batch.error, message: t(locale, batch.error.code, batch.error.params) },
  });

  /** Problems are stored as codes; each reader sees them in her own language. */
  const translate = <T extends { code: string; params: Record<string, string | number> }>(locale: Locale, problems: T[]) =>
    problems.map((p) => ({ ...p, message: t(locale, p.code, p.params) }));

  app.post(
    '/api/interop/imports/preview',
    {
      schema: {
        tags,
        summary: 'Read a MARC file (ISO 2709 or MARCXML) without importing it: counts, problems with positions, matches',
        consumes: ['multipart/form-data'],
        querystring: readQuery,
        response: { 200: previewSchema },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      const file = await uploadedFile(req);
      const preview = await previewImport(app.db, actor, file.bytes, req.query);
      return { ...preview, problems: translate(req.locale, preview.problems) };
    },
  );

  const profileSchema = z.object({ key: z.string(), name: z.string().nullable(), builtIn: z.boolean(), fields: z.array(holdingsFieldRule) });
  app.get(
    '/api/interop/holdings-profiles',
    { schema: { tags, summary: 'Where each source system writes its copies: the built-in profiles and the library\'s own', response: { 200: z.object({ items: z.array(profileSchema) }) } } },
    async (req) => ({ items: await listHoldingsProfiles(app.db, allow(req.actor, 'staff')) }),
  );
  app.put(
    '/api/interop/holdings-profiles/:key',
    {
      schema: {
        tags,
        summary: 'Make or change a holdings profile of the library\'s own',
        params: z.object({ key: z.string().max(40) }),
        body: z.object({ name: z.string().max(200), fields: holdingsProfileFields }),
        response: { 200: z.object({ key: z.string() }) },
      },
    },
    async (req) => ({ key: await saveHoldingsProfile(app.db, allow(req.actor, 'staff'), { key: req.params.key, ...req.body }) }),
  );
  app.delete(
    '/api/interop/holdings-profiles/:key',
    { schema: { tags, summary: 'Remove a holdings profile of the library\'s own', params: z.object({ key: z.string().max(50) }), response: { 200: z.object({ ok: z.literal(true) }) } } },
    async (req) => {
      await deleteHoldingsProfile(app.db, allow(req.actor, 'staff'), req.params.key);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/interop/imports',
    {
      schema: {
        tags,
        summary: 'Import a MARC file into the catalogue (and its copies into the library); runs in the background',
        consumes: ['multipart/form-data'],
        querystring: importQuery,
        response: { 202: batchSchema },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'staff');
      const file = await uploadedFile(req);
      const options: ImportOptions = {
        fileName: file.fileName,
        matching: req.query.matching,
        holdings: req.query.holdings === 'true',
        encoding: req.query.encoding,
        format: req.query.format,
        holdingsProfile: req.query.holdingsProfile,
        chunkSize: req.query.chunkSize,
        database: app.dbKind,
      };
      const start = await startImport(app.db, actor, file.bytes, options);
      runInBackground(req, actor, start, options);
      const report = await getImport(app.db, actor, start.batchId, { limit: 0, offset: 0 });
      const { problems: _p, records: _r, ...batch } = report;
      return reply.status(202).send(translateBatch(req.locale, batch));
    },
  );

  app.post(
    '/api/interop/imports/:id/resume',
    {
      schema: {
        tags,
        summary: 'Resume an import interrupted by a server stop, with the same file, from the first record not yet imported',
        consumes: ['multipart/form-data'],
        params: idParams,
        response: { 202: batchSchema },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'staff');
      const file = await uploadedFile(req);
      const { start, options } = await resumeImport(app.db, actor, req.params.id, file.bytes, { database: app.dbKind });
      runInBackground(req, actor, start, options);
      const { problems: _p, records: _r, ...batch } = await getImport(app.db, actor, start.batchId, { limit: 0, offset: 0 });
      return reply.status(202).send(translateBatch(req.locale, batch));
    },
  );

  app.get(
    '/api/interop/imports',
    { schema: { tags, summary: 'Imports of the own library, newest first', querystring: page, response: { 200: z.object({ items: z.array(batchSchema), total: z.number() }) } } },
    async (req) => {
      const list = await listImports(app.db, allow(req.actor, 'staff'), req.query);
      return { ...list, items: list.items.map((b) => translateBatch(req.locale, b)) };
    },
  );

  app.get(
    '/api/interop/imports/:id',
    {
      schema: {
        tags,
        summary: 'An import: progress, counts, problems with record positions, and what happened to each record',
        params: idParams,
        querystring: page,
        response: { 200: reportSchema },
      },
    },
    async (req) => {
      const report = await getImport(app.db, allow(req.actor, 'staff'), req.params.id, req.query);
      return { ...translateBatch(req.locale, report), problems: translate(req.locale, report.problems) };
    },
  );

  app.post(
    '/api/interop/imports/:id/undo',
    { schema: { tags, summary: 'Undo an import: remove what it created, restore what it merged', params: idParams, response: { 200: batchSchema } } },
    async (req) => {
      const actor: Actor = allow(req.actor, 'staff');
      await app.db.transaction().execute((trx) => undoImport(trx, actor, req.params.id));
      const { problems: _p, records: _r, ...batch } = await getImport(app.db, actor, req.params.id, { limit: 0, offset: 0 });
      return translateBatch(req.locale, batch);
    },
  );

  app.post(
    '/api/interop/export',
    {
      schema: {
        tags,
        summary: 'Export works as MARC 21 (ISO 2709 in UTF-8, or MARCXML), with the own library’s copies',
        body: z
          .object({
            workIds: z.array(z.number().int().positive()).max(100_000).optional(),
            query: z.string().max(200).optional(),
            format: z.enum(['iso2709', 'marcxml']).default('iso2709'),
            holdings: z.boolean().default(true),
          })
          .refine((b) => b.workIds !== undefined || b.query !== undefined, { message: 'workIds or query' }),
        produces: ['application/marc', 'application/marcxml+xml'],
        response: { 200: z.any().describe('the MARC file') },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'staff');
      const { content, count, skipped } = await app.db.transaction().execute((trx) => exportWorks(trx, actor, req.body));
      const iso = req.body.format === 'iso2709';
      const today = await libraryToday(app.db, actor.organisationId);
      return reply
        .type(iso ? 'application/marc' : 'application/marcxml+xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="kitaphana-${today}.${iso ? 'mrc' : 'xml'}"`)
        .header('x-record-count', String(count))
        // works whose record ISO 2709 cannot hold (over 99,999 bytes), left out of the file
        .header('x-records-skipped', skipped.map((s) => s.workId).join(','))
        .send(content);
    },
  );

  // The harvesters' address of this server: configured, never taken from a request's Host header,
  // which any client sets as it likes.
  const publicBase = () => (process.env.KITAPHANA_PUBLIC_URL || `http://${process.env.HOST || '127.0.0.1'}:${process.env.PORT || 3000}`).replace(/\/+$/, '');
  const repositoryId = () => repositoryIdentifier(process.env.KITAPHANA_OAI_REPOSITORY_ID, new URL(publicBase()).hostname);
  const pageSize = () => Number(process.env.KITAPHANA_OAI_PAGE_SIZE) || 100;

  async function answerOai(query: Record<string, string | string[] | undefined>, reply: FastifyReply) {
    const args: Record<string, string | undefined> = {};
    let repeated = false;
    for (const [k, v] of Object.entries(query)) {
      if (Array.isArray(v)) repeated = true;
      args[k] = Array.isArray(v) ? v[0] : v;
    }
    const xml = await handleOai(app.db, repeated ? { verb: '\u0000repeated' } : args, {
      baseUrl: `${publicBase()}/api/oai`,
      repositoryId: repositoryId(),
      pageSize: pageSize(),
    });
    return reply.type('text/xml; charset=utf-8').send(xml);
  }

  const oaiArguments = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
  app.get(
    '/api/oai',
    {
      schema: {
        tags,
        summary: 'OAI-PMH 2.0 provider (oai_dc and marc21), for harvesting by the national union base',
        querystring: oaiArguments,
        produces: ['text/xml'],
        response: { 200: z.any().describe('OAI-PMH response (text/xml)') },
      },
    },
    async (req, reply) => answerOai(req.query, reply),
  );

  // OAI-PMH 3.1.1: a request may also be a POST with its arguments form-encoded
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    const params: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(body as string)) {
      const had = params[k];
      params[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
    }
    done(null, params);
  });
  app.post(
    '/api/oai',
    {
      schema: {
        tags,
        summary: 'OAI-PMH 2.0 provider, arguments form-encoded in the body (application/x-www-form-urlencoded)',
        consumes: ['application/x-www-form-urlencoded'],
        body: oaiArguments,
        produces: ['text/xml'],
        response: { 200: z.any().describe('OAI-PMH response (text/xml)') },
      },
    },
    async (req, reply) => answerOai(req.body, reply),
  );

  app.get(
    '/api/sru',
    {
      schema: {
        tags,
        summary: 'SRU searchRetrieve (1.2, 2.0) with basic CQL over title, author, isbn and any; MARCXML records',
        querystring: z.object({
          operation: z.string().optional(),
          version: z.string().optional(),
          query: z.string().max(1000).optional(),
          startRecord: z.string().optional(),
          maximumRecords: z.string().optional(),
          recordSchema: z.string().optional(),
          recordPacking: z.string().optional(),
        }),
        produces: ['text/xml'],
        response: { 200: z.any().describe('SRU response (text/xml)') },
      },
    },
    async (req, reply) => {
      const xml = await handleSru(app.db, req.query, `${publicBase()}/api/sru`);
      return reply.type('text/xml; charset=utf-8').send(xml);
    },
  );
};
