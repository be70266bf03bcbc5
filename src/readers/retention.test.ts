import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeReader } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { audit } from '../org/audit.js';
import { setClock } from '../shared/library-time.js';
import { applyRetention } from './retention.js';

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
    expect((await librarian.get('/api/readers/retention')).body).toEqual({ leaversDays: 730, auditDays: 1825 });
    const teacher = new ApiClient(app);
    await teacher.login('teacher-a');
    expect((await teacher.get('/api/readers/retention')).status).toBe(403);
    expect((await librarian.put('/api/readers/retention', { leaversDays: 365, auditDays: 30 })).status).toBe(400);
    expect((await librarian.put('/api/readers/retention', { leaversDays: 365, auditDays: 1095 })).body).toEqual({ leaversDays: 365, auditDays: 1095 });
    // another school keeps its own (the defaults)
    const other = new ApiClient(app);
    await other.login('librarian-b');
    expect((await other.get('/api/readers/retention')).body).toEqual({ leaversDays: 730, auditDays: 1825 });
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
    expect(run).toMatchObject({ readersErased: 1, auditLinesRemoved: 1, sessionsRemoved: 1 });
    const names = await db.selectFrom('readers.readers').select(['id', 'last_name']).where('id', 'in', [old, recent, otherSchool]).orderBy('id').execute();
    expect(names.map((n) => n.last_name)).toEqual(['***', 'Жаңакетуші', 'Басқакетуші']);
    expect(await db.selectFrom('org.audit_log').select('id').where('action', '=', 'note').execute()).toEqual([]);
    const reported = await db.selectFrom('org.audit_log').select(['organisation_id', 'details']).where('action', '=', 'retention').execute();
    expect(reported).toEqual([{ organisation_id: tenants.schoolA.id, details: { readersErased: 1, auditLinesRemoved: 1, leaversDays: 365, auditDays: 1095 } }]);
    expect((await db.selectFrom('readers.erasures').select('reason').where('reader_id', '=', old).executeTakeFirstOrThrow()).reason).toBe('retention');
    // a second run the same day finds nothing more
    expect(await applyRetention(db, backend, { erasureLedger: null })).toMatchObject({ readersErased: 0, auditLinesRemoved: 0, sessionsRemoved: 0 });
  });
});
