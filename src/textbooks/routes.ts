import { z } from 'zod';
import { RECEIPT_SOURCES } from '../fund/accounting/schema.js';
import type { Routes } from '../http/types.js';
import {
  addCurriculumItem, copyCurriculum, deleteCurriculumItem, listClassLanguages, listCurriculum, listForecasts,
  setClassLanguage, setForecast, updateCurriculumItem,
} from './curriculum.js';
import { listChecks, recordCheck } from './checks.js';
import { classDiagnosis, issueSetToClass, issueToStudent, returnFromClass, returnFromStudent, studentRecord } from './issues.js';
import { textbookOrder, textbookOrderXlsx } from './order.js';
import { supplyOverview } from './overview.js';
import { CONDITIONS, WRITE_OFF_REASONS } from './schema.js';
import { listBatches, listStock, listWriteOffs, receiveTextbooks, stampBatches, writeOffTextbooks } from './stock.js';
import { inTransaction, type Trx } from '../db/transaction.js';
import { allow } from '../auth/guard.js';

const id = z.coerce.number().int().positive();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
// Shapes are checked loosely here and precisely in the domain, which answers with a translated message.
const schoolYear = z.string().max(9);
const grade = z.coerce.number().int();
const classLetter = z.string().min(1).max(3);
const language = z.string().max(5);
const condition = z.enum(CONDITIONS);
const ok = z.object({ ok: z.literal(true) });
const list = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), total: z.number() });
const asList = <T>(items: T[]) => ({ items, total: items.length });

const curriculumItem = z.object({
  id: z.number(), schoolYear: z.string(), grade: z.number(), subject: z.string(), workId: z.number(), title: z.string(),
  language: z.string(), copiesPerStudent: z.number(),
});
const classLanguage = z.object({ grade: z.number().int(), classLetter: z.string(), language: z.string() });
const forecast = z.object({ schoolYear: z.string(), grade: z.number().int(), language: z.string(), expected: z.number().int() });
const batch = z.object({
  id: z.number(), receiptId: z.number(), receiptNumber: z.string(), receivedOn: z.string(), source: z.string(), workId: z.number(),
  title: z.string(), schoolYear: z.string(), copiesCount: z.number(), priceTiyn: z.number(), sumTiyn: z.number(),
  stampedOn: z.string().nullable(),
});
const stockLine = z.object({
  workId: z.number(), title: z.string(), received: z.number(), writtenOff: z.number(), good: z.number(), worn: z.number(),
  unusable: z.number(), lost: z.number(), issued: z.number(), usable: z.number(), averagePriceTiyn: z.number(),
});
const writeOff = z.object({
  id: z.number(), number: z.string(), actDate: z.string(), reason: z.enum(WRITE_OFF_REASONS), note: z.string().nullable(),
  lines: z.array(z.object({ workId: z.number(), title: z.string(), condition, copiesCount: z.number(), sumTiyn: z.number() })),
  copiesCount: z.number(), sumTiyn: z.number(),
});
const diagnosis = z.object({
  schoolYear: z.string(), grade: z.number(), classLetter: z.string(), language: z.string(), studentsCount: z.number(),
  titles: z.array(z.object({
    workId: z.number(), title: z.string(), subject: z.string(), copiesPerStudent: z.number(), needed: z.number(), issued: z.number(),
    lacking: z.number(), available: z.number(), shortage: z.number(),
  })),
  students: z.array(z.object({
    readerId: z.number(), name: z.string(), complete: z.boolean(),
    items: z.array(z.object({ workId: z.number(), held: z.number(), missing: z.number() })),
  })),
});
const setIssue = z.object({
  issuedCopies: z.number(),
  notIssued: z.array(z.object({ readerId: z.number(), name: z.string(), workId: z.number(), title: z.string(), missing: z.number() })),
});
const record = z.object({
  readerId: z.number(), name: z.string(), grade: z.number().nullable(), classLetter: z.string().nullable(), holding: z.number(),
  issues: z.array(z.object({
    id: z.number(), workId: z.number(), title: z.string(), schoolYear: z.string(), issuedOn: z.string(),
    issuedCondition: z.enum(['good', 'worn']), barcode: z.string().nullable(), returnedOn: z.string().nullable(),
    returnCondition: condition.nullable(),
  })),
});
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
const counts = z.object({ good: z.number(), worn: z.number(), unusable: z.number() });
const check = z.object({
  id: z.number(), checkedOn: z.string(), note: z.string().nullable(), missing: z.number(),
  lines: z.array(z.object({ workId: z.number(), title: z.string(), expected: counts, counted: counts, missing: z.number() })),
});
const readerParams = z.object({ readerId: id });
const returnItem = z.object({ workId: z.number().int().positive().optional(), barcode: z.string().max(40).nullish(), condition });

export const textbooksRoutes: Routes = async (app) => {
  const tags = ['textbook fund'];
  const tx = <T>(fn: (trx: Trx) => Promise<T>) => inTransaction(app.db, fn);

  // ---- Curriculum list ----
  app.get('/api/textbooks/curriculum', {
    schema: { tags, summary: 'The textbooks each grade needs in a school year',
      querystring: z.object({ schoolYear, grade: grade.optional(), language: language.optional() }), response: { 200: list(curriculumItem) } },
  }, async (req) => asList(await listCurriculum(app.db, allow(req.actor, 'staff'), req.query)));

  app.post('/api/textbooks/curriculum', {
    schema: { tags, summary: 'Put a textbook on the list of a grade',
      body: z.object({ schoolYear, grade: z.number().int(), subject: z.string().max(200), workId: z.number().int().positive(), language, copiesPerStudent: z.number().int().optional() }),
      response: { 201: curriculumItem } },
  }, async (req, reply) => {
    const actor = allow(req.actor, 'staff');
    reply.status(201);
    return tx((trx) => addCurriculumItem(trx, actor, req.body));
  });

  app.patch('/api/textbooks/curriculum/:id', {
    schema: { tags, summary: 'Change the subject or copies per student of a list row', params: z.object({ id }),
      body: z.object({ subject: z.string().max(200).optional(), copiesPerStudent: z.number().int().optional() }), response: { 200: curriculumItem } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return tx((trx) => updateCurriculumItem(trx, actor, req.params.id, req.body));
  });

  app.delete('/api/textbooks/curriculum/:id', {
    schema: { tags, summary: 'Take a textbook off the list', params: z.object({ id }), response: { 200: ok } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    await tx((trx) => deleteCurriculumItem(trx, actor, req.params.id));
    return { ok: true as const };
  });

  app.post('/api/textbooks/curriculum/copy', {
    schema: { tags, summary: 'Start a school year’s list from another year’s', body: z.object({ fromYear: schoolYear, toYear: schoolYear }),
      response: { 200: z.object({ copied: z.number() }) } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return tx((trx) => copyCurriculum(trx, actor, req.body));
  });

  // ---- Languages of instruction and expected first graders ----
  app.get('/api/textbooks/class-languages', {
    schema: { tags, summary: 'Languages of instruction of the classes (Kazakh unless listed)', response: { 200: list(classLanguage) } },
  }, async (req) => asList(await listClassLanguages(app.db, allow(req.actor, 'staff'))));

  app.put('/api/textbooks/class-languages', {
    schema: { tags, summary: 'Set the language of instruction of a class', body: z.object({ grade: z.number().int(), classLetter, language }),
      response: { 200: classLanguage } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return tx((trx) => setClassLanguage(trx, actor, req.body));
  });

  app.get('/api/textbooks/forecasts', {
    schema: { tags, summary: 'Students expected in grades no current grade feeds (first graders)', querystring: z.object({ schoolYear }),
      response: { 200: list(forecast) } },
  }, async (req) => asList(await listForecasts(app.db, allow(req.actor, 'staff'), req.query.schoolYear)));

  app.put('/api/textbooks/forecasts', {
    schema: { tags, summary: 'Enter the students expected in a grade next year',
      body: z.object({ schoolYear, grade: z.number().int(), language, expected: z.number().int() }), response: { 200: forecast } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return tx((trx) => setForecast(trx, actor, req.body));
  });

  // ---- Receipt, stock and write-off ----
  app.get('/api/textbooks/receipts', {
    schema: { tags, summary: 'Batches of textbooks received, newest first',
      querystring: z.object({ schoolYear: schoolYear.optional(), unstamped: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }),
      response: { 200: list(batch) } },
  }, async (req) => asList(await listBatches(app.db, allow(req.actor, 'staff'), req.query)));

  app.post('/api/textbooks/receipts', {
    schema: { tags, summary: 'Receive textbooks by title and count with a receipt document of the fund',
      body: z.object({
        receiptId: z.number().int().positive().optional(), receivedOn: isoDate, source: z.enum(RECEIPT_SOURCES),
        documentNumber: z.string().max(100).nullish(), supplier: z.string().max(300).nullish(), note: z.string().max(1000).nullish(),
        schoolYear, lines: z.array(z.object({ workId: z.number().int().positive(), count: z.number().int(), priceTiyn: z.number().int() })).max(500),
      }),
      response: { 201: list(batch) } },
  }, async (req, reply) => {
    const actor = allow(req.actor, 'staff');
    reply.status(201);
    return asList(await tx((trx) => receiveTextbooks(trx, actor, req.body)));
  });

  app.post('/api/textbooks/receipts/stamp', {
    schema: { tags, summary: 'Note that batches were stamped as the library’s property',
      body: z.object({ batchIds: z.array(z.number().int().positive()).max(500), stampedOn: isoDate.optional() }), response: { 200: list(batch) } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return asList(await tx((trx) => stampBatches(trx, actor, req.body)));
  });

  app.get('/api/textbooks/stock', {
    schema: { tags, summary: 'The textbook fund by title: received, written off, on the shelf by condition, with students',
      response: { 200: list(stockLine) } },
  }, async (req) => asList(await listStock(app.db, allow(req.actor, 'staff'))));

  app.get('/api/textbooks/write-offs', {
    schema: { tags, summary: 'Write-off acts of the textbook fund', response: { 200: list(writeOff) } },
  }, async (req) => asList(await listWriteOffs(app.db, allow(req.actor, 'staff'))));

  app.post('/api/textbooks/write-offs', {
    schema: { tags, summary: 'Write textbooks off by count: wear, loss or curriculum change',
      body: z.object({
        actDate: isoDate.optional(), reason: z.enum(WRITE_OFF_REASONS), note: z.string().max(1000).nullish(),
        lines: z.array(z.object({ workId: z.number().int().positive(), condition, count: z.number().int() })).max(500),
      }),
      response: { 201: writeOff } },
  }, async (req, reply) => {
    const actor = allow(req.actor, 'staff');
    reply.status(201);
    return tx((trx) => writeOffTextbooks(trx, actor, req.body));
  });

  // ---- Textbook checks ----
  app.get('/api/textbooks/checks', {
    schema: { tags, summary: 'Textbook checks of the library, newest first', response: { 200: list(check) } },
  }, async (req) => asList(await listChecks(app.db, allow(req.actor, 'staff'))));

  app.post('/api/textbooks/checks', {
    schema: { tags, summary: 'Record a textbook check: copies counted on the shelf by condition; missing ones become lost',
      body: z.object({
        checkedOn: isoDate.optional(), note: z.string().max(1000).nullish(),
        lines: z.array(z.object({ workId: z.number().int().positive(), good: z.number().int(), worn: z.number().int(), unusable: z.number().int() })).max(2000),
      }),
      response: { 201: check } },
  }, async (req, reply) => {
    const actor = allow(req.actor, 'staff');
    reply.status(201);
    return tx((trx) => recordCheck(trx, actor, req.body));
  });

  // ---- Classes ----
  app.get('/api/textbooks/diagnosis', {
    schema: { tags, summary: 'Supply diagnosis of a class: each student against the curriculum, and the shortage per title',
      querystring: z.object({ schoolYear, grade, classLetter }), response: { 200: diagnosis } },
  }, async (req) => classDiagnosis(app.db, allow(req.actor, 'staffAndTeachers'), req.query));

  app.post('/api/textbooks/classes/issue', {
    schema: { tags, summary: 'Issue the full set to a class while the stock lasts; reports who did not get what',
      body: z.object({ schoolYear, grade: z.number().int(), classLetter, issuedOn: isoDate.optional() }), response: { 200: setIssue } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return tx((trx) => issueSetToClass(trx, actor, req.body));
  });

  app.post('/api/textbooks/classes/return', {
    schema: { tags, summary: 'Take back everything a class holds, with the condition of each copy',
      body: z.object({
        grade: z.number().int(), classLetter, returnedOn: isoDate.optional(), condition: condition.optional(),
        exceptions: z.array(z.object({ readerId: z.number().int().positive(), workId: z.number().int().positive(), condition })).max(2000).optional(),
      }),
      response: { 200: z.object({ returned: z.number(), byCondition: z.object({ good: z.number(), worn: z.number(), unusable: z.number(), lost: z.number() }) }) } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return tx((trx) => returnFromClass(trx, actor, req.body));
  });

  // ---- Students ----
  app.get('/api/textbooks/students/:readerId', {
    schema: { tags, summary: 'A student’s textbook record', params: readerParams, response: { 200: record } },
  }, async (req) => studentRecord(app.db, req.actor, req.params.readerId));

  app.post('/api/textbooks/students/:readerId/issue', {
    schema: { tags, summary: 'Issue textbooks to one student (all or nothing)', params: readerParams,
      body: z.object({
        schoolYear, issuedOn: isoDate.optional(),
        items: z.array(z.object({ workId: z.number().int().positive(), barcode: z.string().max(40).nullish() })).max(50),
      }),
      response: { 200: record } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return tx((trx) => issueToStudent(trx, actor, req.params.readerId, req.body));
  });

  app.post('/api/textbooks/students/:readerId/return', {
    schema: { tags, summary: 'Take textbooks back from one student with their condition', params: readerParams,
      body: z.object({ returnedOn: isoDate.optional(), items: z.array(returnItem).max(50) }), response: { 200: record } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return tx((trx) => returnFromStudent(trx, actor, req.params.readerId, req.body));
  });

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
};
