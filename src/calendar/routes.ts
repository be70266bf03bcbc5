import { z } from 'zod';
import { allow } from '../auth/guard.js';
import type { Routes } from '../http/types.js';
import { t } from '../i18n/index.js';
import { invalid } from '../shared/errors.js';
import { libraryToday } from '../shared/library-time.js';
import { printDate, tablePdf } from '../events/table-pdf.js';
import { createEntry, deleteEntry, exportPackage, importPackage, listEntries, updateEntry } from './entries.js';
import { ENTRY_KINDS, OCCUPATIONS } from './schema.js';
import { significantDates, type CalendarQuery, type SignificantDate } from './significant-dates.js';

const tags = ['calendar of significant dates'];
const id = z.coerce.number().int().positive();
const ITEM_KINDS = ['person', 'event', 'national_day', 'international_day', 'day'] as const;

const calendarQuery = z.object({
  year: z.coerce.number().int().min(1900).max(2100).optional(),
  schoolYear: z.string().max(9).optional().describe('a school year such as 2024-2025'),
  q: z.string().max(200).optional(),
  kind: z.enum(ITEM_KINDS).optional(),
});

const itemSchema = z.object({
  key: z.string(),
  date: z.string().nullable(),
  year: z.number(),
  month: z.number().nullable(),
  name: z.string(),
  nameRu: z.string().nullable(),
  nameEn: z.string().nullable(),
  years: z.number().nullable(),
  kind: z.enum(ITEM_KINDS),
  occupation: z.string().nullable(),
  born: z.string().nullable(),
  feb29: z.boolean(),
  sources: z.array(z.enum(['shipped', 'catalogue', 'organisation'])),
  addedBy: z.object({ organisationId: z.number(), kind: z.string(), name: z.string() }).nullable(),
  entryId: z.number().nullable(),
  authorId: z.number().nullable(),
  worksHeld: z.number(),
  inSchoolYear: z.boolean(),
  origin: z.enum(['kz', 'world']).nullable(),
});

const entryBody = z.object({
  kind: z.enum(ENTRY_KINDS),
  name: z.string().max(300),
  nameRu: z.string().max(300).nullable().optional(),
  nameEn: z.string().max(300).nullable().optional(),
  occupation: z.enum(OCCUPATIONS).nullable().optional(),
  year: z.number().int().min(1).max(2200).nullable().optional(),
  month: z.number().int().min(1).max(12).nullable().optional(),
  day: z.number().int().min(1).max(31).nullable().optional(),
  note: z.string().max(2000).nullable().optional(),
  authorId: z.number().int().positive().nullable().optional(),
});
const entrySchema = entryBody.extend({
  id: z.number(),
  organisationId: z.number(),
  organisationName: z.string(),
  origin: z.enum(['local', 'package']),
  mine: z.boolean(),
  nameRu: z.string().nullable(),
  nameEn: z.string().nullable(),
  occupation: z.string().nullable(),
  year: z.number().nullable(),
  month: z.number().nullable(),
  day: z.number().nullable(),
  note: z.string().nullable(),
  authorId: z.number().nullable(),
});
const packageSchema = z.object({
  format: z.string(),
  version: z.number(),
  issuer: z.string(),
  entries: z.array(entryBody.extend({ key: z.string(), occupation: z.string().nullable().optional() })),
});

/** year=YYYY or schoolYear=YYYY-YYYY; neither means the library's current year. */
async function resolveQuery(db: Parameters<typeof libraryToday>[0], organisationId: number, q: z.infer<typeof calendarQuery>): Promise<CalendarQuery> {
  if (q.schoolYear !== undefined) {
    const m = /^(\d{4})-(\d{4})$/.exec(q.schoolYear);
    if (!m || Number(m[2]) !== Number(m[1]) + 1 || Number(m[1]) < 1900 || Number(m[1]) > 2099) throw invalid('calendar.bad_school_year', { value: q.schoolYear });
    return { schoolYear: q.schoolYear, q: q.q, kind: q.kind };
  }
  const year = q.year ?? Number((await libraryToday(db, organisationId)).slice(0, 4));
  return { year, q: q.q, kind: q.kind };
}

export const calendarRoutes: Routes = async (app) => {
  app.get(
    '/api/calendar/significant-dates',
    {
      schema: {
        tags,
        summary: 'The calendar of significant dates for a calendar year or a school year: round anniversaries (multiples of 5 years), national and international days, entries of the republic, district and library',
        querystring: calendarQuery,
        response: { 200: z.object({ from: z.string(), to: z.string(), items: z.array(itemSchema) }) },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'signedIn');
      return significantDates(app.db, actor.organisationId, await resolveQuery(app.db, actor.organisationId, req.query));
    },
  );

  app.get(
    '/api/calendar/significant-dates.pdf',
    {
      schema: {
        tags,
        summary: 'The calendar of significant dates, printed (PDF)',
        querystring: calendarQuery,
        produces: ['application/pdf'],
        response: { 200: z.any().describe('application/pdf') },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'staffTeachersAndOverseers');
      const query = await resolveQuery(app.db, actor.organisationId, req.query);
      const { items } = await significantDates(app.db, actor.organisationId, query);
      const org = await app.db.selectFrom('org.organisations').select('name').where('id', '=', actor.organisationId).executeTakeFirstOrThrow();
      const l = (key: string, params: Record<string, unknown> = {}) => t(req.locale, `calendar.pdf.${key}`, params);
      const period = query.schoolYear ? l('school_year', { year: query.schoolYear }) : l('year', { year: query.year });
      const nameOf = (i: SignificantDate) => (req.locale === 'ru' ? (i.nameRu ?? i.name) : req.locale === 'en' ? (i.nameEn ?? i.name) : i.name);
      const rows: (string[] | { heading: string })[] = [];
      let month = '';
      for (const i of items) {
        const m = i.month ? `${i.year}-${String(i.month).padStart(2, '0')}` : `${i.year}-99`;
        if (m !== month) {
          month = m;
          rows.push({ heading: i.month ? `${t(req.locale, `calendar.month.${i.month}`)} ${i.year}` : l('year_only', { year: i.year }) });
        }
        const what = i.years !== null ? l('anniversary', { years: i.years }) : t(req.locale, `calendar.kind.${i.kind}`);
        const born = i.born ? (i.born.length === 10 ? printDate(i.born) : i.born) : '';
        rows.push([i.date ? printDate(i.date) : i.year ? String(i.year) : '', nameOf(i), what, born + (i.feb29 ? ` (${l('feb29')})` : ''), i.worksHeld ? String(i.worksHeld) : '']);
      }
      const pdf = await tablePdf({
        title: l('title'),
        lines: [org.name, period],
        columns: [
          { label: l('date'), width: 14 },
          { label: l('name'), width: 46 },
          { label: l('what'), width: 18 },
          { label: l('born'), width: 14 },
          { label: l('works'), width: 8 },
        ],
        rows,
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="significant-dates-${query.schoolYear ?? query.year}.pdf"`)
        .send(pdf);
    },
  );

  app.get(
    '/api/calendar/entries',
    { schema: { tags, summary: 'Entries added to the calendar by this library and the organisations above it', response: { 200: z.object({ items: z.array(entrySchema) }) } } },
    async (req) => ({ items: await listEntries(app.db, allow(req.actor, 'staffTeachersAndOverseers')) }),
  );

  app.post(
    '/api/calendar/entries',
    { schema: { tags, summary: 'Add a person, a dated event or a day kept every year to the calendar of this organisation and those below it', body: entryBody, response: { 201: z.object({ id: z.number() }) } } },
    async (req, reply) => {
      const newId = await createEntry(app.db, allow(req.actor, 'staffAndOverseers'), req.body);
      reply.status(201);
      return { id: newId };
    },
  );

  app.put(
    '/api/calendar/entries/:id',
    { schema: { tags, summary: 'Change an entry of this organisation', params: z.object({ id }), body: entryBody, response: { 200: z.object({ ok: z.literal(true) }) } } },
    async (req) => {
      await updateEntry(app.db, allow(req.actor, 'staffAndOverseers'), req.params.id, req.body);
      return { ok: true as const };
    },
  );

  app.delete(
    '/api/calendar/entries/:id',
    { schema: { tags, summary: 'Remove an entry of this organisation', params: z.object({ id }), response: { 200: z.object({ ok: z.literal(true) }) } } },
    async (req) => {
      await deleteEntry(app.db, allow(req.actor, 'staffAndOverseers'), req.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/calendar/package',
    { schema: { tags, summary: 'The entries of this organisation as a package to send down to libraries on their own servers', response: { 200: packageSchema } } },
    async (req, reply) => {
      const pkg = await exportPackage(app.db, allow(req.actor, 'overseers'));
      reply.header('content-disposition', 'attachment; filename="significant-dates-package.json"');
      return pkg;
    },
  );

  app.post(
    '/api/calendar/package',
    {
      schema: {
        tags,
        summary: 'Take in a calendar package sent down from the republic or region: its entries are seen by every library of this server',
        body: z.object({ format: z.string().max(50), version: z.number(), issuer: z.string().max(300).optional(), entries: z.array(z.any()).max(20000) }),
        response: { 200: z.object({ added: z.number(), updated: z.number() }) },
      },
    },
    async (req) => importPackage(app.db, allow(req.actor, 'admin'), req.body),
  );
};
