import { z } from 'zod';

/** The API shapes of copies, shared by the fund's routes and the catalogue's record view. */
export const fundKindSchema = z.enum(['main', 'textbook', 'periodical', 'electronic', 'off_balance']);
export const copyStatusSchema = z.enum(['available', 'on_loan', 'in_repair', 'lost', 'written_off']);

export const copySchema = z.object({
  id: z.number(),
  workId: z.number(),
  inventoryNumber: z.string(),
  barcode: z.string(),
  fund: fundKindSchema,
  priceTiyn: z.number(),
  status: copyStatusSchema,
  location: z.string().nullable(),
  acquiredOn: z.string(),
  note: z.string().nullable(),
  valuable: z.boolean(),
  openAccess: z.boolean(),
});

/** A copy in a list: with the short description the librarian recognises it by. */
export const listedCopySchema = copySchema.extend({ title: z.string(), authors: z.string() });
