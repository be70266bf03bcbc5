import { z } from 'zod';
import type { Routes } from '../../http/types.js';
import { libraryFigures } from '../counts.js';
import { publicLibrary, publicPage } from '../public.js';
import { photoOf } from '../held.js';
import { date, exhibitionSchema, id, tags } from './shared.js';

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

/** The figures of a library's mass work, and its public face (no sign-in; the only pages other sites may frame). */
export const figuresAndPublicRoutes: Routes = (app) => {
  app.get(
    '/api/events/counts',
    { schema: { tags, summary: 'Events, participants, exhibitions and clubs of this library over a period (a school year by default)', querystring: z.object({ from: date.optional(), to: date.optional() }), response: { 200: countsSchema } } },
    async (req) => libraryFigures(app.db, req.actor, req.query),
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
