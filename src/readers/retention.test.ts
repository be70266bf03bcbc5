import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { audit } from '../org/audit.js';
import { schoolYearOf, setClock } from '../shared/library-time.js';
import { resolvePeriod } from '../reading/access.js';
import { activeShare, classStandings, familyStandings, readerProgress, readerStandings } from '../reading/standings.js';
import { circulationStats } from '../circulation/stats.js';
import { annualReport } from '../reports/annual.js';
import { applyRetention, backupsKeepDays, historyCutoff, scheduleRetention } from './retention.js';

describe.each(BACKENDS)('retention periods and the daily job, on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let librarian: ApiClient;

  beforeAll(async () => {
    setClock(new Date('2026-12-01T06:00:00Z'));
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    librarian = new ApiClient(app);
    await librarian.login('librarian-a');
  });
  afterAll(async () => {
    setClock(undefined);
    await app?.close();
    await database?.close();
  });

  it('keeps the periods as the library’s settings, with safe defaults, for its staff only', async () => {
    const defaults = { leaversDays: 730, auditDays: 1825, loansDays: 1095, visitsDays: 1095, sessionsDays: 7, backupsDays: 30, readingDays: 1095, textbooksDays: 1095, lossesDays: 1095 };
    const first = (await librarian.get('/api/readers/retention')).body;
    expect(first).toMatchObject(defaults);
    expect(first.limits.auditDays).toEqual({ min: 365, max: 3650, default: 1825 });
    const teacher = new ApiClient(app);
    await teacher.login('teacher-a');
    expect((await teacher.get('/api/readers/retention')).status).toBe(403);
    expect((await teacher.put('/api/readers/retention', { loansDays: 400 })).status).toBe(403);
    expect((await librarian.put('/api/readers/retention', { leaversDays: 365, auditDays: 30 })).status).toBe(400);
    const tooShort = await librarian.put('/api/readers/retention', { backupsDays: 1 });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.error.message).toContain('7 мен 365 күн');
    // the refusal names the field as the page does, in the reader's language
    expect(tooShort.body.error.message).toContain('«Сақтық көшірмелер (күн)»');
    const reading = await librarian.request({ method: 'PUT', url: '/api/readers/retention', payload: { readingDays: 100 }, headers: { 'x-locale': 'ru' } });
    expect(reading.status).toBe(400);
    expect(reading.body.error.message).toBe('Неверный срок хранения: «Записи о чтении (дней)» должен быть от 365 до 3650 дней');
    for (const field of ['textbooksDays', 'lossesDays']) expect((await librarian.put('/api/readers/retention', { [field]: 4000 })).status).toBe(400);
    expect((await librarian.put('/api/readers/retention', { leaversDays: 365, auditDays: 1095 })).body).toMatchObject({ ...defaults, leaversDays: 365, auditDays: 1095 });
    // another school keeps its own (the defaults)
    const other = new ApiClient(app);
    await other.login('librarian-b');
    expect((await other.get('/api/readers/retention')).body).toMatchObject(defaults);
  });

  it('erases leavers past the period, removes old audit lines and expired sessions, and says so in the audit log', async () => {
    const db = database.db;
    const leaver = async (organisationId: number, name: string, leftOn: string) => {
      const r = await makeReader(db, organisationId, { lastName: name, grade: 11, classLetter: 'А' });
      await db.updateTable('readers.readers').set({ status: 'left', left_on: leftOn }).where('id', '=', r.id).execute();
      return r.id;
    };
    const old = await leaver(tenants.schoolA.id, 'Ескікетуші', '2025-05-25'); // past 365 days at school A
    const recent = await leaver(tenants.schoolA.id, 'Жаңакетуші', '2026-05-25');
    const otherSchool = await leaver(tenants.schoolB.id, 'Басқакетуші', '2025-05-25'); // school B keeps 730 days
    await audit(db, null, 'note', 'copy', 1, { old: true }, tenants.schoolA.id);
    await db.updateTable('org.audit_log').set({ at: new Date('2022-01-10T00:00:00Z') }).where('action', '=', 'note').execute();
    await db.insertInto('org.sessions').values({ token_hash: 'expired-session', user_id: tenants.librarianB.userId, csrf_token: 'x', expires_at: new Date('2026-01-01T00:00:00Z') }).execute();

    const run = await applyRetention(db, backend, { erasureLedger: null });
    expect(run).toMatchObject({ readersErased: 1, auditLinesRemoved: 1, sessionsRemoved: 1, loansRemoved: 0, visitsRemoved: 0 });
    const names = await db.selectFrom('readers.readers').select(['id', 'last_name']).where('id', 'in', [old, recent, otherSchool]).orderBy('id').execute();
    expect(names.map((n) => n.last_name)).toEqual(['***', 'Жаңакетуші', 'Басқакетуші']);
    expect(await db.selectFrom('org.audit_log').select('id').where('action', '=', 'note').execute()).toEqual([]);
    const reported = await db.selectFrom('org.audit_log').select(['organisation_id', 'details']).where('action', '=', 'retention').orderBy('id').execute();
    expect(reported).toEqual([
      { organisation_id: tenants.schoolA.id, details: expect.objectContaining({ readersErased: 1, auditLinesRemoved: 1, loansRemoved: 0, visitsRemoved: 0, leaversDays: 365, auditDays: 1095 }) },
      { organisation_id: tenants.schoolB.id, details: expect.objectContaining({ readersErased: 0, sessionsRemoved: 1 }) },
    ]);
    expect((await db.selectFrom('readers.erasures').select('reason').where('reader_id', '=', old).executeTakeFirstOrThrow()).reason).toBe('retention');
    // a second run the same day finds nothing more
    expect(await applyRetention(db, backend, { erasureLedger: null })).toMatchObject({ readersErased: 0, auditLinesRemoved: 0, sessionsRemoved: 0 });
  });

  it('turns old loans and visits into counts, so that a past year reports the same figures before and after', async () => {
    const db = database.db;
    const org = tenants.schoolA.id;
    const lib = tenants.librarianA;
    const pupil = await makeReader(db, org, { lastName: 'Оқырман', grade: 3, classLetter: 'Б' });
    const teacherReader = await makeReader(db, org, { lastName: 'Мұғалім', kind: 'teacher' });
    const kazakh = await makeWork(db, { title: 'Абай жолы', language: 'kaz' });
    const russian = await makeWork(db, { title: 'Война и мир', language: 'rus' });
    const loan = async (readerId: number, workId: number, issued: string, returned: string | null) => {
      const copy = await makeCopy(db, org, workId, { acquiredOn: '2020-01-01' });
      const row = await db
        .insertInto('circulation.loans')
        .values({ organisation_id: org, copy_id: copy.id, reader_id: readerId, issued_at: new Date(`${issued}T05:00:00Z`), due_on: issued, returned_at: returned ? new Date(`${returned}T05:00:00Z`) : null })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    };
    const old = [
      await loan(pupil.id, kazakh, '2022-03-10', '2022-03-20'),
      await loan(pupil.id, russian, '2022-10-05', '2022-10-25'),
      await loan(teacherReader.id, kazakh, '2023-05-02', '2023-05-30'),
      await loan(pupil.id, russian, '2022-12-28', '2023-01-10'), // issued in one year, returned in the next
    ];
    const recent = await loan(pupil.id, kazakh, '2026-10-01', '2026-10-15');
    const open = await loan(teacherReader.id, russian, '2022-11-01', null); // never returned: a debt stays
    // a regular visitor of 2022 (ten days), another reader's two days, one of them in the reading room
    const days = Array.from({ length: 10 }, (_, i) => `2022-02-${String(i + 1).padStart(2, '0')}`);
    await db.insertInto('circulation.visits').values(days.map((d) => ({ organisation_id: org, reader_id: pupil.id, visited_on: d }))).execute();
    await db
      .insertInto('circulation.visits')
      .values([
        { organisation_id: org, reader_id: teacherReader.id, visited_on: '2022-02-01', reading_room: true },
        { organisation_id: org, reader_id: teacherReader.id, visited_on: '2022-09-15' },
        { organisation_id: org, reader_id: teacherReader.id, visited_on: '2026-11-02' },
      ])
      .execute();
    const record = await db
      .insertInto('reading.records')
      .values({ organisation_id: org, reader_id: pupil.id, work_id: kazakh, title: 'Абай жолы', book_key: `w${kazakh}`, source: 'loan', loan_id: old[0]!, read_on: '2022-03-20', school_year: '2021-2022', status: 'confirmed' })
      .returning('id')
      .executeTakeFirstOrThrow();

    const figures = async () => ({
      y2022: (await annualReport(db, lib, { year: 2022 })).figures,
      y2023: (await annualReport(db, lib, { year: 2023 })).figures,
      school: (await annualReport(db, lib, { schoolYear: '2022-2023' })).figures,
      y2026: (await annualReport(db, lib, { year: 2026 })).indicators,
      stats: await circulationStats(db, lib, { from: '2022-01-01', to: '2023-12-31' }),
      statsSpring: await circulationStats(db, lib, { from: '2022-03-01', to: '2022-03-31' }),
    });
    const before = await figures();
    expect(before.y2022.loans).toMatchObject({ main: 4, byLanguage: { kk: 1, ru: 3 } });
    expect(before.y2022.visits).toMatchObject({ desk: 11, readingRoom: 1, regularVisitors: 1 });
    expect(before.stats).toMatchObject({ loans: 5, returns: 4, visits: 12 });

    expect((await librarian.put('/api/readers/retention', { loansDays: 365, visitsDays: 365 })).status).toBe(200);
    const run = await applyRetention(db, backend, { erasureLedger: null });
    expect(run).toMatchObject({ loansRemoved: 4, visitsRemoved: 12 });
    const left = await db.selectFrom('circulation.loans').select('id').where('organisation_id', '=', org).where('id', 'in', [...old, recent, open]).orderBy('id').execute();
    expect(left.map((l) => l.id)).toEqual([recent, open]);
    expect(await db.selectFrom('circulation.visits').select('visited_on').where('reader_id', 'in', [pupil.id, teacherReader.id]).execute()).toEqual([{ visited_on: '2026-11-02' }]);
    // the book read stays on the reader's record, without the loan
    expect(await db.selectFrom('reading.records').select('loan_id').where('id', '=', record.id).executeTakeFirstOrThrow()).toEqual({ loan_id: null });
    // the kept counts name no reader
    const keptColumns = Object.keys((await db.selectFrom('reports.kept_counts').selectAll().executeTakeFirstOrThrow()) as object);
    expect(keptColumns.some((c) => c.includes('reader_id'))).toBe(false);

    expect(await figures()).toEqual(before);
    const line = await db.selectFrom('org.audit_log').select('details').where('action', '=', 'retention').where('organisation_id', '=', org).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(line.details).toMatchObject({ loansRemoved: 4, visitsRemoved: 12, loansDays: 365, visitsDays: 365 });
    // a second run removes nothing and counts nothing twice
    expect(await applyRetention(db, backend, { erasureLedger: null })).toMatchObject({ loansRemoved: 0, visitsRemoved: 0 });
    expect(await figures()).toEqual(before);
  });

  it('never reaches into a report period still under way, and keeps backups by the shortest period set', async () => {
    // 1 March 2026 less a year is in the school year 2024-2025, over; less 400 days would be too
    expect(historyCutoff('2026-03-01', 365)).toBe('2025-03-01');
    expect(historyCutoff('2026-10-10', 365)).toBe('2025-10-10');
    expect(historyCutoff('2026-01-15', 3650)).toBe('2016-01-18');
    expect(await backupsKeepDays(database.db, 30)).toBe(30);
    expect((await librarian.put('/api/readers/retention', { backupsDays: 14 })).status).toBe(200);
    expect(await backupsKeepDays(database.db, 30)).toBe(14);
    expect(await backupsKeepDays(database.db, 10)).toBe(10);
  });

  it('turns old reading records, returned textbook issues and settled losses into counts, and no standing or report moves', async () => {
    const db = database.db;
    const org = tenants.schoolA.id;
    const lib = tenants.librarianA;
    const pupil = await makeReader(db, org, { lastName: 'Мектептегі', grade: 6, classLetter: 'А' });
    const classmate = await makeReader(db, org, { lastName: 'Сыныптас', grade: 6, classLetter: 'А' });
    const leaver = await makeReader(db, org, { lastName: 'Кеткенқыз', grade: 11, classLetter: 'А' });
    await db.updateTable('readers.readers').set({ status: 'left', left_on: '2026-06-01' }).where('id', '=', leaver.id).execute();
    const teacher = await makeReader(db, org, { lastName: 'Ұстаз', kind: 'teacher' });
    const parent = await makeReader(db, org, { lastName: 'Анасы', kind: 'parent' });
    const family = await db.insertInto('reading.families').values({ organisation_id: org, name: 'Мектептегілер' }).returning('id').executeTakeFirstOrThrow();
    await db
      .insertInto('reading.family_members')
      .values([pupil.id, parent.id, leaver.id].map((readerId) => ({ family_id: family.id, reader_id: readerId, organisation_id: org })))
      .execute();
    const books = await Promise.all(['Көшпенділер', 'Қан мен тер', 'Ақ кеме', 'Алпамыс батыр'].map((title) => makeWork(db, { title, language: title === 'Ақ кеме' ? 'rus' : 'kaz' })));
    const read = async (readerId: number, workIndex: number, readOn: string, pages: number, status: 'confirmed' | 'pending' = 'confirmed') => {
      const row = await db
        .insertInto('reading.records')
        .values({ organisation_id: org, reader_id: readerId, work_id: books[workIndex]!, title: `Кітап ${workIndex}`, book_key: `w${books[workIndex]}`, source: 'self', read_on: readOn, school_year: schoolYearOf(readOn), pages, note: 'Ұнады', status })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    };
    // the pupil still at school: every record stays, however old
    const pupilRecords = [await read(pupil.id, 0, '2023-10-10', 200), await read(pupil.id, 1, '2024-03-05', 150), await read(pupil.id, 2, '2024-11-20', 90)];
    await read(classmate.id, 0, '2024-02-01', 200);
    // the leaver, the teacher and the parent: records of school years over before the cut-off go
    await read(leaver.id, 0, '2023-11-11', 200);
    await read(leaver.id, 3, '2024-04-04', 300);
    await read(teacher.id, 1, '2023-12-01', 150);
    await read(teacher.id, 2, '2024-10-15', 90);
    await read(teacher.id, 3, '2025-03-03', 300);
    await read(teacher.id, 3, '2025-10-20', 300); // the same book again in 2025-2026: calendar 2025 counts it once
    await read(teacher.id, 0, '2024-05-05', 200, 'pending'); // never stamped
    await read(parent.id, 1, '2024-01-20', 150);
    // textbooks: an old returned issue goes, a recent one and one never returned (a debt) stay
    const textbook = await makeWork(db, { title: 'Математика 6', language: 'kaz', knowledgeGroup: 'textbooks' });
    const issue = async (readerId: number, issuedOn: string, returnedOn: string | null) =>
      (
        await db
          .insertInto('textbooks.issues')
          .values({ organisation_id: org, reader_id: readerId, work_id: textbook, school_year: schoolYearOf(issuedOn), issued_on: issuedOn, issued_condition: 'good', returned_on: returnedOn, return_condition: returnedOn ? 'worn' : null })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const oldIssues = [await issue(pupil.id, '2023-09-02', '2024-05-25'), await issue(leaver.id, '2024-09-03', '2025-05-24')];
    const keptIssues = [await issue(pupil.id, '2025-09-02', '2026-05-25'), await issue(pupil.id, '2022-09-02', null)];
    // losses: settled on an approved act long ago (unlinked), on a draft act (the commission has not met), recent
    const act = async (number: string, status: 'draft' | 'approved') =>
      (
        await db
          .insertInto('fund.write_off_acts')
          .values({ organisation_id: org, number, act_date: '2024-03-10', reason: 'lost_by_reader', commission: '[]', status })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const approved = await act('R-1', 'approved');
    const draft = await act('R-2', 'draft');
    const loss = async (lostOn: string, actId: number) => {
      const copy = await makeCopy(db, org, books[0]!, { acquiredOn: '2020-01-01' });
      return (
        await db
          .insertInto('fund.losses')
          .values({ organisation_id: org, reader_id: classmate.id, copy_id: copy.id, loan_id: null, lost_on: lostOn, settlement: 'payment', payment_tiyn: 250000, write_off_act_id: actId, note: 'Әкесі төледі' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    };
    const [oldLoss, draftLoss, recentLoss] = [await loss('2024-03-01', approved), await loss('2024-03-02', draft), await loss('2026-06-01', approved)];

    const all = ['student', 'teacher', 'staff', 'parent', 'other'];
    const periods = [{ year: 2024 }, { year: 2025 }, { schoolYear: '2023-2024' }, { schoolYear: '2024-2025' }] as const;
    const figures = async () => {
      const out: Record<string, unknown> = {};
      for (const query of periods) {
        const p = await resolvePeriod(db, org, query);
        out[p.label] = {
          classes: await classStandings(db, [org], p),
          readers: await readerStandings(db, [org], p, { showAllNames: true, kinds: all, limit: 1000 }),
          families: await familyStandings(db, [org], p),
          share: await activeShare(db, [org], p.from, p.to),
          // a self-report never stamped in a year long over is not a figure: it simply goes
          progress: (({ pending: _, ...rest }) => rest)(await readerProgress(db, org, teacher.id, p)),
          report: (({ readingMovement, loans }) => ({ readingMovement, loans }))((await annualReport(db, lib, query)).figures),
        };
      }
      return out;
    };
    const before = await figures();
    // the figures are really there: calendar 2025 counts the teacher's book read twice once
    expect((before['2025'] as { readers: { readerId: number; books: number }[] }).readers.find((r) => r.readerId === teacher.id)?.books).toBe(1);
    expect((before['2023-2024'] as { report: { readingMovement: { activeParents: number } } }).report.readingMovement.activeParents).toBeGreaterThanOrEqual(1);
    expect((before['2024'] as { report: { loans: { textbooks: number } } }).report.loans.textbooks).toBeGreaterThanOrEqual(1);

    expect((await librarian.put('/api/readers/retention', { readingDays: 365, textbooksDays: 365, lossesDays: 365 })).status).toBe(200);
    const run = await applyRetention(db, backend, { erasureLedger: null });
    // 1 Dec 2026 less a year is 1 Dec 2025: the school years up to 2024-2025 are over, 2025-2026 is not
    expect(run).toMatchObject({ readingRecordsRemoved: 7, textbookIssuesRemoved: 2, lossesUnlinked: 1 });
    const left = await db.selectFrom('reading.records').select(['reader_id', 'read_on']).where('reader_id', 'in', [pupil.id, classmate.id, leaver.id, teacher.id, parent.id]).orderBy('id').execute();
    expect(left.filter((r) => r.reader_id === pupil.id)).toHaveLength(pupilRecords.length);
    expect(left.filter((r) => r.reader_id !== pupil.id)).toEqual([{ reader_id: classmate.id, read_on: '2024-02-01' }, { reader_id: teacher.id, read_on: '2025-10-20' }]);
    // what stays of the others is a number of books per period, no title, date or note
    const kept = await db.selectFrom('reading.kept_books').selectAll().where('reader_id', '=', teacher.id).orderBy('period').execute();
    expect(kept.map((k) => [k.period, k.books, k.pages])).toEqual([
      ['2023', 1, 150],
      ['2023-2024', 1, 150],
      ['2024', 1, 90],
      ['2024-2025', 2, 390],
      ['2025', 1, 600],
    ]);
    expect(Object.keys(kept[0]!).some((c) => /title|note|read_on|work/.test(c))).toBe(false);
    expect(await db.selectFrom('textbooks.issues').select('id').where('id', 'in', [...oldIssues, ...keptIssues]).orderBy('id').execute()).toEqual(keptIssues.map((id) => ({ id })));
    expect(Object.keys((await db.selectFrom('textbooks.kept_issues').selectAll().executeTakeFirstOrThrow()) as object).sort()).toEqual(['day', 'language', 'n', 'organisation_id']);
    const losses = await db.selectFrom('fund.losses').select(['id', 'reader_id', 'note', 'write_off_act_id', 'payment_tiyn']).where('id', 'in', [oldLoss, draftLoss, recentLoss]).orderBy('id').execute();
    expect(losses).toEqual([
      { id: oldLoss, reader_id: null, note: null, write_off_act_id: approved, payment_tiyn: 250000 },
      { id: draftLoss, reader_id: classmate.id, note: 'Әкесі төледі', write_off_act_id: draft, payment_tiyn: 250000 },
      { id: recentLoss, reader_id: classmate.id, note: 'Әкесі төледі', write_off_act_id: approved, payment_tiyn: 250000 },
    ]);
    expect(await db.selectFrom('fund.write_off_acts').select('id').where('id', '=', approved).execute()).toHaveLength(1);
    const lossList = await librarian.get('/api/fund/losses');
    expect(lossList.status).toBe(200);
    expect(lossList.body.items.find((l: { id: number }) => l.id === oldLoss)).toMatchObject({ readerId: null, writeOffActNumber: 'R-1' });

    expect(await figures()).toEqual(before);
    const line = await db.selectFrom('org.audit_log').select('details').where('action', '=', 'retention').where('organisation_id', '=', org).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(line.details).toMatchObject({ readingRecordsRemoved: 7, textbookIssuesRemoved: 2, lossesUnlinked: 1, readingDays: 365, textbooksDays: 365, lossesDays: 365 });
    // a second run removes nothing and counts nothing twice
    expect(await applyRetention(db, backend, { erasureLedger: null })).toMatchObject({ readingRecordsRemoved: 0, textbookIssuesRemoved: 0, lossesUnlinked: 0 });
    expect(await figures()).toEqual(before);
    // the teacher's own data export shows the kept numbers
    const exported = await librarian.get(`/api/readers/${teacher.id}/data`);
    expect(exported.body.tables['reading.kept_books']).toHaveLength(5);
  });

  it('erasing a reader on request turns the loans into counts, and no report or statistic moves', async () => {
    const db = database.db;
    const org = tenants.schoolB.id;
    const lib = tenants.librarianB;
    const other = new ApiClient(app);
    await other.login('librarian-b');
    const reader = await makeReader(db, org, { lastName: 'Өшірілетін', grade: 7, classLetter: 'В' });
    const work = await makeWork(db, { title: 'Менің атым Қожа', language: 'kaz' });
    for (const [issued, returned] of [['2025-04-01', '2025-04-10'], ['2026-09-03', '2026-09-20'], ['2026-11-05', '2026-11-06']] as const) {
      const copy = await makeCopy(db, org, work, { acquiredOn: '2020-01-01' });
      await db
        .insertInto('circulation.loans')
        .values({ organisation_id: org, copy_id: copy.id, reader_id: reader.id, issued_at: new Date(`${issued}T06:00:00Z`), due_on: returned, returned_at: new Date(`${returned}T06:00:00Z`) })
        .execute();
    }
    const figures = async () => ({
      y2025: (await annualReport(db, lib, { year: 2025 })).figures.loans,
      y2026: (await annualReport(db, lib, { year: 2026 })).figures.loans,
      school: (await annualReport(db, lib, { schoolYear: '2026-2027' })).figures.loans,
      stats: await circulationStats(db, lib, { from: '2025-01-01', to: '2026-12-01' }),
    });
    const before = await figures();
    expect(before.y2026.total).toBe(2);
    expect(before.stats.byGroup.find((g) => g.group === 'grades_5_9')).toMatchObject({ loans: 3, returns: 3 });

    expect((await other.post(`/api/readers/${reader.id}/erase`)).status).toBe(200);
    expect(await db.selectFrom('circulation.loans').select('id').where('reader_id', '=', reader.id).execute()).toEqual([]);
    expect(await figures()).toEqual(before);
  });

  it('runs by itself once a day, checked often, and records the day it ran', async () => {
    const db = database.db;
    await db.deleteFrom('org.job_runs').where('job', '=', 'retention').execute();
    const logged: string[] = [];
    const stop = scheduleRetention(db, backend, { erasureLedger: null }, (m) => logged.push(m), { firstAfterMs: 5, checkEveryMs: 40 });
    await expect.poll(() => logged.length, { timeout: 60_000, interval: 50 }).toBe(1);
    // further checks the same day find it done
    await new Promise((resolve) => setTimeout(resolve, 400));
    await stop();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^Retention: \d+ reader\(s\) erased, .* reading record\(s\) and \d+ textbook issue\(s\) kept as counts, \d+ settled loss\(es\) unlinked/);
    const ran = await db.selectFrom('org.job_runs').select(['ran_on', 'summary']).where('job', '=', 'retention').executeTakeFirstOrThrow();
    expect(ran.ran_on).toBe('2026-12-01');
    expect(ran.summary).toMatchObject({ readingRecordsRemoved: 0, textbookIssuesRemoved: 0, lossesUnlinked: 0 });
  });
});
