import os from 'node:os';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/types.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { TEST_PASSWORD } from './tenants.js';

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
  raw: Buffer;
}

/** A signed-in browser in miniature: keeps the session cookie and sends the CSRF token. */
export class ApiClient {
  private cookie = '';
  csrf = '';
  constructor(
    readonly app: App,
    private locale = 'en',
  ) {}

  setLocale(locale: string) {
    this.locale = locale;
    return this;
  }

  async login(login: string, password = TEST_PASSWORD): Promise<Response> {
    const res = await this.request({ method: 'POST', url: '/api/auth/login', payload: { login, password } });
    if (res.status === 200) this.csrf = res.body.csrfToken;
    return res;
  }

  get<T = any>(url: string) {
    return this.request<T>({ method: 'GET', url });
  }
  post<T = any>(url: string, payload?: unknown) {
    return this.request<T>({ method: 'POST', url, payload: payload as InjectOptions['payload'] });
  }
  put<T = any>(url: string, payload?: unknown) {
    return this.request<T>({ method: 'PUT', url, payload: payload as InjectOptions['payload'] });
  }
  patch<T = any>(url: string, payload?: unknown) {
    return this.request<T>({ method: 'PATCH', url, payload: payload as InjectOptions['payload'] });
  }
  delete<T = any>(url: string) {
    return this.request<T>({ method: 'DELETE', url });
  }

  async request<T = any>(options: InjectOptions): Promise<Response<T>> {
    const headers: Record<string, string> = { 'accept-language': this.locale, ...(options.headers as Record<string, string>) };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf) headers['x-csrf-token'] = this.csrf;
    const res = await this.app.inject({ ...options, headers });
    const setCookie = res.headers['set-cookie'];
    for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = c.split(';');
      if (pair!.startsWith('kt_session=')) this.cookie = pair!.endsWith('=') ? '' : pair!;
    }
    const type = String(res.headers['content-type'] ?? '');
    const body = type.includes('json') ? res.json() : res.body;
    return { status: res.statusCode, body: body as T, headers: res.headers, raw: res.rawPayload };
  }
}

export async function testApp(database: DatabaseHandle): Promise<App> {
  // backups made by tests go to the system's temporary folder, never into the working tree
  const app = await buildApp({ database, webDist: '/nonexistent', backups: { dir: path.join(os.tmpdir(), `kitaphana-test-backups-${process.pid}`), keepDays: 30, everyHours: 0, allowPlain: true } });
  await app.ready();
  return app;
}
