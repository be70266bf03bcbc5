import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import type { Db, DatabaseHandle } from '../db/connect.js';
import { setClock } from '../shared/library-time.js';
import { AppError } from '../shared/errors.js';
import { REPEAT_SCAN_WINDOW_MS, scan } from './desk.js';
import { issueCopy } from './loans.js';
import { replaceLoanRules } from './rules.js';

async function openLoansOf(db: Db, readerId: number): Promise<number> {
  const row = await db
    .selectFrom('circulation.loans')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('reader_id', '=', readerId)
    .where('returned_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(BACKENDS)('desks working at once on %s', (backend) => {
  let database: DatabaseHandle;
  let db: Db;
  let tenants: Tenants;
  let work: number;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    db = database.db;
    tenants = await seedTenants(db);
    work = await makeWork(db, { title: 'Көксерек', authors: ['Мұхтар Әуезов'] });
    // At most 3 books at home for a student.
    await replaceLoanRules(db, tenants.librarianA, [{ readerKind: 'student', fund: null, loanDays: 14, maxRenewals: 1, maxLoans: 3 }]);
  });
  afterAll(async () => {
    setClock(undefined);
    await database?.close();
  });

  it('16 desks issuing to one reader at once never pass the books-at-home limit', async () => {
    const reader = await makeReader(db, tenants.schoolA.id, { lastName: 'Оспанов', firstName: 'Ерлан' });
    const copies = [];
    for (let i = 0; i < 16; i++) copies.push(await makeCopy(db, tenants.schoolA.id, work));
    const outcomes = await Promise.allSettled(
      copies.map((c) => issueCopy(db, tenants.librarianA, { readerId: reader.id, barcode: c.barcode, today: '2026-10-05' })),
    );
    const issued = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(issued).toHaveLength(3);
    expect(refused).toHaveLength(13);
    for (const r of refused) expect(r.reason).toMatchObject({ code: 'circulation.too_many_loans', status: 409 });
    expect(refused.every((r) => r.reason instanceof AppError)).toBe(true);
    expect(await openLoansOf(db, reader.id)).toBe(3);
  });

  it('two readers at 16 desks each keep their own limits', async () => {
    const a = await makeReader(db, tenants.schoolA.id, { lastName: 'Ахметова', firstName: 'Дана' });
    const b = await makeReader(db, tenants.schoolA.id, { lastName: 'Бекова', firstName: 'Алма' });
    const copies = [];
    for (let i = 0; i < 16; i++) copies.push(await makeCopy(db, tenants.schoolA.id, work));
    await Promise.allSettled(
      copies.map((c, i) => issueCopy(db, tenants.librarianA, { readerId: i % 2 ? a.id : b.id, barcode: c.barcode, today: '2026-10-05' })),
    );
    expect(await openLoansOf(db, a.id)).toBe(3);
    expect(await openLoansOf(db, b.id)).toBe(3);
  });

  it('a copy scanned twice at once is issued once and not returned by the bounce', async () => {
    setClock(undefined);
    const reader = await makeReader(db, tenants.schoolA.id, { lastName: 'Нұрланова', firstName: 'Әсел' });
    const copy = await makeCopy(db, tenants.schoolA.id, work);
    const first = await scan(db, tenants.librarianA, { code: copy.barcode, readerId: reader.id });
    expect(first.action).toBe('issued');
    const bounce = await scan(db, tenants.librarianA, { code: copy.barcode, readerId: reader.id });
    expect(bounce).toMatchObject({ action: 'repeat_ignored', barcode: copy.barcode, title: 'Көксерек' });
    expect(await openLoansOf(db, reader.id)).toBe(1);

    // A few seconds later the same scan is a deliberate return; its bounce does not issue the book again.
    setClock(new Date(Date.now() + REPEAT_SCAN_WINDOW_MS + 1000));
    const back = await scan(db, tenants.librarianA, { code: copy.barcode, readerId: reader.id });
    expect(back.action).toBe('returned');
    setClock(undefined);
    const bounceBack = await scan(db, tenants.librarianA, { code: copy.barcode, readerId: reader.id });
    expect(bounceBack.action).toBe('repeat_ignored');
    expect(await openLoansOf(db, reader.id)).toBe(0);
  });
});
