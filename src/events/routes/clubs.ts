import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import type { Routes } from '../../http/types.js';
import { addMember, createClub, getClub, listClubs, recordSession, removeMember, updateClub } from '../clubs.js';
import { created, date, id, ok, tags, text } from './shared.js';

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

/** Reading clubs: members and sessions. */
export const clubRoutes: Routes = (app) => {
  app.get('/api/events/clubs', { schema: { tags, summary: 'Clubs of this library', response: { 200: z.object({ items: z.array(clubSchema) }) } } }, async (req) => ({
    items: await listClubs(app.db, allow(req.actor, 'staffAndTeachers')),
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
    async (req) => getClub(app.db, allow(req.actor, 'staffAndTeachers'), req.params.id),
  );

  app.post('/api/events/clubs', { schema: { tags, summary: 'Open a club', body: clubBody, response: { 201: created } } }, async (req, reply) => {
    const newId = await createClub(app.db, allow(req.actor, 'staff'), req.body);
    reply.status(201);
    return { id: newId };
  });

  app.put('/api/events/clubs/:id', { schema: { tags, summary: 'Change a club', params: z.object({ id }), body: clubBody, response: { 200: ok } } }, async (req) => {
    await updateClub(app.db, allow(req.actor, 'staff'), req.params.id, req.body);
    return { ok: true as const };
  });

  app.post('/api/events/clubs/:id/members', { schema: { tags, summary: 'Enrol a reader in a club', params: z.object({ id }), body: z.object({ readerId: z.number().int().positive(), joinedOn: date.optional() }), response: { 201: created } } }, async (req, reply) => {
    const newId = await addMember(app.db, allow(req.actor, 'staff'), req.params.id, req.body.readerId, req.body.joinedOn);
    reply.status(201);
    return { id: newId };
  });

  app.post('/api/events/club-members/:id/leave', { schema: { tags, summary: 'A member leaves the club', params: z.object({ id }), body: z.object({ leftOn: date.optional() }), response: { 200: ok } } }, async (req) => {
    await removeMember(app.db, allow(req.actor, 'staff'), req.params.id, req.body.leftOn);
    return { ok: true as const };
  });

  app.post(
    '/api/events/clubs/:id/sessions',
    { schema: { tags, summary: 'Record a session of a club with the members present', params: z.object({ id }), body: z.object({ heldOn: date, topic: text(500), guests: z.number().int().optional(), note: text(2000).nullable().optional(), present: z.array(z.number().int().positive()).max(1000) }), response: { 201: created } } },
    async (req, reply) => {
      const newId = await recordSession(app.db, allow(req.actor, 'staff'), req.params.id, req.body);
      reply.status(201);
      return { id: newId };
    },
  );
};
