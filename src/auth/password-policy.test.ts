import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import type { DatabaseHandle } from '../db/connect.js';
import { DEMO_PASSWORD } from '../demo/seed.js';
import type { App } from '../http/types.js';
import { t } from '../i18n/index.js';
import { createUser } from '../org/users.js';
import { AppError } from '../shared/errors.js';
import { checkPasswordPolicy } from './password-policy.js';

function refusal(password: string, owner: Parameters<typeof checkPasswordPolicy>[1]): string | null {
  try {
    checkPasswordPolicy(password, owner);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).code;
  }
}

describe('the password policy', () => {
  const librarian = { login: 'saule.akhmetova', role: 'librarian' as const, fullName: 'Сәуле Ахметова' };
  const student = { login: 'aruzhan7', role: 'student' as const, fullName: 'Аружан Сәрсенова' };

  it('refuses common and guessable passwords, in English, Kazakh and Russian words', () => {
    for (const weak of ['password', '12345678', 'qwerty123', 'password123', 'kitaphana2026', 'қазақстан2024', 'Казахстан2024', 'кітапхана123', 'библиотека1', 'qazaqstan2024', 'йцукен123456']) {
      expect(refusal(weak, student), weak).not.toBeNull();
    }
  });

  it('refuses the login itself and the name, and asks librarians and admins for 10 characters', () => {
    expect(refusal('saule.akhmetova', librarian)).toBe('password.contains_login');
    expect(refusal('Saule.Akhmetova2026', librarian)).toBe('password.contains_login');
    expect(refusal('Ахметова1978!', librarian)).toBe('password.too_guessable');
    expect(refusal('Tau-9-kus!', { ...librarian })).toBe(null);
    expect(refusal('Tau-9-ku!', librarian)).toBe('password.too_short');
    expect(refusal('Tau-9-ku!', student)).toBe(null);
    expect(refusal('Тау-бұлақ-жаңбыр', librarian)).toBe(null);
    expect(refusal(DEMO_PASSWORD, librarian)).not.toBeNull();
  });

  it('says what is wrong in the reader’s language, with a code naming the password', () => {
    expect(t('kk', 'password.too_short', { min: 10 })).toBe('Құпиясөз кемінде 10 таңбадан тұруы керек');
    expect(t('ru', 'password.contains_login')).toBe('Пароль не должен содержать логин');
    expect(t('ru', 'password.too_guessable')).toMatch(/^Пароль легко угадать/);
  });
});

describe.each(BACKENDS)('accounts follow the policy on %s', (backend) => {
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

  it('refuses a weak password for a new account and a changed one, and writes nothing', async () => {
    const admin = new ApiClient(app, 'ru');
    await admin.login('admin');
    const weak = await admin.post('/api/users', { login: 'gulmira', password: 'qwerty123', fullName: 'Гүлмира Бейсенова', role: 'librarian', organisationId: tenants.schoolA.id });
    expect(weak.status).toBe(400);
    expect(weak.body.error).toMatchObject({ code: 'password.too_short', message: 'Құпиясөз кемінде 10 таңбадан тұруы керек' });
    const guessable = await admin.post('/api/users', { login: 'gulmira', password: 'kitaphana2026', fullName: 'Гүлмира Бейсенова', role: 'librarian', organisationId: tenants.schoolA.id });
    expect(guessable.body.error.code).toBe('password.too_guessable');
    expect(await database.db.selectFrom('org.users').select('id').where('login', '=', 'gulmira').executeTakeFirst()).toBeUndefined();
    const good = await admin.post('/api/users', { login: 'gulmira', password: 'Ertis-ozeni-7-tolqyn', fullName: 'Гүлмира Бейсенова', role: 'librarian', organisationId: tenants.schoolA.id });
    expect(good.status).toBe(201);
    const change = await admin.patch(`/api/users/${good.body.id}`, { password: 'gulmira2026' });
    expect(change.body.error.code).toBe('password.contains_login');
  });

  it("cleans direction overrides and zero-width characters from a user's login and name, and stores a teacher's class letter in Cyrillic", async () => {
    const id = await createUser(database.db, null, {
      login: 'ai\u200Bgul\u202E',
      password: 'Ertis-ozeni-7-tolqyn',
      fullName: '\u202EАйгүл\u200D  Оспанова\u2066',
      role: 'teacher',
      organisationId: tenants.schoolA.id,
      classGrade: 5,
      classLetter: 'B',
    });
    const row = await database.db.selectFrom('org.users').select(['login', 'full_name', 'class_letter']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ login: 'aigul', full_name: 'Айгүл Оспанова', class_letter: 'В' });
    const api = new ApiClient(app);
    expect((await api.login('ai\u200Bgul', 'Ertis-ozeni-7-tolqyn')).status).toBe(200);
    const librarian = new ApiClient(app);
    await librarian.login('librarian-a');
    expect((await librarian.patch(`/api/users/${id}`, { classLetter: 'a' })).status).toBe(204);
    const after = await database.db.selectFrom('org.users').select('class_letter').where('id', '=', id).executeTakeFirstOrThrow();
    expect(after.class_letter).toBe('А');
  });

  it('keeps the demo’s documented password for the demo only', async () => {
    await expect(createUser(database.db, null, { login: 'demo-x', password: DEMO_PASSWORD, fullName: 'Demo', role: 'librarian', organisationId: tenants.schoolA.id })).rejects.toMatchObject({ code: 'password.too_short' });
    await expect(createUser(database.db, null, { login: 'demo-x', password: DEMO_PASSWORD, fullName: 'Demo', role: 'librarian', organisationId: tenants.schoolA.id, demoPassword: true })).resolves.toBeGreaterThan(0);
  });
});
