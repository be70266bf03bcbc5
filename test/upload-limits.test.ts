import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/connect.js';
import type { App } from '../src/http/types.js';
import { writeIso2709 } from '../src/interop/marc/iso2709.js';
import { upload } from '../src/interop/test-helpers.js';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS } from '../src/shared/uploads.js';
import { ApiClient, testApp } from './support/api.js';
import { BACKENDS, openTestDatabase } from './support/db.js';
import { seedTenants } from './support/tenants.js';

/**
 * Files past the upload bounds (50 MB, 100,000 rows or records) are refused whole with a translated
 * 4xx, and reading them never takes the server's memory far up: a roster of a million rows once
 * took 4 GB. The peak is sampled while the request runs, in the same process as the server.
 */

const MB = 1024 * 1024;

async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    if (process.env.UPLOAD_LIMITS_REPORT) console.info(`rss growth ${((peak - before) / MB).toFixed(0)} MB`);
    return { result, growthMb: (peak - before) / MB };
  } finally {
    clearInterval(sampler);
  }
}

/** A roster sheet of `rows` pupils, written row by row as a school's system exports it. */
async function rosterXlsx(rows: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const { PassThrough } = await import('node:stream');
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => chunks.push(c));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Тізім');
  sheet.addRow(['Тегі', 'Аты', 'Сынып']).commit();
  for (let i = 0; i < rows; i++) sheet.addRow([`Оқушы${i}`, 'Айгерім', '5А']).commit();
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

describe.each(BACKENDS)('bounded uploads on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let librarian: ApiClient;
  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await seedTenants(database.db);
    app = await testApp(database);
    librarian = new ApiClient(app);
    await librarian.login('librarian-a');
    await librarian.put('/api/auth/locale', { locale: 'kk' });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('refuses a roster of more rows than a school has, CSV or XLSX, in the librarian’s language', async () => {
    const csv = Buffer.from(['Тегі;Аты;Сынып', ...Array.from({ length: MAX_UPLOAD_ROWS + 1 }, (_, i) => `Оқушы${i};Айгерім;5А`)].join('\n'));
    const fromCsv = await peakRss(() => upload(librarian, '/api/readers/import/preview', 'roster.csv', csv));
    expect(fromCsv.result.status).toBe(413);
    expect(fromCsv.result.body.error).toEqual({
      code: 'readers.import.too_many_rows',
      message: 'Файлда жол тым көп: 100000 жолдан аспауы керек. Тізімді сыныптар бойынша бөлек файлдарға бөліңіз',
      params: { max: 100000 },
    });
    expect(fromCsv.growthMb).toBeLessThan(250);

    // the server loads its spreadsheet reader on first use: that load is not what is measured
    expect((await upload(librarian, '/api/readers/import/preview', 'small.xlsx', await rosterXlsx(3))).status).toBe(200);
    const xlsx = await rosterXlsx(MAX_UPLOAD_ROWS + 50_000);
    const fromXlsx = await peakRss(() => upload(librarian, '/api/readers/import', 'roster.xlsx', xlsx));
    expect(fromXlsx.result.status).toBe(413);
    expect(fromXlsx.result.body.error.code).toBe('readers.import.too_many_rows');
    expect(fromXlsx.growthMb).toBeLessThan(250);
    expect(await database.db.selectFrom('readers.readers').select('id').where('last_name', '=', 'Оқушы1').execute()).toEqual([]);
  }, 120_000);

  it('refuses a roster and a MARC file past 50 MB without holding either in memory', async () => {
    const big = Buffer.alloc(MAX_UPLOAD_BYTES + MB, 0x41);
    const roster = await peakRss(() => upload(librarian, '/api/readers/import/preview', 'roster.csv', big));
    expect(roster.result.status).toBe(413);
    expect(roster.result.body.error).toMatchObject({ code: 'readers.import.too_large', params: { megabytes: 50 } });
    expect(roster.result.body.error.message).toMatch(/^Файл тым үлкен: 50 МБ/);
    const marc = await peakRss(() => upload(librarian, '/api/interop/imports/preview', 'big.mrc', big));
    expect(marc.result.status).toBe(413);
    expect(marc.result.body.error).toMatchObject({ code: 'interop.file_too_large', params: { megabytes: 50 } });
    // the request body itself is 51 MB in this process; the server adds at most the 50 MB it read
    expect(Math.max(roster.growthMb, marc.growthMb)).toBeLessThan(250);
  }, 120_000);

  it('refuses a MARC file of more records than a library holds, before anything is imported', async () => {
    const record = (i: number) =>
      writeIso2709({ leader: '00000nam a2200000 i 4500', fields: [{ tag: '001', value: `L${i}` }, { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Кітап' }] }] });
    const file = Buffer.concat(Array.from({ length: MAX_UPLOAD_ROWS + 1 }, (_, i) => record(i)));
    expect(file.length).toBeLessThan(MAX_UPLOAD_BYTES);
    for (const url of ['/api/interop/imports/preview', '/api/interop/imports']) {
      const res = await peakRss(() => upload(librarian, url, 'many.mrc', file));
      expect(res.result.status, url).toBe(413);
      expect(res.result.body.error).toMatchObject({ code: 'interop.too_many_records', params: { max: 100000 } });
      expect(res.result.body.error.message).toContain('MARC файлында жазба тым көп');
      expect(res.growthMb).toBeLessThan(250);
    }
    expect((await librarian.get('/api/interop/imports')).body.total).toBe(0);
  }, 120_000);
});
