import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import { writeIso2709 } from './marc/iso2709.js';
import type { MarcRecord } from './marc/record.js';
import { importAndWait, upload } from './test-helpers.js';

/** One book with its copies in a local field, as a source system exported it. */
function exported(id: string, title: string, tag: string, copies: Record<string, string>[]): Buffer {
  const record: MarcRecord = {
    leader: '00000nam a2200000 i 4500',
    fields: [
      { tag: '001', value: id },
      { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: 'Сейфуллин, Сәкен' }] },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: title }] },
      ...copies.map((c) => ({ tag, ind1: ' ', ind2: ' ', subfields: Object.entries(c).map(([code, value]) => ({ code, value })) })),
    ],
  };
  return writeIso2709(record);
}

// SirsiDynix: $i the item id (the barcode), $p the price, $l the location, $a the call number
const sirsi = () => exported('sd1', 'Көкшетау', '949', [{ a: '84(5Каз)', i: '31234000012345', p: '1500.00', l: 'АБОНЕМЕНТ' }]);
// IRBIS: ^a status, ^b inventory number, ^c date, ^d place of storage, ^e price, ^h barcode
const irbis = () =>
  exported('ir1', 'Тар жол, тайғақ кешу', '910', [
    { a: '0', b: '47011', c: '20190912', d: 'ОЗ', e: '1200', h: '2000047011' },
    { a: '0', b: '47012', c: '20190912', d: 'ОЗ', e: '1200', h: '2000047012' },
  ]);

describe.each(BACKENDS)('holdings profiles of source systems on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let librarianA: ApiClient;
  let librarianB: ApiClient;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    librarianA = new ApiClient(app);
    await librarianA.login('librarian-a');
    librarianB = new ApiClient(app);
    await librarianB.login('librarian-b');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const preview = (api: ApiClient, bytes: Buffer, profile?: string) =>
    upload(api, `/api/interop/imports/preview${profile ? `?holdingsProfile=${encodeURIComponent(profile)}` : ''}`, 'export.mrc', bytes);

  it('shows the first copies as the chosen profile maps them: a SirsiDynix price is no barcode', async () => {
    const usual = await preview(librarianA, sirsi());
    expect(usual.status).toBe(200);
    // read as the common local 949, the item id becomes the inventory number and the price the barcode
    expect(usual.body.copySamples[0]).toMatchObject({ inventoryNumber: '31234000012345', barcode: '1500.00' });
    const chosen = await preview(librarianA, sirsi(), 'sirsi');
    expect(chosen.body.holdingsProfile).toBe('sirsi');
    expect(chosen.body.copySamples).toEqual([{ position: 1, title: 'Көкшетау', inventoryNumber: null, barcode: '31234000012345', priceTiyn: 150000, location: 'АБОНЕМЕНТ 84(5Каз)' }]);
  });

  it('suggests IRBIS for a file with 910 and imports its copies with their numbers and prices', async () => {
    const usual = await preview(librarianA, irbis());
    expect(usual.body.suggestedProfile).toBe('irbis');
    expect(usual.body.copies).toBe(0);
    const chosen = await preview(librarianA, irbis(), 'irbis');
    expect(chosen.body.copies).toBe(2);
    expect(chosen.body.copySamples.map((c: { inventoryNumber: string; barcode: string; priceTiyn: number; location: string }) => [c.inventoryNumber, c.barcode, c.priceTiyn, c.location])).toEqual([
      ['47011', '2000047011', 120000, 'ОЗ'],
      ['47012', '2000047012', 120000, 'ОЗ'],
    ]);
    const report = await importAndWait(librarianA, 'irbis.mrc', irbis(), 'holdingsProfile=irbis');
    expect(report.body.status).toBe('done');
    const copies = await database.db
      .selectFrom('fund.copies')
      .select(['inventory_number', 'barcode', 'price_tiyn', 'organisation_id'])
      .where('inventory_number', 'in', ['47011', '47012'])
      .orderBy('inventory_number')
      .execute();
    expect(copies.map((c) => [c.inventory_number, c.barcode, c.price_tiyn, Number(c.organisation_id)])).toEqual([
      ['47011', '2000047011', 120000, tenants.schoolA.id],
      ['47012', '2000047012', 120000, tenants.schoolA.id],
    ]);
  });

  it('keeps a library\'s own profile as data, for that library only', async () => {
    const mine = exported('own1', 'Біздің кітап', '990', [{ x: '9001', y: '3000009001', z: '800' }]);
    const bad = await librarianA.put(`/api/interop/holdings-profiles/${encodeURIComponent('Мектеп 7')}`, { name: 'Ескі бағдарлама', fields: [{ tag: '990', inventory: 'x', barcode: 'y', price: 'z', location: [] }] });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'interop.profile_bad_key']);
    const noNumber = await librarianA.put('/api/interop/holdings-profiles/old-soft', { name: 'Ескі бағдарлама', fields: [{ tag: '990', inventory: null, barcode: null, price: 'z', location: [] }] });
    expect(noNumber.body.error.code).toBe('interop.profile_no_number');
    const saved = await librarianA.put('/api/interop/holdings-profiles/old-soft', { name: 'Ескі бағдарлама', fields: [{ tag: '990', inventory: 'x', barcode: 'y', price: 'z', location: [] }] });
    expect(saved.body).toEqual({ key: 'own:old-soft' });
    const listed = (await librarianA.get('/api/interop/holdings-profiles')).body.items.map((p: { key: string }) => p.key);
    expect(listed).toEqual(['auto', 'koha', 'sirsi', 'irbis', 'marc21', 'unimarc', 'own:old-soft']);
    expect((await preview(librarianA, mine, 'own:old-soft')).body.copySamples[0]).toMatchObject({ inventoryNumber: '9001', barcode: '3000009001', priceTiyn: 80000 });
    // another school neither lists nor uses it
    expect((await librarianB.get('/api/interop/holdings-profiles')).body.items.map((p: { key: string }) => p.key)).not.toContain('own:old-soft');
    expect((await preview(librarianB, mine, 'own:old-soft')).status).toBe(404);
    expect((await librarianB.delete('/api/interop/holdings-profiles/own:old-soft')).status).toBe(404);
    expect((await librarianA.delete('/api/interop/holdings-profiles/own:old-soft')).status).toBe(200);
    expect((await preview(librarianA, mine, 'own:old-soft')).status).toBe(404);
  });
});
