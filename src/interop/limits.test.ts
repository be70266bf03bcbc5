import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { seedTenants } from '../../test/support/tenants.js';
import { importAndWait } from './test-helpers.js';
import { writeIso2709 } from './marc/iso2709.js';
import type { MarcRecord } from './marc/record.js';
import { LIMITS } from './mapping.js';

/** Letters in no order, so that an index cannot compress them below its row limit. */
function noise(length: number, seed: number): string {
  const letters = 'абвгдежзийклмнопрстуфхцчшщыэюяәғқңөұүһі0123456789';
  let s = seed;
  return Array.from({ length }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return letters[s % letters.length];
  }).join('');
}

describe.each(BACKENDS)('values a file should not hold, on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await seedTenants(database.db);
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('cuts or drops them with a warning on their record, and imports every record of the file', async () => {
    const api = new ApiClient(app);
    await api.login('librarian-a');
    const record = (id: string, title: string, extra: MarcRecord['fields'] = []): MarcRecord => ({
      leader: '00000nam a2200000 i 4500',
      fields: [{ tag: '001', value: id }, { tag: '003', value: 'LIMITS' }, { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: title }] }, ...extra],
    });
    const copy = (subfields: [string, string][]): MarcRecord['fields'][number] => ({ tag: '876', ind1: ' ', ind2: ' ', subfields: subfields.map(([code, value]) => ({ code, value })) });
    const file = Buffer.concat(
      [
        record('first', 'Алғашқы кітап'),
        record(noise(3000, 1), 'Нөмірі ұзын жазба'),
        record('inventory', 'Инвентарлық нөмірі ұзын', [copy([['a', noise(3000, 2)], ['c', '1500']])]),
        record('price', 'Бағасы мүмкін емес', [copy([['a', '88001'], ['c', '9'.repeat(30)]])]),
        record('title', noise(1500, 3)),
        record('author', 'Автор аты ұзын', [{ tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: noise(400, 4) }] }]),
        record('barcode', 'Штрихкоды ұзын', [copy([['a', '88002'], ['p', noise(60, 5)]])]),
        record('last', 'Соңғы кітап'),
      ].map(writeIso2709),
    );
    const report = await importAndWait(api, 'limits.mrc', file, 'matching=keep');
    expect(report.body).toMatchObject({ status: 'done', total: 8, created: 8, failed: 0, copies: 3 });
    const warnings = report.body.problems.map((p: { position: number; code: string; params: Record<string, unknown> }) => [p.position, p.code, p.params.field ?? null]);
    expect(warnings).toEqual([
      [2, 'interop.identifier_dropped', 'controlNumber'],
      [3, 'interop.identifier_dropped', 'inventoryNumber'],
      [4, 'interop.bad_price', null],
      [5, 'interop.value_cut', 'title'],
      [6, 'interop.value_cut', 'author'],
      [7, 'interop.identifier_dropped', 'barcode'],
    ]);
    expect(report.body.problems[3].message).toBe(`«атау» өрісінің мәні тым ұзын (1500 таңба): алғашқы ${LIMITS.title} таңбасы алынды`);

    const works = await database.db
      .selectFrom('interop.source_records as s')
      .innerJoin('catalog.works as w', 'w.id', 's.work_id')
      .select(['s.position', 's.control_number', 'w.id', 'w.title'])
      .where('s.batch_id', '=', report.body.id)
      .orderBy('s.position')
      .execute();
    expect(works[1]!.control_number).toBeNull();
    expect(works[4]!.title).toHaveLength(LIMITS.title);
    const author = await database.db.selectFrom('catalog.work_authors as l').innerJoin('catalog.authors as a', 'a.id', 'l.author_id').select('a.name').where('l.work_id', '=', works[5]!.id).executeTakeFirstOrThrow();
    expect(author.name).toHaveLength(LIMITS.author);
    const copies = await database.db
      .selectFrom('fund.copies')
      .select(['work_id', 'inventory_number', 'barcode', 'price_tiyn'])
      .where('work_id', 'in', [works[2]!.id, works[3]!.id, works[6]!.id])
      .orderBy('work_id')
      .execute();
    // numbers too long to be numbers are issued anew; the impossible price is left at zero
    expect(copies.map((c) => [c.inventory_number.length <= LIMITS.inventoryNumber, c.barcode.length <= LIMITS.barcode, Number(c.price_tiyn)])).toEqual([
      [true, true, 150000],
      [true, true, 0],
      [true, true, 0],
    ]);
    expect(copies.map((c) => c.inventory_number).slice(1)).toEqual(['88001', '88002']);
  });
});
