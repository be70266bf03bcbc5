import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/support/db.js';
import { precompress } from '../../web/build/precompress.js';
import type { DatabaseHandle } from '../db/connect.js';
import { buildApp } from './app.js';
import type { App } from './types.js';
import { IMMUTABLE } from './web-assets.js';

// Serving files touches no table: one engine is enough to stand the server up.
describe('the built web UI, served precompressed and cached by its hashed names', () => {
  let database: DatabaseHandle;
  let app: App;
  const web = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-web-assets-'));
  const script = `export const texts = ${JSON.stringify(Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`catalog.key${i}`, `Кітапхана мәтіні ${i}`])))};\n`;
  const page = `<!doctype html><html lang="kk"><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div>${' '.repeat(1200)}</body></html>`;

  beforeAll(async () => {
    fs.mkdirSync(path.join(web, 'assets'));
    fs.writeFileSync(path.join(web, 'index.html'), page);
    fs.writeFileSync(path.join(web, 'assets', 'index-Ab12Cd34.js'), script);
    fs.writeFileSync(path.join(web, 'assets', 'tiny-Ef56Gh78.js'), 'export {};\n');
    await precompress(web);
    database = await openTestDatabase('pglite');
    app = await buildApp({
      database,
      webDist: web,
      backups: { dir: path.join(os.tmpdir(), `kitaphana-test-backups-${process.pid}`), keepDays: 2, everyHours: 0 },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    fs.rmSync(web, { recursive: true, force: true });
  });

  it('writes brotli and gzip copies at build, and none for a file too small to gain', () => {
    const files = fs.readdirSync(path.join(web, 'assets')).sort();
    expect(files).toEqual(['index-Ab12Cd34.js', 'index-Ab12Cd34.js.br', 'index-Ab12Cd34.js.gz', 'tiny-Ef56Gh78.js']);
    expect(fs.existsSync(path.join(web, 'index.html.br'))).toBe(true);
  });

  it('sends a hashed script as brotli when the browser accepts it, cached for a year and immutable', async () => {
    const res = await app.inject({ url: '/assets/index-Ab12Cd34.js', headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(String(res.headers.vary).toLowerCase()).toContain('accept-encoding');
    expect(res.rawPayload.length).toBeLessThan(Buffer.byteLength(script) / 3);
    expect(zlib.brotliDecompressSync(res.rawPayload).toString()).toBe(script);
    // the security headers stay on the static files
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
  });

  it('sends gzip to a browser without brotli, and the plain file to one that asks for neither', async () => {
    const gz = await app.inject({ url: '/assets/index-Ab12Cd34.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(script);
    expect(gz.headers['cache-control']).toBe(IMMUTABLE);

    const plain = await app.inject({ url: '/assets/index-Ab12Cd34.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
    expect(plain.headers['cache-control']).toBe(IMMUTABLE);
    expect(String(plain.headers.vary).toLowerCase()).toContain('accept-encoding');
  });

  it('makes the browser check the page itself each time, at its address and at any page route', async () => {
    for (const url of ['/', '/index.html', '/catalog/works/12']) {
      const res = await app.inject({ url, headers: { 'accept-encoding': 'br' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.headers['content-encoding'], url).toBe('br');
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(zlib.brotliDecompressSync(res.rawPayload).toString(), url).toBe(page);
      expect(res.headers['x-frame-options'], url).toBe('DENY');
    }
  });

  it('keeps API answers out of every cache', async () => {
    const res = await app.inject({ url: '/api/health', headers: { 'accept-encoding': 'br' } });
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
