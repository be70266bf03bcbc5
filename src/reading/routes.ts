import { allow, belongsTo } from '../auth/guard.js';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireRole, type Actor } from '../auth/actor.js';
import type { Routes } from '../http/types.js';
import { t } from '../i18n/index.js';
import { AppError, forbidden, unauthorised } from '../shared/errors.js';
import { libraryToday } from '../shared/library-time.js';
import { memberLibrary, ownReaderOf, readingStaff, resolvePeriod, scopeOrganisations } from './access.js';
import { assignBingoCard, createBingo, drawBingo, getBingo, listBingo, readingCard } from './bingo.js';
import {
  challengeBoard,
  createChallenge,
  joinChallenge,
  listChallenges,
  logChallengeDay,
  myChallengeCard,
  myChallenges,
  stampChallengeDay,
} from './challenges.js';
import {
  bookcrossingSummary,
  createContest,
  decideRecommendation,
  getContest,
  importNationalBook,
  libraryRecommendations,
  listContests,
  listFamilies,
  nationalBook,
  nationalBookPackage,
  nationalBookStandings,
  recommend,
  recordBookcrossing,
  saveEntrant,
  saveFamily,
  setNationalBook,
  workRecommendations,
} from './community.js';
import { bingoCardsPdf, certificatesPdf, diplomasPdf, drawSlipsPdf } from './documents.js';
import { addParticipant, createDraw, getDraw, listDraws, notifyParticipants, performDraw } from './draw.js';
import { nominations } from './nominations.js';
import {
  decideRecord,
  deleteRecord,
  myRecords,
  pendingRecords,
  readerRecords,
  recordFromLoan,
  recordReadingRoom,
  reportOwnReading,
  returnedLoans,
} from './records.js';
import { activeShare, classStandings, familyStandings, readerProgress, readerStandings, seesAllNames, YEAR_GOAL } from './standings.js';

const tags = ['reading'];
const PDF = { produces: ['application/pdf'], response: { 200: z.any().describe('application/pdf') } };
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date YYYY-MM-DD');
const idParam = z.object({ id: z.coerce.number().int().positive() });
const schoolYear = z.string().regex(/^\d{4}-\d{4}$/, 'Expected a school year such as 2024-2025');
const periodQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  schoolYear: schoolYear.optional(),
  organisationId: z.coerce.number().int().positive().optional(),
});
const lang = z.enum(['kk', 'ru']);
const text = (max: number) => z.string().trim().min(1).max(max);
const details = {
  pages: z.number().int().min(1).max(10000).nullable().optional(),
  minutes: z.number().int().min(1).max(1440).nullable().optional(),
  note: z.string().trim().max(1000).nullable().optional(),
};
const bookBody = z.object({
  workId: z.number().int().positive().nullable().optional(),
  title: z.string().trim().max(500).nullable().optional(),
  author: z.string().trim().max(300).nullable().optional(),
  readOn: isoDate.optional(),
  ...details,
});

const record = z.object({
  id: z.number(),
  readerId: z.number(),
  readerName: z.string(),
  className: z.string().nullable(),
  workId: z.number().nullable(),
  title: z.string(),
  author: z.string().nullable(),
  source: z.enum(['loan', 'reading_room', 'self']),
  loanId: z.number().nullable(),
  readOn: z.string(),
  schoolYear: z.string(),
  pages: z.number().nullable(),
  minutes: z.number().nullable(),
  note: z.string().nullable(),
  status: z.enum(['pending', 'confirmed', 'rejected']),
  confirmedAt: z.string().nullable(),
});
const records = z.object({ items: z.array(record), total: z.number() });
const period = z.object({ from: z.string(), to: z.string(), label: z.string(), kind: z.enum(['year', 'school_year']) });
const progress = z.object({ books: z.number(), pending: z.number(), goal: z.number(), reached: z.boolean(), share: z.number() });
const classStanding = z.object({
  organisationId: z.number(),
  organisationName: z.string(),
  grade: z.number(),
  classLetter: z.string().nullable(),
  className: z.string(),
  pupils: z.number(),
  books: z.number(),
  readers: z.number(),
  booksPerPupil: z.number(),
  rank: z.number(),
});
const readerStanding = z.object({
  readerId: z.number(),
  organisationId: z.number(),
  name: z.string().nullable(),
  className: z.string().nullable(),
  kind: z.string(),
  books: z.number(),
  pages: z.number(),
  rank: z.number(),
});
const challenge = z.object({ id: z.number(), title: z.string(), startsOn: z.string(), endsOn: z.string(), days: z.number(), minutesPerDay: z.number(), entrants: z.number() });
const card = z.object({
  challenge,
  readerId: z.number(),
  readerName: z.string(),
  className: z.string().nullable(),
  days: z.array(z.object({ day: z.string(), index: z.number(), state: z.enum(['stamped', 'logged', 'missed', 'today', 'ahead']), minutes: z.number().nullable(), note: z.string().nullable() })),
  stamped: z.number(),
  missed: z.number(),
  logged: z.number(),
});
const bingoGame = z.object({
  id: z.number(),
  title: z.string(),
  grade: z.number(),
  size: z.number(),
  seed: z.string(),
  items: z.array(z.object({ title: z.string(), author: z.string(), workId: z.number().nullable() })),
  drawn: z.array(z.number()),
  winnerCard: z.number().nullable(),
  cards: z.array(
    z.object({
      id: z.number(),
      number: z.number(),
      readerId: z.number().nullable(),
      cells: z.array(z.object({ item: z.number(), title: z.string(), author: z.string(), crossed: z.boolean() })),
      fullLine: z.boolean(),
    }),
  ),
});
const drawRole = z.enum(['pupil', 'teacher', 'parent', 'head', 'staff']);
const draw = z.object({
  id: z.number(),
  title: z.string(),
  giftOn: z.string(),
  seed: z.string().nullable(),
  drawnAt: z.string().nullable(),
  partnersRevealed: z.boolean(),
  participants: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      role: drawRole,
      email: z.string().nullable(),
      wishedBook: z.string(),
      number: z.number().nullable(),
      givesToNumber: z.number().nullable(),
      bookToGive: z.string().nullable(),
      givesToName: z.string().nullable(),
      notified: z.enum(['email', 'slip']).nullable(),
    }),
  ),
});
const family = z.object({
  id: z.number(),
  name: z.string(),
  members: z.array(z.object({ readerId: z.number(), name: z.string(), kind: z.string(), className: z.string().nullable() })),
});
const recommendation = z.object({
  id: z.number(),
  workId: z.number(),
  title: z.string(),
  text: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  name: z.string().nullable(),
  className: z.string().nullable(),
});
const contestLevel = z.enum(['school', 'district', 'region', 'republic']);
const contest = z.object({
  id: z.number(),
  organisationId: z.number(),
  name: z.string(),
  level: contestLevel,
  startsOn: z.string(),
  endsOn: z.string(),
  grades: z.string().nullable(),
  jury: z.string().nullable(),
  stages: z.array(z.object({ name: z.string(), on: z.string() })),
  entrants: z.array(
    z.object({ id: z.number(), readerId: z.number(), name: z.string(), className: z.string().nullable(), stage: z.string().nullable(), place: z.number().nullable(), nomination: z.string().nullable() }),
  ),
});
const nationalBookSchema = z.object({ year: z.number(), title: z.string(), author: z.string(), imported: z.boolean() });
const share = z.object({
  organisationId: z.number().nullable(),
  className: z.string().nullable(),
  pupils: z.number(),
  activePupils: z.number(),
  pupilShare: z.number(),
  parents: z.number(),
  activeParents: z.number(),
  parentShare: z.number(),
});

const staffActor = (req: FastifyRequest): Actor => {
  readingStaff(req.actor);
  return req.actor!;
};
const signedIn = (req: FastifyRequest): Actor => {
  if (!req.actor) throw unauthorised();
  return req.actor;
};
const pdfReply = (reply: { type: (t: string) => { header: (k: string, v: string) => { send: (b: Buffer) => unknown } } }, name: string, pdf: Buffer) =>
  reply.type('application/pdf').header('content-disposition', `inline; filename="${name}.pdf"`).send(pdf);

export const readingRoutes: Routes = async (app) => {
  const db = app.db;
  const libraryName = async (id: number) => (await db.selectFrom('org.organisations').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;

  // ——— Reading records ———
  app.post(
    '/api/reading/records/from-loan',
    { schema: { tags, summary: 'A returned loan becomes a reading record (one click at the return or from the history)', body: z.object({ loanId: z.number().int().positive(), ...details }), response: { 200: record } } },
    async (req) => recordFromLoan(db, req.actor, req.body),
  );
  app.post(
    '/api/reading/records',
    { schema: { tags, summary: 'A book read in the reading room, recorded and confirmed by the librarian', body: bookBody.extend({ readerId: z.number().int().positive() }), response: { 200: record } } },
    async (req) => recordReadingRoom(db, req.actor, req.body),
  );
  app.get('/api/reading/records/pending', { schema: { tags, summary: "Pupils' and parents' reports waiting for the librarian's stamp", response: { 200: records } } }, async (req) => {
    const items = await pendingRecords(db, req.actor);
    return { items, total: items.length };
  });
  app.post('/api/reading/records/:id/confirm', { schema: { tags, summary: "The librarian's stamp on a self-report", params: idParam, response: { 200: record } } }, async (req) =>
    decideRecord(db, req.actor, req.params.id, 'confirmed'),
  );
  app.post('/api/reading/records/:id/reject', { schema: { tags, summary: 'Refuse a self-report', params: idParam, response: { 200: record } } }, async (req) =>
    decideRecord(db, req.actor, req.params.id, 'rejected'),
  );
  app.delete('/api/reading/records/:id', { schema: { tags, summary: 'Remove a record made by mistake', params: idParam, response: { 204: z.null() } } }, async (req, reply) => {
    await deleteRecord(db, req.actor, req.params.id);
    return reply.status(204).send(null);
  });
  app.get(
    '/api/reading/readers/:id/records',
    { schema: { tags, summary: "A reader's reading records (staff; the class teacher; the pupil or parent their own)", params: idParam, querystring: z.object({ schoolYear: schoolYear.optional() }), response: { 200: records } } },
    async (req) => {
      const items = await readerRecords(db, req.actor, req.params.id, req.query.schoolYear);
      return { items, total: items.length };
    },
  );
  app.get(
    '/api/reading/readers/:id/returned-loans',
    {
      schema: {
        tags,
        summary: "A reader's returned loans, each with its reading record if it has one",
        params: idParam,
        response: { 200: z.object({ items: z.array(z.object({ loanId: z.number(), title: z.string(), authors: z.string().nullable(), issuedAt: z.string(), returnedAt: z.string(), recordId: z.number().nullable() })) }) },
      },
    },
    async (req) => ({ items: await returnedLoans(db, req.actor, req.params.id) }),
  );

  // ——— The pupil's (or parent's) own reading, on the phone ———
  app.get(
    '/api/reading/my',
    {
      schema: {
        tags,
        summary: 'My reading: progress toward 100 books, my records, my challenges, my class standing',
        querystring: z.object({ schoolYear: schoolYear.optional() }),
        response: {
          200: z.object({
            period,
            progress,
            records: z.array(record),
            challenges: z.array(challenge),
            classStanding: classStanding.nullable(),
            classes: z.number(),
          }),
        },
      },
    },
    async (req) => {
      const own = ownReaderOf(req.actor);
      const p = await resolvePeriod(db, own.library, { schoolYear: req.query.schoolYear });
      const reader = await db.selectFrom('readers.readers').select(['grade', 'class_letter']).where('id', '=', own.readerId).executeTakeFirst();
      const all = await classStandings(db, [own.library], p);
      const mine = reader?.grade != null ? (all.find((c) => c.grade === reader.grade && (c.classLetter ?? null) === (reader.class_letter ?? null)) ?? null) : null;
      return {
        period: p,
        progress: await readerProgress(db, own.library, own.readerId, p),
        records: await myRecords(db, req.actor, p.kind === 'school_year' ? p.label : undefined),
        challenges: await myChallenges(db, req.actor),
        classStanding: mine,
        classes: all.length,
      };
    },
  );
  app.post('/api/reading/my/records', { schema: { tags, summary: 'Log a book I read (waits for the librarian’s stamp)', body: bookBody, response: { 200: record } } }, async (req) =>
    reportOwnReading(db, req.actor, req.body),
  );
  app.post('/api/reading/my/challenges/:id/join', { schema: { tags, summary: 'Join a challenge', params: idParam, response: { 200: card } } }, async (req) => {
    await joinChallenge(db, req.actor, req.params.id);
    return myChallengeCard(db, req.actor, req.params.id);
  });
  app.get('/api/reading/my/challenges/:id/card', { schema: { tags, summary: 'My challenge card', params: idParam, response: { 200: card } } }, async (req) =>
    myChallengeCard(db, req.actor, req.params.id),
  );
  app.post(
    '/api/reading/my/challenges/:id/days',
    { schema: { tags, summary: "Write today's minutes and the short note", params: idParam, body: z.object({ day: isoDate.optional(), minutes: z.number().int().min(1).max(1440), note: z.string().trim().max(1000).nullable().optional() }), response: { 200: card } } },
    async (req) => logChallengeDay(db, req.actor, req.params.id, req.body),
  );
  app.get('/api/reading/my/challenges/open', { schema: { tags, summary: "The library's challenges a pupil may join", response: { 200: z.object({ items: z.array(challenge) }) } } }, async (req) => {
    const own = ownReaderOf(req.actor);
    return { items: await listChallenges(db, own.library) };
  });
  app.post(
    '/api/reading/my/recommendations',
    { schema: { tags, summary: '“I read it and recommend it”: shown in the catalogue after the librarian approves it', body: z.object({ workId: z.number().int().positive(), text: text(1000) }), response: { 204: z.null() } } },
    async (req, reply) => {
      const own = ownReaderOf(req.actor);
      await recommend(db, req.actor!, own.library, own.readerId, req.body);
      return reply.status(204).send(null);
    },
  );

  // ——— 100 books a year ———
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
    async (req) => {
      const actor = signedIn(req);
      allow(actor, 'staffAndTeachers');
      const p = await resolvePeriod(db, actor.organisationId, req.query);
      const cls = actor.role === 'teacher' ? { grade: actor.classGrade ?? -1, classLetter: actor.classLetter } : {};
      const options = { ...cls, showAllNames: seesAllNames(actor) || actor.role === 'teacher' };
      return {
        goal: YEAR_GOAL,
        period: p,
        reached: await readerStandings(db, [actor.organisationId], p, { ...options, minBooks: YEAR_GOAL, limit: 1000 }),
        leaders: await readerStandings(db, [actor.organisationId], p, { ...options, limit: 50 }),
      };
    },
  );
  app.get(
    '/api/reading/hundred/certificates.pdf',
    { schema: { tags, summary: 'Certificates of those who read 100 books (names only with consent)', querystring: periodQuery.omit({ organisationId: true }).extend({ lang: lang.default('kk') }), ...PDF } },
    async (req, reply) => {
      const library = readingStaff(req.actor);
      const p = await resolvePeriod(db, library, req.query);
      const reached = await readerStandings(db, [library], p, { minBooks: YEAR_GOAL, limit: 1000, showAllNames: false, kinds: ['student', 'teacher', 'staff', 'parent', 'other'] });
      const pdf = await certificatesPdf({ locale: req.query.lang, libraryName: await libraryName(library), period: p.label, issuedOn: await libraryToday(db, library), readers: reached });
      return pdfReply(reply, `certificates-${p.label}`, pdf);
    },
  );

  // ——— Contests and standings ———
  app.get(
    '/api/reading/contests/classes',
    { schema: { tags, summary: 'The most reading class, normalised per pupil (calendar year or school year)', querystring: periodQuery, response: { 200: z.object({ period, items: z.array(classStanding) }) } } },
    async (req) => {
      const actor = signedIn(req);
      const orgs = await scopeOrganisations(db, actor, req.query.organisationId);
      const p = await resolvePeriod(db, orgs[0] ?? actor.organisationId, req.query);
      return { period: p, items: await classStandings(db, orgs, p) };
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
    async (req) => {
      const library = memberLibrary(req.actor);
      const p = await resolvePeriod(db, library, req.query);
      const all = await readerStandings(db, [library], p, { limit: 100000, showAllNames: seesAllNames(req.actor!) });
      const seen = new Set<string>();
      const items = all.filter((r) => r.className !== null && !seen.has(r.className) && seen.add(r.className) !== undefined);
      items.sort((a, b) => (a.className ?? '').localeCompare(b.className ?? '', 'kk', { numeric: true }));
      return { period: p, items };
    },
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
  app.get(
    '/api/reading/contests',
    {
      schema: {
        tags,
        summary: "The register of the school's contests",
        response: { 200: z.object({ items: z.array(z.object({ id: z.number(), name: z.string(), level: contestLevel, startsOn: z.string(), endsOn: z.string(), entrants: z.number() })) }) },
      },
    },
    async (req) => ({ items: await listContests(db, readingStaff(req.actor)) }),
  );
  app.post(
    '/api/reading/contests',
    {
      schema: {
        tags,
        summary: 'Register a contest with its period, classes, jury and stages',
        body: z.object({
          name: text(300),
          level: contestLevel.default('school'),
          startsOn: isoDate,
          endsOn: isoDate,
          grades: z.string().trim().max(50).nullable().optional(),
          jury: z.string().trim().max(1000).nullable().optional(),
          stages: z.array(z.object({ name: text(200), on: isoDate })).max(20).optional(),
        }),
        response: { 200: contest },
      },
    },
    async (req) => createContest(db, staffActor(req), req.actor!.organisationId, req.body),
  );
  app.get('/api/reading/contests/:id', { schema: { tags, summary: 'A contest with its entrants, places and nominations', params: idParam, response: { 200: contest } } }, async (req) =>
    getContest(db, readingStaff(req.actor), req.params.id),
  );
  app.post(
    '/api/reading/contests/:id/entrants',
    {
      schema: {
        tags,
        summary: "Add an entrant or set the entrant's stage, place and nomination",
        params: idParam,
        body: z.object({ readerId: z.number().int().positive(), stage: z.string().trim().max(200).nullable().optional(), place: z.number().int().min(1).max(10).nullable().optional(), nomination: z.string().trim().max(200).nullable().optional() }),
        response: { 200: contest },
      },
    },
    async (req) => saveEntrant(db, staffActor(req), req.actor!.organisationId, req.params.id, req.body),
  );
  app.get(
    '/api/reading/contests/:id/diplomas.pdf',
    { schema: { tags, summary: 'Diplomas of the winners and nominees (names only with consent)', params: idParam, querystring: z.object({ lang: lang.default('kk') }), ...PDF } },
    async (req, reply) => {
      const library = readingStaff(req.actor);
      const c = await getContest(db, library, req.params.id);
      const honoured = c.entrants.filter((e) => e.place !== null || e.nomination);
      const { readersWithConsent } = await import('../readers/consent.js');
      const allowed = await readersWithConsent(db, library, honoured.map((e) => e.readerId), 'public_name');
      const pdf = await diplomasPdf({
        locale: req.query.lang,
        libraryName: await libraryName(library),
        contestName: c.name,
        issuedOn: c.endsOn,
        entrants: honoured.map((e) => ({ name: allowed.has(e.readerId) ? e.name : null, className: e.className, place: e.place, nomination: e.nomination })),
      });
      return pdfReply(reply, `diplomas-${c.id}`, pdf);
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
    async (req) => {
      const actor = requireRole(req.actor, 'teacher');
      const p = await resolvePeriod(db, actor.organisationId, req.query);
      const classes = await classStandings(db, [actor.organisationId], p);
      if (actor.classGrade === null) return { period: p, className: null, standing: null, classes, pupils: [] };
      const standing = classes.find((c) => c.grade === actor.classGrade && (c.classLetter ?? null) === (actor.classLetter ?? null)) ?? null;
      const pupils = await readerStandings(db, [actor.organisationId], p, { grade: actor.classGrade, classLetter: actor.classLetter, minBooks: 0, limit: 100, showAllNames: true });
      return { period: p, className: `${actor.classGrade}${actor.classLetter ?? ''}`, standing, classes, pupils };
    },
  );

  // ——— Challenges ———
  app.get('/api/reading/challenges', { schema: { tags, summary: "The library's reading challenges", response: { 200: z.object({ items: z.array(challenge) }) } } }, async (req) => ({
    items: await listChallenges(db, readingStaff(req.actor)),
  }));
  app.post(
    '/api/reading/challenges',
    {
      schema: {
        tags,
        summary: 'Start a 30-day challenge (20 minutes and a short note a day)',
        body: z.object({ title: text(300), startsOn: isoDate, days: z.number().int().min(1).max(366).optional(), minutesPerDay: z.number().int().min(1).max(600).optional() }),
        response: { 200: challenge },
      },
    },
    async (req) => createChallenge(db, req.actor, req.body),
  );
  app.get('/api/reading/challenges/:id/board', { schema: { tags, summary: "Every entrant's card", params: idParam, response: { 200: z.object({ items: z.array(card) }) } } }, async (req) => ({
    items: await challengeBoard(db, req.actor, req.params.id),
  }));
  app.post(
    '/api/reading/challenges/:id/entrants',
    { schema: { tags, summary: 'Enrol a reader', params: idParam, body: z.object({ readerId: z.number().int().positive() }), response: { 200: card } } },
    async (req) => {
      await joinChallenge(db, req.actor, req.params.id, req.body.readerId);
      return (await challengeBoard(db, req.actor, req.params.id)).find((c) => c.readerId === req.body.readerId)!;
    },
  );
  app.post(
    '/api/reading/challenges/:id/stamps',
    {
      schema: {
        tags,
        summary: "The librarian's stamp on a reader's day",
        params: idParam,
        body: z.object({ readerId: z.number().int().positive(), day: isoDate, minutes: z.number().int().min(1).max(1440).optional(), note: z.string().trim().max(1000).nullable().optional() }),
        response: { 200: card },
      },
    },
    async (req) => stampChallengeDay(db, req.actor, req.params.id, req.body),
  );

  // ——— BookBingo ———
  app.get(
    '/api/reading/bingo',
    {
      schema: {
        tags,
        summary: 'BookBingo games',
        response: { 200: z.object({ items: z.array(z.object({ id: z.number(), title: z.string(), grade: z.number(), size: z.number(), drawn: z.number(), cards: z.number(), finished: z.boolean() })) }) },
      },
    },
    async (req) => ({ items: await listBingo(db, readingStaff(req.actor)) }),
  );
  app.post(
    '/api/reading/bingo',
    {
      schema: {
        tags,
        summary: 'A new BookBingo for a grade: cards from the recommended list (or the titles given), from a recorded seed',
        body: z.object({
          title: text(300),
          grade: z.number().int().min(0).max(11),
          size: z.number().int().min(3).max(5).optional(),
          cards: z.number().int().min(1).max(60),
          seed: z.string().trim().min(1).max(64).optional(),
          items: z.array(z.object({ title: text(300), author: z.string().trim().max(300) })).max(200).optional(),
        }),
        response: { 200: bingoGame },
      },
    },
    async (req) => createBingo(db, staffActor(req), req.actor!.organisationId, req.body),
  );
  app.get('/api/reading/bingo/:id', { schema: { tags, summary: 'A game: the drawn titles and every card', params: idParam, response: { 200: bingoGame } } }, async (req) =>
    getBingo(db, readingStaff(req.actor), req.params.id),
  );
  app.post('/api/reading/bingo/:id/draw', { schema: { tags, summary: "The caller draws the next title; the first card with a full line wins", params: idParam, response: { 200: bingoGame } } }, async (req) =>
    drawBingo(db, staffActor(req), req.actor!.organisationId, req.params.id),
  );
  app.get('/api/reading/bingo/:id/cards.pdf', { schema: { tags, summary: 'The printable cards', params: idParam, ...PDF } }, async (req, reply) => {
    const game = await getBingo(db, readingStaff(req.actor), req.params.id);
    return pdfReply(reply, `bingo-${game.id}`, await bingoCardsPdf(req.locale, game));
  });
  app.post(
    '/api/reading/bingo/:id/cards/:number/assign',
    { schema: { tags, summary: 'Give a card to a reader', params: z.object({ id: z.coerce.number().int().positive(), number: z.coerce.number().int().positive() }), body: z.object({ readerId: z.number().int().positive().nullable() }), response: { 204: z.null() } } },
    async (req, reply) => {
      await assignBingoCard(db, staffActor(req), req.actor!.organisationId, req.params.id, req.params.number, req.body.readerId);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/reading/bingo/:id/reading-card/:readerId',
    {
      schema: {
        tags,
        summary: "A reader's reading card beside the game: squares filled by confirmed reading records",
        params: z.object({ id: z.coerce.number().int().positive(), readerId: z.coerce.number().int().positive() }),
        response: { 200: z.object({ gameId: z.number(), readerId: z.number(), size: z.number(), cells: z.array(z.object({ title: z.string(), author: z.string(), read: z.boolean(), recordId: z.number().nullable() })), fullLine: z.boolean() }) },
      },
    },
    async (req) => {
      const actor = signedIn(req);
      if (belongsTo(actor, 'readers')) {
        const own = ownReaderOf(actor);
        if (own.readerId !== req.params.readerId) throw forbidden();
        return readingCard(db, own.library, req.params.id, own.readerId);
      }
      return readingCard(db, readingStaff(actor), req.params.id, req.params.readerId);
    },
  );

  // ——— The gift-a-book draw ———
  app.get(
    '/api/reading/draws',
    { schema: { tags, summary: 'Gift-a-book draws', response: { 200: z.object({ items: z.array(z.object({ id: z.number(), title: z.string(), giftOn: z.string(), drawn: z.boolean(), participants: z.number() })) }) } } },
    async (req) => ({ items: await listDraws(db, readingStaff(req.actor)) }),
  );
  app.post('/api/reading/draws', { schema: { tags, summary: 'Announce a gift-a-book draw', body: z.object({ title: text(300), giftOn: isoDate }), response: { 200: draw } } }, async (req) =>
    createDraw(db, staffActor(req), req.actor!.organisationId, req.body),
  );
  app.get('/api/reading/draws/:id', { schema: { tags, summary: 'A draw: participants, numbers; partners only from the day of the gift', params: idParam, response: { 200: draw } } }, async (req) =>
    getDraw(db, readingStaff(req.actor), req.params.id),
  );
  app.post(
    '/api/reading/draws/:id/participants',
    {
      schema: {
        tags,
        summary: "Register a participant (a pupil's e-mail only with the parent's consent)",
        params: idParam,
        body: z.object({ name: text(200), role: drawRole, email: z.string().trim().email().max(200).nullable().optional(), wishedBook: text(300), readerId: z.number().int().positive().nullable().optional() }),
        response: { 200: draw },
      },
    },
    async (req) => addParticipant(db, staffActor(req), req.actor!.organisationId, req.params.id, req.body),
  );
  app.post(
    '/api/reading/draws/:id/draw',
    { schema: { tags, summary: 'Draw the pairs with a recorded seed (given, or made now)', params: idParam, body: z.object({ seed: z.string().trim().min(1).max(64).optional() }), response: { 200: draw } } },
    async (req) => performDraw(db, staffActor(req), req.actor!.organisationId, req.params.id, req.body.seed),
  );
  app.post(
    '/api/reading/draws/:id/notify',
    { schema: { tags, summary: 'Tell every participant: by e-mail where SMTP is configured, else a printed slip', params: idParam, response: { 200: z.object({ emailed: z.number(), slips: z.number() }) } } },
    async (req) => notifyParticipants(db, staffActor(req), req.actor!.organisationId, req.params.id, (key, params) => t(req.locale, key, params)),
  );
  app.get('/api/reading/draws/:id/slips.pdf', { schema: { tags, summary: 'Printed slips: number, book to give, date', params: idParam, ...PDF } }, async (req, reply) => {
    const d = await getDraw(db, readingStaff(req.actor), req.params.id);
    if (!d.drawnAt) throw new AppError('reading.draw_not_done', 409, { id: d.id });
    return pdfReply(reply, `draw-${d.id}`, await drawSlipsPdf(req.locale, d));
  });

  // ——— Families ———
  app.get('/api/reading/families', { schema: { tags, summary: 'Readers linked as families', response: { 200: z.object({ items: z.array(family) }) } } }, async (req) => ({
    items: await listFamilies(db, readingStaff(req.actor)),
  }));
  app.post(
    '/api/reading/families',
    { schema: { tags, summary: 'Link readers as a family (siblings and parents)', body: z.object({ name: text(200), readerIds: z.array(z.number().int().positive()).min(1).max(20) }), response: { 200: family } } },
    async (req) => saveFamily(db, staffActor(req), req.actor!.organisationId, req.body),
  );
  app.put(
    '/api/reading/families/:id',
    { schema: { tags, summary: 'Change a family', params: idParam, body: z.object({ name: text(200), readerIds: z.array(z.number().int().positive()).min(1).max(20) }), response: { 200: family } } },
    async (req) => saveFamily(db, staffActor(req), req.actor!.organisationId, { id: req.params.id, ...req.body }),
  );

  // ——— Bookcrossing ———
  app.get(
    '/api/reading/bookcrossing',
    {
      schema: {
        tags,
        summary: 'Books outside the fund given and taken at the bookcrossing shelf, counted',
        querystring: periodQuery,
        response: { 200: z.object({ period, given: z.number(), taken: z.number(), lines: z.array(z.object({ id: z.number(), happenedOn: z.string(), direction: z.enum(['given', 'taken']), books: z.number(), title: z.string().nullable() })) }) },
      },
    },
    async (req) => {
      const actor = signedIn(req);
      allow(actor, 'staffAndOverseers');
      const orgs = await scopeOrganisations(db, actor, req.query.organisationId);
      const p = await resolvePeriod(db, orgs[0] ?? actor.organisationId, req.query);
      return { period: p, ...(await bookcrossingSummary(db, orgs, p)) };
    },
  );
  app.post(
    '/api/reading/bookcrossing',
    {
      schema: {
        tags,
        summary: 'Record books given to or taken from the shelf',
        body: z.object({ happenedOn: isoDate, direction: z.enum(['given', 'taken']), books: z.number().int().min(1).max(1000), title: z.string().trim().max(300).nullable().optional() }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const actor = staffActor(req);
      await recordBookcrossing(db, actor, actor.organisationId, req.body, await libraryToday(db, actor.organisationId));
      return reply.status(204).send(null);
    },
  );

  // ——— "I read it and recommend it" ———
  app.get('/api/reading/recommendations', { schema: { tags, summary: "Pupils' recommendations, waiting ones first", response: { 200: z.object({ items: z.array(recommendation) }) } } }, async (req) => ({
    items: await libraryRecommendations(db, readingStaff(req.actor)),
  }));
  for (const [action, status] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    app.post(`/api/reading/recommendations/:id/${action}`, { schema: { tags, summary: `${action === 'approve' ? 'Approve' : 'Reject'} a recommendation`, params: idParam, response: { 204: z.null() } } }, async (req, reply) => {
      await decideRecommendation(db, staffActor(req), req.actor!.organisationId, req.params.id, status);
      return reply.status(204).send(null);
    });
  }
  app.get(
    '/api/reading/works/:id/recommendations',
    { schema: { tags, summary: "Approved pupils' recommendations of a book, shown in the catalogue", params: idParam, response: { 200: z.object({ items: z.array(recommendation) }) } } },
    async (req) => ({ items: await workRecommendations(db, req.params.id, memberLibrary(req.actor)) }),
  );

  // ——— "One country – one book" ———
  const yearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
  app.get('/api/reading/national-book', { schema: { tags, summary: "The year's “One country – one book” title", querystring: yearQuery, response: { 200: z.object({ book: nationalBookSchema.nullable() }) } } }, async (req) => {
    signedIn(req);
    return { book: await nationalBook(db, req.query.year) };
  });
  app.put(
    '/api/reading/national-book',
    { schema: { tags, summary: "Set the year's title (republic level only)", body: z.object({ year: z.number().int().min(2000).max(2100), title: text(300), author: text(300) }), response: { 200: nationalBookSchema } } },
    async (req) => setNationalBook(db, signedIn(req), req.body),
  );
  app.get(
    '/api/reading/national-book/package',
    { schema: { tags, summary: 'The package a school on its own server imports', querystring: yearQuery, response: { 200: z.object({ kind: z.string(), version: z.number(), year: z.number(), title: z.string(), author: z.string() }) } } },
    async (req) => {
      signedIn(req);
      const book = await nationalBook(db, req.query.year);
      if (!book) throw new AppError('common.not_found', 404, { entity: 'national_book', id: req.query.year });
      return nationalBookPackage(book);
    },
  );
  app.post(
    '/api/reading/national-book/import',
    { schema: { tags, summary: "Import the republic's package on a school's own server", body: z.object({ kind: z.string(), version: z.number(), year: z.number(), title: z.string(), author: z.string() }), response: { 200: nationalBookSchema } } },
    async (req) => importNationalBook(db, signedIn(req), req.body),
  );
  app.get(
    '/api/reading/national-book/standings',
    {
      schema: {
        tags,
        summary: "Readers of the year's national title by class, summed upward",
        querystring: yearQuery.extend({ organisationId: z.coerce.number().int().positive().optional() }),
        response: { 200: z.object({ book: nationalBookSchema.nullable(), total: z.number(), pupils: z.number(), classes: z.array(z.object({ organisationId: z.number(), className: z.string(), readers: z.number(), pupils: z.number() })) }) },
      },
    },
    async (req) => {
      const actor = signedIn(req);
      allow(actor, 'staffTeachersAndOverseers');
      return nationalBookStandings(db, await scopeOrganisations(db, actor, req.query.organisationId), req.query.year);
    },
  );

  // ——— Who takes part ———
  app.get(
    '/api/reading/active-share',
    { schema: { tags, summary: 'Share of pupils and parents active in the reading movement: the whole, each school, each class', querystring: periodQuery, response: { 200: z.object({ period, items: z.array(share) }) } } },
    async (req) => {
      const actor = signedIn(req);
      allow(actor, 'staffAndOverseers');
      const orgs = await scopeOrganisations(db, actor, req.query.organisationId);
      const p = await resolvePeriod(db, orgs[0] ?? actor.organisationId, req.query);
      return { period: p, items: await activeShare(db, orgs, p.from, p.to) };
    },
  );
};
