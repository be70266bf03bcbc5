import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { seedTenants, TEST_PASSWORD, type Tenants } from '../../test/support/tenants.js';
import type { DatabaseHandle } from '../db/connect.js';
import { buildApp } from '../http/app.js';
import type { App } from '../http/types.js';
import { LoginThrottle } from './rate-limit.js';

const SCHOOL_PC = '192.0.2.10';
const HOME_PC = '198.51.100.7';
const WRONG = 'not-her-password-77';

describe.each(BACKENDS)('signing in under attack on %s', (backend) => {
  let database: DatabaseHandle;
  let app: App;
  let tenants: Tenants;
  let clock = 1_800_000_000_000;

  const signIn = (login: string, password: string, remoteAddress: string, headers: Record<string, string> = {}, on: App = app) =>
    on.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password }, remoteAddress, headers: { 'accept-language': 'ru', ...headers } });

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    app = await testApp(database);
    app.loginThrottle = new LoginThrottle({ now: () => clock });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it("slows the guesser's address with a growing delay while the owner signs in from another address at once", async () => {
    for (let i = 0; i < 3; i++) expect((await signIn('librarian-a', WRONG, SCHOOL_PC)).statusCode).toBe(401);
    // The fourth try from that address waits a second, even with the right password.
    const held = await signIn('librarian-a', TEST_PASSWORD, SCHOOL_PC);
    expect(held.statusCode).toBe(429);
    expect(held.headers['retry-after']).toBe('1');
    expect(held.json().error).toMatchObject({ code: 'auth.too_many_attempts', message: 'Слишком много неудачных попыток. Повторите через 1 с' });

    // The owner at home is not locked out.
    expect((await signIn('librarian-a', TEST_PASSWORD, HOME_PC)).statusCode).toBe(200);

    // Each further failure doubles the wait: 1 s, 2 s, 4 s.
    clock += 1000;
    expect((await signIn('librarian-a', WRONG, SCHOOL_PC)).statusCode).toBe(401);
    expect((await signIn('librarian-a', WRONG, SCHOOL_PC)).headers['retry-after']).toBe('2');
    clock += 2000;
    expect((await signIn('librarian-a', WRONG, SCHOOL_PC)).statusCode).toBe(401);
    expect((await signIn('librarian-a', WRONG, SCHOOL_PC)).headers['retry-after']).toBe('4');

    // A forged X-Forwarded-For from a client that is not a configured proxy changes nothing.
    const forged = await signIn('librarian-a', WRONG, SCHOOL_PC, { 'x-forwarded-for': '203.0.113.99' });
    expect(forged.statusCode).toBe(429);

    // Once the wait is over, the right password signs in and clears the count.
    clock += 4000;
    expect((await signIn('librarian-a', TEST_PASSWORD, SCHOOL_PC)).statusCode).toBe(200);
    expect((await signIn('librarian-a', WRONG, SCHOOL_PC)).statusCode).toBe(401);
  });

  it('believes X-Forwarded-For only from the proxies named in the configuration', async () => {
    const proxied = await buildApp({
      database,
      webDist: '/nonexistent',
      trustedProxies: ['10.0.0.1'],
      loginThrottle: new LoginThrottle({ now: () => clock }),
      backups: { dir: path.join(os.tmpdir(), `kitaphana-test-backups-${process.pid}`), keepDays: 2, everyHours: 0 },
    });
    await proxied.ready();
    try {
      for (let i = 0; i < 3; i++) expect((await signIn('teacher-a', WRONG, '10.0.0.1', { 'x-forwarded-for': SCHOOL_PC }, proxied)).statusCode).toBe(401);
      expect((await signIn('teacher-a', TEST_PASSWORD, '10.0.0.1', { 'x-forwarded-for': SCHOOL_PC }, proxied)).statusCode).toBe(429);
      // Through the proxy the client's own address counts: the teacher at home gets in.
      expect((await signIn('teacher-a', TEST_PASSWORD, '10.0.0.1', { 'x-forwarded-for': HOME_PC }, proxied)).statusCode).toBe(200);
      const lines = await database.db
        .selectFrom('org.audit_log')
        .select('details')
        .where('action', '=', 'login_failed')
        .where('organisation_id', '=', tenants.schoolA.id)
        .execute();
      expect(lines.map((l) => l.details)).toContainEqual({ login: 'teacher-a', address: SCHOOL_PC });
    } finally {
      await proxied.close();
    }
  });

  it('writes every failed sign-in to the audit log with the login and the address, never the password', async () => {
    const lines = await database.db
      .selectFrom('org.audit_log')
      .select(['organisation_id', 'user_id', 'entity', 'entity_id', 'details'])
      .where('action', '=', 'login_failed')
      .execute();
    const own = lines.filter((l) => (l.details as { login: string }).login === 'librarian-a');
    expect(own.length).toBeGreaterThanOrEqual(6);
    expect(own[0]).toMatchObject({
      organisation_id: tenants.schoolA.id,
      user_id: null,
      entity: 'user',
      entity_id: String(tenants.librarianA.userId),
      details: { login: 'librarian-a', address: SCHOOL_PC },
    });
    expect(JSON.stringify(lines)).not.toContain(WRONG);
    // An unknown login is logged too, under no library.
    await signIn('nobody-here', WRONG, HOME_PC);
    const unknown = await database.db.selectFrom('org.audit_log').select(['organisation_id', 'details']).where('action', '=', 'login_failed').where('entity_id', 'is', null).execute();
    expect(unknown).toContainEqual({ organisation_id: null, details: { login: 'nobody-here', address: HOME_PC } });
  });
});
