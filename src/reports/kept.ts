import { sql, type RawBuilder } from 'kysely';
import { groupOf } from '../circulation/stats.js';
import type { Executor } from '../db/executor.js';
import { organisationTimeZone, schoolYearOf, startOfLocalDay } from '../shared/library-time.js';
import { periodOf, type ReportPeriod } from './period.js';
import { domainOf, langOf, regularVisitorCounts } from './sections.js';

/**
 * Loans and visits that go (the library's retention of its history, or a reader's erasure) leave
 * their numbers behind first, in reports.kept_counts: per library, day, reader group, and for a
 * loan its fund, domain and language — what the annual report and the circulation statistics
 * count, and nothing that names or numbers a reader. A count over any days is then the rows still
 * there plus the kept numbers, so no past figure moves when history is removed.
 */

/** The loans of one library that go: returned ones only (an open loan is a debt the library still needs). */
type LoanSelection = { readerIds: readonly number[] } | { returnedBefore: Date };

function loanCondition(selection: LoanSelection): RawBuilder<unknown> {
  return 'readerIds' in selection
    ? sql`l.reader_id in (${sql.join([...selection.readerIds])})`
    : sql`l.returned_at < ${selection.returnedBefore}`;
}

/**
 * Folds returned loans into the kept counts (an issue on the day issued, a return on the day
 * returned, both as the library's clock saw them), then removes them; a reading record made from
 * one keeps the book read and loses only the link. Returns how many loans went. Call inside a transaction.
 */
export async function foldLoans(db: Executor, organisationId: number, selection: LoanSelection): Promise<number> {
  if ('readerIds' in selection && !selection.readerIds.length) return 0;
  const zone = await organisationTimeZone(db, organisationId);
  const which = sql`l.organisation_id = ${organisationId} and l.returned_at is not null and ${loanCondition(selection)}`;
  await sql`update reading.records set loan_id = null
             where loan_id in (select l.id from circulation.loans l where ${which})`.execute(db);
  // one statement: exactly the loans deleted are the loans counted, whatever the desk does meanwhile
  const { rows } = await sql<{ n: number }>`
    with gone as (
      delete from circulation.loans l where ${which}
      returning l.reader_id, l.copy_id, l.issued_at, l.returned_at
    ), facts as (
      select (g.issued_at at time zone ${zone})::date as issued_on, (g.returned_at at time zone ${zone})::date as returned_on,
             ${groupOf} as grp, case when c.fund = 'textbook' then 'textbooks' else 'main' end as fund,
             ${domainOf(sql`rl.knowledge_group`, sql`c.fund`, sql`w.knowledge_group`)} as domain, ${langOf(sql`w.language`)} as language
        from gone g
        join readers.readers r on r.id = g.reader_id
        join fund.copies c on c.id = g.copy_id
        join catalog.works w on w.id = c.work_id
        left join fund.receipt_lines rl on rl.id = c.receipt_line_id
    ), counted as (
      insert into reports.kept_counts as k (organisation_id, day, what, reader_group, fund, domain, language, n)
      select ${organisationId}::bigint, day, what, grp, fund, domain, language, count(*)::int from (
        select issued_on as day, 'issue' as what, grp, fund, domain, language from facts
        union all
        select returned_on, 'return', grp, '', '', '' from facts
      ) x group by day, what, grp, fund, domain, language
      on conflict (organisation_id, day, what, reader_group, reading_room, fund, domain, language) do update set n = k.n + excluded.n
    )
    select count(*)::int as n from gone`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** The report periods (calendar and school years) that hold any day of [from, to]. */
function periodsBetween(from: string, to: string): ReportPeriod[] {
  const periods: ReportPeriod[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) periods.push(periodOf({ year: y }));
  for (let y = Number(schoolYearOf(from).slice(0, 4)); y <= Number(schoolYearOf(to).slice(0, 4)); y++) periods.push(periodOf({ schoolYear: `${y}-${y + 1}` }));
  return periods;
}

/**
 * Folds the library's visits before a day into the kept counts and removes them. Each report
 * period they belong to keeps its regular visitors first, counted while all its visits are there;
 * the caller passes a day no later than the start of any period still under way, so every period
 * touched is over. Returns how many reader-days went. Call inside a transaction.
 */
export async function foldVisits(db: Executor, organisationId: number, before: string): Promise<number> {
  const { rows } = await sql<{ first: string | null; last: string | null }>`
    select to_char(min(visited_on), 'YYYY-MM-DD') as first, to_char(max(visited_on), 'YYYY-MM-DD') as last
      from circulation.visits where organisation_id = ${organisationId} and visited_on < ${before}`.execute(db);
  const span = rows[0];
  if (!span?.first || !span.last) return 0;
  for (const period of periodsBetween(span.first, span.last)) {
    const kept = await db
      .selectFrom('reports.kept_regular_visitors')
      .select('period')
      .where('organisation_id', '=', organisationId)
      .where('period', '=', period.key)
      .executeTakeFirst();
    if (kept) continue;
    const counted = await regularVisitorCounts(db, [organisationId], period);
    const regular = counted.rows.reduce((sum, r) => sum + Number(r.n), 0);
    await db.insertInto('reports.kept_regular_visitors').values({ organisation_id: organisationId, period: period.key, regular_visitors: regular }).execute();
  }
  const { rows: gone } = await sql<{ n: number }>`
    with gone as (
      delete from circulation.visits where organisation_id = ${organisationId} and visited_on < ${before}
      returning reader_id, visited_on, reading_room
    ), counted as (
      insert into reports.kept_counts as k (organisation_id, day, what, reader_group, reading_room, n)
      select ${organisationId}::bigint, v.visited_on, 'visit', ${groupOf}, v.reading_room, count(*)::int
        from gone v join readers.readers r on r.id = v.reader_id
       group by 2, 4, 5
      on conflict (organisation_id, day, what, reader_group, reading_room, fund, domain, language) do update set n = k.n + excluded.n
    )
    select count(*)::int as n from gone`.execute(db);
  return Number(gone[0]?.n ?? 0);
}

/**
 * Reading-room uses and contacts (event attendance, remote contacts) are counted without the
 * reader: the link goes, the row and its numbers stay.
 */
export async function unlinkCountedRows(db: Executor, organisationId: number, selection: { readerIds: readonly number[] } | { before: string }): Promise<void> {
  if ('readerIds' in selection && !selection.readerIds.length) return;
  for (const [table, day] of [
    ['circulation.reading_room_uses', 'used_on'],
    ['circulation.contacts', 'occurred_on'],
  ] as const) {
    const which = 'readerIds' in selection ? sql`reader_id in (${sql.join([...selection.readerIds])})` : sql`${sql.ref(day)} < ${selection.before}`;
    await sql`update ${sql.table(table)} set reader_id = null
               where organisation_id = ${organisationId} and reader_id is not null and ${which}`.execute(db);
  }
}

/** The first moment of a library's day, for the loans returned before it. */
export async function startOfLibraryDay(db: Executor, organisationId: number, day: string): Promise<Date> {
  return startOfLocalDay(day, await organisationTimeZone(db, organisationId));
}

/**
 * Folds the library's textbook issues returned before a day into the kept counts of the annual
 * report (textbooks.kept_issues: per day issued and language group, never a reader), then removes
 * them. An issue not returned is a debt and stays. The caller passes a day no later than the start
 * of any report period still under way. Returns how many issues went. Call inside a transaction.
 */
export async function foldTextbookIssues(db: Executor, organisationId: number, returnedBefore: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with gone as (
      delete from textbooks.issues i
       where i.organisation_id = ${organisationId} and i.returned_on is not null and i.returned_on < ${returnedBefore}
      returning i.issued_on, i.work_id
    ), counted as (
      insert into textbooks.kept_issues as k (organisation_id, day, language, n)
      select ${organisationId}::bigint, g.issued_on, ${langOf(sql`w.language`)}, count(*)::int
        from gone g join catalog.works w on w.id = g.work_id
       group by 2, 3
      on conflict (organisation_id, day, language) do update set n = k.n + excluded.n
    )
    select count(*)::int as n from gone`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
