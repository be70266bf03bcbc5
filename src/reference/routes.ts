import { z } from 'zod';
import { requireRole } from '../auth/actor.js';
import type { Routes } from '../http/types.js';
import { publicLibrary } from '../events/public.js';
import { AppError } from '../shared/errors.js';
import { libraryToday, schoolYearOf, schoolYearRange } from '../shared/library-time.js';
import { digitisationCounts, periodicalCounts, referenceCounts } from './counts.js';
import { DOCUMENT_LIMIT, documentsOf, listDocuments, openDocument, storeDocument } from './documents.js';
import { listEntries, listLists, listPdf, saveList } from './lists.js';
import { addPeriodical, checkInIssue, indexArticle, issuesOf, periodicalRegister, searchArticles, subscribe } from './periodicals.js';
import { DOCUMENT_ACCESS, LANGUAGES, READER_GROUPS, REFERENCE_KINDS, UNMET_STATUSES } from './schema.js';
import { answerQuestion, askLibrarian, deleteRequest, libraryQuestions, listRequests, listUnmet, logRequest, logUnmet, myQuestions, referenceStaff, setUnmetStatus } from './service.js';

const tags = ['reference service'];
const id = z.coerce.number().int().positive();
const ok = z.object({ ok: z.literal(true) });
const created = z.object({ id: z.number() });
const date = z.string().max(10).describe('YYYY-MM-DD');
const text = (max: number) => z.string().max(max);
const kind = z.enum(REFERENCE_KINDS);
const group = z.enum(READER_GROUPS);
const language = z.enum(LANGUAGES);

const requestSchema = z.object({ id: z.number(), askedOn: z.string(), kind, question: z.string(), answer: z.string().nullable(), readerGroup: group, language, virtual: z.boolean() });
const unmetSchema = z.object({ id: z.number(), notedOn: z.string(), source: z.string(), title: z.string(), author: z.string().nullable(), readerGroup: z.string().nullable(), times: z.number(), status: z.enum(UNMET_STATUSES), note: z.string().nullable() });
const documentSchema = z.object({ id: z.number(), kind: z.string(), title: z.string(), authors: z.string().nullable(), pages: z.number(), access: z.enum(DOCUMENT_ACCESS), licenceNote: z.string().nullable(), fileSize: z.number(), views: z.number(), downloads: z.number() });

export const referenceRoutes: Routes = async (app) => {
  // ---- the reference log ----
  app.get('/api/reference/requests', { schema: { tags, summary: 'The log of bibliographic references given', querystring: z.object({ from: date.optional(), to: date.optional(), kind: kind.optional() }), response: { 200: z.object({ items: z.array(requestSchema) }) } } }, async (req) => ({
    items: await listRequests(app.db, requireRole(req.actor, 'librarian', 'admin'), req.query),
  }));

  app.post(
    '/api/reference/requests',
    { schema: { tags, summary: 'Log a reference: kind, reader group, language, whether asked online', body: z.object({ askedOn: date, kind, question: text(4000), answer: text(8000).nullable().optional(), readerGroup: group, language, virtual: z.boolean().optional() }), response: { 201: created } } },
    async (req, reply) => {
      const newId = await logRequest(app.db, requireRole(req.actor, 'librarian', 'admin'), req.body);
      reply.status(201);
      return { id: newId };
    },
  );

  app.delete('/api/reference/requests/:id', { schema: { tags, summary: 'Remove a line of the reference log', params: z.object({ id }), response: { 200: ok } } }, async (req) => {
    await deleteRequest(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id);
    return { ok: true as const };
  });

  // ---- ask the librarian ----
  app.post('/api/reference/questions', { schema: { tags, summary: 'A pupil or parent asks the librarian a question', body: z.object({ question: text(4000) }), response: { 201: created } } }, async (req, reply) => {
    const newId = await askLibrarian(app.db, requireRole(req.actor, 'student', 'parent', 'teacher'), req.body.question);
    reply.status(201);
    return { id: newId };
  });

  app.get(
    '/api/reference/questions/mine',
    { schema: { tags, summary: 'My questions to the librarian and the answers', response: { 200: z.object({ items: z.array(z.object({ id: z.number(), askedAt: z.string(), question: z.string(), answer: z.string().nullable(), answeredAt: z.string().nullable() })) }) } } },
    async (req) => ({ items: await myQuestions(app.db, requireRole(req.actor, 'student', 'parent', 'teacher')) }),
  );

  app.get(
    '/api/reference/questions',
    {
      schema: {
        tags,
        summary: 'Questions asked of the library, unanswered first (who asked is shown by group and class only)',
        response: { 200: z.object({ items: z.array(z.object({ id: z.number(), askedAt: z.string(), question: z.string(), answer: z.string().nullable(), answeredAt: z.string().nullable(), readerGroup: z.string(), className: z.string().nullable() })) }) },
      },
    },
    async (req) => ({ items: await libraryQuestions(app.db, requireRole(req.actor, 'librarian', 'admin')) }),
  );

  app.post('/api/reference/questions/:id/answer', { schema: { tags, summary: 'Answer a question; it is logged as a virtual reference', params: z.object({ id }), body: z.object({ answer: text(8000), kind, language }), response: { 200: ok } } }, async (req) => {
    await answerQuestion(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id, req.body);
    return { ok: true as const };
  });

  // ---- unmet requests ----
  app.get('/api/reference/unmet', { schema: { tags, summary: 'Requests the library could not meet, most asked first; those marked to_purchase feed the purchase plan', querystring: z.object({ status: z.enum(UNMET_STATUSES).optional() }), response: { 200: z.object({ items: z.array(unmetSchema) }) } } }, async (req) => ({
    items: await listUnmet(app.db, requireRole(req.actor, 'librarian', 'admin'), req.query.status),
  }));

  app.post(
    '/api/reference/unmet',
    { schema: { tags, summary: 'Log a request the library could not meet (asked again, it is counted once more)', body: z.object({ notedOn: date.optional(), source: z.enum(['desk', 'search', 'question']), title: text(500), author: text(300).nullable().optional(), readerGroup: group.nullable().optional(), note: text(2000).nullable().optional() }), response: { 201: created } } },
    async (req, reply) => {
      const newId = await logUnmet(app.db, requireRole(req.actor, 'librarian', 'admin'), req.body);
      reply.status(201);
      return { id: newId };
    },
  );

  app.post('/api/reference/unmet/:id/status', { schema: { tags, summary: 'Put an unmet request into the purchase plan, or mark it met or declined', params: z.object({ id }), body: z.object({ status: z.enum(UNMET_STATUSES) }), response: { 200: ok } } }, async (req) => {
    await setUnmetStatus(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id, req.body.status);
    return { ok: true as const };
  });

  // ---- recommendation lists and bibliographic indexes ----
  const listBody = z.object({
    kind: z.enum(['recommendation', 'index']),
    title: text(500),
    audience: text(300).nullable().optional(),
    compiler: text(300).nullable().optional(),
    intro: text(4000).nullable().optional(),
    items: z.array(z.object({ workId: z.number().int().positive().nullable().optional(), articleId: z.number().int().positive().nullable().optional(), annotation: text(2000).nullable().optional() })).max(1000),
  });
  app.get('/api/reference/lists', { schema: { tags, summary: 'Recommendation lists and bibliographic indexes of the library', response: { 200: z.object({ items: z.array(z.object({ id: z.number(), kind: z.string(), title: z.string(), audience: z.string().nullable(), compiler: z.string().nullable(), items: z.number() })) }) } } }, async (req) => ({
    items: await listLists(app.db, requireRole(req.actor, 'librarian', 'admin')),
  }));
  app.post('/api/reference/lists', { schema: { tags, summary: 'Save a recommendation list or a bibliographic index', body: listBody, response: { 201: created } } }, async (req, reply) => {
    const newId = await saveList(app.db, requireRole(req.actor, 'librarian', 'admin'), req.body);
    reply.status(201);
    return { id: newId };
  });
  app.put('/api/reference/lists/:id', { schema: { tags, summary: 'Change a list and its entries', params: z.object({ id }), body: listBody, response: { 200: ok } } }, async (req) => {
    await saveList(app.db, requireRole(req.actor, 'librarian', 'admin'), req.body, req.params.id);
    return { ok: true as const };
  });
  app.get(
    '/api/reference/lists/:id',
    {
      schema: {
        tags,
        summary: 'A list with the bibliographic description of each entry',
        params: z.object({ id }),
        response: { 200: z.object({ list: z.object({ id: z.number(), kind: z.string(), title: z.string(), audience: z.string().nullable(), compiler: z.string().nullable(), intro: z.string().nullable() }), items: z.array(z.object({ id: z.number(), workId: z.number().nullable(), articleId: z.number().nullable(), annotation: z.string().nullable(), description: z.string() })) }) },
      },
    },
    async (req) => listEntries(app.db, referenceStaff(req.actor).org, req.params.id),
  );
  app.get('/api/reference/lists/:id/pdf', { schema: { tags, summary: 'A list printed with its bibliographic descriptions (PDF)', params: z.object({ id }), produces: ['application/pdf'], response: { 200: z.any().describe('application/pdf') } } }, async (req, reply) => {
    const pdf = await listPdf(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id, req.locale);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="list-${req.params.id}.pdf"`).send(pdf);
  });

  // ---- periodicals and the article index ----
  app.get(
    '/api/reference/periodicals',
    {
      schema: {
        tags,
        summary: 'The periodicals register of a year: titles, half-years subscribed, issues expected and received, price',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
        response: { 200: z.object({ items: z.array(z.object({ id: z.number(), title: z.string(), issn: z.string().nullable(), kind: z.string(), language, forChildren: z.boolean(), halves: z.array(z.number()), issuesExpected: z.number(), issuesReceived: z.number(), priceTiyn: z.number() })) }) },
      },
    },
    async (req) => ({ items: await periodicalRegister(app.db, requireRole(req.actor, 'librarian', 'admin'), req.query.year) }),
  );
  app.post('/api/reference/periodicals', { schema: { tags, summary: 'Add a title to the periodicals register', body: z.object({ title: text(300), issn: text(20).nullable().optional(), kind: z.enum(['newspaper', 'magazine']).optional(), language, forChildren: z.boolean().optional() }), response: { 201: created } } }, async (req, reply) => {
    const newId = await addPeriodical(app.db, requireRole(req.actor, 'librarian', 'admin'), req.body);
    reply.status(201);
    return { id: newId };
  });
  app.post(
    '/api/reference/periodicals/:id/subscriptions',
    { schema: { tags, summary: 'Record the subscription of a half-year', params: z.object({ id }), body: z.object({ year: z.number().int().min(2000).max(2100), half: z.union([z.literal(1), z.literal(2)]), issuesExpected: z.number().int().min(0).max(1000), priceTiyn: z.number().int().min(0).max(100_000_000_00) }), response: { 200: ok } } },
    async (req) => {
      await subscribe(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id, req.body);
      return { ok: true as const };
    },
  );
  app.get('/api/reference/periodicals/:id/issues', { schema: { tags, summary: 'Issues of a title checked in, with the articles indexed', params: z.object({ id }), response: { 200: z.object({ items: z.array(z.object({ id: z.number(), label: z.string(), issueDate: z.string().nullable(), receivedOn: z.string(), articles: z.number() })) }) } } }, async (req) => ({
    items: await issuesOf(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id),
  }));
  app.post('/api/reference/periodicals/:id/issues', { schema: { tags, summary: 'Check in an issue received', params: z.object({ id }), body: z.object({ label: text(100), issueDate: date.nullable().optional(), receivedOn: date }), response: { 201: created } } }, async (req, reply) => {
    const newId = await checkInIssue(app.db, requireRole(req.actor, 'librarian', 'admin'), req.params.id, req.body);
    reply.status(201);
    return { id: newId };
  });
  app.post(
    '/api/reference/articles',
    { schema: { tags, summary: 'Index an article of an issue received (an analytic record)', body: z.object({ issueId: z.number().int().positive(), title: text(1000), authors: text(500).nullable().optional(), pages: text(50).nullable().optional(), subjects: text(500).nullable().optional(), annotation: text(4000).nullable().optional() }), response: { 201: created } } },
    async (req, reply) => {
      const newId = await indexArticle(app.db, requireRole(req.actor, 'librarian', 'admin'), req.body);
      reply.status(201);
      return { id: newId };
    },
  );
  app.get(
    '/api/reference/articles',
    {
      schema: {
        tags,
        summary: 'Search the article index by words of the title, authors and subjects',
        querystring: z.object({ q: text(200).default('') }),
        response: { 200: z.object({ items: z.array(z.object({ id: z.number(), title: z.string(), authors: z.string().nullable(), pages: z.string().nullable(), subjects: z.string().nullable(), issue: z.string(), issueDate: z.string().nullable(), periodical: z.string() })) }) },
      },
    },
    async (req) => ({ items: await searchArticles(app.db, requireRole(req.actor, 'librarian', 'admin'), req.query.q) }),
  );

  // ---- digitised documents ----
  app.get('/api/reference/documents', { schema: { tags, summary: 'Digitised documents of the library with their use', response: { 200: z.object({ items: z.array(documentSchema) }) } } }, async (req) => ({
    items: await listDocuments(app.db, requireRole(req.actor, 'librarian', 'admin')),
  }));

  app.post(
    '/api/reference/documents',
    {
      schema: {
        tags,
        summary: `Upload a digitised document: multipart with the fields first (title, kind, access, authors, pages, licenceNote, workId) and then one PDF \`file\` of up to ${DOCUMENT_LIMIT / 1024 / 1024} MB, streamed`,
        consumes: ['multipart/form-data'],
        response: { 201: z.object({ id: z.number(), pages: z.number(), bytes: z.number() }) },
      },
    },
    async (req, reply) => {
      const actor = requireRole(req.actor, 'librarian', 'admin');
      referenceStaff(actor);
      if (!req.isMultipart()) throw new AppError('reference.no_file', 400);
      const part = await req.file({ limits: { fileSize: DOCUMENT_LIMIT } });
      if (!part) throw new AppError('reference.no_file', 400);
      const field = (name: string) => {
        const f = part.fields[name] as { value?: unknown } | undefined;
        return f && typeof f.value === 'string' && f.value.trim() ? f.value.trim() : null;
      };
      const kindValue = field('kind') ?? 'book';
      const access = field('access') ?? 'readers';
      if (!['book', 'article', 'other'].includes(kindValue) || !(DOCUMENT_ACCESS as readonly string[]).includes(access)) {
        part.file.resume();
        throw new AppError('reference.bad_fields', 400);
      }
      const num = (v: string | null) => (v && /^\d{1,9}$/.test(v) ? Number(v) : null);
      try {
        const r = await storeDocument(
          app.db,
          actor,
          { kind: kindValue as 'book', title: field('title') ?? '', authors: field('authors'), pages: num(field('pages')), access: access as 'readers', licenceNote: field('licenceNote'), workId: num(field('workId')) },
          { stream: part.file, filename: part.filename ?? '', truncated: () => part.file.truncated },
        );
        reply.status(201);
        return r;
      } finally {
        part.file.resume();
      }
    },
  );

  app.get(
    '/api/reference/documents/:id/file',
    { schema: { tags, summary: 'View (or, with download=true, download) a digitised document; each use is counted', params: z.object({ id }), querystring: z.object({ download: z.enum(['true', 'false']).optional() }), produces: ['application/pdf'], response: { 200: z.any() } } },
    async (req, reply) => {
      const actor = requireRole(req.actor, 'librarian', 'admin', 'teacher', 'student', 'parent');
      const download = req.query.download === 'true';
      const f = await openDocument(app.db, actor, req.params.id, download ? 'download' : 'view');
      return reply
        .type('application/pdf')
        .header('content-length', f.size)
        .header('content-disposition', `${download ? 'attachment' : 'inline'}; filename="${encodeURIComponent(f.name)}"`)
        .send(f.stream);
    },
  );

  app.get('/api/public/:library/documents', { schema: { tags, summary: 'Public-domain documents digitised by a library', params: z.object({ library: z.string().max(40) }), response: { 200: z.object({ items: z.array(documentSchema.omit({ views: true, downloads: true, licenceNote: true })) }) } } }, async (req) => {
    const org = await publicLibrary(app.db, req.params.library);
    const items = await documentsOf(app.db, Number(org.id), true);
    return { items: items.map(({ views: _v, downloads: _d, licenceNote: _l, ...rest }) => rest) };
  });

  app.get('/api/public/:library/documents/:id', { schema: { tags, summary: 'A public-domain document of a library (PDF); each view is counted', params: z.object({ library: z.string().max(40), id }), produces: ['application/pdf'], response: { 200: z.any() } } }, async (req, reply) => {
    const org = await publicLibrary(app.db, req.params.library);
    const f = await openDocument(app.db, null, req.params.id, 'view', Number(org.id));
    return reply.type('application/pdf').header('content-length', f.size).header('content-disposition', `inline; filename="${encodeURIComponent(f.name)}"`).send(f.stream);
  });

  // ---- figures ----
  app.get(
    '/api/reference/counts',
    { schema: { tags, summary: 'References by kind, periodicals and digitisation of this library over a period (a school year by default)', querystring: z.object({ from: date.optional(), to: date.optional() }), response: { 200: z.any() } } },
    async (req) => {
      const { org } = referenceStaff(req.actor);
      let { from, to } = req.query;
      if (!from || !to) ({ from, to } = schoolYearRange(schoolYearOf(await libraryToday(app.db, org))));
      return { from, to, references: await referenceCounts(app.db, [org], from, to), periodicals: await periodicalCounts(app.db, [org], from, to), digitisation: await digitisationCounts(app.db, [org], from, to) };
    },
  );
};
