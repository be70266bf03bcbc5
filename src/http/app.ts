import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyReply } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import { MAX_UPLOAD_BYTES } from '../shared/uploads.js';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LoginThrottle } from '../auth/rate-limit.js';
import type { DatabaseHandle } from '../db/connect.js';
import { readBackupConfig, type BackupConfig } from '../backup/backup.js';
import { readConfig } from '../config.js';
import { pickLocale, t } from '../i18n/index.js';
import { installAuthHooks } from './auth-hooks.js';
import { installRequestGuard } from './request-guard.js';
import { installSecurityHeaders } from './security-headers.js';
import { webAssetOptions } from './web-assets.js';
import { errorHandler } from './errors.js';
import { domainRoutes } from './routes.js';
import type { App } from './types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface AppOptions {
  database: DatabaseHandle;
  /** Folder of the built web UI; served when it exists. */
  webDist?: string;
  logger?: boolean;
  /** Mark cookies Secure (behind HTTPS). */
  secureCookies?: boolean;
  loginThrottle?: LoginThrottle;
  /** Reverse proxies whose X-Forwarded-For is believed (KITAPHANA_TRUSTED_PROXIES); none by default. */
  trustedProxies?: string[];
  /** Where backups of the embedded database go (by default a `backups` folder beside the data folder). */
  backups?: BackupConfig;
  /** The list of erasures kept outside the database, re-applied after a restore; none when null. */
  erasureLedger?: string | null;
}

/** A request's address for the log: the query's values are left out, its parameter names kept. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const names = [...new URLSearchParams(url.slice(q + 1)).keys()];
  return `${url.slice(0, q)}?${names.map((n) => `${n}=…`).join('&')}`;
}

export async function buildApp(options: AppOptions): Promise<App> {
  const app = Fastify({
    // the request log keeps which page was asked for, never what was typed into a search (pupils' names)
    logger: options.logger ? { level: 'info', serializers: { req: (req) => ({ method: req.method, url: redactUrl(req.url ?? '') }) } } : false,
    bodyLimit: 50 * 1024 * 1024,
    // The client's address is the socket's, unless the request comes through a proxy named in the configuration.
    trustProxy: options.trustedProxies?.length ? options.trustedProxies : false,
    // an address the router cannot read (broken percent-encoding, an over-long part) gets the same translated answer
    frameworkErrors: (err, req, reply) => {
      const locale = pickLocale(req.headers['x-locale'] as string | undefined, req.headers['accept-language']);
      const code = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'common.address_too_long' : 'common.bad_address';
      void (reply as unknown as FastifyReply).status(err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400).send({ error: { code, message: t(locale, code) } });
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.decorate('db', options.database.db);
  app.decorate('dbKind', options.database.kind);
  app.decorate('database', options.database);
  app.decorate('backupConfig', options.backups ?? readBackupConfig({}, readConfig({}).dataDir));
  app.decorate('loginThrottle', options.loginThrottle ?? new LoginThrottle());
  app.decorate('secureCookies', options.secureCookies ?? false);
  app.decorate('erasureLedger', options.erasureLedger ?? null);

  await app.register(cookie);
  // a route that takes larger files (a reference document) names its own limit
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Kitaphana API', version: '0.1.0', description: 'Library system for school and children\'s libraries' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'kt_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  installAuthHooks(app);
  installSecurityHeaders(app);
  installRequestGuard(app);
  const routeList: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeList.push({ method, url: route.url });
  });
  app.decorate('routeList', routeList);


  app.get(
    '/api/health',
    { schema: { tags: ['system'], response: { 200: z.object({ status: z.literal('ok'), database: z.string() }) } } },
    async () => ({ status: 'ok' as const, database: app.dbKind }),
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const routes of domainRoutes) {
    await app.register(async (scope) => routes(scope as unknown as App));
  }

  const webDist = options.webDist ?? path.join(root, 'web', 'dist');
  const hasWeb = fs.existsSync(path.join(webDist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, webAssetOptions(webDist));
  app.setNotFoundHandler((req, reply) => {
    // the web UI routes in the browser: any page address that is not a file gets the app
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/api/')) return reply.sendFile('index.html');
    return reply.status(404).send({ error: { code: 'common.no_such_route', message: t(req.locale, 'common.no_such_route') } });
  });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    secureCookies: boolean;
    /** The database with what only its kind can do (the embedded one's dump, for backups). */
    database: DatabaseHandle;
    backupConfig: BackupConfig;
    /** Where erasures are listed outside the database (see readers/anonymise.ts). */
    erasureLedger: string | null;
    /** Every route registered, for the tests that check the API as a whole. */
    routeList: { method: string; url: string }[];
  }
}
