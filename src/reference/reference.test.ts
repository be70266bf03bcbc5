import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeWork } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import { createUser } from '../org/users.js';
import { newPdf, pdfToBuffer } from '../shared/pdf.js';
import { digitisationCounts, periodicalCounts, referenceCounts } from './counts.js';
import { DOCUMENT_LIMIT, storeDocument } from './documents.js';

/** A multipart body with fields first and one file, as a browser sends it. */
function multipart(fields: Record<string, string>, file: Buffer, filename = 'scan.pdf') {
  const boundary = '----kitaphana' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`), file, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function threePagePdf(): Promise<Buffer> {
  const doc = newPdf();
  doc.text('Бірінші бет');
  doc.addPage().text('Екінші бет');
  doc.addPage().text('Үшінші бет');
  return pdfToBuffer(doc);
}

describe.each(BACKENDS)('the reference service, periodicals and digitised documents on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let librarianA: ApiClient;
  let librarianB: ApiClient;
  let student: ApiClient;

  const as = async (login: string) => {
    const api = new ApiClient(app);
    expect((await api.login(login)).status).toBe(200);
    return api;
  };
  const count = async (table: 'reference.documents' | 'reference.document_chunks') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    await database.db.updateTable('org.organisations').set({ code: 'SCH-A' }).where('id', '=', tenants.schoolA.id).execute();
    await createUser(database.db, null, { login: 'pupil-a', password: 'test-password-1', fullName: 'Оқушы', role: 'student', organisationId: tenants.schoolA.id, classGrade: null, classLetter: null });
    app = await testApp(database);
    librarianA = await as('librarian-a');
    librarianB = await as('librarian-b');
    student = await as('pupil-a');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('logs references by kind, group, language and online, and answers pupils’ questions as virtual references', async () => {
    for (const [kind, virtual] of [['thematic', false], ['thematic', false], ['address', false], ['factographic', true]] as const) {
      expect((await librarianA.post('/api/reference/requests', { askedOn: '2024-10-02', kind, question: 'Абай туралы әдебиет', readerGroup: '5-9', language: 'kk', virtual })).status).toBe(201);
    }
    const q = await student.post('/api/reference/questions', { question: 'Жюль Верннің қандай кітаптары бар?' });
    expect(q.status).toBe(201);
    const inbox = await librarianA.get('/api/reference/questions');
    expect(inbox.body.items[0]).toMatchObject({ question: 'Жюль Верннің қандай кітаптары бар?', answer: null });
    expect((await librarianB.post(`/api/reference/questions/${q.body.id}/answer`, { answer: 'Х', kind: 'address', language: 'kk' })).status).toBe(404);
    expect((await librarianA.post(`/api/reference/questions/${q.body.id}/answer`, { answer: '«80 күнде жер шарын айналу» бар', kind: 'address', language: 'kk' })).status).toBe(200);
    expect((await student.get('/api/reference/questions/mine')).body.items[0].answer).toContain('80 күнде');
    const today = (await librarianA.get('/api/reference/requests')).body.items.find((r: { virtual: boolean; kind: string }) => r.virtual && r.kind === 'address');
    expect(today).toBeTruthy();
    const figures = await referenceCounts(database.db, [tenants.schoolA.id], '2024-09-01', '2099-08-31');
    expect(figures).toMatchObject({ total: 5, virtual: 2, byKind: { thematic: 2, address: 2, clarifying: 0, factographic: 1 }, questions: 1 });
    expect((await referenceCounts(database.db, [tenants.schoolB.id], '2024-09-01', '2099-08-31')).total).toBe(0);
  });

  it('logs unmet requests, counting a title asked again, and moves them into the purchase plan', async () => {
    const a = await librarianA.post('/api/reference/unmet', { notedOn: '2024-10-03', source: 'desk', title: 'Гарри Поттер', author: 'Роулинг' });
    const b = await librarianA.post('/api/reference/unmet', { notedOn: '2024-10-09', source: 'search', title: 'гарри поттер', author: 'роулинг' });
    expect(b.body.id).toBe(a.body.id);
    expect((await librarianA.post(`/api/reference/unmet/${a.body.id}/status`, { status: 'to_purchase' })).status).toBe(200);
    const list = await librarianA.get('/api/reference/unmet?status=to_purchase');
    expect(list.body.items).toEqual([expect.objectContaining({ title: 'Гарри Поттер', times: 2 })]);
    expect((await librarianB.post(`/api/reference/unmet/${a.body.id}/status`, { status: 'met' })).status).toBe(404);
  });

  it('notes a submitted catalogue search that found nothing as an unmet request, without who searched', async () => {
    await makeWork(database.db, { title: 'Қазақ ертегілері' });
    const search = (api: ApiClient, q: string, asked = true) => api.get(`/api/catalog/search?q=${encodeURIComponent(q)}${asked ? '&asked=true' : ''}`);
    const noted = async (org: number) =>
      database.db.selectFrom('reference.unmet').select(['title', 'times', 'source', 'reader_group']).where('organisation_id', '=', org).where('source', '=', 'search').execute();
    expect((await search(student, 'Айдаһар мен    сиқыршы')).body.total).toBe(0);
    expect((await search(student, 'айдаһар мен сиқыршы')).body.total).toBe(0);
    // typed into a picker, too short, found, or under a filter: nothing is noted
    await search(student, 'Бәйтерек аңызы', false);
    await search(student, 'жж');
    expect((await search(student, 'ертегілері')).body.total).toBeGreaterThan(0);
    await student.get(`/api/catalog/search?q=${encodeURIComponent('Жоқ кітап атауы')}&asked=true&language=kk`);
    expect(await noted(tenants.schoolA.id)).toEqual([{ title: 'Айдаһар мен сиқыршы', times: 2, source: 'search', reader_group: null }]);
    expect(await noted(tenants.schoolB.id)).toEqual([]);
    // the librarian sees it among the unmet requests and can put it into the purchase plan
    const list = await librarianA.get('/api/reference/unmet?status=open');
    expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ title: 'Айдаһар мен сиқыршы', source: 'search', times: 2 })]));
    const anonymous = new ApiClient(app);
    await search(anonymous, 'Тағы бір жоқ кітап');
    expect(await noted(tenants.schoolA.id)).toHaveLength(1);
  });

  it('keeps the periodicals register and the article index, and prints a bibliographic index', async () => {
    const ulan = await librarianA.post('/api/reference/periodicals', { title: 'Ұлан', kind: 'newspaper', language: 'kk', forChildren: true });
    const kz = await librarianA.post('/api/reference/periodicals', { title: 'Казахстанская правда', kind: 'newspaper', language: 'ru' });
    expect((await librarianA.post('/api/reference/periodicals', { title: 'Ұлан', language: 'kk' })).status).toBe(409);
    await librarianA.post(`/api/reference/periodicals/${ulan.body.id}/subscriptions`, { year: 2024, half: 2, issuesExpected: 26, priceTiyn: 1_250_000 });
    await librarianA.post(`/api/reference/periodicals/${kz.body.id}/subscriptions`, { year: 2024, half: 2, issuesExpected: 100, priceTiyn: 2_400_000 });
    const issue = await librarianA.post(`/api/reference/periodicals/${ulan.body.id}/issues`, { label: '41', issueDate: '2024-10-10', receivedOn: '2024-10-12' });
    expect(issue.status).toBe(201);
    const art = await librarianA.post('/api/reference/articles', { issueId: issue.body.id, title: 'Бердібек Соқпақбаев – балалар жазушысы', authors: 'Ә. Сейітқызы', pages: '4-5', subjects: 'балалар әдебиеті' });
    expect(art.status).toBe(201);
    expect((await librarianB.post('/api/reference/articles', { issueId: issue.body.id, title: 'Х' })).status).toBe(404);
    expect((await librarianA.get('/api/reference/articles?q=соқпақбаев')).body.items).toHaveLength(1);
    const register = await librarianA.get('/api/reference/periodicals?year=2024');
    expect(register.body.items.find((p: { title: string }) => p.title === 'Ұлан')).toMatchObject({ halves: [2], issuesExpected: 26, issuesReceived: 1, forChildren: true });
    expect(await periodicalCounts(database.db, [tenants.schoolA.id], '2024-09-01', '2025-08-31')).toMatchObject({ titles: 2, kazakh: 1, forChildren: 1, sumTiyn: 3_650_000, issuesReceived: 1 });

    const work = await makeWork(database.db, { title: 'Менің атым Қожа', authors: ['Бердібек Соқпақбаев'], publishYear: 2019 });
    const list = await librarianA.post('/api/reference/lists', { kind: 'index', title: 'Бердібек Соқпақбаев: библиографиялық көрсеткіш', compiler: 'Кітапханашы', items: [{ workId: work }, { articleId: art.body.id, annotation: 'Жазушы туралы мақала' }] });
    expect(list.status).toBe(201);
    const shown = await librarianA.get(`/api/reference/lists/${list.body.id}`);
    expect(shown.body.items[0].description).toBe('Бердібек Соқпақбаев. Менің атым Қожа. – Алматы : Атамұра, 2019. – 320 б.');
    expect(shown.body.items[1].description).toContain('// Ұлан. – 2024. – № 41');
    const pdf = await librarianA.get(`/api/reference/lists/${list.body.id}/pdf`);
    expect(pdf.raw.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await librarianB.get(`/api/reference/lists/${list.body.id}`)).status).toBe(404);
  });

  it('counts questions, articles and documents by the library’s days: 00:30 on New Year’s night is the new year', async () => {
    const db = database.db;
    const org = tenants.schoolB.id;
    const night = new Date('2025-01-01T00:30:00+05:00'); // still 31 December in UTC
    const user = tenants.librarianB.userId;
    await db.insertInto('reference.questions').values({ organisation_id: org, question: 'Жаңа жылдық сұрақ', asked_by: user, asked_at: night }).execute();
    const periodical = await db.insertInto('reference.periodicals').values({ organisation_id: org, title: 'Түнгі газет', language: 'kk', for_children: false }).returning('id').executeTakeFirstOrThrow();
    const issue = await db.insertInto('reference.issues').values({ organisation_id: org, periodical_id: periodical.id, label: '№ 1', received_on: '2024-12-31' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('reference.articles').values({ organisation_id: org, issue_id: issue.id, title: 'Жаңа жыл', created_at: night }).execute();
    await db.insertInto('reference.documents').values({ organisation_id: org, title: 'Түнгі құжат', kind: 'book', access: 'readers', pages: 5, file_size: 10, created_at: night }).execute();
    const year = async (y: number) => ({
      questions: (await referenceCounts(db, [org], `${y}-01-01`, `${y}-12-31`)).questions,
      articles: (await periodicalCounts(db, [org], `${y}-01-01`, `${y}-12-31`)).articlesIndexed,
      documents: (({ documents, addedInPeriod }) => ({ documents, addedInPeriod }))(await digitisationCounts(db, [org], `${y}-01-01`, `${y}-12-31`)),
    });
    expect(await year(2024)).toEqual({ questions: 0, articles: 0, documents: { documents: 0, addedInPeriod: 0 } });
    expect(await year(2025)).toEqual({ questions: 1, articles: 1, documents: { documents: 1, addedInPeriod: 1 } });
  });

  it('takes a digitised PDF in, streams it back to the library’s readers and counts each use', async () => {
    const pdf = await threePagePdf();
    const up = multipart({ title: 'Ауыл тарихы', kind: 'book', access: 'readers' }, pdf);
    const res = await librarianA.request({ method: 'POST', url: '/api/reference/documents', payload: up.payload, headers: up.headers });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ pages: 3, bytes: pdf.length });
    const view = await student.get(`/api/reference/documents/${res.body.id}/file`);
    expect(view.status).toBe(200);
    expect(view.raw.equals(pdf)).toBe(true);
    expect((await student.get(`/api/reference/documents/${res.body.id}/file?download=true`)).status).toBe(200);
    expect((await librarianB.get(`/api/reference/documents/${res.body.id}/file`)).status).toBe(404);
    // not public: a visitor does not reach it
    expect((await new ApiClient(app).get(`/api/public/SCH-A/documents/${res.body.id}`)).status).toBe(404);
    const pub = multipart({ title: 'Абай. Қара сөздер (1909)', kind: 'book', access: 'public', pages: '96' }, pdf);
    const p = await librarianA.request({ method: 'POST', url: '/api/reference/documents', payload: pub.payload, headers: pub.headers });
    expect(p.body.pages).toBe(96);
    expect((await new ApiClient(app).get(`/api/public/SCH-A/documents/${p.body.id}`)).status).toBe(200);
    const figures = await digitisationCounts(database.db, [tenants.schoolA.id], '2000-01-01', '2099-12-31');
    expect(figures).toMatchObject({ documents: 2, pages: 99, views: 2, downloads: 1 });
    expect(figures.byGroup.public).toEqual({ views: 1, downloads: 0 });
  });

  it('refuses a “PDF” that is not one, a licence without its agreement and a file over the limit, writing nothing', async () => {
    const docs = await count('reference.documents');
    const chunks = await count('reference.document_chunks');
    const fake = multipart({ title: 'Х', kind: 'book', access: 'readers' }, Buffer.from('PK\u0003\u0004 this is a zip file, not a pdf'));
    const r1 = await librarianA.request({ method: 'POST', url: '/api/reference/documents', payload: fake.payload, headers: fake.headers });
    expect(r1.status).toBe(400);
    expect(r1.body.error.code).toBe('reference.not_pdf');
    expect(r1.body.error.message).toBe('Бұл файл PDF емес');
    const lic = multipart({ title: 'Х', kind: 'book', access: 'licence' }, await threePagePdf());
    expect((await librarianA.request({ method: 'POST', url: '/api/reference/documents', payload: lic.payload, headers: lic.headers })).body.error.code).toBe('reference.licence_missing');
    // over the limit: a stream that goes on past the limit is stopped after some pieces were written, and rolled back
    // (the limit is 200 MB; a 3 MB one here keeps the test fast, the rule is the same)
    expect(DOCUMENT_LIMIT).toBe(200 * 1024 * 1024);
    async function* huge() {
      yield Buffer.from('%PDF-1.7\n');
      const block = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 5; i++) yield block;
    }
    await expect(
      storeDocument(database.db, tenants.librarianA, { kind: 'book', title: 'Үлкен', access: 'readers' }, { stream: huge(), filename: 'big.pdf', truncated: () => false }, 3 * 1024 * 1024),
    ).rejects.toMatchObject({ code: 'reference.file_too_large' });
    // through HTTP the multipart reader stops at the limit and the route refuses the truncated file the same way
    const cut = multipart({ title: 'Х', kind: 'book', access: 'readers' }, await threePagePdf());
    const truncated = await storeDocument(database.db, tenants.librarianA, { kind: 'book', title: 'Кесілген', access: 'readers' }, { stream: (async function* () { yield cut.payload.subarray(0, 0); yield await threePagePdf(); })(), filename: 'cut.pdf', truncated: () => true }).catch((e) => e);
    expect(truncated.code).toBe('reference.file_too_large');
    expect(await count('reference.documents')).toBe(docs);
    expect(await count('reference.document_chunks')).toBe(chunks);
  });
});
