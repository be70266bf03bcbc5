import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import { inTransaction } from '../../db/transaction.js';
import type { Routes } from '../../http/types.js';
import { classDiagnosis, issueSetToClass, issueToStudent, returnFromClass, returnFromStudent, studentRecord } from '../issues.js';
import { classIssueSheetPdf, studentFormularPdf } from '../papers.js';
import { classLetter, condition, grade, isoDate, readerParams, schoolYear, tags } from './shared.js';

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

const returnItem = z.object({ workId: z.number().int().positive().optional(), barcode: z.string().max(40).nullish(), condition });

/** Textbooks issued to classes and to pupils, and the papers signed for them. */
export const issueRoutes: Routes = (app) => {
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
    return inTransaction(app.db, (trx) => issueSetToClass(trx, actor, req.body));
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
    return inTransaction(app.db, (trx) => returnFromClass(trx, actor, req.body));
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
    return inTransaction(app.db, (trx) => issueToStudent(trx, actor, req.params.readerId, req.body));
  });

  app.post('/api/textbooks/students/:readerId/return', {
    schema: { tags, summary: 'Take textbooks back from one student with their condition', params: readerParams,
      body: z.object({ returnedOn: isoDate.optional(), items: z.array(returnItem).max(50) }), response: { 200: record } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return inTransaction(app.db, (trx) => returnFromStudent(trx, actor, req.params.readerId, req.body));
  });

  app.get('/api/textbooks/classes/issue-sheet.pdf', {
    schema: { tags, summary: 'The class issue sheet: the set of titles and one line per pupil with a signature column (PDF)',
      querystring: z.object({ schoolYear, grade, classLetter }), response: { 200: z.any() } },
  }, async (req, reply) => {
    const body = await classIssueSheetPdf(app.db, allow(req.actor, 'staffAndTeachers'), req.query, req.locale);
    return reply.type('application/pdf')
      .header('content-disposition', `attachment; filename="issue-sheet-${req.query.grade}-${encodeURIComponent(req.query.classLetter)}-${req.query.schoolYear}.pdf"`)
      .send(body);
  });

  app.get('/api/textbooks/students/:readerId/formular.pdf', {
    schema: { tags, summary: "A pupil's textbook formular: every issue with dates, conditions and a signature column (PDF)", params: readerParams, response: { 200: z.any() } },
  }, async (req, reply) => {
    const body = await studentFormularPdf(app.db, allow(req.actor, 'staff'), req.params.readerId, req.locale);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="textbook-formular-${req.params.readerId}.pdf"`).send(body);
  });
};
