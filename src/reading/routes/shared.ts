import { z } from 'zod';

/** What the route modules of the reading movement share: its tag, parameters, and the shapes of records, periods and standings. */
export const tags = ['reading'];
export const PDF = { produces: ['application/pdf'], response: { 200: z.any().describe('application/pdf') } };
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date YYYY-MM-DD');
export const idParam = z.object({ id: z.coerce.number().int().positive() });
export const schoolYear = z.string().regex(/^\d{4}-\d{4}$/, 'Expected a school year such as 2024-2025');
export const periodQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  schoolYear: schoolYear.optional(),
  organisationId: z.coerce.number().int().positive().optional(),
});
export const lang = z.enum(['kk', 'ru']);
export const text = (max: number) => z.string().trim().min(1).max(max);
export const details = {
  pages: z.number().int().min(1).max(10000).nullable().optional(),
  minutes: z.number().int().min(1).max(1440).nullable().optional(),
  note: z.string().trim().max(1000).nullable().optional(),
};
export const bookBody = z.object({
  workId: z.number().int().positive().nullable().optional(),
  title: z.string().trim().max(500).nullable().optional(),
  author: z.string().trim().max(300).nullable().optional(),
  readOn: isoDate.optional(),
  ...details,
});

export const record = z.object({
  id: z.number(),
  readerId: z.number(),
  readerName: z.string(),
  className: z.string().nullable(),
  workId: z.number().nullable(),
  title: z.string(),
  author: z.string().nullable(),
  source: z.enum(['loan', 'reading_room', 'self']),
  loanId: z.number().nullable(),
  readOn: z.string(),
  schoolYear: z.string(),
  pages: z.number().nullable(),
  minutes: z.number().nullable(),
  note: z.string().nullable(),
  status: z.enum(['pending', 'confirmed', 'rejected']),
  confirmedAt: z.string().nullable(),
});
export const period = z.object({ from: z.string(), to: z.string(), label: z.string(), kind: z.enum(['year', 'school_year']) });
export const progress = z.object({ books: z.number(), pending: z.number(), goal: z.number(), reached: z.boolean(), share: z.number() });
export const classStanding = z.object({
  organisationId: z.number(),
  organisationName: z.string(),
  grade: z.number(),
  classLetter: z.string().nullable(),
  className: z.string(),
  pupils: z.number(),
  books: z.number(),
  readers: z.number(),
  booksPerPupil: z.number(),
  rank: z.number(),
});
export const readerStanding = z.object({
  readerId: z.number(),
  organisationId: z.number(),
  name: z.string().nullable(),
  className: z.string().nullable(),
  kind: z.string(),
  books: z.number(),
  pages: z.number(),
  rank: z.number(),
});
export const challenge = z.object({ id: z.number(), title: z.string(), startsOn: z.string(), endsOn: z.string(), days: z.number(), minutesPerDay: z.number(), entrants: z.number() });
export const card = z.object({
  challenge,
  readerId: z.number(),
  readerName: z.string(),
  className: z.string().nullable(),
  days: z.array(z.object({ day: z.string(), index: z.number(), state: z.enum(['stamped', 'logged', 'missed', 'today', 'ahead']), minutes: z.number().nullable(), note: z.string().nullable() })),
  stamped: z.number(),
  missed: z.number(),
  logged: z.number(),
});

/** A PDF answered inline under a file name. */
export const pdfReply = (reply: { type: (t: string) => { header: (k: string, v: string) => { send: (b: Buffer) => unknown } } }, name: string, pdf: Buffer) =>
  reply.type('application/pdf').header('content-disposition', `inline; filename="${name}.pdf"`).send(pdf);
