import type { FastifyError, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.js';
import { MAX_UPLOAD_MEGABYTES } from '../shared/uploads.js';
import type { App } from './types.js';
import { fieldLabel } from './validation.js';

/** The largest JSON body any form of the UI sends is far below this; files come as multipart with their own limits. */
export const JSON_BODY_LIMIT = 8 * 1024 * 1024;

/** A NUL, or half of a surrogate pair: text no database column may hold and no person typed. */
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isBadText(value: string): boolean {
  return BAD_TEXT.test(value);
}

/** The path of the first string (or key) in a parsed value that holds bad text, or null. */
export function findBadText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return isBadText(value) ? path || '(text)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findBadText(value[i], path ? `${path}.${i}` : String(i));
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const here = path ? `${path}.${key}` : key;
      if (isBadText(key)) return here;
      const found = findBadText(item, here);
      if (found !== null) return found;
    }
  }
  return null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Hostile text is refused at the door, for every route at once: a JSON body must be valid UTF-8
 * (not silently patched with replacement characters), and no string of the body, the query or the
 * path may hold a NUL or a lone surrogate. Each refusal is a translated 400 naming the field.
 */
export function installRequestGuard(app: App): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: JSON_BODY_LIMIT }, (req, body, done) => {
    let text: string;
    try {
      text = strictUtf8.decode(body as Buffer);
    } catch {
      done(new AppError('common.bad_encoding', 400), undefined);
      return;
    }
    // the default parser answers through `done`; what it returns is not waited for
    void parseJson(req, text, done);
  });

  app.addHook('preValidation', async (req: FastifyRequest) => {
    for (const [part, value] of [['body', req.body], ['query', req.query], ['params', req.params]] as const) {
      const field = findBadText(value);
      if (field === null) continue;
      const path = part === 'body' ? field : `${part}.${field}`;
      throw new AppError('common.bad_text', 400, { field: fieldLabel(req.locale ?? 'kk', field) }, { path });
    }
  });
}

/** Errors of reading a multipart body (busboy's own, thrown without a status). */
const MULTIPART_MESSAGES = /^(Unexpected end of (form|multipart data)|Malformed (part header|content|urlencoded form)|Multipart: Boundary not found|Part terminated early|Missing boundary)/i;

/**
 * The translated code of an error that the framework raised while reading a request, or null for
 * any other error. Every one is the client's fault: a 4xx, never a 500.
 */
export function requestErrorCode(err: FastifyError | Error): { status: number; code: string; params?: Record<string, string | number> } | null {
  const fe = err as FastifyError;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'common.body_too_large', params: { megabytes: Math.round(JSON_BODY_LIMIT / 1024 / 1024) } };
    case 'FST_REQ_FILE_TOO_LARGE':
      return { status: 413, code: 'common.file_too_large', params: { megabytes: MAX_UPLOAD_MEGABYTES } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return { status: 415, code: 'common.unsupported_media_type' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'common.bad_json' };
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return { status: 400, code: 'common.bad_multipart' };
    default:
      break;
  }
  if (err instanceof SyntaxError && fe.statusCode === 400) return { status: 400, code: 'common.bad_json' };
  if (MULTIPART_MESSAGES.test(err.message ?? '')) return { status: 400, code: 'common.bad_multipart' };
  const sqlState = (err as { code?: string }).code;
  // The database refused a value (class 22: data exception; 54000: a value too long to index):
  // bad input that reached it unchecked, refused before anything was written.
  if (typeof sqlState === 'string' && /^(22[0-9A-Z]{3}|54000)$/.test(sqlState)) return { status: 400, code: 'common.invalid_value' };
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return { status: fe.statusCode, code: 'common.bad_request' };
  return null;
}
