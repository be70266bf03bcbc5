import { z } from 'zod';
import { LANGUAGES, READER_GROUPS, REFERENCE_KINDS } from '../schema.js';

/** What the route modules of the reference service share: their tag, ids, replies and the fields they repeat. */
export const tags = ['reference service'];
export const id = z.coerce.number().int().positive();
export const ok = z.object({ ok: z.literal(true) });
export const created = z.object({ id: z.number() });
export const date = z.string().max(10).describe('YYYY-MM-DD');
export const text = (max: number) => z.string().max(max);
export const kind = z.enum(REFERENCE_KINDS);
export const group = z.enum(READER_GROUPS);
export const language = z.enum(LANGUAGES);
