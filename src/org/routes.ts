import { sql } from 'kysely';
import { z } from 'zod';
import { requireRole, type Actor } from '../auth/actor.js';
import { SESSION_COOKIE } from '../http/auth-hooks.js';
import type { Routes } from '../http/types.js';
import { AppError, forbidden } from '../shared/errors.js';
import { assertCanSeeOrganisation, createOrganisation } from './organisations.js';
import { checkCredentials, closeSession, createUser, openSession, setLocale, actorForSession } from './users.js';
import { audit } from './audit.js';

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
      const keys = [`login:${req.body.login.toLowerCase()}`, `ip:${req.ip}`];
      const wait = app.loginThrottle.retryAfter(keys);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new AppError('auth.too_many_attempts', 429, { seconds: wait });
      }
      const userId = await checkCredentials(app.db, req.body.login, req.body.password);
      if (!userId) {
        app.loginThrottle.fail(keys);
        throw new AppError('auth.bad_credentials', 401);
      }
      app.loginThrottle.succeed(keys);
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
      .select('name')
      .where('id', '=', actor.organisationId)
      .executeTakeFirstOrThrow();
    return { ...actor, organisationName: org.name, csrfToken };
  }

  app.post('/api/auth/logout', { schema: { tags, response: { 204: z.null() } } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await closeSession(app.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/api/auth/me', { schema: { tags, response: { 200: meSchema } } }, async (req) => {
    const actor = requireRole(req.actor, 'admin', 'methodologist', 'librarian', 'teacher', 'student', 'parent');
    return me(actor, req.csrfToken!);
  });

  app.put(
    '/api/auth/locale',
    { schema: { tags, body: z.object({ locale: localeSchema }), response: { 204: z.null() } } },
    async (req, reply) => {
      const actor = requireRole(req.actor, 'admin', 'methodologist', 'librarian', 'teacher', 'student', 'parent');
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
      const actor = requireRole(req.actor, 'admin', 'methodologist', 'librarian', 'teacher', 'student', 'parent');
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
      const actor = requireRole(req.actor, 'admin');
      const created = await app.db.transaction().execute((trx) => createOrganisation(trx, actor, req.body));
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
      const actor = requireRole(req.actor, 'admin', 'librarian');
      if (actor.role === 'librarian') {
        if (req.body.organisationId !== actor.organisationId) throw forbidden();
        if (!['teacher', 'student', 'parent'].includes(req.body.role)) throw forbidden();
        if (req.body.readerId) {
          const reader = await app.db
            .selectFrom('readers.readers')
            .select('organisation_id')
            .where('id', '=', req.body.readerId)
            .executeTakeFirst();
          if (reader?.organisation_id !== actor.organisationId) throw forbidden();
        }
      }
      const id = await app.db.transaction().execute((trx) => createUser(trx, actor, req.body));
      return reply.status(201).send({ id });
    },
  );

  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['organisations'],
        summary: 'The audit log of the own organisation (admins: any)',
        querystring: z.object({
          organisationId: z.coerce.number().int().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: {
          200: z.array(
            z.object({
              id: z.number(),
              at: z.date(),
              userId: z.number().nullable(),
              action: z.string(),
              entity: z.string(),
              entityId: z.string().nullable(),
              details: z.record(z.string(), z.unknown()),
            }),
          ),
        },
      },
    },
    async (req) => {
      const actor = requireRole(req.actor, 'admin', 'librarian');
      const orgId = req.query.organisationId ?? actor.organisationId;
      await assertCanSeeOrganisation(app.db, actor, orgId);
      const rows = await app.db
        .selectFrom('org.audit_log')
        .selectAll()
        .where('organisation_id', '=', orgId)
        .orderBy('id', 'desc')
        .limit(req.query.limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        at: new Date(r.at),
        userId: r.user_id,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        details: r.details,
      }));
    },
  );
};
