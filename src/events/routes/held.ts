import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import type { Routes } from '../../http/types.js';
import { AppError, invalid } from '../../shared/errors.js';
import { eventsStaff, eventsViewer } from '../access.js';
import { addPhoto, deleteEvent, listEvents, PHOTO_LIMIT, photoOf, recordEvent, updateEvent } from '../held.js';
import { EVENT_FORMS } from '../schema.js';
import { created, date, id, ok, tags, text } from './shared.js';

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

/** Events held, with their participants and photos. */
export const heldRoutes: Routes = (app) => {
  app.get('/api/events/held', { schema: { tags, summary: 'Events held by this library', querystring: z.object({ from: date.optional(), to: date.optional(), form: z.enum(EVENT_FORMS).optional() }), response: { 200: z.object({ items: z.array(eventSchema) }) } } }, async (req) => ({
    items: await listEvents(app.db, allow(req.actor, 'staffAndTeachers'), req.query),
  }));

  app.post('/api/events/held', { schema: { tags, summary: 'Record an event held, with its participants; a plan entry it fulfils is marked held', body: eventBody, response: { 201: created } } }, async (req, reply) => {
    const newId = await recordEvent(app.db, allow(req.actor, 'staff'), req.body);
    reply.status(201);
    return { id: newId };
  });

  app.put('/api/events/held/:id', { schema: { tags, summary: 'Change an event held', params: z.object({ id }), body: eventBody, response: { 200: ok } } }, async (req) => {
    await updateEvent(app.db, allow(req.actor, 'staff'), req.params.id, req.body);
    return { ok: true as const };
  });

  app.delete('/api/events/held/:id', { schema: { tags, summary: 'Remove an event held', params: z.object({ id }), response: { 200: ok } } }, async (req) => {
    await deleteEvent(app.db, allow(req.actor, 'staff'), req.params.id);
    return { ok: true as const };
  });

  app.post(
    '/api/events/held/:id/photos',
    { schema: { tags, summary: 'Attach a photo (JPEG or PNG, up to 5 MB) to an event', params: z.object({ id }), consumes: ['multipart/form-data'], response: { 201: created } } },
    async (req, reply) => {
      const { who: actor } = eventsStaff(req.actor);
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
};
