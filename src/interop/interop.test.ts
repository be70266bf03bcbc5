import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import { makeWork } from '../../test/support/factories.js';
import { getWork } from '../catalog/works.js';
import { importAndWait, marcFile, upload } from './test-helpers.js';
import marcjs from 'marcjs';
import { writeIso2709 } from './marc/iso2709.js';
import { readMarcXml } from './marc/marcxml.js';
import { readMarcFile } from './reader.js';
import type { MarcRecord } from './marc/record.js';

const bookChamber = () => fs.readFileSync(marcFile('pymarc-1251-marc21-cp1251.mrc'));
const evergreen = () => fs.readFileSync(marcFile('evergreen-FSL-marc21-utf8.mrc'));
const rusmarc = () => fs.readFileSync(marcFile('rusmarc-nlr-TEST1-cp1251.iso'));
const marcxml = () => fs.readFileSync(marcFile('pymarc-utf8-marcxml.xml'));

/** A school's own small MARC 21 file with copies in 876: inventory number, barcode, price. */
function schoolFile(): Buffer {
  const book = (id: string, title: string, author: string, isbn: string | null, copies: [string, string, string][]): MarcRecord => ({
    leader: '00000nam a2200000 i 4500',
    fields: [
      { tag: '001', value: id },
      { tag: '003', value: 'SCHOOL-A' },
      ...(isbn ? [{ tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: isbn }] }] : []),
      { tag: '080', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '821.512.122' }] },
      { tag: '084', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '84(5Каз)' }] },
      { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: author }] },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: title }] },
      { tag: '264', ind1: ' ', ind2: '1', subfields: [{ code: 'a', value: 'Алматы :' }, { code: 'b', value: 'Атамұра,' }, { code: 'c', value: '2019.' }] },
      ...copies.map(([inv, barcode, price]) => ({
        tag: '876',
        ind1: ' ',
        ind2: ' ',
        subfields: [
          ...(inv ? [{ code: 'a', value: inv }] : []),
          ...(barcode ? [{ code: 'p', value: barcode }] : []),
          { code: 'c', value: price },
        ],
      })),
    ],
  });
  return Buffer.concat(
    [
      book('s1', 'Абай жолы', 'Әуезов, Мұхтар', null, [['5001', '1000005001', '2500.00'], ['5002', '', '2500.00']]),
      book('s2', 'Қан мен тер', 'Нұрпейісов, Әбдіжәміл', '978-601-01-0001-5', [['5003', '1000005003', '1800']]),
    ].map(writeIso2709),
  );
}

describe.each(BACKENDS)('MARC import, export and harvesting on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  async function signedIn(login: string) {
    const api = new ApiClient(app);
    await api.login(login);
    return api;
  }

  const workByTitle = async (title: string) => {
    const row = await database.db.selectFrom('catalog.works').select('id').where('title', '=', title).orderBy('id').executeTakeFirstOrThrow();
    return getWork(database.db, row.id);
  };

  it('previews the Russian Book Chamber file without writing anything', async () => {
    const api = await signedIn('librarian-a');
    const res = await upload(api, '/api/interop/imports/preview', '1251.mrc', bookChamber());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ syntax: 'iso2709', format: 'marc21', encoding: 'cp1251', total: 6, readable: 6, errors: 0, matches: 0 });
    expect(res.body.samples[0]).toEqual({
      position: 1,
      title: 'Основы гидравлического расчета инженерных сетей',
      authors: ['Ильина, Татьяна Николаевна'],
      isbn: '9785930933420',
      publishYear: 2005,
      udc: '624.01:532.5(075.8)',
      bbk: '38.1я73',
    });
    const batches = await database.db.selectFrom('interop.import_batches').select('id').execute();
    expect(batches).toHaveLength(0);
  });

  it('imports every real file with every record read and every letter right', async () => {
    const api = await signedIn('librarian-a');
    const expected: [string, Buffer, number, string][] = [
      ['1251.mrc', bookChamber(), 6, 'cp1251'],
      ['FSL.marc', evergreen(), 52, 'utf8'],
      ['TEST1.ISO', rusmarc(), 81, 'cp1251'],
      ['utf8.xml', marcxml(), 1, 'utf8'],
    ];
    for (const [name, bytes, total, encoding] of expected) {
      const report = await importAndWait(api, name, bytes, 'matching=keep');
      expect(report.body).toMatchObject({ status: 'done', total, processed: total, created: total, failed: 0, encoding });
    }

    const hydraulics = await workByTitle('Основы гидравлического расчета инженерных сетей');
    expect(hydraulics).toMatchObject({ udc: '624.01:532.5(075.8)', bbk: '38.1я73', publisher: 'Изд-во Ассоц. строит. вузов', publishYear: 2005, pages: 186, language: 'rus' });
    expect(hydraulics.authors.map((a) => a.name)).toEqual(['Ильина, Татьяна Николаевна']);

    const partisans = await workByTitle('Люди с чистой совестью');
    expect(partisans).toMatchObject({ subtitle: '[Воспоминания]', publisher: 'Правда', publishPlace: 'Москва', publishYear: 1989 });
    expect(partisans.authors.map((a) => [a.name, a.role])).toEqual([
      ['Вершигора, Петр Петрович', 'author'],
      ['Пчелко, И.И.', 'illustrator'],
    ]);

    const chess = await workByTitle('Задачи и этюды');
    expect(chess).toMatchObject({ subtitle: 'Сб.', bbk: 'Ч515.815я43', publishPlace: 'СПб.', publishYear: 1997 });
    expect(chess.authors.map((a) => [a.name, a.role])).toEqual([['Барсуков, В. Н.', 'editor']]);
    const volume = await workByTitle('Задачи и этюды. Вып. 15');
    expect(volume.isbn).toBe('9785851860669');

    const works = await database.db.selectFrom('catalog.works').select(['title', 'subtitle', 'publisher']).execute();
    expect(works).toHaveLength(140);
    for (const w of works) {
      const text = [w.title, w.subtitle, w.publisher].join(' ');
      expect(text).not.toMatch(/\ufffd|[\u0400-\u04ff]\?[\u0400-\u04ff]|\?{2}/);
    }
    const authors = await database.db.selectFrom('catalog.authors').select('name').execute();
    expect(authors.map((a) => a.name)).toContain('Блок, Александр Александрович');

    // the original record is kept byte for byte
    const first = await database.db
      .selectFrom('interop.source_records as s')
      .innerJoin('interop.import_batches as b', 'b.id', 's.batch_id')
      .select(['s.raw', 's.encoding', 's.format', 's.byte_offset'])
      .where('b.file_name', '=', 'TEST1.ISO')
      .where('s.position', '=', 2)
      .executeTakeFirstOrThrow();
    const file = rusmarc();
    const start = file.indexOf(0x1d) + 1;
    expect(first).toMatchObject({ encoding: 'cp1251', format: 'unimarc', byte_offset: start });
    expect(Buffer.from(first.raw!).equals(file.subarray(start, file.indexOf(0x1d, start)))).toBe(true);
  });

  it('reports an invalid ISBN as a warning with its position and keeps the record without it', async () => {
    const api = await signedIn('librarian-a');
    const list = await api.get('/api/interop/imports');
    const fsl = list.body.items.find((b: { fileName: string }) => b.fileName === 'FSL.marc');
    const report = await api.get(`/api/interop/imports/${fsl.id}`);
    expect(report.body.warnings).toBe(1);
    expect(report.body.problems).toEqual([
      expect.objectContaining({ position: 27, severity: 'warning', code: 'interop.invalid_isbn', params: { isbn: '5-02-016536-2' }, message: expect.stringContaining('5-02-016536-2') }),
    ]);
    expect(report.body.records[26]).toMatchObject({ position: 27, action: 'created' });
    const work = await getWork(database.db, report.body.records[26].workId);
    expect(work.isbn).toBeNull();
  });

  it('matches a file imported again: skip leaves the catalogue alone, merge fills gaps and is undone', async () => {
    const api = await signedIn('librarian-a');
    const before = await database.db.selectFrom('catalog.works').select('id').execute();
    const skipped = await importAndWait(api, '1251-again.mrc', bookChamber(), 'matching=skip');
    expect(skipped.body).toMatchObject({ status: 'done', skipped: 6, created: 0 });

    const hydraulics = await workByTitle('Основы гидравлического расчета инженерных сетей');
    await database.db.updateTable('catalog.works').set({ bbk: null, pages: null }).where('id', '=', hydraulics.id).execute();
    const merged = await importAndWait(api, '1251-merge.mrc', bookChamber(), 'matching=merge');
    expect(merged.body).toMatchObject({ status: 'done', merged: 6, created: 0 });
    expect(await getWork(database.db, hydraulics.id)).toMatchObject({ bbk: '38.1я73', pages: 186 });
    expect(await database.db.selectFrom('catalog.works').select('id').execute()).toHaveLength(before.length);

    const undone = await api.post(`/api/interop/imports/${merged.body.id}/undo`);
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ status: 'undone' });
    expect(await getWork(database.db, hydraulics.id)).toMatchObject({ bbk: null, pages: null, title: 'Основы гидравлического расчета инженерных сетей' });
  });

  it('adds the copies a school file describes, keeping its inventory numbers and barcodes', async () => {
    const api = await signedIn('librarian-a');
    const report = await importAndWait(api, 'school.mrc', schoolFile());
    expect(report.body).toMatchObject({ status: 'done', created: 2, copies: 3 });
    const copies = await database.db
      .selectFrom('fund.copies')
      .select(['inventory_number', 'barcode', 'price_tiyn', 'organisation_id'])
      .where('inventory_number', 'in', ['5001', '5002', '5003'])
      .orderBy('inventory_number')
      .execute();
    expect(copies.map((c) => [c.inventory_number, c.price_tiyn, c.organisation_id])).toEqual([
      ['5001', 250000, tenants.schoolA.id],
      ['5002', 250000, tenants.schoolA.id],
      ['5003', 180000, tenants.schoolA.id],
    ]);
    expect(copies[0]!.barcode).toBe('1000005001');
    expect(copies[1]!.barcode).toMatch(/^1\d{9}$/);
    expect(copies[1]!.barcode > '1000005003').toBe(true); // the counter moved past the file's barcodes
    const abai = await workByTitle('Абай жолы');
    expect(abai.authors.map((a) => a.name)).toEqual(['Әуезов, Мұхтар']);
    expect(abai).toMatchObject({ udc: '821.512.122', bbk: '84(5Каз)', publisher: 'Атамұра', publishPlace: 'Алматы', publishYear: 2019 });

    // the same copies again: reported, not duplicated
    const again = await importAndWait(api, 'school-again.mrc', schoolFile(), 'matching=merge');
    expect(again.body).toMatchObject({ status: 'done', merged: 2, copies: 0 });
    expect(again.body.problems.map((p: { code: string }) => p.code)).toEqual([
      'interop.duplicate_inventory_number',
      'interop.duplicate_inventory_number',
      'interop.duplicate_inventory_number',
    ]);
  });

  it('creates a record repeated within one file once, and merges the repetition into it', async () => {
    const api = await signedIn('librarian-a');
    const record: MarcRecord = {
      leader: '00000nam a2200000 i 4500',
      fields: [
        { tag: '001', value: 'twice-1' },
        { tag: '245', ind1: '0', ind2: '0', subfields: [{ code: 'a', value: 'Ақ кеме' }] },
        { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: 'Айтматов, Шыңғыс' }] },
      ],
    };
    const report = await importAndWait(api, 'twice.mrc', Buffer.concat([writeIso2709(record), writeIso2709(record)]));
    expect(report.body).toMatchObject({ status: 'done', created: 1, merged: 1 });
    const works = await database.db.selectFrom('catalog.works').select('id').where('title', '=', 'Ақ кеме').execute();
    expect(works).toHaveLength(1);
    expect(report.body.records.map((r: { workId: number }) => r.workId)).toEqual([works[0]!.id, works[0]!.id]);
  });

  it('keeps the good records of a damaged file and reports each bad one with its position', async () => {
    const api = await signedIn('librarian-a');
    const good = schoolFile();
    const firstEnd = good.indexOf(0x1d) + 1;
    const recordA = good.subarray(0, firstEnd);
    const badLeader = Buffer.from(recordA);
    badLeader.write('ab', 12, 'latin1'); // base address is no number
    const wrongLength = Buffer.from(recordA);
    wrongLength.write('00001', 0, 'latin1');
    const cp1251 = fs.readFileSync(marcFile('pymarc-1251-marc21-cp1251.mrc'));
    const cyrillic = cp1251.subarray(0, cp1251.indexOf(0x1d) + 1);
    const truncated = good.subarray(firstEnd, firstEnd + 60);
    const file = Buffer.concat([badLeader, wrongLength, cyrillic, Buffer.from('00010nam'), Buffer.from([0x1d]), truncated]);

    const preview = await upload(api, '/api/interop/imports/preview', 'damaged.mrc', file);
    expect(preview.body).toMatchObject({ total: 5, readable: 2, errors: 3, encoding: 'mixed' });
    expect(preview.body.encodings).toEqual({ utf8: 1, cp1251: 1 });
    const codes = preview.body.problems.map((p: { position: number; offset: number; code: string }) => [p.position, p.offset, p.code]);
    expect(codes).toEqual([
      [1, 0, 'interop.bad_leader'],
      [2, recordA.length, 'interop.length_mismatch'],
      [4, 2 * recordA.length + cyrillic.length, 'interop.record_too_short'],
      [5, 2 * recordA.length + cyrillic.length + 9, 'interop.truncated_record'],
    ]);
    const report = await importAndWait(api, 'damaged.mrc', file, 'matching=merge&holdings=false');
    // both good records were imported before: found again by their 003/001 and merged
    expect(report.body).toMatchObject({ status: 'done', total: 5, merged: 2, created: 0, failed: 3 });
    expect(report.body.records.map((r: { action: string }) => r.action)).toEqual(['failed', 'merged', 'merged', 'failed', 'failed']);
  });

  it('imports the records of a MARCXML file before the place where it breaks, and fails the file with that place named', async () => {
    const api = await signedIn('librarian-a');
    const record = (id: string, title: string) =>
      `<record><leader>00000nam a2200000 i 4500</leader><controlfield tag="001">${id}</controlfield><controlfield tag="003">XML-BREAK</controlfield>` +
      `<datafield tag="245" ind1="1" ind2="0"><subfield code="a">${title}</subfield></datafield></record>`;
    const file = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n${record('x1', 'Сынған файлдың бірінші кітабы')}\n${record('x2', 'Сынған файлдың екінші кітабы')}\n<record><leader>00000nam a2200000 i 4500</leader><datafield tag="245"></record>\n</collection>`);
    const preview = await upload(api, '/api/interop/imports/preview', 'broken.xml', file);
    expect(preview.body).toMatchObject({ syntax: 'marcxml', total: 2, readable: 2, errors: 1 });
    expect(preview.body.problems[0]).toMatchObject({ position: 0, code: 'interop.bad_xml' });
    expect(preview.body.problems[0].message).toMatch(/^MARCXML файлы оқылмады: .*5:\d+/);
    const report = await importAndWait(api, 'broken.xml', file, 'matching=keep');
    expect(report.body).toMatchObject({ status: 'failed', total: 2, processed: 2, created: 2, error: { code: 'interop.bad_xml', params: { reason: preview.body.problems[0].params.reason } } });
    expect(report.body.error.message).toBe(preview.body.problems[0].message);
    expect(report.body.records.map((r: { title: string }) => r.title)).toEqual(['Сынған файлдың бірінші кітабы', 'Сынған файлдың екінші кітабы']);
  });

  it('lets only the own library see and undo its imports', async () => {
    const a = await signedIn('librarian-a');
    const b = await signedIn('librarian-b');
    const ownList = await a.get('/api/interop/imports');
    expect(ownList.body.total).toBeGreaterThan(3);
    const id = ownList.body.items.find((i: { status: string }) => i.status === 'done').id;
    const otherList = await b.get('/api/interop/imports');
    expect(otherList.body).toEqual({ items: [], total: 0 });
    expect((await b.get(`/api/interop/imports/${id}`)).status).toBe(404);
    const undo = await b.post(`/api/interop/imports/${id}/undo`);
    expect(undo.status).toBe(404);
    expect((await a.get(`/api/interop/imports/${id}`)).body.status).toBe('done');

    const anonymous = new ApiClient(app);
    expect((await anonymous.get('/api/interop/imports')).status).toBe(401);
    expect((await upload(anonymous, '/api/interop/imports', 'x.mrc', bookChamber())).status).toBe(401);
    const teacher = await signedIn('teacher-a');
    expect((await upload(teacher, '/api/interop/imports/preview', 'x.mrc', bookChamber())).status).toBe(403);
    const method = await signedIn('method');
    expect((await method.post('/api/interop/export', { query: 'Абай' })).status).toBe(403);
  });

  it('refuses bad input with translated errors and writes nothing', async () => {
    const api = await signedIn('librarian-a'); // her language is Kazakh
    const count = async () => (await database.db.selectFrom('interop.import_batches').select('id').execute()).length;
    const before = await count();
    const noFile = await api.request({ method: 'POST', url: '/api/interop/imports', payload: {} });
    expect(noFile.status).toBe(400);
    expect(noFile.body.error.code).toBe('interop.file_required');
    expect(noFile.body.error.message).toBe('MARC файлын таңдаңыз');
    const badOption = await upload(api, '/api/interop/imports?matching=replace', 'x.mrc', bookChamber());
    expect(badOption.status).toBe(400);
    expect(badOption.body.error.code).toBe('common.validation');
    const noSelection = await api.post('/api/interop/export', { format: 'iso2709' });
    expect(noSelection.status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('exports the rest of a selection when one record is too long for ISO 2709, and names the one left out', async () => {
    const api = await signedIn('librarian-a');
    const longOne = await makeWork(database.db, { title: 'Өте ұзын аннотация' });
    await database.db.updateTable('catalog.works').set({ annotation: 'ж'.repeat(60_000) }).where('id', '=', longOne).execute();
    const shortOne = await makeWork(database.db, { title: 'Қысқа кітап' });
    const res = await api.post('/api/interop/export', { workIds: [longOne, shortOne], format: 'iso2709', holdings: false });
    expect(res.status).toBe(200);
    expect(res.headers['x-record-count']).toBe('1');
    expect(res.headers['x-records-skipped']).toBe(String(longOne));
    expect(res.raw.toString('utf8')).toContain('Қысқа кітап');
    // MARCXML has no such limit: both records are there
    const xml = await api.post('/api/interop/export', { workIds: [longOne, shortOne], format: 'marcxml', holdings: false });
    expect(xml.headers['x-record-count']).toBe('2');
  });

  it('undoes an import with its works, copies and new authors, and refuses to undo twice', async () => {
    const api = await signedIn('librarian-a');
    const list = await api.get('/api/interop/imports');
    const school = list.body.items.find((b: { fileName: string }) => b.fileName === 'school.mrc');
    const works = await database.db.selectFrom('interop.source_records').select('work_id').where('batch_id', '=', school.id).execute();
    const undone = await api.post(`/api/interop/imports/${school.id}/undo`);
    // the merge batch that followed added no copies, so the school batch's works and copies can go
    expect(undone.status).toBe(200);
    const left = await database.db.selectFrom('catalog.works').select('id').where('id', 'in', works.map((w) => w.work_id!)).execute();
    expect(left).toEqual([]);
    const authors = await database.db.selectFrom('catalog.authors').select('name').where('name', '=', 'Нұрпейісов, Әбдіжәміл').execute();
    expect(authors).toEqual([]);
    const tombstones = await database.db.selectFrom('interop.deleted_records').select('work_id').execute();
    expect(tombstones.map((t) => t.work_id)).toEqual(expect.arrayContaining(works.map((w) => w.work_id!)));
    const twice = await api.post(`/api/interop/imports/${school.id}/undo`);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('interop.already_undone');
  });

  it('exports a selection as MARC 21 that reads back to the same catalogue fields, with the own copies', async () => {
    const api = await signedIn('librarian-a');
    const batch = (await api.get('/api/interop/imports?limit=100')).body.items.find((b: { fileName: string }) => b.fileName === '1251.mrc');
    const report = await api.get(`/api/interop/imports/${batch.id}`);
    const workIds: number[] = report.body.records.map((r: { workId: number }) => r.workId);
    for (const format of ['iso2709', 'marcxml'] as const) {
      const res = await api.post('/api/interop/export', { workIds, format, holdings: true });
      expect(res.status).toBe(200);
      expect(res.headers['x-record-count']).toBe('6');
      const read = readMarcFile(res.raw);
      expect(read.records).toHaveLength(6);
      for (const r of read.records) {
        const id = Number((r.record!.fields.find((f) => f.tag === '001') as { value: string }).value);
        const work = await getWork(database.db, id);
        expect(r.work).toMatchObject({
          title: work.title, subtitle: work.subtitle, isbn: work.isbn, publisher: work.publisher, publishPlace: work.publishPlace,
          publishYear: work.publishYear, language: work.language, pages: work.pages, udc: work.udc, bbk: work.bbk,
          authors: work.authors.map((a) => ({ name: a.name, role: a.role })),
        });
      }
      expect(read.records.map((r) => r.work!.subjects)).toContainEqual(['Трубопроводы -- Гидравлический расчет']);
    }
    // marcjs reads our ISO 2709 too
    const iso = await api.post('/api/interop/export', { workIds: workIds.slice(0, 1), format: 'iso2709', holdings: false });
    const parsed = marcjs.Marc.parse(iso.raw, 'iso2709');
    // the record goes out as it came in, its statement of responsibility ($c) included
    expect(parsed.fields.find((f) => f[0] === '245')!.slice(0, 6)).toEqual(['245', '10', 'a', expect.stringContaining('Основы гидравлического расчета инженерных сетей'), 'b', expect.stringContaining('учеб. пособие')]);

    // holdings: the RUSMARC records brought copies (899 $p); only the own library's copies are exported
    const chessA = await api.post('/api/interop/export', { query: 'Задачи этюды', format: 'marcxml', holdings: true });
    expect(chessA.status).toBe(200);
    const heldA = readMarcFile(chessA.raw).records.flatMap((r) => r.work!.holdings);
    expect(heldA.length).toBeGreaterThan(0);
    const b = await signedIn('librarian-b');
    const chessB = await b.post('/api/interop/export', { query: 'Задачи этюды', format: 'marcxml', holdings: true });
    expect(readMarcFile(chessB.raw).records.flatMap((r) => r.work!.holdings)).toEqual([]);
    expect(readMarcFile(chessB.raw).records.length).toBe(readMarcFile(chessA.raw).records.length);
  });

  it('lets a harvester page through OAI-PMH and get every record once, deletions included', async () => {
    const harvester = new ApiClient(app); // no sign-in: OAI-PMH is public
    const identify = await harvester.get('/api/oai?verb=Identify');
    expect(identify.status).toBe(200);
    expect(identify.headers['content-type']).toContain('text/xml');
    expect(identify.body).toContain('<protocolVersion>2.0</protocolVersion>');
    expect(identify.body).toContain('<deletedRecord>transient</deletedRecord>');

    process.env.KITAPHANA_OAI_PAGE_SIZE = '40';
    try {
      const seen: string[] = [];
      const deleted: string[] = [];
      const titles: string[] = [];
      let url = '/api/oai?verb=ListRecords&metadataPrefix=marc21';
      let pages = 0;
      for (;;) {
        const res = await harvester.get(url);
        expect(res.status).toBe(200);
        pages++;
        for (const m of res.body.matchAll(/<header( status="deleted")?><identifier>([^<]+)<\/identifier>/g)) {
          seen.push(m[2]);
          if (m[1]) deleted.push(m[2]);
        }
        titles.push(...readMarcXml(res.body).map((r) => r.record!.fields.find((f) => f.tag === '245') as { subfields: { value: string }[] }).map((f) => f.subfields[0]!.value));
        const token = /<resumptionToken>([^<]*)<\/resumptionToken>/.exec(res.body)?.[1];
        if (!token) break;
        url = `/api/oai?verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`;
      }
      const works = await database.db.selectFrom('catalog.works').select('id').execute();
      const tombstones = await database.db.selectFrom('interop.deleted_records').select('work_id').execute();
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(works.length + tombstones.length);
      expect(deleted.length).toBe(tombstones.length);
      expect(deleted.length).toBeGreaterThan(0);
      expect(pages).toBe(Math.ceil(seen.length / 40));
      expect(seen[0]).toMatch(/^oai:[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+:work\/\d+$/);
      expect(titles).toContain('Основы гидравлического расчета инженерных сетей');
    } finally {
      delete process.env.KITAPHANA_OAI_PAGE_SIZE;
    }

    const first = /<identifier>(oai:[^<]+)<\/identifier>/.exec((await harvester.get('/api/oai?verb=ListIdentifiers&metadataPrefix=oai_dc')).body)![1]!;
    const dc = await harvester.get(`/api/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(first)}`);
    expect(dc.body).toMatch(/<dc:title>[^<]+<\/dc:title>/);
    const formats = await harvester.get('/api/oai?verb=ListMetadataFormats');
    expect(formats.body).toContain('<metadataPrefix>marc21</metadataPrefix>');
    const sets = await harvester.get('/api/oai?verb=ListSets');
    expect(sets.body).toContain(`<setSpec>org:${tenants.schoolA.id}</setSpec>`);
    const inSet = await harvester.get(`/api/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&set=org:${tenants.schoolA.id}`);
    expect(inSet.body).toContain(`<setSpec>org:${tenants.schoolA.id}</setSpec>`);

    const today = new Date().toISOString().slice(0, 10);
    expect((await harvester.get(`/api/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&from=${today}`)).body).toContain('<header>');
    const errors: [string, string][] = [
      ['verb=Borrow', 'badVerb'],
      ['verb=ListRecords', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=mods', 'cannotDisseminateFormat'],
      ['verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere.example:work/999999', 'idDoesNotExist'],
      ['verb=ListRecords&resumptionToken=not-a-token', 'badResumptionToken'],
      ['verb=ListRecords&metadataPrefix=oai_dc&until=2000-01-01', 'noRecordsMatch'],
      ['verb=ListRecords&metadataPrefix=oai_dc&from=yesterday', 'badArgument'],
    ];
    for (const [query, code] of errors) {
      const res = await harvester.get(`/api/oai?${query}`);
      expect(res.body, query).toContain(`<error code="${code}">`);
    }
  });

  it('names the configured base URL in Identify, whatever Host the request carries, and answers a form-encoded POST as a GET', async () => {
    process.env.KITAPHANA_PUBLIC_URL = 'https://kitap.school-12.kz/';
    try {
      const harvester = new ApiClient(app);
      const identify = await harvester.request({ method: 'GET', url: '/api/oai?verb=Identify', headers: { host: 'evil.example' } });
      expect(identify.body).toContain('<baseURL>https://kitap.school-12.kz/api/oai</baseURL>');
      expect(identify.body).toContain('>https://kitap.school-12.kz/api/oai</request>');
      expect(identify.body).toContain('<repositoryIdentifier>kitap.school-12.kz</repositoryIdentifier>');
      expect(identify.body).not.toContain('evil.example');
      const get = await harvester.get('/api/oai?verb=ListIdentifiers&metadataPrefix=oai_dc');
      const post = await harvester.request({
        method: 'POST',
        url: '/api/oai',
        payload: 'verb=ListIdentifiers&metadataPrefix=oai_dc',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(post.status).toBe(200);
      const strip = (xml: string) => xml.replace(/<responseDate>[^<]*<\/responseDate>/, '');
      expect(strip(post.body)).toBe(strip(get.body));
      const repeated = await harvester.request({ method: 'POST', url: '/api/oai', payload: 'verb=Identify&verb=Identify', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(repeated.body).toContain('<error code="badVerb">');
    } finally {
      delete process.env.KITAPHANA_PUBLIC_URL;
    }
  });

  it('gives a merged record a new datestamp, so an incremental harvest sees it', async () => {
    const api = await signedIn('librarian-a');
    const harvester = new ApiClient(app);
    const [work] = await database.db.selectFrom('catalog.works').select(['id', 'updated_at']).orderBy('id').limit(1).execute();
    await database.db.updateTable('catalog.works').set({ updated_at: new Date('2020-01-01T00:00:00Z') }).where('id', '=', work!.id).execute();
    const identifier = `work/${work!.id}<`;
    const since = new Date(Date.now() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    // the work's own record, exported and imported again with matching=merge: every field is already filled
    const exported = await api.post('/api/interop/export', { workIds: [work!.id], format: 'iso2709', holdings: false });
    const merged = await importAndWait(api, 'again.mrc', exported.raw, 'matching=merge');
    expect(merged.body.status).toBe('done');
    expect(merged.body.merged).toBe(1);
    const incremental = await harvester.get(`/api/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&from=${since}`);
    expect(incremental.body).toContain(identifier);
  });

  it('answers SRU searchRetrieve with basic CQL and MARCXML records', async () => {
    const client = new ApiClient(app);
    const search = async (query: string) => {
      const res = await client.get(`/api/sru?operation=searchRetrieve&version=1.2&maximumRecords=50&query=${encodeURIComponent(query)}`);
      expect(res.status).toBe(200);
      return { count: Number(/<numberOfRecords>(\d+)<\/numberOfRecords>/.exec(res.body)![1]), body: res.body as string };
    };
    const byTitle = await search('title = гидравлического');
    expect(byTitle.count).toBe(1);
    expect(readMarcXml(byTitle.body)[0]!.record!.fields.find((f) => f.tag === '245')).toMatchObject({
      subfields: expect.arrayContaining([{ code: 'a', value: expect.stringContaining('Основы гидравлического расчета инженерных сетей') }]),
    });
    expect((await search('dc.creator = "Ильина"')).count).toBe(1);
    expect((await search('bath.isbn = 5930933421')).count).toBe(1);
    const chess = await search('Задачи and этюды');
    expect(chess.count).toBeGreaterThan(3);
    expect((await search('Задачи and этюды not title = "Вып. 15"')).count).toBe(chess.count - 1);
    expect((await search('(title = гидравлического or author = "Анн Людмила")')).count).toBe(2);
    const unsupported = await search('publisher = Питер');
    expect(unsupported.count).toBe(0);
    expect(unsupported.body).toContain('info:srw/diagnostic/1/16');
    const paged = await client.get(`/api/sru?operation=searchRetrieve&query=${encodeURIComponent('Задачи')}&maximumRecords=2&startRecord=2`);
    expect(paged.body).toContain('<recordPosition>2</recordPosition>');
    expect(paged.body).toContain('<nextRecordPosition>4</nextRecordPosition>');
  });

  it('reads CQL relations as CQL defines them: any of the words, all of them, or the words in order', async () => {
    const client = new ApiClient(app);
    const count = async (query: string, version = '1.2') => {
      const res = await client.get(`/api/sru?operation=searchRetrieve&version=${version}&maximumRecords=50&query=${encodeURIComponent(query)}`);
      return Number(/<numberOfRecords>(\d+)<\/numberOfRecords>/.exec(res.body)![1]);
    };
    const hydraulic = await count('title all "гидравлического"');
    const chess = await count('title all "этюды"');
    expect(await count('title any "гидравлического этюды"')).toBe(hydraulic + chess);
    expect(await count('title all "гидравлического этюды"')).toBe(0);
    expect(await count('title adj "гидравлического расчета"')).toBe(1);
    expect(await count('title adj "расчета гидравлического"')).toBe(0);
    expect(await count('title any "гидравлического этюды"', '2.0')).toBe(hydraulic + chess);
  });

  it('answers SRU 2.0 in the OASIS namespace and lists in explain only the indexes a query may use', async () => {
    const client = new ApiClient(app);
    const two = await client.get(`/api/sru?operation=searchRetrieve&version=2.0&query=${encodeURIComponent('Задачи')}`);
    expect(two.body).toContain('<searchRetrieveResponse xmlns="http://docs.oasis-open.org/ns/search-ws/sruResponse">');
    expect(two.body).not.toContain('<version>');
    expect(two.body).toContain('<recordXMLEscaping>xml</recordXMLEscaping>');
    const one = await client.get(`/api/sru?operation=searchRetrieve&version=1.2&query=${encodeURIComponent('Задачи')}`);
    expect(one.body).toContain('xmlns="http://www.loc.gov/zing/srw/"><version>1.2</version>');
    const explain = await client.get('/api/sru?version=2.0');
    const names = [...(explain.body as string).matchAll(/<name set="(\w+)">(\w+)<\/name>/g)].map((m) => `${m[1]}.${m[2]}`);
    expect(names).toEqual(['dc.title', 'dc.creator', 'bath.isbn', 'cql.anywhere']);
    // every index explain names answers a query without a diagnostic
    for (const index of names) {
      const res = await client.get(`/api/sru?operation=searchRetrieve&version=2.0&query=${encodeURIComponent(`${index} = 1`)}`);
      expect(res.body, index).not.toContain('diagnostic');
    }
  });
});
