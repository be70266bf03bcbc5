import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginThrottle } from '../auth/rate-limit.js';
import { forgetSessions } from '../auth/session-cache.js';
import type { DatabaseHandle } from '../db/connect.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import type { App } from '../http/types.js';
import { createUser, STAFF_IDLE_HOURS } from './users.js';

describe.each(BACKENDS)('sign-in, sessions and the audit log on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('answers health and serves an OpenAPI document', async () => {
    const api = new ApiClient(app);
    const health = await api.get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', database: backend });
    const doc = await api.get('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toContain('/api/auth/login');
  });

  it('signs a librarian in, remembers the session, and signs out', async () => {
    const api = new ApiClient(app);
    const login = await api.login('librarian-a');
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ role: 'librarian', organisationId: tenants.schoolA.id });
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect((await api.get('/api/auth/me')).body.login).toBe('librarian-a');
    expect((await api.post('/api/auth/logout')).status).toBe(204);
    expect((await api.get('/api/auth/me')).status).toBe(401);
  });

  it("signs staff out after hours without use, not students; and writes the last use only every few minutes", async () => {
    const student = await createUser(database.db, null, {
      organisationId: tenants.schoolA.id, login: 'student-idle', fullName: 'Оқушы Бос', role: 'student', password: 'Student-pass-2026',
    });
    const lastSeen = async (userId: number) =>
      new Date((await database.db.selectFrom('org.sessions').select('last_seen_at').where('user_id', '=', userId).executeTakeFirstOrThrow()).last_seen_at).getTime();
    // the server keeps a session it read for a moment: a change behind its back is told to it
    const setLastSeen = async (userId: number, msAgo: number) => {
      await database.db.updateTable('org.sessions').set({ last_seen_at: new Date(Date.now() - msAgo) }).where('user_id', '=', userId).execute();
      forgetSessions();
    };

    // her sessions from other tests would blur which one is looked at
    await database.db.deleteFrom('org.sessions').where('user_id', '=', tenants.librarianA.userId).execute();
    const librarian = new ApiClient(app);
    await librarian.login('librarian-a');
    const pupil = new ApiClient(app);
    await pupil.login('student-idle', 'Student-pass-2026');

    // used a minute ago: nothing is written; ten minutes ago: the use is recorded
    await setLastSeen(tenants.librarianA.userId, 60_000);
    const minuteAgo = await lastSeen(tenants.librarianA.userId);
    expect((await librarian.get('/api/auth/me')).status).toBe(200);
    expect(await lastSeen(tenants.librarianA.userId)).toBe(minuteAgo);
    await setLastSeen(tenants.librarianA.userId, 10 * 60_000);
    expect((await librarian.get('/api/auth/me')).status).toBe(200);
    expect(Date.now() - (await lastSeen(tenants.librarianA.userId))).toBeLessThan(60_000);

    // a night without use: the librarian must sign in again, and her session is gone
    const night = (STAFF_IDLE_HOURS + 1) * 3_600_000;
    await setLastSeen(tenants.librarianA.userId, night);
    await setLastSeen(student, night);
    expect((await librarian.get('/api/auth/me')).status).toBe(401);
    expect(await database.db.selectFrom('org.sessions').select('token_hash').where('user_id', '=', tenants.librarianA.userId).execute()).toEqual([]);
    expect((await pupil.get('/api/auth/me')).body.login).toBe('student-idle');

    // a week later the student's session has ended too, and her next sign-in clears it away
    await database.db.updateTable('org.sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', student).execute();
    forgetSessions();
    expect((await pupil.get('/api/auth/me')).status).toBe(401);
    await new ApiClient(app).login('student-idle', 'Student-pass-2026');
    expect(await database.db.selectFrom('org.sessions').select('token_hash').where('user_id', '=', student).execute()).toHaveLength(1);
  });

  it('refuses a wrong password with a translated message', async () => {
    const res = await new ApiClient(app, 'ru').login('librarian-a', 'nope-nope');
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ code: 'auth.bad_credentials', message: 'Неверный логин или пароль' });
    const kk = await new ApiClient(app, 'kk').login('librarian-a', 'nope-nope');
    expect(kk.body.error.message).toBe('Логин немесе құпиясөз қате');
  });

  it('refuses a state change without the CSRF token', async () => {
    const api = new ApiClient(app);
    await api.login('admin');
    api.csrf = 'forged';
    const res = await api.put('/api/auth/locale', { locale: 'ru' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('auth.csrf');
  });

  it('throttles repeated failed logins', async () => {
    const throttle = new LoginThrottle({ freePerPair: 3, windowMs: 60_000 });
    const local = await testApp(database);
    local.loginThrottle = throttle;
    const api = new ApiClient(local);
    for (let i = 0; i < 3; i++) expect((await api.login('teacher-a', 'wrong')).status).toBe(401);
    const blocked = await api.login('teacher-a');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('auth.too_many_attempts');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    await local.close();
  });

  it('shows a methodologist only the own district, and each librarian only the own school', async () => {
    const m = new ApiClient(app);
    await m.login('method');
    const seen = (await m.get('/api/organisations')).body.map((o: { id: number }) => o.id);
    expect(seen).toContain(tenants.schoolA.id);
    expect(seen).not.toContain(tenants.schoolB.id);
    const lib = new ApiClient(app);
    await lib.login('librarian-b');
    expect((await lib.get('/api/organisations')).body.map((o: { id: number }) => o.id)).toEqual([tenants.schoolB.id]);
    expect((await lib.get(`/api/audit?organisationId=${tenants.schoolA.id}`)).status).toBe(403);
  });

  it('lets a librarian add a teacher to the own school only, and audits it', async () => {
    const api = new ApiClient(app);
    await api.login('librarian-a');
    const teacher = { login: 'teacher-new', password: 'longenough1', fullName: 'Айгүл Сәрсенова', role: 'teacher', classGrade: 3, classLetter: 'А' };
    expect((await api.post('/api/users', { ...teacher, organisationId: tenants.schoolB.id })).status).toBe(403);
    expect((await api.post('/api/users', { ...teacher, role: 'admin', organisationId: tenants.schoolA.id })).status).toBe(403);
    const created = await api.post('/api/users', { ...teacher, organisationId: tenants.schoolA.id });
    expect(created.status).toBe(201);
    const dup = await api.post('/api/users', { ...teacher, organisationId: tenants.schoolA.id });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('org.login_taken');
    const log = await api.get('/api/audit');
    expect(log.body.items.some((e: any) => e.entity === 'user' && e.entityId === String(created.body.id) && e.userId === tenants.librarianA.userId)).toBe(true);
  });
});
