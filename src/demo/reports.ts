import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { addDays } from '../circulation/dates.js';
import type { Executor } from '../db/executor.js';
import { schoolYearOf } from '../shared/library-time.js';
import type { Random } from './random.js';


/**
 * The annual report's part of the demo: readers re-registered at their first visit or loan of each year
 * (the generated history writes visits and loans directly), event attendance, virtual references and
 * reading-room use through the year, the school's plan and passport, the district's schedule.
 */
export async function seedReports(
  trx: Executor,
  rng: Random,
  input: { schoolId: number; neighbourIds: number[]; districtId: number; librarian: Actor; methodologist: Actor; today: string },
): Promise<{ registrations: number; contacts: number }> {
  const libraries = [input.schoolId, ...input.neighbourIds];
  // Re-registration: a reader's first activity of each calendar year and school year.
  const schoolYear = sql<string>`case when extract(month from d) >= 9 then extract(year from d)::int || '-' || (extract(year from d)::int + 1)
                                     else (extract(year from d)::int - 1) || '-' || extract(year from d)::int end`;
  const { rows } = await sql<{ n: number }>`
    with activity as (
      select organisation_id, reader_id, visited_on as d from circulation.visits where organisation_id in (${sql.join(libraries)})
      union all
      select organisation_id, reader_id, (issued_at at time zone 'Asia/Almaty')::date from circulation.loans where organisation_id in (${sql.join(libraries)})
    ), cycles as (
      select organisation_id, reader_id, d, extract(year from d)::int::text as cycle from activity
      union all
      select organisation_id, reader_id, d, ${schoolYear} from activity
    ), ins as (
      insert into readers.registrations (organisation_id, reader_id, cycle, registered_on, reader_group, how)
      select distinct on (c.reader_id, c.cycle) c.organisation_id, c.reader_id, c.cycle, c.d,
             case when r.kind = 'teacher' then 'teachers'
                  when r.kind = 'student' and r.grade between 1 and 4 then 'grades_1_4'
                  when r.kind = 'student' and r.grade between 5 and 9 then 'grades_5_9'
                  when r.kind = 'student' and r.grade between 10 and 11 then 'grades_10_11'
                  else 'others' end, 'visit'
        from cycles c join readers.readers r on r.id = c.reader_id
       order by c.reader_id, c.cycle, c.d
      on conflict do nothing returning 1)
    select count(*)::int as n from ins`.execute(trx);

  // Events attended, virtual references and online renewals over the past year (the school's own).
  let contacts = 0;
  for (let back = 330; back > 0; back -= rng.int(6, 12)) {
    const day = addDays(input.today, -back);
    await trx.insertInto('circulation.contacts').values({ organisation_id: input.schoolId, kind: 'event', occurred_on: day, quantity: rng.int(18, 45), note: null, reader_id: null, recorded_by: input.librarian.userId }).execute();
    if (rng.chance(0.5)) {
      await trx.insertInto('circulation.contacts').values({ organisation_id: input.schoolId, kind: 'virtual_reference', occurred_on: day, quantity: rng.int(1, 4), note: null, reader_id: null, recorded_by: input.librarian.userId }).execute();
    }
    contacts += 1;
  }
  // Reading-room use on the days readers came.
  await sql`insert into circulation.reading_room_uses (organisation_id, reader_id, used_on, items, recorded_by)
    select organisation_id, reader_id, visited_on, 1 + (reader_id % 3), ${input.librarian.userId}
      from circulation.visits where organisation_id = ${input.schoolId} and (reader_id + extract(doy from visited_on)::int) % 9 = 0`.execute(trx);
  await sql`update circulation.visits set reading_room = true
     where organisation_id = ${input.schoolId} and (reader_id + extract(doy from visited_on)::int) % 9 = 0`.execute(trx);

  // The plan and passport of the current school year and the last calendar year, as the librarian entered them.
  const lastYear = String(Number(input.today.slice(0, 4)) - 1);
  const current = schoolYearOf(input.today);
  const figures = await sql<{ readers: number; visits: number; loans: number }>`
    select (select count(*) from readers.readers where organisation_id = ${input.schoolId} and status = 'active')::int as readers,
           (select count(*) from circulation.visits where organisation_id = ${input.schoolId})::int as visits,
           (select count(*) from circulation.loans where organisation_id = ${input.schoolId})::int as loans`.execute(trx);
  const f = figures.rows[0]!;
  for (const period of [lastYear, current]) {
    const plan = { readers: f.readers, visits: Math.round(f.visits * 1.1), loans: Math.round(f.loans * 1.1), acquired: 300, exhibitions: 40, events: 30, reviews: 5, consultations: 43, lessons: 12, excursions: 4 };
    await trx
      .insertInto('reports.plans')
      .values(Object.entries(plan).map(([indicator, value]) => ({ organisation_id: input.schoolId, period, indicator, value, updated_by: input.librarian.userId })))
      .execute();
    await trx
      .insertInto('reports.passports')
      .values({
        organisation_id: input.schoolId, period, area_m2: 81, reading_room_m2: 40, storage_m2: 32.4, seats: 15, computers: 4, internet_computers: 3, open_access_copies: 1340,
        texts: JSON.stringify({ websites: 'abai7-semey.edu.kz — кітапхана бетінде жаңа түсімдер мен көрмелер', socialNetworks: 'Instagram @abai7_kitaphana, Telegram арнасы: 640 жазылушы' }),
        updated_by: input.librarian.userId,
      })
      .execute();
  }
  await trx.insertInto('reports.settings').values({ organisation_id: input.schoolId, regular_visit_days: 10 }).execute();
  await trx.insertInto('reports.schedules').values({ organisation_id: input.districtId, period: lastYear, due_on: `${input.today.slice(0, 4)}-01-20`, set_by: input.methodologist.userId }).execute();
  return { registrations: Number(rows[0]?.n ?? 0), contacts };
}
