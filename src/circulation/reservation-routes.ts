import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { Routes } from '../http/types.js';
import { allow } from '../auth/guard.js';
import { inTransaction } from '../db/transaction.js';
import { RESERVATION_STATUSES } from './schema.js';
import {
  cancelMyReservation,
  cancelReservation,
  getReservationRules,
  holdShelf,
  listReservations,
  myReservations,
  placeMyReservation,
  placeReservation,
  replaceReservationRules,
} from './reservations.js';

const tags = ['circulation'];
const id = z.coerce.number().int().positive();

export const reservationSchema = z.object({
  id: z.number(),
  workId: z.number(),
  title: z.string(),
  authors: z.array(z.string()),
  readerId: z.number(),
  readerName: z.string(),
  className: z.string().nullable(),
  status: z.enum(RESERVATION_STATUSES),
  placedAt: z.string(),
  place: z.number().nullable().describe('place in the queue among the readers still waiting (1 = next); null unless waiting'),
  barcode: z.string().nullable().describe('the copy put aside, while held'),
  inventoryNumber: z.string().nullable(),
  holdUntil: z.string().nullable().describe('the last day the held copy waits'),
  closedAt: z.string().nullable(),
});

const rulesSchema = z.object({
  maxActive: z.number().int().min(1).max(50).describe('titles a reader may have reserved at once'),
  holdDays: z.number().int().min(1).max(60).describe('days a returned copy waits on the hold shelf'),
});

const list = z.object({ items: z.array(reservationSchema), total: z.number() });
const staff = (req: FastifyRequest) => allow(req.actor, 'staff');
const reader = (req: FastifyRequest) => allow(req.actor, 'readers');

/** Reservations of titles on loan: the reader's own (phone), the desk's (queue, hold shelf, rule). */
export const reservationRoutes: Routes = async (app) => {
  app.get(
    '/api/circulation/my-reservations',
    {
      schema: {
        tags,
        summary: "The signed-in pupil's or parent's reservations: waiting (with the place in the queue), held until a day, or ran out lately",
        response: { 200: list },
      },
    },
    async (req) => {
      const items = await myReservations(app.db, reader(req));
      return { items, total: items.length };
    },
  );

  app.post(
    '/api/circulation/my-reservations',
    {
      schema: {
        tags,
        summary: 'Reserve a title of the own library whose copies are all out',
        body: z.object({ workId: z.number().int().positive() }),
        response: { 201: reservationSchema },
      },
    },
    async (req, reply) => {
      const actor = reader(req);
      const placed = await inTransaction(app.db, (trx) => placeMyReservation(trx, actor, req.body));
      return reply.status(201).send(placed);
    },
  );

  app.post(
    '/api/circulation/my-reservations/:id/cancel',
    { schema: { tags, summary: 'Cancel an own reservation', params: z.object({ id }), response: { 200: reservationSchema } } },
    async (req) => {
      const actor = reader(req);
      return inTransaction(app.db, (trx) => cancelMyReservation(trx, actor, { id: req.params.id }));
    },
  );

  app.get(
    '/api/circulation/reservations',
    {
      schema: {
        tags,
        summary: "The library's active reservations, each title's queue in order",
        querystring: z.object({ status: z.enum(['waiting', 'held']).optional(), readerId: id.optional() }),
        response: { 200: list },
      },
    },
    async (req) => {
      const items = await listReservations(app.db, staff(req), req.query);
      return { items, total: items.length };
    },
  );

  app.post(
    '/api/circulation/reservations',
    {
      schema: {
        tags,
        summary: 'Reserve a title for a reader of the library (at the desk)',
        body: z.object({ readerId: z.number().int().positive(), workId: z.number().int().positive() }),
        response: { 201: reservationSchema },
      },
    },
    async (req, reply) => {
      const actor = staff(req);
      const placed = await inTransaction(app.db, (trx) => placeReservation(trx, actor, req.body));
      return reply.status(201).send(placed);
    },
  );

  app.post(
    '/api/circulation/reservations/:id/cancel',
    { schema: { tags, summary: 'Cancel a reservation; a copy held for it goes to the next reader waiting', params: z.object({ id }), response: { 200: reservationSchema } } },
    async (req) => {
      const actor = staff(req);
      return inTransaction(app.db, (trx) => cancelReservation(trx, actor, { id: req.params.id }));
    },
  );

  app.get(
    '/api/circulation/hold-shelf',
    {
      schema: {
        tags,
        summary: 'The hold shelf: copies put aside for readers until a day, and holds that ran out lately with nobody next (back on the shelf)',
        response: { 200: z.object({ held: z.array(reservationSchema), expired: z.array(reservationSchema) }) },
      },
    },
    async (req) => holdShelf(app.db, staff(req)),
  );

  app.get(
    '/api/circulation/reservation-rules',
    { schema: { tags, summary: "The library's reservation rule (its own or the defaults)", response: { 200: rulesSchema } } },
    async (req) => getReservationRules(app.db, staff(req)),
  );

  app.put(
    '/api/circulation/reservation-rules',
    { schema: { tags, summary: "Set the library's reservation rule", body: rulesSchema, response: { 200: rulesSchema } } },
    async (req) => {
      const actor = staff(req);
      return inTransaction(app.db, (trx) => replaceReservationRules(trx, actor, req.body));
    },
  );
};
