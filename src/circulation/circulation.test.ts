import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import type { Db, DatabaseHandle } from '../db/connect.js';
import { t } from '../i18n/index.js';
import { AppError } from '../shared/errors.js';
import { listDebtors } from './debtors.js';
import { readerPanel, scan } from './desk.js';
import { listLoans } from './loan-list.js';
import { issueCopy, renewLoan, returnCopy } from './loans.js';
import { replaceLoanRules } from './rules.js';
import { circulationStats } from './stats.js';

/** The AppError a call fails with; fails the test when it succeeds or fails otherwise. */
async function refusal(work: Promise<unknown>): Promise<AppError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function openLoansOfCopy(db: Db, copyId: number): Promise<number> {
  const row = await db
    .selectFrom('circulation.loans')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('copy_id', '=', copyId)
    .where('returned_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function copyStatus(db: Db, copyId: number): Promise<string> {
  const row = await db.selectFrom('fund.copies').select('status').where('id', '=', copyId).executeTakeFirstOrThrow();
  return row.status;
}

describe.each(BACKENDS)('the circulation desk on %s', (backend) => {
  let database: DatabaseHandle;
  let db: Db;
  let tenants: Tenants;
  let abaiJoly: number;
  let kozha: number;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    db = database.db;
    tenants = await seedTenants(db);
    abaiJoly = await makeWork(db, { title: 'Абай жолы', authors: ['Мұхтар Әуезов'] });
    kozha = await makeWork(db, { title: 'Менің атым Қожа', authors: ['Бердібек Соқпақбаев'] });
    // School A lends students books for 10 days, renewable once, at most 3 at a time.
    await replaceLoanRules(db, tenants.librarianA, [
      { readerKind: 'student', fund: null, loanDays: 10, maxRenewals: 1, maxLoans: 3 },
      { readerKind: 'student', fund: 'textbook', loanDays: 270, maxRenewals: 0, maxLoans: null },
    ]);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("runs a librarian's day with Aruzhan of 5 Ә", async () => {
    const librarian = tenants.librarianA;
    const aruzhan = await makeReader(db, tenants.schoolA.id, { lastName: 'Сәрсенова', firstName: 'Аружан', grade: 5, classLetter: 'Ә' });
    const abai = await makeCopy(db, tenants.schoolA.id, abaiJoly);
    const myName = await makeCopy(db, tenants.schoolA.id, kozha);
    const day = '2026-03-02';

    // Her card opens her panel and counts one visit, however often it is scanned that day.
    const opened = await scan(db, librarian, { code: ` ${aruzhan.barcode}\n`, today: day });
    expect(opened.action).toBe('reader_opened');
    if (opened.action !== 'reader_opened') return;
    expect(opened.panel.reader).toMatchObject({ id: aruzhan.id, fullName: 'Сәрсенова Аружан', className: '5Ә', kind: 'student' });
    expect(opened.panel.visitsThisYear).toBe(1);
    const again = await scan(db, librarian, { code: aruzhan.barcode, today: day });
    expect(again.panel!.visitsThisYear).toBe(1);

    // Two books, due in 10 days by the library's student rule.
    const first = await scan(db, librarian, { code: abai.barcode, readerId: aruzhan.id, today: day });
    const second = await scan(db, librarian, { code: myName.barcode, readerId: aruzhan.id, today: day });
    expect(first.action).toBe('issued');
    expect(second.action).toBe('issued');
    if (first.action !== 'issued' || second.action !== 'issued') return;
    expect(first.loan).toMatchObject({ title: 'Абай жолы', authors: ['Мұхтар Әуезов'], dueOn: '2026-03-12', renewals: 0, canRenew: true });
    expect(second.panel.loans.map((l) => l.title)).toEqual(['Абай жолы', 'Менің атым Қожа']);
    expect(await copyStatus(db, abai.id)).toBe('on_loan');
    const logged = await db
      .selectFrom('org.audit_log')
      .select(['action', 'user_id', 'organisation_id'])
      .where('entity', '=', 'loan')
      .where('entity_id', '=', String(first.loan.loanId))
      .execute();
    expect(logged).toEqual([{ action: 'issue', user_id: librarian.userId, organisation_id: tenants.schoolA.id }]);

    // Scanning «Абай жолы» again while she is open takes it back.
    const back = await scan(db, librarian, { code: abai.barcode, readerId: aruzhan.id, today: day });
    expect(back.action).toBe('returned');
    if (back.action !== 'returned') return;
    expect(back.loan.returnedAt).not.toBeNull();
    expect(back.panel!.loans.map((l) => l.title)).toEqual(['Менің атым Қожа']);
    expect(back.panel!.history.map((h) => h.title)).toEqual(['Абай жолы']);
    expect(back.panel!.loansThisYear).toBe(2);
    expect(await copyStatus(db, abai.id)).toBe('available');

    // Three days later the other book is renewed: 10 days from that day. Once only.
    const renewed = await renewLoan(db, librarian, { loanId: second.loan.loanId, today: '2026-03-05' });
    expect(renewed).toMatchObject({ dueOn: '2026-03-15', renewals: 1, canRenew: false });
    const limit = await refusal(renewLoan(db, librarian, { loanId: second.loan.loanId, today: '2026-03-06' }));
    expect(limit).toMatchObject({ code: 'circulation.renewal_limit', status: 409, params: { max: 1 } });

    // Not a debtor on the due date; on the list of 5 Ә the day after, once, with one overdue day.
    expect(await listDebtors(db, tenants.teacherA, { today: '2026-03-15' })).toEqual([]);
    const debtors = await listDebtors(db, tenants.teacherA, { today: '2026-03-16' });
    expect(debtors).toHaveLength(1);
    expect(debtors[0]).toMatchObject({ grade: 5, classLetter: 'Ә', className: '5Ә' });
    expect(debtors[0]!.readers).toEqual([
      {
        readerId: aruzhan.id,
        fullName: 'Сәрсенова Аружан',
        loans: [expect.objectContaining({ title: 'Менің атым Қожа', dueOn: '2026-03-15', overdueDays: 1 })],
      },
    ]);
    const overdue = (today: string) => listLoans(db, librarian, { status: 'overdue', readerId: aruzhan.id, limit: 10, offset: 0, today });
    expect((await overdue('2026-03-15')).total).toBe(0);
    expect((await overdue('2026-03-16')).items.map((l) => [l.title, l.overdueDays])).toEqual([['Менің атым Қожа', 1]]);
    const panel = await readerPanel(db, librarian, aruzhan.id, '2026-03-16');
    expect(panel.overdueCount).toBe(1);
    expect(panel.loans[0]).toMatchObject({ overdueDays: 1, canRenew: false });

    // The day's figures for the annual report: one visit, two loans, one return, all in grades 5–9.
    const stats = await circulationStats(db, librarian, { from: '2026-03-01', to: '2026-03-31' });
    expect(stats).toMatchObject({ visits: 1, loans: 2, returns: 1, organisationIds: [tenants.schoolA.id] });
    expect(stats.byGroup.find((g) => g.group === 'grades_5_9')).toEqual({ group: 'grades_5_9', visits: 1, loans: 2, returns: 1 });
    expect(stats.byGroup.find((g) => g.group === 'teachers')).toEqual({ group: 'teachers', visits: 0, loans: 0, returns: 0 });
  });

  it('keeps a class teacher to the own class', async () => {
    const other = await refusal(listDebtors(db, tenants.teacherA, { grade: 6, classLetter: 'А' }));
    expect(other).toMatchObject({ code: 'auth.forbidden', status: 403 });
    const letter = await refusal(listDebtors(db, tenants.teacherA, { grade: 5, classLetter: 'Б' }));
    expect(letter.status).toBe(403);
  });

  it('lets exactly one of two desks issue the same copy at the same moment', async () => {
    const copy = await makeCopy(db, tenants.schoolA.id, abaiJoly);
    const dana = await makeReader(db, tenants.schoolA.id, { lastName: 'Омарова', firstName: 'Дана' });
    const ermek = await makeReader(db, tenants.schoolA.id, { lastName: 'Серіков', firstName: 'Ермек' });
    const results = await Promise.allSettled([
      issueCopy(db, tenants.librarianA, { readerId: dana.id, barcode: copy.barcode }),
      issueCopy(db, tenants.librarianA, { readerId: ermek.id, barcode: copy.barcode }),
    ]);
    const issued = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(issued).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const err = refused[0]!.reason as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('circulation.copy_on_loan');
    expect(err.status).toBe(409);
    expect(['Омарова Дана', 'Серіков Ермек']).toContain(err.params.borrower);
    expect(await openLoansOfCopy(db, copy.id)).toBe(1);
  });

  it('lets the unique index refuse a second open loan of a copy', async () => {
    const copy = await makeCopy(db, tenants.schoolA.id, kozha);
    const asel = await makeReader(db, tenants.schoolA.id, { lastName: 'Нұрланова', firstName: 'Әсел' });
    const bota = await makeReader(db, tenants.schoolA.id, { lastName: 'Қасымова', firstName: 'Ботагөз' });
    await issueCopy(db, tenants.librarianA, { readerId: asel.id, barcode: copy.barcode });

    // Straight into the table: the database itself says no.
    const direct = db
      .insertInto('circulation.loans')
      .values({ organisation_id: tenants.schoolA.id, copy_id: copy.id, reader_id: bota.id, due_on: '2026-12-31' })
      .execute();
    await expect(direct).rejects.toMatchObject({ code: '23505' });

    // Even when the copy's status wrongly says it is on the shelf, the index stops the issue
    // and the desk still learns who has the book.
    await db.updateTable('fund.copies').set({ status: 'available' }).where('id', '=', copy.id).execute();
    const err = await refusal(issueCopy(db, tenants.librarianA, { readerId: bota.id, barcode: copy.barcode }));
    expect(err).toMatchObject({ code: 'circulation.copy_on_loan', params: { barcode: copy.barcode, borrower: 'Нұрланова Әсел' } });
    expect(t('kk', err.code, err.params)).toBe(`${copy.barcode} данасы қазір оқырманда: Нұрланова Әсел`);
    expect(await openLoansOfCopy(db, copy.id)).toBe(1);
  });

  it('issues a copy whose status says on loan when no loan is open', async () => {
    const copy = await makeCopy(db, tenants.schoolA.id, kozha);
    const reader = await makeReader(db, tenants.schoolA.id, { lastName: 'Әбенова', firstName: 'Інжу' });
    await db.updateTable('fund.copies').set({ status: 'on_loan' }).where('id', '=', copy.id).execute();
    const loan = await issueCopy(db, tenants.librarianA, { readerId: reader.id, barcode: copy.barcode });
    expect(loan.readerName).toBe('Әбенова Інжу');
    expect(await openLoansOfCopy(db, copy.id)).toBe(1);
  });

  it('refuses what the desk must not do, and writes nothing', async () => {
    const librarian = tenants.librarianA;
    const reader = await makeReader(db, tenants.schoolA.id, { lastName: 'Ахметов', firstName: 'Нұрсұлтан', grade: 7, classLetter: 'Б' });
    const copy = await makeCopy(db, tenants.schoolA.id, kozha);

    const double = await issueCopy(db, librarian, { readerId: reader.id, barcode: copy.barcode });
    await returnCopy(db, librarian, { barcode: copy.barcode });
    const again = await refusal(returnCopy(db, librarian, { barcode: copy.barcode }));
    expect(again).toMatchObject({ code: 'circulation.not_on_loan', status: 409 });
    expect(t('ru', again.code, again.params)).toBe(`Экземпляр ${copy.barcode} не выдан — возвращать нечего`);
    const closed = await refusal(renewLoan(db, librarian, { loanId: double.loanId }));
    expect(closed.code).toBe('circulation.loan_closed');

    const unknown = await refusal(scan(db, librarian, { code: '1999999999', readerId: reader.id }));
    expect(unknown).toMatchObject({ code: 'circulation.unknown_code', status: 404, params: { code: '1999999999' } });

    const noReader = await refusal(scan(db, librarian, { code: copy.barcode }));
    expect(noReader).toMatchObject({ code: 'circulation.no_reader_open', status: 409 });

    const lost = await makeCopy(db, tenants.schoolA.id, abaiJoly);
    await db.updateTable('fund.copies').set({ status: 'lost' }).where('id', '=', lost.id).execute();
    const unavailable = await refusal(issueCopy(db, librarian, { readerId: reader.id, barcode: lost.barcode }));
    expect(unavailable).toMatchObject({ code: 'circulation.copy_unavailable', params: { status: 'lost' } });
    expect(t('en', unavailable.code, unavailable.params)).toBe(`Copy ${lost.barcode} cannot be issued: it is lost`);

    const left = await makeReader(db, tenants.schoolA.id, { lastName: 'Жұмабаев', firstName: 'Ерлан' });
    await db.updateTable('readers.readers').set({ status: 'left', left_on: '2026-01-10' }).where('id', '=', left.id).execute();
    const inactive = await refusal(issueCopy(db, librarian, { readerId: left.id, barcode: copy.barcode }));
    expect(inactive).toMatchObject({ code: 'circulation.reader_inactive', params: { reader: 'Жұмабаев Ерлан' } });

    expect(await openLoansOfCopy(db, copy.id)).toBe(0);
    expect(await openLoansOfCopy(db, lost.id)).toBe(0);
    expect(await copyStatus(db, copy.id)).toBe('available');
  });

  it('asks for an overdue book back before renewing it', async () => {
    const reader = await makeReader(db, tenants.schoolA.id, { lastName: 'Досова', firstName: 'Айзере' });
    const copy = await makeCopy(db, tenants.schoolA.id, abaiJoly);
    const loan = await issueCopy(db, tenants.librarianA, { readerId: reader.id, barcode: copy.barcode, today: '2026-02-02' });
    expect(loan.dueOn).toBe('2026-02-12');
    // Seven days late it can still be renewed; eight days late it must come back first.
    const late = await refusal(renewLoan(db, tenants.librarianA, { loanId: loan.loanId, today: '2026-02-20' }));
    expect(late).toMatchObject({ code: 'circulation.renewal_overdue', status: 409, params: { days: 8, grace: 7 } });
    expect(t('kk', late.code, late.params)).toBe(
      'Кітаптың мерзімі 8 күнге өтіп кетті. Мерзімі 7 күннен астам өткен кітап ұзартылмайды: алдымен кітапты кітапханаға әкеліңіз',
    );
    const inTime = await renewLoan(db, tenants.librarianA, { loanId: loan.loanId, today: '2026-02-19' });
    expect(inTime).toMatchObject({ dueOn: '2026-03-01', renewals: 1 });
  });

  it('stops a student at the library limit of books at home', async () => {
    const reader = await makeReader(db, tenants.schoolA.id, { lastName: 'Бекова', firstName: 'Айым', grade: 3, classLetter: 'А' });
    const copies = await Promise.all([0, 1, 2, 3].map(() => makeCopy(db, tenants.schoolA.id, abaiJoly)));
    for (const copy of copies.slice(0, 3)) await issueCopy(db, tenants.librarianA, { readerId: reader.id, barcode: copy.barcode });
    const err = await refusal(issueCopy(db, tenants.librarianA, { readerId: reader.id, barcode: copies[3]!.barcode }));
    expect(err).toMatchObject({ code: 'circulation.too_many_loans', status: 409, params: { max: 3 } });
    expect(await openLoansOfCopy(db, copies[3]!.id)).toBe(0);
    // A textbook has its own rule without a limit, and is lent for the school year.
    const textbook = await makeCopy(db, tenants.schoolA.id, abaiJoly, { fund: 'textbook' });
    const loan = await issueCopy(db, tenants.librarianA, { readerId: reader.id, barcode: textbook.barcode, today: '2026-09-01' });
    expect(loan.dueOn).toBe('2027-05-29');
  });

  it('reads a code typed under the Kazakh keyboard layout', async () => {
    const reader = await makeReader(db, tenants.schoolA.id, { lastName: 'Тоқтарова', firstName: 'Жансая' });
    await makeCopy(db, tenants.schoolA.id, kozha, { barcode: '1000000042' });
    const result = await scan(db, tenants.librarianA, { code: '"қққққққңә', readerId: reader.id });
    expect(result.action).toBe('issued');
    if (result.action === 'issued') expect(result.loan.barcode).toBe('1000000042');
  });

  it("never lets one school's desk see another school's copies or readers", async () => {
    const reader = await makeReader(db, tenants.schoolA.id, { lastName: 'Ержанова', firstName: 'Мөлдір' });
    const copy = await makeCopy(db, tenants.schoolA.id, abaiJoly);
    await issueCopy(db, tenants.librarianA, { readerId: reader.id, barcode: copy.barcode });

    const scanned = await refusal(scan(db, tenants.librarianB, { code: copy.barcode }));
    expect(scanned).toMatchObject({ code: 'circulation.unknown_code', status: 404 });
    const card = await refusal(scan(db, tenants.librarianB, { code: reader.barcode }));
    expect(card.code).toBe('circulation.unknown_code');
    const panel = await refusal(readerPanel(db, tenants.librarianB, reader.id));
    expect(panel).toMatchObject({ code: 'common.not_found', status: 404 });
    const returned = await refusal(returnCopy(db, tenants.librarianB, { barcode: copy.barcode }));
    expect(returned.code).toBe('circulation.unknown_code');
    expect(await openLoansOfCopy(db, copy.id)).toBe(1);
    expect(await circulationStats(db, tenants.librarianB, { from: '2026-01-01', to: '2030-12-31' })).toMatchObject({ loans: 0 });
  });

  it('writes every issue and return to the audit log with what was done, and nothing for a refused issue', async () => {
    const reader = await makeReader(db, tenants.schoolA.id, { lastName: 'Төлеуова', firstName: 'Гүлнар' });
    const other = await makeReader(db, tenants.schoolA.id, { lastName: 'Қайратов', firstName: 'Данияр' });
    const copy = await makeCopy(db, tenants.schoolA.id, kozha);
    const loan = await issueCopy(db, tenants.librarianA, { readerId: reader.id, barcode: copy.barcode, today: '2026-05-04' });
    expect(await copyStatus(db, copy.id)).toBe('on_loan');
    // The index refuses a second loan even when the copy's status was wrongly reset: nothing is written.
    await db.updateTable('fund.copies').set({ status: 'available' }).where('id', '=', copy.id).execute();
    await refusal(issueCopy(db, tenants.librarianA, { readerId: other.id, barcode: copy.barcode, today: '2026-05-05' }));
    expect(await copyStatus(db, copy.id)).toBe('available');
    await db.updateTable('fund.copies').set({ status: 'on_loan' }).where('id', '=', copy.id).execute();
    // Brought back three days late (10 days for a student in school A).
    const back = await returnCopy(db, tenants.librarianA, { barcode: copy.barcode, today: '2026-05-17' });
    expect(back).toMatchObject({ loanId: loan.loanId, returnedAt: '2026-05-17T12:00:00.000Z', overdueDays: 0, canRenew: false });
    expect(await copyStatus(db, copy.id)).toBe('available');
    const logged = await db
      .selectFrom('org.audit_log')
      .select(['action', 'user_id', 'organisation_id', 'details'])
      .where('entity', '=', 'loan')
      .where('entity_id', '=', String(loan.loanId))
      .orderBy('id')
      .execute();
    const who = { user_id: tenants.librarianA.userId, organisation_id: tenants.schoolA.id };
    expect(logged).toEqual([
      { action: 'issue', ...who, details: { copyId: copy.id, barcode: copy.barcode, readerId: reader.id } },
      { action: 'return', ...who, details: { copyId: copy.id, barcode: copy.barcode, readerId: reader.id, overdueDays: 3 } },
    ]);
    const refused = await db.selectFrom('org.audit_log').select('id').where('action', '=', 'issue').where(sql<boolean>`details->>'readerId' = ${String(other.id)}`).execute();
    expect(refused).toEqual([]);
  });

  it('keeps visits at one per reader per day in the database', async () => {
    const reader = await makeReader(db, tenants.schoolA.id, { lastName: 'Мұратов', firstName: 'Алихан' });
    await Promise.all([
      scan(db, tenants.librarianA, { code: reader.barcode, today: '2026-04-01' }),
      scan(db, tenants.librarianA, { code: reader.barcode, today: '2026-04-01' }),
    ]);
    await scan(db, tenants.librarianA, { code: reader.barcode, today: '2026-04-02' });
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from circulation.visits where reader_id = ${reader.id}`.execute(db);
    expect(rows[0]!.n).toBe(2);
  });
});
