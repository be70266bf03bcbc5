import { z } from 'zod';

/** What the route modules of the events area share: their tag, ids, replies and the fields they repeat. */
export const tags = ['events and plans'];
export const id = z.coerce.number().int().positive();
export const ok = z.object({ ok: z.literal(true) });
export const created = z.object({ id: z.number() });
export const schoolYear = z.string().max(9).describe('a school year such as 2024-2025');
export const date = z.string().max(10).describe('YYYY-MM-DD');
export const month = z.number().int().min(1).max(12);
export const text = (max: number) => z.string().max(max);

/** An exhibition with the works shown: the staff pages and the public page. */
export const exhibitionSchema = z.object({
  id: z.number(),
  title: z.string(),
  theme: z.string().nullable(),
  description: z.string().nullable(),
  startsOn: z.string(),
  endsOn: z.string(),
  place: z.string().nullable(),
  isPublic: z.boolean(),
  calendarKey: z.string().nullable(),
  scheduleItemId: z.number().nullable(),
  works: z.array(z.object({ workId: z.number(), title: z.string(), authors: z.string(), publishYear: z.number().nullable(), copies: z.number() })),
});
