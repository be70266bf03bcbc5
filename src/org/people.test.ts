import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeReader } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';

describe.each(BACKENDS)("a library's accounts on %s", (backend) => {
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

  const signedIn = async (login: string, password?: string) => {
    const api = new ApiClient(app);
    await api.login(login, password);
    return api;
  };

  it('lets a librarian add a pupil linked to her reader, list, rename, reset and close accounts of the own library', async () => {
    const librarian = await signedIn('librarian-a');
    const { id: reader } = await makeReader(database.db, tenants.schoolA.id, { lastName: 'Жақсыбекова', firstName: 'Дина', grade: 5 });
    const created = await librarian.post('/api/users', {
      login: 'dina-5a', password: 'Dina-pass-2026', fullName: 'Жақсыбекова Дина', role: 'student', organisationId: tenants.schoolA.id, readerId: reader,
    });
    expect(created.body).toMatchObject({ id: expect.any(Number) });
    const pupil = await signedIn('dina-5a', 'Dina-pass-2026');
    expect((await pupil.get('/api/auth/me')).status).toBe(200);

    const list = await librarian.get('/api/users');
    expect(list.status).toBe(200);
    const dina = list.body.find((p: { login: string }) => p.login === 'dina-5a');
    expect(dina).toMatchObject({ role: 'student', readerId: reader, readerName: 'Жақсыбекова Дина', active: true });
    expect(dina.lastSeenAt).not.toBeNull();
    expect(list.body.every((p: { login: string }) => !['librarian-b', 'admin', 'method'].includes(p.login))).toBe(true);

    // a forgotten password: the librarian sets a new one, and the old session ends
    expect((await librarian.patch(`/api/users/${dina.id}`, { password: 'New-pass-2026', fullName: 'Жақсыбекова Дина Ерланқызы' })).status).toBe(204);
    expect((await pupil.get('/api/auth/me')).status).toBe(401);
    const again = await signedIn('dina-5a', 'New-pass-2026');
    expect((await again.get('/api/auth/me')).body.fullName).toBe('Жақсыбекова Дина Ерланқызы');

    // she left the school: the account is closed and she is signed out at once
    expect((await librarian.patch(`/api/users/${dina.id}`, { active: false })).status).toBe(204);
    expect((await again.get('/api/auth/me')).status).toBe(401);
    expect((await new ApiClient(app).login('dina-5a', 'New-pass-2026')).status).toBe(401);
    const logged = await database.db.selectFrom('org.audit_log').select('details').where('entity', '=', 'user').where('entity_id', '=', String(dina.id)).where('action', '=', 'update').orderBy('id').execute();
    expect(logged.map((l) => (typeof l.details === 'string' ? JSON.parse(l.details) : l.details))).toEqual([{ fields: ['fullName', 'password'] }, { fields: ['active'] }]);
    expect(JSON.stringify(logged)).not.toContain('New-pass-2026');
  });

  it('keeps a librarian to the pupils, parents and teachers of the own library, with translated refusals', async () => {
    const librarian = await signedIn('librarian-a');
    const people = (await librarian.get('/api/users')).body as { id: number; login: string }[];
    const own = (login: string) => people.find((p) => p.login === login)!.id;
    // her own account and her fellow staff are not hers to change
    expect((await librarian.patch(`/api/users/${own('librarian-a')}`, { active: false })).status).toBe(403);
    const teacher = own('teacher-a');
    const noClass = await librarian.request({ method: 'PATCH', url: `/api/users/${teacher}`, payload: { classLetter: null }, headers: { 'x-locale': 'ru' } });
    expect(noClass.status).toBe(400);
    expect(noClass.body.error.code).toBe('org.teacher_needs_class');
    const short = await librarian.patch(`/api/users/${teacher}`, { password: 'short' });
    expect(short.body.error.code).toBe('password.too_short');
    expect((await librarian.patch(`/api/users/${teacher}`, { classGrade: 6, classLetter: 'Ә' })).status).toBe(204);

    // another school's people do not exist for her, and she cannot list them
    const other = await database.db.selectFrom('org.users').select('id').where('login', '=', 'librarian-b').executeTakeFirstOrThrow();
    expect((await librarian.patch(`/api/users/${other.id}`, { active: false })).status).toBe(404);
    expect((await librarian.get(`/api/users?organisationId=${tenants.schoolB.id}`)).status).toBe(403);
    expect((await (await signedIn('teacher-a')).get('/api/users')).status).toBe(403);
    expect((await (await signedIn('method')).get('/api/users')).status).toBe(403);

    // an admin sees any school's accounts, and cannot close its own
    const admin = await signedIn('admin');
    const schoolB = (await admin.get(`/api/users?organisationId=${tenants.schoolB.id}`)).body as { login: string }[];
    expect(schoolB.map((p) => p.login)).toContain('librarian-b');
    const self = await database.db.selectFrom('org.users').select('id').where('login', '=', 'admin').executeTakeFirstOrThrow();
    const closing = await admin.request({ method: 'PATCH', url: `/api/users/${self.id}`, payload: { active: false }, headers: { 'x-locale': 'kk' } });
    expect(closing.status).toBe(400);
    expect(closing.body.error.message).toBe('Өз есептік жазбаңызды жаба алмайсыз');
  });
});
