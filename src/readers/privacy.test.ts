import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, TEST_PASSWORD, type Tenants } from '../../test/support/tenants.js';
import { readConfig } from '../config.js';
import type { DatabaseHandle } from '../db/connect.js';
import { redactUrl } from '../http/app.js';
import type { App } from '../http/types.js';
import { createUser } from '../org/users.js';
import { foreignKeysTo } from './anonymise.js';
import { EXPORTED_TABLES } from './privacy.js';

const PERSONAL = { birth_date: '2014-03-08', phone: '+7 701 000 00 01', email: 'pupil@example.kz', parent_name: 'Оспанов Ерлан', parent_phone: '+7 777 000 00 02' };

describe.each(BACKENDS)("children's data: who sees what, consents and a parent's rights, on %s", (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  const as: Record<string, ApiClient> = {};
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    const db = database.db;
    const school = tenants.schoolA.id;
    // the teacher's class 5 Ә: a present pupil, one who left in 2019, one blocked; another class; another school
    ids.pupil = (await makeReader(db, school, { lastName: 'Оспанова', firstName: 'Дана', grade: 5, classLetter: 'Ә' })).id;
    ids.leaver = (await makeReader(db, school, { lastName: 'Кеткенова', grade: 5, classLetter: 'Ә' })).id;
    ids.blocked = (await makeReader(db, school, { lastName: 'Бұғатталған', grade: 5, classLetter: 'Ә' })).id;
    ids.otherClass = (await makeReader(db, school, { lastName: 'Басқасыныпова', grade: 6, classLetter: 'А' })).id;
    ids.elsewhere = (await makeReader(db, tenants.schoolB.id, { lastName: 'Басқамектепова', grade: 5, classLetter: 'Ә' })).id;
    await db.updateTable('readers.readers').set(PERSONAL).where('id', 'in', [ids.pupil!, ids.leaver!, ids.blocked!]).execute();
    await db.updateTable('readers.readers').set({ status: 'left', left_on: '2019-05-25' }).where('id', '=', ids.leaver!).execute();
    await db.updateTable('readers.readers').set({ blocked_at: new Date() }).where('id', '=', ids.blocked!).execute();
    for (const [login, role, readerId] of [
      ['dana', 'student', ids.pupil],
      ['dana-parent', 'parent', ids.pupil],
      ['other-parent', 'parent', ids.otherClass],
    ] as const) {
      await createUser(db, null, { login, password: TEST_PASSWORD, fullName: login === 'dana' ? 'Оспанова Дана' : `Ата-ана ${login}`, role, organisationId: school, readerId });
    }
    for (const login of ['admin', 'method', 'librarian-a', 'librarian-b', 'teacher-a', 'dana', 'dana-parent', 'other-parent']) {
      as[login] = new ApiClient(app);
      expect((await as[login]!.login(login)).status, login).toBe(200);
    }
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('shows a class teacher the present pupils of the own class by name and class only', async () => {
    const list = await as['teacher-a']!.get('/api/readers?status=all&limit=500');
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { id: number }) => r.id)).toEqual([ids.pupil]);
    expect(list.body.items[0]).toMatchObject({ fullName: 'Оспанова Дана', className: '5Ә', birthDate: null, phone: null, email: null, parentName: null, parentPhone: null });
    // the pupil who left in 2019 is not there, whatever is asked
    expect((await as['teacher-a']!.get('/api/readers?status=left')).body).toEqual({ items: [], total: 0 });
    for (const key of ['leaver', 'blocked', 'otherClass', 'elsewhere']) {
      expect((await as['teacher-a']!.get(`/api/readers/${ids[key]}`)).status, key).toBe(404);
    }
    expect((await as['teacher-a']!.get(`/api/readers/${ids.pupil}`)).body).toMatchObject({ birthDate: null, parentPhone: null });
    // no PDF of cards, no data export, no consent paper, no erasure
    expect((await as['teacher-a']!.post('/api/readers/cards', { grade: 5, classLetter: 'Ә' })).status).toBe(403);
    for (const url of [`/api/readers/${ids.pupil}/data`, `/api/readers/${ids.pupil}/data.pdf`, `/api/readers/${ids.pupil}/consents`, `/api/readers/${ids.pupil}/consent-form.pdf`, '/api/readers/requests']) {
      expect((await as['teacher-a']!.get(url)).status, url).toBe(403);
    }
    expect((await as['teacher-a']!.post(`/api/readers/${ids.pupil}/erase`)).status).toBe(403);
  });

  it('gives the library staff every field, and nobody else any reader but their own', async () => {
    const full = (await as['librarian-a']!.get(`/api/readers/${ids.pupil}`)).body;
    expect(full).toMatchObject({ birthDate: '2014-03-08', phone: PERSONAL.phone, email: PERSONAL.email, parentName: PERSONAL.parent_name, parentPhone: PERSONAL.parent_phone });
    for (const who of ['method', 'dana', 'dana-parent']) {
      expect((await as[who]!.get('/api/readers')).status, who).toBe(403);
      expect((await as[who]!.get(`/api/readers/${ids.otherClass}`)).status, who).toBe(403);
    }
    for (const url of [`/api/readers/${ids.pupil}`, `/api/readers/${ids.pupil}/data`, `/api/readers/${ids.pupil}/data.pdf`, `/api/readers/${ids.pupil}/consents`, `/api/readers/${ids.pupil}/consent-form.pdf`]) {
      expect((await as['librarian-b']!.get(url)).status, url).toBe(404);
      expect((await as.method!.get(url)).status, url).toBe(403);
      // a parent of another pupil sees nothing of this one
      expect((await as['other-parent']!.get(url)).status, url).toBe(403);
    }
    expect((await as['librarian-b']!.post('/api/readers/cards', { readerIds: [ids.pupil] })).status).toBe(404);
    // the pupil and the parent read their own record whole
    expect((await as.dana!.get('/api/readers/me')).body).toMatchObject({ id: ids.pupil, phone: PERSONAL.phone });
    expect((await as['dana-parent']!.get(`/api/readers/${ids.pupil}/consents`)).status).toBe(200);
  });

  it('answers every role as it should for every reader endpoint and export', async () => {
    // one pupil of the teacher's class 5 Ә; each role asks for everything about her
    const p = ids.pupil;
    const endpoints: [string, string, unknown?][] = [
      ['GET', '/api/readers'],
      ['GET', '/api/readers?status=left'],
      ['GET', `/api/readers/${p}`],
      ['GET', '/api/readers/me'],
      ['GET', `/api/readers/${p}/data`],
      ['GET', `/api/readers/${p}/data.pdf`],
      ['GET', '/api/readers/me/data'],
      ['GET', '/api/readers/me/data.pdf'],
      ['GET', `/api/readers/${p}/consents`],
      ['GET', `/api/readers/${p}/consent-form.pdf`],
      ['POST', '/api/readers/cards', { readerIds: [p] }],
      ['GET', '/api/readers/requests'],
      ['GET', '/api/circulation/debtors.pdf?grade=5&classLetter=%D3%98'],
      ['GET', `/api/textbooks/students/${p}/formular.pdf`],
      ['GET', '/api/textbooks/classes/issue-sheet.pdf?schoolYear=2026-2027&grade=5&classLetter=%D3%98'],
      ['GET', `/api/reading/readers/${p}/records`],
      ['GET', `/api/circulation/readers/${p}/panel`],
    ];
    // the deployment's admin sits above the schools: a school's reader is not found; an empty list of its own
    const expected: Record<string, number[]> = {
      //              list left  one  me  data pdf  my  my.pdf cons form cards reqs debt  form sheet read panel
      'librarian-a': [200, 200, 200, 403, 200, 200, 403, 403, 200, 200, 200, 200, 200, 200, 200, 200, 200],
      'teacher-a': [200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 200, 200, 403],
      dana: [403, 403, 403, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 200, 403],
      'dana-parent': [403, 403, 403, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 200, 403],
      method: [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
      admin: [200, 200, 404, 403, 404, 404, 403, 403, 404, 404, 404, 200, 200, 404, 200, 404, 404],
      'librarian-b': [200, 200, 404, 403, 404, 404, 403, 403, 404, 404, 404, 200, 200, 404, 200, 404, 404],
    };
    const seen: Record<string, number[]> = {};
    for (const who of Object.keys(expected)) {
      seen[who] = [];
      for (const [method, url, payload] of endpoints) seen[who].push((await as[who]!.request({ method: method as 'GET', url, payload: payload as object })).status);
    }
    expect(seen).toEqual(expected);
    // where a list answers, it holds nobody it should not: the teacher's own class, nobody for another school
    expect((await as['teacher-a']!.get('/api/readers?status=left')).body.items).toEqual([]);
    for (const who of ['admin', 'librarian-b']) {
      const text = JSON.stringify([(await as[who]!.get('/api/readers?status=all&limit=500')).body, (await as[who]!.get('/api/readers/requests')).body]);
      expect(text, who).not.toContain('Оспанова');
      expect(text, who).not.toContain('Кеткенова');
    }
  });

  it("does not show the admin the children's names in the account lists", async () => {
    const people = (await as.admin!.get(`/api/users?organisationId=${tenants.schoolA.id}`)).body as { login: string; fullName: string; readerName: string | null; role: string }[];
    const dana = people.find((p) => p.login === 'dana')!;
    expect(dana).toMatchObject({ fullName: '***', readerName: null });
    expect(JSON.stringify(people)).not.toContain('Оспанова');
    // the teacher's own account keeps its name
    expect(people.find((p) => p.login === 'teacher-a')!.fullName).toBe('teacher-a');
    // the librarian, who serves the children, does see them
    const own = (await as['librarian-a']!.get('/api/users')).body as { login: string; fullName: string }[];
    expect(own.find((p) => p.login === 'dana')!.fullName).toBe('Оспанова Дана');
  });

  it('writes bulk reads, PDFs and exports of readers to the audit log', async () => {
    const db = database.db;
    const before = (await db.selectFrom('org.audit_log').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).id;
    expect((await as['librarian-a']!.get('/api/readers')).status).toBe(200); // one page of present readers: not a bulk read
    expect((await as['librarian-a']!.get('/api/readers?status=left')).status).toBe(200);
    expect((await as['librarian-a']!.post('/api/readers/cards', { grade: 5, classLetter: 'Ә' })).status).toBe(200);
    expect((await as['librarian-a']!.get(`/api/readers/${ids.pupil}/data.pdf`)).status).toBe(200);
    // the other printed lists and papers that name pupils: debtors, a class's textbook sheet, a pupil's textbook formular
    expect((await as['teacher-a']!.get('/api/circulation/debtors.pdf')).status).toBe(200);
    expect((await as['teacher-a']!.get('/api/textbooks/classes/issue-sheet.pdf?schoolYear=2026-2027&grade=5&classLetter=%D3%98')).status).toBe(200);
    expect((await as['librarian-a']!.get(`/api/textbooks/students/${ids.pupil}/formular.pdf`)).status).toBe(200);
    const lines = await db.selectFrom('org.audit_log').select(['action', 'entity', 'details']).where('id', '>', before).orderBy('id').execute();
    expect(lines.map((l) => `${l.action} ${l.entity}`)).toEqual(['read readers', 'export readers', 'export reader', 'export readers', 'export readers', 'export reader']);
    expect(lines[0]!.details).toMatchObject({ status: 'left', count: 1 });
    expect(lines.slice(3).map((l) => (l.details as { what: string }).what)).toEqual(['debtors', 'textbook_issue_sheet', 'textbook_formular']);
  });

  it('keeps the family contacts only under a contact consent, and lets it be withdrawn', async () => {
    const lib = as['librarian-a']!;
    const created = await lib.post('/api/readers', { kind: 'student', lastName: 'Жаңабаева', firstName: 'Әйгерім', grade: 5, classLetter: 'Ә', phone: '+7 700 123 45 67', parentName: 'Жаңабаев Нұрлан' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ phone: null, parentName: null });
    const id = created.body.id;
    expect((await lib.patch(`/api/readers/${id}`, { parentPhone: '+7 700 000 00 09' })).body.parentPhone).toBeNull();
    const refused = await lib.setLocale('kk').post(`/api/readers/${id}/consents`, { scope: 'contact' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('Келісімді кім бергенін жазыңыз (баланың заңды өкілі)');
    lib.setLocale('en');
    const consent = await lib.post(`/api/readers/${id}/consents`, { scope: 'contact', givenBy: 'Жаңабаев Нұрлан', form: 'paper', givenOn: '2026-09-02' });
    expect(consent.status).toBe(201);
    expect((await lib.post(`/api/readers/${id}/consents`, { scope: 'contact', givenBy: 'x' })).status).toBe(409);
    expect((await lib.post(`/api/readers/${id}/consents`, { scope: 'service', basis: 'legal_basis', note: 'Law on Education, art. 47' })).status).toBe(201);
    expect((await lib.patch(`/api/readers/${id}`, { parentPhone: '+7 700 000 00 09' })).body.parentPhone).toBe('+7 700 000 00 09');
    const withdrawn = await lib.post(`/api/readers/${id}/consents/${consent.body.id}/withdraw`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.withdrawnOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await lib.get(`/api/readers/${id}`)).body.parentPhone).toBeNull();
    expect((await lib.get(`/api/readers/${id}/consents`)).body.map((c: { scope: string }) => c.scope).sort()).toEqual(['contact', 'service']);
    // the papers, in Kazakh and Russian
    for (const lang of ['kk', 'ru']) {
      const form = await lib.get(`/api/readers/${id}/consent-form.pdf?lang=${lang}`);
      expect(form.status).toBe(200);
      expect(form.raw.subarray(0, 5).toString()).toBe('%PDF-');
      const notice = await new ApiClient(app).get(`/api/privacy/notice.pdf?lang=${lang}`);
      expect(notice.status).toBe(200);
      expect(notice.headers['content-type']).toBe('application/pdf');
    }
  });

  it('lets a parent see and download everything held, ask for a correction and an erasure, and the librarian answer', async () => {
    const db = database.db;
    const work = await makeWork(db, { title: 'Қорқыт ата' });
    const copy = await makeCopy(db, tenants.schoolA.id, work);
    await db.insertInto('circulation.loans').values({ organisation_id: tenants.schoolA.id, copy_id: copy.id, reader_id: ids.pupil!, due_on: '2026-10-01', returned_at: new Date('2026-09-28') }).execute();
    await db.insertInto('circulation.visits').values({ organisation_id: tenants.schoolA.id, reader_id: ids.pupil!, visited_on: '2026-09-14' }).execute();
    const parent = as['dana-parent']!;
    const data = await parent.get('/api/readers/me/data');
    expect(data.status).toBe(200);
    expect(data.body.reader).toMatchObject({ id: ids.pupil, fullName: 'Оспанова Дана', parentPhone: PERSONAL.parent_phone });
    expect(data.body.tables['circulation.loans']).toEqual([expect.objectContaining({ title: 'Қорқыт ата' })]);
    expect(data.body.tables['circulation.visits']).toEqual([{ visited_on: '2026-09-14' }]);
    expect(data.body.tables['org.users'].map((u: { login: string }) => u.login).sort()).toEqual(['dana', 'dana-parent']);
    expect(JSON.stringify(data.body)).not.toContain('password');
    const pdf = await parent.get('/api/readers/me/data.pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.raw.subarray(0, 5).toString()).toBe('%PDF-');

    const asked = await parent.post('/api/readers/me/requests', { kind: 'correction', message: 'Туған күні 09.03.2014' });
    expect(asked.status).toBe(201);
    expect((await parent.post('/api/readers/me/requests', { kind: 'correction', message: 'again' })).status).toBe(409);
    expect((await as['teacher-a']!.get('/api/readers/requests')).status).toBe(403);
    const open = (await as['librarian-a']!.get('/api/readers/requests?status=open')).body;
    expect(open).toEqual([expect.objectContaining({ id: asked.body.id, readerName: 'Оспанова Дана', kind: 'correction', status: 'open' })]);
    // another school's librarian cannot answer it
    expect((await as['librarian-b']!.post(`/api/readers/requests/${asked.body.id}/answer`, { status: 'done', answer: '' })).status).toBe(404);
    expect((await as['librarian-a']!.patch(`/api/readers/${ids.pupil}`, { birthDate: '2014-03-09' })).status).toBe(200);
    const answered = await as['librarian-a']!.post(`/api/readers/requests/${asked.body.id}/answer`, { status: 'done', answer: 'Түзетілді' });
    expect(answered.body).toMatchObject({ status: 'done', answer: 'Түзетілді' });
    expect((await parent.get('/api/readers/me/requests')).body[0]).toMatchObject({ status: 'done', answer: 'Түзетілді' });

    // blocking hides the pupil from the class teacher until lifted: the record, the reading, the textbooks, the standings
    const teacher = as['teacher-a']!;
    await db
      .insertInto('reading.records')
      .values({ organisation_id: tenants.schoolA.id, reader_id: ids.pupil!, work_id: work, title: 'Қорқыт ата', book_key: `w${work}`, source: 'loan', read_on: '2026-09-28', school_year: '2026-2027', status: 'confirmed' })
      .execute();
    const standing = async () => (await teacher.get('/api/reading/contests/readers?schoolYear=2026-2027&grade=5&classLetter=%D3%98')).body.items.map((r: { readerId: number }) => r.readerId);
    const seesHer = async () => ({
      record: (await teacher.get(`/api/readers/${ids.pupil}`)).status,
      reading: (await teacher.get(`/api/reading/readers/${ids.pupil}/records`)).status,
      textbooks: (await teacher.get(`/api/textbooks/students/${ids.pupil}`)).status,
      sheet: (await teacher.get('/api/textbooks/diagnosis?schoolYear=2026-2027&grade=5&classLetter=%D3%98')).body.students.map((st: { readerId: number }) => st.readerId).includes(ids.pupil),
      standings: (await standing()).includes(ids.pupil),
    });
    expect(await seesHer()).toEqual({ record: 200, reading: 200, textbooks: 200, sheet: true, standings: true });
    expect((await as['librarian-a']!.post(`/api/readers/${ids.pupil}/block`, { blocked: true })).body).toEqual({ id: ids.pupil, blocked: true });
    expect(await seesHer()).toEqual({ record: 404, reading: 404, textbooks: 403, sheet: false, standings: false });
    // nor does the teacher read the reading of the pupil who left the class in 2019
    expect((await teacher.get(`/api/reading/readers/${ids.leaver}/records`)).status).toBe(404);
    expect((await as['librarian-a']!.post(`/api/readers/${ids.pupil}/block`, { blocked: false })).body.blocked).toBe(false);
    expect(await seesHer()).toEqual({ record: 200, reading: 200, textbooks: 200, sheet: true, standings: true });

    // the parent withdraws a consent the library recorded: the name leaves the public standings
    const shown = await as['librarian-a']!.post(`/api/readers/${ids.pupil}/consents`, { scope: 'public_name', givenBy: 'Оспанов Ерлан', form: 'paper' });
    expect(shown.status).toBe(201);
    const publicNames = async () => (await as.dana!.get('/api/reading/contests/readers?schoolYear=2026-2027')).body.items.map((r: { readerId: number; name: string | null }) => [r.readerId, r.name]);
    expect(await publicNames()).toContainEqual([ids.pupil, 'Оспанова Дана']);
    expect((await parent.post(`/api/readers/${ids.pupil}/consents`, { scope: 'public_name', givenBy: 'x' })).status).toBe(403);
    expect((await parent.post(`/api/readers/${ids.otherClass}/consents/${shown.body.id}/withdraw`)).status).toBe(403);
    const withdrawn = await parent.post(`/api/readers/${ids.pupil}/consents/${shown.body.id}/withdraw`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.withdrawnOn).not.toBeNull();
    expect(await publicNames()).toContainEqual([ids.pupil, null]);

    // erasure on request: the parent asks, the librarian erases the one reader, the accounts go
    expect((await parent.post('/api/readers/me/requests', { kind: 'erasure' })).status).toBe(201);
    const erased = await as['librarian-a']!.post(`/api/readers/${ids.pupil}/erase`);
    expect(erased.status).toBe(200);
    expect(erased.body).toEqual({ erased: true, accountsRemoved: 2 });
    expect((await parent.get('/api/readers/me/data')).status).toBe(401);
    const after = (await as['librarian-a']!.get(`/api/readers/${ids.pupil}`)).body;
    expect(after).toMatchObject({ lastName: '***', birthDate: null, parentPhone: null, anonymised: true });
    expect((await as['librarian-a']!.post(`/api/readers/${ids.pupil}/erase`)).status).toBe(409);
  });

  it('exports every table that refers to a reader', async () => {
    const referring = [...new Set((await foreignKeysTo(database.db, 'readers', 'readers')).map((r) => `${r.ref_schema}.${r.ref_table}`))].sort();
    expect(referring.length).toBeGreaterThan(5);
    // a new table holding a reader's data must be added to the export (privacy.ts) before this passes
    expect(referring).toEqual([...EXPORTED_TABLES].sort());
    const data = (await as['librarian-a']!.get(`/api/readers/${ids.otherClass}/data`)).body;
    expect(Object.keys(data.tables).sort()).toEqual(referring);
  });
});

describe('transport and logs', () => {
  it('marks the session cookie Secure whenever the server is not on loopback', () => {
    expect(readConfig({}).secureCookies).toBe(false);
    expect(readConfig({ HOST: '127.0.0.1' }).secureCookies).toBe(false);
    expect(readConfig({ HOST: '0.0.0.0' }).secureCookies).toBe(true);
    expect(readConfig({ HOST: '192.168.1.10', COOKIE_SECURE: 'false' }).secureCookies).toBe(true);
    expect(readConfig({ COOKIE_SECURE: 'true' }).secureCookies).toBe(true);
  });
  it('keeps what was searched for out of the request log', () => {
    expect(redactUrl('/api/readers?q=%D0%9E%D1%81%D0%BF%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0&status=left')).toBe('/api/readers?q=…&status=…');
    expect(redactUrl('/api/readers/5')).toBe('/api/readers/5');
  });
});
