import { z } from 'zod';
import { requireRole } from '../auth/actor.js';
import type { Routes } from '../http/types.js';
import { notFound, unauthorised } from '../shared/errors.js';
import { formatClassName } from './classes.js';
import { consentFormPdf, privacyNoticePdf, subjectDataPdf } from './privacy-pdf.js';
import {
  answerRequest,
  listConsents,
  listRequests,
  makeRequest,
  recordConsent,
  setBlocked,
  subjectData,
  withdrawConsent,
} from './privacy.js';
import { fullNameOf } from './readers.js';
import { getRetention, RETENTION_LIMITS, setRetention } from './retention.js';

const tags = ['privacy'];
const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const consentParams = idParams.extend({ consentId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const scopeSchema = z.enum(['service', 'public_name', 'contact']);
const consentSchema = z.object({
  id: z.number(),
  scope: scopeSchema,
  basis: z.enum(['consent', 'legal_basis']),
  givenBy: z.string().nullable(),
  form: z.enum(['paper', 'electronic']).nullable(),
  givenOn: z.string(),
  withdrawnOn: z.string().nullable(),
  note: z.string().nullable(),
});
const requestKind = z.enum(['correction', 'blocking', 'erasure']);
const requestStatus = z.enum(['open', 'done', 'refused']);
const requestSchema = z.object({
  id: z.number(),
  readerId: z.number(),
  readerName: z.string(),
  className: z.string().nullable(),
  kind: requestKind,
  message: z.string(),
  requestedAt: z.string(),
  status: requestStatus,
  answer: z.string().nullable(),
  answeredAt: z.string().nullable(),
});
const subjectSchema = z.object({ generatedAt: z.string(), reader: z.record(z.string(), z.unknown()), tables: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))) });
const paperLocale = z.object({ lang: z.enum(['kk', 'ru']).default('kk') });
const pdf = { produces: ['application/pdf'], response: { 200: z.any().describe('application/pdf') } };

/** Consents, a reader's rights (see what is held, correct, block, erase) and the papers for families. */
export const privacyRoutes: Routes = async (app) => {
  const libraryName = async (organisationId: number) =>
    (await app.db.selectFrom('org.organisations').select('name').where('id', '=', organisationId).executeTakeFirstOrThrow()).name;

  app.get(
    '/api/readers/:id/consents',
    { schema: { tags, summary: "A reader's consents and legal bases, withdrawn ones too (staff, or the own pupil or parent)", params: idParams, response: { 200: z.array(consentSchema) } } },
    async (req) => listConsents(app.db, req.actor, req.params.id),
  );

  app.post(
    '/api/readers/:id/consents',
    {
      schema: {
        tags,
        summary: 'Record a consent given by the legal representative, or the legal basis relied on instead, for one scope',
        params: idParams,
        body: z.object({
          scope: scopeSchema,
          basis: z.enum(['consent', 'legal_basis']).default('consent'),
          givenBy: z.string().max(200).nullish(),
          form: z.enum(['paper', 'electronic']).nullish(),
          givenOn: z.iso.date().optional(),
          note: z.string().max(1000).nullish(),
        }),
        response: { 201: consentSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await app.db.transaction().execute((trx) => recordConsent(trx, req.actor, req.params.id, req.body))),
  );

  app.post(
    '/api/readers/:id/consents/:consentId/withdraw',
    { schema: { tags, summary: 'Withdraw a consent; a contact consent takes the stored phones and e-mail with it', params: consentParams, response: { 200: consentSchema } } },
    async (req) => app.db.transaction().execute((trx) => withdrawConsent(trx, req.actor, req.params.id, req.params.consentId)),
  );

  app.post(
    '/api/readers/:id/block',
    {
      schema: {
        tags,
        summary: "Block a reader's data (kept, not used or shown to the class teacher) or lift the block",
        params: idParams,
        body: z.object({ blocked: z.boolean() }),
        response: { 200: z.object({ id: z.number(), blocked: z.boolean() }) },
      },
    },
    async (req) => {
      const reader = await app.db.transaction().execute((trx) => setBlocked(trx, req.actor, req.params.id, req.body.blocked));
      return { id: reader.id, blocked: reader.blocked };
    },
  );

  app.get(
    '/api/readers/:id/data',
    { schema: { tags, summary: 'Everything held about one reader, table by table (audited)', params: idParams, response: { 200: subjectSchema } } },
    async (req, reply) => {
      const data = await app.db.transaction().execute((trx) => subjectData(trx, req.actor, req.params.id));
      return reply.header('content-disposition', `attachment; filename="reader-${req.params.id}-data.json"`).send(data);
    },
  );

  app.get(
    '/api/readers/:id/data.pdf',
    { schema: { tags, summary: 'Everything held about one reader as PDF (audited)', params: idParams, ...pdf } },
    async (req, reply) => {
      const data = await app.db.transaction().execute((trx) => subjectData(trx, req.actor, req.params.id));
      const bytes = await subjectDataPdf(data, req.locale);
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="reader-${req.params.id}-data.pdf"`).send(bytes);
    },
  );

  app.get(
    '/api/readers/me/data',
    { schema: { tags, summary: "Everything held about the signed-in pupil's or parent's reader", response: { 200: subjectSchema } } },
    async (req, reply) => {
      const actor = requireRole(req.actor, 'student', 'parent');
      if (actor.readerId === null) throw unauthorised();
      const data = await app.db.transaction().execute((trx) => subjectData(trx, actor, actor.readerId!));
      return reply.header('content-disposition', 'attachment; filename="my-library-data.json"').send(data);
    },
  );

  app.get(
    '/api/readers/me/data.pdf',
    { schema: { tags, summary: "Everything held about the signed-in pupil's or parent's reader, as PDF", ...pdf } },
    async (req, reply) => {
      const actor = requireRole(req.actor, 'student', 'parent');
      if (actor.readerId === null) throw unauthorised();
      const data = await app.db.transaction().execute((trx) => subjectData(trx, actor, actor.readerId!));
      return reply.type('application/pdf').header('content-disposition', 'attachment; filename="my-library-data.pdf"').send(await subjectDataPdf(data, req.locale));
    },
  );

  app.get(
    '/api/readers/me/requests',
    { schema: { tags, summary: "The signed-in pupil's or parent's requests and their answers", response: { 200: z.array(requestSchema) } } },
    async (req) => {
      requireRole(req.actor, 'student', 'parent');
      return listRequests(app.db, req.actor);
    },
  );

  app.post(
    '/api/readers/me/requests',
    {
      schema: {
        tags,
        summary: 'Ask the library to correct, block or erase the own reader\u2019s data',
        body: z.object({ kind: requestKind, message: z.string().max(2000).default('') }),
        response: { 201: requestSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await app.db.transaction().execute((trx) => makeRequest(trx, req.actor, req.body))),
  );

  app.get(
    '/api/readers/requests',
    {
      schema: {
        tags,
        summary: "Families' requests to the library (correct, block, erase), open ones first",
        querystring: z.object({ status: requestStatus.optional() }),
        response: { 200: z.array(requestSchema) },
      },
    },
    async (req) => {
      requireRole(req.actor, 'librarian', 'admin');
      return listRequests(app.db, req.actor, req.query);
    },
  );

  app.post(
    '/api/readers/requests/:id/answer',
    {
      schema: {
        tags,
        summary: 'Answer a request: done, or refused with the reason',
        params: idParams,
        body: z.object({ status: z.enum(['done', 'refused']), answer: z.string().max(2000).default('') }),
        response: { 200: requestSchema },
      },
    },
    async (req) => app.db.transaction().execute((trx) => answerRequest(trx, req.actor, req.params.id, req.body)),
  );

  app.get(
    '/api/readers/:id/consent-form.pdf',
    { schema: { tags, summary: "The consent form filled in with a reader's name and class, in Kazakh or Russian", params: idParams, querystring: paperLocale, ...pdf } },
    async (req, reply) => {
      const actor = requireRole(req.actor, 'librarian', 'admin');
      const reader = await app.db
        .selectFrom('readers.readers')
        .select(['last_name', 'first_name', 'middle_name', 'grade', 'class_letter'])
        .where('id', '=', req.params.id)
        .where('organisation_id', '=', actor.organisationId)
        .executeTakeFirst();
      if (!reader) throw notFound('reader', req.params.id);
      const bytes = await consentFormPdf(req.query.lang, await libraryName(actor.organisationId), {
        fullName: fullNameOf(reader),
        className: formatClassName(reader.grade, reader.class_letter),
      });
      return reply.type('application/pdf').header('content-disposition', 'inline; filename="consent.pdf"').send(bytes);
    },
  );

  const days = z.number().int();
  const retentionSchema = z.object({
    leaversDays: days.describe("days after leaving before a leaver's personal data is erased"),
    auditDays: days.describe('days the audit log is kept'),
    loansDays: days.describe('days returned loans are kept before they become counts'),
    visitsDays: days.describe('days visits (reader-days) are kept before they become counts'),
    sessionsDays: days.describe('days an expired session is kept'),
    backupsDays: days.describe('days a backup is kept (the newest always stays)'),
    readingDays: days.describe("days after a school year's end before its reading records become counts (a pupil still at school keeps them)"),
    textbooksDays: days.describe('days returned textbook issues are kept before they become counts'),
    lossesDays: days.describe("days a settled loss keeps the reader's link and note (the write-off act stays)"),
  });
  const limit = z.object({ min: z.number(), max: z.number(), default: z.number() });
  const retentionView = retentionSchema.extend({ limits: z.record(z.enum(Object.keys(RETENTION_LIMITS) as [keyof typeof RETENTION_LIMITS]), limit) });
  const withLimits = (settings: z.infer<typeof retentionSchema>) => ({ ...settings, limits: RETENTION_LIMITS });
  app.get(
    '/api/readers/retention',
    { schema: { tags, summary: 'How long the library keeps leavers, loans, visits, reading records, textbook issues, losses, its audit log, expired sessions and backups, with the bounds of each', response: { 200: retentionView } } },
    async (req) => withLimits(await getRetention(app.db, req.actor)),
  );
  app.put(
    '/api/readers/retention',
    {
      schema: {
        tags,
        summary: 'Set any of the retention periods (those left out keep their value); the daily job applies them',
        body: retentionSchema.partial(),
        response: { 200: retentionView },
      },
    },
    async (req) => withLimits(await app.db.transaction().execute((trx) => setRetention(trx, req.actor, req.body))),
  );

  app.get(
    '/api/privacy/consent-form.pdf',
    { schema: { tags, summary: 'The blank consent form, in Kazakh or Russian', querystring: paperLocale, ...pdf } },
    async (req, reply) => {
      const actor = requireRole(req.actor, 'librarian', 'admin', 'teacher', 'student', 'parent', 'methodologist');
      const bytes = await consentFormPdf(req.query.lang, await libraryName(actor.organisationId));
      return reply.type('application/pdf').header('content-disposition', 'inline; filename="consent.pdf"').send(bytes);
    },
  );

  app.get(
    '/api/privacy/notice.pdf',
    { schema: { tags, summary: 'How the library keeps children\u2019s data, for families, in Kazakh or Russian (public)', querystring: paperLocale, ...pdf } },
    async (req, reply) => {
      const bytes = await privacyNoticePdf(req.query.lang, req.actor ? await libraryName(req.actor.organisationId) : null);
      return reply.type('application/pdf').header('content-disposition', 'inline; filename="privacy.pdf"').send(bytes);
    },
  );
};
