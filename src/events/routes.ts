import { allow } from '../auth/guard.js';
import { addScheduleItem, deleteScheduleItem, exhibitionSchedule, exportSchedulePackage, importSchedulePackage } from './schedule.js';
import { z } from 'zod';
import { requireRole } from '../auth/actor.js';
import type { Routes } from '../http/types.js';
import { AppError, invalid } from '../shared/errors.js';
import { eventsStaff, eventsViewer } from './access.js';
import { addMember, createClub, getClub, listClubs, recordSession, removeMember, updateClub } from './clubs.js';
import { eventCounts, exhibitionCounts, clubCounts } from './counts.js';
import {
  createExhibition,
  deleteExhibition,
  exhibitionFromCalendar,
  getExhibition,
  listExhibitions,
  updateExhibition,
} from './exhibitions.js';
import { addPhoto, deleteEvent, listEvents, photoOf, PHOTO_LIMIT, recordEvent, updateEvent } from './held.js';
import { addPlanEntry, approvePlan, copyPlan, deletePlanEntry, getPlan, listPlans, planPdf, planSubmissions, setEntryStatus, submitPlan, updatePlanEntry } from './plans.js';
import { publicLibrary, publicPage } from './public.js';
import { ENTRY_STATUSES, EVENT_FORMS, PLAN_SECTIONS, PLAN_STATUSES, WHEN_KINDS } from './schema.js';
import { schoolYearOf, schoolYearRange } from '../shared/library-time.js';
import { libraryToday } from '../shared/library-time.js';

const tags = ['events and plans'];
const id = z.coerce.number().int().positive();
const ok = z.object({ ok: z.literal(true) });
const created = z.object({ id: z.number() });
const schoolYear = z.string().max(9).describe('a school year such as 2024-2025');
const date = z.string().max(10).describe('YYYY-MM-DD');
const month = z.number().int().min(1).max(12);
const text = (max: number) => z.string().max(max);

const entryBody = z.object({
  section: z.enum(PLAN_SECTIONS),
  title: text(1000),
  form: z.enum(EVENT_FORMS).nullable().optional(),
  target: text(200).nullable().optional(),
  whenKind: z.enum(WHEN_KINDS),
  monthFrom: month.nullable().optional(),
  monthTo: month.nullable().optional(),
  responsible: text(200).nullable().optional(),
  status: z.enum(ENTRY_STATUSES).optional(),
  note: text(2000).nullable().optional(),
});
const entrySchema = z.object({
  id: z.number(),
  position: z.number(),
  section: z.enum(PLAN_SECTIONS),
  title: z.string(),
  form: z.string().nullable(),
  target: z.string().nullable(),
  whenKind: z.enum(WHEN_KINDS),
  monthFrom: z.number().nullable(),
  monthTo: z.number().nullable(),
  responsible: z.string().nullable(),
  status: z.enum(ENTRY_STATUSES),
  note: z.string().nullable(),
  eventsHeld: z.number(),
});
const planSchema = z.object({
  id: z.number(),
  organisationId: z.number(),
  schoolYear: z.string(),
  status: z.enum(PLAN_STATUSES),
  approvedBy: z.string().nullable(),
  approvedOn: z.string().nullable(),
  submittedAt: z.string().nullable(),
  entries: z.array(entrySchema),
});

const eventBody = z.object({
  heldOn: date,
  title: text(1000),
  form: z.enum(EVENT_FORMS),
  classes: text(200).nullable().optional(),
  pupils: z.number().int().optional(),
  teachers: z.number().int().optional(),
  parents: z.number().int().optional(),
  others: z.number().int().optional(),
  planEntryId: z.number().int().positive().nullable().optional(),
  note: text(4000).nullable().optional(),
  isPublic: z.boolean().optional(),
});
const eventSchema = z.object({
  id: z.number(),
  heldOn: z.string(),
  title: z.string(),
  form: z.string(),
  classes: z.string().nullable(),
  pupils: z.number(),
  teachers: z.number(),
  parents: z.number(),
  others: z.number(),
  participants: z.number(),
  planEntryId: z.number().nullable(),
  planEntryTitle: z.string().nullable(),
  note: z.string().nullable(),
  isPublic: z.boolean(),
  photos: z.array(z.number()),
});

const exhibitionBody = z.object({
  title: text(500),
  theme: text(1000).nullable().optional(),
  description: text(4000).nullable().optional(),
  startsOn: date,
  endsOn: date,
  place: text(200).nullable().optional(),
  isPublic: z.boolean().optional(),
  workIds: z.array(z.number().int().positive()).max(500).optional(),
  scheduleItemId: z.number().int().positive().nullable().optional(),
});
const exhibitionSchema = z.object({
  id: z.number(),
  title: z.string(),
  theme: z.string().nullable(),
  description: z.string().nullable(),
  startsOn: z.string(),
  endsOn: z.string(),
  place: z.string().nullable(),
  isPublic: z.boolean(),
  calendarKey: z.string().nullable(),
  scheduleItemId: z.number().nullable(),
  works: z.array(z.object({ workId: z.number(), title: z.string(), authors: z.string(), publishYear: z.number().nullable(), copies: z.number() })),
});

const clubBody = z.object({
  name: text(300),
  genre: text(200).nullable().optional(),
  leader: text(200).nullable().optional(),
  meets: text(200).nullable().optional(),
  target: text(200).nullable().optional(),
  active: z.boolean().optional(),
});
const clubSchema = z.object({
  id: z.number(),
  name: z.string(),
  genre: z.string().nullable(),
  leader: z.string().nullable(),
  meets: z.string().nullable(),
  target: z.string().nullable(),
  active: z.boolean(),
  members: z.number(),
  sessions: z.number(),
});

const countsSchema = z.object({
  from: z.string(),
  to: z.string(),
  events: z.object({
    events: z.number(),
    pupils: z.number(),
    teachers: z.number(),
    parents: z.number(),
    others: z.number(),
    participants: z.number(),
    fromPlan: z.number(),
    byForm: z.array(z.object({ form: z.string(), events: z.number(), participants: z.number() })),
  }),
  exhibitions: z.object({ exhibitions: z.number(), virtual: z.number(), worksShown: z.number() }),
  clubs: z.object({ clubs: z.number(), members: z.number(), sessions: z.number(), attendances: z.number() }),
});

const checkYear = (v: string) => {
  const m = /^(\d{4})-(\d{4})$/.exec(v);
  if (!m || Number(m[2]) !== Number(m[1]) + 1) throw invalid('events.bad_school_year', { value: v });
  return v;
};

export const eventsRoutes: Routes = async (app) => {
  // ---- the annual work plan ----
  app.get('/api/events/plans', { schema: { tags, summary: 'The work plans of this library, newest first', response: { 200: z.object({ items: z.array(z.object({ id: z.number(), schoolYear: z.string(), status: z.enum(PLAN_STATUSES), entries: z.number() })) }) } } }, async (req) => ({
    items: await listPlans(app.db, requireRole(req.actor, 'librarian', 'admin', 'teacher')),
  }));

  app.get('/api/events/plans/:schoolYear', { schema: { tags, summary: 'The work plan of a school year (null when not started)', params: z.object({ schoolYear }), response: { 200: z.object({ plan: planSchema.nullable() }) } } }, async (req) => ({
    plan: await getPlan(app.db, requireRole(req.actor, 'librarian', 'admin', 'teacher'), req.params.schoolYear),
  }));

  app.get(
    '/api/events/plans/:schoolYear/pdf',
    { schema: { tags, summary: 'The work plan printed for the head’s approval (PDF)', params: z.object({ schoolYear }), produces: ['application/pdf'], response: { 200: z.any().describe('application/pdf') } } },
    async (req, reply) => {
      const pdf = await planPdf(app.db, requireRole(req.actor, 'librarian', 'admin', 'teacher'), checkYear(req.params.schoolYear), req.locale);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="work-plan-${req.params.schoolYear}.pdf"`).send(pdf);
    },
  );

  app.post('/api/events/plans/:schoolYear/entries', { schema: { tags, summary: 'Add an entry to the plan of a school year (the plan is started if need be)', params: z.object({ schoolYear }), body: entryBody, response: { 201: created } } }, async (req, reply) => {
    const newId = await addPlanEntry(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.schoolYear, req.body);
    reply.status(201);
    return { id: newId };
  });

  app.put('/api/events/plan-entries/:id', { schema: { tags, summary: 'Change a plan entry', params: z.object({ id }), body: entryBody, response: { 200: ok } } }, async (req) => {
    await updatePlanEntry(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id, req.body);
    return { ok: true as const };
  });

  app.post('/api/events/plan-entries/:id/status', { schema: { tags, summary: 'Mark a plan entry planned, held, moved or cancelled', params: z.object({ id }), body: z.object({ status: z.enum(ENTRY_STATUSES) }), response: { 200: ok } } }, async (req) => {
    await setEntryStatus(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id, req.body.status);
    return { ok: true as const };
  });

  app.delete('/api/events/plan-entries/:id', { schema: { tags, summary: 'Remove a plan entry', params: z.object({ id }), response: { 200: ok } } }, async (req) => {
    await deletePlanEntry(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id);
    return { ok: true as const };
  });

  app.post('/api/events/plans/copy', { schema: { tags, summary: 'Start a school year’s plan from another year’s, in one action', body: z.object({ fromYear: schoolYear, toYear: schoolYear }), response: { 200: z.object({ planId: z.number(), copied: z.number() }) } } }, async (req) =>
    copyPlan(app.db, requireRole(req.actor, 'librarian', 'admin'), req.body.fromYear, req.body.toYear),
  );

  app.post('/api/events/plans/:schoolYear/approve', { schema: { tags, summary: 'Record the head’s approval of the plan', params: z.object({ schoolYear }), body: z.object({ approvedBy: text(200), approvedOn: date }), response: { 200: ok } } }, async (req) => {
    await approvePlan(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.schoolYear, req.body);
    return { ok: true as const };
  });

  app.post('/api/events/plans/:schoolYear/submit', { schema: { tags, summary: 'Submit the plan to the district', params: z.object({ schoolYear }), response: { 200: ok } } }, async (req) => {
    await submitPlan(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.schoolYear);
    return { ok: true as const };
  });

  app.get(
    '/api/events/plan-submissions',
    {
      schema: {
        tags,
        summary: 'For a methodologist: the libraries below and whether their plan of the year is submitted',
        querystring: z.object({ schoolYear }),
        response: { 200: z.object({ items: z.array(z.object({ organisationId: z.number(), name: z.string(), status: z.string(), entries: z.number(), approvedOn: z.string().nullable(), submittedAt: z.string().nullable() })) }) },
      },
    },
    async (req) => ({ items: await planSubmissions(app.db, requireRole(req.actor, 'methodologist', 'admin'), req.query.schoolYear) }),
  );

  // ---- events held ----
  app.get('/api/events/held', { schema: { tags, summary: 'Events held by this library', querystring: z.object({ from: date.optional(), to: date.optional(), form: z.enum(EVENT_FORMS).optional() }), response: { 200: z.object({ items: z.array(eventSchema) }) } } }, async (req) => ({
    items: await listEvents(app.db, requireRole(req.actor, 'librarian', 'admin', 'teacher'), req.query),
  }));

  app.post('/api/events/held', { schema: { tags, summary: 'Record an event held, with its participants; a plan entry it fulfils is marked held', body: eventBody, response: { 201: created } } }, async (req, reply) => {
    const newId = await recordEvent(app.db, requireRole(req.actor, 'librarian', 'admin'), req.body);
    reply.status(201);
    return { id: newId };
  });

  app.put('/api/events/held/:id', { schema: { tags, summary: 'Change an event held', params: z.object({ id }), body: eventBody, response: { 200: ok } } }, async (req) => {
    await updateEvent(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id, req.body);
    return { ok: true as const };
  });

  app.delete('/api/events/held/:id', { schema: { tags, summary: 'Remove an event held', params: z.object({ id }), response: { 200: ok } } }, async (req) => {
    await deleteEvent(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id);
    return { ok: true as const };
  });

  app.post(
    '/api/events/held/:id/photos',
    { schema: { tags, summary: 'Attach a photo (JPEG or PNG, up to 5 MB) to an event', params: z.object({ id }), consumes: ['multipart/form-data'], response: { 201: created } } },
    async (req, reply) => {
      const actor = requireRole(req.actor, 'librarian', 'admin');
      eventsStaff(actor);
      if (!req.isMultipart()) throw new AppError('events.photo_missing', 400);
      const file = await req.file({ limits: { fileSize: PHOTO_LIMIT + 1 } });
      if (!file) throw new AppError('events.photo_missing', 400);
      const bytes = await file.toBuffer().catch(() => {
        throw invalid('events.photo_too_large', { max: 5 });
      });
      if (file.file.truncated) throw invalid('events.photo_too_large', { max: 5 });
      const photoId = await addPhoto(app.db, actor, req.params.id, bytes);
      reply.status(201);
      return { id: photoId };
    },
  );

  app.get('/api/events/photos/:id', { schema: { tags, summary: 'A photo of an event', params: z.object({ id }), produces: ['image/jpeg', 'image/png'], response: { 200: z.any() } } }, async (req, reply) => {
    const { org } = eventsViewer(req.actor);
    const p = await photoOf(app.db, org, req.params.id, false);
    return reply.type(p.mime).send(p.bytes);
  });

  // ---- book exhibitions and the unified schedule ----
  app.get('/api/events/exhibitions', { schema: { tags, summary: 'Book exhibitions of this library', querystring: z.object({ from: date.optional(), to: date.optional() }), response: { 200: z.object({ items: z.array(exhibitionSchema) }) } } }, async (req) => ({
    items: await listExhibitions(app.db, requireRole(req.actor, 'librarian', 'admin', 'teacher'), req.query),
  }));

  app.get('/api/events/exhibitions/:id', { schema: { tags, summary: 'An exhibition with the works shown', params: z.object({ id }), response: { 200: exhibitionSchema } } }, async (req) =>
    getExhibition(app.db, requireRole(req.actor, 'librarian', 'admin', 'teacher'), req.params.id),
  );

  app.post('/api/events/exhibitions', { schema: { tags, summary: 'Open a book exhibition with works from the catalogue', body: exhibitionBody, response: { 201: created } } }, async (req, reply) => {
    const newId = await createExhibition(app.db, requireRole(req.actor, 'librarian', 'admin'), req.body);
    reply.status(201);
    return { id: newId };
  });

  app.post(
    '/api/events/exhibitions/from-calendar',
    { schema: { tags, summary: 'Make an exhibition in one step from an entry of the calendar of significant dates', body: z.object({ key: text(100), year: z.number().int().min(1900).max(2100) }), response: { 201: created } } },
    async (req, reply) => {
      const newId = await exhibitionFromCalendar(app.db, requireRole(req.actor, 'librarian', 'admin'), req.body, req.locale);
      reply.status(201);
      return { id: newId };
    },
  );

  app.put('/api/events/exhibitions/:id', { schema: { tags, summary: 'Change an exhibition and the works shown', params: z.object({ id }), body: exhibitionBody, response: { 200: ok } } }, async (req) => {
    await updateExhibition(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id, req.body);
    return { ok: true as const };
  });

  app.delete('/api/events/exhibitions/:id', { schema: { tags, summary: 'Remove an exhibition', params: z.object({ id }), response: { 200: ok } } }, async (req) => {
    await deleteExhibition(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id);
    return { ok: true as const };
  });

  const scheduleItem = z.object({
    id: z.number(),
    month: z.number(),
    title: z.string(),
    theme: z.string().nullable(),
    note: z.string().nullable(),
    organisationId: z.number(),
    organisationName: z.string(),
    level: z.string(),
    mine: z.boolean(),
    exhibitionId: z.number().nullable(),
  });
  app.get('/api/events/exhibition-schedule', { schema: { tags, summary: 'The unified exhibition schedule of a school year: lines sent down from the republic and district, and the library’s own', querystring: z.object({ schoolYear }), response: { 200: z.object({ items: z.array(scheduleItem) }) } } }, async (req) => ({
    items: await exhibitionSchedule(app.db, allow(req.actor, 'staffTeachersAndOverseers'), req.query.schoolYear),
  }));

  app.post('/api/events/exhibition-schedule', { schema: { tags, summary: 'Add a line to the exhibition schedule of this organisation (seen by every library below it)', body: z.object({ schoolYear, month, title: text(500), theme: text(1000).nullable().optional(), note: text(2000).nullable().optional() }), response: { 201: created } } }, async (req, reply) => {
    const newId = await addScheduleItem(app.db, allow(req.actor, 'staffAndOverseers'), req.body);
    reply.status(201);
    return { id: newId };
  });

  app.delete('/api/events/exhibition-schedule/:id', { schema: { tags, summary: 'Remove a line of this organisation’s exhibition schedule', params: z.object({ id }), response: { 200: ok } } }, async (req) => {
    await deleteScheduleItem(app.db, allow(req.actor, 'staffAndOverseers'), req.params.id);
    return { ok: true as const };
  });

  const schedulePackage = z.object({
    format: z.string().max(50),
    version: z.number(),
    issuer: z.string().max(300).optional(),
    schoolYear: z.string().max(9),
    items: z.array(z.object({ key: z.string().max(200), month: z.number(), title: z.string().max(500), theme: z.string().max(1000).nullable().optional(), note: z.string().max(2000).nullable().optional() })).max(2000),
  });
  app.get(
    '/api/events/exhibition-schedule/package',
    { schema: { tags, summary: 'The schedule lines of this organisation (republic, region, district) for a school year, as a package for schools on their own servers', querystring: z.object({ schoolYear }), response: { 200: schedulePackage } } },
    async (req, reply) => {
      const pkg = await exportSchedulePackage(app.db, allow(req.actor, 'overseers'), req.query.schoolYear);
      reply.header('content-disposition', `attachment; filename="exhibition-schedule-${pkg.schoolYear}.json"`);
      return pkg;
    },
  );
  app.post(
    '/api/events/exhibition-schedule/package',
    {
      schema: {
        tags,
        summary: 'Take in an exhibition schedule sent down from above: its lines are seen by every library of this server',
        body: schedulePackage,
        response: { 200: z.object({ added: z.number(), updated: z.number(), removed: z.number() }) },
      },
    },
    async (req) => importSchedulePackage(app.db, allow(req.actor, 'admin'), req.body),
  );

  // ---- clubs ----
  app.get('/api/events/clubs', { schema: { tags, summary: 'Clubs of this library', response: { 200: z.object({ items: z.array(clubSchema) }) } } }, async (req) => ({
    items: await listClubs(app.db, requireRole(req.actor, 'librarian', 'admin', 'teacher')),
  }));

  app.get(
    '/api/events/clubs/:id',
    {
      schema: {
        tags,
        summary: 'A club with its members and sessions',
        params: z.object({ id }),
        response: {
          200: clubSchema.extend({
            memberList: z.array(z.object({ id: z.number(), readerId: z.number(), name: z.string(), className: z.string().nullable(), joinedOn: z.string(), leftOn: z.string().nullable() })),
            sessionList: z.array(z.object({ id: z.number(), heldOn: z.string(), topic: z.string(), guests: z.number(), note: z.string().nullable(), present: z.array(z.number()) })),
          }),
        },
      },
    },
    async (req) => getClub(app.db, requireRole(req.actor, 'librarian', 'admin', 'teacher'), req.params.id),
  );

  app.post('/api/events/clubs', { schema: { tags, summary: 'Open a club', body: clubBody, response: { 201: created } } }, async (req, reply) => {
    const newId = await createClub(app.db, requireRole(req.actor, 'librarian', 'admin'), req.body);
    reply.status(201);
    return { id: newId };
  });

  app.put('/api/events/clubs/:id', { schema: { tags, summary: 'Change a club', params: z.object({ id }), body: clubBody, response: { 200: ok } } }, async (req) => {
    await updateClub(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id, req.body);
    return { ok: true as const };
  });

  app.post('/api/events/clubs/:id/members', { schema: { tags, summary: 'Enrol a reader in a club', params: z.object({ id }), body: z.object({ readerId: z.number().int().positive(), joinedOn: date.optional() }), response: { 201: created } } }, async (req, reply) => {
    const newId = await addMember(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id, req.body.readerId, req.body.joinedOn);
    reply.status(201);
    return { id: newId };
  });

  app.post('/api/events/club-members/:id/leave', { schema: { tags, summary: 'A member leaves the club', params: z.object({ id }), body: z.object({ leftOn: date.optional() }), response: { 200: ok } } }, async (req) => {
    await removeMember(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id, req.body.leftOn);
    return { ok: true as const };
  });

  app.post(
    '/api/events/clubs/:id/sessions',
    { schema: { tags, summary: 'Record a session of a club with the members present', params: z.object({ id }), body: z.object({ heldOn: date, topic: text(500), guests: z.number().int().optional(), note: text(2000).nullable().optional(), present: z.array(z.number().int().positive()).max(1000) }), response: { 201: created } } },
    async (req, reply) => {
      const newId = await recordSession(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id, req.body);
      reply.status(201);
      return { id: newId };
    },
  );

  // ---- figures ----
  app.get(
    '/api/events/counts',
    { schema: { tags, summary: 'Events, participants, exhibitions and clubs of this library over a period (a school year by default)', querystring: z.object({ from: date.optional(), to: date.optional() }), response: { 200: countsSchema } } },
    async (req) => {
      const { org } = eventsViewer(req.actor);
      let { from, to } = req.query;
      if (!from || !to) ({ from, to } = schoolYearRange(schoolYearOf(await libraryToday(app.db, org))));
      const ids = [org];
      return { from, to, events: await eventCounts(app.db, ids, from, to), exhibitions: await exhibitionCounts(app.db, ids, from, to), clubs: await clubCounts(app.db, ids, from, to) };
    },
  );

  // ---- the public face (no sign-in; the only pages other sites may frame) ----
  app.get(
    '/api/public/:library',
    {
      schema: {
        tags,
        summary: 'The public page of a library: its public events, exhibitions (virtual too) and new acquisitions; no reader data',
        params: z.object({ library: z.string().max(40) }),
        response: {
          200: z.object({
            library: z.object({ id: z.number(), name: z.string(), nameRu: z.string().nullable(), nameEn: z.string().nullable(), code: z.string().nullable() }),
            today: z.string(),
            events: z.array(z.object({ id: z.number(), heldOn: z.string(), title: z.string(), form: z.string(), classes: z.string().nullable(), participants: z.number(), photos: z.array(z.number()) })),
            exhibitions: z.array(exhibitionSchema.extend({ current: z.boolean() })),
            acquisitions: z.array(z.object({ workId: z.number(), title: z.string(), publishYear: z.number().nullable(), acquiredOn: z.string() })),
          }),
        },
      },
    },
    async (req) => publicPage(app.db, req.params.library),
  );

  app.get('/api/public/:library/photos/:id', { schema: { tags, summary: 'A photo of a public event', params: z.object({ library: z.string().max(40), id }), produces: ['image/jpeg', 'image/png'], response: { 200: z.any() } } }, async (req, reply) => {
    const org = await publicLibrary(app.db, req.params.library);
    const p = await photoOf(app.db, Number(org.id), req.params.id, true);
    return reply.type(p.mime).send(p.bytes);
  });
};
