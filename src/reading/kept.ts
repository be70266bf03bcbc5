import { sql } from 'kysely';
import type { Executor } from '../db/executor.js';
import { schoolYearOf } from '../shared/library-time.js';

/**
 * The reading movement's records are kept while they serve it (Law No. 94-V, art. 12). A pupil still
 * at school keeps every record: they are the pupil's own achievement (the reading card, the 100 books,
 * certificates). Everyone else's records — readers who left, teachers, parents, staff —
 * go once their school year ended longer ago than the library's period. Before they go, each of those
 * readers keeps, per period the records touch (the calendar year and the school year), the distinct
 * books confirmed and their pages, counted while all the period's records were still there
 * (reading.kept_books). Standings, the active share and the annual report read that figure for the
 * reader and period from then on, so none of them moves; the titles, authors, dates and notes are gone.
 */

/**
 * The readers whose records stay whatever their age: pupils still at school — the roll the class
 * standings keep their counts by (reading.class_pupils), so no class figure moves either.
 */
const exempt = sql`r.kind = 'student' and r.status = 'active'`;

/**
 * Removes the library's reading records of school years ended before the day (the caller passes a
 * day no later than the start of any report period still under way), except those of pupils still at
 * school, keeping each reader's books per period first. Returns how many records went. Call inside
 * a transaction.
 */
export async function foldReadingRecords(db: Executor, organisationId: number, before: string): Promise<number> {
  // a school year sorts as text: every year before the one the day falls in ended before the day
  const lastKept = schoolYearOf(before);
  const going = sql`
    select rr.id, rr.reader_id, rr.read_on, rr.school_year
      from reading.records rr join readers.readers r on r.id = rr.reader_id
     where rr.organisation_id = ${organisationId} and rr.school_year < ${lastKept} and not (${exempt})`;
  // each period a going record belongs to is counted once per reader, before any of its records go
  await sql`
    with going as (${going}),
    touched as (
      select distinct reader_id, school_year as period, null as first, null as last from going
      union
      select distinct reader_id, to_char(read_on, 'YYYY'), to_char(read_on, 'YYYY') || '-01-01', to_char(read_on, 'YYYY') || '-12-31' from going
    )
    insert into reading.kept_books (reader_id, period, organisation_id, books, pages)
    select t.reader_id, t.period, ${organisationId}::bigint,
           count(distinct rr.book_key) filter (where rr.status = 'confirmed')::int,
           coalesce(sum(rr.pages) filter (where rr.status = 'confirmed'), 0)::int
      from touched t
      -- a school year as the yearly counts take it (the record's school year), a calendar year by the day read
      left join reading.records rr on rr.reader_id = t.reader_id and (rr.school_year = t.period or rr.read_on between t.first::date and t.last::date)
     where not exists (select 1 from reading.kept_books k where k.reader_id = t.reader_id and k.period = t.period)
     group by t.reader_id, t.period`.execute(db);
  const { rows } = await sql<{ n: number }>`
    with gone as (
      delete from reading.records x using (${going}) g where x.id = g.id returning x.reader_id
    )
    select count(*)::int as n from gone`.execute(db);
  const removed = Number(rows[0]?.n ?? 0);
  // the trigger's yearly counts of the removed records are now zero: the kept figure stands instead
  if (removed) await sql`delete from reading.reader_year_books where organisation_id = ${organisationId} and books <= 0`.execute(db);
  return removed;
}
