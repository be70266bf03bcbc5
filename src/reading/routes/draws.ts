import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import type { Routes } from '../../http/types.js';
import { t } from '../../i18n/index.js';
import { AppError } from '../../shared/errors.js';
import { readingStaff } from '../access.js';
import { drawSlipsPdf } from '../documents.js';
import { addParticipant, createDraw, getDraw, listDraws, notifyParticipants, performDraw } from '../draw.js';
import { idParam, isoDate, PDF, pdfReply, tags, text } from './shared.js';

const drawRole = z.enum(['pupil', 'teacher', 'parent', 'head', 'staff']);
const draw = z.object({
  id: z.number(),
  title: z.string(),
  giftOn: z.string(),
  seed: z.string().nullable(),
  drawnAt: z.string().nullable(),
  partnersRevealed: z.boolean(),
  participants: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      role: drawRole,
      email: z.string().nullable(),
      wishedBook: z.string(),
      number: z.number().nullable(),
      givesToNumber: z.number().nullable(),
      bookToGive: z.string().nullable(),
      givesToName: z.string().nullable(),
      notified: z.enum(['email', 'slip']).nullable(),
    }),
  ),
});

/** The gift-a-book draw: participants, the pairs drawn from a recorded seed, and the notices. */
export const drawRoutes: Routes = (app) => {
  const db = app.db;
  app.get(
    '/api/reading/draws',
    { schema: { tags, summary: 'Gift-a-book draws', response: { 200: z.object({ items: z.array(z.object({ id: z.number(), title: z.string(), giftOn: z.string(), drawn: z.boolean(), participants: z.number() })) }) } } },
    async (req) => ({ items: await listDraws(db, readingStaff(req.actor)) }),
  );
  app.post('/api/reading/draws', { schema: { tags, summary: 'Announce a gift-a-book draw', body: z.object({ title: text(300), giftOn: isoDate }), response: { 200: draw } } }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return createDraw(db, actor, actor.organisationId, req.body);
  });
  app.get('/api/reading/draws/:id', { schema: { tags, summary: 'A draw: participants, numbers; partners only from the day of the gift', params: idParam, response: { 200: draw } } }, async (req) =>
    getDraw(db, readingStaff(req.actor), req.params.id),
  );
  app.post(
    '/api/reading/draws/:id/participants',
    {
      schema: {
        tags,
        summary: "Register a participant (a pupil's e-mail only with the parent's consent)",
        params: idParam,
        body: z.object({ name: text(200), role: drawRole, email: z.string().trim().email().max(200).nullable().optional(), wishedBook: text(300), readerId: z.number().int().positive().nullable().optional() }),
        response: { 200: draw },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return addParticipant(db, actor, actor.organisationId, req.params.id, req.body);
    },
  );
  app.post(
    '/api/reading/draws/:id/draw',
    { schema: { tags, summary: 'Draw the pairs with a recorded seed (given, or made now)', params: idParam, body: z.object({ seed: z.string().trim().min(1).max(64).optional() }), response: { 200: draw } } },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return performDraw(db, actor, actor.organisationId, req.params.id, req.body.seed);
    },
  );
  app.post(
    '/api/reading/draws/:id/notify',
    { schema: { tags, summary: 'Tell every participant: by e-mail where SMTP is configured, else a printed slip', params: idParam, response: { 200: z.object({ emailed: z.number(), slips: z.number() }) } } },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return notifyParticipants(db, actor, actor.organisationId, req.params.id, (key, params) => t(req.locale, key, params));
    },
  );
  app.get('/api/reading/draws/:id/slips.pdf', { schema: { tags, summary: 'Printed slips: number, book to give, date', params: idParam, ...PDF } }, async (req, reply) => {
    const d = await getDraw(db, readingStaff(req.actor), req.params.id);
    if (!d.drawnAt) throw new AppError('reading.draw_not_done', 409, { id: d.id });
    return pdfReply(reply, `draw-${d.id}`, await drawSlipsPdf(req.locale, d));
  });
};
