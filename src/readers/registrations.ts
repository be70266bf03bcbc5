import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { libraryOf } from '../auth/actor.js';
import { auditedChange } from '../db/transaction.js';
import type { Executor } from '../db/executor.js';
import { invalid } from '../shared/errors.js';
import { libraryToday, schoolYearOf, schoolYearRange } from '../shared/library-time.js';

export const READER_GROUPS = ['grades_1_4', 'grades_5_9', 'grades_10_11', 'teachers', 'others'] as const;
export type ReaderGroup = (typeof READER_GROUPS)[number];

/** The report group of a reader from its kind and grade. */
export function readerGroupOf(kind: string, grade: number | null): ReaderGroup {
  if (kind === 'teacher') return 'teachers';
  if (kind === 'student' && grade !== null) {
    if (grade >= 1 && grade <= 4) return 'grades_1_4';
    if (grade >= 5 && grade <= 9) return 'grades_5_9';
    if (grade >= 10 && grade <= 11) return 'grades_10_11';
  }
  return 'others';
}

/** The two cycles a day belongs to: its calendar year and its school year. */
export function cyclesOf(day: string): [string, string] {
  return [day.slice(0, 4), schoolYearOf(day)];
}

/**
 * Re-registers a reader for the calendar year and the school year of the day, the first time the
 * reader visits or borrows in them; later activity changes nothing. One statement.
 */
export async function registerActivity(db: Executor, organisationId: number, readerId: number | number[], day: string, how: 'visit' | 'loan'): Promise<void> {
  const ids = Array.isArray(readerId) ? [...new Set(readerId)] : [readerId];
  if (!ids.length) return;
  const [year, schoolYear] = cyclesOf(day);
  await sql`
    insert into readers.registrations (organisation_id, reader_id, cycle, registered_on, reader_group, how)
    select r.organisation_id, r.id, c.cycle, ${day}::date,
           case when r.kind = 'teacher' then 'teachers'
                when r.kind = 'student' and r.grade between 1 and 4 then 'grades_1_4'
                when r.kind = 'student' and r.grade between 5 and 9 then 'grades_5_9'
                when r.kind = 'student' and r.grade between 10 and 11 then 'grades_10_11'
                else 'others' end,
           ${how}
      from readers.readers r cross join (values (${year}::text), (${schoolYear}::text)) as c(cycle)
     where r.id in (${sql.join(ids)}) and r.organisation_id = ${organisationId}
    on conflict (reader_id, cycle) do nothing`.execute(db);
}

/**
 * Re-registers every active reader of a class (or all teachers) for a school year in one go, as a
 * librarian does in September. Returns how many were newly registered.
 */
export async function registerClass(
  db: Executor,
  actor: Actor,
  input: { schoolYear: string; grade?: number; classLetter?: string; teachers?: boolean },
): Promise<{ registered: number }> {
  const library = libraryOf(actor);
  let range: { from: string; to: string };
  try {
    range = schoolYearRange(input.schoolYear);
  } catch {
    throw invalid('reports.bad_school_year', { value: input.schoolYear });
  }
  if (!input.teachers && input.grade === undefined) throw invalid('reports.class_required');
  const today = await libraryToday(db, library);
  const day = today < range.from ? range.from : today > range.to ? range.to : today;
  return auditedChange(
    db,
    actor,
    (r: { registered: number }) => ({ action: 'register_class', entity: 'reader_registration', details: { schoolYear: input.schoolYear, grade: input.grade ?? null, classLetter: input.classLetter ?? null, teachers: input.teachers ?? false, registered: r.registered } }),
    async (trx) => {
      const filter = input.teachers
        ? sql`r.kind = 'teacher'`
        : sql`r.kind = 'student' and r.grade = ${input.grade!} ${input.classLetter ? sql`and r.class_letter = ${input.classLetter}` : sql``}`;
      const { rows } = await sql<{ n: number }>`
        with ins as (
          insert into readers.registrations (organisation_id, reader_id, cycle, registered_on, reader_group, how)
          select r.organisation_id, r.id, c.cycle, ${day}::date,
                 case when r.kind = 'teacher' then 'teachers'
                      when r.kind = 'student' and r.grade between 1 and 4 then 'grades_1_4'
                      when r.kind = 'student' and r.grade between 5 and 9 then 'grades_5_9'
                      when r.kind = 'student' and r.grade between 10 and 11 then 'grades_10_11'
                      else 'others' end,
                 'bulk'
            from readers.readers r cross join (values (${input.schoolYear}::text), (${day.slice(0, 4)}::text)) as c(cycle)
           where r.organisation_id = ${library} and r.status = 'active' and ${filter}
          on conflict (reader_id, cycle) do nothing
          returning cycle)
        select count(*) filter (where cycle = ${input.schoolYear})::int as n from ins`.execute(trx);
      return { registered: Number(rows[0]?.n ?? 0) };
    },
  );
}
