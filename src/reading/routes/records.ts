import { z } from 'zod';
import type { Routes } from '../../http/types.js';
import { decideRecord, deleteRecord, pendingRecords, readerRecords, recordFromLoan, recordReadingRoom, returnedLoans } from '../records.js';
import { bookBody, details, idParam, record, schoolYear, tags } from './shared.js';

const records = z.object({ items: z.array(record), total: z.number() });

/** Reading records: from a returned loan, from the reading room, and the stamp on a self-report. */
export const recordRoutes: Routes = (app) => {
  const db = app.db;
  app.post(
    '/api/reading/records/from-loan',
    { schema: { tags, summary: 'A returned loan becomes a reading record (one click at the return or from the history)', body: z.object({ loanId: z.number().int().positive(), ...details }), response: { 200: record } } },
    async (req) => recordFromLoan(db, req.actor, req.body),
  );
  app.post(
    '/api/reading/records',
    { schema: { tags, summary: 'A book read in the reading room, recorded and confirmed by the librarian', body: bookBody.extend({ readerId: z.number().int().positive() }), response: { 200: record } } },
    async (req) => recordReadingRoom(db, req.actor, req.body),
  );
  app.get('/api/reading/records/pending', { schema: { tags, summary: "Pupils' and parents' reports waiting for the librarian's stamp", response: { 200: records } } }, async (req) => {
    const items = await pendingRecords(db, req.actor);
    return { items, total: items.length };
  });
  app.post('/api/reading/records/:id/confirm', { schema: { tags, summary: "The librarian's stamp on a self-report", params: idParam, response: { 200: record } } }, async (req) =>
    decideRecord(db, req.actor, req.params.id, 'confirmed'),
  );
  app.post('/api/reading/records/:id/reject', { schema: { tags, summary: 'Refuse a self-report', params: idParam, response: { 200: record } } }, async (req) =>
    decideRecord(db, req.actor, req.params.id, 'rejected'),
  );
  app.delete('/api/reading/records/:id', { schema: { tags, summary: 'Remove a record made by mistake', params: idParam, response: { 204: z.null() } } }, async (req, reply) => {
    await deleteRecord(db, req.actor, req.params.id);
    return reply.status(204).send(null);
  });
  app.get(
    '/api/reading/readers/:id/records',
    { schema: { tags, summary: "A reader's reading records (staff; the class teacher; the pupil or parent their own)", params: idParam, querystring: z.object({ schoolYear: schoolYear.optional() }), response: { 200: records } } },
    async (req) => {
      const items = await readerRecords(db, req.actor, req.params.id, req.query.schoolYear);
      return { items, total: items.length };
    },
  );
  app.get(
    '/api/reading/readers/:id/returned-loans',
    {
      schema: {
        tags,
        summary: "A reader's returned loans, each with its reading record if it has one",
        params: idParam,
        response: { 200: z.object({ items: z.array(z.object({ loanId: z.number(), title: z.string(), authors: z.string().nullable(), issuedAt: z.string(), returnedAt: z.string(), recordId: z.number().nullable() })) }) },
      },
    },
    async (req) => ({ items: await returnedLoans(db, req.actor, req.params.id) }),
  );
};
