import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireRole } from '../auth/actor.js';
import { addContact, addReadingRoomUse } from '../circulation/visits.js';
import type { Routes } from '../http/types.js';
import { registerClass } from '../readers/registrations.js';
import { AppError } from '../shared/errors.js';
import { annualReport, reportHistory } from './annual.js';
import {
  contactBody,
  historySchema,
  passportSchema,
  periodQuery,
  planBody,
  readingRoomBody,
  registerClassBody,
  reportQuery,
  reportSchema,
  scheduleSchema,
} from './contract.js';
import { reportPdf, reportXlsx } from './documents.js';
import { planSchema } from './figures.js';
import {
  closePeriod,
  exportAnnualPackage,
  importAnnualPackage,
  readPassport,
  readPlan,
  reopenPeriod,
  savePassport,
  savePlan,
  saveSettings,
  scheduleStatus,
  setSchedule,
} from './manage.js';
import { periodOf } from './period.js';
import { libraryOf } from '../auth/actor.js';

const tags = ['annual report'];
const MIME = { pdf: 'application/pdf', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

async function readFile(req: FastifyRequest): Promise<Buffer> {
  if (!req.isMultipart()) throw new AppError('reclist.no_file', 400);
  const file = await req.file();
  if (!file) throw new AppError('reclist.no_file', 400);
  return file.toBuffer();
}

export const reportsRoutes: Routes = async (app) => {
  app.get(
    '/api/reports/annual',
    {
      schema: {
        tags,
        summary: "The annual report: a library's own, or the sum of the libraries of a district, region or the republic",
        querystring: reportQuery,
        response: { 200: reportSchema },
      },
    },
    async (req) => annualReport(app.db, requireRole(req.actor, 'librarian', 'admin', 'methodologist'), req.query),
  );

  for (const format of ['pdf', 'xlsx'] as const) {
    app.get(
      `/api/reports/annual.${format}`,
      {
        schema: { tags, summary: `The annual report as ${format.toUpperCase()}, in Kazakh and Russian`, querystring: reportQuery, produces: [MIME[format]], response: { 200: z.any() } },
      },
      async (req, reply) => {
        const report = await annualReport(app.db, requireRole(req.actor, 'librarian', 'admin', 'methodologist'), req.query);
        const body = format === 'pdf' ? await reportPdf(report) : await reportXlsx(report);
        return reply.type(MIME[format]).header('content-disposition', `inline; filename="annual-report-${report.period.key}.${format}"`).send(body);
      },
    );
  }

  app.get(
    '/api/reports/annual/history',
    {
      schema: {
        tags,
        summary: 'The main indicators and plan over several periods ending with the one given (for charts)',
        querystring: reportQuery.extend({ years: z.coerce.number().int().min(1).max(10).default(5) }),
        response: { 200: historySchema },
      },
    },
    async (req) => ({ items: await reportHistory(app.db, requireRole(req.actor, 'librarian', 'admin', 'methodologist'), req.query) }),
  );

  app.get(
    '/api/reports/plan',
    { schema: { tags, summary: "The library's plan of a period", querystring: periodQuery, response: { 200: planSchema } } },
    async (req) => readPlan(app.db, libraryOf(requireRole(req.actor, 'librarian', 'admin')), periodOf(req.query)),
  );
  app.put(
    '/api/reports/plan',
    { schema: { tags, summary: 'The library enters its plan of a period', querystring: periodQuery, body: planBody, response: { 200: planSchema } } },
    async (req) => savePlan(app.db, requireRole(req.actor, 'librarian', 'admin'), req.query, req.body),
  );

  const passportReply = passportSchema.extend({ period: z.string() });
  app.get(
    '/api/reports/passport',
    { schema: { tags, summary: 'The library passport and hand-typed sections of a period', querystring: periodQuery, response: { 200: passportReply } } },
    async (req) => readPassport(app.db, libraryOf(requireRole(req.actor, 'librarian', 'admin')), periodOf(req.query)),
  );
  app.put(
    '/api/reports/passport',
    { schema: { tags, summary: 'The library saves its passport and hand-typed sections of a period', querystring: periodQuery, body: passportSchema, response: { 200: passportReply } } },
    async (req) => savePassport(app.db, requireRole(req.actor, 'librarian', 'admin'), req.query, req.body),
  );

  app.put(
    '/api/reports/settings',
    {
      schema: {
        tags,
        summary: 'How many visit-days a year make a regular visitor in this library',
        body: z.object({ regularVisitDays: z.number().int().min(1).max(366) }),
        response: { 200: z.object({ regularVisitDays: z.number() }) },
      },
    },
    async (req) => saveSettings(app.db, requireRole(req.actor, 'librarian', 'admin'), req.body),
  );

  const closeReply = z.object({ period: z.string(), closed: z.boolean() });
  app.post(
    '/api/reports/close',
    { schema: { tags, summary: 'Closes the period: its figures are kept as they are now', querystring: periodQuery, response: { 200: closeReply } } },
    async (req) => closePeriod(app.db, requireRole(req.actor, 'librarian', 'admin'), req.query),
  );
  app.post(
    '/api/reports/reopen',
    { schema: { tags, summary: 'Opens a closed period again for a correction', querystring: periodQuery, response: { 200: closeReply } } },
    async (req) => reopenPeriod(app.db, requireRole(req.actor, 'librarian', 'admin'), req.query),
  );

  app.get(
    '/api/reports/package',
    {
      schema: { tags, summary: "The school side: its closed report as a signed statistics package file", querystring: periodQuery, produces: ['application/json'], response: { 200: z.any() } },
    },
    async (req, reply) => {
      const pkg = await exportAnnualPackage(app.db, requireRole(req.actor, 'librarian', 'admin'), req.query);
      const name = `annual-report-${pkg.payload.schoolCode}-${pkg.payload.annual?.period ?? pkg.payload.period}.json`;
      return reply.type('application/json').header('content-disposition', `attachment; filename="${name}"`).send(Buffer.from(JSON.stringify(pkg, null, 2)));
    },
  );
  app.post(
    '/api/reports/packages',
    {
      schema: {
        tags,
        summary: "The district side: imports a school's signed package; the same content twice counts once",
        description: 'multipart/form-data with one `file`',
        consumes: ['multipart/form-data'],
        response: {
          200: z.object({ status: z.enum(['imported', 'unchanged']), organisationId: z.number(), annualPeriod: z.string().nullable() }),
        },
      },
    },
    async (req) => {
      const actor = requireRole(req.actor, 'admin', 'methodologist');
      const result = await importAnnualPackage(app.db, actor, await readFile(req));
      return { status: result.status, organisationId: result.organisationId, annualPeriod: result.annualPeriod };
    },
  );

  app.get(
    '/api/reports/schedule',
    { schema: { tags, summary: 'Who has reported the period and who is late', querystring: reportQuery, response: { 200: scheduleSchema } } },
    async (req) => scheduleStatus(app.db, requireRole(req.actor, 'admin', 'methodologist'), req.query),
  );
  app.put(
    '/api/reports/schedule',
    {
      schema: {
        tags,
        summary: "Sets the day the area's reports of a period are due",
        querystring: reportQuery,
        body: z.object({ dueOn: z.string().max(10) }),
        response: { 200: scheduleSchema },
      },
    },
    async (req) => setSchedule(app.db, requireRole(req.actor, 'admin', 'methodologist'), req.query, req.body.dueOn),
  );

  // ---- counting at the source ----
  app.post(
    '/api/circulation/contacts',
    {
      schema: {
        tags,
        summary: 'Records contacts counted by hand: event attendance (a visit), online renewals or virtual references (remote)',
        body: contactBody,
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) => {
      const result = await addContact(app.db, requireRole(req.actor, 'librarian', 'admin'), req.body);
      return reply.status(201).send(result);
    },
  );
  app.post(
    '/api/circulation/reading-room',
    {
      schema: { tags, summary: 'Records documents a reader used in the reading room (and the visit)', body: readingRoomBody, response: { 201: z.object({ id: z.number() }) } },
    },
    async (req, reply) => {
      const result = await addReadingRoomUse(app.db, requireRole(req.actor, 'librarian', 'admin'), req.body);
      return reply.status(201).send(result);
    },
  );
  app.post(
    '/api/readers/registrations',
    {
      schema: {
        tags,
        summary: 'Re-registers a whole class (or the teachers) for a school year',
        body: registerClassBody,
        response: { 200: z.object({ registered: z.number() }) },
      },
    },
    async (req) => registerClass(app.db, requireRole(req.actor, 'librarian', 'admin'), req.body),
  );
};
