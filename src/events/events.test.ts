import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import { clubCounts, eventCounts, exhibitionCounts } from './counts.js';
import { monthPosition } from './plans.js';
import { setClock } from '../shared/library-time.js';
import { createOrganisation } from '../org/organisations.js';
import { createUser } from '../org/users.js';

describe('months of a plan', () => {
  it('orders a school year from August (preparation) to August', () => {
    expect(monthPosition(8, true)).toBeLessThan(monthPosition(9, false));
    expect(monthPosition(10, true)).toBeLessThan(monthPosition(3, false));
    expect(monthPosition(6, true)).toBeLessThan(monthPosition(8, false));
  });
});

describe.each(BACKENDS)('plans, events, exhibitions and clubs on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let librarianA: ApiClient;
  let librarianB: ApiClient;
  let method: ApiClient;
  let teacher: ApiClient;

  const as = async (login: string) => {
    const api = new ApiClient(app);
    expect((await api.login(login)).status).toBe(200);
    return api;
  };
  const count = async (table: 'events.plan_entries' | 'events.events' | 'events.exhibitions') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    await database.db.updateTable('org.organisations').set({ code: 'SCH-A' }).where('id', '=', tenants.schoolA.id).execute();
    app = await testApp(database);
    librarianA = await as('librarian-a');
    librarianB = await as('librarian-b');
    method = await as('method');
    teacher = await as('teacher-a');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('keeps a plan with months, ranges and standing entries, and refuses a range that ends before it starts', async () => {
    const add = (body: object) => librarianA.post('/api/events/plans/2023-2024/entries', body);
    expect((await add({ section: 'mass_work', title: 'Б. Соқпақбаевтың туғанына 100 жыл', form: 'literary_hour', target: '5-7 сыныптар', whenKind: 'month', monthFrom: 10, responsible: 'Р.К. Булкенова' })).status).toBe(201);
    expect((await add({ section: 'textbooks', title: 'Оқулықтарды беру және қабылдау', whenKind: 'range', monthFrom: 8, monthTo: 9 })).status).toBe(201);
    expect((await add({ section: 'fund', title: 'Қорды рәсімдеу', whenKind: 'constantly' })).status).toBe(201);
    expect((await add({ section: 'reference', title: 'Тақырыптық анықтамалар', whenKind: 'as_needed' })).status).toBe(201);
    expect((await add({ section: 'mass_work', title: 'Ақпарат күні', form: 'information_day', whenKind: 'quarterly' })).status).toBe(201);
    const before = await count('events.plan_entries');
    const bad = await add({ section: 'mass_work', title: 'Оқу', whenKind: 'range', monthFrom: 3, monthTo: 10 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('events.range_backwards');
    expect(bad.body.error.message).toContain('аяқталады');
    expect(await count('events.plan_entries')).toBe(before);
    const plan = await librarianA.get('/api/events/plans/2023-2024');
    expect(plan.body.plan.entries).toHaveLength(5);
    expect(plan.body.plan.entries[0].section).toBe('fund');
    // the teacher of the school reads it; another school does not see it
    expect((await teacher.get('/api/events/plans/2023-2024')).body.plan.entries).toHaveLength(5);
    expect((await librarianB.get('/api/events/plans/2023-2024')).body.plan).toBeNull();
  });

  it('copies last year’s plan in one action, approves, prints and submits it', async () => {
    const copy = await librarianA.post('/api/events/plans/copy', { fromYear: '2023-2024', toYear: '2024-2025' });
    expect(copy.status).toBe(200);
    expect(copy.body.copied).toBe(5);
    const again = await librarianA.post('/api/events/plans/copy', { fromYear: '2023-2024', toYear: '2024-2025' });
    expect(again.status).toBe(409);
    const plan = (await librarianA.get('/api/events/plans/2024-2025')).body.plan;
    expect(plan.entries.map((e: { status: string }) => e.status)).toEqual(['planned', 'planned', 'planned', 'planned', 'planned']);
    expect(plan.entries.find((e: { whenKind: string }) => e.whenKind === 'range')).toMatchObject({ monthFrom: 8, monthTo: 9 });
    expect((await librarianA.post('/api/events/plans/2024-2025/approve', { approvedBy: 'А. Директорова', approvedOn: '2024-08-28' })).status).toBe(200);
    const pdf = await librarianA.get('/api/events/plans/2024-2025/pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.raw.subarray(0, 5).toString()).toBe('%PDF-');
    let sub = await method.get('/api/events/plan-submissions?schoolYear=2024-2025');
    expect(sub.body.items.find((i: { organisationId: number }) => i.organisationId === tenants.schoolA.id).status).toBe('approved');
    expect((await librarianA.post('/api/events/plans/2024-2025/submit')).status).toBe(200);
    sub = await method.get('/api/events/plan-submissions?schoolYear=2024-2025');
    expect(sub.body.items.find((i: { organisationId: number }) => i.organisationId === tenants.schoolA.id)).toMatchObject({ status: 'submitted', entries: 5 });
    // the other district's school is not the methodologist's business
    expect(sub.body.items.some((i: { organisationId: number }) => i.organisationId === tenants.schoolB.id)).toBe(false);
  });

  it('records events held with participants, marks the plan entry held, and counts them', async () => {
    const plan = (await librarianA.get('/api/events/plans/2024-2025')).body.plan;
    const entry = plan.entries.find((e: { title: string }) => e.title.includes('Соқпақбаев'));
    const held = await librarianA.post('/api/events/held', { heldOn: '2024-10-14', title: 'Соқпақбаевқа 100 жыл: «Менен ештеңе сұрамаңдар»', form: 'literary_hour', classes: '5 Ә, 6 Б', pupils: 48, teachers: 3, parents: 5, planEntryId: entry.id, isPublic: true });
    expect(held.status).toBe(201);
    await librarianA.post('/api/events/held', { heldOn: '2024-11-20', title: 'Кітап көрмесіне шолу', form: 'review', pupils: 25, teachers: 1 });
    await librarianA.post('/api/events/held', { heldOn: '2025-09-02', title: 'Келесі жылдың шарасы', form: 'quiz', pupils: 10 });
    const after = (await librarianA.get('/api/events/plans/2024-2025')).body.plan.entries.find((e: { id: number }) => e.id === entry.id);
    expect(after).toMatchObject({ status: 'held', eventsHeld: 1 });

    const before = await count('events.events');
    const negative = await librarianA.post('/api/events/held', { heldOn: '2024-10-15', title: 'Х', form: 'quiz', pupils: -3 });
    expect(negative.status).toBe(400);
    expect(negative.body.error.code).toBe('events.bad_participants');
    expect((await librarianA.post('/api/events/held', { heldOn: '2024-02-30', title: 'Х', form: 'quiz' })).status).toBe(400);
    expect(await count('events.events')).toBe(before);
    // another school cannot hang its event on this school's plan entry
    expect((await librarianB.post('/api/events/held', { heldOn: '2024-10-15', title: 'Х', form: 'quiz', planEntryId: entry.id })).status).toBe(404);

    const figures = await librarianA.get('/api/events/counts?from=2024-09-01&to=2025-08-31');
    expect(figures.body.events).toMatchObject({ events: 2, pupils: 73, teachers: 4, parents: 5, participants: 82, fromPlan: 1 });
    const direct = await eventCounts(database.db, [tenants.schoolA.id, tenants.schoolB.id], '2024-09-01', '2025-08-31');
    expect(direct.participants).toBe(82);
    expect((await eventCounts(database.db, [tenants.schoolB.id], '2024-09-01', '2025-08-31')).events).toBe(0);
  });

  it('makes an exhibition from a calendar entry in one step, with the works held, and shows public ones on the library’s page', async () => {
    const work = await makeWork(database.db, { title: 'Бал балалық', authors: ['Бердібек Соқпақбаев'] });
    await database.db.updateTable('catalog.authors').set({ birth_date: '1924-10-13' }).where('name', '=', 'Бердібек Соқпақбаев').execute();
    await makeCopy(database.db, tenants.schoolA.id, work);
    const cal = await librarianA.get('/api/calendar/significant-dates?year=2024&q=Соқпақбаев');
    const item = cal.body.items[0];
    const made = await librarianA.post('/api/events/exhibitions/from-calendar', { key: item.key, year: 2024 });
    expect(made.status).toBe(201);
    const x = await librarianA.get(`/api/events/exhibitions/${made.body.id}`);
    expect(x.body).toMatchObject({ startsOn: '2024-10-06', endsOn: '2024-10-27' });
    expect(x.body.title).toContain('100');
    expect(x.body.works.map((w: { workId: number }) => w.workId)).toEqual([work]);
    expect(x.body.works[0].copies).toBe(1);

    const before = await count('events.exhibitions');
    const backwards = await librarianA.post('/api/events/exhibitions', { title: 'Х', startsOn: '2024-10-10', endsOn: '2024-10-01' });
    expect(backwards.status).toBe(400);
    expect(await count('events.exhibitions')).toBe(before);
    const pub = await librarianA.post('/api/events/exhibitions', { title: 'Тәуелсіздік шежіресі', startsOn: '2024-12-01', endsOn: '2024-12-20', isPublic: true, workIds: [work] });
    expect(pub.status).toBe(201);
    expect((await librarianB.get(`/api/events/exhibitions/${pub.body.id}`)).status).toBe(404);

    const visitor = new ApiClient(app);
    setClock(new Date('2024-12-05T06:00:00Z'));
    const page = await visitor.get('/api/public/SCH-A').finally(() => setClock(undefined));
    expect(page.status).toBe(200);
    expect(page.body.exhibitions.map((e: { title: string }) => e.title)).toEqual(['Тәуелсіздік шежіресі']);
    expect(page.body.events.map((e: { title: string }) => e.title)).toEqual(['Соқпақбаевқа 100 жыл: «Менен ештеңе сұрамаңдар»']);
    expect((await visitor.get('/api/public/NO-SUCH')).status).toBe(404);
    expect((await exhibitionCounts(database.db, [tenants.schoolA.id], '2024-09-01', '2025-08-31'))).toEqual({ exhibitions: 2, virtual: 1, worksShown: 2 });
  });

  it('keeps the unified exhibition schedule sent down from above', async () => {
    const admin = await as('admin');
    expect((await admin.post('/api/events/exhibition-schedule', { schoolYear: '2024-2025', month: 12, title: 'Тәуелсіздік – тұғырым' })).status).toBe(201);
    expect((await librarianA.post('/api/events/exhibition-schedule', { schoolYear: '2024-2025', month: 9, title: 'Білім күні' })).status).toBe(201);
    const a = await librarianA.get('/api/events/exhibition-schedule?schoolYear=2024-2025');
    expect(a.body.items.map((i: { title: string }) => i.title)).toEqual(['Білім күні', 'Тәуелсіздік – тұғырым']);
    const b = await librarianB.get('/api/events/exhibition-schedule?schoolYear=2024-2025');
    expect(b.body.items.map((i: { title: string }) => i.title)).toEqual(['Тәуелсіздік – тұғырым']);
  });

  it('sends the exhibition schedule down to a school on its own server as a package', async () => {
    const admin = await as('admin');
    await admin.post('/api/events/exhibition-schedule', { schoolYear: '2025-2026', month: 10, title: 'Абай оқулары' });
    await admin.post('/api/events/exhibition-schedule', { schoolYear: '2025-2026', month: 4, title: 'Кітап – білім бұлағы', theme: 'Халықаралық балалар кітабы күні' });
    const pkg = await admin.get('/api/events/exhibition-schedule/package?schoolYear=2025-2026');
    expect(pkg.status).toBe(200);
    expect(String(pkg.headers['content-disposition'])).toContain('exhibition-schedule-2025-2026.json');
    expect(pkg.body.items.map((i: { title: string }) => i.title)).toEqual(['Абай оқулары', 'Кітап – білім бұлағы']);
    expect((await librarianA.get('/api/events/exhibition-schedule/package?schoolYear=2025-2026')).status).toBe(403);

    // a school's own server: its own top organisation and administrator
    const top = await createOrganisation(database.db, null, { parentId: null, kind: 'republic', name: 'Мектеп сервері' });
    const region = await createOrganisation(database.db, null, { parentId: top.id, kind: 'region', name: 'Облыс' });
    const district = await createOrganisation(database.db, null, { parentId: region.id, kind: 'district', name: 'Аудан' });
    const school = await createOrganisation(database.db, null, { parentId: district.id, kind: 'school', name: 'Ауыл мектебі' });
    await createUser(database.db, null, { login: 'schedule-admin', password: 'test-password-1', fullName: 'Әкімші', role: 'admin', organisationId: top.id, classGrade: null, classLetter: null });
    await createUser(database.db, null, { login: 'schedule-librarian', password: 'test-password-1', fullName: 'Кітапханашы', role: 'librarian', organisationId: school.id, classGrade: null, classLetter: null });
    const localAdmin = await as('schedule-admin');
    const local = await as('schedule-librarian');
    expect((await local.post('/api/events/exhibition-schedule/package', pkg.body)).status).toBe(403);
    expect((await localAdmin.post('/api/events/exhibition-schedule/package', pkg.body)).body).toEqual({ added: 2, updated: 0, removed: 0 });
    expect((await localAdmin.post('/api/events/exhibition-schedule/package', pkg.body)).body).toEqual({ added: 0, updated: 0, removed: 0 });
    const seen = (await local.get('/api/events/exhibition-schedule?schoolYear=2025-2026')).body.items;
    expect(seen.map((i: { title: string; organisationName: string; mine: boolean }) => [i.title, i.organisationName, i.mine])).toEqual([
      ['Абай оқулары', pkg.body.issuer, false],
      ['Кітап – білім бұлағы', pkg.body.issuer, false],
    ]);

    // the sender moves one line and drops the other: a later package follows
    const later = { ...pkg.body, items: [{ ...pkg.body.items[0], month: 11 }] };
    expect((await localAdmin.post('/api/events/exhibition-schedule/package', later)).body).toEqual({ added: 0, updated: 1, removed: 1 });
    expect((await local.get('/api/events/exhibition-schedule?schoolYear=2025-2026')).body.items.map((i: { month: number }) => i.month)).toEqual([11]);

    // a broken file changes nothing
    for (const broken of [{ ...pkg.body, format: 'something' }, { ...pkg.body, items: [{ key: 'x', month: 13, title: 'Қате ай' }] }, { ...pkg.body, schoolYear: '2025-2027' }]) {
      expect((await localAdmin.post('/api/events/exhibition-schedule/package', broken)).status).toBe(400);
    }
    expect((await local.get('/api/events/exhibition-schedule?schoolYear=2025-2026')).body.items).toHaveLength(1);
  });

  it('keeps clubs with members, sessions and attendance', async () => {
    const club = await librarianA.post('/api/events/clubs', { name: '«Жас қаламгер» әдеби үйірмесі', genre: 'поэзия', leader: 'Р.К. Булкенова' });
    expect(club.status).toBe(201);
    const r1 = await makeReader(database.db, tenants.schoolA.id, { lastName: 'Ахметова', firstName: 'Дана' });
    const r2 = await makeReader(database.db, tenants.schoolA.id, { lastName: 'Бекұлы', firstName: 'Нұрлан' });
    const other = await makeReader(database.db, tenants.schoolB.id);
    const m1 = await librarianA.post(`/api/events/clubs/${club.body.id}/members`, { readerId: r1.id, joinedOn: '2024-09-10' });
    const m2 = await librarianA.post(`/api/events/clubs/${club.body.id}/members`, { readerId: r2.id, joinedOn: '2024-09-10' });
    expect((await librarianA.post(`/api/events/clubs/${club.body.id}/members`, { readerId: other.id })).status).toBe(404);
    expect((await librarianA.post(`/api/events/clubs/${club.body.id}/members`, { readerId: r1.id })).status).toBe(409);
    const s = await librarianA.post(`/api/events/clubs/${club.body.id}/sessions`, { heldOn: '2024-09-20', topic: 'Мұқағали лирикасы', guests: 2, present: [m1.body.id, m2.body.id] });
    expect(s.status).toBe(201);
    await librarianA.post(`/api/events/clubs/${club.body.id}/sessions`, { heldOn: '2024-10-18', topic: 'Өлең оқу челленджі', present: [m1.body.id] });
    const detail = await librarianA.get(`/api/events/clubs/${club.body.id}`);
    expect(detail.body).toMatchObject({ members: 2, sessions: 2 });
    expect(detail.body.sessionList[1].present).toHaveLength(2);
    expect(await clubCounts(database.db, [tenants.schoolA.id], '2024-09-01', '2025-08-31')).toEqual({ clubs: 1, members: 2, sessions: 2, attendances: 5 });
    expect((await librarianB.get(`/api/events/clubs/${club.body.id}`)).status).toBe(404);
  });
});
