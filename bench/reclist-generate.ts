/**
 * Synthetic regions and republics for the recommended-list monitoring, written straight into
 * PostgreSQL with generate_series: organisations, a list of 1,770 titles, and either
 * per-school statistics rows (the aggregate level, any size in seconds) or real catalogue
 * works, matches, copies and students for some schools (the copy level, measured smaller).
 */
import { sql } from 'kysely';
import type { Db } from '../src/db/connect.js';

/** The list's make-up by category (MISSION.md §2), as counts of 1,770 titles. */
export const LIST_SHARES = [
  ['classical', 373],
  ['independence', 692],
  ['contemporary', 209],
  ['abroad', 51],
  ['foreign', 445],
] as const;
export const LIST_TITLES = LIST_SHARES.reduce((s, [, n]) => s + n, 0);

export interface Tree {
  republicId: number;
  republicPath: string;
  regions: { id: number; path: string }[];
  districts: { id: number; path: string; regionId: number }[];
  schools: number;
}

/**
 * republic → regions → districts → schools, spread evenly. Names and codes are synthetic;
 * paths are set in one statement per level.
 */
export async function generateTree(db: Db, options: { regions: number; districtsPerRegion: number; schools: number }): Promise<Tree> {
  const republic = await sql<{ id: number }>`
    insert into org.organisations (parent_id, kind, name, code) values (null, 'republic', 'Синтетикалық республика', 'BENCH-R')
    returning id`.execute(db);
  const republicId = republic.rows[0]!.id;
  await sql`update org.organisations set path = '/' || id || '/' where id = ${republicId}`.execute(db);
  await sql`
    insert into org.organisations (parent_id, kind, name, code)
    select ${republicId}, 'region', 'Облыс ' || g, 'BENCH-O' || g from generate_series(1, ${options.regions}::int) g`.execute(db);
  await setPaths(db, 'region');
  await sql`
    insert into org.organisations (parent_id, kind, name, code)
    select r.id, 'district', 'Аудан ' || r.id || '-' || g, 'BENCH-D' || r.id || '-' || g
    from org.organisations r, generate_series(1, ${options.districtsPerRegion}::int) g
    where r.kind = 'region' and r.parent_id = ${republicId}`.execute(db);
  await setPaths(db, 'district');
  // Schools are dealt round-robin over the districts so every district gets its share.
  await sql`
    with d as (select id, row_number() over (order by id) - 1 as k, count(*) over () as n
               from org.organisations where kind = 'district' and path like ${`/${republicId}/%`})
    insert into org.organisations (parent_id, kind, name, code)
    select d.id, 'school', 'Мектеп №' || g, 'BENCH-S' || g
    from generate_series(1, ${options.schools}::int) g join d on d.k = (g - 1) % d.n`.execute(db);
  await setPaths(db, 'school');
  const rows = await db
    .selectFrom('org.organisations')
    .select(['id', 'path', 'parent_id', 'kind'])
    .where('kind', 'in', ['region', 'district'])
    .where(sql<boolean>`path like ${`/${republicId}/%`}`)
    .orderBy('id')
    .execute();
  return {
    republicId,
    republicPath: `/${republicId}/`,
    regions: rows.filter((r) => r.kind === 'region').map((r) => ({ id: r.id, path: r.path })),
    districts: rows.filter((r) => r.kind === 'district').map((r) => ({ id: r.id, path: r.path, regionId: r.parent_id! })),
    schools: options.schools,
  };
}

async function setPaths(db: Db, kind: string) {
  await sql`
    update org.organisations o set path = p.path || o.id || '/'
    from org.organisations p where o.parent_id = p.id and o.kind = ${kind} and o.path = '/'`.execute(db);
}

/** A list version of 1,770 synthetic titles with the programme's category shares and grade bands. */
export async function generateList(db: Db, year: number): Promise<number> {
  const version = await db.insertInto('reclist.versions').values({ year, source_name: 'synthetic', imported_by: null }).returning('id').executeTakeFirstOrThrow();
  let from = 1;
  for (const [category, n] of LIST_SHARES) {
    await sql`
      insert into reclist.entries (version_id, position, entry_key, title, author, category, age_group, language, sort_key)
      select ${version.id}, g, 'avtor ' || g || '|kitap ' || g, 'Кітап ' || g, 'Автор ' || g, ${category},
             (array['1-4','5-9','10-11'])[1 + g % 3], 'kaz', lpad(g::text, 6, '0')
      from generate_series(${from}::int, ${from + n - 1}::int) g`.execute(db);
    from += n;
  }
  return version.id;
}

/**
 * The aggregate level: one statistics row per school with plausible figures (coverage 20–90 %,
 * a fund of 20–95 thousand copies, so 700 schools hold about 40 M copies), as if each school's
 * own server had computed it. setseed makes two runs generate the same numbers.
 */
export async function generateSchoolStats(db: Db, rootPath: string, period: number, listYear: number): Promise<number> {
  await sql`select setseed(0.42)`.execute(db);
  const categories = sql.join(
    LIST_SHARES.map(
      ([category, n]) =>
        sql`jsonb_build_object('category', ${sql.lit(category)}, 'titles', ${sql.lit(n)}, 'held', floor(${sql.lit(n)} * y.f)::int, 'copies', floor(${sql.lit(n)} * y.f * y.per)::int)`,
    ),
  );
  const result = await sql`
    insert into reclist.school_stats (organisation_id, period, origin, list_year, titles_total, titles_held, list_copies,
                                      students, copies_total, fiction_copies, kazakh_copies, by_category, bought)
    select x.id, ${period}::smallint, 'local', ${listYear}::smallint, ${LIST_TITLES}::int, (x.cats->0->>'held')::int + (x.cats->1->>'held')::int
             + (x.cats->2->>'held')::int + (x.cats->3->>'held')::int + (x.cats->4->>'held')::int,
           (x.cats->0->>'copies')::int + (x.cats->1->>'copies')::int + (x.cats->2->>'copies')::int
             + (x.cats->3->>'copies')::int + (x.cats->4->>'copies')::int,
           x.students, x.fund, floor(x.fund * x.fiction)::int, floor(x.fund * x.kazakh)::int, x.cats, x.bought
    from (
      select y.*, jsonb_build_array(${categories}) as cats
      from (
        select o.id, 0.2 + 0.7 * random() as f, 1 + 3 * random() as per, 150 + floor(random() * 1300)::int as students,
               20000 + floor(random() * 75000)::int as fund, 0.25 + 0.2 * random() as fiction, 0.5 + 0.4 * random() as kazakh,
               -- the reference to o makes the subquery run (and draw random numbers) once per school
               (select jsonb_agg(jsonb_build_object('year', yy, 'source', src, 'copies', floor(random() * 300)::int))
                  from generate_series(${period - 2}::int, ${period}::int) yy, unnest(array['budget_purchase','gift','state_order']) src
                 where o.id > 0) as bought
        from org.organisations o where o.kind = 'school' and o.path like ${rootPath + '%'}
      ) y
    ) x`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * The copy level for the given schools: works (the list's editions, confirmed, plus
 * other books), copies and students, all with generate_series. About 10 % of a school's copies
 * are of list titles, as in a school fund where textbooks and other books dominate.
 */
export async function generateCopies(
  db: Db,
  schoolIds: number[],
  options: { versionId: number; copiesPerSchool: number; otherWorks: number; studentsPerSchool: number },
): Promise<{ schools: number; copies: number }> {
  const ids = sql.join(schoolIds);
  await sql`select setseed(0.17)`.execute(db);
  const listWorks = await sql<{ id: number }>`
    insert into catalog.works (title, language, knowledge_group, search_key, sort_key)
    select e.title, 'kaz', 'fiction', 'kitap ' || e.position, e.sort_key
    from reclist.entries e where e.version_id = ${options.versionId} order by e.position
    returning id`.execute(db);
  const firstListWork = Math.min(...listWorks.rows.map((r) => r.id));
  await sql`
    insert into reclist.matches (entry_key, work_id, status, method)
    select e.entry_key, ${firstListWork}::bigint + e.position - 1, 'confirmed', 'manual'
    from reclist.entries e where e.version_id = ${options.versionId}`.execute(db);
  const other = await sql<{ min: number; max: number }>`
    with w as (
      insert into catalog.works (title, language, knowledge_group, search_key, sort_key)
      select 'Басқа кітап ' || g, (array['kaz','rus','kaz','eng'])[1 + g % 4],
             (array['fiction','natural_sciences','socio_political','other'])[1 + g % 4], 'baska kitap ' || g, lpad(g::text, 8, '0')
      from generate_series(1, ${options.otherWorks}::int) g
      returning id)
    select min(id) as min, max(id) as max from w`.execute(db);
  const { min, max } = other.rows[0]!;
  const listCount = listWorks.rows.length;
  const copies = await sql`
    insert into fund.copies (organisation_id, work_id, inventory_number, barcode, fund, status, acquired_on)
    select s.id,
           case when random() < 0.1 then ${firstListWork}::bigint + floor(random() * ${listCount}::int)::bigint
                else ${min}::bigint + floor(random() * (${max}::bigint - ${min}::bigint + 1))::bigint end,
           g::text, '1' || lpad(g::text, 9, '0'), 'main',
           case when random() < 0.03 then 'written_off' else 'available' end,
           date '2012-01-01' + floor(random() * 5000)::int
    from org.organisations s cross join generate_series(1, ${options.copiesPerSchool}::int) g
    where s.id in (${ids})`.execute(db);
  await sql`
    insert into readers.readers (organisation_id, registration_number, barcode, kind, last_name, first_name, grade)
    select s.id, 'B-' || g, '2' || lpad(g::text, 9, '0'), 'student', 'Оқушы', 'Аты', 1 + g % 11
    from org.organisations s cross join generate_series(1, ${options.studentsPerSchool}::int) g
    where s.id in (${ids})`.execute(db);
  await sql`analyze`.execute(db);
  return { schools: schoolIds.length, copies: Number(copies.numAffectedRows ?? 0) };
}
