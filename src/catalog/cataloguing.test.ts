import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import { knowledgeGroupOf, listGroupRules } from '../fund/accounting/groups.js';
import { loadExportWorks, workToMarc21 } from '../interop/export.js';
import { listAuthorSigns, signFromTable, surnameOf } from './author-signs.js';
import { kazakhSortKey } from './folding.js';

const FULL = {
  title: 'Көшпенділер',
  parallelTitle: 'Кочевники',
  responsibility: 'І. Есенберлин; алғы сөзін жазған Ә. Кекілбаев',
  edition: '3-басылым',
  publishPlace: 'Алматы',
  publisher: 'Жазушы',
  publishYear: 2019,
  pages: 672,
  series: 'Қазақ романдары',
  isbn: '978-601-7000-00-0',
  bbk: '84(5Каз)7-44',
  udc: '821.512.122-31',
  ageCategory: '14+',
  language: 'kaz',
  publicationType: 'book',
  accessibleFormat: 'large_print',
  subjectHeadings: ['Қазақ хандығы -- Тарихи роман', 'Қазақ әдебиеті'],
  annotation: 'Қазақ хандығының тарихы туралы трилогия.',
  authors: [{ name: 'Ілияс Есенберлин' }, { name: 'Әбіш Кекілбаев', role: 'editor' }],
};

describe.each(BACKENDS)('the full cataloguing form on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let librarian: ApiClient;
  let admin: ApiClient;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    librarian = new ApiClient(app);
    await librarian.login('librarian-a');
    admin = new ApiClient(app);
    await admin.login('admin');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('keeps every field of the form, derives the author sign and exports the new fields to MARC', async () => {
    const res = await librarian.post('/api/catalog/works', { ...FULL, isbn: null });
    expect(res.status).toBe(201);
    const w = res.body;
    expect(w).toMatchObject({
      parallelTitle: 'Кочевники',
      responsibility: FULL.responsibility,
      edition: '3-басылым',
      series: 'Қазақ романдары',
      bbk: '84(5Каз)7-44',
      udc: '821.512.122-31',
      ageCategory: '14+',
      accessibleFormat: 'large_print',
      publicationType: 'book',
      subjectHeadings: FULL.subjectHeadings,
    });
    // Есенберлин: Е + the number of the table's last row not after «Есенберлин»
    const table = await listAuthorSigns(database.db);
    const rowEs = table.find((r) => r.prefix === 'Ес')!;
    expect(w.authorSign).toBe(`Е${rowEs.number}`);
    expect(w.authors.map((a: { role: string }) => a.role)).toEqual(['author', 'editor']);

    const [exported] = await loadExportWorks(database.db, [w.id]);
    const marc = workToMarc21(exported!);
    const field = (tag: string) => marc.fields.find((f) => f.tag === tag) as { subfields: { code: string; value: string }[] } | undefined;
    expect(field('084')!.subfields).toEqual([
      { code: 'a', value: '84(5Каз)7-44' },
      { code: 'b', value: `Е${rowEs.number}` },
      { code: '2', value: 'rubbk' },
    ]);
    expect(field('080')!.subfields[0]!.value).toBe('821.512.122-31');
    expect(field('521')!.subfields[0]!.value).toBe('14+');
    expect(field('246')!.subfields[0]!.value).toBe('Кочевники');
    expect(field('250')!.subfields[0]!.value).toBe('3-басылым');
    expect(field('490')!.subfields[0]!.value).toBe('Қазақ романдары');
    expect(marc.fields.filter((f) => f.tag === '650')).toHaveLength(2);
  });

  it('edits a record after saving: copies stay, the audit log names the fields changed with before and after', async () => {
    const created = (await librarian.post('/api/catalog/works', { title: 'Абай жолы', authors: [{ name: 'Мұхтар Әуезов' }], bbk: '84(5Каз)6' })).body;
    const copies = await librarian.post('/api/copies', { workId: created.id, count: 2, priceTiyn: 150000 });
    expect(copies.status).toBe(201);
    const res = await librarian.put(`/api/catalog/works/${created.id}`, { bbk: '84(5Каз)7', ageCategory: '12+', series: 'Мектеп кітапханасы' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ bbk: '84(5Каз)7', ageCategory: '12+', series: 'Мектеп кітапханасы', title: 'Абай жолы' });
    expect(res.body.authorSign).toMatch(/^Ә\d+$/);
    const after = await librarian.get(`/api/catalog/works/${created.id}`);
    expect(after.body.copies).toHaveLength(2);
    const log = await database.db
      .selectFrom('org.audit_log')
      .select(['user_id', 'details'])
      .where('entity', '=', 'work')
      .where('entity_id', '=', String(created.id))
      .where('action', '=', 'update')
      .executeTakeFirstOrThrow();
    const details = log.details as { fields: string[]; changes: Record<string, { before: unknown; after: unknown }> };
    expect(log.user_id).toBe(tenants.librarianA.userId);
    expect(details.fields.sort()).toEqual(['age_rating', 'bbk', 'series']);
    expect(details.changes.bbk).toEqual({ before: '84(5Каз)6', after: '84(5Каз)7' });
  });

  it.each([
    [{ bbk: 'абв' }, 'catalog.bad_bbk'],
    [{ bbk: '84..5' }, 'catalog.bad_bbk'],
    [{ udc: 'XII.3' }, 'catalog.bad_udc'],
    [{ ageCategory: '21+' }, 'catalog.bad_age_rating'],
  ])('refuses %j with a translated error and writes nothing', async (bad, code) => {
    const before = await database.db.selectFrom('catalog.works').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const created = await librarian.post('/api/catalog/works', { title: 'Сынақ', ...bad });
    expect(created.status).toBe(400);
    expect(created.body.error.code).toBe(code);
    expect(created.body.error.message).not.toContain('catalog.');
    const after = await database.db.selectFrom('catalog.works').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('shows the knowledge group while the BBK or UDC is typed', async () => {
    const group = async (q: string) => (await librarian.get(`/api/catalog/knowledge-group?${q}`)).body;
    expect(await group('bbk=84(5Каз)7')).toMatchObject({ knowledgeGroup: 'fiction', bbkValid: true });
    expect(await group('bbk=22.1')).toMatchObject({ knowledgeGroup: 'natural_sciences' });
    expect(await group('udc=821.161.1')).toMatchObject({ knowledgeGroup: 'fiction' });
    expect(await group('bbk=абв')).toMatchObject({ knowledgeGroup: 'other', bbkValid: false });
  });

  it('a fund whose every record has a BBK or UDC falls into the six groups with nothing in "other"', async () => {
    const rules = await listGroupRules(database.db);
    const fund = [
      { bbk: '66.3(5Каз)', udc: null }, { bbk: '63.3(5Каз)', udc: null }, { bbk: '22.1', udc: null }, { bbk: '28.0', udc: null },
      { bbk: '32.97', udc: null }, { bbk: '41.2', udc: null }, { bbk: '85.1', udc: null }, { bbk: '75.5', udc: null },
      { bbk: '81.2Каз', udc: null }, { bbk: '83.3(5Каз)', udc: null }, { bbk: '84(5Каз)7-44', udc: null }, { bbk: null, udc: '821.512.122' },
      { bbk: null, udc: '53' }, { bbk: null, udc: '94(574)' }, { bbk: null, udc: '796' }, { bbk: null, udc: '621.3' },
    ];
    const groups = fund.map((w) => knowledgeGroupOf(rules, { ...w, knowledge_group: null, language: 'kaz' }, 'main'));
    expect(groups).not.toContain('other');
    expect(new Set(groups).size).toBe(6);
  });

  it('signs Kazakh and Russian surnames by the table, and an admin may edit the table', async () => {
    const table = await listAuthorSigns(database.db);
    const expected = (surname: string) => {
      const letter = surname[0]!.toUpperCase();
      const rows = table.filter((r) => r.prefix[0] === letter && kazakhSortKey(r.prefix) <= kazakhSortKey(surname));
      return `${letter}${rows[rows.length - 1]!.number}`;
    };
    for (const surname of ['Әуезов', 'Құнанбайұлы', 'Майлин', 'Ғабдуллин', 'Сейфуллин', 'Өтепов', 'Ыбырай', 'Үмбетов', 'Пушкин', 'Толстой', 'Чехов', 'Ахматова', 'Яковлев', 'Щедрин']) {
      const sign = signFromTable(table, surname);
      expect(sign).toBe(expected(surname));
    }
    expect(signFromTable(table, 'Аа')).toBe('А12');
    expect(signFromTable(table, 'А')).toBe('А11');
    expect(surnameOf('Әуезов, Мұхтар')).toBe('Әуезов');
    expect(surnameOf('Мұхтар Әуезов')).toBe('Әуезов');
    expect((await librarian.get('/api/catalog/author-sign?author=' + encodeURIComponent('Лев Толстой'))).body.authorSign).toBe(expected('Толстой'));
    // The printed table of a library replaces the rows: «Тол» gets its own number
    const edited = [...table, { prefix: 'Тол', number: 77 }];
    expect((await librarian.put('/api/catalog/author-signs', { items: edited })).status).toBe(403);
    const dup = await admin.put('/api/catalog/author-signs', { items: [...edited, { prefix: 'Тол', number: 78 }] });
    expect(dup.status).toBe(400);
    expect(dup.body.error.code).toBe('catalog.sign_duplicate');
    expect((await admin.put('/api/catalog/author-signs', { items: edited })).status).toBe(200);
    expect((await librarian.get('/api/catalog/author-sign?author=' + encodeURIComponent('Толстой, Лев'))).body.authorSign).toBe('Т77');
  });

  it('filters the catalogue by accessible format', async () => {
    await librarian.post('/api/catalog/works', { title: 'Брайль әліппесі', accessibleFormat: 'braille' });
    const braille = await librarian.get('/api/catalog/search?accessibleFormat=braille');
    expect(braille.body.items.map((i: { title: string }) => i.title)).toEqual(['Брайль әліппесі']);
    const any = await librarian.get('/api/catalog/search?accessibleFormat=any');
    expect(any.body.items.map((i: { title: string }) => i.title).sort()).toEqual(['Брайль әліппесі', 'Көшпенділер']);
  });

  it('marks copies valuable or open access, and a fund check may cover only the valuable ones', async () => {
    const work = (await librarian.post('/api/catalog/works', { title: 'Қобыланды батыр', bbk: '82.3(5Каз)' })).body;
    const [a, b] = (await librarian.post('/api/copies', { workId: work.id, count: 2 })).body.items;
    const patched = await librarian.patch(`/api/copies/${a.id}`, { valuable: true });
    expect(patched.body).toMatchObject({ valuable: true, openAccess: false });
    await librarian.patch(`/api/copies/${b.id}`, { openAccess: true });
    const marked = await librarian.get('/api/copies/marked');
    expect(marked.body.valuable).toMatchObject({ copies: 1 });
    expect(marked.body.openAccess).toMatchObject({ copies: 1 });
    const check = await librarian.post('/api/fund/checks', { valuableOnly: true });
    expect(check.status).toBeLessThan(300);
    expect(check.body.valuableOnly).toBe(true);
    const result = await librarian.get(`/api/fund/checks/${check.body.id}/result`);
    expect(result.body.missing.map((c: { copyId: number }) => c.copyId)).toEqual([a.id]);
  });
});
