import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import { replaceLoanRules } from '../circulation/rules.js';
import { issueCopy } from '../circulation/loans.js';
import type { DatabaseHandle, Db } from '../db/connect.js';
import { addCopies } from '../fund/copies.js';
import { createReader } from '../readers/readers.js';
import { forgetTimeZones, libraryToday, setClock, startOfLocalDay } from './library-time.js';

/** A moment given as Almaty wall-clock time (UTC+5 all year since March 2024). */
const almaty = (local: string) => new Date(`${local}+05:00`);

describe.each(BACKENDS)("the library's today in the domains on %s", (backend) => {
  let database: DatabaseHandle;
  let db: Db;
  let tenants: Tenants;
  let work: number;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    db = database.db;
    forgetTimeZones();
    tenants = await seedTenants(db);
    work = await makeWork(db, { title: 'Абай жолы', authors: ['Мұхтар Әуезов'] });
    await replaceLoanRules(db, tenants.librarianA, [{ readerKind: 'student', fund: null, loanDays: 10, maxRenewals: 1, maxLoans: 5 }]);
  });
  afterEach(() => setClock(undefined));
  afterAll(async () => {
    forgetTimeZones();
    await database?.close();
  });

  it('gives a reader registered at 00:30 on 1 January the new year’s number, though UTC is still in the old year', async () => {
    setClock(almaty('2026-12-31T23:30:00'));
    const december = await createReader(db, tenants.librarianA, { kind: 'student', lastName: 'Ахметова', firstName: 'Дана', grade: 5, classLetter: 'А' });
    expect(december.registrationNumber).toMatch(/^2026-/);

    const at = almaty('2027-01-01T00:30:00');
    expect(at.toISOString().slice(0, 10)).toBe('2026-12-31');
    setClock(at);
    const january = await createReader(db, tenants.librarianA, { kind: 'student', lastName: 'Бекова', firstName: 'Әсел', grade: 5, classLetter: 'А' });
    expect(january.registrationNumber).toMatch(/^2027-/);
    expect(await libraryToday(db, tenants.schoolA.id)).toBe('2027-01-01');
  });

  it('counts a loan issued at 00:30 and one issued at 23:30 from the same library day', async () => {
    const reader = await makeReader(db, tenants.schoolA.id, { lastName: 'Сәрсенова', firstName: 'Аружан' });
    const early = await makeCopy(db, tenants.schoolA.id, work);
    const late = await makeCopy(db, tenants.schoolA.id, work);

    setClock(almaty('2026-03-15T00:30:00')); // 19:30 UTC on 14 March
    const first = await issueCopy(db, tenants.librarianA, { readerId: reader.id, barcode: early.barcode });
    setClock(almaty('2026-03-15T23:30:00')); // 18:30 UTC on 15 March
    const second = await issueCopy(db, tenants.librarianA, { readerId: reader.id, barcode: late.barcode });
    expect(first.dueOn).toBe('2026-03-25');
    expect(second.dueOn).toBe('2026-03-25');
  });

  it('dates copies received after midnight on the library’s new day', async () => {
    setClock(almaty('2027-01-01T00:30:00'));
    const [copy] = await addCopies(db, tenants.librarianA, { workId: work });
    const row = await db.selectFrom('fund.copies').select('acquired_on').where('id', '=', copy!.id).executeTakeFirstOrThrow();
    expect(String(row.acquired_on).slice(0, 10)).toBe('2027-01-01');
  });

  it('follows the time zone the organisation keeps', async () => {
    await db.updateTable('org.organisations').set({ time_zone: 'Europe/London' }).where('id', '=', tenants.schoolB.id).execute();
    forgetTimeZones();
    const at = almaty('2027-01-01T00:30:00');
    expect(await libraryToday(db, tenants.schoolB.id, at)).toBe('2026-12-31');
    expect(await libraryToday(db, tenants.schoolA.id, at)).toBe('2027-01-01');
    setClock(at);
    const reader = await createReader(db, tenants.librarianB, { kind: 'teacher', lastName: 'Смағұлов', firstName: 'Ерлан' });
    expect(reader.registrationNumber).toMatch(/^2026-/);
  });
});

describe('the start of a library day', () => {
  it('is 19:00 UTC of the day before in Almaty', () => {
    expect(startOfLocalDay('2027-01-01', 'Asia/Almaty').toISOString()).toBe('2026-12-31T19:00:00.000Z');
    expect(startOfLocalDay('2027-01-01', 'Asia/Almaty', 1).toISOString()).toBe('2027-01-01T19:00:00.000Z');
  });
  it('follows a change of offset (London in summer)', () => {
    expect(startOfLocalDay('2026-07-01', 'Europe/London').toISOString()).toBe('2026-06-30T23:00:00.000Z');
  });
});
