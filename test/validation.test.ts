import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/connect.js';
import type { App } from '../src/http/types.js';
import { translateIssues } from '../src/http/validation.js';
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
    ['kk', '«Тегі» кемінде 1 таңбадан тұруы керек', '«Аты» толтырылмаған', '«Туған күні»: күн ЖЖЖЖ-АА-КК түрінде болуы керек'],
    ['ru', '«Фамилия» должно содержать не меньше 1 символов', 'Не заполнено поле «Имя»', '«Дата рождения»: дата должна быть в виде ГГГГ-ММ-ДД'],
    ['en', '«Last name» must have at least 1 characters', '«First name» is required', '«Birth date»: the date must look like YYYY-MM-DD'],
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
    expect(text).toContain('«Вид»: допустимые значения — student, teacher, staff, parent, other');
    expect(text).toContain('«Класс»: ожидается число');
    expect(text).not.toMatch(ZOD_ENGLISH);
  });

  it('names every field of every route in Kazakh and Russian, never by its English name', async () => {
    const doc = (await app.inject({ url: '/api/openapi.json' })).json();
    const names = new Set<string>();
    const walk = (schema: any): void => {
      if (!schema || typeof schema !== 'object') return;
      for (const [name, prop] of Object.entries<any>(schema.properties ?? {})) {
        names.add(name);
        walk(prop);
      }
      for (const inner of [schema.items, ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) walk(inner);
    };
    for (const methods of Object.values<any>(doc.paths)) {
      for (const op of Object.values<any>(methods)) {
        for (const p of op.parameters ?? []) names.add(p.name);
        walk(op.requestBody?.content?.['application/json']?.schema);
      }
    }
    expect(names.size).toBeGreaterThan(100);
    for (const locale of ['kk', 'ru'] as const) {
      for (const name of names) {
        for (const path of [name, `lines.0.${name}`]) {
          const [issue] = translateIssues(locale, [{ keyword: 'invalid_type', instancePath: `/${path.replace(/\./g, '/')}`, message: 'Invalid input: expected string, received undefined' }]);
          // ISBN, ISSN and BBK are written so in every language
          expect(issue!.message.replace(/ISBN|ISSN|BBK/g, ''), `${locale} ${path}`).not.toMatch(/[A-Za-z]/);
        }
      }
    }
    expect(translateIssues('ru', [{ keyword: 'invalid_type', instancePath: '/copies/0/inventoryNumber', message: 'Invalid input: expected string, received undefined' }])[0]!.message).toBe(
      'Не заполнено поле «Инвентарный номер»',
    );
  });

  it('names the field that holds a broken character in the reader\'s language', async () => {
    await librarian.put('/api/auth/locale', { locale: 'kk' });
    const res = await librarian.post('/api/readers', { lastName: 'Әли\u0000ев', firstName: 'Тимур' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'common.bad_text', details: { path: 'lastName' } });
    expect(res.body.error.message).toContain('«Тегі»');
  });

  it('answers an unknown API address in the user language', async () => {
    await librarian.put('/api/auth/locale', { locale: 'kk' });
    const res = await librarian.get('/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: 'common.no_such_route', message: 'Мұндай API мекенжайы жоқ' });
  });
});
