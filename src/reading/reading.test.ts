import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import { createUser } from '../org/users.js';
import { TEST_PASSWORD } from '../../test/support/tenants.js';
import { activeShare, recountReaderYearBooks } from './standings.js';
import { pairsFromSeed } from './draw.js';

describe.each(BACKENDS)('the reading movement on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let librarianA: ApiClient;
  let librarianB: ApiClient;
  let teacherA: ApiClient;
  let pupil: ApiClient;
  let parent: ApiClient;
  const r: Record<string, number> = {};
  const w: Record<string, number> = {};

  const as = async (login: string) => {
    const api = new ApiClient(app);
    expect((await api.login(login)).status).toBe(200);
    return api;
  };
  const count = async (table: 'reading.records' | 'reading.draw_participants' | 'reading.families') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  /** A loan of a new copy of a work, returned on the given day. */
  const returnedLoan = async (readerId: number, workId: number, returnedOn: string) => {
    const copy = await makeCopy(database.db, tenants.schoolA.id, workId);
    const loan = await database.db
      .insertInto('circulation.loans')
      .values({ organisation_id: tenants.schoolA.id, copy_id: copy.id, reader_id: readerId, issued_at: new Date(`${returnedOn}T04:00:00Z`), due_on: returnedOn, returned_at: new Date(`${returnedOn}T06:00:00Z`) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return loan.id;
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    const db = database.db;
    const A = tenants.schoolA.id;
    r.aru = (await makeReader(db, A, { lastName: 'Сәрсенова', firstName: 'Аружан', grade: 5, classLetter: 'Ә' })).id;
    r.dan = (await makeReader(db, A, { lastName: 'Сәрсенов', firstName: 'Данияр', grade: 5, classLetter: 'Ә' })).id;
    for (let i = 1; i <= 4; i++) r[`six${i}`] = (await makeReader(db, A, { lastName: 'Оспанов', firstName: `Бала${i}`, grade: 6, classLetter: 'А' })).id;
    r.mother = (await makeReader(db, A, { lastName: 'Сәрсенова', firstName: 'Гүлнар', kind: 'parent' })).id;
    r.other = (await makeReader(db, tenants.schoolB.id, { lastName: 'Басқа', firstName: 'Мектеп', grade: 5, classLetter: 'Ә' })).id;
    w.abai = await makeWork(db, { title: 'Абай жолы', authors: ['Мұхтар Әуезов'] });
    w.kozha = await makeWork(db, { title: 'Менің атым Қожа', authors: ['Бердібек Соқпақбаев'] });
    w.kashagan = await makeWork(db, { title: 'Қашаған', authors: ['Төлен Әбдік'] });
    for (let i = 1; i <= 9; i++) w[`b${i}`] = await makeWork(db, { title: `Ертегі ${i}`, authors: [`Автор ${i}`] });
    await createUser(db, null, { login: 'pupil-a', password: TEST_PASSWORD, fullName: 'Аружан', role: 'student', organisationId: A, classGrade: null, classLetter: null, readerId: r.aru });
    await createUser(db, null, { login: 'parent-a', password: TEST_PASSWORD, fullName: 'Гүлнар', role: 'parent', organisationId: A, classGrade: null, classLetter: null, readerId: r.dan });
    app = await testApp(database);
    librarianA = await as('librarian-a');
    librarianB = await as('librarian-b');
    teacherA = await as('teacher-a');
    pupil = await as('pupil-a');
    parent = await as('parent-a');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('makes a confirmed record from a returned loan in one click, and counts a book once per reader per year', async () => {
    const loan = await returnedLoan(r.aru!, w.abai!, '2025-03-10');
    const made = await librarianA.post('/api/reading/records/from-loan', { loanId: loan, pages: 320 });
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ readerId: r.aru, title: 'Абай жолы', source: 'loan', status: 'confirmed', readOn: '2025-03-10', schoolYear: '2024-2025', pages: 320 });
    expect((await librarianA.post('/api/reading/records/from-loan', { loanId: loan })).body.error.code).toBe('reading.loan_already_recorded');

    // the same book again in the same school year, from another loan or the reading room: refused, nothing written
    const before = await count('reading.records');
    const again = await returnedLoan(r.aru!, w.abai!, '2025-04-02');
    const twice = await librarianA.post('/api/reading/records/from-loan', { loanId: again });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('reading.already_counted');
    const room = await librarianA.post('/api/reading/records', { readerId: r.aru, workId: w.abai, readOn: '2025-05-01' });
    expect(room.body.error.code).toBe('reading.already_counted');
    expect(await count('reading.records')).toBe(before);

    // a new school year may count it again, but the calendar year 2025 still counts it once
    expect((await librarianA.post('/api/reading/records', { readerId: r.aru, workId: w.abai, readOn: '2025-10-01' })).status).toBe(200);
    const hundred = await librarianA.get('/api/reading/hundred?year=2025');
    expect(hundred.body.leaders.find((x: { readerId: number }) => x.readerId === r.aru).books).toBe(1);

    // the reader's history lists the loan with its record
    const history = await librarianA.get(`/api/reading/readers/${r.aru}/returned-loans`);
    expect(history.body.items.find((l: { loanId: number }) => l.loanId === loan).recordId).toBe(made.body.id);
    expect(history.body.items.find((l: { loanId: number }) => l.loanId === again).recordId).toBeNull();
  });

  it('ranks classes by books per pupil, so a small class competes fairly with a large one', async () => {
    // 5Ә (2 pupils): 4 books → 2 per pupil; 6А (4 pupils): 6 books → 1.5 per pupil
    const add = (readerId: number, workId: number) => librarianA.post('/api/reading/records', { readerId, workId, readOn: '2024-11-05' });
    for (const workId of [w.b1!, w.b2!]) expect((await add(r.aru!, workId)).status).toBe(200);
    for (const workId of [w.b1!, w.b2!]) expect((await add(r.dan!, workId)).status).toBe(200);
    for (const [reader, works] of [
      [r.six1!, [w.b1!, w.b2!, w.b3!]],
      [r.six2!, [w.b1!, w.b2!]],
      [r.six3!, [w.b1!]],
    ] as const) {
      for (const workId of works) expect((await add(reader, workId)).status).toBe(200);
    }
    const res = await librarianA.get('/api/reading/contests/classes?schoolYear=2024-2025');
    expect(res.status).toBe(200);
    const items = res.body.items.map((i: Record<string, unknown>) => ({ className: i.className, pupils: i.pupils, books: i.books, booksPerPupil: i.booksPerPupil, rank: i.rank }));
    // Аружан's «Абай жолы» of March 2025 is in the school year too
    expect(items).toEqual([
      { className: '5Ә', pupils: 2, books: 5, booksPerPupil: 2.5, rank: 1 },
      { className: '6А', pupils: 4, books: 6, booksPerPupil: 1.5, rank: 2 },
    ]);
    const year = await librarianA.get('/api/reading/contests/classes?year=2024');
    expect(year.body.items.map((i: { className: string; books: number }) => [i.className, i.books])).toEqual([
      ['5Ә', 4],
      ['6А', 6],
    ]);
    expect((await librarianA.get('/api/reading/contests/classes?year=2024&schoolYear=2024-2025')).body.error.code).toBe('reading.period_twice');
  });

  it('sums a family: siblings and a parent', async () => {
    await librarianA.post('/api/reading/records', { readerId: r.mother, workId: w.kozha, readOn: '2024-12-01' });
    const fam = await librarianA.post('/api/reading/families', { name: 'Сәрсеновтер', readerIds: [r.aru, r.dan, r.mother] });
    expect(fam.status).toBe(200);
    expect(fam.body.members).toHaveLength(3);
    await librarianA.post('/api/reading/families', { name: 'Оспановтар', readerIds: [r.six1, r.six2] });
    const res = await librarianA.get('/api/reading/contests/families?schoolYear=2024-2025');
    expect(res.body.items.map((f: { name: string; books: number; members: number; rank: number }) => [f.name, f.books, f.members, f.rank])).toEqual([
      ['Сәрсеновтер', 6, 3, 1],
      ['Оспановтар', 5, 2, 2],
    ]);
    // a reader of another school cannot be put in a family; a reader is in one family only
    const before = await count('reading.families');
    expect((await librarianA.post('/api/reading/families', { name: 'X', readerIds: [r.aru, r.other] })).status).toBe(404);
    expect((await librarianA.post('/api/reading/families', { name: 'Y', readerIds: [r.aru, r.six3] })).body.error.code).toBe('reading.reader_in_other_family');
    expect(await count('reading.families')).toBe(before);
  });

  it("counts a pupil's own report only after the stamp of a librarian of the pupil's own library", async () => {
    const standing = async () => (await pupil.get('/api/reading/my?schoolYear=2025-2026')).body;
    const before = await standing();
    const logged = await pupil.post('/api/reading/my/records', { title: 'Алиса ғажайыптар елінде', author: 'Льюис Кэрролл', readOn: '2025-11-03', minutes: 40, note: 'Қызық' });
    expect(logged.status).toBe(200);
    expect(logged.body.status).toBe('pending');
    const pending = await standing();
    expect(pending.progress.books).toBe(before.progress.books);
    expect(pending.progress.pending).toBe(before.progress.pending + 1);
    expect(pending.classStanding.books).toBe(before.classStanding.books);

    // nobody but the librarian of the pupil's own library may stamp it
    expect((await librarianB.post(`/api/reading/records/${logged.body.id}/confirm`)).status).toBe(404);
    expect((await teacherA.post(`/api/reading/records/${logged.body.id}/confirm`)).status).toBe(403);
    expect((await pupil.post(`/api/reading/records/${logged.body.id}/confirm`)).status).toBe(403);
    expect((await librarianA.get('/api/reading/records/pending')).body.items.map((x: { id: number }) => x.id)).toContain(logged.body.id);
    const stamped = await librarianA.post(`/api/reading/records/${logged.body.id}/confirm`);
    expect(stamped.body.status).toBe('confirmed');
    const after = await standing();
    expect(after.progress.books).toBe(before.progress.books + 1);
    expect(after.classStanding.books).toBe(before.classStanding.books + 1);
    expect((await librarianA.post(`/api/reading/records/${logged.body.id}/confirm`)).body.error.code).toBe('reading.record_decided');
  });

  it("shows no pupil another's records, and a class teacher only the own class", async () => {
    expect((await pupil.get(`/api/reading/readers/${r.aru}/records`)).status).toBe(200);
    expect((await pupil.get(`/api/reading/readers/${r.dan}/records`)).status).toBe(403);
    expect((await parent.get(`/api/reading/readers/${r.aru}/records`)).status).toBe(403);
    const mine = await parent.get('/api/reading/my?schoolYear=2024-2025');
    expect(mine.body.records.every((x: { readerId: number }) => x.readerId === r.dan)).toBe(true);
    expect((await teacherA.get(`/api/reading/readers/${r.aru}/records`)).status).toBe(200);
    expect((await teacherA.get(`/api/reading/readers/${r.six1}/records`)).status).toBe(403);
    expect((await librarianB.get(`/api/reading/readers/${r.aru}/records`)).status).toBe(404);
    const cls = await teacherA.get('/api/reading/class?schoolYear=2024-2025');
    expect(cls.body.className).toBe('5Ә');
    expect(cls.body.pupils.map((p: { readerId: number }) => p.readerId).sort()).toEqual([r.aru, r.dan].sort());
    // standings seen by a pupil carry names only with the parent's consent
    const readers = await pupil.get('/api/reading/contests/readers?schoolYear=2024-2025');
    expect(readers.body.items.length).toBeGreaterThan(0);
    expect(readers.body.items.every((x: { name: string | null }) => x.name === null)).toBe(true);
    await database.db.insertInto('readers.consents').values({ organisation_id: tenants.schoolA.id, reader_id: r.six1!, scope: 'public_name', given_on: '2024-09-01', given_by: 'Ата-анасы', form: 'paper', note: null, withdrawn_on: null, recorded_by: null }).execute();
    const withConsent = await pupil.get('/api/reading/contests/readers?schoolYear=2024-2025');
    expect(withConsent.body.items.filter((x: { name: string | null }) => x.name !== null).map((x: { readerId: number }) => x.readerId)).toEqual([r.six1]);
  });

  it('refuses bad input with translated errors and writes nothing', async () => {
    const before = await count('reading.records');
    const other = await librarianA.post('/api/reading/records', { readerId: r.other, workId: w.kozha, readOn: '2025-01-10' });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('reading.reader_not_found');
    const future = await librarianA.request({ method: 'POST', url: '/api/reading/records', payload: { readerId: r.aru, workId: w.kozha, readOn: '2099-01-10' }, headers: { 'x-locale': 'ru' } });
    expect(future.status).toBe(400);
    expect(future.body.error.code).toBe('reading.date_in_future');
    expect(future.body.error.message).toContain('2099-01-10');
    expect(future.body.error.message).toMatch(/будущ/);
    expect((await pupil.post('/api/reading/my/records', { readOn: '2025-01-10' })).body.error.code).toBe('reading.book_missing');
    expect((await librarianA.post('/api/reading/records', { readerId: r.aru, workId: w.kozha, readOn: '10.01.2025' })).status).toBe(400);
    expect(await count('reading.records')).toBe(before);

    // a place in a contest only for a reader whose reading is confirmed: a waiting self-report does not count
    const contest = await librarianA.post('/api/reading/contests', { name: 'Үздік оқырман', level: 'school', startsOn: '2026-01-01', endsOn: '2026-05-31', jury: 'Кітапханашы, әдебиет мұғалімі', stages: [{ name: 'Тест', on: '2026-03-01' }, { name: 'Финал', on: '2026-05-20' }] });
    expect(contest.status).toBe(200);
    await pupil.post('/api/reading/my/records', { workId: w.kashagan, readOn: '2026-02-01' });
    const place = await librarianA.post(`/api/reading/contests/${contest.body.id}/entrants`, { readerId: r.aru, place: 1 });
    expect(place.status).toBe(400);
    expect(place.body.error.code).toBe('reading.place_without_confirmed_reading');
    expect((await librarianA.get(`/api/reading/contests/${contest.body.id}`)).body.entrants).toHaveLength(0);

    // a draw with one participant
    const d = await librarianA.post('/api/reading/draws', { title: 'Досыңа кітап сыйла', giftOn: '2026-04-23' });
    await librarianA.post(`/api/reading/draws/${d.body.id}/participants`, { name: 'Жалғыз', role: 'teacher', wishedBook: 'Абай жолы' });
    const lone = await librarianA.post(`/api/reading/draws/${d.body.id}/draw`, {});
    expect(lone.status).toBe(400);
    expect(lone.body.error.code).toBe('reading.draw_too_few');
    expect((await librarianA.get(`/api/reading/draws/${d.body.id}`)).body.seed).toBeNull();
    // a pupil's e-mail needs the parent's consent to contact
    const email = await librarianA.post(`/api/reading/draws/${d.body.id}/participants`, { name: 'Аружан', role: 'pupil', readerId: r.aru, email: 'aru@example.kz', wishedBook: 'Қашаған' });
    expect(email.body.error.code).toBe('reading.pupil_email_without_consent');
  });

  it('makes the gift-a-book draw reproducible from its seed and keeps partners secret until the day', async () => {
    const d = await librarianA.post('/api/reading/draws', { title: 'Сыйға кітап', giftOn: '2099-04-23' });
    const people = [
      ['Директор', 'head', 'Көшпенділер'],
      ['Мұғалім', 'teacher', 'Абай жолы'],
      ['Ата-ана', 'parent', 'Қан мен тер'],
      ['Оқушы', 'pupil', 'Менің атым Қожа'],
      ['Кітапханашы', 'staff', 'Қашаған'],
    ];
    for (const [name, role, wishedBook] of people) expect((await librarianA.post(`/api/reading/draws/${d.body.id}/participants`, { name, role, wishedBook, email: role === 'pupil' ? null : `${role}@example.kz` })).status).toBe(200);
    const drawn = await librarianA.post(`/api/reading/draws/${d.body.id}/draw`, { seed: 'a1b2c3d4e5f60718' });
    expect(drawn.status).toBe(200);
    expect(drawn.body.seed).toBe('a1b2c3d4e5f60718');
    const ps = drawn.body.participants as { id: number; number: number; givesToNumber: number; givesToName: string | null; bookToGive: string }[];
    const expected = pairsFromSeed(ps.map((p) => p.id), 'a1b2c3d4e5f60718');
    for (const p of ps) {
      const e = expected.find((x) => x.id === p.id)!;
      expect(p.number).toBe(e.number);
      expect(ps.find((x) => x.number === p.givesToNumber)!.id).toBe(e.givesTo);
      expect(p.givesToNumber).not.toBe(p.number);
      expect(p.givesToName).toBeNull();
    }
    expect(new Set(ps.map((p) => p.givesToNumber)).size).toBe(5);
    expect(pairsFromSeed([3, 1, 2], 'x')).toEqual(pairsFromSeed([1, 2, 3], 'x'));
    expect((await librarianA.post(`/api/reading/draws/${d.body.id}/draw`, {})).body.error.code).toBe('reading.draw_done');
    // no SMTP configured: everyone gets a printed slip
    expect((await librarianA.post(`/api/reading/draws/${d.body.id}/notify`)).body).toEqual({ emailed: 0, slips: 5 });
    const slips = await librarianA.get(`/api/reading/draws/${d.body.id}/slips.pdf`);
    expect(slips.status).toBe(200);
    const text = execFileSync('pdftotext', ['-', '-'], { input: slips.raw }).toString();
    expect(text).toContain('Сыйға кітап');
    const flat = text.replace(/\s+/g, ' ');
    for (const p of ps) expect(flat).toContain(`№${p.givesToNumber}`);
    for (const p of ps) expect(flat).toContain(`«${p.bookToGive}»`);
    expect((await librarianB.get(`/api/reading/draws/${d.body.id}`)).status).toBe(404);
  });

  it('fills a BookBingo reading-card square only by a confirmed record of a title on the card', async () => {
    const items = Array.from({ length: 9 }, (_, i) => ({ title: `Ертегі ${i + 1}`, author: `Автор ${i + 1}` }));
    const game = await librarianA.post('/api/reading/bingo', { title: '5-сынып BookBingo', grade: 5, size: 3, cards: 4, seed: 'bingo-seed', items });
    expect(game.status).toBe(200);
    expect(game.body.cards).toHaveLength(4);
    expect(new Set(game.body.cards[0].cells.map((c: { item: number }) => c.item)).size).toBe(9);
    // the same seed gives the same cards
    const twin = await librarianA.post('/api/reading/bingo', { title: 'Twin', grade: 5, size: 3, cards: 4, seed: 'bingo-seed', items });
    expect(twin.body.cards.map((c: { cells: unknown }) => c.cells)).toEqual(game.body.cards.map((c: { cells: unknown }) => c.cells));

    // Данияр (parent's child) read Ертегі 1 and 2 (confirmed, by catalogue work) and reports Ертегі 3 (pending)
    await parent.post('/api/reading/my/records', { title: 'Ертегі 3', author: 'Автор 3', readOn: '2025-11-01' });
    await librarianA.post('/api/reading/records', { readerId: r.dan, title: 'Басқа кітап', readOn: '2025-11-01' });
    expect((await librarianA.post(`/api/reading/bingo/${game.body.id}/cards/2/assign`, { readerId: r.dan })).status).toBe(204);
    const cardRes = await librarianA.get(`/api/reading/bingo/${game.body.id}/reading-card/${r.dan}`);
    expect(cardRes.status).toBe(200);
    const read = cardRes.body.cells.filter((c: { read: boolean }) => c.read).map((c: { title: string }) => c.title).sort();
    expect(read).toEqual(['Ертегі 1', 'Ертегі 2']);
    expect((await parent.get(`/api/reading/bingo/${game.body.id}/reading-card/${r.dan}`)).status).toBe(200);
    expect((await parent.get(`/api/reading/bingo/${game.body.id}/reading-card/${r.aru}`)).status).toBe(403);

    // the caller draws until the first full line wins, and the game stops
    let state = game.body;
    while (state.winnerCard === null) state = (await librarianA.post(`/api/reading/bingo/${game.body.id}/draw`)).body;
    const winner = state.cards.find((c: { number: number }) => c.number === state.winnerCard);
    expect(winner.fullLine).toBe(true);
    expect((await librarianA.post(`/api/reading/bingo/${game.body.id}/draw`)).body.error.code).toBe('reading.bingo_finished');
    const pdf = await librarianA.get(`/api/reading/bingo/${game.body.id}/cards.pdf`);
    expect(execFileSync('pdftotext', ['-', '-'], { input: pdf.raw }).toString()).toContain('Ертегі');
    expect((await librarianB.get(`/api/reading/bingo/${game.body.id}`)).status).toBe(404);
  });

  it('keeps a 30-day card: logged days, stamps, missed days', async () => {
    const c = await librarianA.post('/api/reading/challenges', { title: '30 күн оқу', startsOn: '2025-09-01' });
    expect(c.body).toMatchObject({ days: 30, minutesPerDay: 20, endsOn: '2025-09-30' });
    expect((await pupil.post(`/api/reading/my/challenges/${c.body.id}/join`)).status).toBe(200);
    const logged = await pupil.post(`/api/reading/my/challenges/${c.body.id}/days`, { day: '2025-09-02', minutes: 25, note: 'Бірінші тарау' });
    expect(logged.body.logged).toBe(1);
    expect((await librarianB.post(`/api/reading/challenges/${c.body.id}/stamps`, { readerId: r.aru, day: '2025-09-02' })).status).toBe(404);
    const card = await librarianA.post(`/api/reading/challenges/${c.body.id}/stamps`, { readerId: r.aru, day: '2025-09-02' });
    expect(card.body.stamped).toBe(1);
    await librarianA.post(`/api/reading/challenges/${c.body.id}/stamps`, { readerId: r.aru, day: '2025-09-03' });
    const mine = await pupil.get(`/api/reading/my/challenges/${c.body.id}/card`);
    expect(mine.body.stamped).toBe(2);
    expect(mine.body.missed).toBe(28);
    expect(mine.body.days[0].state).toBe('missed');
    expect(mine.body.days[1]).toMatchObject({ state: 'stamped', minutes: 25, note: 'Бірінші тарау' });
    expect((await pupil.post(`/api/reading/my/challenges/${c.body.id}/days`, { day: '2025-10-05', minutes: 20 })).body.error.code).toBe('reading.day_outside_challenge');
  });

  it('prints 100-book certificates with a name only where the parent consented', async () => {
    // Оспанов Бала1 (consent given above) and Данияр (no consent) each read 100 books in 2023
    for (const reader of [r.six1!, r.dan!]) {
      await database.db
        .insertInto('reading.records')
        .values(
          Array.from({ length: 100 }, (_, i) => ({
            organisation_id: tenants.schoolA.id,
            reader_id: reader,
            work_id: null,
            title: `Кітап ${i}`,
            author: null,
            book_key: `t:kitap ${i}|`,
            source: 'reading_room' as const,
            loan_id: null,
            read_on: '2023-03-01',
            school_year: '2022-2023',
            pages: null,
            minutes: null,
            note: null,
            status: 'confirmed' as const,
            reported_by: null,
            confirmed_by: null,
            confirmed_at: null,
          })),
        )
        .execute();
    }
    const list = await librarianA.get('/api/reading/hundred?year=2023');
    expect(list.body.reached.map((x: { readerId: number }) => x.readerId).sort()).toEqual([r.six1, r.dan].sort());
    for (const [lang, word] of [
      ['kk', 'сыныптың оқырманы'],
      ['ru', 'читатель'],
    ]) {
      const pdf = await librarianA.get(`/api/reading/hundred/certificates.pdf?year=2023&lang=${lang}`);
      expect(pdf.status).toBe(200);
      const text = execFileSync('pdftotext', ['-', '-'], { input: pdf.raw }).toString();
      expect(text).toContain('Оспанов Бала1');
      expect(text).not.toContain('Сәрсенов Данияр');
      expect(text).toContain(word);
    }
  });

  it('counts the share of pupils and parents active, per class and school, summed upward', async () => {
    const rows = await activeShare(database.db, [tenants.schoolA.id, tenants.schoolB.id], '2024-09-01', '2025-08-31');
    const whole = rows[0]!;
    expect(whole.organisationId).toBeNull();
    // pupils of school A: 6 (5 active in 2024-2025); school B: 1 (inactive); parents: 1 (active)
    expect(whole).toMatchObject({ pupils: 7, activePupils: 5, parents: 1, activeParents: 1, parentShare: 1 });
    const school = rows.find((x) => x.organisationId === tenants.schoolA.id && x.className === null)!;
    expect(school).toMatchObject({ pupils: 6, activePupils: 5 });
    const six = rows.find((x) => x.organisationId === tenants.schoolA.id && x.className === '6А')!;
    expect(six).toMatchObject({ pupils: 4, activePupils: 3, pupilShare: 0.75 });
    const method = await as('method');
    const res = await method.get(`/api/reading/active-share?schoolYear=2024-2025&organisationId=${tenants.district.id}`);
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ pupils: 6, activePupils: 5 });
    expect((await method.get(`/api/reading/active-share?schoolYear=2024-2025&organisationId=${tenants.otherDistrict.id}`)).status).toBe(403);
  });

  it('sets "one country – one book" at republic level, imports it as a package and counts it by class', async () => {
    const admin = await as('admin');
    expect((await librarianA.put('/api/reading/national-book', { year: 2025, title: 'Қашаған', author: 'Төлен Әбдік' })).status).toBe(403);
    const set = await admin.put('/api/reading/national-book', { year: 2025, title: 'Қашаған', author: 'Төлен Әбдік' });
    expect(set.body).toMatchObject({ year: 2025, title: 'Қашаған', imported: false });
    const pkg = (await admin.get('/api/reading/national-book/package?year=2025')).body;
    expect((await librarianA.post('/api/reading/national-book/import', { ...pkg, kind: 'other' })).body.error.code).toBe('reading.package_invalid');
    expect((await librarianA.post('/api/reading/national-book/import', { ...pkg, year: 2026 })).body).toMatchObject({ year: 2026, imported: true });
    await librarianA.post('/api/reading/records', { readerId: r.six2, workId: w.kashagan, readOn: '2025-04-10' });
    await librarianA.post('/api/reading/records', { readerId: r.aru, title: 'Қашаған', author: 'Төлен Әбдік', readOn: '2025-04-11' });
    const res = await librarianA.get('/api/reading/national-book/standings?year=2025');
    expect(res.body.total).toBe(2);
    expect(res.body.classes.map((c: { className: string; readers: number }) => [c.className, c.readers])).toEqual([
      ['5Ә', 1],
      ['6А', 1],
    ]);
  });

  it('shows approved recommendations in the catalogue, names only with consent', async () => {
    expect((await pupil.post('/api/reading/my/recommendations', { workId: w.kozha, text: 'Күлкілі әрі ақылды кітап' })).status).toBe(204);
    expect((await librarianA.get(`/api/reading/works/${w.kozha}/recommendations`)).body.items).toHaveLength(0);
    const queue = await librarianA.get('/api/reading/recommendations');
    const id = queue.body.items[0].id;
    expect((await librarianB.post(`/api/reading/recommendations/${id}/approve`)).status).toBe(404);
    expect((await librarianA.post(`/api/reading/recommendations/${id}/approve`)).status).toBe(204);
    const shown = await pupil.get(`/api/reading/works/${w.kozha}/recommendations`);
    expect(shown.body.items).toEqual([expect.objectContaining({ text: 'Күлкілі әрі ақылды кітап', name: null, className: '5Ә' })]);
  });

  it('counts bookcrossing and finds nominations from the loans', async () => {
    expect((await librarianA.post('/api/reading/bookcrossing', { happenedOn: '2025-04-23', direction: 'given', books: 12 })).status).toBe(204);
    expect((await librarianA.post('/api/reading/bookcrossing', { happenedOn: '2025-04-24', direction: 'taken', books: 5, title: 'Көне журналдар' })).status).toBe(204);
    expect((await librarianA.post('/api/reading/bookcrossing', { happenedOn: '2099-04-24', direction: 'taken', books: 5 })).body.error.code).toBe('reading.date_in_future');
    const bc = await librarianA.get('/api/reading/bookcrossing?year=2025');
    expect(bc.body).toMatchObject({ given: 12, taken: 5 });
    const noms = await librarianA.get('/api/reading/contests/nominations?schoolYear=2024-2025');
    expect(noms.status).toBe(200);
    const codes = noms.body.items.map((n: { code: string }) => n.code);
    expect(codes).toEqual(expect.arrayContaining(['first_reader', 'most_regular', 'record_holder']));
    expect(noms.body.items.find((n: { code: string }) => n.code === 'first_reader')).toMatchObject({ readerId: r.aru, value: '2025-03-10' });
  });
  it('keeps the school-year count right when a record is removed, and matches a full recount', async () => {
    const classes = async () => (await librarianA.get('/api/reading/contests/classes?schoolYear=2024-2025')).body.items as { className: string; books: number }[];
    const before = (await classes()).find((c) => c.className === '6А')!.books;
    const records = await librarianA.get(`/api/reading/readers/${r.six3}/records?schoolYear=2024-2025`);
    expect((await librarianB.delete(`/api/reading/records/${records.body.items[0].id}`)).status).toBe(404);
    expect((await librarianA.delete(`/api/reading/records/${records.body.items[0].id}`)).status).toBe(204);
    expect((await classes()).find((c) => c.className === '6А')!.books).toBe(before - 1);
    const kept = await database.db.selectFrom('reading.reader_year_books').select(['reader_id', 'school_year', 'books']).where('books', '>', 0).orderBy('reader_id').orderBy('school_year').execute();
    await recountReaderYearBooks(database.db);
    const recounted = await database.db.selectFrom('reading.reader_year_books').select(['reader_id', 'school_year', 'books']).where('books', '>', 0).orderBy('reader_id').orderBy('school_year').execute();
    expect(kept).toEqual(recounted);
  });
});
