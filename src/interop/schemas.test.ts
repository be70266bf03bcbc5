import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { writeIso2709 } from './marc/iso2709.js';
import { readMarcXml } from './marc/marcxml.js';
import type { MarcRecord } from './marc/record.js';
import { repositoryIdentifier } from './oai.js';
import { importAndWait, marcFile, repoRoot } from './test-helpers.js';

/**
 * The OAI-PMH and SRU answers, fetched from the running routes, validated with xmllint against the
 * schemas of the specifications (the project's own rendering of them, test/fixtures/schemas/),
 * read from disk so that validation needs no network.
 */
const schemaDir = path.join(repoRoot, 'test/fixtures/schemas');
const OAI_SCHEMA = path.join(schemaDir, 'oai-pmh-answers.xsd');
const SRU_SCHEMA = path.join(schemaDir, 'sru-answers.xsd');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kitaphana-xsd-'));
let fileNo = 0;

/** xmllint's verdict on one document: valid, or its complaints. A schema that does not compile throws. */
function xmllint(xml: string, schema: string): { valid: boolean; messages: string } {
  const file = path.join(workDir, `answer-${++fileNo}.xml`);
  fs.writeFileSync(file, xml);
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { encoding: 'utf8' });
  if (run.error) throw run.error;
  const messages = `${run.stdout}${run.stderr}`.replaceAll(file, 'answer.xml');
  // xmllint exits 3 for a document the schema refuses, 5 for a schema it cannot compile
  if (run.status !== 0 && run.status !== 3) throw new Error(`xmllint failed (${run.status}): ${messages}`);
  return { valid: run.status === 0, messages };
}

function expectValid(xml: string, schema: string, label: string) {
  const verdict = xmllint(xml, schema);
  expect(verdict.messages, `${label}\n${xml.slice(0, 3000)}`).toContain('answer.xml validates');
  expect(verdict.valid, label).toBe(true);
}

function expectRefused(xml: string, schema: string, label: string, complaint: RegExp) {
  const verdict = xmllint(xml, schema);
  expect(verdict.valid, `${label} should be refused`).toBe(false);
  expect(verdict.messages, label).toMatch(complaint);
}

/** A school's small MARC 21 file: copies in 876 (so the library is a set), 880 with 066, local 9XX, several leader/06 types. */
function schoolFile(prefix: string, annotation: (i: number) => string | null = () => null): Buffer {
  const types = ['a', 'c', 'g', 'i', 'j', 'k', 'm', 'p', 'r', 't'];
  const records: MarcRecord[] = types.map((type, i) => ({
    leader: `00000n${type}m a2200000 i 4500`,
    fields: [
      { tag: '001', value: `${prefix}-${i}` },
      { tag: '003', value: 'SCHOOL-X' },
      { tag: '008', value: '240101s2024    kz            000 0 kaz d' },
      { tag: '066', ind1: ' ', ind2: ' ', subfields: [{ code: 'c', value: '(N' }] },
      { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: '6', value: '880-01' }, { code: 'a', value: `Zhumabaev, Magzhan ${i}` }] },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: '6', value: '880-02' }, { code: 'a', value: `${prefix} record of type ${type} & <kind> /` }] },
      ...(annotation(i) ? [{ tag: '520', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: annotation(i)! }] }] : []),
      { tag: '650', ind1: ' ', ind2: '7', subfields: [{ code: 'a', value: 'Қазақ поэзиясы' }] },
      { tag: '880', ind1: '1', ind2: ' ', subfields: [{ code: '6', value: '100-01/(N' }, { code: 'a', value: `Жұмабаев, Мағжан ${i}` }] },
      { tag: '880', ind1: '1', ind2: '0', subfields: [{ code: '6', value: '245-02/(N' }, { code: 'a', value: `${type} түріндегі жазба /` }] },
      { tag: '876', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: `${prefix}-inv-${i}` }, { code: 'p', value: `${prefix}-bc-${i}` }, { code: 'c', value: '1500' }] },
      { tag: '999', ind1: 'f', ind2: 'f', subfields: [{ code: 'i', value: `uuid-${prefix}-${i}` }] },
    ],
  }));
  return Buffer.concat(records.map(writeIso2709));
}

describe('the repository identifier of the oai-identifier scheme', () => {
  it('is the configured name or the public host when it is a domain name, and a name under .invalid otherwise', () => {
    expect(repositoryIdentifier(undefined, 'kitap.school-12.kz')).toBe('kitap.school-12.kz');
    expect(repositoryIdentifier('Library.Almaty.KZ', 'kitap.school-12.kz')).toBe('library.almaty.kz');
    expect(repositoryIdentifier(undefined, 'localhost')).toBe('localhost.invalid');
    expect(repositoryIdentifier(undefined, '192.168.1.10')).toBe('ip-192-168-1-10.invalid');
    expect(repositoryIdentifier(undefined, '[::1]')).toBe('ip--1.invalid');
    expect(repositoryIdentifier('kitaphana', 'kitap.school-12.kz')).toBe('kitaphana.invalid');
  });
});

describe.each(BACKENDS)('OAI-PMH and SRU answers against the specifications\' schemas on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  const harvester = () => new ApiClient(app); // OAI-PMH and SRU are public: no sign-in
  const oai = async (query: string) => {
    const res = await harvester().get(`/api/oai?${query}`);
    expect(res.status, query).toBe(200);
    expect(res.headers['content-type'], query).toContain('text/xml');
    return res.body as string;
  };
  const sru = async (query: string) => {
    const res = await harvester().get(`/api/sru?${query}`);
    expect(res.status, query).toBe(200);
    return res.body as string;
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    delete process.env.KITAPHANA_OAI_PAGE_SIZE;
    delete process.env.KITAPHANA_PUBLIC_URL;
  });

  it('answers an empty repository by the schema: Identify, no sets, no records', async () => {
    expectValid(await oai('verb=Identify'), OAI_SCHEMA, 'Identify, empty');
    const sets = await oai('verb=ListSets');
    expect(sets).toContain('<error code="noSetHierarchy">');
    expectValid(sets, OAI_SCHEMA, 'ListSets, no sets');
    const none = await oai('verb=ListRecords&metadataPrefix=oai_dc');
    expect(none).toContain('<error code="noRecordsMatch">');
    expectValid(none, OAI_SCHEMA, 'ListRecords, none');
  });

  it('validates every OAI-PMH answer: each verb, both formats, every page, deleted records and each error', async () => {
    const api = new ApiClient(app);
    await api.login('librarian-a');
    for (const [name, bytes] of [
      ['evergreen.mrc', fs.readFileSync(marcFile('evergreen-FSL-marc21-utf8.mrc'))],
      ['book-chamber.mrc', fs.readFileSync(marcFile('pymarc-1251-marc21-cp1251.mrc'))],
      ['rusmarc.iso', fs.readFileSync(marcFile('rusmarc-nlr-TEST1-cp1251.iso'))],
      ['marcxml.xml', fs.readFileSync(marcFile('pymarc-utf8-marcxml.xml'))],
      ['school.mrc', schoolFile('school')],
    ] as const) {
      const report = await importAndWait(api, name, bytes, 'matching=keep');
      expect(report.body.status, name).toBe('done');
    }
    // an import undone leaves tombstones: deleted records in the answers
    const gone = await importAndWait(api, 'gone.mrc', schoolFile('gone'), 'matching=keep');
    expect((await api.post(`/api/interop/imports/${gone.body.id}/undo`)).status).toBe(200);

    const identify = await oai('verb=Identify');
    expect(identify).toContain('<oai-identifier');
    expectValid(identify, OAI_SCHEMA, 'Identify');
    expectValid(await oai('verb=ListMetadataFormats'), OAI_SCHEMA, 'ListMetadataFormats');
    const sets = await oai('verb=ListSets');
    expect(sets).toContain(`<setSpec>org:${tenants.schoolA.id}</setSpec>`);
    expectValid(sets, OAI_SCHEMA, 'ListSets');

    // every page of both formats and of the identifiers, following the resumption tokens to the empty last one
    process.env.KITAPHANA_OAI_PAGE_SIZE = '30';
    let identifiers: string[] = [];
    let deleted = 0;
    try {
      for (const [verb, prefix] of [['ListRecords', 'oai_dc'], ['ListRecords', 'marc21'], ['ListIdentifiers', 'oai_dc']] as const) {
        let query = `verb=${verb}&metadataPrefix=${prefix}`;
        const seen: string[] = [];
        for (let page = 1; ; page++) {
          const answer = await oai(query);
          expectValid(answer, OAI_SCHEMA, `${verb} ${prefix} page ${page}`);
          seen.push(...[...answer.matchAll(/<identifier>(oai:[^<]+)<\/identifier>/g)].map((m) => m[1]!));
          if (verb === 'ListRecords' && prefix === 'marc21') deleted += [...answer.matchAll(/<header status="deleted">/g)].length;
          const token = /<resumptionToken>([^<]*)<\/resumptionToken>/.exec(answer)?.[1];
          if (!token) {
            if (page > 1) expect(answer, 'the last page has an empty token').toContain('<resumptionToken></resumptionToken>');
            break;
          }
          query = `verb=${verb}&resumptionToken=${encodeURIComponent(token)}`;
        }
        expect(seen.length, `${verb} ${prefix}`).toBeGreaterThan(60);
        identifiers = seen;
      }
    } finally {
      delete process.env.KITAPHANA_OAI_PAGE_SIZE;
    }
    expect(deleted).toBe(10);
    const marcPage = await oai('verb=ListRecords&metadataPrefix=marc21');
    expect(readMarcXml(marcPage).length).toBeGreaterThan(50);

    const live = identifiers.find((id) => id.endsWith('/1'))!;
    const tombstone = (await database.db.selectFrom('interop.deleted_records').select('work_id').orderBy('work_id').executeTakeFirstOrThrow()).work_id;
    const deletedId = identifiers.find((id) => id.endsWith(`/${tombstone}`))!;
    for (const query of [
      `verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(live)}`,
      `verb=GetRecord&metadataPrefix=marc21&identifier=${encodeURIComponent(live)}`,
      `verb=GetRecord&metadataPrefix=marc21&identifier=${encodeURIComponent(deletedId)}`,
      `verb=ListMetadataFormats&identifier=${encodeURIComponent(live)}`,
      `verb=ListIdentifiers&metadataPrefix=oai_dc&set=org:${tenants.schoolA.id}`,
      `verb=ListRecords&metadataPrefix=oai_dc&from=2000-01-01&until=2999-12-31`,
      `verb=ListIdentifiers&metadataPrefix=marc21&from=2000-01-01T00:00:00Z`,
    ]) {
      expectValid(await oai(query), OAI_SCHEMA, query);
    }

    const errors: [string, string][] = [
      ['verb=Borrow', 'badVerb'],
      ['', 'badVerb'],
      ['verb=ListRecords', 'badArgument'],
      ['verb=Identify&metadataPrefix=oai_dc', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&from=yesterday', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-02-01T00:00:00Z', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=mods', 'cannotDisseminateFormat'],
      [`verb=GetRecord&metadataPrefix=mods&identifier=${encodeURIComponent(live)}`, 'cannotDisseminateFormat'],
      ['verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere.example:work/999999', 'idDoesNotExist'],
      ['verb=ListMetadataFormats&identifier=not-ours', 'idDoesNotExist'],
      ['verb=ListRecords&metadataPrefix=oai_dc&until=2000-01-01', 'noRecordsMatch'],
      ['verb=ListRecords&resumptionToken=not-a-token', 'badResumptionToken'],
      ['verb=ListIdentifiers&resumptionToken=e30', 'badResumptionToken'],
    ];
    for (const [query, code] of errors) {
      const answer = await oai(query);
      expect(answer, query).toContain(`<error code="${code}">`);
      expectValid(answer, OAI_SCHEMA, query);
    }

    // a form-encoded POST is answered as a GET is, by the same schema
    const post = await harvester().request({
      method: 'POST',
      url: '/api/oai',
      payload: `verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(live)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectValid(post.body, OAI_SCHEMA, 'POST GetRecord');
  });

  it('names a repository identifier of the oai-identifier form for a configured address and for the default one', async () => {
    for (const url of ['https://kitap.school-12.kz', 'http://127.0.0.1:3000', 'http://localhost:8080']) {
      process.env.KITAPHANA_PUBLIC_URL = url;
      try {
        const identify = await oai('verb=Identify');
        expectValid(identify, OAI_SCHEMA, `Identify at ${url}`);
        const repository = /<repositoryIdentifier>([^<]+)<\/repositoryIdentifier>/.exec(identify)![1]!;
        const listed = /<identifier>([^<]+)<\/identifier>/.exec(await oai('verb=ListIdentifiers&metadataPrefix=oai_dc'))![1]!;
        expect(listed).toMatch(new RegExp(`^oai:${repository.replaceAll('.', '\\.')}:work/\\d+$`));
        expectValid(await oai(`verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(listed)}`), OAI_SCHEMA, `GetRecord at ${url}`);
      } finally {
        delete process.env.KITAPHANA_PUBLIC_URL;
      }
    }
  });

  it('validates every SRU answer: explain, records, zero hits and diagnostics, in 1.2 and 2.0', async () => {
    for (const version of ['1.2', '2.0']) {
      const queries = [
        `version=${version}`,
        `operation=explain&version=${version}`,
        `operation=searchRetrieve&version=${version}&query=${encodeURIComponent('Задачи')}&maximumRecords=3`,
        `operation=searchRetrieve&version=${version}&query=${encodeURIComponent('Задачи')}&maximumRecords=2&startRecord=2`,
        `operation=searchRetrieve&version=${version}&query=${encodeURIComponent('dc.title any "record gidravlicheskogo"')}&maximumRecords=50`,
        `operation=searchRetrieve&version=${version}&query=${encodeURIComponent('Задачи')}&maximumRecords=0`,
        `operation=searchRetrieve&version=${version}&query=${encodeURIComponent('title = "nothing like this anywhere"')}`,
        `operation=searchRetrieve&version=${version}&query=${encodeURIComponent('Задачи')}&startRecord=5000`,
        `operation=searchRetrieve&version=${version}&query=${encodeURIComponent('publisher = Питер')}`,
        `operation=searchRetrieve&version=${version}&query=${encodeURIComponent('(title = a')}`,
        `operation=searchRetrieve&version=${version}&query=${encodeURIComponent('title < a')}`,
        `operation=searchRetrieve&version=${version}&query=a&recordSchema=mods`,
        `operation=searchRetrieve&version=${version}&query=a&maximumRecords=many`,
        `operation=searchRetrieve&version=${version}`,
        `operation=scan&version=${version}&scanClause=a`,
      ];
      for (const query of queries) {
        const answer = await sru(query);
        expect(answer, query).toContain(version === '2.0' ? 'http://docs.oasis-open.org/ns/search-ws/sruResponse' : 'http://www.loc.gov/zing/srw/');
        expectValid(answer, SRU_SCHEMA, query);
      }
      const found = await sru(`operation=searchRetrieve&version=${version}&query=${encodeURIComponent('Задачи')}&maximumRecords=3`);
      expect(readMarcXml(found)).toHaveLength(3);
      const none = await sru(`operation=searchRetrieve&version=${version}&query=${encodeURIComponent('title = "nothing like this anywhere"')}`);
      expect(none).toContain('<numberOfRecords>0</numberOfRecords>');
      expect(none).not.toContain('diagnostic');
      expect(await sru(`operation=searchRetrieve&version=${version}&query=${encodeURIComponent('publisher = Питер')}`)).toContain('info:srw/diagnostic/1/16');
    }
  });

  it('refuses a wrong answer: the same schemas fail broken copies of real answers', async () => {
    const identify = await oai('verb=Identify');
    const list = await oai('verb=ListIdentifiers&metadataPrefix=oai_dc');
    const records = await oai('verb=ListRecords&metadataPrefix=marc21');
    const dc = await oai('verb=ListRecords&metadataPrefix=oai_dc');
    const error = await oai('verb=Borrow');
    for (const [xml, label] of [[identify, 'Identify'], [list, 'ListIdentifiers'], [records, 'ListRecords marc21'], [dc, 'ListRecords oai_dc'], [error, 'error']] as const) {
      expectValid(xml, OAI_SCHEMA, label);
    }
    const broken: [string, string, RegExp][] = [
      [error.replace('code="badVerb"', 'code="badRequest"'), 'an error code the protocol does not have', /badRequest/],
      [identify.replace(/<protocolVersion>2\.0<\/protocolVersion>/, '<protocolVersion>1.1</protocolVersion>'), 'another protocol version', /protocolVersion/],
      [identify.replace(/<adminEmail>[^<]*<\/adminEmail>/, ''), 'Identify without an administrator', /adminEmail|deletedRecord|earliestDatestamp/],
      [identify.replace(/<repositoryIdentifier>[^<]*<\/repositoryIdentifier>/, '<repositoryIdentifier>kitaphana:x</repositoryIdentifier>'), 'a repository identifier that is no domain name', /repositoryIdentifier/],
      [list.replace(/<datestamp>(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})Z<\/datestamp>/, '<datestamp>$1T$2+05:00</datestamp>'), 'a datestamp not in UTC', /datestamp/],
      [list.replace(/<datestamp>[^<]*<\/datestamp>/, ''), 'a header without its datestamp', /setSpec|datestamp|header/],
      [list.replace(/<header>(<identifier>[^<]*<\/identifier>)(<datestamp>[^<]*<\/datestamp>)/, '<header>$2$1'), 'header parts out of order', /datestamp|identifier/],
      [list.replace(/<responseDate>[^<]*<\/responseDate>/, ''), 'no responseDate', /request|responseDate/],
      [records.replace(/<leader>([^<]{23})[^<]<\/leader>/, '<leader>$1</leader>'), 'a leader of 23 characters', /leader/],
      [records.replace(/<datafield tag="245"/, '<datafield tag="24"'), 'a tag of two characters', /tag/],
      [records.replace(/(<controlfield tag="001">[^<]*<\/controlfield>)([\s\S]*?)(<datafield [^>]*>[\s\S]*?<\/datafield>)/, '$3$2$1'), 'a data field before a control field', /controlfield|datafield/],
      [dc.replace(/<dc:title>/, '<dc:heading>').replace(/<\/dc:title>/, '</dc:heading>'), 'an element Dublin Core does not have', /heading/],
      [records.replace(/<metadata>/, '<metadata><unknown xmlns="urn:x"/>'), 'metadata of an unknown schema', /unknown|metadata/],
    ];
    // each copy is refused, so each differs from the valid answer it was made from
    for (const [xml, label, complaint] of broken) expectRefused(xml, OAI_SCHEMA, label, complaint);

    const one = await sru(`operation=searchRetrieve&version=1.2&query=${encodeURIComponent('Задачи')}&maximumRecords=2`);
    const two = await sru(`operation=searchRetrieve&version=2.0&query=${encodeURIComponent('Задачи')}&maximumRecords=2`);
    const explain = await sru('version=2.0');
    expectValid(one, SRU_SCHEMA, 'SRU 1.2');
    expectValid(two, SRU_SCHEMA, 'SRU 2.0');
    expectValid(explain, SRU_SCHEMA, 'explain 2.0');
    const sruBroken: [string, string, RegExp][] = [
      [one.replace(/<version>1\.2<\/version>/, ''), 'SRU 1.2 without its version', /version|numberOfRecords/],
      [one.replace(/<numberOfRecords>\d+<\/numberOfRecords>/, '<numberOfRecords>many</numberOfRecords>'), 'a count that is no number', /numberOfRecords/],
      [one.replace(/<recordSchema>[^<]*<\/recordSchema>/, ''), 'a record without its schema', /recordSchema|recordPacking/],
      [one.replace(/<recordPacking>xml<\/recordPacking>/, '<recordPacking>packed</recordPacking>'), 'a 2.0 packing in 1.2', /recordPacking/],
      [two.replace(/<recordXMLEscaping>xml<\/recordXMLEscaping>/, '<recordXMLEscaping>html</recordXMLEscaping>'), 'an escaping 2.0 does not have', /recordXMLEscaping/],
      [two.replace(/<records>[\s\S]*<\/records>/, '<records></records>'), 'an empty records element', /records/],
      [two.replace(/<leader>([^<]{23})[^<]<\/leader>/, '<leader>$1</leader>'), 'a MARCXML record inside SRU with a short leader', /leader/],
      [explain.replace(/<serverInfo[^>]*>/, '<serverInfo>').replace(/<host>[^<]*<\/host>/, ''), 'explain without its host', /host|port/],
    ];
    for (const [xml, label, complaint] of sruBroken) expectRefused(xml, SRU_SCHEMA, label, complaint);
  });

  it('returns in an incremental harvest exactly the records a merge import changed, with their new content', async () => {
    const api = new ApiClient(app);
    await api.login('librarian-a');
    const first = await importAndWait(api, 'term-1.mrc', schoolFile('term'), 'matching=keep');
    expect(first.body.status).toBe('done');
    const ours = await database.db.selectFrom('interop.source_records').select('work_id').where('batch_id', '=', first.body.id).orderBy('position').execute();
    const ids = ours.map((r) => r.work_id!);
    // everything in the catalogue was last harvested long ago
    await database.db.updateTable('catalog.works').set({ updated_at: new Date('2020-01-01T00:00:00Z') }).execute();
    const since = new Date(Date.now() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

    // the school sends its file again: records 2 and 5 now carry an annotation the catalogue lacks
    const changed = (i: number) => (i === 2 || i === 5 ? `Annotation added in term 2 to record ${i}` : null);
    const again = schoolFile('term', changed);
    const only = Buffer.concat([2, 5].map((i) => again.subarray(...recordBounds(again, i))));
    const merged = await importAndWait(api, 'term-2.mrc', only, 'matching=merge&holdings=false');
    expect(merged.body).toMatchObject({ status: 'done', merged: 2, created: 0 });

    const incremental = await oai(`verb=ListRecords&metadataPrefix=oai_dc&from=${since}`);
    expectValid(incremental, OAI_SCHEMA, 'incremental ListRecords');
    const harvested = [...incremental.matchAll(/<identifier>oai:[^<]+:work\/(\d+)<\/identifier>/g)].map((m) => Number(m[1]));
    expect(harvested).toEqual([ids[2], ids[5]]);
    expect(incremental).toContain('<dc:description>Annotation added in term 2 to record 2</dc:description>');
    expect(incremental).toContain('<dc:description>Annotation added in term 2 to record 5</dc:description>');
    const marc = await oai(`verb=ListRecords&metadataPrefix=marc21&from=${since}`);
    expectValid(marc, OAI_SCHEMA, 'incremental ListRecords marc21');
    const annotations = readMarcXml(marc).map((r) => r.record!.fields.find((f) => f.tag === '520'));
    expect(annotations).toHaveLength(2);
    expect(annotations.every(Boolean)).toBe(true);

    // and a harvest up to the moment before sees the others, not these
    const older: number[] = [];
    for (let query = 'verb=ListIdentifiers&metadataPrefix=oai_dc&until=2020-01-01'; ; ) {
      const page = await oai(query);
      older.push(...[...page.matchAll(/<identifier>oai:[^<]+:work\/(\d+)<\/identifier>/g)].map((m) => Number(m[1])));
      const token = /<resumptionToken>([^<]+)<\/resumptionToken>/.exec(page)?.[1];
      if (!token) break;
      query = `verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`;
    }
    expect(older).toEqual(expect.arrayContaining([ids[0], ids[1], ids[9]]));
    expect(older).not.toContain(ids[2]);
    expect(older).not.toContain(ids[5]);
    // day granularity: OAI-PMH days are UTC days, the day part of the UTC datestamp
    const byDay = await oai(`verb=ListIdentifiers&metadataPrefix=oai_dc&from=${since.slice(0, 10)}`);
    expect(byDay).toContain(`work/${ids[2]}<`);
  });
});

/** Byte range of the i-th record of an ISO 2709 file (records end with 0x1D). */
function recordBounds(file: Buffer, i: number): [number, number] {
  let start = 0;
  for (let n = 0; n < i; n++) start = file.indexOf(0x1d, start) + 1;
  return [start, file.indexOf(0x1d, start) + 1];
}
