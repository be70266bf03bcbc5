import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchCatalogue } from '../catalog/search.js';
import { localDate } from '../shared/library-time.js';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { buildSummaryBook } from '../fund/accounting/books.js';
import { reconcile } from '../fund/accounting/reconciliation.js';
import { DEMO_CLASS, DEMO_LOGINS, DEMO_PASSWORD, DEMO_SCHOOL_NAME, isDatabaseEmpty, loadDemoLibrary, type DemoSummary } from './seed.js';

// The full demo on the embedded database (what `npm start` loads), the small one on the server.
const SIZE = { pglite: 'full', postgres: 'small' } as const;

describe.each(BACKENDS)('the demo school library (%s)', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let summary: DemoSummary;
  let schoolId: number;
  const size = SIZE[backend];
  const today = localDate();

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    expect(await isDatabaseEmpty(database.db)).toBe(true);
    summary = (await loadDemoLibrary(database.db, { size }))!;
    schoolId = summary.schoolId;
    app = await testApp(database);
    // a whole school year loaded into a fresh database: minutes when the machine is shared
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const count = async (table: 'readers.readers' | 'fund.copies' | 'circulation.loans' | 'catalog.works', orgId?: number) => {
    let q = database.db.selectFrom(table as 'fund.copies').select((eb) => eb.fn.countAll<number>().as('n'));
    if (orgId !== undefined) q = q.where('organisation_id', '=', orgId);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };

  it('puts the gymnasium and two neighbouring schools under Semey, Abai region', async () => {
    const orgs = await database.db.selectFrom('org.organisations').select(['name', 'kind', 'path']).orderBy('id').execute();
    expect(orgs.map((o) => [o.kind, o.name])).toEqual([
      ['republic', 'Қазақстан Республикасы'],
      ['region', 'Абай облысы'],
      ['district', 'Семей қаласы'],
      ['school', DEMO_SCHOOL_NAME],
      ['school', '№ 12 жалпы білім беретін мектеп'],
      ['school', '№ 25 жалпы білім беретін мектеп'],
    ]);
    expect(orgs[3]!.path).toBe(`${orgs[2]!.path}${schoolId}/`);
  });

  it('has a school-sized catalogue, fund, readership and year of loans', async () => {
    expect(await count('catalog.works')).toBe(summary.works);
    expect(await count('readers.readers')).toBe(summary.readers);
    expect(await count('circulation.loans')).toBe(summary.loans);
    const schoolReaders = await count('readers.readers', schoolId);
    const schoolLoans = await count('circulation.loans', schoolId);
    if (size === 'full') {
      expect(summary.works).toBeGreaterThanOrEqual(300);
      expect(schoolReaders).toBeGreaterThan(1_250);
      expect(schoolReaders).toBeLessThan(1_550);
      expect(schoolLoans).toBeGreaterThanOrEqual(8_000);
      expect(schoolLoans).toBeLessThanOrEqual(15_000);
      expect(summary.textbooksReceived).toBeGreaterThan(10_000);
    } else {
      expect(schoolReaders).toBeGreaterThan(40);
      expect(schoolLoans).toBeGreaterThan(100);
    }
    // the neighbours hold a few dozen copies each
    const neighbourCopies = await database.db
      .selectFrom('fund.copies as c')
      .innerJoin('org.organisations as o', 'o.id', 'c.organisation_id')
      .select(['o.name', (eb) => eb.fn.countAll<number>().as('n')])
      .where('o.id', '!=', schoolId)
      .groupBy('o.name')
      .execute();
    expect(neighbourCopies).toHaveLength(2);
    for (const n of neighbourCopies) expect(Number(n.n)).toBeGreaterThanOrEqual(size === 'full' ? 30 : 8);
  });

  it('books its whole fund: nothing unbooked in any of its libraries, a main fund of a real school, documents over the years', async () => {
    const libraries = await database.db.selectFrom('org.organisations').select('id').where('kind', '=', 'school').execute();
    for (const l of libraries) expect(await reconcile(database.db, l.id)).toMatchObject({ unbooked: 0 });
    const year = Number(localDate().slice(0, 4));
    const book = await buildSummaryBook(database.db, schoolId, { from: `${year - 4}-01-01`, to: localDate() });
    const books = book.balance.closing.total.copies - book.balance.closing.groups.textbooks.copies;
    if (size === 'full') {
      expect(books).toBeGreaterThan(10_000);
      expect(books).toBeLessThan(20_000);
    }
    expect(book.receipts.some((r) => r.source === 'initial')).toBe(true);
    expect(book.writeOffs.filter((w) => w.register === 'fund').length).toBeGreaterThanOrEqual(1);
  });

  it('keeps the textbook fund by title: received and stamped in August, full sets with every class', async () => {
    const batches = await database.db
      .selectFrom('textbooks.batches')
      .select([(eb) => eb.fn.sum<number>('copies_count').as('copies'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('organisation_id', '=', schoolId)
      .where('stamped_on', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(Number(batches.copies)).toBe(summary.textbooksReceived);
    // 5% more than the students, so every class got its full set
    expect(summary.textbooksIssued).toBeGreaterThan(summary.textbooksReceived * 0.85);
    expect(summary.textbooksIssued).toBeLessThan(summary.textbooksReceived);
    const student = await database.db.selectFrom('org.users').select('reader_id').where('login', '=', 'student').executeTakeFirstOrThrow();
    const held = await database.db
      .selectFrom('textbooks.issues as i')
      .innerJoin('catalog.works as w', 'w.id', 'i.work_id')
      .select('w.title')
      .where('i.reader_id', '=', student.reader_id!)
      .execute();
    expect(held.map((h) => h.title)).toContain('Қазақ әдебиеті 5-сынып');
    expect(held.map((h) => h.title)).toContain('Математика 5-сынып');
  });

  it('numbers readers and copies the way a scanner reads them', async () => {
    const readers = await database.db.selectFrom('readers.readers').select(['barcode', 'registration_number', 'kind', 'grade', 'birth_date']).execute();
    for (const r of readers) {
      expect(r.barcode).toMatch(/^2\d{9}$/);
      expect(r.registration_number).toMatch(/^\d{4}-\d{5}$/);
    }
    const fifthGraders = readers.filter((r) => r.grade === 5);
    // a fifth-grader is ten or eleven years old
    for (const r of fifthGraders) {
      const age = Number(today.slice(0, 4)) - Number(r.birth_date!.slice(0, 4));
      expect(age).toBeGreaterThanOrEqual(9);
      expect(age).toBeLessThanOrEqual(12);
    }
    const badCopies = await database.db.selectFrom('fund.copies').select('barcode').where(sql<boolean>`barcode !~ '^1[0-9]{9}$'`).execute();
    expect(badCopies).toEqual([]);
  });

  it('finds Abai through the folding key in any script', async () => {
    for (const q of ['Абай', 'Abai', 'Абай жолы', 'abai joly', 'Кунанбаев']) {
      const result = await searchCatalogue(database.db, { q, organisationId: schoolId, limit: 50 });
      const titles = result.items.map((i) => i.title);
      expect(titles, q).toContain(q === 'Кунанбаев' ? 'Қара сөздер' : 'Абай жолы');
    }
    const abaiJoly = (await searchCatalogue(database.db, { q: 'Абай жолы', organisationId: schoolId })).items.find((i) => i.title === 'Абай жолы')!;
    expect(abaiJoly.authors.map((a) => a.name)).toEqual(['Мұхтар Әуезов']);
    expect(abaiJoly.availability.total).toBeGreaterThanOrEqual(1);
  });

  it('lends on school days only: nothing in the summer holidays or on Sundays, and never one copy twice at once', async () => {
    const summer = await database.db
      .selectFrom('circulation.loans')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(sql<boolean>`extract(month from issued_at at time zone 'Asia/Almaty') in (6, 7, 8) or extract(dow from issued_at at time zone 'Asia/Almaty') = 0`)
      .executeTakeFirstOrThrow();
    expect(Number(summer.n)).toBe(0);
    const overlapping = await sql<{ n: number }>`
      select count(*)::int as n from (
        select issued_at, lag(returned_at) over (partition by copy_id order by issued_at) as previous_return,
               lag(id) over (partition by copy_id order by issued_at) as previous_id
        from circulation.loans) l
      where previous_id is not null and (previous_return is null or previous_return > issued_at)`.execute(database.db);
    expect(overlapping.rows[0]!.n).toBe(0);
    const onLoan = await database.db.selectFrom('fund.copies').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'on_loan').executeTakeFirstOrThrow();
    expect(Number(onLoan.n)).toBe(summary.openLoans);
  });

  it('signs every demo login in with the demo password', async () => {
    for (const { login, role } of DEMO_LOGINS) {
      const client = new ApiClient(app, 'kk');
      expect((await client.login(login, DEMO_PASSWORD)).status, login).toBe(200);
      const me = await client.get('/api/auth/me');
      expect(me.body.role, login).toBe(role);
    }
    expect((await new ApiClient(app).login('librarian', 'wrong-password')).status).toBe(401);
  });

  it('links the student and the parent to one 5 Ә reader with a book overdue', async () => {
    const users = await database.db
      .selectFrom('org.users as u')
      .innerJoin('readers.readers as r', 'r.id', 'u.reader_id')
      .select(['u.login', 'r.id', 'r.grade', 'r.class_letter'])
      .where('u.login', 'in', ['student', 'parent'])
      .execute();
    expect(users).toHaveLength(2);
    expect(users[0]!.id).toBe(users[1]!.id);
    expect([users[0]!.grade, users[0]!.class_letter]).toEqual([DEMO_CLASS.grade, DEMO_CLASS.letter]);

    const student = new ApiClient(app, 'kk');
    await student.login('student', DEMO_PASSWORD);
    const mine = await student.get('/api/circulation/my-loans');
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThanOrEqual(2);
  });

  it("shows the 5 Ә class teacher the class's debtors", async () => {
    const teacher = new ApiClient(app, 'kk');
    await teacher.login('teacher', DEMO_PASSWORD);
    const res = await teacher.get('/api/circulation/debtors');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const [cls] = res.body.items;
    expect([cls.grade, cls.classLetter]).toEqual([5, 'Ә']);
    expect(cls.readers.length).toBeGreaterThanOrEqual(3);
    for (const reader of cls.readers) for (const loan of reader.loans) expect(loan.overdueDays).toBeGreaterThan(0);

    // pupils who left the class are in the demo, so the rule can be seen: the teacher is shown none of them
    const leftTheClass = await database.db
      .selectFrom('readers.readers')
      .select('id')
      .where('organisation_id', '=', schoolId)
      .where('status', '=', 'left')
      .where('grade', '=', DEMO_CLASS.grade)
      .where('class_letter', '=', DEMO_CLASS.letter)
      .execute();
    expect(leftTheClass.length).toBeGreaterThanOrEqual(2);
    expect((await teacher.get('/api/readers?status=left')).body.items).toEqual([]);
    for (const { id } of leftTheClass) expect((await teacher.get(`/api/readers/${id}`)).status).toBe(404);

    // and the librarian sees debtors in several classes
    const librarian = new ApiClient(app, 'kk');
    await librarian.login('librarian', DEMO_PASSWORD);
    const all = await librarian.get('/api/circulation/debtors');
    expect(all.body.items.length).toBeGreaterThanOrEqual(size === 'full' ? 10 : 2);
  });

  it('matches the sample recommended list, so coverage, the purchase plan and the district monitoring show figures', async () => {
    const list = summary.recommendedList;
    expect(summary.sampleListLoaded).toBe(true);
    expect(list).toMatchObject({ year: 2025, titles: 40 });
    expect(list.matchedTitles).toBeGreaterThanOrEqual(size === 'full' ? 22 : 8);
    expect(list.matchedTitles).toBeLessThan(list.titles);

    const coverageOf = async (login: string) => {
      const client = new ApiClient(app, 'kk');
      await client.login(login, DEMO_PASSWORD);
      const res = await client.get('/api/reclist/coverage');
      expect(res.status, login).toBe(200);
      return res.body as { titlesTotal: number; titlesHeld: number; listCopies: number; titles: { title: string; copies: number }[] };
    };
    const held = (c: Awaited<ReturnType<typeof coverageOf>>) => new Set(c.titles.filter((t) => t.copies > 0).map((t) => t.title));
    const gymnasium = await coverageOf('librarian');
    const neighbours = [await coverageOf('librarian12'), await coverageOf('librarian25')];
    expect(gymnasium.titlesHeld).toBeGreaterThanOrEqual(size === 'full' ? 20 : 8);
    expect(held(gymnasium)).toContain('Абай жолы');
    for (const n of neighbours) {
      expect(n.titlesHeld).toBeGreaterThanOrEqual(2);
      expect(held(n)).toContain('Менің атым Қожа');
    }
    const anywhere = new Set([...held(gymnasium), ...neighbours.flatMap((n) => [...held(n)])]);
    expect(anywhere.size).toBeLessThan(40); // some titles of the list are missing everywhere
    expect(anywhere).not.toContain('Гарри Поттер және пәлсапа тасы');
    if (size === 'full') {
      // titles only the neighbours keep, so the district's schools differ
      for (const title of ['Жусан иісі', 'Шал мен теңіз']) {
        expect(held(gymnasium), title).not.toContain(title);
        for (const n of neighbours) expect(held(n), title).toContain(title);
      }
    }

    const librarian = new ApiClient(app, 'kk');
    await librarian.login('librarian', DEMO_PASSWORD);
    const plan = await librarian.get('/api/reclist/purchase-plan');
    expect(plan.body.copiesToBuy).toBeGreaterThan(0);
    expect(plan.body.lines.map((l: { title: string }) => l.title)).toContain('Гарри Поттер және пәлсапа тасы');

    // a few uncertain matches wait for a person: a collection and a first volume by the same author…
    const queue = await librarian.get('/api/reclist/matching/queue');
    expect(queue.body.total).toBe(list.pending);
    const proposals = queue.body.items.map((i: { entry: { title: string }; work: { title: string } }) => `${i.entry.title} ~ ${i.work.title}`);
    expect(proposals).toEqual(expect.arrayContaining(['Қара сөздер ~ Қара сөздер. Поэмалар', 'Абай жолы ~ Абай жолы. 1-кітап']));
    // …and, in the full demo, Grimm's «Ертегілер» offered for Andersen's: one to reject
    if (size === 'full') expect(proposals).toContain('Ертегілер ~ Ертегілер');
    // the Russian edition of «Менің атым Қожа» is not found by the matcher: it is there to link by hand
    const entry = (await librarian.get(`/api/reclist/matching/entries?q=${encodeURIComponent('Менің атым Қожа')}`)).body.items[0];
    const candidates = await librarian.get(`/api/reclist/entries/${entry.id}/candidates?q=${encodeURIComponent('Кожа')}`);
    expect(candidates.body.items.find((c: { title: string }) => c.title === 'Меня зовут Кожа')).toMatchObject({ match: null });

    const methodologist = new ApiClient(app, 'kk');
    await methodologist.login('methodologist', DEMO_PASSWORD);
    const district = await database.db.selectFrom('org.organisations').select('id').where('kind', '=', 'district').executeTakeFirstOrThrow();
    const level = await methodologist.get(`/api/reclist/monitoring/${district.id}/summary`);
    expect(level.status).toBe(200);
    expect(level.body).toMatchObject({ libraries: 3, reporting: 3, listYear: 2025, titlesTotal: 120 });
    expect(level.body.titlesHeld).toBe(gymnasium.titlesHeld + neighbours[0]!.titlesHeld + neighbours[1]!.titlesHeld);
    expect(level.body.coverage).toBeGreaterThan(0);
  });

  it('refuses to load into a database that is not empty, changing nothing', async () => {
    const before = await count('readers.readers');
    expect(await isDatabaseEmpty(database.db)).toBe(false);
    expect(await loadDemoLibrary(database.db, { size: 'small' })).toBeNull();
    expect(await count('readers.readers')).toBe(before);
  });

  it('fills the reading pages: records from the loans, a running challenge, a bingo, two families, a finished draw', async () => {
    expect(summary.reading.records).toBeGreaterThan(size === 'full' ? 3000 : 50);
    expect(summary.reading.pending).toBeGreaterThan(0);
    expect(summary.reading.families).toBe(2);
    const librarian = new ApiClient(app);
    expect((await librarian.login('librarian', DEMO_PASSWORD)).status).toBe(200);
    const classes = await librarian.get('/api/reading/contests/classes');
    expect(classes.status).toBe(200);
    expect(classes.body.items.length).toBeGreaterThan(3);
    expect(classes.body.items[0].books).toBeGreaterThan(0);
    expect((await librarian.get('/api/reading/challenges')).body.items[0].entrants).toBeGreaterThan(5);
    const families = await librarian.get('/api/reading/contests/families');
    expect(families.body.items).toHaveLength(2);
    expect(families.body.items.every((f: { books: number }) => f.books > 0)).toBe(true);
    const draws = (await librarian.get('/api/reading/draws')).body.items;
    expect(draws[0]).toMatchObject({ drawn: true, participants: 8 });
    expect((await librarian.get('/api/reading/bingo')).body.items.length).toBe(1);
    // biblio-cross: the year's most read author together, and six months of reading with some who kept it up
    const actions = (await librarian.get('/api/reading/actions')).body.items as { id: number; kind: string }[];
    expect(actions.map((a) => a.kind).sort()).toEqual(['one_author', 'six_months']);
    for (const a of actions) {
      const results = (await librarian.get(`/api/reading/actions/${a.id}/results`)).body;
      expect(results.readers.length).toBeGreaterThan(0);
    }
    const student = new ApiClient(app);
    expect((await student.login('student', DEMO_PASSWORD)).status).toBe(200);
    const mine = await student.get('/api/reading/my');
    expect(mine.body.challenges).toHaveLength(1);
    expect(mine.body.classStanding.className).toBe(`${DEMO_CLASS.grade}${DEMO_CLASS.letter}`);
  });

  it('has readers waiting for books on loan, and a copy on the hold shelf for the demo student', async () => {
    expect(summary.reservations).toMatchObject({ active: 5, held: 1 });
    const librarian = new ApiClient(app);
    expect((await librarian.login('librarian', DEMO_PASSWORD)).status).toBe(200);
    const shelf = (await librarian.get('/api/circulation/hold-shelf')).body;
    expect(shelf.held).toHaveLength(1);
    expect((await librarian.get('/api/circulation/reservations?status=waiting')).body.total).toBe(4);
    const student = new ApiClient(app);
    expect((await student.login('student', DEMO_PASSWORD)).status).toBe(200);
    const mine = (await student.get('/api/circulation/my-reservations')).body.items as { status: string; place: number | null; readerId: number }[];
    expect(mine.map((r) => [r.status, r.place])).toEqual([
      ['held', null],
      ['waiting', 2],
    ]);
    expect(shelf.held[0].readerId).toBe(mine[0]!.readerId);
  });

  it('holds a work plan, a year of events, two exhibitions, a club and a reference log', async () => {
    const n = async (table: 'events.plan_entries' | 'events.events' | 'events.exhibitions' | 'events.club_sessions' | 'reference.requests' | 'events.plans') =>
      Number((await database.db.selectFrom(table as 'events.events').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', schoolId).executeTakeFirstOrThrow()).n);
    expect(await n('events.plans')).toBe(2);
    expect(await n('events.plan_entries')).toBeGreaterThanOrEqual(40);
    expect(await n('events.events')).toBeGreaterThanOrEqual(15);
    expect(await n('events.exhibitions')).toBe(2);
    expect(await n('events.club_sessions')).toBeGreaterThanOrEqual(0);
    expect(await n('reference.requests')).toBeGreaterThanOrEqual(20);
    const clubs = await database.db.selectFrom('events.club_members').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', schoolId).executeTakeFirstOrThrow();
    expect(Number(clubs.n)).toBeGreaterThan(0);
    // the most asked-for missing book stands in the purchase plan
    const toPurchase = await database.db.selectFrom('reference.unmet').select(['title', 'times']).where('organisation_id', '=', schoolId).where('status', '=', 'to_purchase').execute();
    expect(toPurchase).toEqual([{ title: 'Гарри Поттер және философиялық тас', times: 2 }]);
  });
});
