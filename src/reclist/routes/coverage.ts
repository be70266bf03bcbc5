import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import { inTransaction } from '../../db/transaction.js';
import type { Routes } from '../../http/types.js';
import { coverageWorkbook, getPurchaseRule, libraryCoverage, planWorkbook, purchasePlan, setPurchaseRule } from '../coverage.js';
import { AGE_GROUPS } from '../schema.js';
import { attachment, category, categoryFigures, libraryQuery, tags, XLSX } from './shared.js';

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

/** A library's coverage of the list and its purchase plan. */
export const coverageRoutes: Routes = (app) => {
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
      return inTransaction(app.db, (trx) => setPurchaseRule(trx, actor, req.body));
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
};
