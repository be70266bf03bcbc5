import { sql } from 'kysely';
import type { Executor } from '../db/executor.js';
import { formatClassName } from '../readers/classes.js';
import { readersWithConsent } from '../readers/consent.js';
import type { Period } from './access.js';
import { organisationTimeZone, startOfLocalDay } from '../shared/library-time.js';

export type NominationCode = 'first_reader' | 'youngest' | 'most_regular' | 'genre_top' | 'record_holder';

export interface Nomination {
  code: NominationCode;
  readerId: number;
  name: string | null;
  className: string | null;
  /** What won it: the date of the first loan, the age in years, the months with loans, the loans. */
  value: string;
  /** For the top reader of a genre: the knowledge group or genre. */
  genre: string | null;
}

/**
 * Nominations found from the loans themselves (pupils only): the first reader of the period, the
 * youngest reader, the most regular (loans in the most distinct weeks), the top reader of each genre
 * and the record holder (most books borrowed).
 */
export async function nominations(db: Executor, organisationId: number, period: Pick<Period, 'from' | 'to'>, showAllNames: boolean): Promise<Nomination[]> {
  // the library's own days and weeks, not the database session's
  const zone = await organisationTimeZone(db, organisationId);
  const from = startOfLocalDay(period.from, zone);
  const until = startOfLocalDay(period.to, zone, 1);
  const base = sql`
    from circulation.loans l
    join readers.readers r on r.id = l.reader_id
    where l.organisation_id = ${organisationId} and r.kind = 'student' and r.status = 'active'
      and l.issued_at >= ${from} and l.issued_at < ${until}`;
  type Row = { reader_id: number; value: string; genre?: string | null };
  const first = await sql<Row>`select l.reader_id, (min(l.issued_at) at time zone ${zone})::date::text as value ${base} group by l.reader_id order by min(l.issued_at), l.reader_id limit 1`.execute(db);
  const youngest = await sql<Row>`
    select l.reader_id, max(r.birth_date)::text as value ${base} and r.birth_date is not null
    group by l.reader_id order by max(r.birth_date) desc, l.reader_id limit 1`.execute(db);
  const regular = await sql<Row>`
    select l.reader_id, count(distinct date_trunc('week', l.issued_at at time zone ${zone}))::text as value ${base}
    group by l.reader_id order by count(distinct date_trunc('week', l.issued_at at time zone ${zone})) desc, count(*) desc, l.reader_id limit 1`.execute(db);
  const record = await sql<Row>`
    select l.reader_id, count(*)::text as value ${base} group by l.reader_id order by count(*) desc, l.reader_id limit 1`.execute(db);
  const genres = await sql<Row>`
    select distinct on (g) g as genre, reader_id, n::text as value from (
      select coalesce(w.genre, w.knowledge_group) as g, l.reader_id, count(*) as n
      ${sql`from circulation.loans l
        join readers.readers r on r.id = l.reader_id
        join fund.copies c on c.id = l.copy_id
        join catalog.works w on w.id = c.work_id
        where l.organisation_id = ${organisationId} and r.kind = 'student' and r.status = 'active'
          and l.issued_at >= ${from} and l.issued_at < ${until}
          and coalesce(w.genre, w.knowledge_group) is not null and c.fund <> 'textbook'`}
      group by 1, 2) t
    order by g, n desc, reader_id`.execute(db);
  const picks: { code: NominationCode; row: Row }[] = [
    ...first.rows.map((row) => ({ code: 'first_reader' as const, row })),
    ...youngest.rows.map((row) => ({ code: 'youngest' as const, row })),
    ...regular.rows.map((row) => ({ code: 'most_regular' as const, row })),
    ...genres.rows.map((row) => ({ code: 'genre_top' as const, row })),
    ...record.rows.map((row) => ({ code: 'record_holder' as const, row })),
  ];
  if (picks.length === 0) return [];
  const ids = [...new Set(picks.map((p) => p.row.reader_id))];
  const readers = await db
    .selectFrom('readers.readers')
    .select(['id', 'last_name', 'first_name', 'grade', 'class_letter'])
    .where('id', 'in', ids)
    .where('organisation_id', '=', organisationId)
    .execute();
  const byId = new Map(readers.map((r) => [r.id, r]));
  const allowed = showAllNames ? new Set(ids) : await readersWithConsent(db, organisationId, ids, 'public_name');
  return picks.map(({ code, row }) => {
    const r = byId.get(row.reader_id)!;
    return {
      code,
      readerId: row.reader_id,
      name: allowed.has(row.reader_id) ? `${r.last_name} ${r.first_name}` : null,
      className: formatClassName(r.grade, r.class_letter),
      value: row.value,
      genre: row.genre ?? null,
    };
  });
}
