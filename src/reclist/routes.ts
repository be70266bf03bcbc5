import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Routes } from '../http/types.js';
import { t } from '../i18n/index.js';
import type { Locale } from '../org/schema.js';
import { AppError } from '../shared/errors.js';
import { coverageWorkbook, getPurchaseRule, libraryCoverage, planWorkbook, purchasePlan, setPurchaseRule } from './coverage.js';
import type { RowError } from './list-file.js';
import { decideMatch, entryMatches, linkCandidates, linkWork, matchingEntries, reviewQueue, runMatching, unlinkMatch } from './matching.js';
import { levelSummary, rankedSchools, refreshLevelFor, schoolFigures } from './monitoring.js';
import { exportPackage, importPackage, ownPublicKey, trustSchoolKey } from './packages.js';
import { AGE_GROUPS, CATEGORIES } from './schema.js';
import { diffVersions, importList, listEntries, listVersions, previewList } from './versions.js';
import { allow } from '../auth/guard.js';

const tags = ['recommended list'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const category = z.enum(CATEGORIES);
const year = z.coerce.number().int().min(2000).max(2100);
const page = { limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) };
const idParam = z.object({ id: z.coerce.number().int().positive() });
const orgParam = z.object({ organisationId: z.coerce.number().int().positive() });
const libraryQuery = z.object({ organisationId: z.coerce.number().int().positive().optional(), year: year.optional() });
const periodQuery = z.object({ period: year.optional() });

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
const matchStatus = z.enum(['confirmed', 'pending', 'rejected']);
const listEntrySchema = z.object({ title: z.string(), author: z.string(), category, isbn: z.string().nullable() });
const linkedWork = z.object({
  id: z.number(),
  title: z.string(),
  subtitle: z.string().nullable(),
  authors: z.string(),
  isbn: z.string().nullable(),
  publishYear: z.number().nullable(),
  publisher: z.string().nullable(),
  language: z.string().nullable(),
});
const categoryFigures = z.object({ category, titles: z.number(), held: z.number(), copies: z.number(), coverage: z.number() });
const boughtSchema = z.object({ year: z.number(), source: z.string(), copies: z.number() });
const fundSchema = z.object({
  copies: z.number(),
  fictionCopies: z.number(),
  kazakhCopies: z.number(),
  fictionShare: z.number(),
  kazakhShare: z.number(),
});
const coverageSchema = z.object({
  organisationId: z.number(),
  organisationName: z.string(),
  listYear: z.number(),
  titlesTotal: z.number(),
  titlesHeld: z.number(),
  coverage: z.number(),
  listCopies: z.number(),
  students: z.number(),
  copiesPer100Students: z.number().nullable(),
  byCategory: z.array(categoryFigures),
  titles: z.array(
    z.object({
      entryId: z.number(),
      position: z.number(),
      title: z.string(),
      author: z.string(),
      category,
      ageGroup: z.enum(AGE_GROUPS),
      copies: z.number(),
    }),
  ),
});
const ruleBody = z.object({
  studentsPerCopy: z.number().int().min(1).max(10_000),
  minCopies: z.number().int().min(0).max(1000),
  priceTiyn: z.number().int().min(0).max(100_000_000_00),
});
const ruleSchema = ruleBody.extend({ isDefault: z.boolean() });
const planSchema = z.object({
  organisationId: z.number(),
  organisationName: z.string(),
  listYear: z.number(),
  rule: ruleSchema,
  copiesToBuy: z.number(),
  sumTiyn: z.number(),
  lines: z.array(
    z.object({
      entryId: z.number(),
      title: z.string(),
      author: z.string(),
      category,
      ageGroup: z.enum(AGE_GROUPS),
      students: z.number(),
      needed: z.number(),
      held: z.number(),
      toBuy: z.number(),
      sumTiyn: z.number(),
    }),
  ),
  requested: z.array(
    z.object({ unmetId: z.number(), title: z.string(), author: z.string().nullable(), times: z.number(), source: z.enum(['desk', 'search', 'question']), toBuy: z.number(), sumTiyn: z.number() }),
  ),
  requestedCopies: z.number(),
  requestedSumTiyn: z.number(),
});
const summarySchema = z.object({
  organisation: z.object({ id: z.number(), name: z.string(), kind: z.string() }),
  period: z.number(),
  listYear: z.number().nullable(),
  libraries: z.number(),
  reporting: z.number(),
  completeLibraries: z.number(),
  titlesTotal: z.number(),
  titlesHeld: z.number(),
  coverage: z.number(),
  listCopies: z.number(),
  students: z.number(),
  copiesPer100Students: z.number().nullable(),
  fund: fundSchema,
  byCategory: z.array(categoryFigures),
  categoryShares: z.array(z.object({ category, share: z.number() })),
  bought: z.array(boughtSchema),
  oldestFigures: z.string().nullable(),
});
const rankedSchema = z.object({
  organisationId: z.number(),
  name: z.string(),
  code: z.string().nullable(),
  kind: z.string(),
  origin: z.enum(['local', 'package']).nullable(),
  titlesTotal: z.number().nullable(),
  titlesHeld: z.number().nullable(),
  coverage: z.number().nullable(),
  listCopies: z.number().nullable(),
  students: z.number().nullable(),
  copiesPer100Students: z.number().nullable(),
  copiesTotal: z.number().nullable(),
  computedAt: z.string().nullable(),
});
const schoolFiguresSchema = z.object({
  organisation: z.object({ id: z.number(), name: z.string(), code: z.string().nullable(), kind: z.string() }),
  period: z.number(),
  origin: z.enum(['local', 'package']),
  computedAt: z.string(),
  listYear: z.number(),
  titlesTotal: z.number(),
  titlesHeld: z.number(),
  coverage: z.number(),
  listCopies: z.number(),
  students: z.number(),
  copiesPer100Students: z.number().nullable(),
  fund: fundSchema,
  byCategory: z.array(categoryFigures),
  bought: z.array(boughtSchema),
});
const importResult = z.object({
  status: z.enum(['imported', 'unchanged']),
  organisationId: z.number(),
  period: z.number(),
  contentHash: z.string(),
});

const fileDescription = 'multipart/form-data with one `file`';

async function readFile(req: FastifyRequest): Promise<{ bytes: Buffer; filename: string }> {
  if (!req.isMultipart()) throw new AppError('reclist.no_file', 400);
  const file = await req.file();
  if (!file) throw new AppError('reclist.no_file', 400);
  return { bytes: await file.toBuffer(), filename: file.filename ?? '' };
}

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

const attachment = (name: string) => `attachment; filename="${name}"`;

export const reclistRoutes: Routes = async (app) => {
  // ---- the list and its yearly versions ----
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
        const result = await app.db
          .transaction()
          .execute((trx) => importList(trx, actor, bytes, { year: req.query.year ?? null, sourceName: filename || null }));
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

  // ---- matching list titles to catalogue records ----
  app.post(
    '/api/reclist/matching/run',
    {
      schema: {
        tags,
        summary: 'Matches the list\'s titles to catalogue records: confident matches applied, uncertain ones queued for review',
        body: z.object({ year: year.optional() }).optional(),
        response: {
          200: z.object({ year: z.number(), titles: z.number(), matchedTitles: z.number(), confirmed: z.number(), pending: z.number() }),
        },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return app.db.transaction().execute((trx) => runMatching(trx, actor, req.body?.year ?? null));
    },
  );

  app.get(
    '/api/reclist/matching/queue',
    {
      schema: {
        tags,
        summary: 'Proposed matches waiting for a person, the list title beside the catalogue record',
        querystring: z.object(page),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number(),
                method: z.string(),
                entry: z.object({ title: z.string(), author: z.string(), category, isbn: z.string().nullable() }),
                work: z.object({
                  id: z.number(),
                  title: z.string(),
                  authors: z.string(),
                  isbn: z.string().nullable(),
                  publishYear: z.number().nullable(),
                  publisher: z.string().nullable(),
                  language: z.string().nullable(),
                }),
              }),
            ),
            total: z.number(),
          }),
        },
      },
    },
    async (req) => {
      allow(req.actor, 'staff');
      return reviewQueue(app.db, req.query);
    },
  );

  for (const [action, decision] of [
    ['confirm', 'confirmed'],
    ['reject', 'rejected'],
  ] as const) {
    app.post(
      `/api/reclist/matches/:id/${action}`,
      {
        schema: {
          tags,
          summary: decision === 'confirmed' ? 'Confirms that a catalogue record is an edition of the list title' : 'Rejects a proposed match for good',
          params: idParam,
          response: { 200: z.object({ id: z.number(), status: z.enum(['confirmed', 'pending', 'rejected']) }) },
        },
      },
      async (req) => {
        const actor = allow(req.actor, 'staff');
        return app.db.transaction().execute((trx) => decideMatch(trx, actor, req.params.id, decision));
      },
    );
  }

  // ---- manual linking: what the matcher missed, and undoing what it got wrong ----
  app.get(
    '/api/reclist/matching/entries',
    {
      schema: {
        tags,
        summary: 'Titles of a year\'s list (the latest by default) with their linked editions and waiting proposals counted; q is folded like the catalogue search',
        querystring: z.object({
          year: year.optional(),
          q: z.string().max(200).optional(),
          unmatched: z.enum(['true', 'false']).optional().describe('only the titles without a confirmed edition'),
          ...page,
        }),
        response: {
          200: z.object({
            year: z.number(),
            items: z.array(
              z.object({
                id: z.number(),
                position: z.number(),
                title: z.string(),
                author: z.string(),
                category,
                isbn: z.string().nullable(),
                confirmed: z.number(),
                pending: z.number(),
              }),
            ),
            total: z.number(),
          }),
        },
      },
    },
    async (req) => {
      allow(req.actor, 'staff');
      return matchingEntries(app.db, { ...req.query, unmatched: req.query.unmatched === 'true' });
    },
  );

  app.get(
    '/api/reclist/entries/:id/matches',
    {
      schema: {
        tags,
        summary: 'One list title and every catalogue record linked, proposed or rejected for it',
        params: idParam,
        response: {
          200: z.object({
            entry: listEntrySchema.extend({ id: z.number(), year: z.number() }),
            matches: z.array(z.object({ id: z.number(), status: matchStatus, method: z.string(), decidedAt: z.string().nullable(), work: linkedWork })),
          }),
        },
      },
    },
    async (req) => {
      allow(req.actor, 'staff');
      return entryMatches(app.db, req.params.id);
    },
  );

  app.get(
    '/api/reclist/entries/:id/candidates',
    {
      schema: {
        tags,
        summary: 'Catalogue records to link to a list title, found by the folded catalogue search, with any decision already taken',
        params: idParam,
        querystring: z.object({ q: z.string().min(1).max(200), limit: z.coerce.number().int().min(1).max(50).default(20) }),
        response: {
          200: z.object({
            items: z.array(linkedWork.extend({ match: z.object({ id: z.number(), status: matchStatus }).nullable() })),
            total: z.number(),
          }),
        },
      },
    },
    async (req) => {
      allow(req.actor, 'staff');
      return linkCandidates(app.db, req.params.id, req.query);
    },
  );

  app.post(
    '/api/reclist/entries/:id/matches',
    {
      schema: {
        tags,
        summary: 'Links a catalogue record to a list title as one of its editions (a manual match, or confirms a proposed or rejected pair)',
        params: idParam,
        body: z.object({ workId: z.number().int().positive() }),
        response: { 200: z.object({ id: z.number(), status: matchStatus, method: z.string(), changed: z.boolean() }) },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return app.db.transaction().execute((trx) => linkWork(trx, actor, req.params.id, req.body.workId));
    },
  );

  app.post(
    '/api/reclist/matches/:id/unlink',
    {
      schema: {
        tags,
        summary: 'Unlinks a wrong confirmed match; the pair is remembered as rejected so matching never proposes it again',
        params: idParam,
        response: { 200: z.object({ id: z.number(), status: matchStatus }) },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return app.db.transaction().execute((trx) => unlinkMatch(trx, actor, req.params.id));
    },
  );

  // ---- a library's coverage and purchase plan ----
  app.get(
    '/api/reclist/coverage',
    {
      schema: {
        tags,
        summary: 'Which list titles a library holds, copies, copies per 100 students, what is missing, by category (live)',
        querystring: libraryQuery,
        response: { 200: coverageSchema },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staffAndOverseers');
      return libraryCoverage(app.db, actor, req.query);
    },
  );

  app.get(
    '/api/reclist/coverage.xlsx',
    { schema: { tags, summary: 'The coverage as an XLSX workbook', querystring: libraryQuery, produces: [XLSX], response: { 200: z.any().describe(XLSX) } } },
    async (req, reply) => {
      const actor = allow(req.actor, 'staffAndOverseers');
      const coverage = await libraryCoverage(app.db, actor, req.query);
      const file = await coverageWorkbook(coverage, req.locale);
      return reply.type(XLSX).header('content-disposition', attachment(`coverage-${coverage.listYear}.xlsx`)).send(file);
    },
  );

  app.get(
    '/api/reclist/purchase-rule',
    { schema: { tags, summary: 'The library\'s rule for its purchase plan', querystring: z.object({ organisationId: libraryQuery.shape.organisationId }), response: { 200: ruleSchema } } },
    async (req) => {
      const actor = allow(req.actor, 'staffAndOverseers');
      return getPurchaseRule(app.db, actor, req.query.organisationId);
    },
  );

  app.put(
    '/api/reclist/purchase-rule',
    { schema: { tags, summary: 'Sets the own library\'s rule: one copy per N students of the age group, a minimum, a price', body: ruleBody, response: { 200: ruleSchema } } },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return app.db.transaction().execute((trx) => setPurchaseRule(trx, actor, req.body));
    },
  );

  app.get(
    '/api/reclist/purchase-plan',
    { schema: { tags, summary: 'Copies to buy to close the gaps under the library\'s rule, with the estimated sum', querystring: libraryQuery, response: { 200: planSchema } } },
    async (req) => {
      const actor = allow(req.actor, 'staffAndOverseers');
      return purchasePlan(app.db, actor, req.query);
    },
  );

  app.get(
    '/api/reclist/purchase-plan.xlsx',
    { schema: { tags, summary: 'The purchase plan as an XLSX workbook', querystring: libraryQuery, produces: [XLSX], response: { 200: z.any().describe(XLSX) } } },
    async (req, reply) => {
      const actor = allow(req.actor, 'staffAndOverseers');
      const plan = await purchasePlan(app.db, actor, req.query);
      const file = await planWorkbook(plan, req.locale);
      return reply.type(XLSX).header('content-disposition', attachment(`purchase-plan-${plan.listYear}.xlsx`)).send(file);
    },
  );

  // ---- monitoring upward ----
  app.get(
    '/api/reclist/monitoring/:organisationId/summary',
    {
      schema: {
        tags,
        summary: 'A district, region or the republic: list coverage, purchases per year and source, category shares, fund statistics',
        params: orgParam,
        querystring: periodQuery,
        response: { 200: summarySchema },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staffAndOverseers');
      return app.db.transaction().execute((trx) => levelSummary(trx, actor, req.params.organisationId, req.query.period));
    },
  );

  app.get(
    '/api/reclist/monitoring/:organisationId/schools',
    {
      schema: {
        tags,
        summary: 'The level\'s libraries ranked by list coverage, weakest first',
        params: orgParam,
        querystring: z.object({ ...page, period: year.optional() }),
        response: { 200: z.object({ items: z.array(rankedSchema), total: z.number() }) },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staffAndOverseers');
      return app.db.transaction().execute((trx) => rankedSchools(trx, actor, req.params.organisationId, req.query));
    },
  );

  app.post(
    '/api/reclist/monitoring/:organisationId/refresh',
    {
      schema: {
        tags,
        summary: 'Recomputes the statistics of the level\'s own-server libraries now',
        params: orgParam,
        querystring: periodQuery,
        response: { 200: z.object({ schools: z.number() }) },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'overseers');
      return app.db.transaction().execute((trx) => refreshLevelFor(trx, actor, req.params.organisationId, req.query.period));
    },
  );

  app.get(
    '/api/reclist/schools/:organisationId/figures',
    {
      schema: {
        tags,
        summary: 'One library\'s figures, recomputed now (or as its last package said)',
        params: orgParam,
        querystring: periodQuery,
        response: { 200: schoolFiguresSchema },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staffAndOverseers');
      return app.db.transaction().execute((trx) => schoolFigures(trx, actor, req.params.organisationId, req.query.period));
    },
  );

  // ---- signed statistics packages ----
  app.get(
    '/api/reclist/package',
    {
      schema: {
        tags,
        summary: 'The school side: its statistics for the period as a signed package file',
        querystring: periodQuery,
        produces: ['application/json'],
        response: { 200: z.any().describe('the package file') },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'staff');
      const pkg = await app.db.transaction().execute((trx) => exportPackage(trx, actor, req.query.period));
      const name = `reclist-stats-${pkg.payload.schoolCode}-${pkg.payload.period}.json`;
      return reply.type('application/json').header('content-disposition', attachment(name)).send(Buffer.from(JSON.stringify(pkg, null, 2)));
    },
  );

  app.get(
    '/api/reclist/package/public-key',
    {
      schema: {
        tags,
        summary: 'The school side: the public key to give the district server',
        response: { 200: z.object({ organisationId: z.number(), schoolCode: z.string().nullable(), publicKey: z.string() }) },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'staff');
      return app.db.transaction().execute((trx) => ownPublicKey(trx, actor));
    },
  );

  app.put(
    '/api/reclist/trusted-keys/:organisationId',
    {
      schema: {
        tags,
        summary: 'The district side: trusts a school\'s public key for its statistics packages',
        params: orgParam,
        body: z.object({ publicKey: z.string().min(1).max(2000) }),
        response: { 200: z.object({ organisationId: z.number() }) },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'overseers');
      return app.db.transaction().execute((trx) => trustSchoolKey(trx, actor, req.params.organisationId, req.body.publicKey));
    },
  );

  app.post(
    '/api/reclist/packages',
    {
      schema: {
        tags,
        summary: 'The district side: imports a school\'s signed package; the same content twice changes nothing',
        description: fileDescription,
        consumes: ['multipart/form-data'],
        response: { 200: importResult },
      },
    },
    async (req) => {
      const actor = allow(req.actor, 'overseers');
      const { bytes } = await readFile(req);
      return app.db.transaction().execute((trx) => importPackage(trx, actor, bytes));
    },
  );
};
