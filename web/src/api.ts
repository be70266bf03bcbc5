import { currentLanguage } from './i18n.js';

/** An error reply of the API; `message` is already translated by the server into the current language. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly params?: Record<string, unknown>,
    /** What the server says beyond the message, e.g. a refused file's problems by row and column. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken: string | null = null;

let onSessionLost: (() => void) | null = null;

/** Set from the login and /api/auth/me replies; echoed on every state-changing request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a signed-in request is answered 401: the session expired or was closed elsewhere. */
export function whenSessionLost(callback: (() => void) | null): void {
  onSessionLost = callback;
}

function headersFor(method: string, json: boolean): Record<string, string> {
  const headers: Record<string, string> = { 'x-locale': currentLanguage(), accept: 'application/json' };
  if (json) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  return headers;
}

async function send(method: string, url: string, body?: unknown): Promise<Response> {
  const isForm = body instanceof FormData;
  const json = body !== undefined && !isForm;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'include',
      headers: headersFor(method, json),
      body: isForm ? body : json ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, 'common.network', '');
  }
  if (res.status === 401 && csrfToken !== null && url !== '/api/auth/login') {
    csrfToken = null;
    onSessionLost?.();
  }
  if (!res.ok) throw await errorOf(res);
  return res;
}

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; params?: Record<string, unknown>; details?: unknown } };
    return new ApiError(res.status, body.error?.code ?? 'common.internal', body.error?.message ?? res.statusText, body.error?.params, body.error?.details);
  } catch {
    return new ApiError(res.status, 'common.internal', res.statusText);
  }
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await send(method, url, body);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : undefined) as T;
}

export const get = <T>(url: string) => api<T>('GET', url);
export const post = <T>(url: string, body?: unknown) => api<T>('POST', url, body ?? {});
export const put = <T>(url: string, body?: unknown) => api<T>('PUT', url, body ?? {});
export const patch = <T>(url: string, body?: unknown) => api<T>('PATCH', url, body ?? {});
export const del = <T>(url: string) => api<T>('DELETE', url);

/** Sends one file as multipart form data (field "file"). */
export function upload<T>(url: string, file: File, fields: Record<string, string> = {}): Promise<T> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', file);
  return api<T>('POST', url, form);
}

/** '?q=abai&limit=20', leaving out empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Fetches a document (PDF, XLSX) and saves it under the server's file name.
 * With a body the request is a POST (e.g. labels for the selected copies).
 */
export async function download(url: string, body?: unknown): Promise<void> {
  const res = await send(body === undefined ? 'GET' : 'POST', url, body);
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileNameOf(res, url);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

function fileNameOf(res: Response, url: string): string {
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1]!);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  if (plain) return plain[1]!;
  const last = url.split('?')[0]!.split('/').pop() || 'document';
  const type = res.headers.get('content-type') ?? '';
  return last.includes('.') ? last : `${last}${type.includes('pdf') ? '.pdf' : ''}`;
}
