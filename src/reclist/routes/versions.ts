import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import { inTransaction } from '../../db/transaction.js';
import type { Routes } from '../../http/types.js';
import { t } from '../../i18n/index.js';
import type { Locale } from '../../org/schema.js';
import { AppError } from '../../shared/errors.js';
import type { RowError } from '../list-file.js';
import { AGE_GROUPS } from '../schema.js';
import { diffVersions, importList, listEntries, listVersions, previewList } from '../versions.js';
import { category, fileDescription, page, readFile, tags, year } from './shared.js';

const rowError = z.object({ line: z.number(), code: z.string(), message: z.string() });
const categoryCount = z.object({ category, titles: z.number() });

const entrySchema = z.object({
  id: z.number(),
  position: z.number(),
  title: z.string(),
  author: z.string(),
  category,
  genre: z.string().nullable(),
  ageGroup: z.enum(AGE_GROUPS),
  language: z.string().nullable(),
  isbn: z.string().nullable(),
});

const translateRows = (locale: Locale, rows: RowError[]) =>
  rows.map((e) => ({ line: e.line, code: e.code, message: t(locale, e.code, e.params) }));

/** The per-line report of a refused import, in the reader's language. */
function withRowMessages(locale: Locale, err: unknown): unknown {
  if (err instanceof AppError && err.code === 'reclist.import_rejected') {
    const rows = (err.details as { rows: RowError[] }).rows;
    return new AppError(err.code, err.status, err.params, { rows: translateRows(locale, rows) });
  }
  return err;
}

/** The recommended list and its yearly versions: imported whole, checked line by line, compared year with year. */
export const versionRoutes: Routes = (app) => {
  app.get(
    '/api/reclist/versions',
    {
      schema: {
        tags,
        summary: 'Yearly versions of the recommended list, newest first, with titles per category',
        response: {
          200: z.object({
            items: z.array(z.object({ year: z.number(), sourceName: z.string().nullable(), importedAt: z.string(), titles: z.number(), byCategory: z.array(categoryCount) })),
            total: z.number(),
          }),
        },
      },
    },
    async (req) => {
      allow(req.actor, 'staffTeachersAndOverseers');
      const items = await listVersions(app.db);
      return { items, total: items.length };
    },
  );

  app.get(
    '/api/reclist/versions/:year/entries',
    {
      schema: {
        tags,
        summary: 'Titles of one year\'s list in list order',
        params: z.object({ year }),
        querystring: z.object({ category: category.optional(), ...page }),
        response: { 200: z.object({ items: z.array(entrySchema), total: z.number() }) },
      },
    },
    async (req) => {
      allow(req.actor, 'staffTeachersAndOverseers');
      return listEntries(app.db, req.params.year, req.query);
    },
  );

  app.post(
    '/api/reclist/versions/preview',
    {
      schema: {
        tags,
        summary: 'Checks a list file (CSV or XLSX, UTF-8 or Windows-1251) line by line and compares it with the previous year; stores nothing',
        description: fileDescription,
        consumes: ['multipart/form-data'],
        querystring: z.object({ year: year.optional() }),
        response: {
          200: z.object({
            year: z.number().nullable(),
            valid: z.number(),
            errors: z.array(rowError),
            byCategory: z.array(categoryCount),
            comparedWith: z.number().nullable(),
            added: z.number(),
            removed: z.number(),
            exists: z.boolean(),
          }),
        },
      },
    },
    async (req) => {
      allow(req.actor, 'admin');
      const { bytes } = await readFile(req);
      const preview = await previewList(app.db, bytes, req.query.year ?? null);
      return { ...preview, errors: translateRows(req.locale, preview.errors) };
    },
  );

  app.post(
    '/api/reclist/versions',
    {
      schema: {
        tags,
        summary: 'Imports a year\'s list, all or nothing: a file with any broken line is refused with the per-line report',
        description: fileDescription,
        consumes: ['multipart/form-data'],
        querystring: z.object({ year: year.optional() }),
        response: { 201: z.object({ year: z.number(), entries: z.number() }) },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'admin');
      const { bytes, filename } = await readFile(req);
      try {
        const result = await inTransaction(app.db, (trx) => importList(trx, actor, bytes, { year: req.query.year ?? null, sourceName: filename || null }));
        return reply.status(201).send(result);
      } catch (err) {
        throw withRowMessages(req.locale, err);
      }
    },
  );

  app.get(
    '/api/reclist/diff',
    {
      schema: {
        tags,
        summary: 'Titles added and removed between two years of the list',
        querystring: z.object({ from: year, to: year }),
        response: { 200: z.object({ from: z.number(), to: z.number(), added: z.array(entrySchema), removed: z.array(entrySchema), kept: z.number() }) },
      },
    },
    async (req) => {
      allow(req.actor, 'staffTeachersAndOverseers');
      return diffVersions(app.db, req.query.from, req.query.to);
    },
  );
};
