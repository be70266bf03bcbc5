import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/connect.js';
import type { App } from '../src/http/types.js';
import { ApiClient, testApp } from './support/api.js';
import { openTestDatabase } from './support/db.js';
import { seedTenants } from './support/tenants.js';

/** Input errors reach the user in the user's language, naming the field, never in zod's English. */
describe('translated input errors', () => {
  let database: DatabaseHandle;
  let app: App;
  let librarian: ApiClient;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await seedTenants(database.db);
    app = await testApp(database);
    librarian = new ApiClient(app);
    expect((await librarian.login('librarian-a')).status).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const ZOD_ENGLISH = /expected \w+, received|Too small:|Too big:|Invalid option/;

  it.each([
    ['kk', '«lastName» кемінде 1 таңбадан тұруы керек', '«firstName» толтырылмаған', '«birthDate»: күн ЖЖЖЖ-АА-КК түрінде болуы керек'],
    ['ru', '«lastName» должно содержать не меньше 1 символов', 'Не заполнено поле «firstName»', '«birthDate»: дата должна быть в виде ГГГГ-ММ-ДД'],
    ['en', '«lastName» must have at least 1 characters', '«firstName» is required', '«birthDate»: the date must look like YYYY-MM-DD'],
  ])('explains every wrong field of a reader form in %s', async (locale, tooShort, missing, badDate) => {
    expect((await librarian.put('/api/auth/locale', { locale })).status).toBeLessThan(300);
    const res = await librarian.post('/api/readers', { lastName: '', birthDate: '07.03.2014' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('common.validation');
    const messages = res.body.error.details.map((d: { message: string }) => d.message);
    expect(messages).toEqual(expect.arrayContaining([tooShort, missing, badDate]));
    expect(res.body.error.message).not.toMatch(ZOD_ENGLISH);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['/lastName', '/firstName', '/birthDate']));
  });

  it('names the allowed values of a choice and the kind of a wrong value', async () => {
    await librarian.put('/api/auth/locale', { locale: 'ru' });
    const res = await librarian.post('/api/readers', { lastName: 'Әлиев', firstName: 'Тимур', kind: 'pupil', grade: 'five' });
    expect(res.status).toBe(400);
    const text = res.body.error.message as string;
    expect(text).toContain('«kind»: допустимые значения — student, teacher, staff, parent, other');
    expect(text).toContain('«grade»: ожидается число');
    expect(text).not.toMatch(ZOD_ENGLISH);
  });

  it('answers an unknown API address in the user language', async () => {
    await librarian.put('/api/auth/locale', { locale: 'kk' });
    const res = await librarian.get('/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: 'common.no_such_route', message: 'Мұндай API мекенжайы жоқ' });
  });
});
