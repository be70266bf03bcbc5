import { z } from 'zod';
import type { Routes } from '../http/types.js';
import { addCopies, findScannedCopy, getCopy, listCopies, updateCopy } from './copies.js';
import { copySchema, copyStatusSchema, fundKindSchema, listedCopySchema } from './copies-schemas.js';
import { copyLabelSheet, SHEET } from './labels.js';
import { inTransaction } from '../db/transaction.js';
import { allow } from '../auth/guard.js';

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
        summary: 'Add copies of a work to the own library; inventory numbers and barcodes are issued unless typed (one copy)',
        body: z.object({
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
      const actor = allow(req.actor, 'staff');
      const items = await inTransaction(app.db, (trx) => addCopies(trx, actor, req.body));
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
};
