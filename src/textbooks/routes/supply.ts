import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import { inTransaction } from '../../db/transaction.js';
import type { Routes } from '../../http/types.js';
import { textbookOrder, textbookOrderXlsx } from '../order.js';
import { supplyOverview } from '../overview.js';
import { RAID_CONDITIONS } from '../schema.js';
import { completeSets, listRaids, recordRaid } from '../sets.js';
import { asList, classLetter, grade, id, isoDate, list, schoolYear, tags } from './shared.js';

const order = z.object({
  schoolYear: z.string(), organisationName: z.string(),
  expected: z.array(z.object({ grade: z.number(), language: z.string(), students: z.number(), source: z.enum(['promoted', 'forecast']) })),
  lines: z.array(z.object({
    workId: z.number(), title: z.string(), subjects: z.string(), grades: z.array(z.number()), needed: z.number(), usable: z.number(),
    toOrder: z.number(), lastPriceTiyn: z.number(), sumTiyn: z.number(),
  })),
  totalCopies: z.number(), totalSumTiyn: z.number(),
});

const schoolSupply = z.object({
  organisationId: z.number(), name: z.string(), students: z.number(), titles: z.number(), received: z.number(), writtenOff: z.number(),
  withStudents: z.number(), usable: z.number(), unusable: z.number(), lost: z.number(), perStudent: z.number(),
});

const setsTally = { students: z.number(), complete: z.number(), sharePercent: z.number().nullable() };
const setsReport = z.object({
  schoolYear: z.string(), ...setsTally,
  schools: z.array(z.object({
    organisationId: z.number(), name: z.string(), ...setsTally,
    grades: z.array(z.object({ grade: z.number(), ...setsTally })),
    classes: z.array(z.object({ grade: z.number(), classLetter: z.string(), language: z.string(), titles: z.number(), ...setsTally })),
  })),
});

const raidCondition = z.enum(RAID_CONDITIONS);
const raid = z.object({
  id: z.number(), schoolYear: z.string(), grade: z.number(), classLetter: z.string(), raidOn: z.string(), note: z.string().nullable(),
  counts: z.object({ good: z.number(), worn: z.number(), unusable: z.number(), absent: z.number() }),
  lines: z.array(z.object({ readerId: z.number(), name: z.string(), workId: z.number(), title: z.string(), condition: raidCondition, note: z.string().nullable() })),
});

/** The supply of the schools in figures, next year's order, complete sets and raids on classes. */
export const supplyRoutes: Routes = (app) => {
  // ---- Supply of the schools of a district or region (figures only) ----
  app.get('/api/textbooks/overview', {
    schema: { tags, summary: 'Textbook supply of every school under an organisation, in figures only',
      querystring: z.object({ organisationId: id.optional() }), response: { 200: list(schoolSupply) } },
  }, async (req) => asList(await supplyOverview(app.db, req.actor, req.query)));

  // ---- Next year's order ----
  app.get('/api/textbooks/order', {
    schema: { tags, summary: 'Next year’s order: expected students × curriculum − usable copies', querystring: z.object({ schoolYear }),
      response: { 200: order } },
  }, async (req) => textbookOrder(app.db, allow(req.actor, 'staff'), req.query));

  app.get('/api/textbooks/order.xlsx', {
    schema: { tags, summary: 'Next year’s order as a spreadsheet', querystring: z.object({ schoolYear }), response: { 200: z.any() } },
  }, async (req, reply) => {
    const result = await textbookOrder(app.db, allow(req.actor, 'staff'), req.query);
    const body = await textbookOrderXlsx(result, req.locale);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="textbook-order-${result.schoolYear}.xlsx"`)
      .send(body);
  });

  // ---- Complete sets, raids, the ministry's lists, papers ----
  app.get('/api/textbooks/complete-sets', {
    schema: { tags, summary: 'Share of pupils holding their complete set of textbooks, per class, grade and school, summed over an organisation',
      querystring: z.object({ schoolYear, organisationId: id.optional() }), response: { 200: setsReport } },
  }, async (req) => completeSets(app.db, req.actor, req.query));

  app.get('/api/textbooks/raids', {
    schema: { tags, summary: 'Raids of the library (newest first), optionally of one class',
      querystring: z.object({ grade: grade.optional(), classLetter: classLetter.optional() }), response: { 200: list(raid) } },
  }, async (req) => asList(await listRaids(app.db, allow(req.actor, 'staff'), req.query)));

  app.post('/api/textbooks/raids', {
    schema: { tags, summary: 'Record a raid on a class: the condition of each copy each pupil holds',
      body: z.object({
        schoolYear, grade: z.number().int(), classLetter, raidOn: isoDate.optional(), note: z.string().max(2000).nullish(),
        lines: z.array(z.object({ readerId: z.number().int().positive(), workId: z.number().int().positive(), condition: z.string().max(20), note: z.string().max(500).nullish() })).max(2000),
      }),
      response: { 201: raid } },
  }, async (req, reply) => {
    const actor = allow(req.actor, 'staff');
    reply.status(201);
    return inTransaction(app.db, (trx) => recordRaid(trx, actor, req.body as Parameters<typeof recordRaid>[2]));
  });

};
