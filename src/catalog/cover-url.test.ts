import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { seedTenants } from '../../test/support/tenants.js';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478016338b165c17f000780031c9f73e2160000000049454e44ae426082',
  'hex',
);

describe.each(BACKENDS)('a cover given by its URL is fetched and kept by the library, on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let server: http.Server;
  let base: string;
  let librarian: ApiClient;
  let asked = 0;

  beforeAll(async () => {
    // a publisher's site in miniature, on this machine
    server = http.createServer((req, res) => {
      asked++;
      if (req.url === '/cover.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
      if (req.url === '/page.html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not a picture</html>');
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    database = await openTestDatabase(backend);
    await seedTenants(database.db);
    app = await testApp(database);
    librarian = new ApiClient(app);
    await librarian.login('librarian-a');
  });
  afterAll(async () => {
    delete process.env.KITAPHANA_COVERS_ALLOW_LOCAL;
    await app?.close();
    await database?.close();
    server?.close();
  });

  it('stores the image and gives browsers only its own address', async () => {
    process.env.KITAPHANA_COVERS_ALLOW_LOCAL = 'true';
    const made = await librarian.post('/api/catalog/works', { title: 'Абай жолы', coverUrl: `${base}/cover.png` });
    expect(made.status).toBe(201);
    expect(made.body.coverUrl).toMatch(new RegExp(`^/api/catalog/works/${made.body.id}/cover\\?v=\\d+$`));
    expect(JSON.stringify(made.body)).not.toContain(base);
    const image = await new ApiClient(app).get(made.body.coverUrl);
    expect(image.status).toBe(200);
    expect(image.raw.equals(PNG)).toBe(true);
    // the public record and the search never carry the outside address either
    expect(JSON.stringify((await new ApiClient(app).get(`/api/catalog/works/${made.body.id}`)).body)).not.toContain('127.0.0.1');
    const edited = await librarian.put(`/api/catalog/works/${made.body.id}`, { coverUrl: `${base}/cover.png` });
    expect(edited.status).toBe(200);
    expect(edited.body.coverUrl).toMatch(/^\/api\/catalog\/works\//);
    // a record from before, still pointing elsewhere, is shown without a cover
    await database.db.updateTable('catalog.works').set({ cover_url: 'https://covers.example.com/x.jpg' }).where('id', '=', made.body.id).execute();
    expect((await new ApiClient(app).get(`/api/catalog/works/${made.body.id}`)).body.coverUrl).toBeNull();
  });

  it('refuses an unreachable address or a page that is not an image, in the librarian’s language, and writes nothing', async () => {
    process.env.KITAPHANA_COVERS_ALLOW_LOCAL = 'true';
    const before = await database.db.selectFrom('catalog.works').select('id').execute();
    const missing = await librarian.setLocale('kk').post('/api/catalog/works', { title: 'Көксерек', coverUrl: `${base}/nothing.png` });
    expect(missing.status).toBe(422);
    expect(missing.body.error.message).toBe('Мұқаба суретін 127.0.0.1 сайтынан алу мүмкін болмады: сілтемені тексеріңіз немесе суретті файлмен жүктеңіз');
    const page = await librarian.post('/api/catalog/works?lang=ru', { title: 'Көксерек', coverUrl: `${base}/page.html` });
    expect(page.status).toBe(400);
    expect(page.body.error.message).toBe('Обложка должна быть файлом JPEG или PNG');
    expect(await database.db.selectFrom('catalog.works').select('id').execute()).toEqual(before);
    // without the test's permission, an address inside the network is not fetched at all
    delete process.env.KITAPHANA_COVERS_ALLOW_LOCAL;
    const count = asked;
    const inside = await librarian.setLocale('en').post('/api/catalog/works', { title: 'Көксерек', coverUrl: `${base}/cover.png` });
    expect(inside.status).toBe(400);
    expect(inside.body.error.code).toBe('catalog.cover_bad_url');
    expect(asked).toBe(count);
  });
});
