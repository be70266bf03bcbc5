import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, TEST_PASSWORD, type Tenants } from '../../test/support/tenants.js';
import type { Actor } from '../auth/actor.js';
import type { Db, DatabaseHandle } from '../db/connect.js';
import { createUser } from '../org/users.js';
import { eraseOneReader } from '../readers/anonymise.js';
import { subjectData } from '../readers/privacy.js';
import { AppError } from '../shared/errors.js';
import { readerPanel, scan } from './desk.js';
import { issueCopy, renewLoan, returnCopy } from './loans.js';
import { renewMyLoan } from './my-loans.js';
import { runReservationJob } from './reservation-job.js';
import { notifyHolds } from './reservation-mail.js';
import {
  cancelMyReservation,
  cancelReservation,
  holdShelf,
  listReservations,
  myReservations,
  placeMyReservation,
  placeReservation,
  replaceReservationRules,
  reservationRules,
  RESERVATION_DEFAULTS,
} from './reservations.js';

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe.each(BACKENDS)('reservations of books on loan on %s', (backend) => {
  let database: DatabaseHandle;
  let db: Db;
  let tenants: Tenants;
  let librarian: Actor;
  let A: number;
  let counter = 0;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    db = database.db;
    tenants = await seedTenants(db);
    librarian = tenants.librarianA;
    A = tenants.schoolA.id;
  });
  afterAll(async () => {
    await database?.close();
  });

  /** A pupil's own account (student role) linked to the reader. */
  async function pupilAccount(readerId: number, organisationId = A): Promise<Actor> {
    const login = `pupil-${backend}-${++counter}`;
    const userId = await createUser(db, null, { login, password: TEST_PASSWORD, fullName: login, role: 'student', organisationId, classGrade: null, classLetter: null, readerId });
    const org = await db.selectFrom('org.organisations').select('path').where('id', '=', organisationId).executeTakeFirstOrThrow();
    return { userId, login, fullName: login, role: 'student', organisationId, orgPath: org.path, classGrade: null, classLetter: null, readerId, locale: 'kk' };
  }

  const reservationsOf = async (workId: number) =>
    db.selectFrom('circulation.reservations').select(['reader_id', 'status', 'copy_id', 'hold_until', 'loan_id']).where('work_id', '=', workId).orderBy('id').execute();

  it('queues readers in order, holds the returned copy for the first, refuses it to others and fulfils it at the issue', async () => {
    const work = await makeWork(db, { title: 'Көксерек', authors: ['Мұхтар Әуезов'] });
    const copy = await makeCopy(db, A, work);
    const holder = await makeReader(db, A, { lastName: 'Оспанов', firstName: 'Ерлан', grade: 6, classLetter: 'А' });
    const aru = await makeReader(db, A, { lastName: 'Сәрсенова', firstName: 'Аружан', grade: 5, classLetter: 'Ә' });
    const dan = await makeReader(db, A, { lastName: 'Омаров', firstName: 'Данияр', grade: 5, classLetter: 'Ә' });
    const zhan = await makeReader(db, A, { lastName: 'Ахметова', firstName: 'Жанар', grade: 7, classLetter: 'Б' });
    const day = '2026-03-02';
    const loan = await issueCopy(db, librarian, { readerId: holder.id, barcode: copy.barcode, today: day });
    expect(loan.reserved).toBe(false);

    // Aruzhan reserves on her phone, the librarian places two more at the desk: first placed, first served.
    const aruzhan = await pupilAccount(aru.id);
    const first = await placeMyReservation(db, aruzhan, { workId: work, today: day });
    expect(first).toMatchObject({ title: 'Көксерек', authors: ['Мұхтар Әуезов'], readerName: 'Сәрсенова Аружан', className: '5Ә', status: 'waiting', place: 1 });
    await placeReservation(db, librarian, { readerId: dan.id, workId: work, today: day });
    await placeReservation(db, librarian, { readerId: zhan.id, workId: work, today: day });
    expect((await listReservations(db, librarian)).filter((r) => r.workId === work).map((r) => [r.readerName, r.place])).toEqual([
      ['Сәрсенова Аружан', 1],
      ['Омаров Данияр', 2],
      ['Ахметова Жанар', 3],
    ]);
    expect((await myReservations(db, aruzhan, day)).map((r) => [r.title, r.status, r.place])).toEqual([['Көксерек', 'waiting', 1]]);
    // the reservations are written down with who placed them
    const lines = await db.selectFrom('org.audit_log').select(['action', 'user_id']).where('entity', '=', 'reservation').where('entity_id', '=', String(first.id)).execute();
    expect(lines).toEqual([{ action: 'reserve', user_id: aruzhan.userId }]);

    // Others wait, so the holder cannot renew the book, at the desk or from home.
    const panel = await readerPanel(db, librarian, holder.id, day);
    expect(panel.loans[0]).toMatchObject({ reserved: true, canRenew: false });
    const refused = await refusal(renewLoan(db, librarian, { loanId: loan.loanId, today: '2026-03-05' }));
    expect(refused).toMatchObject({ code: 'circulation.renewal_reserved', status: 409, params: { title: 'Көксерек' } });
    const holderAccount = await pupilAccount(holder.id);
    expect((await refusal(renewMyLoan(db, holderAccount, { loanId: loan.loanId, today: '2026-03-05' }))).code).toBe('circulation.renewal_reserved');

    // The return holds the copy for Aruzhan for 7 days (the default), and says so to the desk.
    const back = await returnCopy(db, librarian, { barcode: copy.barcode, today: '2026-03-06' });
    expect(back.hold).toEqual({ reservationId: first.id, readerId: aru.id, readerName: 'Сәрсенова Аружан', className: '5Ә', holdUntil: '2026-03-13' });
    expect((await reservationsOf(work)).map((r) => [r.reader_id, r.status, r.copy_id, r.hold_until])).toEqual([
      [aru.id, 'held', copy.id, '2026-03-13'],
      [dan.id, 'waiting', null, null],
      [zhan.id, 'waiting', null, null],
    ]);
    expect((await myReservations(db, aruzhan, '2026-03-06'))[0]).toMatchObject({ status: 'held', holdUntil: '2026-03-13', place: null });
    const shelf = await holdShelf(db, librarian, '2026-03-06');
    expect(shelf.held.map((h) => [h.barcode, h.readerName, h.className, h.holdUntil])).toEqual([[copy.barcode, 'Сәрсенова Аружан', '5Ә', '2026-03-13']]);
    expect((await readerPanel(db, librarian, aru.id, '2026-03-06')).reservations).toEqual([
      { id: first.id, workId: work, title: 'Көксерек', status: 'held', place: null, barcode: copy.barcode, holdUntil: '2026-03-13' },
    ]);
    // Daniyar moved up to first in the queue.
    expect((await listReservations(db, librarian, { status: 'waiting' })).filter((r) => r.workId === work).map((r) => r.place)).toEqual([1, 2]);

    // Issuing the held copy to Daniyar is refused by name, at the issue and at the scan; nothing is written.
    const notHis = await refusal(issueCopy(db, librarian, { readerId: dan.id, barcode: copy.barcode, today: '2026-03-07' }));
    expect(notHis).toMatchObject({ code: 'circulation.copy_on_hold', status: 409, params: { barcode: copy.barcode, reader: 'Сәрсенова Аружан, 5Ә', until: '13.03.2026' } });
    expect((await refusal(scan(db, librarian, { code: copy.barcode, readerId: dan.id, today: '2026-03-07' }))).code).toBe('circulation.copy_on_hold');
    const loansOfCopy = await db.selectFrom('circulation.loans').select('id').where('copy_id', '=', copy.id).execute();
    expect(loansOfCopy).toHaveLength(1);

    // Issued to Aruzhan, the reservation is fulfilled by the loan; the others still wait, so no renewal for her.
    const hers = await scan(db, librarian, { code: copy.barcode, readerId: aru.id, today: '2026-03-07' });
    expect(hers.action).toBe('issued');
    if (hers.action !== 'issued') return;
    expect(hers.loan).toMatchObject({ reserved: true, canRenew: false });
    const rows = await reservationsOf(work);
    expect(rows[0]).toMatchObject({ status: 'fulfilled', loan_id: hers.loan.loanId });
    expect(hers.panel.reservations).toEqual([]);
    const issueLine = await db.selectFrom('org.audit_log').select('details').where('entity', '=', 'loan').where('entity_id', '=', String(hers.loan.loanId)).executeTakeFirstOrThrow();
    expect(issueLine.details).toMatchObject({ reservationId: first.id });
    expect((await holdShelf(db, librarian, '2026-03-07')).held).toEqual([]);
    expect(await myReservations(db, aruzhan, '2026-03-07')).toEqual([]);

    // Back again: held for Daniyar; he does not come, and after the last day it passes to Zhanar.
    const again = await scan(db, librarian, { code: copy.barcode, today: '2026-03-10' });
    expect(again.action === 'returned' && again.hold).toMatchObject({ readerName: 'Омаров Данияр', holdUntil: '2026-03-17' });
    // on the last day the hold still stands
    expect((await holdShelf(db, librarian, '2026-03-17')).held.map((h) => h.readerName)).toEqual(['Омаров Данияр']);
    // the day after, an issue to someone else meets the next hold: the copy now waits for Zhanar
    const late = await refusal(issueCopy(db, librarian, { readerId: holder.id, barcode: copy.barcode, today: '2026-03-18' }));
    expect(late).toMatchObject({ code: 'circulation.copy_on_hold', params: { reader: 'Ахметова Жанар, 7Б', until: '25.03.2026' } });
    // the refused issue wrote nothing, the passing on included; reading the hold shelf settles it for good
    expect((await reservationsOf(work)).map((r) => r.status)).toEqual(['fulfilled', 'held', 'waiting']);
    expect((await holdShelf(db, librarian, '2026-03-18')).held.map((h) => [h.readerName, h.holdUntil])).toEqual([['Ахметова Жанар', '2026-03-25']]);
    expect((await reservationsOf(work)).map((r) => [r.reader_id, r.status])).toEqual([
      [aru.id, 'fulfilled'],
      [dan.id, 'expired'],
      [zhan.id, 'held'],
    ]);
    const expiry = await db.selectFrom('org.audit_log').select(['action', 'user_id']).where('entity', '=', 'reservation').where('action', 'in', ['expire', 'hold']).orderBy('id').execute();
    expect(expiry.map((l) => l.action)).toEqual(['hold', 'hold', 'expire', 'hold']);
    expect(expiry[2]!.user_id).toBeNull();

    // Zhanar cancels at the desk: nobody is left, the copy is free for anyone.
    const zhanars = (await listReservations(db, librarian, { status: 'held' })).find((r) => r.readerId === zhan.id)!;
    expect((await cancelReservation(db, librarian, { id: zhanars.id, today: '2026-03-18' })).status).toBe('cancelled');
    expect((await refusal(cancelReservation(db, librarian, { id: zhanars.id, today: '2026-03-18' }))).code).toBe('circulation.reservation_closed');
    const anyone = await issueCopy(db, librarian, { readerId: holder.id, barcode: copy.barcode, today: '2026-03-18' });
    expect(anyone.reserved).toBe(false);
  });

  it('lets a hold run out when its list is read, with nobody next: the copy goes back on the shelf', async () => {
    const work = await makeWork(db, { title: 'Қараш-Қараш оқиғасы' });
    const copy = await makeCopy(db, A, work);
    const holder = await makeReader(db, A, { firstName: 'Бірінші' });
    const waiting = await makeReader(db, A, { firstName: 'Екінші' });
    await issueCopy(db, librarian, { readerId: holder.id, barcode: copy.barcode, today: '2026-04-01' });
    const account = await pupilAccount(waiting.id);
    await placeMyReservation(db, account, { workId: work, today: '2026-04-01' });
    await replaceReservationRules(db, librarian, { maxActive: 3, holdDays: 2 });
    try {
      const back = await returnCopy(db, librarian, { barcode: copy.barcode, today: '2026-04-02' });
      expect(back.hold?.holdUntil).toBe('2026-04-04');
      // read by the pupil after the last day: expired, shown as such, and on the hold shelf's list of copies to put back
      const mine = await myReservations(db, account, '2026-04-05');
      expect(mine.map((r) => [r.status, r.barcode])).toEqual([['expired', copy.barcode]]);
      const shelf = await holdShelf(db, librarian, '2026-04-05');
      expect(shelf.held.filter((h) => h.workId === work)).toEqual([]);
      expect(shelf.expired.filter((h) => h.workId === work).map((h) => [h.barcode, h.readerId])).toEqual([[copy.barcode, waiting.id]]);
      // reserving it again: it is on the shelf now
      const onShelf = await refusal(placeMyReservation(db, account, { workId: work, today: '2026-04-05' }));
      expect(onShelf).toMatchObject({ code: 'circulation.reserve_on_shelf', params: { title: 'Қараш-Қараш оқиғасы', count: 1 } });
      // once issued the copy leaves that list
      await issueCopy(db, librarian, { readerId: holder.id, barcode: copy.barcode, today: '2026-04-05' });
      expect((await holdShelf(db, librarian, '2026-04-05')).expired.filter((h) => h.workId === work)).toEqual([]);
    } finally {
      await replaceReservationRules(db, librarian, { ...RESERVATION_DEFAULTS });
    }
  });

  it('passes the held copy on when its reader takes another copy of the title', async () => {
    const work = await makeWork(db, { title: 'Ақбілек' });
    const one = await makeCopy(db, A, work);
    const two = await makeCopy(db, A, work);
    const [x, y, first, second] = [await makeReader(db, A), await makeReader(db, A), await makeReader(db, A, { firstName: 'Алғашқы' }), await makeReader(db, A, { firstName: 'Келесі' })];
    await issueCopy(db, librarian, { readerId: x.id, barcode: one.barcode, today: '2026-05-04' });
    await issueCopy(db, librarian, { readerId: y.id, barcode: two.barcode, today: '2026-05-04' });
    await placeReservation(db, librarian, { readerId: first.id, workId: work, today: '2026-05-04' });
    await placeReservation(db, librarian, { readerId: second.id, workId: work, today: '2026-05-04' });
    // copy one comes back for «first»; copy two comes back for «second»
    expect((await returnCopy(db, librarian, { barcode: one.barcode, today: '2026-05-05' })).hold?.readerId).toBe(first.id);
    expect((await returnCopy(db, librarian, { barcode: two.barcode, today: '2026-05-05' })).hold?.readerId).toBe(second.id);
    // copy one waits for «first» only
    expect((await refusal(issueCopy(db, librarian, { readerId: second.id, barcode: one.barcode, today: '2026-05-06' }))).code).toBe('circulation.copy_on_hold');
    // «first» cancels; copy one has nobody next and is free
    const held = await listReservations(db, librarian, { readerId: first.id });
    await cancelReservation(db, librarian, { id: held[0]!.id, today: '2026-05-06' });
    // «second» takes copy one instead of the copy held: the reservation is fulfilled, copy two is free again
    const loan = await issueCopy(db, librarian, { readerId: second.id, barcode: one.barcode, today: '2026-05-06' });
    expect(loan.reserved).toBe(false);
    expect((await reservationsOf(work)).map((r) => r.status)).toEqual(['cancelled', 'fulfilled']);
    expect((await holdShelf(db, librarian, '2026-05-06')).held.filter((h) => h.workId === work)).toEqual([]);
    await issueCopy(db, librarian, { readerId: x.id, barcode: two.barcode, today: '2026-05-06' });
  });

  it('refuses what cannot be reserved, with nothing written', async () => {
    const work = await makeWork(db, { title: 'Алпамыс батыр' });
    const copy = await makeCopy(db, A, work);
    const other = await makeCopy(db, A, work);
    const holder = await makeReader(db, A);
    const pupil = await makeReader(db, A, { lastName: 'Нұрланова', firstName: 'Әлия' });
    const account = await pupilAccount(pupil.id);
    const day = '2026-06-01';
    const before = await db.selectFrom('circulation.reservations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();

    // a copy is on the shelf: told so, not queued
    const shelf = await refusal(placeMyReservation(db, account, { workId: work, today: day }));
    expect(shelf).toMatchObject({ code: 'circulation.reserve_on_shelf', status: 409, params: { title: 'Алпамыс батыр', count: 2 } });
    await issueCopy(db, librarian, { readerId: holder.id, barcode: copy.barcode, today: day });
    await issueCopy(db, librarian, { readerId: pupil.id, barcode: other.barcode, today: day });
    // the pupil has one at home
    expect((await refusal(placeMyReservation(db, account, { workId: work, today: day }))).code).toBe('circulation.reserve_at_home');
    // a title the school does not keep
    const elsewhere = await makeWork(db, { title: 'Басқа мектептің кітабы' });
    await makeCopy(db, tenants.schoolB.id, elsewhere);
    expect((await refusal(placeMyReservation(db, account, { workId: elsewhere, today: day }))).code).toBe('circulation.reserve_no_copies');
    // an unknown title
    expect((await refusal(placeMyReservation(db, account, { workId: 999_999_999, today: day }))).status).toBe(404);
    // a reader of another school, by the librarian of that school or of this one
    const readerB = await makeReader(db, tenants.schoolB.id);
    expect((await refusal(placeReservation(db, librarian, { readerId: readerB.id, workId: work, today: day }))).status).toBe(404);
    expect((await refusal(placeReservation(db, tenants.librarianB, { readerId: holder.id, workId: work, today: day }))).status).toBe(404);
    // a pupil of another school, for a title only this school keeps
    const pupilB = await pupilAccount(readerB.id, tenants.schoolB.id);
    expect((await refusal(placeMyReservation(db, pupilB, { workId: work, today: day }))).code).toBe('circulation.reserve_no_copies');
    // a reader who left, and one whose data is blocked
    const left = await makeReader(db, A, { lastName: 'Кеткенов' });
    await db.updateTable('readers.readers').set({ status: 'left', left_on: '2026-05-31' }).where('id', '=', left.id).execute();
    expect(await refusal(placeReservation(db, librarian, { readerId: left.id, workId: work, today: day }))).toMatchObject({ code: 'circulation.reserve_reader_inactive', status: 409 });
    const blocked = await makeReader(db, A, { lastName: 'Бұғатталған' });
    await db.updateTable('readers.readers').set({ blocked_at: new Date() }).where('id', '=', blocked.id).execute();
    expect((await refusal(placeReservation(db, librarian, { readerId: blocked.id, workId: work, today: day }))).code).toBe('circulation.reserve_reader_inactive');
    // a teacher or a methodologist cannot place one at all
    expect((await refusal(placeReservation(db, tenants.teacherA, { readerId: holder.id, workId: work, today: day }))).status).toBe(403);
    expect((await refusal(placeMyReservation(db, librarian, { workId: work, today: day }))).status).toBe(403);
    const after = await db.selectFrom('circulation.reservations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('keeps one reservation per title and the library’s limit per reader', async () => {
    const reader = await makeReader(db, A, { lastName: 'Көпоқыр', firstName: 'Ұлан' });
    const account = await pupilAccount(reader.id);
    const someone = await makeReader(db, A);
    const day = '2026-06-02';
    const titles: number[] = [];
    for (let i = 1; i <= 4; i++) {
      const work = await makeWork(db, { title: `Ертегілер ${i}` });
      const copy = await makeCopy(db, A, work);
      await issueCopy(db, librarian, { readerId: someone.id, barcode: copy.barcode, today: day });
      titles.push(work);
    }
    expect(await reservationRules(db, A)).toEqual({ maxActive: 3, holdDays: 7 });
    await placeMyReservation(db, account, { workId: titles[0]!, today: day });
    expect(await refusal(placeMyReservation(db, account, { workId: titles[0]!, today: day }))).toMatchObject({ code: 'circulation.reserve_duplicate', params: { title: 'Ертегілер 1' } });
    await placeMyReservation(db, account, { workId: titles[1]!, today: day });
    await placeMyReservation(db, account, { workId: titles[2]!, today: day });
    expect(await refusal(placeMyReservation(db, account, { workId: titles[3]!, today: day }))).toMatchObject({ code: 'circulation.reserve_limit', params: { max: 3 } });
    // a cancelled one frees a place; the library may also allow more
    const mine = await myReservations(db, account, day);
    expect(mine.map((r) => r.title)).toEqual(['Ертегілер 1', 'Ертегілер 2', 'Ертегілер 3']);
    await cancelMyReservation(db, account, { id: mine[0]!.id, today: day });
    await placeMyReservation(db, account, { workId: titles[3]!, today: day });
    // a pupil cannot cancel another reader's reservation
    const other = await pupilAccount(someone.id);
    expect((await refusal(cancelMyReservation(db, other, { id: mine[1]!.id, today: day }))).status).toBe(404);
    // nor can another school's librarian
    expect((await refusal(cancelReservation(db, tenants.librarianB, { id: mine[1]!.id, today: day }))).status).toBe(404);
  });

  it('tells the reader by e-mail once, exports the reservations with the reader’s data and erases them with it', async () => {
    const work = await makeWork(db, { title: 'Қан мен тер' });
    const copy = await makeCopy(db, A, work);
    const holder = await makeReader(db, A);
    const reader = await makeReader(db, A, { lastName: 'Хатова', firstName: 'Мадина' });
    await db.updateTable('readers.readers').set({ email: 'madina@example.kz' }).where('id', '=', reader.id).execute();
    const account = await pupilAccount(reader.id);
    await issueCopy(db, librarian, { readerId: holder.id, barcode: copy.barcode, today: '2026-06-03' });
    const placed = await placeMyReservation(db, account, { workId: work, today: '2026-06-03' });
    await returnCopy(db, librarian, { barcode: copy.barcode, today: '2026-06-04' });

    const sent: { to: string; subject: string; text: string }[] = [];
    const transport = { sendMail: async (m: { to: string; subject: string; text: string }) => void sent.push(m) };
    // without SMTP and without a transport nothing is sent
    expect(await notifyHolds(db, A, { env: {} })).toBe(0);
    expect(await notifyHolds(db, A, { transport })).toBe(1);
    expect(sent).toEqual([expect.objectContaining({ to: 'madina@example.kz', subject: '«Қан мен тер» кітабы сізді күтіп тұр' })]);
    expect(sent[0]!.text).toContain('11.06.2026 дейін');
    expect(await notifyHolds(db, A, { transport })).toBe(0);
    const told = await db.selectFrom('circulation.reservations').select('notified_at').where('id', '=', placed.id).executeTakeFirstOrThrow();
    expect(told.notified_at).not.toBeNull();

    const data = await subjectData(db, librarian, reader.id);
    expect(data.tables['circulation.reservations']).toEqual([expect.objectContaining({ id: placed.id, work_id: work, status: 'held' })]);

    // erased on request (the reader holds no book): the reservation goes, the copy is free
    await eraseOneReader(db, librarian, reader.id);
    expect(await db.selectFrom('circulation.reservations').select('id').where('reader_id', '=', reader.id).execute()).toEqual([]);
    await issueCopy(db, librarian, { readerId: holder.id, barcode: copy.barcode, today: '2026-06-05' });
  });

  it('removes closed reservations after 30 days in the hourly round, and expires holds there too', async () => {
    const work = await makeWork(db, { title: 'Ұшқан ұя' });
    const copy = await makeCopy(db, A, work);
    const holder = await makeReader(db, A);
    const reader = await makeReader(db, A);
    await issueCopy(db, librarian, { readerId: holder.id, barcode: copy.barcode, today: '2026-01-10' });
    const placed = await placeReservation(db, librarian, { readerId: reader.id, workId: work, today: '2026-01-10' });
    await returnCopy(db, librarian, { barcode: copy.barcode, today: '2026-01-11' });
    // the round runs on the library's real clock: the hold of January is long over
    const run = await runReservationJob(db, { env: {} });
    expect(run.expired).toBeGreaterThanOrEqual(1);
    expect((await db.selectFrom('circulation.reservations').select('status').where('id', '=', placed.id).executeTakeFirstOrThrow()).status).toBe('expired');
    await db.updateTable('circulation.reservations').set({ closed_at: new Date('2026-01-20T10:00:00Z') }).where('id', '=', placed.id).execute();
    const second = await runReservationJob(db, { env: {} });
    expect(second.removed).toBeGreaterThanOrEqual(1);
    expect(await db.selectFrom('circulation.reservations').select('id').where('id', '=', placed.id).execute()).toEqual([]);
  });
});
