import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import { inTransaction } from '../../db/transaction.js';
import type { Routes } from '../../http/types.js';
import { AppError } from '../../shared/errors.js';
import {
  addCurriculumItem,
  copyCurriculum,
  deleteCurriculumItem,
  listClassLanguages,
  listCurriculum,
  listForecasts,
  setClassLanguage,
  setForecast,
  updateCurriculumItem,
} from '../curriculum.js';
import { importPriceList, importTextbookList } from '../import.js';
import { asList, grade, id, language, list, ok, schoolYear, classLetter, tags } from './shared.js';

const curriculumItem = z.object({
  id: z.number(), schoolYear: z.string(), grade: z.number(), subject: z.string(), workId: z.number(), title: z.string(),
  language: z.string(), copiesPerStudent: z.number(),
});

const classLanguage = z.object({ grade: z.number().int(), classLetter: z.string(), language: z.string() });
const forecast = z.object({ schoolYear: z.string(), grade: z.number().int(), language: z.string(), expected: z.number().int() });

/** The spreadsheet and the text fields of a multipart request (the ministry's list or price list). */
async function readSheet(req: FastifyRequest): Promise<{ file: { bytes: Buffer; filename: string }; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw new AppError('readers.import.no_file', 400);
  let file: { bytes: Buffer; filename: string } | undefined;
  const fields: Record<string, string> = {};
  for await (const part of req.parts()) {
    if (part.type === 'file') file = { bytes: await part.toBuffer(), filename: part.filename ?? '' };
    else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
  }
  if (!file) throw new AppError('readers.import.no_file', 400);
  return { file, fields };
}

/** The curriculum list of each grade, the languages of instruction, the expected first graders, and the ministry's lists taken in. */
export const curriculumRoutes: Routes = (app) => {
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
    return inTransaction(app.db, (trx) => addCurriculumItem(trx, actor, req.body));
  });

  app.patch('/api/textbooks/curriculum/:id', {
    schema: { tags, summary: 'Change the subject or copies per student of a list row', params: z.object({ id }),
      body: z.object({ subject: z.string().max(200).optional(), copiesPerStudent: z.number().int().optional() }), response: { 200: curriculumItem } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return inTransaction(app.db, (trx) => updateCurriculumItem(trx, actor, req.params.id, req.body));
  });

  app.delete('/api/textbooks/curriculum/:id', {
    schema: { tags, summary: 'Take a textbook off the list', params: z.object({ id }), response: { 200: ok } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    await inTransaction(app.db, (trx) => deleteCurriculumItem(trx, actor, req.params.id));
    return { ok: true as const };
  });

  app.post('/api/textbooks/curriculum/copy', {
    schema: { tags, summary: 'Start a school year’s list from another year’s', body: z.object({ fromYear: schoolYear, toYear: schoolYear }),
      response: { 200: z.object({ copied: z.number() }) } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    return inTransaction(app.db, (trx) => copyCurriculum(trx, actor, req.body));
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
    return inTransaction(app.db, (trx) => setClassLanguage(trx, actor, req.body));
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
    return inTransaction(app.db, (trx) => setForecast(trx, actor, req.body));
  });

  app.post('/api/textbooks/curriculum/import', {
    schema: { tags, summary: "Import the ministry's textbook list (XLSX or CSV: grade, subject, title, authors, publisher, year, ISBN, language, price) into a school year's curriculum",
      consumes: ['multipart/form-data'],
      description: 'multipart/form-data: `file`, `schoolYear`, optional `language` (kk|ru) for a list without a language column',
      response: { 200: z.object({ rows: z.number(), worksCreated: z.number(), itemsAdded: z.number(), itemsKept: z.number(), pricesSet: z.number() }) } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    const { file, fields } = await readSheet(req);
    return inTransaction(app.db, (trx) => importTextbookList(trx, actor, { schoolYear: fields.schoolYear ?? '', language: fields.language || undefined, file }));
  });

  app.post('/api/textbooks/prices/import', {
    schema: { tags, summary: "Import the ministry's price list for a school year (XLSX or CSV: title or ISBN, price); the order values titles at it",
      consumes: ['multipart/form-data'],
      description: 'multipart/form-data: `file`, `schoolYear`',
      response: { 200: z.object({ rows: z.number(), pricesSet: z.number() }) } },
  }, async (req) => {
    const actor = allow(req.actor, 'staff');
    const { file, fields } = await readSheet(req);
    return inTransaction(app.db, (trx) => importPriceList(trx, actor, { schoolYear: fields.schoolYear ?? '', file }));
  });

};
