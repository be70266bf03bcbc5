import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { upload } from '../interop/test-helpers.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { seedTenants } from '../../test/support/tenants.js';
import { coverMimeOf, MAX_COVER_BYTES } from './covers.js';
import { createWork } from './works.js';

// The smallest real images: a 1×1 PNG and a small JPEG.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478016338b165c17f000780031c9f73e2160000000049454e44ae426082',
  'hex',
);
const JPEG = Buffer.from(jpeg.encode({ data: Buffer.alloc(48 * 64 * 4, 180), width: 48, height: 64 }, 80).data);
/** A JPEG cut short in its picture data, and one whose Huffman tables were overwritten. */
const TRUNCATED_JPEG = JPEG.subarray(0, Math.floor(JPEG.length / 2));
const CORRUPT_JPEG = Buffer.from(JPEG).fill(0x41, 200, 260);
const TRUNCATED_PNG = PNG.subarray(0, PNG.length - 20);

describe('cover image signatures', () => {
  it('tells images by their bytes, not by their names', () => {
    expect(coverMimeOf(PNG)).toBe('image/png');
    expect(coverMimeOf(JPEG)).toBe('image/jpeg');
    expect(coverMimeOf(Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(coverMimeOf(Buffer.from('%PDF-1.7 not a picture'))).toBeNull();
    expect(coverMimeOf(Buffer.alloc(0))).toBeNull();
  });
});

describe.each(BACKENDS)('cover images on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let workId: number;
  let librarian: ApiClient;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await seedTenants(database.db);
    app = await testApp(database);
    workId = await createWork(database.db, null, { title: 'Менің атым Қожа', language: 'kaz', authors: [{ name: 'Бердібек Соқпақбаев' }] });
    librarian = new ApiClient(app);
    await librarian.login('librarian-a');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('takes a photo of the cover from a librarian and shows it to anyone with the record', async () => {
    const res = await upload(librarian, `/api/catalog/works/${workId}/cover`, 'cover.png', PNG);
    expect(res.status).toBe(200);
    expect(res.body.coverUrl).toMatch(new RegExp(`^/api/catalog/works/${workId}/cover\\?v=\\d+$`));

    const visitor = new ApiClient(app);
    const record = await visitor.get(`/api/catalog/works/${workId}`);
    expect(record.body.coverUrl).toBe(res.body.coverUrl);
    const image = await visitor.get(res.body.coverUrl);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(image.raw, PNG)).toBe(0);

    const replaced = await upload(librarian, `/api/catalog/works/${workId}/cover`, 'photo.jpg', JPEG);
    expect(replaced.status).toBe(200);
    expect((await visitor.get(`/api/catalog/works/${workId}/cover`)).headers['content-type']).toBe('image/jpeg');
    const audited = await database.db.selectFrom('org.audit_log').select('details').where('entity', '=', 'work').where('entity_id', '=', String(workId)).execute();
    expect(audited.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses what is not an image, a picture too large, and readers who are not staff', async () => {
    const before = (await new ApiClient(app).get(`/api/catalog/works/${workId}/cover`)).raw;
    const pdf = await upload(librarian.setLocale('kk'), `/api/catalog/works/${workId}/cover`, 'cover.png', Buffer.from('%PDF-1.7 not a picture'));
    expect(pdf.status).toBe(400);
    expect(pdf.body.error).toMatchObject({ code: 'catalog.cover_not_image' });
    for (const [name, bytes] of [['cut.jpg', TRUNCATED_JPEG], ['broken.jpg', CORRUPT_JPEG], ['cut.png', TRUNCATED_PNG]] as const) {
      const broken = await upload(librarian.setLocale('ru'), `/api/catalog/works/${workId}/cover`, name, bytes);
      expect(broken.status, name).toBe(400);
      expect(broken.body.error.code).toBe('catalog.cover_broken');
      // the upload goes out in the librarian's own language (her account's), not in English
      expect(broken.body.error.message).toMatch(/^[^A-Za-z]+$/);
    }
    const webp = await upload(librarian.setLocale('kk'), `/api/catalog/works/${workId}/cover`, 'c.webp', Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ', 'latin1'));
    expect(webp.body.error.code).toBe('catalog.cover_webp');
    const huge = Buffer.concat([JPEG, Buffer.alloc(MAX_COVER_BYTES, 7)]);
    const large = await upload(librarian, `/api/catalog/works/${workId}/cover`, 'big.jpg', huge);
    expect(large.status).toBe(400);
    expect(large.body.error.code).toBe('catalog.cover_too_large');
    const teacher = new ApiClient(app);
    await teacher.login('teacher-a');
    expect((await upload(teacher, `/api/catalog/works/${workId}/cover`, 'cover.png', PNG)).status).toBe(403);
    expect((await upload(librarian, '/api/catalog/works/999999/cover', 'cover.png', PNG)).status).toBe(404);
    // nothing of the refused uploads replaced the cover
    expect(Buffer.compare((await new ApiClient(app).get(`/api/catalog/works/${workId}/cover`)).raw, before)).toBe(0);
  });

  it('removes a cover, after which the record has none', async () => {
    const res = await librarian.delete(`/api/catalog/works/${workId}/cover`);
    expect(res.status).toBe(200);
    expect(res.body.coverUrl).toBeNull();
    expect((await new ApiClient(app).get(`/api/catalog/works/${workId}/cover`)).status).toBe(404);
    expect((await librarian.delete(`/api/catalog/works/${workId}/cover`)).status).toBe(404);
  });
});
