import { z } from 'zod';
import type { Routes } from '../http/types.js';
import { findScannedCopy, getCopy, listCopies, markedParts, toCopyView, updateCopy } from './copies.js';
import { libraryOf } from '../auth/actor.js';
import { invalid } from '../shared/errors.js';
import { libraryToday } from '../shared/library-time.js';
import { addReceiptLine, createReceipt } from './accounting/receipts.js';
import { RECEIPT_SOURCES } from './accounting/schema.js';
import { copySchema, copyStatusSchema, fundKindSchema, listedCopySchema } from './copies-schemas.js';
import { copyLabelSheet, SHEET } from './labels.js';
import { inTransaction } from '../db/transaction.js';
import { allow } from '../auth/guard.js';
import { WRITE_OFF_REASONS } from './accounting/schema.js';
import { weedingList, weedingToAct } from './weeding.js';
import { buildBulletin, bulletinPdf } from './bulletin.js';

const bulletinEntry = z.object({
  workId: z.number(), description: z.string(), title: z.string(), authors: z.string(), publishYear: z.number().nullable(), bbk: z.string().nullable(),
  authorSign: z.string().nullable(), ageCategory: z.string().nullable(), copies: z.number(), receivedOn: z.string(),
});
const bulletinSchema = z.object({
  organisationId: z.number(), library: z.string(), from: z.string(), to: z.string(), titles: z.number(), copies: z.number(),
  groups: z.array(z.object({ group: z.string(), titles: z.number(), copies: z.number(), entries: z.array(bulletinEntry) })),
});
const bulletinQuery = z.object({
  organisationId: z.coerce.number().int().positive().optional(),
  from: z.string().max(10).optional(),
  to: z.string().max(10).optional(),
});

const weedingCandidate = z.object({
  copyId: z.number(), inventoryNumber: z.string(), barcode: z.string(), title: z.string(), authors: z.string(),
  publishYear: z.number().nullable(), bbk: z.string().nullable(), acquiredOn: z.string(), lastLoanOn: z.string().nullable(),
  status: z.string(), priceTiyn: z.number(), reasons: z.array(z.enum(['old_imprint', 'no_loans', 'in_repair'])),
});
const draftAct = z.object({
  id: z.number(), number: z.string(), kind: z.enum(['write_off', 'reversal']), reversesId: z.number().nullable(), reversedById: z.number().nullable(),
  actDate: z.string(), reason: z.enum(WRITE_OFF_REASONS), commission: z.array(z.string()), note: z.string().nullable(),
  status: z.enum(['draft', 'approved']), copiesCount: z.number(), sumTiyn: z.number(),
});

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const idParams = z.object({ id: z.coerce.number().int().positive() });
/** Copies are the library's own: its librarian works with them, or an admin attached to it. */

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
      const actor = allow(req.actor, 'staff');
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
          valuable: z.boolean().optional(),
          openAccess: z.boolean().optional(),
        }),
        response: { 201: z.object({ items: z.array(copySchema) }) },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'staff');
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
      const actor = allow(req.actor, 'staff');
      return findScannedCopy(app.db, actor, req.params.barcode);
    },
  );

  app.get(
    '/api/copies/:id',
    { schema: { tags, summary: 'One copy of the own library', params: idParams, response: { 200: listedCopySchema } } },
    async (req) => {
      const actor = allow(req.actor, 'staff');
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
          valuable: z.boolean().optional(),
          openAccess: z.boolean().optional(),
        }),
        response: { 200: copySchema },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return inTransaction(app.db, (trx) => updateCopy(trx, actor, req.params.id, req.body));
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
      const actor = allow(req.actor, 'staff');
      const pdf = await copyLabelSheet(app.db, actor, req.body.copyIds, req.body.startAt);
      return reply.type('application/pdf').header('content-disposition', 'inline; filename="labels.pdf"').send(pdf);
    },
  );

  app.get(
    '/api/fund/weeding',
    {
      schema: {
        tags,
        summary: 'Weeding list: copies on the shelf proposed for a planned write-off (old imprint, no loans for N years, in repair)',
        querystring: z.object({
          publishedUpTo: z.coerce.number().int().min(1450).max(2200).optional(),
          noLoansYears: z.coerce.number().int().optional(),
          inRepair: z.enum(['true', 'false']).optional(),
          fund: fundKindSchema.optional(),
          bbkPrefix: z.string().max(50).optional(),
          limit: z.coerce.number().int().min(1).max(5000).optional(),
        }),
        response: { 200: z.object({ items: z.array(weedingCandidate), total: z.number() }) },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return weedingList(app.db, actor, { ...req.query, inRepair: req.query.inRepair === 'true' });
    },
  );

  app.post(
    '/api/fund/weeding/act',
    {
      schema: {
        tags,
        summary: 'Turn the chosen weeding candidates into a draft write-off act in one step',
        body: z.object({
          copyIds: z.array(z.number().int().positive()).max(5000),
          reason: z.enum(WRITE_OFF_REASONS).optional(),
          actDate: dateSchema.optional(),
          commission: z.array(z.string().max(200)).max(10).optional(),
          note: z.string().max(2000).nullish(),
        }),
        response: { 201: draftAct },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'staff');
      const act = await app.db.transaction().execute((trx) => weedingToAct(trx, actor, req.body));
      return reply.status(201).send(act);
    },
  );

  /** Whose bulletin: the one named (the public catalogue of a school), else the signed-in member's own library. */
  const bulletinLibrary = (req: { actor: { organisationId: number } | null; query: { organisationId?: number } }) => {
    const id = req.query.organisationId ?? req.actor?.organisationId;
    if (!id) throw invalid('fund.bulletin_library_required');
    return id;
  };

  app.get(
    '/api/catalog/new-acquisitions',
    {
      schema: {
        tags: ['catalog'],
        summary: "A library's new acquisitions bulletin for a period (public), by knowledge domain; default period: this month",
        querystring: bulletinQuery,
        response: { 200: bulletinSchema },
      },
    },
    async (req) => buildBulletin(app.db, { organisationId: bulletinLibrary(req), from: req.query.from, to: req.query.to }),
  );

  app.get(
    '/api/catalog/new-acquisitions.pdf',
    { schema: { tags: ['catalog'], summary: 'The new acquisitions bulletin as a PDF (public)', querystring: bulletinQuery, response: { 200: z.any() } } },
    async (req, reply) => {
      const bulletin = await buildBulletin(app.db, { organisationId: bulletinLibrary(req), from: req.query.from, to: req.query.to });
      const pdf = await bulletinPdf(bulletin, req.locale);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="new-acquisitions-${bulletin.from}-${bulletin.to}.pdf"`).send(pdf);
    },
  );

  const markedPart = z.object({ copies: z.number(), sumTiyn: z.number(), byGroup: z.record(z.string(), z.number()) });
  app.get(
    '/api/copies/marked',
    {
      schema: {
        tags,
        summary: "The library's especially valuable copies and open-access fund in figures: copies, value, report groups",
        response: { 200: z.object({ valuable: markedPart, openAccess: markedPart }) },
      },
    },
    async (req) => markedParts(app.db, allow(req.actor, 'staff')),
  );
};
