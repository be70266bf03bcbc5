import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/connect.js';
import { BACKENDS, openTestDatabase } from '../../../test/support/db.js';
import { makeWork } from '../../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../../test/support/tenants.js';
import { checkResult, closeCheck, openCheck, recordScan } from './checks.js';
import { createReceipt } from './receipts.js';

const SHELVED = 1_200;

describe.each(BACKENDS)('a fund check of a thousand scans on %s', (backend) => {
  let database: DatabaseHandle;
  let tenants: Tenants;
  let barcodes: string[];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    const db = database.db;
    const work = await makeWork(db, { title: 'Математика. 5-сынып', bbk: '22.1' });
    const receipt = await db.transaction().execute((trx) => createReceipt(trx, tenants.librarianA, { receivedOn: '2025-09-01', source: 'initial' }));
    const line = await db
      .insertInto('fund.receipt_lines')
      .values({ receipt_id: receipt.id, work_id: work, copies_count: SHELVED, price_tiyn: 120_000, fund: 'main', knowledge_group: 'natural_sciences', language_group: 'kk' })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The whole shelf at once: the check is what is measured here, not receiving.
    await sql`
      INSERT INTO fund.copies (organisation_id, work_id, inventory_number, barcode, price_tiyn, acquired_on, location, receipt_id, receipt_line_id)
      SELECT ${tenants.schoolA.id}, ${work}, i::text, '1' || lpad(i::text, 9, '0'), 120000, '2025-09-01',
             'Оқу залы ' || (i % 12), ${receipt.id}, ${line.id}
        FROM generate_series(1, ${SHELVED}) i`.execute(db);
    barcodes = Array.from({ length: SHELVED }, (_, i) => `1${String(i + 1).padStart(9, '0')}`);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('takes scans one by one across two sittings, counts repeats once and reports what is missing', async () => {
    const db = database.db;
    const actor = tenants.librarianA;
    const check = await db.transaction().execute((trx) => openCheck(trx, actor, { locationPrefix: 'Оқу залы' }));
    const scan = (barcode: string) => db.transaction().execute((trx) => recordScan(trx, actor, check.id, { barcode, shelf: 'А' }));

    // First sitting: the first 600 copies, some scanned twice by a shaky hand.
    const outcomes: Record<string, number> = {};
    const tally = (o: string) => (outcomes[o] = (outcomes[o] ?? 0) + 1);
    for (const barcode of barcodes.slice(0, 600)) tally((await scan(barcode)).outcome);
    for (const barcode of barcodes.slice(0, 50)) tally((await scan(barcode)).outcome);
    const halfway = await checkResult(db, actor, check.id);
    expect(halfway.counts).toMatchObject({ expected: SHELVED, found: 600, missing: 600 });

    // Second sitting the next day resumes where it stopped; 150 copies are really gone.
    for (const barcode of barcodes.slice(600, SHELVED - 150)) tally((await scan(barcode)).outcome);
    expect(outcomes).toEqual({ found: SHELVED - 150, repeat: 50 });
    tally((await scan('1777777777')).outcome);

    const result = await checkResult(db, actor, check.id);
    expect(result.counts).toEqual({ expected: SHELVED, found: SHELVED - 150, missing: 150, onLoan: 0, misplaced: 0, unknown: 1 });
    expect(result.missing.map((c) => c.barcode)).toEqual(barcodes.slice(SHELVED - 150));
    expect(result.check.scanned).toBe(SHELVED - 150 + 1);

    const closed = await db.transaction().execute((trx) => closeCheck(trx, actor, check.id, { actDate: '2026-05-30' }));
    const shortage = await db
      .selectFrom('fund.write_off_lines')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('act_id', '=', closed.writeOffActId!)
      .executeTakeFirstOrThrow();
    expect(Number(shortage.n)).toBe(150);
  });
});
