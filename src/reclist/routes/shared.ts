import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { CATEGORIES } from '../schema.js';

/** What the route modules of the recommended list share: its tag, parameters, figures and the file upload. */
export const tags = ['recommended list'];
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const category = z.enum(CATEGORIES);
export const year = z.coerce.number().int().min(2000).max(2100);
export const page = { limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) };
export const idParam = z.object({ id: z.coerce.number().int().positive() });
export const orgParam = z.object({ organisationId: z.coerce.number().int().positive() });
export const libraryQuery = z.object({ organisationId: z.coerce.number().int().positive().optional(), year: year.optional() });
export const periodQuery = z.object({ period: year.optional() });
export const categoryFigures = z.object({ category, titles: z.number(), held: z.number(), copies: z.number(), coverage: z.number() });

export const fileDescription = 'multipart/form-data with one `file`';

export async function readFile(req: FastifyRequest): Promise<{ bytes: Buffer; filename: string }> {
  if (!req.isMultipart()) throw new AppError('reclist.no_file', 400);
  const file = await req.file();
  if (!file) throw new AppError('reclist.no_file', 400);
  return { bytes: await file.toBuffer(), filename: file.filename ?? '' };
}

export const attachment = (name: string) => `attachment; filename="${name}"`;
