import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Routes } from '../../http/types.js';
import { AppError } from '../../shared/errors.js';
import { inventoryBookPdf, inventoryBookXlsx, summaryBookPdf, summaryBookXlsx } from './book-files.js';
import { buildSummaryBook, inventoryBook, summaryBookLibrary } from './books.js';
import { checkResult, closeCheck, getCheck, listChecks, openCheck, recordScan, renumberCopies } from './checks.js';
import { listGroupRules, replaceGroupRules } from './groups.js';
import { listLosses, recordLoss } from './losses.js';
import {
  addReceiptLine, createReceipt, deleteReceipt, deleteReceiptLine, getReceipt, listReceipts, receiveByIsbn, updateReceipt,
} from './receipts.js';
import { KNOWLEDGE_GROUPS, LANGUAGE_GROUPS, RECEIPT_SOURCES, WRITE_OFF_REASONS } from './schema.js';
import { PUBLICATION_TYPES } from '../../catalog/schema.js';
import { openingRoutes } from './opening-routes.js';
import {
  addCopiesToAct, approveAct, createAct, deleteAct, getAct, listActs, removeCopyFromAct, reverseAct, updateAct,
} from './write-offs.js';
import { inTransaction, type Trx } from '../../db/transaction.js';
import { allow, staffLibrary } from '../../auth/guard.js';

const id = z.coerce.number().int().positive();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const page = { limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) };
const idParams = z.object({ id });
const ok = z.object({ ok: z.literal(true) });
const tiyn = z.number().int(); // negative values reach the domain check, which answers with a precise message

const tally = z.object({ copies: z.number(), sumTiyn: z.number(), unpriced: z.number().optional() });
const groupName = z.enum(KNOWLEDGE_GROUPS);
const languageName = z.enum(LANGUAGE_GROUPS);
const columns = z.object({
  total: tally, groups: z.record(groupName, tally), languages: z.record(languageName, tally),
  types: z.record(z.enum(PUBLICATION_TYPES), tally), children: tally,
});
const cell = tally.extend({ knowledgeGroup: groupName, languageGroup: languageName });

const receiptBody = z.object({
  receivedOn: isoDate,
  source: z.enum(RECEIPT_SOURCES),
  documentNumber: z.string().max(100).nullish(),
  documentDate: isoDate.nullish(),
  supplier: z.string().max(300).nullish(),
  note: z.string().max(1000).nullish(),
});
const receipt = z.object({
  id: z.number(),
  number: z.string(),
  receivedOn: z.string(),
  source: z.enum(RECEIPT_SOURCES),
  documentNumber: z.string().nullable(),
  documentDate: z.string().nullable(),
  supplier: z.string().nullable(),
  note: z.string().nullable(),
  copiesCount: z.number(),
  unpricedCount: z.number(),
  sumTiyn: z.number(),
  textbooksCount: z.number(),
  textbooksSumTiyn: z.number(),
});
const lineFields = {
  count: z.number().int(),
  priceTiyn: tiyn,
  fund: z.enum(['main', 'textbook', 'periodical', 'electronic']).optional(),
  valuation: z.boolean().optional(),
  offBalance: z.boolean().optional(),
  priceUnknown: z.boolean().optional(),
  location: z.string().max(100).nullish(),
};
const receiptLine = z.object({
  id: z.number(),
  workId: z.number(),
  title: z.string(),
  copiesCount: z.number(),
  priceTiyn: z.number(),
  sumTiyn: z.number(),
  valuation: z.boolean(),
  fund: z.string(),
  knowledgeGroup: groupName,
  languageGroup: languageName,
  offBalance: z.boolean(),
  priceUnknown: z.boolean(),
  copies: z.array(z.object({ id: z.number(), inventoryNumber: z.string(), barcode: z.string() })),
});

const actBody = z.object({
  actDate: isoDate,
  reason: z.enum(WRITE_OFF_REASONS),
  commission: z.array(z.string().max(200)).max(10).optional(),
  chair: z.string().max(200).nullish(),
  head: z.string().max(200).nullish(),
  transferTo: id.nullish(),
  note: z.string().max(1000).nullish(),
});
const act = z.object({
  id: z.number(),
  number: z.string(),
  kind: z.enum(['write_off', 'reversal']),
  reversesId: z.number().nullable(),
  reversedById: z.number().nullable(),
  actDate: z.string(),
  reason: z.enum(WRITE_OFF_REASONS),
  commission: z.array(z.string()),
  chair: z.string().nullable(),
  head: z.string().nullable(),
  transferTo: z.number().nullable(),
  transferToName: z.string().nullable(),
  transferReceiptId: z.number().nullable(),
  note: z.string().nullable(),
  status: z.enum(['draft', 'approved']),
  copiesCount: z.number(),
  sumTiyn: z.number(),
});
const actCopy = z.object({ copyId: z.number(), inventoryNumber: z.string(), barcode: z.string(), title: z.string(), priceTiyn: z.number() });

const check = z.object({
  id: z.number(),
  number: z.string(),
  startedOn: z.string(),
  locationPrefix: z.string().nullable(),
  fund: z.string().nullable(),
  knowledgeGroup: z.string().nullable(),
  valuableOnly: z.boolean(),
  openAccessOnly: z.boolean(),
  status: z.enum(['open', 'closed']),
  writeOffActId: z.number().nullable(),
  scanned: z.number(),
  unbooked: z.object({ count: z.number(), openingId: z.number().nullable() }),
});
const checkCopy = z.object({ copyId: z.number(), inventoryNumber: z.string(), barcode: z.string(), title: z.string(), location: z.string().nullable() });

const loss = z.object({
  id: z.number(),
  readerId: z.number().nullable().describe('null once the settled loss lost its personal link by retention'),
  copyId: z.number(),
  inventoryNumber: z.string(),
  title: z.string(),
  lostOn: z.string(),
  settlement: z.enum(['replacement', 'payment']),
  replacementCopyId: z.number().nullable(),
  replacementInventoryNumber: z.string().nullable(),
  paymentTiyn: z.number().nullable(),
  writeOffActId: z.number(),
  writeOffActNumber: z.string(),
  writeOffStatus: z.enum(['draft', 'approved']),
});

const rule = z.object({
  scheme: z.enum(['bbk', 'udc']),
  prefix: z.string().max(30),
  knowledgeGroup: z.enum(KNOWLEDGE_GROUPS.filter((g) => g !== 'textbooks') as [Exclude<(typeof KNOWLEDGE_GROUPS)[number], 'textbooks'>]),
  priority: z.number().int().default(0),
});

const period = z.object({ from: isoDate, to: isoDate });
const summaryQuery = period.extend({ organisationId: id.optional() });
const inventoryQuery = period.extend({ register: z.enum(['balance', 'off_balance']).default('balance') });

const summaryBook = z.object({
  organisationId: z.number(),
  organisationName: z.string(),
  period,
  receipts: z.array(z.object({
    receiptId: z.number(), number: z.string(), date: z.string(), source: z.string(),
    documentNumber: z.string().nullable(), documentDate: z.string().nullable(), supplier: z.string().nullable(), titles: z.number(), columns,
  })),
  writeOffs: z.array(z.object({
    register: z.enum(['fund', 'textbooks']), actId: z.number(), number: z.string(), date: z.string(), kind: z.enum(['write_off', 'reversal']), reason: z.string(),
    titles: z.number(), columns,
  })),
  balance: z.object({
    opening: columns, received: columns, writtenOff: columns, closing: columns,
    cells: z.object({ opening: z.array(cell), received: z.array(cell), writtenOff: z.array(cell), closing: z.array(cell) }),
  }),
});
const inventoryLine = z.object({
  copyId: z.number(),
  inventoryNumber: z.string(),
  previousNumbers: z.array(z.string()),
  enteredOn: z.string(),
  authors: z.string(),
  title: z.string(),
  publishYear: z.number().nullable(),
  priceTiyn: z.number(),
  priceUnknown: z.boolean(),
  receiptNumber: z.string(),
  receiptId: z.number(),
  writeOffActNumber: z.string().nullable(),
  writeOffDate: z.string().nullable(),
  note: z.string().nullable(),
});
const file = z.any();

export const accountingRoutes: Routes = async (app) => {
  const tags = ['fund accounting'];
  const tx = <T>(fn: (trx: Trx) => Promise<T>) => inTransaction(app.db, fn);

  // ---- Knowledge-group rules ----
  app.get('/api/fund/knowledge-group-rules', {
    schema: { tags, summary: 'The BBK/UDC → report group mapping of this deployment', response: { 200: z.object({ items: z.array(rule), total: z.number() }) } },
  }, async (req) => {
    allow(req.actor, 'staffAndOverseers');
    const items = await listGroupRules(app.db);
    return { items, total: items.length };
  });
  app.put('/api/fund/knowledge-group-rules', {
    schema: { tags, summary: 'Replace the BBK/UDC → report group mapping (admin)', body: z.object({ items: z.array(rule).max(2000) }),
      response: { 200: z.object({ items: z.array(rule), total: z.number() }) } },
  }, async (req) => {
    const actor = allow(req.actor, 'admin');
    const items = await tx((trx) => replaceGroupRules(trx, actor, req.body.items));
    return { items, total: items.length };
  });

  // ---- Receipts ----
  app.get('/api/fund/receipts', {
    schema: { tags, summary: 'Receipt documents of the library', querystring: z.object({ from: isoDate.optional(), to: isoDate.optional(), ...page }),
      response: { 200: z.object({ items: z.array(receipt), total: z.number() }) } },
  }, async (req) => listReceipts(app.db, allow(req.actor, 'staff'), req.query));
  app.post('/api/fund/receipts', {
    schema: { tags, summary: 'Open a receipt document', body: receiptBody, response: { 201: receipt } },
  }, async (req, reply) => {
    const actor = allow(req.actor, 'staff');
    reply.status(201);
    return tx((trx) => createReceipt(trx, actor, req.body));
  });
  app.get('/api/fund/receipts/:id', {
    schema: { tags, summary: 'A receipt with its lines and copies', params: idParams, response: { 200: z.object({ receipt, lines: z.array(receiptLine) }) } },
  }, async (req) => getReceipt(app.db, allow(req.actor, 'staff'), req.params.id));
  app.patch('/api/fund/receipts/:id', {
    schema: { tags, summary: 'Correct a receipt header', params: idParams, body: receiptBody.partial(), response: { 200: receipt } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return tx((trx) => updateReceipt(trx, actor, req.params.id, req.body));
  });
  app.delete('/api/fund/receipts/:id', {
    schema: { tags, summary: 'Delete an empty receipt', params: idParams, response: { 200: ok } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    await tx((trx) => deleteReceipt(trx, actor, req.params.id));
    return { ok: true as const };
  });
  app.post('/api/fund/receipts/:id/lines', {
    schema: { tags, summary: 'Receive copies of a catalogued work', params: idParams, body: z.object({ workId: id, ...lineFields }), response: { 201: receiptLine } },
  }, async (req, reply) => {
    const actor = allow(req.actor, 'staff');
    reply.status(201);
    return tx((trx) => addReceiptLine(trx, actor, req.params.id, req.body));
  });
  app.post('/api/fund/receipts/:id/receive-isbn', {
    schema: {
      tags, summary: 'Receive copies by scanned ISBN (describes the work when the catalogue lacks it)', params: idParams,
      body: z.object({
        isbn: z.string().min(1).max(40),
        ...lineFields,
        work: z.object({
          title: z.string().min(1).max(500),
          authors: z.array(z.object({ name: z.string().min(1).max(200) })).optional(),
          publisher: z.string().max(300).nullish(),
          publishYear: z.number().int().nullish(),
          language: z.string().max(3).nullish(),
          pages: z.number().int().positive().nullish(),
          bbk: z.string().max(50).nullish(),
          udc: z.string().max(50).nullish(),
        }).optional(),
      }),
      response: { 201: receiptLine },
    },
  }, async (req, reply) => {
    const actor = allow(req.actor, 'staff');
    reply.status(201);
    return tx((trx) => receiveByIsbn(trx, actor, req.params.id, req.body));
  });
  app.delete('/api/fund/receipts/:id/lines/:lineId', {
    schema: { tags, summary: 'Take back a line whose copies were never used', params: z.object({ id, lineId: id }), response: { 200: ok } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    await tx((trx) => deleteReceiptLine(trx, actor, req.params.id, req.params.lineId));
    return { ok: true as const };
  });

  // ---- Books ----
  app.get('/api/fund/inventory-book', {
    schema: { tags, summary: 'Inventory book (or off-balance register) for a period', querystring: inventoryQuery.extend(page),
      response: { 200: z.object({ items: z.array(inventoryLine), total: z.number() }) } },
  }, async (req) => inventoryBook(app.db, allow(req.actor, 'staff'), req.query));
  for (const format of ['pdf', 'xlsx'] as const) {
    app.get(`/api/fund/inventory-book.${format}`, {
      schema: { tags, summary: `Inventory book as ${format.toUpperCase()}`, querystring: inventoryQuery, produces: [mime(format)], response: { 200: file } },
    }, async (req, reply) => {
      const actor = allow(req.actor, 'staff');
      const { items } = await inventoryBook(app.db, actor, req.query);
      const org = await app.db.selectFrom('org.organisations').select('name').where('id', '=', staffLibrary(actor)).executeTakeFirstOrThrow();
      const meta = { organisationName: org.name, ...req.query };
      const body = format === 'pdf' ? await inventoryBookPdf(items, meta, req.locale) : await inventoryBookXlsx(items, meta, req.locale);
      return sendFile(reply, format, `inventory-book-${req.query.from}-${req.query.to}`, body);
    });
  }
  app.get('/api/fund/summary-book', {
    schema: { tags, summary: 'Summary accounting book: receipts, write-offs and balance by group and language', querystring: summaryQuery, response: { 200: summaryBook } },
  }, async (req) => {
    const organisationId = await summaryBookLibrary(app.db, req.actor, req.query.organisationId);
    return buildSummaryBook(app.db, organisationId, req.query);
  });
  for (const format of ['pdf', 'xlsx'] as const) {
    app.get(`/api/fund/summary-book.${format}`, {
      schema: { tags, summary: `Summary accounting book as ${format.toUpperCase()}`, querystring: summaryQuery, produces: [mime(format)], response: { 200: file } },
    }, async (req, reply) => {
      const organisationId = await summaryBookLibrary(app.db, req.actor, req.query.organisationId);
      const book = await buildSummaryBook(app.db, organisationId, req.query);
      const body = format === 'pdf' ? await summaryBookPdf(book, req.locale) : await summaryBookXlsx(book, req.locale);
      return sendFile(reply, format, `summary-book-${req.query.from}-${req.query.to}`, body);
    });
  }

  await openingRoutes(app, { summaryBook, summaryQuery, tx, tags });

  // ---- Write-off acts ----
  const actWithCopies = z.object({ act, copies: z.array(actCopy) });
  app.get('/api/fund/write-off-acts', {
    schema: { tags, summary: 'Write-off acts and their reversals', querystring: z.object({ status: z.enum(['draft', 'approved']).optional(), from: isoDate.optional(), to: isoDate.optional(), ...page }),
      response: { 200: z.object({ items: z.array(act), total: z.number() }) } },
  }, async (req) => listActs(app.db, allow(req.actor, 'staff'), req.query));
  app.post('/api/fund/write-off-acts', {
    schema: { tags, summary: 'Draft a write-off act', body: actBody, response: { 201: act } },
  }, async (req, reply) => {
    const actor = allow(req.actor, 'staff');
    reply.status(201);
    return tx((trx) => createAct(trx, actor, req.body));
  });
  app.get('/api/fund/write-off-acts/:id', {
    schema: { tags, summary: 'A write-off act with its copies', params: idParams, response: { 200: actWithCopies } },
  }, async (req) => getAct(app.db, allow(req.actor, 'staff'), req.params.id));
  app.patch('/api/fund/write-off-acts/:id', {
    schema: { tags, summary: 'Edit a draft act', params: idParams, body: actBody.partial(), response: { 200: act } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return tx((trx) => updateAct(trx, actor, req.params.id, req.body));
  });
  app.delete('/api/fund/write-off-acts/:id', {
    schema: { tags, summary: 'Delete a draft act', params: idParams, response: { 200: ok } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    await tx((trx) => deleteAct(trx, actor, req.params.id));
    return { ok: true as const };
  });
  app.post('/api/fund/write-off-acts/:id/copies', {
    schema: { tags, summary: 'Add copies to a draft act by scanned barcodes or by ids', params: idParams,
      body: z.object({ barcodes: z.array(z.string().max(50)).max(1000).optional(), copyIds: z.array(id).max(1000).optional() }), response: { 200: act } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return tx((trx) => addCopiesToAct(trx, actor, req.params.id, req.body));
  });
  app.delete('/api/fund/write-off-acts/:id/copies/:copyId', {
    schema: { tags, summary: 'Remove a copy from a draft act', params: z.object({ id, copyId: id }), response: { 200: act } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return tx((trx) => removeCopyFromAct(trx, actor, req.params.id, req.params.copyId));
  });
  app.post('/api/fund/write-off-acts/:id/approve', {
    schema: { tags, summary: 'Approve an act: its copies leave the fund and the books', params: idParams, response: { 200: act } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return tx((trx) => approveAct(trx, actor, req.params.id));
  });
  app.post('/api/fund/write-off-acts/:id/reverse', {
    schema: { tags, summary: 'Reverse an approved act by a new document', params: idParams,
      body: z.object({ actDate: isoDate.optional(), note: z.string().max(1000).nullish() }), response: { 201: act } },
  }, async (req, reply) => {
    const actor = allow(req.actor, 'staff');
    reply.status(201);
    return tx((trx) => reverseAct(trx, actor, req.params.id, req.body));
  });

  // ---- Fund checks ----
  app.get('/api/fund/checks', {
    schema: { tags, summary: 'Fund checks of the library', response: { 200: z.object({ items: z.array(check), total: z.number() }) } },
  }, async (req) => listChecks(app.db, allow(req.actor, 'staff')));
  app.post('/api/fund/checks', {
    schema: { tags, summary: 'Open a check of a part of the fund', response: { 201: check },
      body: z.object({ locationPrefix: z.string().max(100).nullish(), fund: z.enum(['main', 'textbook', 'periodical', 'electronic', 'off_balance']).nullish(), knowledgeGroup: groupName.nullish(), valuableOnly: z.boolean().optional(), openAccessOnly: z.boolean().optional() }) },
  }, async (req, reply) => {
    const actor = allow(req.actor, 'staff');
    reply.status(201);
    return tx((trx) => openCheck(trx, actor, req.body));
  });
  app.get('/api/fund/checks/:id', {
    schema: { tags, summary: 'A fund check', params: idParams, response: { 200: check } },
  }, async (req) => getCheck(app.db, allow(req.actor, 'staff'), req.params.id));
  app.post('/api/fund/checks/:id/scans', {
    schema: { tags, summary: 'Record one shelf scan (idempotent; an unknown barcode is recorded and answered 404)', params: idParams,
      body: z.object({ barcode: z.string().max(50), shelf: z.string().max(100).nullish() }),
      response: { 200: z.object({ outcome: z.enum(['found', 'misplaced', 'repeat']), copy: checkCopy }) } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    // Committed before answering, so an unknown barcode stays in the check's report.
    const scan = await tx((trx) => recordScan(trx, actor, req.params.id, req.body));
    if (scan.outcome === 'unknown' || !scan.copy) throw new AppError('accounting.unknown_barcode', 404, { barcode: req.body.barcode.trim() });
    return { outcome: scan.outcome, copy: scan.copy };
  });
  app.get('/api/fund/checks/:id/result', {
    schema: { tags, summary: 'Found, missing, on loan, misplaced and unknown', params: idParams,
      response: { 200: z.object({
        check,
        counts: z.object({ expected: z.number(), found: z.number(), missing: z.number(), onLoan: z.number(), misplaced: z.number(), unknown: z.number() }),
        found: z.array(checkCopy), missing: z.array(checkCopy), onLoan: z.array(checkCopy), misplaced: z.array(checkCopy), unknown: z.array(z.string()),
      }) } },
  }, async (req) => checkResult(app.db, allow(req.actor, 'staff'), req.params.id));
  app.post('/api/fund/checks/:id/close', {
    schema: { tags, summary: 'Close a check; missing copies go to a draft shortage act', params: idParams,
      body: z.object({ actDate: isoDate.optional() }), response: { 200: check } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return tx((trx) => closeCheck(trx, actor, req.params.id, req.body));
  });
  app.post('/api/fund/renumber', {
    schema: { tags, summary: 'Re-inventory: new inventory numbers, old ones kept', body: z.object({ copyIds: z.array(id).min(1).max(1000) }),
      response: { 200: z.object({ items: z.array(z.object({ copyId: z.number(), oldNumber: z.string(), newNumber: z.string() })) }) } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return { items: await tx((trx) => renumberCopies(trx, actor, req.body.copyIds)) };
  });

  // ---- Losses ----
  app.get('/api/fund/losses', {
    schema: { tags, summary: 'Books lost by readers', querystring: z.object({ readerId: id.optional() }),
      response: { 200: z.object({ items: z.array(loss), total: z.number() }) } },
  }, async (req) => listLosses(app.db, allow(req.actor, 'staff'), req.query));
  app.post('/api/fund/losses', {
    schema: { tags, summary: 'Record a book lost by a reader and how it was settled', response: { 201: loss },
      body: z.object({
        readerId: id,
        copyId: id.optional(),
        barcode: z.string().max(50).optional(),
        lostOn: isoDate.optional(),
        settlement: z.enum(['replacement', 'payment']),
        replacement: z.object({ workId: id.optional(), priceTiyn: tiyn.optional() }).optional(),
        paymentTiyn: tiyn.optional(),
        note: z.string().max(1000).nullish(),
      }) },
  }, async (req, reply) => {
    const actor = allow(req.actor, 'staff');
    reply.status(201);
    return tx((trx) => recordLoss(trx, actor, req.body));
  });
};

function mime(format: 'pdf' | 'xlsx') {
  return format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
}

function sendFile(reply: FastifyReply, format: 'pdf' | 'xlsx', name: string, body: Buffer) {
  return reply.type(mime(format)).header('content-disposition', `inline; filename="${name}.${format}"`).send(body);
}
