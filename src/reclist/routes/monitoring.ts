import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import { inTransaction } from '../../db/transaction.js';
import type { Routes } from '../../http/types.js';
import { levelSummary, rankedSchools, refreshLevelFor, schoolFigures } from '../monitoring.js';
import { exportPackage, importPackage, ownPublicKey, trustSchoolKey } from '../packages.js';
import { attachment, category, categoryFigures, fileDescription, orgParam, page, periodQuery, readFile, tags, year } from './shared.js';

const boughtSchema = z.object({ year: z.number(), source: z.string(), copies: z.number() });
const fundSchema = z.object({
  copies: z.number(),
  fictionCopies: z.number(),
  kazakhCopies: z.number(),
  fictionShare: z.number(),
  kazakhShare: z.number(),
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

/** Monitoring upward: a level's figures and ranking, and the signed statistics packages schools on their own servers send. */
export const monitoringRoutes: Routes = (app) => {
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
      return inTransaction(app.db, (trx) => levelSummary(trx, actor, req.params.organisationId, req.query.period));
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
      return inTransaction(app.db, (trx) => rankedSchools(trx, actor, req.params.organisationId, req.query));
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
      return inTransaction(app.db, (trx) => refreshLevelFor(trx, actor, req.params.organisationId, req.query.period));
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
      return inTransaction(app.db, (trx) => schoolFigures(trx, actor, req.params.organisationId, req.query.period));
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
      const pkg = await inTransaction(app.db, (trx) => exportPackage(trx, actor, req.query.period));
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
      return inTransaction(app.db, (trx) => ownPublicKey(trx, actor));
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
      return inTransaction(app.db, (trx) => trustSchoolKey(trx, actor, req.params.organisationId, req.body.publicKey));
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
      return inTransaction(app.db, (trx) => importPackage(trx, actor, bytes));
    },
  );
};
