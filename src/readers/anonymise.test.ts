import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, TEST_PASSWORD, type Tenants } from '../../test/support/tenants.js';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { createUser } from '../org/users.js';

describe.each(BACKENDS)('erasing the personal data of readers who left, on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let librarian: ApiClient;
  const ids: Record<string, number> = {};

  const left = async (name: string, leftOn: string, organisationId = tenants.schoolA.id) => {
    const r = await makeReader(database.db, organisationId, { lastName: name, grade: 11, classLetter: 'А' });
    await database.db
      .updateTable('readers.readers')
      .set({ status: 'left', left_on: leftOn, birth_date: '2007-04-02', phone: '+7 705 111 22 33', parent_name: `${name} ата-анасы` })
      .where('id', '=', r.id)
      .execute();
    return r.id;
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    const db = database.db;
    ids.gone = await left('Бұрынғыбаева', '2023-05-25');
    ids.holder = await left('Кітапұстаев', '2023-05-25');
    ids.recent = await left('Жаңатүлек', '2026-05-25');
    ids.active = (await makeReader(db, tenants.schoolA.id, { lastName: 'Қазіргі' })).id;
    ids.elsewhere = await left('Басқамектепова', '2023-05-25', tenants.schoolB.id);
    // the one who still holds a book, and a loan history for the one who returned everything
    const work = await makeWork(db, { title: 'Көксерек' });
    const held = await makeCopy(db, tenants.schoolA.id, work);
    const returned = await makeCopy(db, tenants.schoolA.id, work);
    await db.insertInto('circulation.loans').values({ organisation_id: tenants.schoolA.id, copy_id: held.id, reader_id: ids.holder, due_on: '2023-05-20' }).execute();
    await db
      .insertInto('circulation.loans')
      .values({ organisation_id: tenants.schoolA.id, copy_id: returned.id, reader_id: ids.gone, due_on: '2023-04-01', returned_at: new Date('2023-03-30') })
      .execute();
    // a book she lost, with a free-text note that names her family
    const act = await db.insertInto('fund.write_off_acts').values({ organisation_id: tenants.schoolA.id, number: 'L-1', act_date: '2023-04-01', reason: 'lost_by_reader', commission: '[]' }).returning('id').executeTakeFirstOrThrow();
    const lost = await makeCopy(db, tenants.schoolA.id, work);
    await db
      .insertInto('fund.losses')
      .values({ organisation_id: tenants.schoolA.id, reader_id: ids.gone, copy_id: lost.id, lost_on: '2023-04-01', settlement: 'payment', payment_tiyn: 150000, write_off_act_id: act.id, note: 'Бұрынғыбаева ата-анасы төледі' })
      .execute();
    await createUser(db, null, {
      login: 'gone-student', password: TEST_PASSWORD, fullName: 'Бұрынғыбаева Аружан', role: 'student',
      organisationId: tenants.schoolA.id, readerId: ids.gone, classGrade: null, classLetter: null,
    });
    librarian = new ApiClient(app);
    await librarian.login('librarian-a');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('shows first how many will be erased and who must return a book before', async () => {
    const res = await librarian.post('/api/readers/anonymisation/preview', { leftBefore: '2025-09-01' });
    expect(res.status).toBe(200);
    expect(res.body.ready).toBe(1);
    expect(res.body.blocked).toEqual([
      { id: ids.holder, registrationNumber: expect.any(String), fullName: 'Кітапұстаев Аружан', leftOn: '2023-05-25', openLoans: 1, textbooksOnHand: 0 },
    ]);
    expect((await librarian.get(`/api/readers/${ids.gone}`)).body.lastName).toBe('Бұрынғыбаева');
  });

  it('erases names, birth date and contacts for good, turns the loan history into counts, and closes the account', async () => {
    const student = new ApiClient(app);
    expect((await student.login('gone-student')).status).toBe(200);

    const res = await librarian.post('/api/readers/anonymisation', { leftBefore: '2025-09-01' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ anonymised: 1, blocked: 1 });

    const gone = (await librarian.get(`/api/readers/${ids.gone}`)).body;
    expect(gone).toMatchObject({
      lastName: '***', firstName: '***', middleName: null, birthDate: null, phone: null, email: null,
      parentName: null, parentPhone: null, status: 'left', leftOn: '2023-05-25', grade: 11, anonymised: true,
    });
    const row = await database.db.selectFrom('readers.readers').selectAll().where('id', '=', ids.gone).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('Бұрынғыбаева');
    // found by number, no longer by name
    expect((await librarian.get(`/api/readers?q=${encodeURIComponent('Бұрынғыбаева')}&status=left`)).body.items).toEqual([]);
    const byNumber = (await librarian.get(`/api/readers?q=${encodeURIComponent(gone.registrationNumber)}&status=left`)).body.items;
    expect(byNumber.map((r: { id: number }) => r.id)).toContain(ids.gone);
    // the loan history becomes counts: gone as rows, still counted by the library's figures
    const loans = await database.db.selectFrom('circulation.loans').select('id').where('reader_id', '=', ids.gone).execute();
    expect(loans).toEqual([]);
    const kept = await database.db.selectFrom('reports.kept_counts').select(['day', 'what', 'reader_group', 'n']).where('organisation_id', '=', tenants.schoolA.id).orderBy('what').execute();
    expect(kept).toEqual([
      { day: expect.any(String), what: 'issue', reader_group: 'grades_10_11', n: 1 },
      { day: '2023-03-30', what: 'return', reader_group: 'grades_10_11', n: 1 },
    ]);
    // the loss stays in the fund's accounts, its note does not
    expect(await database.db.selectFrom('fund.losses').select(['note', 'payment_tiyn']).where('reader_id', '=', ids.gone).execute()).toEqual([{ note: null, payment_tiyn: 150000 }]);
    // the student's account is closed and signed out
    expect((await student.get('/api/auth/me')).status).toBe(401);
    expect((await new ApiClient(app).login('gone-student')).status).toBe(401);

    // the others are untouched
    for (const key of ['holder', 'recent', 'active', 'elsewhere']) {
      const r = await database.db.selectFrom('readers.readers').select(['last_name', 'anonymised_at']).where('id', '=', ids[key]!).executeTakeFirstOrThrow();
      expect(r.anonymised_at, key).toBeNull();
      expect(r.last_name, key).not.toBe('***');
    }
    const audited = await database.db.selectFrom('org.audit_log').select('details').where('action', '=', 'anonymise').execute();
    expect(audited).toHaveLength(1);
    expect(JSON.stringify(audited[0]!.details)).not.toContain('Бұрынғыбаева');
  });

  it('refuses to write a name back, and a second run finds nobody new', async () => {
    const edit = await librarian.patch(`/api/readers/${ids.gone}`, { lastName: 'Бұрынғыбаева' });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('readers.anonymised');
    expect((await librarian.post('/api/readers/anonymisation', { leftBefore: '2025-09-01' })).body).toEqual({ anonymised: 0, blocked: 1 });
  });

  it('is for the library staff only, with a clear error for a bad date', async () => {
    const teacher = new ApiClient(app);
    await teacher.login('teacher-a');
    expect((await teacher.post('/api/readers/anonymisation', { leftBefore: '2025-09-01' })).status).toBe(403);
    const bad = await librarian.setLocale('kk').post('/api/readers/anonymisation', { leftBefore: '01.09.2025' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('«Осы күнге дейін кеткендер»');
  });
});
