import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { seedTenants } from '../../test/support/tenants.js';
import type { DatabaseHandle } from '../db/connect.js';
import { buildApp } from './app.js';
import { EMBEDDABLE_PAGES, isEmbeddable } from './security-headers.js';
import type { App } from './types.js';

describe.each(BACKENDS)('security headers on every answer on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  const web = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-web-'));

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await seedTenants(database.db);
    fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>Kitaphana</title><script type="module" src="/app.js"></script>');
    fs.writeFileSync(path.join(web, 'app.js'), 'console.log(1)');
    app = await buildApp({
      database,
      webDist: web,
      trustedProxies: ['127.0.0.1'],
      backups: { dir: path.join(os.tmpdir(), `kitaphana-test-backups-${process.pid}`), keepDays: 2, everyHours: 0 },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    fs.rmSync(web, { recursive: true, force: true });
  });

  const common = (headers: Record<string, unknown>) => {
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
  };

  it('gives pages a policy of scripts from this server only, and no framing by other sites', async () => {
    for (const url of ['/', '/circulation/desk', '/app.js']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      common(res.headers);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp).toContain("img-src 'self' data: blob:");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('keeps API answers out of every cache, errors included, unless a route allows it', async () => {
    const api = new ApiClient(app);
    await api.login('librarian-a');
    for (const res of [await api.get('/api/auth/me'), await api.get('/api/readers'), await api.get('/api/no-such-thing'), await new ApiClient(app).get('/api/readers')]) {
      common(res.headers);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    }
  });

  it("lets the browser show the app's own PDFs, framed by our pages only", async () => {
    const teacher = new ApiClient(app);
    await teacher.login('teacher-a');
    const pdf = await teacher.get('/api/circulation/debtors.pdf');
    expect(pdf.status).toBe(200);
    expect(String(pdf.headers['content-type'])).toContain('application/pdf');
    expect(pdf.headers['content-security-policy']).toBe("frame-ancestors 'self'");
    expect(pdf.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(pdf.headers['cache-control']).toBe('no-store');
    common(pdf.headers);
  });

  it('asks for HTTPS from then on when the answer went over TLS', async () => {
    const res = await app.inject({ url: '/api/health', headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
  });

  it('lets a library\'s public page, and only it, be framed by the school\'s website', async () => {
    const page = await app.inject({ url: '/public/4' });
    expect(String(page.headers['content-security-policy'])).toContain('frame-ancestors *');
    expect(page.headers['x-frame-options']).toBeUndefined();
    expect(isEmbeddable('/publications')).toBe(false);
    for (const url of ['/', '/catalogue', '/api/public/4/events', '/login']) {
      const res = await app.inject({ url });
      expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('lets a page on the list of embeddable pages be framed by school websites', async () => {
    EMBEDDABLE_PAGES.push('/embed/catalogue');
    try {
      expect(isEmbeddable('/embed/catalogue?school=4')).toBe(true);
      expect(isEmbeddable('/embed/catalogue-x')).toBe(false);
      const res = await app.inject({ url: '/embed/catalogue' });
      expect(String(res.headers['content-security-policy'])).toContain('frame-ancestors *');
      expect(res.headers['x-frame-options']).toBeUndefined();
      expect(String((await app.inject({ url: '/readers' })).headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    } finally {
      EMBEDDABLE_PAGES.pop();
    }
  });
});
