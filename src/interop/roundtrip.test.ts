import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { seedTenants } from '../../test/support/tenants.js';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { readIso2709, splitIso2709, writeIso2709 } from './marc/iso2709.js';
import { isControlField, type Field, type MarcRecord } from './marc/record.js';
import { importAndWait, marcFile } from './test-helpers.js';

/** Records no test file has: 880 with its 066 and linkage, local 9XX, long fields, every leader/06 type. */
function generated(): MarcRecord[] {
  const types = ['a', 'c', 'd', 'e', 'g', 'i', 'j', 'k', 'm', 'o', 'p', 'r', 't'];
  return types.map((type, i) => ({
    leader: `00000n${type}m a2200000 i 4500`,
    fields: [
      { tag: '001', value: `gen-${i}` },
      { tag: '003', value: 'KzAlNLRK' },
      { tag: '008', value: '240101s2024    kz            000 0 kaz d' },
      { tag: '066', ind1: ' ', ind2: ' ', subfields: [{ code: 'c', value: '(N' }] },
      { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: '6', value: '880-01' }, { code: 'a', value: `Zhumabaev, Magzhan ${i}` }] },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: '6', value: '880-02' }, { code: 'a', value: `Record of type ${type} /` }, { code: 'c', value: 'M. Zhumabaev.' }] },
      { tag: '336', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'text' }, { code: 'b', value: 'txt' }, { code: '2', value: 'rdacontent' }] },
      { tag: '505', ind1: '0', ind2: ' ', subfields: [{ code: 'a', value: 'Өлеңдер -- '.repeat(1100) }] },
      { tag: '546', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Text in Kazakh.' }] },
      { tag: '880', ind1: '1', ind2: ' ', subfields: [{ code: '6', value: '100-01/(N' }, { code: 'a', value: `Жұмабаев, Мағжан ${i}` }] },
      { tag: '880', ind1: '1', ind2: '0', subfields: [{ code: '6', value: '245-02/(N' }, { code: 'a', value: `${type} түріндегі жазба /` }] },
      { tag: '910', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'local note' }, { code: 'z', value: String(i) }] },
      { tag: '999', ind1: 'f', ind2: 'f', subfields: [{ code: 'i', value: `uuid-${i}` }] },
    ],
  }));
}

/** A field as text, for comparing records field by field. */
const show = (f: Field) => (isControlField(f) ? `${f.tag} ${f.value}` : `${f.tag} ${f.ind1}${f.ind2} ${f.subfields.map((s) => `$${s.code}${s.value}`).join('')}`);

/** A long field may come back split into repeated fields: the same subfields in the same order. */
function joined(fields: Field[]): string[] {
  const out: string[] = [];
  for (const f of fields) {
    if (['001', '003', '005', '035'].includes(f.tag)) continue;
    const text = show(f);
    const prev = out.at(-1);
    if (prev && !isControlField(f) && prev.startsWith(`${f.tag} ${f.ind1}${f.ind2} `) && (prev.length > 9000 || text.length > 9000)) {
      out[out.length - 1] = prev + text.slice(7);
    } else out.push(text);
  }
  return out.sort();
}

const readAll = (bytes: Buffer) => [...splitIso2709(bytes)].map((raw) => {
  const r = readIso2709(raw);
  if (!r.ok) throw new Error(r.error.code);
  return r.record;
});

describe.each(BACKENDS)('a lossless MARC round trip on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let api: ApiClient;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    await seedTenants(database.db);
    app = await testApp(database);
    api = new ApiClient(app);
    await api.login('librarian-a');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const files = () => [
    { name: 'evergreen.mrc', bytes: fs.readFileSync(marcFile('evergreen-FSL-marc21-utf8.mrc')) },
    { name: 'bookchamber-cp1251.mrc', bytes: fs.readFileSync(marcFile('pymarc-1251-marc21-cp1251.mrc')) },
    { name: 'generated.mrc', bytes: Buffer.concat(generated().map(writeIso2709)) },
  ];

  it('exports every source field, indicator and subfield as it came, with its leader/06 type', async () => {
    for (const file of files()) {
      const report = await importAndWait(api, file.name, file.bytes, 'matching=keep');
      expect(report.body.status, file.name).toBe('done');
      const sources = readAll(file.bytes);
      const workIds = report.body.records.map((r: { workId: number }) => r.workId);
      expect(workIds.every((id: number | null) => id !== null)).toBe(true);
      const exported = await api.post('/api/interop/export', { workIds, format: 'iso2709', holdings: false });
      expect(exported.status).toBe(200);
      const back = new Map(readAll(exported.raw).map((r) => [Number(r.fields.find((f) => f.tag === '001') && isControlField(r.fields.find((f) => f.tag === '001')!) ? (r.fields.find((f) => f.tag === '001') as { value: string }).value : 0), r]));
      sources.forEach((source, i) => {
        const record = back.get(workIds[i])!;
        expect(record, `${file.name} #${i + 1}`).toBeDefined();
        expect(record.leader[6], `${file.name} #${i + 1} leader/06`).toBe(source.leader[6]);
        expect(joined(record.fields), `${file.name} #${i + 1}`).toEqual(joined(source.fields));
      });
    }
  });

  it('puts a change a librarian makes after the import into the exported record, keeping the rest', async () => {
    const source = generated()[0]!;
    const work = await database.db.selectFrom('interop.source_records').select('work_id').where('control_number', '=', 'KzAlNLRK|gen-0').executeTakeFirstOrThrow();
    const patched = await api.put(`/api/catalog/works/${work.work_id}`, { title: 'Өзгертілген атау' });
    expect(patched.status).toBe(200);
    const exported = await api.post('/api/interop/export', { workIds: [work.work_id], format: 'iso2709', holdings: false });
    const [record] = readAll(exported.raw);
    const titles = record!.fields.filter((f) => f.tag === '245').map(show);
    expect(titles).toHaveLength(1);
    expect(titles[0]).toContain('Өзгертілген атау');
    for (const tag of ['066', '336', '546', '880', '910', '999']) {
      expect(record!.fields.filter((f) => f.tag === tag).map(show), tag).toEqual(source.fields.filter((f) => f.tag === tag).map(show));
    }
    expect(record!.fields.find((f) => f.tag === '035') && show(record!.fields.find((f) => f.tag === '035')!)).toBe('035    $a(KzAlNLRK)gen-0');
  });

  it('matches every record of its own export to itself when it is imported again, adding no work', async () => {
    const ids = (await database.db.selectFrom('catalog.works').select('id').orderBy('id').execute()).map((r) => r.id);
    const exported = await api.post('/api/interop/export', { workIds: ids, format: 'iso2709', holdings: false });
    const again = await importAndWait(api, 'own-export.mrc', exported.raw, 'matching=merge');
    expect(again.body.status).toBe('done');
    expect(again.body.created).toBe(0);
    expect(again.body.merged).toBe(ids.length);
    const after = await database.db.selectFrom('catalog.works').select('id').execute();
    expect(after).toHaveLength(ids.length);
    const matched = again.body.records.map((r: { workId: number }) => r.workId).sort((a: number, b: number) => a - b);
    expect(matched).toEqual(ids);
  });
});
