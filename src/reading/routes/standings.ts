import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import type { Routes } from '../../http/types.js';
import { memberLibrary, readingStaff, resolvePeriod, scopedPeriod } from '../access.js';
import { nominations } from '../nominations.js';
import { classStandings, familyStandings, readerStandings, seesAllNames } from '../standings.js';
import { bestReaderOfEachClass, hundredBooks, hundredCertificates, teacherClass } from '../summaries.js';
import { classStanding, lang, PDF, pdfReply, period, periodQuery, readerStanding, tags } from './shared.js';

/** 100 books a year, the standings of classes, readers and families, the nominations, and the class teacher's class. */
export const standingRoutes: Routes = (app) => {
  const db = app.db;
  app.get(
    '/api/reading/hundred',
    {
      schema: {
        tags,
        summary: 'Progress toward 100 books a year: who reached it and the leaders (a class teacher: the own class)',
        querystring: periodQuery.omit({ organisationId: true }),
        response: { 200: z.object({ goal: z.number(), period, reached: z.array(readerStanding), leaders: z.array(readerStanding) }) },
      },
    },
    async (req) => hundredBooks(db, req.actor, req.query),
  );
  app.get(
    '/api/reading/hundred/certificates.pdf',
    { schema: { tags, summary: 'Certificates of those who read 100 books (names only with consent)', querystring: periodQuery.omit({ organisationId: true }).extend({ lang: lang.default('kk') }), ...PDF } },
    async (req, reply) => {
      const { label, pdf } = await hundredCertificates(db, req.actor, req.query);
      return pdfReply(reply, `certificates-${label}`, pdf);
    },
  );

  // ——— Contests and standings ———
  app.get(
    '/api/reading/contests/classes',
    { schema: { tags, summary: 'The most reading class, normalised per pupil (calendar year or school year)', querystring: periodQuery, response: { 200: z.object({ period, items: z.array(classStanding) }) } } },
    async (req) => {
      const { orgs, period } = await scopedPeriod(db, allow(req.actor, 'signedIn'), req.query);
      return { period, items: await classStandings(db, orgs, period) };
    },
  );
  app.get(
    '/api/reading/contests/readers',
    {
      schema: {
        tags,
        summary: 'The best readers: of a class, or of the school (the reader of the year is the first)',
        querystring: periodQuery.omit({ organisationId: true }).extend({ grade: z.coerce.number().int().min(0).max(11).optional(), classLetter: z.string().trim().min(1).max(2).optional() }),
        response: { 200: z.object({ period, items: z.array(readerStanding) }) },
      },
    },
    async (req) => {
      const library = memberLibrary(req.actor);
      const p = await resolvePeriod(db, library, req.query);
      const items = await readerStandings(db, [library], p, { grade: req.query.grade, classLetter: req.query.classLetter ?? null, limit: 100, showAllNames: seesAllNames(req.actor!) });
      return { period: p, items };
    },
  );
  app.get(
    '/api/reading/contests/best-by-class',
    { schema: { tags, summary: 'The best reader of every class', querystring: periodQuery.omit({ organisationId: true }), response: { 200: z.object({ period, items: z.array(readerStanding) }) } } },
    async (req) => bestReaderOfEachClass(db, req.actor, req.query),
  );
  app.get(
    '/api/reading/contests/families',
    {
      schema: {
        tags,
        summary: 'The most reading family ("My family reads"): books of siblings and parents summed',
        querystring: periodQuery.omit({ organisationId: true }),
        response: { 200: z.object({ period, items: z.array(z.object({ familyId: z.number(), organisationId: z.number(), name: z.string(), members: z.number(), books: z.number(), booksPerMember: z.number(), rank: z.number() })) }) },
      },
    },
    async (req) => {
      const library = readingStaff(req.actor);
      const p = await resolvePeriod(db, library, req.query);
      return { period: p, items: await familyStandings(db, [library], p) };
    },
  );
  app.get(
    '/api/reading/contests/nominations',
    {
      schema: {
        tags,
        summary: 'Nominations found from the loans: first reader, youngest, most regular, top of a genre, record holder',
        querystring: periodQuery.omit({ organisationId: true }),
        response: {
          200: z.object({
            period,
            items: z.array(z.object({ code: z.enum(['first_reader', 'youngest', 'most_regular', 'genre_top', 'record_holder']), readerId: z.number(), name: z.string().nullable(), className: z.string().nullable(), value: z.string(), genre: z.string().nullable() })),
          }),
        },
      },
    },
    async (req) => {
      const library = readingStaff(req.actor);
      const p = await resolvePeriod(db, library, req.query);
      return { period: p, items: await nominations(db, library, p, true) };
    },
  );

  // ——— Class teacher ———
  app.get(
    '/api/reading/class',
    {
      schema: {
        tags,
        summary: "A class teacher's class: its standing among the school's classes and its pupils' reading",
        querystring: periodQuery.omit({ organisationId: true }),
        response: { 200: z.object({ period, className: z.string().nullable(), standing: classStanding.nullable(), classes: z.array(classStanding), pupils: z.array(readerStanding) }) },
      },
    },
    async (req) => teacherClass(db, req.actor, req.query),
  );
};
