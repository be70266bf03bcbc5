import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import type { Routes } from '../../http/types.js';
import { createExhibition, deleteExhibition, exhibitionFromCalendar, getExhibition, listExhibitions, updateExhibition } from '../exhibitions.js';
import { addScheduleItem, deleteScheduleItem, exhibitionSchedule, exportSchedulePackage, importSchedulePackage } from '../schedule.js';
import { created, date, exhibitionSchema, id, month, ok, schoolYear, tags, text } from './shared.js';

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

const schedulePackage = z.object({
  format: z.string().max(50),
  version: z.number(),
  issuer: z.string().max(300).optional(),
  schoolYear: z.string().max(9),
  items: z.array(z.object({ key: z.string().max(200), month: z.number(), title: z.string().max(500), theme: z.string().max(1000).nullable().optional(), note: z.string().max(2000).nullable().optional() })).max(2000),
});

/** Book exhibitions, and the unified exhibition schedule sent down from the republic and the district. */
export const exhibitionRoutes: Routes = (app) => {
  app.get('/api/events/exhibitions', { schema: { tags, summary: 'Book exhibitions of this library', querystring: z.object({ from: date.optional(), to: date.optional() }), response: { 200: z.object({ items: z.array(exhibitionSchema) }) } } }, async (req) => ({
    items: await listExhibitions(app.db, allow(req.actor, 'staffAndTeachers'), req.query),
  }));

  app.get('/api/events/exhibitions/:id', { schema: { tags, summary: 'An exhibition with the works shown', params: z.object({ id }), response: { 200: exhibitionSchema } } }, async (req) =>
    getExhibition(app.db, allow(req.actor, 'staffAndTeachers'), req.params.id),
  );

  app.post('/api/events/exhibitions', { schema: { tags, summary: 'Open a book exhibition with works from the catalogue', body: exhibitionBody, response: { 201: created } } }, async (req, reply) => {
    const newId = await createExhibition(app.db, allow(req.actor, 'staff'), req.body);
    reply.status(201);
    return { id: newId };
  });

  app.post(
    '/api/events/exhibitions/from-calendar',
    { schema: { tags, summary: 'Make an exhibition in one step from an entry of the calendar of significant dates', body: z.object({ key: text(100), year: z.number().int().min(1900).max(2100) }), response: { 201: created } } },
    async (req, reply) => {
      const newId = await exhibitionFromCalendar(app.db, allow(req.actor, 'staff'), req.body, req.locale);
      reply.status(201);
      return { id: newId };
    },
  );

  app.put('/api/events/exhibitions/:id', { schema: { tags, summary: 'Change an exhibition and the works shown', params: z.object({ id }), body: exhibitionBody, response: { 200: ok } } }, async (req) => {
    await updateExhibition(app.db, allow(req.actor, 'staff'), req.params.id, req.body);
    return { ok: true as const };
  });

  app.delete('/api/events/exhibitions/:id', { schema: { tags, summary: 'Remove an exhibition', params: z.object({ id }), response: { 200: ok } } }, async (req) => {
    await deleteExhibition(app.db, allow(req.actor, 'staff'), req.params.id);
    return { ok: true as const };
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
};
