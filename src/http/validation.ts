import type { z } from 'zod';
import { hasFieldLabel } from '../i18n/field-labels.js';
import { t } from '../i18n/index.js';
import type { Locale } from '../org/schema.js';

/** One failed check of a request, as fastify-type-provider-zod hands it over. */
export interface ValidationIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

export interface TranslatedIssue {
  path: string;
  code: string;
  message: string;
}

/**
 * Turns zod's English issue texts into the user's language: the route schemas are written
 * once, and a librarian reading «кемінде 1 таңба» must not meet "Too small: expected string".
 */
export function translateIssues(locale: Locale, issues: ValidationIssue[], context?: string): TranslatedIssue[] {
  return issues.map((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const field = fieldLabel(locale, path || (context && context !== 'body' ? context : ''));
    const p = issue.params ?? {};
    const code = codeOf(issue);
    const params: Record<string, unknown> = { field };
    if (code === 'invalid_type') params.expected = t(locale, `validation.type.${String(p.expected ?? 'value')}`);
    if (code.startsWith('too_')) params.limit = String(p.minimum ?? p.maximum ?? '');
    if (code === 'invalid_value') params.values = ((p.values as unknown[]) ?? []).map(String).join(', ');
    if (code === 'unrecognized_keys') params.keys = ((p.keys as unknown[]) ?? []).map(String).join(', ');
    const key = field || code === 'unrecognized_keys' ? `validation.${code}` : `validation.${code}.whole`;
    return { path: issue.instancePath, code, message: t(locale, key, params) };
  });
}

/**
 * A field as the user knows it: its label on the screen in her language. A field without one is
 * named by its path in English only; in Kazakh and Russian it is «one of the fields».
 */
export function fieldLabel(locale: Locale, path: string): string {
  if (!path) return '';
  const name = path.split('.').filter((part) => !/^\d+$/.test(part)).pop() ?? '';
  if (hasFieldLabel(name)) return t(locale, `field.${name}`);
  return locale === 'en' ? path : t(locale, 'validation.some_field');
}

/** The issues of a zod check made inside a route (a multipart form's fields), in the shape the framework gives. */
export function zodIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map(({ path, code, message, ...params }) => ({ keyword: code, instancePath: `/${path.join('/')}`, message, params }));
}

function codeOf(issue: ValidationIssue): string {
  const p = issue.params ?? {};
  switch (issue.keyword) {
    case 'invalid_type':
      // zod names the missing value only in its English text
      return /received undefined$/.test(issue.message ?? '') ? 'required' : 'invalid_type';
    case 'too_small':
    case 'too_big': {
      const origin = String(p.origin ?? 'number');
      const kind = origin === 'string' ? 'string' : origin === 'array' || origin === 'set' ? 'array' : 'number';
      return `${issue.keyword}_${kind}`;
    }
    case 'invalid_format':
      return p.format === 'email' ? 'invalid_email' : /\\d\{4\}-/.test(String(p.pattern ?? '')) ? 'invalid_date' : 'invalid_format';
    case 'invalid_value':
    case 'unrecognized_keys':
      return issue.keyword;
    case 'custom':
      return /date/i.test(issue.message ?? '') ? 'invalid_date' : 'invalid';
    default:
      return 'invalid';
  }
}
