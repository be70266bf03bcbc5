import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { t } from '../i18n/index.js';
import { AppError, isUniqueViolation } from '../shared/errors.js';
import { requestErrorCode } from './request-guard.js';
import { translateIssues } from './validation.js';

export interface ErrorBody {
  error: { code: string; message: string; params?: Record<string, unknown>; details?: unknown };
}

/** The one place where an error becomes a response, translated to the request's language. */
export function errorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  const locale = req.locale ?? 'kk';
  if (err instanceof AppError) {
    return reply.status(err.status).send(body(err.code, t(locale, err.code, err.params), err.params, err.details));
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = translateIssues(locale, err.validation, (err as FastifyError).validationContext);
    const summary = issues.map((i) => i.message).join('; ');
    return reply.status(400).send(body('common.validation', t(locale, 'common.validation', { summary }), { summary }, issues));
  }
  if (isUniqueViolation(err)) {
    return reply.status(409).send(body('common.conflict', t(locale, 'common.conflict')));
  }
  // what the framework or the database refused while reading the request: the client's fault, translated
  const refused = requestErrorCode(err);
  if (refused) {
    if (refused.status >= 500) req.log.error(err);
    return reply.status(refused.status).send(body(refused.code, t(locale, refused.code, refused.params), refused.params));
  }
  req.log.error(err);
  return reply.status(500).send(body('common.internal', t(locale, 'common.internal')));
}

function body(code: string, message: string, params?: Record<string, unknown>, details?: unknown): ErrorBody {
  return { error: { code, message, ...(params && Object.keys(params).length ? { params } : {}), ...(details ? { details } : {}) } };
}
