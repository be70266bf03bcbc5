import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, testApp } from '../../test/support/api.js';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, TEST_PASSWORD, type Tenants } from '../../test/support/tenants.js';
import type { DatabaseHandle, Db } from '../db/connect.js';
import type { App } from '../http/types.js';
import { createUser } from '../org/users.js';
import { addDays, localDate } from '../shared/library-time.js';

describe.each(BACKENDS)('the reservation API on %s', (backend) => {
  let database: DatabaseHandle;
  let db: Db;
  let app: App;
  let tenants: Tenants;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    db = database.db;
    tenants = await seedTenants(db);
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const signedIn = async (login: string, locale = 'en') => {
    const api = new ApiClient(app, locale);
    expect((await api.login(login)).status).toBe(200);
    return api;
  };

  it('lets a parent reserve a book on loan for the child, the desk see it at the return, and the child get it', async () => {
    const A = tenants.schoolA.id;
    const work = await makeWork(db, { title: 'Балалық шаққа саяхат', authors: ['Бердібек Соқпақбаев'] });
    const copy = await makeCopy(db, A, work);
    const child = await makeReader(db, A, { lastName: 'Қасымова', firstName: 'Айым', grade: 4, classLetter: 'Б' });
    const holder = await makeReader(db, A, { lastName: 'Серікұлы', firstName: 'Нұрлан' });
    await createUser(db, null, { login: 'aiym-mother', password: TEST_PASSWORD, fullName: 'Қасымова Гүлнар', role: 'parent', organisationId: A, readerId: child.id });
    const desk = await signedIn('librarian-a');
    const parent = await signedIn('aiym-mother', 'kk');

    // on the shelf: told so, in the user's language
    const onShelf = await parent.post('/api/circulation/my-reservations', { workId: work });
    expect(onShelf.status).toBe(409);
    expect(onShelf.body.error).toEqual({ code: 'circulation.reserve_on_shelf', message: '«Балалық шаққа саяхат» сөреде тұр (1 дана): брондаудың қажеті жоқ, кітапханаға келіп алыңыз', params: { title: 'Балалық шаққа саяхат', count: 1 } });

    const loan = await desk.post('/api/circulation/issue', { readerId: holder.id, barcode: copy.barcode });
    expect(loan.body).toMatchObject({ reserved: false, canRenew: true });
    const placed = await parent.post('/api/circulation/my-reservations', { workId: work });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ title: 'Балалық шаққа саяхат', readerName: 'Қасымова Айым', status: 'waiting', place: 1 });
    expect((await parent.get('/api/circulation/my-reservations')).body.items.map((r: { id: number }) => r.id)).toEqual([placed.body.id]);
    // the holder may not renew while someone waits
    const loans = await desk.get(`/api/circulation/loans?readerId=${holder.id}&status=open`);
    expect(loans.body.items[0]).toMatchObject({ reserved: true, canRenew: false });
    const renew = await desk.post(`/api/circulation/loans/${loan.body.loanId}/renew`, undefined);
    expect(renew.status).toBe(409);
    expect(renew.body.error.code).toBe('circulation.renewal_reserved');

    // the return tells the desk to put it aside for her
    const today = localDate();
    const back = await desk.post('/api/circulation/return', { barcode: copy.barcode });
    expect(back.status).toBe(200);
    expect(back.body.hold).toEqual({ reservationId: placed.body.id, readerId: child.id, readerName: 'Қасымова Айым', className: '4Б', holdUntil: addDays(today, 7) });
    const shelf = await desk.get('/api/circulation/hold-shelf');
    expect(shelf.body.held).toEqual([expect.objectContaining({ barcode: copy.barcode, readerName: 'Қасымова Айым', className: '4Б', holdUntil: addDays(today, 7) })]);
    expect((await parent.get('/api/circulation/my-reservations')).body.items[0]).toMatchObject({ status: 'held', holdUntil: addDays(today, 7) });

    // another reader at the desk is refused; issued to her, the reservation is fulfilled
    // (the issue route: a scan of the same copy within seconds of its return would be taken for a bounce)
    const other = await desk.post('/api/circulation/issue?lang=ru', { barcode: copy.barcode, readerId: holder.id });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toBe(`Экземпляр ${copy.barcode} забронирован: отложен для читателя Қасымова Айым, 4Б до ${addDays(today, 7).split('-').reverse().join('.')}. Выдать его другому читателю нельзя`);
    const issued = await desk.post('/api/circulation/issue', { barcode: copy.barcode, readerId: child.id });
    expect(issued.status).toBe(201);
    expect((await parent.get('/api/circulation/my-reservations')).body.items).toEqual([]);
    expect((await parent.get('/api/circulation/my-loans')).body.items.map((l: { title: string }) => l.title)).toEqual(['Балалық шаққа саяхат']);
  });

  it('keeps the desk’s routes to the library’s staff, and sets the rule with checked numbers', async () => {
    const desk = await signedIn('librarian-a');
    expect((await desk.get('/api/circulation/reservation-rules')).body).toEqual({ maxActive: 3, holdDays: 7 });
    const bad = await desk.put('/api/circulation/reservation-rules?lang=ru', { maxActive: 2, holdDays: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('Дней хранения брони');
    expect((await desk.put('/api/circulation/reservation-rules', { maxActive: 2, holdDays: 5 })).body).toEqual({ maxActive: 2, holdDays: 5 });
    expect((await desk.get('/api/circulation/reservation-rules')).body).toEqual({ maxActive: 2, holdDays: 5 });
    // the other school keeps the defaults
    expect((await (await signedIn('librarian-b')).get('/api/circulation/reservation-rules')).body).toEqual({ maxActive: 3, holdDays: 7 });
    const teacher = await signedIn('teacher-a');
    for (const url of ['/api/circulation/reservations', '/api/circulation/hold-shelf', '/api/circulation/reservation-rules', '/api/circulation/my-reservations']) {
      expect((await teacher.get(url)).status).toBe(403);
    }
    expect((await new ApiClient(app).get('/api/circulation/my-reservations')).status).toBe(401);
  });
});
