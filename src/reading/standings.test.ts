import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeReader } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import type { DatabaseHandle, Db } from '../db/connect.js';
import { Random } from '../demo/random.js';
import { addDays } from '../shared/library-time.js';
import { classStandings, recountReaderYearBooks } from './standings.js';

/**
 * The region's standings read kept counts for speed; whatever path they take, their figures must be
 * those counted from the reading records themselves: distinct confirmed books per pupil in the
 * period, summed by class over the active pupils on the roll.
 */
describe.each(BACKENDS)('class standings against the records on %s', (backend) => {
  let database: DatabaseHandle;
  let db: Db;
  let tenants: Tenants;
  let orgs: number[];

  const SCHOOL_YEAR = { from: '2025-09-01', to: '2026-08-31' };

  async function counted(period: { from: string; to: string }) {
    const { rows } = await sql<{ organisation_id: number; grade: number; class_letter: string | null; pupils: number; books: number; readers: number }>`
      with b as (
        select rr.reader_id, count(distinct rr.book_key)::int as books from reading.records rr
        where rr.organisation_id = any(${orgs}::bigint[]) and rr.status = 'confirmed' and rr.read_on between ${period.from} and ${period.to}
        group by rr.reader_id)
      select r.organisation_id, r.grade, r.class_letter, count(*)::int as pupils, coalesce(sum(b.books), 0)::int as books, count(b.reader_id)::int as readers
      from readers.readers r left join b on b.reader_id = r.id
      where r.organisation_id = any(${orgs}::bigint[]) and r.kind = 'student' and r.status = 'active' and r.grade is not null
      group by 1, 2, 3`.execute(db);
    return rows
      .map((r) => ({ organisationId: r.organisation_id, grade: r.grade, classLetter: r.class_letter, pupils: r.pupils, books: r.books, readers: r.readers }))
      .sort((a, b) => a.organisationId - b.organisationId || a.grade - b.grade || (a.classLetter ?? '').localeCompare(b.classLetter ?? ''));
  }

  async function standings(period: { from: string; to: string }) {
    return (await classStandings(db, orgs, period))
      .map(({ organisationId, grade, classLetter, pupils, books, readers }) => ({ organisationId, grade, classLetter, pupils, books, readers }))
      .sort((a, b) => a.organisationId - b.organisationId || a.grade - b.grade || (a.classLetter ?? '').localeCompare(b.classLetter ?? ''));
  }

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    db = database.db;
    tenants = await seedTenants(db);
    orgs = [tenants.schoolA.id, tenants.schoolB.id];
    const rng = new Random(20251207);
    const readers: number[] = [];
    for (const org of orgs) {
      for (const grade of [2, 5, 9]) {
        for (const letter of ['А', 'Ә']) {
          for (let i = 0; i < 4; i++) readers.push((await makeReader(db, org, { firstName: `${grade}${letter}${i}`, grade, classLetter: letter })).id);
        }
      }
      // a teacher reads too, but is no pupil of any class
      readers.push((await makeReader(db, org, { kind: 'teacher', lastName: 'Мұғалім' })).id);
    }
    const orgOf = new Map<number, number>();
    for (const row of await db.selectFrom('readers.readers').select(['id', 'organisation_id']).where('id', 'in', readers).execute()) orgOf.set(row.id, row.organisation_id);
    // records of two school years, some pending, some rejected; a book once per reader and school year
    const values = [];
    for (const readerId of readers) {
      const n = rng.int(0, 12);
      for (let k = 0; k < n; k++) {
        const day = rng.int(0, 700);
        const readOn = addDays('2024-09-01', day);
        const schoolYear = readOn >= '2025-09-01' ? '2025-2026' : '2024-2025';
        const status: 'pending' | 'rejected' | 'confirmed' = rng.chance(0.1) ? 'pending' : rng.chance(0.05) ? 'rejected' : 'confirmed';
        values.push({ organisation_id: orgOf.get(readerId)!, reader_id: readerId, title: `Кітап ${k}`, book_key: `t:${rng.int(1, 15)}`, source: 'self' as const, read_on: readOn, school_year: schoolYear, status, work_id: null, author: null, loan_id: null, pages: null, minutes: null, note: null, reported_by: null, confirmed_by: null, confirmed_at: null });
      }
    }
    for (const v of values) {
      await db.insertInto('reading.records').values(v).onConflict((oc) => oc.doNothing()).execute();
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  it('gives a school year the figures counted from the records, and a calendar year too', async () => {
    expect((await standings(SCHOOL_YEAR)).length).toBeGreaterThan(8);
    expect(await standings(SCHOOL_YEAR)).toEqual(await counted(SCHOOL_YEAR));
    const calendar = { from: '2025-01-01', to: '2025-12-31' };
    expect(await standings(calendar)).toEqual(await counted(calendar));
  });

  it('keeps them equal as records are confirmed, rejected, moved and removed, and as pupils change class or leave', async () => {
    const pending = await db.selectFrom('reading.records').select('id').where('status', '=', 'pending').where('school_year', '=', '2025-2026').limit(3).execute();
    await db.updateTable('reading.records').set({ status: 'confirmed' }).where('id', 'in', pending.map((p) => p.id)).execute();
    const confirmed = await db.selectFrom('reading.records').select('id').where('status', '=', 'confirmed').where('school_year', '=', '2025-2026').orderBy('id').limit(4).execute();
    await db.updateTable('reading.records').set({ status: 'rejected' }).where('id', '=', confirmed[0]!.id).execute();
    await db.deleteFrom('reading.records').where('id', '=', confirmed[1]!.id).execute();
    await db.updateTable('reading.records').set({ school_year: '2024-2025', read_on: '2025-05-20' }).where('id', '=', confirmed[2]!.id).execute();
    // a promotion moves a class up; a pupil leaves; another moves to the parallel class
    await db.updateTable('readers.readers').set({ grade: 6 }).where('organisation_id', '=', tenants.schoolA.id).where('grade', '=', 5).where('class_letter', '=', 'А').execute();
    const some = await db.selectFrom('readers.readers').select('id').where('organisation_id', '=', tenants.schoolB.id).where('kind', '=', 'student').orderBy('id').limit(2).execute();
    await db.updateTable('readers.readers').set({ status: 'left', left_on: '2026-01-10' }).where('id', '=', some[0]!.id).execute();
    await db.updateTable('readers.readers').set({ class_letter: 'Ә' }).where('id', '=', some[1]!.id).execute();
    expect(await standings(SCHOOL_YEAR)).toEqual(await counted(SCHOOL_YEAR));
    // the leaver comes back, into another class; a pupil entered by mistake is deleted with the records
    await db.updateTable('readers.readers').set({ status: 'active', left_on: null, grade: 2 }).where('id', '=', some[0]!.id).execute();
    const mistake = await db.selectFrom('reading.records').select('reader_id').where('status', '=', 'confirmed').where('school_year', '=', '2025-2026').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await db.deleteFrom('readers.readers').where('id', '=', mistake.reader_id).execute();
    expect(await standings(SCHOOL_YEAR)).toEqual(await counted(SCHOOL_YEAR));
    expect(await standings({ from: '2024-09-01', to: '2025-08-31' })).toEqual(await counted({ from: '2024-09-01', to: '2025-08-31' }));
    // and after a bulk load recounted at once
    await recountReaderYearBooks(db);
    expect(await standings(SCHOOL_YEAR)).toEqual(await counted(SCHOOL_YEAR));
  });
});
