import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeCopy, makeReader, makeWork } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import { issueCopy, returnCopy } from '../circulation/loans.js';
import { addReadingRoomUse, countVisit } from '../circulation/visits.js';
import type { Db, DatabaseHandle } from '../db/connect.js';
import { Random } from '../demo/random.js';
import { addReceiptLine, createReceipt } from '../fund/accounting/receipts.js';
import { addCopiesToAct, approveAct, createAct } from '../fund/accounting/write-offs.js';
import { setClock } from '../shared/library-time.js';
import { buildReport, computeLive, type OrgNode } from './annual.js';
import { foldLoans, foldVisits } from './kept.js';
import { periodOf } from './period.js';
import { keptFundSection, SECTIONS, SECTIONS_FROM_ROWS } from './sections.js';

/**
 * The report reads loans, visits, reading-room use and textbook issues from the counts their own
 * writes keep (reports.running_counts, migration 1202). Here a generated year and a half of work in
 * two libraries in different time zones — loans on the stroke of midnight, rows written one at a time
 * by the desk and thousands at a time, then every change a count depends on — is counted both ways,
 * and both ways must give the same figures at every step. The fund, acquisitions and write-offs are
 * kept per library and period until a fund document of the library changes (migration 1203).
 */
const PERIODS = ['2024', '2025', '2024-2025', '2025-2026'].map((key) => (key.includes('-') ? periodOf({ schoolYear: key }) : periodOf({ year: key })));
const LANGUAGES = ['kaz', 'rus', 'eng', null, ' KAZ', 'kk', 'ru'];
const GROUPS = ['fiction', 'socio_political', 'natural_sciences', 'technology_agriculture', 'sport_arts', 'linguistics_literature', 'other', null, 'unknown'];

describe.each(BACKENDS)('running counts of the annual report on %s', (backend) => {
  let database: DatabaseHandle;
  let db: Db;
  let tn: Tenants;
  let libraries: number[];
  const rng = new Random(14);

  /** Counted from the rows and read from the running counts: the same, library by library and period by period. */
  async function expectSameCounts() {
    for (const period of PERIODS) {
      const fromRows = await computeLive(db, libraries, period, SECTIONS_FROM_ROWS);
      const running = await computeLive(db, libraries, period, SECTIONS);
      for (const id of libraries) expect({ id, period: period.key, ...running.get(id)! }).toEqual({ id, period: period.key, ...fromRows.get(id)! });
    }
  }

  const day = (from: string, spanDays: number) => {
    const d = new Date(`${from}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + rng.int(0, spanDays));
    return d.toISOString().slice(0, 10);
  };
  /** A moment near the edges of days in either time zone now and then, else in the day. */
  const moment = () => {
    const date = day('2024-06-01', 580);
    const hour = rng.pick(['18:59:59', '19:00:00', '19:30:00', '23:59:59', '00:00:00', '05:00:00', '10:15:00']);
    return new Date(`${date}T${hour}Z`);
  };

  beforeAll(async () => {
    setClock(new Date('2026-01-15T06:00:00Z'));
    database = await openTestDatabase(backend);
    db = database.db;
    tn = await seedTenants(db);
    libraries = [tn.schoolA.id, tn.schoolB.id];
    // School B keeps its days in another time zone: the same moment is another day there.
    await db.updateTable('org.organisations').set({ time_zone: 'Europe/Moscow' }).where('id', '=', tn.schoolB.id).execute();
  });

  afterAll(async () => {
    setClock(undefined);
    await database?.close();
  });

  it('counts a generated year and a half of desk work the same way as the rows do', async () => {
    const works: number[] = [];
    for (let i = 0; i < 14; i++) works.push(await makeWork(db, { title: `Кітап ${i}`, language: LANGUAGES[i % LANGUAGES.length] as string, knowledgeGroup: GROUPS[i % GROUPS.length] }));
    const copies = new Map<number, { id: number; barcode: string }[]>();
    const readers = new Map<number, number[]>();
    for (const [org, librarian] of [
      [tn.schoolA.id, tn.librarianA],
      [tn.schoolB.id, tn.librarianB],
    ] as const) {
      const list: { id: number; barcode: string }[] = [];
      for (let i = 0; i < 30; i++) list.push(await makeCopy(db, org, rng.pick(works), { fund: rng.chance(0.3) ? 'textbook' : 'main', acquiredOn: '2020-01-01' }));
      // copies on the books: their receipt line's group is what they count in
      const receipt = await createReceipt(db, librarian, { receivedOn: '2023-05-10', source: 'budget_purchase' });
      await addReceiptLine(db, librarian, receipt.id, { workId: works[1]!, count: 4, priceTiyn: 1000 });
      await addReceiptLine(db, librarian, receipt.id, { workId: works[5]!, count: 3, priceTiyn: 1000, fund: 'textbook' });
      list.push(...(await db.selectFrom('fund.copies').select(['id', 'barcode']).where('receipt_id', '=', receipt.id).execute()));
      copies.set(org, list);
      const people: number[] = [];
      for (let i = 0; i < 20; i++) {
        const kind = rng.pick(['student', 'student', 'student', 'teacher', 'parent'] as const);
        people.push((await makeReader(db, org, { kind, grade: kind === 'student' ? rng.int(1, 11) : undefined })).id);
      }
      readers.set(org, people);
    }

    // Thousands of rows a statement, as an import or a load would write them.
    for (const org of libraries) {
      const loans = Array.from({ length: 150 }, () => {
        const issued = moment();
        return { organisation_id: org, copy_id: rng.pick(copies.get(org)!).id, reader_id: rng.pick(readers.get(org)!), issued_at: issued, due_on: '2026-01-01', returned_at: new Date(issued.getTime() + 86_400_000) };
      });
      // and on the stroke of a new year and a new school year, which the two time zones see on different days
      for (const at of ['2024-12-31T19:30:00Z', '2024-12-31T20:30:00Z', '2025-08-31T19:30:00Z', '2025-08-31T18:30:00Z', '2025-12-31T19:10:00Z']) {
        const issued = new Date(at);
        loans.push({ organisation_id: org, copy_id: rng.pick(copies.get(org)!).id, reader_id: rng.pick(readers.get(org)!), issued_at: issued, due_on: '2026-01-01', returned_at: new Date(issued.getTime() + 86_400_000) });
      }
      await db.insertInto('circulation.loans').values(loans).execute();
      const visits = new Map<string, { organisation_id: number; reader_id: number; visited_on: string; reading_room: boolean }>();
      for (let i = 0; i < 250; i++) {
        const v = { organisation_id: org, reader_id: rng.pick(readers.get(org)!), visited_on: day('2024-06-01', 580), reading_room: rng.chance(0.2) };
        visits.set(`${v.reader_id}/${v.visited_on}`, v);
      }
      await db.insertInto('circulation.visits').values([...visits.values()]).execute();
      await db
        .insertInto('circulation.reading_room_uses')
        .values(Array.from({ length: 40 }, () => ({ organisation_id: org, reader_id: rng.pick(readers.get(org)!), copy_id: rng.chance(0.3) ? null : rng.pick(copies.get(org)!).id, used_on: day('2024-06-01', 580), items: rng.int(1, 4) })))
        .execute();
      await db
        .insertInto('textbooks.issues')
        .values(
          Array.from({ length: 80 }, () => ({
            organisation_id: org,
            reader_id: rng.pick(readers.get(org)!),
            work_id: rng.pick(works),
            school_year: '2024-2025',
            issued_on: day('2024-08-20', 480),
            issued_condition: 'good' as const,
          })),
        )
        .execute();
    }
    await expectSameCounts();

    // One at a time at the desk: loans with their visit, scans, the reading room marking the day's visit.
    const librarianOf = new Map([
      [tn.schoolA.id, tn.librarianA],
      [tn.schoolB.id, tn.librarianB],
    ]);
    for (const org of libraries) {
      const librarian = librarianOf.get(org)!;
      for (let i = 0; i < 6; i++) {
        const copy = copies.get(org)![i]!;
        const today = day('2025-01-01', 360);
        await issueCopy(db, librarian, { readerId: rng.pick(readers.get(org)!), barcode: copy.barcode, today });
        await returnCopy(db, librarian, { barcode: copy.barcode, today });
      }
      for (let i = 0; i < 10; i++) await countVisit(db, org, rng.pick(readers.get(org)!), day('2025-01-01', 360), rng.chance(0.5));
      for (let i = 0; i < 4; i++) await addReadingRoomUse(db, librarian, { readerId: rng.pick(readers.get(org)!), day: day('2025-09-01', 100), items: 2, copyId: copies.get(org)![i]!.id });
    }
    await expectSameCounts();
  });

  it('follows every change of what a loan, a visit, a reading-room use or a textbook issue is counted by', async () => {
    const A = tn.schoolA.id;
    const B = tn.schoolB.id;
    const copyOf = async (org: number) => (await db.selectFrom('circulation.loans').select('copy_id').where('organisation_id', '=', org).orderBy('id').executeTakeFirstOrThrow()).copy_id;

    // A work's language and group are corrected in the catalogue; a copy moves to another work and fund.
    const work = (await db.selectFrom('fund.copies').select('work_id').where('id', '=', await copyOf(A)).executeTakeFirstOrThrow()).work_id;
    await db.updateTable('catalog.works').set({ language: 'rus', knowledge_group: 'sport_arts' }).where('id', '=', work).execute();
    await expectSameCounts();
    const other = await makeWork(db, { title: 'Басқа', language: 'kaz', knowledgeGroup: 'natural_sciences' });
    await db.updateTable('fund.copies').set({ work_id: other, fund: 'textbook' }).where('id', '=', await copyOf(B)).execute();
    await expectSameCounts();

    // An opening balance books copies that had no receipt line; a receipt line's group is changed.
    const line = await db.selectFrom('fund.receipt_lines').select(['id', 'receipt_id']).orderBy('id').executeTakeFirstOrThrow();
    const unbooked = await db.selectFrom('fund.copies').select('id').where('organisation_id', '=', A).where('receipt_line_id', 'is', null).orderBy('id').limit(3).execute();
    await db.updateTable('fund.copies').set({ receipt_line_id: line.id, receipt_id: line.receipt_id }).where('id', 'in', unbooked.map((c) => c.id)).execute();
    await expectSameCounts();
    await db.updateTable('fund.receipt_lines').set({ knowledge_group: 'other' }).where('id', '=', line.id).execute();
    await expectSameCounts();

    // A library moves to another time zone: loans near midnight change day, and some change year.
    await db.updateTable('org.organisations').set({ time_zone: 'Asia/Almaty' }).where('id', '=', B).execute();
    await expectSameCounts();

    // Rows corrected or removed one by one.
    const loan = await db.selectFrom('circulation.loans').select(['id']).where('organisation_id', '=', A).orderBy('id', 'desc').executeTakeFirstOrThrow();
    await db.updateTable('circulation.loans').set({ issued_at: new Date('2024-12-31T19:30:00Z'), copy_id: await copyOf(A) }).where('id', '=', loan.id).execute();
    await db.updateTable('circulation.loans').set({ renewals: 1, due_on: '2026-02-01' }).where('organisation_id', '=', B).execute();
    const visit = await db.selectFrom('circulation.visits').select(['reader_id', 'visited_on']).where('organisation_id', '=', B).limit(1).executeTakeFirstOrThrow();
    await db.updateTable('circulation.visits').set({ reading_room: sql`not reading_room`, visited_on: '2025-09-02' }).where('reader_id', '=', visit.reader_id).where('visited_on', '=', visit.visited_on).execute();
    await db.deleteFrom('circulation.visits').where('organisation_id', '=', A).where('visited_on', '<', '2024-09-15').execute();
    const use = await db.selectFrom('circulation.reading_room_uses').select('id').where('organisation_id', '=', A).orderBy('id').executeTakeFirstOrThrow();
    await db.updateTable('circulation.reading_room_uses').set({ items: 7, copy_id: null, used_on: '2025-01-01' }).where('id', '=', use.id).execute();
    await db.deleteFrom('circulation.reading_room_uses').where('organisation_id', '=', B).where('used_on', '<', '2025-03-01').execute();
    const issue = await db.selectFrom('textbooks.issues').select('id').where('organisation_id', '=', B).orderBy('id').executeTakeFirstOrThrow();
    await db.updateTable('textbooks.issues').set({ issued_on: '2025-09-01', work_id: other }).where('id', '=', issue.id).execute();
    await db.updateTable('textbooks.issues').set({ returned_on: '2025-05-25', return_condition: 'good' }).where('organisation_id', '=', A).execute();
    await db.deleteFrom('textbooks.issues').where('organisation_id', '=', A).where('issued_on', '>', '2025-06-01').execute();
    await expectSameCounts();

    // The retention folds old loans and visits into kept day counts; an erasure folds a reader's.
    await db.transaction().execute(async (trx) => {
      await foldLoans(trx, A, { returnedBefore: new Date('2025-03-01T00:00:00Z') });
      await foldVisits(trx, B, '2025-01-01');
    });
    const reader = (await db.selectFrom('circulation.loans').select('reader_id').where('organisation_id', '=', B).executeTakeFirstOrThrow()).reader_id;
    await db.transaction().execute((trx) => foldLoans(trx, B, { readerIds: [reader] }));
    await expectSameCounts();
    // Nothing is kept of a reader whose visits are all gone.
    const left = await sql<{ n: number }>`select count(*)::int as n from reports.running_visit_days where organisation_id = ${B} and period in ('2024', '2024-2025')
      and reader_id not in (select reader_id from circulation.visits where organisation_id = ${B})`.execute(db);
    expect(left.rows[0]!.n).toBe(0);
  });

  it('keeps the fund, acquisitions and write-offs of a library until one of its fund documents changes', async () => {
    const A = tn.schoolA.id;
    const B = tn.schoolB.id;
    const year = periodOf({ year: 2025 });
    await computeLive(db, libraries, year);
    // What is kept is what is read: a kept figure altered by hand shows, until the library's fund changes.
    await sql`update reports.fund_figures set figures = jsonb_set(figures, '{fund,end,total}', '999999') where organisation_id = ${A} and period = '2025'`.execute(db);
    expect((await keptFundSection(db, [A], year)).get(A)!.fund!.end.total).toBe(999999);
    const receipt = await createReceipt(db, tn.librarianA, { receivedOn: '2025-10-01', source: 'gift' });
    expect((await keptFundSection(db, [A], year)).get(A)!.fund!.end.total).not.toBe(999999);
    await expectSameCounts();

    // Every kind of change of what the fund is counted from.
    const kids = await makeWork(db, { title: 'Ертегілер', language: 'kaz', knowledgeGroup: 'fiction' });
    await addReceiptLine(db, tn.librarianA, receipt.id, { workId: kids, count: 5, priceTiyn: 2500 });
    await expectSameCounts();
    await db.updateTable('catalog.works').set({ age_rating: '6+' }).where('id', '=', kids).execute();
    await expectSameCounts();
    await db.updateTable('fund.receipts').set({ received_on: '2024-12-30' }).where('id', '=', receipt.id).execute();
    await expectSameCounts();
    const booked = await db.selectFrom('fund.copies').select('id').where('receipt_id', '=', receipt.id).orderBy('id').limit(2).execute();
    const act = await db.transaction().execute((trx) => createAct(trx, tn.librarianA, { actDate: '2025-11-20', reason: 'lost_by_reader' }));
    await db.transaction().execute((trx) => addCopiesToAct(trx, tn.librarianA, act.id, { copyIds: booked.map((c) => c.id) }));
    await expectSameCounts();
    await db.transaction().execute((trx) => approveAct(trx, tn.librarianA, act.id));
    await expectSameCounts();
    await db.updateTable('fund.write_off_lines').set({ knowledge_group: 'other', language_group: 'ru' }).where('act_id', '=', act.id).execute();
    await expectSameCounts();

    // Copies entered without a receipt: a new one, one written off by hand, one dated earlier, one moved to another work.
    const loose = await makeWork(db, { title: 'Сөздік', language: 'rus', knowledgeGroup: 'linguistics_literature' });
    const copy = await makeCopy(db, B, loose, { acquiredOn: '2025-04-04', priceTiyn: 700 });
    await expectSameCounts();
    const unbooked = await db.selectFrom('fund.copies').select('id').where('organisation_id', '=', B).where('receipt_id', 'is', null).orderBy('id').limit(3).execute();
    await db.updateTable('fund.copies').set({ status: 'written_off' }).where('id', '=', unbooked[0]!.id).execute();
    await db.updateTable('fund.copies').set({ acquired_on: '2025-02-02', price_tiyn: 1234 }).where('id', '=', unbooked[1]!.id).execute();
    await db.updateTable('fund.copies').set({ work_id: loose }).where('id', '=', unbooked[2]!.id).execute();
    await expectSameCounts();
    await db.updateTable('catalog.works').set({ knowledge_group: 'sport_arts', language: 'kaz' }).where('id', '=', loose).execute();
    await expectSameCounts();
    // an issue and a return change the copy's status, not the fund: nothing is counted again
    const versions = async () => (await db.selectFrom('reports.fund_versions').select(['organisation_id', 'version']).orderBy('organisation_id').execute()).map((v) => `${v.organisation_id}:${v.version}`);
    const before = await versions();
    const reader = (await db.selectFrom('readers.readers').select('id').where('organisation_id', '=', B).executeTakeFirstOrThrow()).id;
    await issueCopy(db, tn.librarianB, { readerId: reader, barcode: copy.barcode, today: '2025-12-01' });
    await returnCopy(db, tn.librarianB, { barcode: copy.barcode, today: '2025-12-02' });
    expect(await versions()).toEqual(before);

    // Textbooks received and written off by count.
    const textbook = await makeWork(db, { title: 'Алгебра 7', language: 'kaz', knowledgeGroup: null });
    const autumn = await createReceipt(db, tn.librarianB, { receivedOn: '2025-08-20', source: 'state_order' });
    await db
      .insertInto('textbooks.batches')
      .values({ organisation_id: B, receipt_id: autumn.id, work_id: textbook, school_year: '2025-2026', copies_count: 30, price_tiyn: 150000, language_group: 'kk' })
      .execute();
    await expectSameCounts();
    const tact = await db.insertInto('textbooks.write_off_acts').values({ organisation_id: B, number: 'T-1', act_date: '2025-12-10', reason: 'wear' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('textbooks.write_off_lines').values({ act_id: tact.id, work_id: textbook, condition: 'unusable', copies_count: 4, sum_tiyn: 600000, language_group: 'kk' }).execute();
    await expectSameCounts();
    await db.updateTable('textbooks.write_off_acts').set({ act_date: '2026-01-10' }).where('id', '=', tact.id).execute();
    await db.deleteFrom('textbooks.write_off_acts').where('id', '=', tact.id).execute();
    await expectSameCounts();
  });

  it('makes the same running counts again from the rows, and an area sums them like its libraries', async () => {
    const table = async (name: string) =>
      (await sql<Record<string, unknown>>`select * from ${sql.table(name)} where ${sql.ref(name === 'reports.running_visit_days' ? 'days' : 'n')} <> 0 order by 1, 2, 3, 4`.execute(db)).rows.map((r) => JSON.stringify(r)).sort();
    const names = ['reports.running_counts', 'reports.running_textbook_issues', 'reports.running_visit_days'];
    const kept = await Promise.all(names.map(table));
    await sql`select reports.recount_running()`.execute(db);
    expect(await Promise.all(names.map(table))).toEqual(kept);
    await expectSameCounts();

    const region = await db.selectFrom('org.organisations').select(['id', 'name', 'kind', 'path', 'parent_id']).where('id', '=', tn.region.id).executeTakeFirstOrThrow();
    const node: OrgNode = { id: region.id, name: region.name, kind: region.kind, path: region.path, parentId: region.parent_id };
    const report = await buildReport(db, node, periodOf({ year: 2025 }));
    const schools = await computeLive(db, libraries, periodOf({ year: 2025 }), SECTIONS_FROM_ROWS);
    expect(report.figures.loans.total).toBe(schools.get(tn.schoolA.id)!.loans.total + schools.get(tn.schoolB.id)!.loans.total);
    expect(report.figures.visits.regularVisitors).toBe(schools.get(tn.schoolA.id)!.visits.regularVisitors + schools.get(tn.schoolB.id)!.visits.regularVisitors);
    expect(report.children.map((c) => c.indicators.loans).reduce((a, b) => a + b, 0)).toBe(report.indicators.loans);
  });
});
