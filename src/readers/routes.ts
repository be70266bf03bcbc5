import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireRole } from '../auth/actor.js';
import type { Routes } from '../http/types.js';
import { t } from '../i18n/index.js';
import type { Locale } from '../org/schema.js';
import { AppError } from '../shared/errors.js';
import { isFileTooLarge, MAX_UPLOAD_MEGABYTES } from '../shared/uploads.js';
import { readerCardsPdf } from './cards.js';
import { importRoster, previewImport, type ImportPreview, type RosterFile } from './import.js';
import type { App } from '../http/types.js';
import { translateIssues, zodIssues } from '../http/validation.js';
import { anonymiseLeftReaders, appendToLedger, eraseOneReader, ledgerEntriesFor, previewAnonymisation, purgeErasedValues } from './anonymise.js';
import { listPromotions, performPromotion, previewPromotion, undoPromotion } from './promotion.js';
import { createReader, getOwnReader, getReader, listClasses, listReaders, updateReader } from './readers.js';
import type { RosterRow, RowError } from './roster.js';

const tags = ['readers'];
const kindSchema = z.enum(['student', 'teacher', 'staff', 'parent', 'other']);
const statusSchema = z.enum(['active', 'left']);
const isoDate = z.iso.date();
const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

const readerSchema = z.object({
  id: z.number(),
  registrationNumber: z.string(),
  barcode: z.string(),
  kind: kindSchema,
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  fullName: z.string(),
  grade: z.number().nullable(),
  classLetter: z.string().nullable(),
  className: z.string().nullable(),
  birthDate: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  parentName: z.string().nullable(),
  parentPhone: z.string().nullable(),
  status: statusSchema,
  leftOn: z.string().nullable(),
  anonymised: z.boolean(),
  blocked: z.boolean(),
});

// Grade, letter and barcode are checked by the domain functions, which explain the problem in the librarian's words.
const readerFields = z.object({
  registrationNumber: z.string().max(30).nullish(),
  barcode: z.string().max(30).nullish(),
  kind: kindSchema,
  lastName: z.string().trim().min(1).max(100),
  firstName: z.string().trim().min(1).max(100),
  middleName: z.string().max(100).nullish(),
  grade: z.number().int().nullish(),
  classLetter: z.string().max(5).nullish(),
  birthDate: isoDate.nullish(),
  phone: z.string().max(40).nullish(),
  email: z.email().max(200).nullish(),
  parentName: z.string().max(200).nullish(),
  parentPhone: z.string().max(40).nullish(),
  status: statusSchema.optional(),
  leftOn: isoDate.nullish(),
});
const newReaderBody = readerFields.extend({ kind: kindSchema.default('student') });
const readerPatchBody = readerFields.partial();

const classCountSchema = z.object({ grade: z.number(), classLetter: z.string().nullable(), count: z.number() });

const rowErrorSchema = z.object({ code: z.string(), message: z.string() });
const importColumnsSchema = z.array(z.object({ header: z.string(), field: z.string().nullable() }));
const previewSchema = z.object({
  format: z.enum(['csv', 'xlsx']),
  encoding: z.enum(['utf-8', 'windows-1251']).nullable(),
  delimiter: z.string().nullable(),
  columns: importColumnsSchema,
  rows: z.array(
    z.object({
      line: z.number(),
      values: z.object({
        lastName: z.string().nullable(),
        firstName: z.string().nullable(),
        middleName: z.string().nullable(),
        grade: z.number().nullable(),
        classLetter: z.string().nullable(),
        birthDate: z.string().nullable(),
        parentName: z.string().nullable(),
        parentPhone: z.string().nullable(),
        phone: z.string().nullable(),
        email: z.string().nullable(),
      }),
      errors: z.array(rowErrorSchema),
    }),
  ),
  validCount: z.number(),
  invalidCount: z.number(),
});
const importResultSchema = z.object({
  format: z.enum(['csv', 'xlsx']),
  encoding: z.enum(['utf-8', 'windows-1251']).nullable(),
  delimiter: z.string().nullable(),
  imported: z.array(
    z.object({ line: z.number(), readerId: z.number(), registrationNumber: z.string(), barcode: z.string(), fullName: z.string() }),
  ),
  rejected: z.array(z.object({ line: z.number(), errors: z.array(rowErrorSchema) })),
});

/** Form fields sent with the roster file; all text, as multipart has no types. */
const importFields = z.object({
  encoding: z.enum(['auto', 'utf-8', 'windows-1251']).default('auto'),
  grade: z.coerce.number().int().optional(),
  classLetter: z.string().trim().max(5).optional(),
  skipInvalid: z.enum(['true', 'false']).default('false'),
});

// The body may be left out entirely: the promotion then happens today.
const promotionDateBody = z.object({ date: isoDate.optional() }).nullish();
const promotionSchema = z.object({
  id: z.number(),
  date: z.string(),
  performedAt: z.string(),
  performedBy: z.string().nullable(),
  promoted: z.number(),
  leaving: z.number(),
  undoneAt: z.string().nullable(),
});

const multipartDescription =
  'multipart/form-data: `file` (CSV in UTF-8 or Windows-1251 with `;` `,` or tab, or XLSX); optional fields ' +
  '`encoding` (auto|utf-8|windows-1251), `grade` and `classLetter` for a roster without a class column';

/** The roster file and the text fields of a multipart request. */
async function readUpload(req: FastifyRequest): Promise<{ file: RosterFile; fields: z.infer<typeof importFields> }> {
  if (!req.isMultipart()) throw new AppError('readers.import.no_file', 400);
  let file: RosterFile | undefined;
  const raw: Record<string, string> = {};
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer().catch((err: unknown) => {
        if (isFileTooLarge(err)) throw new AppError('readers.import.too_large', 413, { megabytes: MAX_UPLOAD_MEGABYTES });
        throw err;
      });
      file = { bytes, filename: part.filename ?? '' };
    }
    else if (typeof part.value === 'string' && part.value !== '') raw[part.fieldname] = part.value;
  }
  if (!file) throw new AppError('readers.import.no_file', 400);
  const parsed = importFields.safeParse(raw);
  if (!parsed.success) {
    const issues = translateIssues(req.locale, zodIssues(parsed.error));
    throw new AppError('common.validation', 400, { summary: issues.map((i) => i.message).join('; ') }, issues);
  }
  return { file, fields: parsed.data };
}

const translateErrors = (locale: Locale, errors: RowError[]) =>
  errors.map((e) => ({ code: e.code, message: t(locale, e.code, e.params) }));

function translatePreview(locale: Locale, preview: ImportPreview) {
  return { ...preview, rows: preview.rows.map((r: RosterRow) => ({ ...r, errors: translateErrors(locale, r.errors) })) };
}

/**
 * After an erasure is committed: it is listed outside the database (for a restore of an older
 * backup) and the database's files are rewritten so the old values cannot be read back.
 */
async function afterErasure(app: App, organisationId: number, readerIds: number[]) {
  if (!readerIds.length) return;
  appendToLedger(app.erasureLedger, await ledgerEntriesFor(app.db, organisationId, readerIds));
  const { ms } = await purgeErasedValues(app.db, app.dbKind);
  app.log.info({ ms }, 'erased values purged from the database files');
}

export const readersRoutes: Routes = async (app) => {
  app.get(
    '/api/readers',
    {
      schema: {
        tags,
        summary: "Readers of the library (a teacher: the own class), by class and name; q finds names, numbers and barcodes in any script",
        querystring: z.object({
          q: z.string().max(200).optional(),
          kind: kindSchema.optional(),
          grade: z.coerce.number().int().min(0).max(12).optional(),
          classLetter: z.string().max(5).optional(),
          status: z.enum(['active', 'left', 'all']).default('active'),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ items: z.array(readerSchema), total: z.number() }) },
      },
    },
    async (req) => listReaders(app.db, req.actor, req.query),
  );

  app.get(
    '/api/readers/classes',
    { schema: { tags, summary: 'Classes of the library with the number of active students', response: { 200: z.array(classCountSchema) } } },
    async (req) => listClasses(app.db, req.actor),
  );

  app.get(
    '/api/readers/me',
    { schema: { tags, summary: "A student's or parent's own reader's record", response: { 200: readerSchema } } },
    async (req) => getOwnReader(app.db, req.actor),
  );

  app.get(
    '/api/readers/:id',
    { schema: { tags, summary: "A reader's record", params: idParams, response: { 200: readerSchema } } },
    async (req) => getReader(app.db, req.actor, req.params.id),
  );

  app.post(
    '/api/readers',
    {
      schema: {
        tags,
        summary: 'Register a reader; registration number and card barcode are issued when left out',
        body: newReaderBody,
        response: { 201: readerSchema },
      },
    },
    async (req, reply) => {
      const reader = await app.db.transaction().execute((trx) => createReader(trx, req.actor, req.body));
      return reply.status(201).send(reader);
    },
  );

  app.patch(
    '/api/readers/:id',
    { schema: { tags, summary: "Change a reader's record", params: idParams, body: readerPatchBody, response: { 200: readerSchema } } },
    async (req) => app.db.transaction().execute((trx) => updateReader(trx, req.actor, req.params.id, req.body)),
  );

  app.post(
    '/api/readers/import/preview',
    {
      schema: {
        tags,
        summary: 'Check a class roster file row by row without writing anything',
        description: multipartDescription,
        consumes: ['multipart/form-data'],
        response: { 200: previewSchema },
      },
    },
    async (req) => {
      requireRole(req.actor, 'admin', 'librarian');
      const { file, fields } = await readUpload(req);
      const preview = await previewImport(app.db, req.actor, file, fields);
      return translatePreview(req.locale, preview);
    },
  );

  app.post(
    '/api/readers/import',
    {
      schema: {
        tags,
        summary: 'Import a class roster, all or nothing, written in small transactions; with errors it is refused (422) unless skipInvalid=true',
        description: `${multipartDescription}; \`skipInvalid\` (true|false)`,
        consumes: ['multipart/form-data'],
        response: { 200: importResultSchema },
      },
    },
    async (req) => {
      requireRole(req.actor, 'admin', 'librarian');
      const { file, fields } = await readUpload(req);
      try {
        // in small transactions of its own, so that the desk is served while a large roster is written
        const result = await importRoster(app.db, req.actor, file, { ...fields, skipInvalid: fields.skipInvalid === 'true' });
        return { ...result, rejected: result.rejected.map((r) => ({ line: r.line, errors: translateErrors(req.locale, r.errors) })) };
      } catch (err) {
        // The refusal carries the row report; it goes out in the request's language like the message.
        if (err instanceof AppError && err.status === 422 && err.details) {
          throw new AppError(err.code, err.status, err.params, translatePreview(req.locale, err.details as ImportPreview));
        }
        throw err;
      }
    },
  );

  app.post(
    '/api/readers/promotion/preview',
    {
      schema: {
        tags,
        summary: 'What the year-end promotion would do, class by class («5Ә → 6Ә: 27»)',
        body: promotionDateBody,
        response: {
          200: z.object({
            date: z.string(),
            classes: z.array(
              z.object({
                grade: z.number(),
                classLetter: z.string().nullable(),
                fromClass: z.string(),
                toClass: z.string().nullable(),
                leaving: z.boolean(),
                count: z.number(),
              }),
            ),
            promoted: z.number(),
            leaving: z.number(),
            teachers: z.array(z.object({ userId: z.number(), fullName: z.string(), fromClass: z.string(), toClass: z.string().nullable() })),
          }),
        },
      },
    },
    async (req) => previewPromotion(app.db, req.actor, req.body?.date),
  );

  app.post(
    '/api/readers/promotion',
    {
      schema: {
        tags,
        summary: 'Move every class up one grade; the 11th grade leaves on the given date',
        body: promotionDateBody,
        response: { 201: promotionSchema },
      },
    },
    async (req, reply) => {
      const promotion = await app.db.transaction().execute((trx) => performPromotion(trx, req.actor, req.body?.date));
      return reply.status(201).send(promotion);
    },
  );

  const anonymiseBody = z.object({ leftBefore: isoDate });
  app.post(
    '/api/readers/anonymisation/preview',
    {
      schema: {
        tags,
        summary: 'How many readers who left before the date would lose their personal data, and who must return books first',
        body: anonymiseBody,
        response: {
          200: z.object({
            leftBefore: z.string(),
            ready: z.number(),
            blocked: z.array(
              z.object({
                id: z.number(),
                registrationNumber: z.string(),
                fullName: z.string(),
                leftOn: z.string(),
                openLoans: z.number(),
                textbooksOnHand: z.number(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => previewAnonymisation(app.db, req.actor, req.body.leftBefore),
  );

  app.post(
    '/api/readers/anonymisation',
    {
      schema: {
        tags,
        summary: 'Erase for good the names, birth dates and contacts of readers who left before the date and hold nothing',
        body: anonymiseBody,
        response: { 200: z.object({ anonymised: z.number(), blocked: z.number() }) },
      },
    },
    async (req) => {
      const result = await app.db.transaction().execute((trx) => anonymiseLeftReaders(trx, req.actor, req.body.leftBefore));
      await afterErasure(app, req.actor!.organisationId, result.readerIds);
      return { anonymised: result.anonymised, blocked: result.blocked };
    },
  );

  app.post(
    '/api/readers/:id/erase',
    {
      schema: {
        tags,
        summary: "Erase one reader's personal data for good (on the legal representative's request); refused while the reader holds a book",
        params: idParams,
        response: { 200: z.object({ erased: z.literal(true), accountsRemoved: z.number() }) },
      },
    },
    async (req) => {
      const result = await app.db.transaction().execute((trx) => eraseOneReader(trx, req.actor, req.params.id));
      await afterErasure(app, req.actor!.organisationId, [req.params.id]);
      return { erased: true as const, accountsRemoved: result.accountsRemoved };
    },
  );

  app.post(
    '/api/readers/promotion/:id/undo',
    { schema: { tags, summary: "Undo the library's latest promotion exactly", params: idParams, response: { 200: promotionSchema } } },
    async (req) => app.db.transaction().execute((trx) => undoPromotion(trx, req.actor, req.params.id)),
  );

  app.get(
    '/api/readers/promotions',
    {
      schema: {
        tags,
        summary: 'Promotions of the library, newest first',
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ items: z.array(promotionSchema), total: z.number() }) },
      },
    },
    async (req) => listPromotions(app.db, req.actor, req.query),
  );

  app.post(
    '/api/readers/cards',
    {
      schema: {
        tags,
        summary: 'Reader cards as PDF, ten per A4 sheet: chosen readers, a class, or every active reader',
        body: z.object({
          readerIds: z.array(z.number().int().positive()).max(2000).optional(),
          grade: z.number().int().min(0).max(12).optional(),
          classLetter: z.string().max(5).optional(),
        }),
        produces: ['application/pdf'],
        response: { 200: z.any().describe('application/pdf') },
      },
    },
    async (req, reply) => {
      const pdf = await readerCardsPdf(app.db, req.actor, req.body, req.locale);
      return reply.type('application/pdf').header('content-disposition', 'inline; filename="reader-cards.pdf"').send(pdf);
    },
  );
};
