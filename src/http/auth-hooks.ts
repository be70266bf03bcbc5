import type { FastifyReply, FastifyRequest } from 'fastify';
import { pickLocale } from '../i18n/index.js';
import { actorForSession } from '../org/users.js';
import { AppError } from '../shared/errors.js';
import { isPublicRoute } from './public-routes.js';
import type { App } from './types.js';

export const SESSION_COOKIE = 'kt_session';
export const CSRF_HEADER = 'x-csrf-token';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes that run before a session exists. */
// OAI-PMH's POST form reads and changes nothing
const CSRF_EXEMPT = new Set(['/api/auth/login', '/api/oai']);

export function installAuthHooks(app: App): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('locale', 'kk');

  app.addHook('onRequest', async (req: FastifyRequest) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const found = await actorForSession(app.db, token);
      if (found) {
        req.actor = found.actor;
        req.csrfToken = found.csrfToken;
      }
    }
    const q = req.query as Record<string, string> | undefined;
    req.locale = pickLocale(
      req.headers['x-locale'] as string | undefined,
      q?.lang,
      req.actor?.locale,
      req.headers['accept-language'],
    );
  });

  app.addHook('preValidation', async (req: FastifyRequest) => {
    if (req.actor || !req.url.startsWith('/api/')) return;
    if (!isPublicRoute(req.method === 'HEAD' ? 'GET' : req.method, req.routeOptions.url)) {
      throw new AppError('auth.unauthorised', 401);
    }
  });

  // Double protection against cross-site requests: the session cookie is SameSite=Lax,
  // and every state-changing request must echo the session's CSRF token in a header.
  app.addHook('preHandler', async (req: FastifyRequest, _reply: FastifyReply) => {
    if (!UNSAFE.has(req.method) || !req.actor) return;
    const path = req.url.split('?')[0]!;
    if (CSRF_EXEMPT.has(path)) return;
    if (req.headers[CSRF_HEADER] !== req.csrfToken) throw new AppError('auth.csrf', 403);
  });
}
