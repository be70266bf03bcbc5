import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/connect.js';
import { PUBLIC_ROUTES } from '../src/http/public-routes.js';
import type { App } from '../src/http/types.js';
import { ApiClient, testApp } from './support/api.js';
import { openTestDatabase } from './support/db.js';

/** Checks of the API as a whole: documented, and closed to visitors unless declared public. */
describe('the API surface', () => {
  let database: DatabaseHandle;
  let app: App;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const apiRoutes = () => app.routeList.filter((r) => r.url.startsWith('/api/') && r.url !== '/api/openapi.json');
  const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

  it('documents every route in the OpenAPI document', async () => {
    const doc = (await new ApiClient(app).get('/api/openapi.json')).body;
    const missing = apiRoutes().filter((r) => !doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()]);
    expect(missing).toEqual([]);
    expect(apiRoutes().length).toBeGreaterThan(5);
  });

  it('refuses every non-public route to a visitor with 401, before reading the input', async () => {
    const visitor = new ApiClient(app);
    const open: string[] = [];
    for (const r of apiRoutes()) {
      if (PUBLIC_ROUTES.has(`${r.method} ${r.url}`)) continue;
      const url = r.url.replace(/:[A-Za-z0-9_]+/g, '1').replace(/\*$/, 'x');
      const res = await visitor.request({ method: r.method as 'GET', url, payload: r.method === 'GET' ? undefined : {} });
      if (res.status !== 401) open.push(`${r.method} ${r.url} → ${res.status}`);
    }
    expect(open).toEqual([]);
  });

  it('lists only public routes that exist', () => {
    const existing = new Set(apiRoutes().map((r) => `${r.method} ${r.url}`));
    existing.add('GET /api/openapi.json');
    const stale = [...PUBLIC_ROUTES].filter((p) => !existing.has(p));
    expect(stale).toEqual([]);
  });
});
