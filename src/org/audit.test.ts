import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.js';
import type { App } from '../http/types.js';
import { ApiClient, testApp, type Response } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import { audit, auditFacets, listAudit, type AuditLine, type AuditPage } from './audit.js';
import { startOfLocalDay } from '../shared/library-time.js';

describe.each(BACKENDS)('the audit log page’s API on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let librarian: ApiClient;
  /** Ids of the lines written below, by name. */
  const line: Record<string, number> = {};

  async function write(name: string, ...args: Parameters<typeof audit> extends [unknown, ...infer R] ? R : never) {
    await audit(database.db, ...args);
    const row = await database.db.selectFrom('org.audit_log').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    line[name] = row.id;
  }
  async function setAt(name: string, at: Date) {
    await database.db.updateTable('org.audit_log').set({ at }).where('id', '=', line[name]!).execute();
  }
  const ids = (items: AuditLine[]) => items.map((i) => i.id);

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    const { librarianA: a, librarianB: b, teacherA } = tenants;
    await write('readerCreated', a, 'create', 'reader', 101, { registrationNumber: 'R-1' });
    await write('readerUpdated', a, 'update', 'reader', 101, { fields: ['grade', 'classLetter'] });
    await write('copyCreated', a, 'create', 'copy', 201, { inventoryNumber: 'INV-1' });
    await write('loanIssued', a, 'issue', 'loan', 301, { copyId: 201, readerId: 101 });
    await write('loanRenewed', teacherA, 'renew', 'loan', 301, {});
    await write('system', null, 'refresh', 'reclist_stats', null, {}, tenants.schoolA.id);
    // only school B has these codes, so B's facets and lines must never reach A
    await write('otherSchool', b, 'anonymise', 'reader', 901, { count: 3, marker: 'school-b-secret' });
    await write('otherSchoolMore', b, 'import', 'reader', 902, {});
    // long ago, and 23:30 and 00:10 on the library's clock: either side of midnight of 11 January
    const almaty = (day: string, hours: number, minutes: number) => new Date(startOfLocalDay(day, 'Asia/Almaty').getTime() + (hours * 60 + minutes) * 60_000);
    await setAt('readerCreated', almaty('2020-01-10', 9, 0));
    await setAt('readerUpdated', almaty('2020-01-11', 23, 30));
    await setAt('copyCreated', almaty('2020-01-12', 0, 10));
    librarian = new ApiClient(app);
    expect((await librarian.login('librarian-a')).status).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('lists the own school’s lines newest first, with the name and login of who wrote them', async () => {
    const res = await librarian.get('/api/audit');
    expect(res.status).toBe(200);
    const items: AuditLine[] = res.body.items;
    expect(ids(items)).toEqual([...ids(items)].sort((x, y) => y - x));
    // the sign-in of this very client is the newest line
    expect(items[0]).toMatchObject({ action: 'login', entity: 'user', userLogin: 'librarian-a' });
    const issued = items.find((i) => i.id === line.loanIssued);
    expect(issued).toMatchObject({
      userId: tenants.librarianA.userId,
      userFullName: 'librarian-a',
      userLogin: 'librarian-a',
      action: 'issue',
      entity: 'loan',
      entityId: '301',
      details: { copyId: 201, readerId: 101 },
    });
    expect(new Date(issued!.at).getTime()).not.toBeNaN();
    expect(items.find((i) => i.id === line.system)).toMatchObject({ userId: null, userFullName: null, userLogin: null });
    expect(ids(items)).not.toContain(line.otherSchool);
    expect(res.body.nextBefore).toBeNull();
  });

  it('narrows the lines by entity, action, person and days', async () => {
    const of = async (q: string) => ids((await librarian.get(`/api/audit?${q}`)).body.items);
    expect((await of('entity=loan')).sort()).toEqual([line.loanIssued, line.loanRenewed].sort());
    expect(await of('entity=reader')).toEqual([line.readerUpdated, line.readerCreated]);
    expect(await of('action=create&entity=reader')).toEqual([line.readerCreated]);
    expect(await of('action=renew')).toEqual([line.loanRenewed]);
    expect(await of(`userId=${tenants.teacherA.userId}`)).toEqual([line.loanRenewed]);
    const byLibrarian = await of(`userId=${tenants.librarianA.userId}`);
    expect(byLibrarian).toEqual(expect.arrayContaining([line.readerCreated, line.copyCreated, line.loanIssued]));
    expect(byLibrarian).not.toContain(line.loanRenewed);
    expect(byLibrarian).not.toContain(line.system);
    // days are whole and inclusive at both ends
    expect(await of('from=2020-01-10&to=2020-01-10')).toEqual([line.readerCreated]);
    expect(await of('from=2020-01-10&to=2020-01-11')).toEqual([line.readerUpdated, line.readerCreated]);
    expect(await of('from=2020-01-11&to=2020-01-12')).toEqual([line.copyCreated, line.readerUpdated]);
    expect(await of('from=2020-01-12&to=2020-01-12')).toEqual([line.copyCreated]);
    expect(await of('to=2020-01-11')).toEqual([line.readerUpdated, line.readerCreated]);
    const sinceTwelfth = await of('from=2020-01-12');
    expect(sinceTwelfth).toContain(line.copyCreated);
    expect(sinceTwelfth).toContain(line.loanIssued);
    expect(sinceTwelfth).not.toContain(line.readerUpdated);
    expect(await of('entity=copy&from=2020-01-13&to=2020-12-31')).toEqual([]);
  });

  it('pages by id: every line exactly once even when new lines arrive between pages', async () => {
    const before = ids((await librarian.get('/api/audit?limit=500')).body.items);
    expect(before.length).toBeGreaterThan(6);
    const seen: number[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const res: Response<AuditPage> = await librarian.get(`/api/audit?limit=3${cursor ? `&before=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...ids(res.body.items));
      cursor = res.body.nextBefore;
      if (pages === 0) await audit(database.db, tenants.librarianA, 'update', 'copy', 201, { fields: ['shelf'] });
      pages++;
    } while (cursor !== null && pages < 50);
    expect(pages).toBe(Math.ceil(before.length / 3));
    expect(seen).toEqual(before);
    expect(new Set(seen).size).toBe(seen.length);
    // the line written meanwhile is on top of a fresh first page
    expect((await librarian.get('/api/audit?limit=1')).body.items[0]).toMatchObject({ action: 'update', entity: 'copy' });
  });

  it('names the codes and people present in the own log only', async () => {
    const res = await librarian.get('/api/audit/facets');
    expect(res.status).toBe(200);
    expect(res.body.entities).toEqual(expect.arrayContaining(['copy', 'loan', 'reader', 'reclist_stats', 'user']));
    expect(res.body.actions).toEqual(expect.arrayContaining(['create', 'issue', 'renew', 'update', 'login', 'refresh']));
    expect(res.body.actions).not.toContain('anonymise');
    expect(res.body.actions).not.toContain('import');
    expect(res.body.pairs).toContainEqual({ entity: 'loan', action: 'renew' });
    expect(res.body.pairs).not.toContainEqual({ entity: 'loan', action: 'create' });
    expect(res.body.entities).toEqual([...res.body.entities].sort());
    const logins = res.body.users.map((u: { login: string }) => u.login);
    expect(logins.sort()).toEqual(['librarian-a', 'teacher-a']);
    expect(res.body.users.find((u: { login: string }) => u.login === 'teacher-a')).toEqual({ id: tenants.teacherA.userId, fullName: 'teacher-a', login: 'teacher-a' });

    const other = await auditFacets(database.db, tenants.librarianB);
    expect(other.actions).toEqual(['anonymise', 'create', 'import']);
    expect(other.users.map((u) => u.login)).toEqual(['librarian-b']);
  });

  it('keeps each school’s log to its own librarian, and the log to staff', async () => {
    const b = new ApiClient(app);
    await b.login('librarian-b');
    const own = await b.get('/api/audit');
    expect(own.status).toBe(200);
    expect(ids(own.body.items)).toContain(line.otherSchool);
    expect(ids(own.body.items)).not.toContain(line.loanIssued);
    expect(JSON.stringify((await librarian.get('/api/audit?limit=500')).body)).not.toContain('school-b-secret');
    expect((await b.get(`/api/audit?organisationId=${tenants.schoolA.id}`)).status).toBe(403);
    expect((await b.get(`/api/audit/facets?organisationId=${tenants.schoolA.id}`)).status).toBe(403);
    // filtering by a person of the other school finds nothing of it
    expect((await b.get(`/api/audit?userId=${tenants.librarianA.userId}`)).body.items).toEqual([]);

    for (const login of ['teacher-a', 'method']) {
      const other = new ApiClient(app);
      await other.login(login);
      expect((await other.get('/api/audit')).status).toBe(403);
      expect((await other.get('/api/audit/facets')).status).toBe(403);
      expect((await other.get(`/api/audit?organisationId=${tenants.schoolA.id}`)).status).toBe(403);
    }
    await expect(listAudit(database.db, tenants.teacherA)).rejects.toMatchObject({ code: 'auth.forbidden', status: 403 });

    const admin = new ApiClient(app);
    await admin.login('admin');
    const seen = ids((await admin.get(`/api/audit?organisationId=${tenants.schoolA.id}&entity=loan`)).body.items);
    expect(seen.sort()).toEqual([line.loanIssued, line.loanRenewed].sort());
  });

  it('refuses impossible days and a reversed period in the user’s language', async () => {
    // the account's saved language (kk) wins over Accept-Language; the header chosen in the page wins over both
    const inLanguage = (locale: string, url: string) => librarian.request({ method: 'GET', url, headers: { 'x-locale': locale } });
    const reversed = await inLanguage('ru', '/api/audit?from=2026-02-01&to=2026-01-31');
    expect(reversed.status).toBe(400);
    expect(reversed.body.error).toMatchObject({ code: 'org.audit_bad_period', message: 'Неверный период: начало (2026-02-01) позже конца (2026-01-31)' });
    const impossible = await inLanguage('kk', '/api/audit?from=2026-02-30');
    expect(impossible.status).toBe(400);
    expect(impossible.body.error.message).toBe('Деректер қате толтырылған: «Басы»: күн ЖЖЖЖ-АА-КК түрінде болуы керек');
    await expect(listAudit(database.db, tenants.librarianA, { to: '2026-13-01' })).rejects.toMatchObject({ code: 'org.audit_bad_date', status: 400 });
  });
});
