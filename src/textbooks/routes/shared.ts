import { z } from 'zod';
import { CONDITIONS } from '../schema.js';

/** What the route modules of the textbook fund share: its tag, ids, lists and the fields they repeat. */
export const tags = ['textbook fund'];
export const id = z.coerce.number().int().positive();
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
// Shapes are checked loosely here and precisely in the domain, which answers with a translated message.
export const schoolYear = z.string().max(9);
export const grade = z.coerce.number().int();
export const classLetter = z.string().min(1).max(3);
export const language = z.string().max(5);
export const condition = z.enum(CONDITIONS);
export const ok = z.object({ ok: z.literal(true) });
export const list = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), total: z.number() });
export const asList = <T>(items: T[]) => ({ items, total: items.length });
export const readerParams = z.object({ readerId: id });
