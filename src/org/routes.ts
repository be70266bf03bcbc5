import { sql } from 'kysely';
import { z } from 'zod';
import { type Actor } from '../auth/actor.js';
import { SESSION_COOKIE } from '../http/auth-hooks.js';
import type { Routes } from '../http/types.js';
import { AppError } from '../shared/errors.js';
import { createOrganisation } from './organisations.js';
import { checkCredentials, closeSession, openSession, recordFailedSignIn, setLocale, actorForSession } from './users.js';
import { audit, auditFacets, listAudit } from './audit.js';
import { listPeople, openAccount, updatePerson } from './people.js';
import { inTransaction } from '../db/transaction.js';
import { allow } from '../auth/guard.js';

const roleSchema = z.enum(['admin', 'methodologist', 'librarian', 'teacher', 'student', 'parent']);
const localeSchema = z.enum(['kk', 'ru', 'en']);
const orgKindSchema = z.enum(['republic', 'region', 'district', 'school', 'college', 'children_library']);

export const meSchema = z.object({
  userId: z.number(),
  login: z.string(),
  fullName: z.string(),
  role: roleSchema,
  organisationId: z.number(),
  organisationName: z.string(),
  organisationKind: orgKindSchema.describe('a library (school, college, children_library) or an education authority'),
  classGrade: z.number().nullable(),
  classLetter: z.string().nullable(),
  readerId: z.number().nullable(),
  locale: localeSchema,
  csrfToken: z.string(),
});

export const orgRoutes: Routes = async (app) => {
  const tags = ['auth'];

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags,
        summary: 'Sign in with login and password; sets the session cookie',
        body: z.object({ login: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
        response: { 200: meSchema },
      },
    },
    async (req, reply) => {
      const { login, password } = req.body;
      const address = req.ip;
      const wait = app.loginThrottle.retryAfter(login, address);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new AppError('auth.too_many_attempts', 429, { seconds: wait });
      }
      const userId = await checkCredentials(app.db, login, password);
      if (!userId) {
        app.loginThrottle.fail(login, address);
        await recordFailedSignIn(app.db, login, address);
        throw new AppError('auth.bad_credentials', 401);
      }
      app.loginThrottle.succeed(login, address);
      const session = await openSession(app.db, userId);
      const found = (await actorForSession(app.db, session.token))!;
      await audit(app.db, found.actor, 'login', 'user', userId);
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: app.secureCookies || req.protocol === 'https',
        expires: session.expiresAt,
      });
      return me(found.actor, session.csrfToken);
    },
  );

  async function me(actor: Actor, csrfToken: string) {
    const org = await app.db
      .selectFrom('org.organisations')
      .select(['name', 'kind'])
      .where('id', '=', actor.organisationId)
      .executeTakeFirstOrThrow();
    return { ...actor, organisationName: org.name, organisationKind: org.kind, csrfToken };
  }

  app.post('/api/auth/logout', { schema: { tags, response: { 204: z.null() } } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await closeSession(app.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/api/auth/me', { schema: { tags, response: { 200: meSchema } } }, async (req) => {
    const actor = allow(req.actor, 'signedIn');
    return me(actor, req.csrfToken!);
  });

  app.put(
    '/api/auth/locale',
    { schema: { tags, body: z.object({ locale: localeSchema }), response: { 204: z.null() } } },
    async (req, reply) => {
      const actor = allow(req.actor, 'signedIn');
      await setLocale(app.db, actor, req.body.locale);
      return reply.status(204).send(null);
    },
  );

  const orgSchema = z.object({
    id: z.number(),
    parentId: z.number().nullable(),
    kind: orgKindSchema,
    name: z.string(),
    nameRu: z.string().nullable(),
    nameEn: z.string().nullable(),
    code: z.string().nullable(),
  });

  app.get(
    '/api/organisations',
    { schema: { tags: ['organisations'], summary: 'Organisations the user may see', response: { 200: z.array(orgSchema) } } },
    async (req) => {
      const actor = allow(req.actor, 'signedIn');
      let q = app.db
        .selectFrom('org.organisations')
        .select(['id', 'parent_id', 'kind', 'name', 'name_ru', 'name_en', 'code'])
        .orderBy('path');
      if (actor.role === 'methodologist') q = q.where(sql<boolean>`path like ${actor.orgPath + '%'}`);
      else if (actor.role !== 'admin') q = q.where('id', '=', actor.organisationId);
      const rows = await q.execute();
      return rows.map((r) => ({
        id: r.id,
        parentId: r.parent_id,
        kind: r.kind,
        name: r.name,
        nameRu: r.name_ru,
        nameEn: r.name_en,
        code: r.code,
      }));
    },
  );

  app.post(
    '/api/organisations',
    {
      schema: {
        tags: ['organisations'],
        body: z.object({
          parentId: z.number().int().nullable(),
          kind: orgKindSchema,
          name: z.string().min(1).max(300),
          nameRu: z.string().max(300).nullish(),
          nameEn: z.string().max(300).nullish(),
          code: z.string().max(50).nullish(),
        }),
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'admin');
      const created = await inTransaction(app.db, (trx) => createOrganisation(trx, actor, req.body));
      return reply.status(201).send({ id: created.id });
    },
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Create a user. Admins create anyone; a librarian creates teachers, students and parents of the own library',
        body: z.object({
          login: z.string().min(3).max(100),
          password: z.string().min(1).max(200),
          fullName: z.string().min(1).max(300),
          role: roleSchema,
          organisationId: z.number().int(),
          classGrade: z.number().int().min(0).max(12).nullish(),
          classLetter: z.string().max(5).nullish(),
          readerId: z.number().int().nullish(),
          locale: localeSchema.optional(),
        }),
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'staff');
      const id = await inTransaction(app.db, (trx) => openAccount(trx, actor, req.body));
      return reply.status(201).send({ id });
    },
  );

  const personSchema = z.object({
    id: z.number(),
    login: z.string(),
    fullName: z.string(),
    role: roleSchema,
    classGrade: z.number().nullable(),
    classLetter: z.string().nullable(),
    readerId: z.number().nullable(),
    readerName: z.string().nullable().describe('the reader a student or parent account is linked to'),
    active: z.boolean(),
    createdAt: z.string(),
    lastSeenAt: z.string().nullable().describe('latest use of any open session'),
  });

  app.get(
    '/api/users',
    {
      schema: {
        tags: ['organisations'],
        summary: "Accounts of the own library (an admin: of any organisation), by role and name",
        querystring: z.object({ organisationId: z.coerce.number().int().positive().optional().describe('only an admin may name another organisation') }),
        response: { 200: z.array(personSchema) },
      },
    },
    async (req) => listPeople(app.db, allow(req.actor, 'staff'), req.query.organisationId),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['organisations'],
        summary: "Change an account: name, class, a new password, or close it (signs the person out). A librarian changes the own library's teachers, students and parents",
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: z.object({
          fullName: z.string().trim().min(1).max(300).optional(),
          password: z.string().min(1).max(200).optional(),
          active: z.boolean().optional(),
          classGrade: z.number().int().min(0).max(12).nullish(),
          classLetter: z.string().max(5).nullish(),
        }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const actor = allow(req.actor, 'staff');
      await inTransaction(app.db, (trx) => updatePerson(trx, actor, req.params.id, req.body));
      return reply.status(204).send(null);
    },
  );

  const auditOrg = z.coerce.number().int().positive().optional().describe('whose log: the own organisation when absent (only an admin may name another)');
  const auditLine = z.object({
    id: z.number(),
    at: z.string().describe('when, ISO 8601'),
    userId: z.number().nullable().describe('who; null for the system'),
    userFullName: z.string().nullable(),
    userLogin: z.string().nullable(),
    action: z.string().describe("what was done: 'create', 'update', 'issue', …"),
    entity: z.string().describe("to what: 'reader', 'copy', 'loan', …"),
    entityId: z.string().nullable().describe('the id of the thing changed'),
    details: z.record(z.string(), z.unknown()).describe('what changed, by field'),
  });

  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['organisations'],
        summary: 'The audit log of the own organisation (admins: any), newest first, paged by id',
        querystring: z.object({
          organisationId: auditOrg,
          before: z.coerce.number().int().positive().optional().describe('only lines with a smaller id: the nextBefore of the previous page'),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          entity: z.string().min(1).max(60).optional().describe('only lines about this entity'),
          action: z.string().min(1).max(60).optional().describe('only lines of this action'),
          userId: z.coerce.number().int().positive().optional().describe('only lines written by this user'),
          from: z.iso.date().optional().describe('first day, inclusive (YYYY-MM-DD, the library’s calendar)'),
          to: z.iso.date().optional().describe('last day, inclusive (YYYY-MM-DD)'),
        }),
        response: {
          200: z.object({
            items: z.array(auditLine),
            nextBefore: z.number().nullable().describe('pass as before for the next page; null on the last page'),
          }),
        },
      },
    },
    async (req) => listAudit(app.db, allow(req.actor, 'staff'), req.query),
  );

  app.get(
    '/api/audit/facets',
    {
      schema: {
        tags: ['organisations'],
        summary: 'The entities, actions and people present in the audit log, for its filters',
        querystring: z.object({ organisationId: auditOrg }),
        response: {
          200: z.object({
            entities: z.array(z.string()),
            actions: z.array(z.string()),
            pairs: z.array(z.object({ entity: z.string(), action: z.string() })).describe('the actions each entity has'),
            users: z.array(z.object({ id: z.number(), fullName: z.string(), login: z.string() })).describe('people with a line in the log'),
          }),
        },
      },
    },
    async (req) => auditFacets(app.db, allow(req.actor, 'staff'), req.query.organisationId),
  );
};
