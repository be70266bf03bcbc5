import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { audit } from '../org/audit.js';
import { setClock } from '../shared/library-time.js';
import { circulationStats } from '../circulation/stats.js';
import { annualReport } from '../reports/annual.js';
import { applyRetention, backupsKeepDays, historyCutoff } from './retention.js';

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
    const defaults = { leaversDays: 730, auditDays: 1825, loansDays: 1095, visitsDays: 1095, sessionsDays: 7, backupsDays: 30 };
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
});
