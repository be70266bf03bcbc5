import { z } from 'zod';
import { requireRole } from '../auth/actor.js';
import type { Routes } from '../http/types.js';
import { findScannedCopy, getCopy, listCopies, toCopyView, updateCopy } from './copies.js';
import { libraryOf } from '../auth/actor.js';
import { inTransaction } from '../db/transaction.js';
import { invalid } from '../shared/errors.js';
import { libraryToday } from '../shared/library-time.js';
import { addReceiptLine, createReceipt } from './accounting/receipts.js';
import { RECEIPT_SOURCES } from './accounting/schema.js';
import { copySchema, copyStatusSchema, fundKindSchema, listedCopySchema } from './copies-schemas.js';
import { copyLabelSheet, SHEET } from './labels.js';

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const idParams = z.object({ id: z.coerce.number().int().positive() });
/** Copies are the library's own: its librarian works with them, or an admin attached to it. */
const KEEPERS = ['admin', 'librarian'] as const;

export const fundRoutes: Routes = async (app) => {
  const tags = ['copies'];

  app.get(
    '/api/copies',
    {
      schema: {
        tags,
        summary: "The own library's copies, by work, inventory number, barcode or title words",
        querystring: z.object({
          workId: z.coerce.number().int().positive().optional(),
          q: z.string().max(200).optional(),
          status: copyStatusSchema.optional(),
          fund: fundKindSchema.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ items: z.array(listedCopySchema), total: z.number() }) },
      },
    },
    async (req) => {
      const actor = requireRole(req.actor, ...KEEPERS);
      return listCopies(app.db, actor, req.query);
    },
  );

  app.post(
    '/api/copies',
    {
      schema: {
        tags,
        summary:
          'Add copies of a work to the own library, always on the books: on the given receipt, or on a new receipt dated ' +
          '`acquiredOn` (today) of the given source; a price of 0 is booked as unknown. Inventory numbers and barcodes are issued unless typed (one copy)',
        body: z.object({
          receiptId: z.number().int().positive().optional(),
          source: z.enum(RECEIPT_SOURCES).default('budget_purchase'),
          documentNumber: z.string().max(100).nullish(),
          workId: z.number().int().positive(),
          count: z.number().int().default(1),
          fund: fundKindSchema.default('main'),
          priceTiyn: z.number().int().default(0),
          location: z.string().max(200).nullable().optional(),
          acquiredOn: dateSchema.optional(),
          note: z.string().max(2000).nullable().optional(),
          inventoryNumber: z.string().max(50).optional(),
          barcode: z.string().max(50).optional(),
        }),
        response: { 201: z.object({ items: z.array(copySchema) }) },
      },
    },
    async (req, reply) => {
      const actor = requireRole(req.actor, ...KEEPERS);
      const body = req.body;
      if (!Number.isInteger(body.count) || body.count < 1 || body.count > 1000) throw invalid('fund.bad_count', { value: body.count });
      if (body.priceTiyn < 0) throw invalid('fund.bad_price', { value: body.priceTiyn });
      if (body.count > 1 && (body.inventoryNumber || body.barcode)) throw invalid('fund.numbers_for_one_copy');
      const items = await inTransaction(app.db, async (trx) => {
        const organisationId = libraryOf(actor);
        const receiptId = body.receiptId ?? (await createReceipt(trx, actor, {
          receivedOn: body.acquiredOn ?? (await libraryToday(trx, organisationId)),
          source: body.source,
          documentNumber: body.documentNumber ?? null,
        })).id;
        const line = await addReceiptLine(trx, actor, receiptId, {
          workId: body.workId,
          count: body.count,
          priceTiyn: body.priceTiyn,
          priceUnknown: body.priceTiyn === 0,
          fund: body.fund === 'off_balance' ? 'main' : body.fund,
          ...(body.fund === 'off_balance' ? { offBalance: true } : {}),
          location: body.location ?? null,
          ...(body.inventoryNumber ? { inventoryNumber: body.inventoryNumber } : {}),
          ...(body.barcode ? { barcode: body.barcode } : {}),
        });
        const ids = line.copies.map((c) => c.id);
        if (body.note) await trx.updateTable('fund.copies').set({ note: body.note }).where('id', 'in', ids).execute();
        const rows = await trx.selectFrom('fund.copies').selectAll().where('id', 'in', ids).orderBy('id').execute();
        return rows.map(toCopyView);
      });
      return reply.status(201).send({ items });
    },
  );

  app.get(
    '/api/copies/by-barcode/:barcode',
    {
      schema: {
        tags,
        summary: 'Find a copy of the own library by its scanned barcode, also when typed in a Cyrillic keyboard layout',
        params: z.object({ barcode: z.string().max(50) }),
        response: { 200: listedCopySchema },
      },
    },
    async (req) => {
      const actor = requireRole(req.actor, ...KEEPERS);
      return findScannedCopy(app.db, actor, req.params.barcode);
    },
  );

  app.get(
    '/api/copies/:id',
    { schema: { tags, summary: 'One copy of the own library', params: idParams, response: { 200: listedCopySchema } } },
    async (req) => {
      const actor = requireRole(req.actor, ...KEEPERS);
      return getCopy(app.db, actor, req.params.id);
    },
  );

  app.patch(
    '/api/copies/:id',
    {
      schema: {
        tags,
        summary: 'Correct a copy: numbers, fund, price, location; put it in repair or back on the shelf',
        params: idParams,
        body: z.object({
          inventoryNumber: z.string().max(50).optional(),
          barcode: z.string().max(50).optional(),
          fund: fundKindSchema.optional(),
          priceTiyn: z.number().int().optional(),
          location: z.string().max(200).nullable().optional(),
          note: z.string().max(2000).nullable().optional(),
          acquiredOn: dateSchema.optional(),
          status: z.enum(['available', 'in_repair']).optional(),
        }),
        response: { 200: copySchema },
      },
    },
    async (req) => {
      const actor = requireRole(req.actor, ...KEEPERS);
      return app.db.transaction().execute((trx) => updateCopy(trx, actor, req.params.id, req.body));
    },
  );

  app.post(
    '/api/copies/labels',
    {
      schema: {
        tags,
        summary: `Barcode labels (Code 128, inventory number, short title) for the chosen copies: an A4 sheet of ${SHEET.columns}×${SHEET.rows}`,
        body: z.object({
          copyIds: z.array(z.number().int().positive()).min(1).max(2400),
          startAt: z.number().int().min(0).max(SHEET.columns * SHEET.rows - 1).default(0),
        }),
        response: { 200: z.any().describe('application/pdf') },
      },
    },
    async (req, reply) => {
      const actor = requireRole(req.actor, ...KEEPERS);
      const pdf = await copyLabelSheet(app.db, actor, req.body.copyIds, req.body.startAt);
      return reply.type('application/pdf').header('content-disposition', 'inline; filename="labels.pdf"').send(pdf);
    },
  );
};
