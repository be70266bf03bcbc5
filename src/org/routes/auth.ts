import { z } from 'zod';
import { allow } from '../../auth/guard.js';
import { SESSION_COOKIE } from '../../http/auth-hooks.js';
import type { Routes } from '../../http/types.js';
import { AppError } from '../../shared/errors.js';
import { audit } from '../audit.js';
import { actorForSession, checkCredentials, closeSession, describeActor, openSession, recordFailedSignIn, setLocale } from '../users.js';
import { localeSchema, orgKindSchema, roleSchema } from './shared.js';

const tags = ['auth'];
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

/** Signing in and out, and the signed-in user's own session. */
export const authRoutes: Routes = (app) => {
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
      return describeActor(app.db, found.actor, session.csrfToken);
    },
  );

  app.post('/api/auth/logout', { schema: { tags, response: { 204: z.null() } } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await closeSession(app.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/api/auth/me', { schema: { tags, response: { 200: meSchema } } }, async (req) => {
    const actor = allow(req.actor, 'signedIn');
    return describeActor(app.db, actor, req.csrfToken!);
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
};
