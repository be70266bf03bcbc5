import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { requireRole } from '../../auth/actor.js';
import type { Database } from '../../db/schema.js';
import type { App } from '../../http/types.js';
import { t } from '../../i18n/index.js';
import type { Locale } from '../../org/schema.js';
import { AppError } from '../../shared/errors.js';
import { checkActPdf, receiptActPdf, writeOffActPdf } from './acts.js';
import { summaryBookPdf, summaryBookXlsx } from './book-files.js';
import { buildAreaSummary, buildTextbookSummaryBook, summaryBookLibrary } from './books.js';
import { templateXlsx } from './opening-file.js';
import {
  addOpeningRows, createOpening, deleteOpening, getOpening, listOpenings, loadOpeningFile, openingRows, postOpening, removeOpeningRow,
  translateProblems, updateOpening, type RowProblem,
} from './opening.js';
import { bookUnbooked, dropUnbooked, listUnbooked, reconciliation } from './reconciliation.js';

const id = z.coerce.number().int().positive();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const idParams = z.object({ id });
const page = { limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) };
const ok = z.object({ ok: z.literal(true) });
const file = z.any();
const PDF = 'application/pdf';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const opening = z.object({
  id: z.number(),
  asOf: z.string(),
  documentNumber: z.string().nullable(),
  documentDate: z.string().nullable(),
  note: z.string().nullable(),
  status: z.enum(['draft', 'posted']),
  receiptId: z.number().nullable(),
  receiptNumber: z.string().nullable(),
  importId: z.number().nullable(),
  checkId: z.number().nullable(),
  copiesCount: z.number(),
  sumTiyn: z.number(),
  unpricedCount: z.number(),
  gaps: z.array(z.object({ from: z.string(), to: z.string(), row: z.number().nullable() })),
  gapsCount: z.number(),
});
const openingBody = z.object({
  asOf: isoDate,
  documentNumber: z.string().max(100).nullish(),
  documentDate: isoDate.nullish(),
  note: z.string().max(1000).nullish(),
});
const rowInput = z.object({
  row: z.number().int().positive().optional(),
  copyId: id.optional(),
  barcode: z.string().max(50).nullish(),
  workId: id.optional(),
  inventoryNumber: z.string().max(60).optional(),
  enteredOn: z.string().max(20).optional(),
  priceTiyn: z.number().int().nullish(),
  valuation: z.boolean().optional(),
  fund: z.enum(['main', 'textbook', 'periodical', 'electronic', 'off_balance']).optional(),
  location: z.string().max(200).nullish(),
});
const unbooked = z.object({
  copyId: z.number(), inventoryNumber: z.string(), barcode: z.string(), title: z.string(), fund: z.string(), priceTiyn: z.number(),
  acquiredOn: z.string(), status: z.string(), openingId: z.number().nullable(),
});
const commissionQuery = z.object({ chair: z.string().max(200).optional(), members: z.string().max(1000).optional() });

/** Problems of a refused load, each with its message in the request's language. */
async function withProblems<T>(locale: Locale, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError && (err.details as { problems?: RowProblem[] } | undefined)?.problems) {
      const problems = translateProblems(locale, (err.details as { problems: RowProblem[] }).problems);
      throw new AppError(err.code, err.status, err.params, { problems });
    }
    throw err;
  }
}

function send(reply: FastifyReply, type: string, name: string, body: Buffer) {
  return reply.type(type).header('content-disposition', `inline; filename="${name}"`).send(body);
}

const members = (q: { members?: string }) => (q.members ?? '').split(/[;,\n]/).map((m) => m.trim()).filter(Boolean);

/** Saves the uploaded file to a temporary file: the template is then read as a stream, never whole. */
async function receiveUpload(req: FastifyRequest): Promise<{ file: string; format: 'csv' | 'xlsx'; encoding: 'auto' | 'utf-8' | 'windows-1251' }> {
  if (!req.isMultipart()) throw new AppError('accounting.opening.no_file', 400);
  let saved: { file: string; format: 'csv' | 'xlsx' } | undefined;
  let encoding: 'auto' | 'utf-8' | 'windows-1251' = 'auto';
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const name = part.filename ?? '';
      const format = /\.xlsx$/i.test(name) || part.mimetype.includes('spreadsheetml') ? 'xlsx' : 'csv';
      const target = path.join(os.tmpdir(), `kitaphana-opening-${randomUUID()}.${format}`);
      await pipeline(part.file, fs.createWriteStream(target, { mode: 0o600 }));
      saved = { file: target, format };
    } else if (part.fieldname === 'encoding' && ['utf-8', 'windows-1251', 'auto'].includes(String(part.value))) {
      encoding = String(part.value) as typeof encoding;
    }
  }
  if (!saved) throw new AppError('accounting.opening.no_file', 400);
  return { ...saved, encoding };
}

export async function openingRoutes(
  app: App,
  ctx: {
    summaryBook: z.ZodTypeAny;
    summaryQuery: z.ZodObject<{ from: z.ZodString; to: z.ZodString; organisationId: z.ZodOptional<z.ZodCoercedNumber<unknown>> }>;
    tx: <T>(fn: (trx: Transaction<Database>) => Promise<T>) => Promise<T>;
    tags: string[];
  },
) {
  const tags = ctx.tags;
  const staff = (req: FastifyRequest) => requireRole(req.actor, 'librarian', 'admin');

  // ---- Reconciliation ----
  app.get('/api/fund/reconciliation', {
    schema: { tags, summary: 'Copies the library holds (not written off), how many stand in their register, how many do not',
      response: { 200: z.object({ copies: z.number(), booked: z.number(), unbooked: z.number() }) } },
  }, async (req) => reconciliation(app.db, staff(req)));
  app.get('/api/fund/unbooked', {
    schema: { tags, summary: 'Copies that stand in no register, in inventory-number order', querystring: z.object(page),
      response: { 200: z.object({ items: z.array(unbooked), total: z.number() }) } },
  }, async (req) => listUnbooked(app.db, staff(req), req.query));
  app.post('/api/fund/unbooked/book', {
    schema: { tags, summary: 'Put unbooked copies (the chosen ones, or all) on an opening-balance draft to be posted',
      body: z.object({ copyIds: z.array(id).max(100_000).optional(), openingId: id.optional() }),
      response: { 200: opening.extend({ added: z.number() }) } },
  }, async (req) => {
    const actor = staff(req);
    return withProblems(req.locale, () => ctx.tx((trx) => bookUnbooked(trx, actor, req.body)));
  });
  app.post('/api/fund/unbooked/drop', {
    schema: { tags, summary: 'Take never-booked copies out of the holdings (not the library\'s, or missing at a check); no register changes',
      body: z.object({ copyIds: z.array(id).min(1).max(10_000), reason: z.string().min(1).max(500) }), response: { 200: z.object({ dropped: z.number() }) } },
  }, async (req) => {
    const actor = staff(req);
    return ctx.tx((trx) => dropUnbooked(trx, actor, req.body));
  });

  // ---- Opening balance ----
  app.get('/api/fund/opening-balances', {
    schema: { tags, summary: 'Opening-balance documents (booking an existing fund), drafts and posted', response: { 200: z.object({ items: z.array(opening) }) } },
  }, async (req) => ({ items: await listOpenings(app.db, staff(req)) }));
  app.post('/api/fund/opening-balances', {
    schema: { tags, summary: 'Open a draft to book an existing fund as of a date', body: openingBody, response: { 201: opening } },
  }, async (req, reply) => {
    const actor = staff(req);
    reply.status(201);
    return ctx.tx((trx) => createOpening(trx, actor, req.body));
  });
  app.get('/api/fund/opening-balances/template.xlsx', {
    schema: { tags, summary: 'The template of an existing fund: one row per copy, headers in the request language', produces: [XLSX], response: { 200: file } },
  }, async (req, reply) => {
    staff(req);
    return send(reply, XLSX, 'opening-balance-template.xlsx', await templateXlsx(req.locale));
  });
  app.get('/api/fund/opening-balances/:id', {
    schema: { tags, summary: 'An opening balance: copies, sum, unpriced copies, gaps in the numbering', params: idParams, response: { 200: opening } },
  }, async (req) => getOpening(app.db, staff(req), req.params.id));
  app.patch('/api/fund/opening-balances/:id', {
    schema: { tags, summary: 'Correct the date or document of a draft', params: idParams, body: openingBody.partial(), response: { 200: opening } },
  }, async (req) => {
    const actor = staff(req);
    return ctx.tx((trx) => updateOpening(trx, actor, req.params.id, req.body));
  });
  app.delete('/api/fund/opening-balances/:id', {
    schema: { tags, summary: 'Delete a draft (nothing of it was on the books)', params: idParams, response: { 200: ok } },
  }, async (req) => {
    const actor = staff(req);
    await ctx.tx((trx) => deleteOpening(trx, actor, req.params.id));
    return { ok: true as const };
  });
  app.get('/api/fund/opening-balances/:id/rows', {
    schema: { tags, summary: 'The copies of a draft, in inventory-number order', params: idParams, querystring: z.object(page),
      response: { 200: z.object({ total: z.number(), items: z.array(z.object({
        id: z.number(), row: z.number().nullable(), copyId: z.number().nullable(), inventoryNumber: z.string(), barcode: z.string().nullable(),
        enteredOn: z.string(), title: z.string(), authors: z.string(), priceTiyn: z.number(), priceUnknown: z.boolean(), valuation: z.boolean(),
        fund: z.string(), publicationType: z.string(),
      })) }) } },
  }, async (req) => openingRows(app.db, staff(req), req.params.id, req.query));
  app.post('/api/fund/opening-balances/:id/rows', {
    schema: { tags, summary: 'Add copies to a draft: scanned barcodes of catalogued copies, chosen copy ids, or new copies with their numbers',
      params: idParams,
      body: z.object({ rows: z.array(rowInput.extend({
        work: z.object({
          title: z.string().max(500), author: z.string().max(300).nullish(), year: z.number().int().nullish(), bbk: z.string().max(50).nullish(),
          udc: z.string().max(50).nullish(), language: z.string().max(10).nullish(), publicationType: z.enum(PUBLICATION_TYPES_LIST).optional(),
        }).optional(),
      })).min(1).max(5_000) }),
      response: { 200: opening.extend({ added: z.number() }) } },
  }, async (req) => {
    const actor = staff(req);
    return withProblems(req.locale, () => addOpeningRows(app.db, actor, req.params.id, req.body.rows));
  });
  app.post('/api/fund/opening-balances/:id/file', {
    schema: { tags, summary: 'Load a template file (XLSX, or CSV in UTF-8 or Windows-1251) onto a draft, in chunks; errors by row and column',
      description: 'multipart/form-data: `file`; optional `encoding` (auto | utf-8 | windows-1251)', consumes: ['multipart/form-data'], params: idParams,
      response: { 200: opening.extend({ added: z.number() }) } },
  }, async (req) => {
    const actor = staff(req);
    const upload = await receiveUpload(req);
    try {
      return await withProblems(req.locale, () => loadOpeningFile(app.db, actor, req.params.id, upload.file, upload.format, upload.encoding));
    } finally {
      await fs.promises.rm(upload.file, { force: true });
    }
  });
  app.delete('/api/fund/opening-balances/:id/rows/:rowId', {
    schema: { tags, summary: 'Take a copy off a draft', params: z.object({ id, rowId: id }), response: { 200: opening } },
  }, async (req) => {
    const actor = staff(req);
    return ctx.tx((trx) => removeOpeningRow(trx, actor, req.params.id, req.params.rowId));
  });
  app.post('/api/fund/opening-balances/:id/post', {
    schema: { tags, summary: 'Post a draft: its copies enter the registers as a receipt of source "initial", in one step', params: idParams, response: { 200: opening } },
  }, async (req) => {
    const actor = staff(req);
    return withProblems(req.locale, () => ctx.tx((trx) => postOpening(trx, actor, req.params.id)));
  });

  // ---- The textbook fund's own summary book, and the books summed for an area ----
  app.get('/api/fund/summary-book/textbooks', {
    schema: { tags, summary: "The textbook fund's own summary book, reconciled with the textbook column of the single book", querystring: ctx.summaryQuery,
      response: { 200: z.any() } },
  }, async (req) => {
    const organisationId = await summaryBookLibrary(app.db, req.actor, req.query.organisationId);
    return buildTextbookSummaryBook(app.db, organisationId, req.query);
  });
  for (const format of ['pdf', 'xlsx'] as const) {
    app.get(`/api/fund/summary-book/textbooks.${format}`, {
      schema: { tags, summary: `The textbook fund's summary book as ${format.toUpperCase()}`, querystring: ctx.summaryQuery, produces: [format === 'pdf' ? PDF : XLSX], response: { 200: file } },
    }, async (req, reply) => {
      const organisationId = await summaryBookLibrary(app.db, req.actor, req.query.organisationId);
      const book = await buildTextbookSummaryBook(app.db, organisationId, req.query);
      const title = t(req.locale, 'accounting.book.textbook_summary_title');
      const body = format === 'pdf' ? await summaryBookPdf(book, req.locale, title) : await summaryBookXlsx(book, req.locale, title);
      return send(reply, format === 'pdf' ? PDF : XLSX, `textbook-summary-book-${req.query.from}-${req.query.to}.${format}`, body);
    });
  }
  app.get('/api/fund/area-summary', {
    schema: { tags, summary: 'The summary books of every library under a district, region or the republic, summed (methodologist)',
      querystring: z.object({ organisationId: id, from: isoDate, to: isoDate }), response: { 200: z.any() } },
  }, async (req) => buildAreaSummary(app.db, req.actor, req.query.organisationId, req.query));

  app.get('/api/fund/transfer-targets', {
    schema: { tags, summary: 'Libraries of the own district (or region) that may receive a transfer of books',
      response: { 200: z.object({ items: z.array(z.object({ id: z.number(), name: z.string() })) }) } },
  }, async (req) => {
    const actor = staff(req);
    const own = await app.db.selectFrom('org.organisations').select(['parent_id']).where('id', '=', actor.organisationId).executeTakeFirstOrThrow();
    const items = own.parent_id === null ? [] : await app.db
      .selectFrom('org.organisations')
      .select(['id', 'name'])
      .where('parent_id', '=', own.parent_id)
      .where('id', '!=', actor.organisationId)
      .where('kind', 'in', ['school', 'college', 'children_library'])
      .orderBy('name')
      .execute();
    return { items };
  });

  // ---- Acts for signing ----
  app.get('/api/fund/receipts/:id/act.pdf', {
    schema: { tags, summary: 'The receipt act for the acceptance commission to sign', params: idParams, querystring: commissionQuery, produces: [PDF], response: { 200: file } },
  }, async (req, reply) => {
    const body = await receiptActPdf(app.db, staff(req), req.params.id, req.locale, { ...(req.query.chair ? { chair: req.query.chair } : {}), members: members(req.query) });
    return send(reply, PDF, `receipt-act-${req.params.id}.pdf`, body);
  });
  app.get('/api/fund/write-off-acts/:id/act.pdf', {
    schema: { tags, summary: 'The write-off act with its commission and the head\'s approval, for signing', params: idParams, produces: [PDF], response: { 200: file } },
  }, async (req, reply) => send(reply, PDF, `write-off-act-${req.params.id}.pdf`, await writeOffActPdf(app.db, staff(req), req.params.id, req.locale)));
  app.get('/api/fund/checks/:id/act.pdf', {
    schema: { tags, summary: 'The fund-check act: found, missing, on loan, misplaced', params: idParams, querystring: commissionQuery, produces: [PDF], response: { 200: file } },
  }, async (req, reply) => {
    const body = await checkActPdf(app.db, staff(req), req.params.id, req.locale, { ...(req.query.chair ? { chair: req.query.chair } : {}), members: members(req.query) });
    return send(reply, PDF, `check-act-${req.params.id}.pdf`, body);
  });
}

const PUBLICATION_TYPES_LIST = ['book', 'brochure', 'periodical', 'audiovisual', 'electronic', 'sheet_music', 'map'] as const;
