import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import { inTransaction } from '../../db/transaction.js';
import { RECEIPT_SOURCES } from '../../fund/accounting/schema.js';
import type { Routes } from '../../http/types.js';
import { listChecks, recordCheck } from '../checks.js';
import { WRITE_OFF_REASONS } from '../schema.js';
import { listBatches, listStock, listWriteOffs, receiveTextbooks, stampBatches, writeOffTextbooks } from '../stock.js';
import { asList, condition, isoDate, list, schoolYear, tags } from './shared.js';

const batch = z.object({
  id: z.number(), receiptId: z.number(), receiptNumber: z.string(), receivedOn: z.string(), source: z.string(), workId: z.number(),
  title: z.string(), schoolYear: z.string(), copiesCount: z.number(), priceTiyn: z.number(), sumTiyn: z.number(),
  stampedOn: z.string().nullable(),
});

const stockLine = z.object({
  workId: z.number(), title: z.string(), received: z.number(), writtenOff: z.number(), good: z.number(), worn: z.number(),
  unusable: z.number(), lost: z.number(), issued: z.number(), usable: z.number(), averagePriceTiyn: z.number(),
});

const writeOff = z.object({
  id: z.number(), number: z.string(), actDate: z.string(), reason: z.enum(WRITE_OFF_REASONS), note: z.string().nullable(),
  lines: z.array(z.object({ workId: z.number(), title: z.string(), condition, copiesCount: z.number(), sumTiyn: z.number() })),
  copiesCount: z.number(), sumTiyn: z.number(),
});

const counts = z.object({ good: z.number(), worn: z.number(), unusable: z.number() });
const check = z.object({
  id: z.number(), checkedOn: z.string(), note: z.string().nullable(), missing: z.number(),
  lines: z.array(z.object({ workId: z.number(), title: z.string(), expected: counts, counted: counts, missing: z.number() })),
});

/** The stock of the textbook fund: receipts, write-offs and checks. */
export const stockRoutes: Routes = (app) => {
  // ---- Receipt, stock and write-off ----
  app.get('/api/textbooks/receipts', {
    schema: { tags, summary: 'Batches of textbooks received, newest first',
      querystring: z.object({ schoolYear: schoolYear.optional(), unstamped: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }),
      response: { 200: list(batch) } },
  }, async (req) => asList(await listBatches(app.db, allow(req.actor, 'staff'), req.query)));

  app.post('/api/textbooks/receipts', {
    schema: { tags, summary: 'Receive textbooks by title and count with a receipt document of the fund',
      body: z.object({
        receiptId: z.number().int().positive().optional(), receivedOn: isoDate, source: z.enum(RECEIPT_SOURCES),
        documentNumber: z.string().max(100).nullish(), supplier: z.string().max(300).nullish(), note: z.string().max(1000).nullish(),
        schoolYear, lines: z.array(z.object({ workId: z.number().int().positive(), count: z.number().int(), priceTiyn: z.number().int() })).max(500),
      }),
      response: { 201: list(batch) } },
  }, async (req, reply) => {
    const actor = allow(req.actor, 'staff');
    reply.status(201);
    return asList(await inTransaction(app.db, (trx) => receiveTextbooks(trx, actor, req.body)));
  });

  app.post('/api/textbooks/receipts/stamp', {
    schema: { tags, summary: 'Note that batches were stamped as the library’s property',
      body: z.object({ batchIds: z.array(z.number().int().positive()).max(500), stampedOn: isoDate.optional() }), response: { 200: list(batch) } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return asList(await inTransaction(app.db, (trx) => stampBatches(trx, actor, req.body)));
  });

  app.get('/api/textbooks/stock', {
    schema: { tags, summary: 'The textbook fund by title: received, written off, on the shelf by condition, with students',
      response: { 200: list(stockLine) } },
  }, async (req) => asList(await listStock(app.db, allow(req.actor, 'staff'))));

  app.get('/api/textbooks/write-offs', {
    schema: { tags, summary: 'Write-off acts of the textbook fund', response: { 200: list(writeOff) } },
  }, async (req) => asList(await listWriteOffs(app.db, allow(req.actor, 'staff'))));

  app.post('/api/textbooks/write-offs', {
    schema: { tags, summary: 'Write textbooks off by count: wear, loss or curriculum change',
      body: z.object({
        actDate: isoDate.optional(), reason: z.enum(WRITE_OFF_REASONS), note: z.string().max(1000).nullish(),
        lines: z.array(z.object({ workId: z.number().int().positive(), condition, count: z.number().int() })).max(500),
      }),
      response: { 201: writeOff } },
  }, async (req, reply) => {
    const actor = allow(req.actor, 'staff');
    reply.status(201);
    return inTransaction(app.db, (trx) => writeOffTextbooks(trx, actor, req.body));
  });

  // ---- Textbook checks ----
  app.get('/api/textbooks/checks', {
    schema: { tags, summary: 'Textbook checks of the library, newest first', response: { 200: list(check) } },
  }, async (req) => asList(await listChecks(app.db, allow(req.actor, 'staff'))));

  app.post('/api/textbooks/checks', {
    schema: { tags, summary: 'Record a textbook check: copies counted on the shelf by condition; missing ones become lost',
      body: z.object({
        checkedOn: isoDate.optional(), note: z.string().max(1000).nullish(),
        lines: z.array(z.object({ workId: z.number().int().positive(), good: z.number().int(), worn: z.number().int(), unusable: z.number().int() })).max(2000),
      }),
      response: { 201: check } },
  }, async (req, reply) => {
    const actor = allow(req.actor, 'staff');
    reply.status(201);
    return inTransaction(app.db, (trx) => recordCheck(trx, actor, req.body));
  });

};
