import { z } from 'zod';
import { ACCESSIBLE_FORMATS, PUBLICATION_TYPES } from '../schema.js';

/** What the route modules of the catalogue share: its tag, ids, and the shapes of a record and an author. */
export const tags = ['catalog'];
const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export const idParams = z.object({ id: z.coerce.number().int().positive() });
const text = (max: number) => z.string().max(max).nullable().optional();

export const authorInputSchema = z.object({
  name: z.string().max(300),
  variants: z.array(z.string().max(300)).max(50).optional(),
  birthDate: dateSchema.nullable().optional(),
  deathDate: dateSchema.nullable().optional(),
  note: text(2000),
});

export const authorSchema = z.object({
  id: z.number(),
  name: z.string(),
  variants: z.array(z.string()),
  birthDate: z.string().nullable(),
  deathDate: z.string().nullable(),
  note: z.string().nullable(),
});

const roleSchema = z.enum(['author', 'editor', 'translator', 'illustrator', 'compiler']);
export const workFields = {
  title: z.string().max(1000),
  subtitle: text(1000),
  isbn: text(40),
  publisher: text(300),
  publishPlace: text(200),
  publishYear: z.number().int().nullable().optional(),
  language: text(8),
  pages: z.number().int().positive().nullable().optional(),
  bbk: text(100),
  udc: text(100),
  knowledgeGroup: text(100),
  genre: text(100),
  ageRating: text(8),
  ageCategory: text(8),
  annotation: text(10000),
  coverUrl: z.url().max(1000).nullable().optional(),
  parallelTitle: text(1000),
  responsibility: text(1000),
  edition: text(300),
  series: text(500),
  authorSign: text(20),
  accessibleFormat: z.enum(ACCESSIBLE_FORMATS).nullable().optional(),
  publicationType: z.enum(PUBLICATION_TYPES).optional(),
  subjectHeadings: z.array(z.string().max(300)).max(50).optional(),
  authors: z.array(authorInputSchema.extend({ role: roleSchema.optional() })).max(50).optional(),
  authorIds: z.array(z.object({ id: z.number().int().positive(), role: roleSchema.optional() })).max(50).optional(),
};

export const workSchema = z.object({
  id: z.number(),
  title: z.string(),
  subtitle: z.string().nullable(),
  isbn: z.string().nullable(),
  publisher: z.string().nullable(),
  publishPlace: z.string().nullable(),
  publishYear: z.number().nullable(),
  language: z.string().nullable(),
  pages: z.number().nullable(),
  bbk: z.string().nullable(),
  udc: z.string().nullable(),
  knowledgeGroup: z.string().nullable(),
  genre: z.string().nullable(),
  ageRating: z.string().nullable(),
  ageCategory: z.string().nullable(),
  annotation: z.string().nullable(),
  coverUrl: z.string().nullable(),
  parallelTitle: z.string().nullable(),
  responsibility: z.string().nullable(),
  edition: z.string().nullable(),
  series: z.string().nullable(),
  authorSign: z.string().nullable(),
  accessibleFormat: z.enum(ACCESSIBLE_FORMATS).nullable(),
  publicationType: z.enum(PUBLICATION_TYPES),
  subjectHeadings: z.array(z.string()),
  authors: z.array(authorSchema.extend({ role: z.string() })),
});
