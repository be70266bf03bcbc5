import { belongsTo } from '../auth/guard.js';
import { sql, type RawBuilder } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { formatClassName } from '../readers/classes.js';
import { readersWithConsent } from '../readers/consent.js';
import type { Period } from './access.js';

/** The goal of the "100 books a year" movement. */
export const YEAR_GOAL = 100;

const kazakh = new Intl.Collator('kk');
const inList = (ids: readonly number[]) => sql.join(ids.map((id) => sql`${id}`));

/** The school year whose exact range a period is ('2024-2025' for 1 Sep 2024 – 31 Aug 2025), if it is one. */
function wholeSchoolYear(period: Pick<Period, 'from' | 'to'>): string | null {
  const y = Number(period.from.slice(0, 4));
  return period.from === `${y}-09-01` && period.to === `${y + 1}-08-31` ? `${y}-${y + 1}` : null;
}

/** The calendar year a period is exactly ('2025' for 1 January – 31 December 2025), if it is one. */
function wholeYear(period: Pick<Period, 'from' | 'to'>): string | null {
  const y = period.from.slice(0, 4);
  return period.from === `${y}-01-01` && period.to === `${y}-12-31` ? y : null;
}

/**
 * The period a reader's removed records are kept by (reading.kept_books): a whole school year or a
 * whole calendar year, the two periods standings and the annual report are asked for.
 */
export function keptPeriodKey(period: Pick<Period, 'from' | 'to'>): string | null {
  return wholeSchoolYear(period) ?? wholeYear(period);
}

/**
 * Per reader, a figure counted from the records (or the trigger's yearly counts) for the readers
 * still having them in the period, and the kept figure for those whose records of the period the
 * library's retention removed (reading/retention.ts): the kept one was counted while all the
 * period's records were there, so a past standing reads the same before and after.
 */
function withKept(live: RawBuilder<unknown>, organisationIds: readonly number[], period: Pick<Period, 'from' | 'to'>, column: 'books' | 'pages') {
  const key = keptPeriodKey(period);
  if (!key) return live;
  return sql`
    select live.reader_id, live.${sql.ref(column)} from (${live}) live
     where not exists (select 1 from reading.kept_books k where k.reader_id = live.reader_id and k.period = ${key})
    union all
    select k.reader_id, k.${sql.ref(column)} from reading.kept_books k
     where k.period = ${key} and k.organisation_id in (${inList(organisationIds)}) and k.books > 0`;
}

/**
 * Confirmed distinct books per reader in a period: one book counts once per reader however often it
 * was read. The one place that says what counts; every standing is built on it. For a whole school
 * year the database keeps a book once per reader (records_once_per_year_uq) and a trigger keeps
 * each reader's count (reading.reader_year_books), so a region's millions of records are not
 * counted again for every standing. Readers whose old records went count what was kept.
 */
function booksPerReader(organisationIds: readonly number[], period: Pick<Period, 'from' | 'to'>) {
  const schoolYear = wholeSchoolYear(period);
  const live = schoolYear
    ? sql`
      select y.reader_id, y.books
      from reading.reader_year_books y
      where y.school_year = ${schoolYear}
        and y.organisation_id in (${inList(organisationIds)})
        and y.books > 0`
    : sql`
      select rr.reader_id, count(distinct rr.book_key)::int as books
      from reading.records rr
      where rr.organisation_id in (${inList(organisationIds)})
        and rr.status = 'confirmed'
        and rr.read_on between ${period.from} and ${period.to}
      group by rr.reader_id`;
  return withKept(live, organisationIds, period, 'books');
}

/** Pages of the confirmed records per reader in a period (the tie-break of reader standings). */
function pagesPerReader(organisationIds: readonly number[], period: Pick<Period, 'from' | 'to'>) {
  const live = sql`
    select rr.reader_id, coalesce(sum(rr.pages), 0)::int as pages from reading.records rr
    where rr.organisation_id in (${inList(organisationIds)}) and rr.status = 'confirmed'
      and rr.read_on between ${period.from} and ${period.to}
    group by rr.reader_id`;
  return withKept(live, organisationIds, period, 'pages');
}

export interface ClassStanding {
  organisationId: number;
  organisationName: string;
  grade: number;
  classLetter: string | null;
  className: string;
  pupils: number;
  books: number;
  readers: number;
  booksPerPupil: number;
  rank: number;
}

/**
 * The most reading class: confirmed books of the class's pupils divided by the pupils on its roll,
 * so that a class of 20 competes fairly with a class of 32. Ranked by books per pupil.
 */
export async function classStandings(
  db: Executor,
  organisationIds: readonly number[],
  period: Pick<Period, 'from' | 'to'>,
  only?: { grade: number; classLetter: string | null },
): Promise<ClassStanding[]> {
  if (organisationIds.length === 0) return [];
  const classFilter = only
    ? sql`and r.grade = ${only.grade} and ${only.classLetter === null ? sql`r.class_letter is null` : sql`r.class_letter = ${only.classLetter}`}`
    : sql``;
  const { rows } = await sql<{ organisation_id: number; name: string; grade: number; class_letter: string | null; pupils: number; books: number; readers: number }>`
    with b as (${booksPerReader(organisationIds, period)})
    select r.organisation_id, o.name, r.grade, r.class_letter,
           count(*)::int as pupils, coalesce(sum(b.books), 0)::int as books, count(b.reader_id)::int as readers
    from readers.readers r
    join org.organisations o on o.id = r.organisation_id
    left join b on b.reader_id = r.id
    where r.organisation_id in (${inList(organisationIds)})
      and r.kind = 'student' and r.status = 'active' and r.grade is not null
      ${classFilter}
    group by r.organisation_id, o.name, r.grade, r.class_letter`.execute(db);
  const items = rows.map((r) => ({
    organisationId: r.organisation_id,
    organisationName: r.name,
    grade: r.grade,
    classLetter: r.class_letter,
    className: formatClassName(r.grade, r.class_letter)!,
    pupils: r.pupils,
    books: r.books,
    readers: r.readers,
    booksPerPupil: Math.round((r.books / r.pupils) * 100) / 100,
    rank: 0,
  }));
  items.sort(
    (a, b) =>
      b.books / b.pupils - a.books / a.pupils ||
      b.books - a.books ||
      a.grade - b.grade ||
      kazakh.compare(a.classLetter ?? '', b.classLetter ?? '') ||
      a.organisationId - b.organisationId,
  );
  let rank = 0;
  items.forEach((item, i) => {
    const prev = items[i - 1];
    if (!prev || prev.books * item.pupils !== item.books * prev.pupils) rank = i + 1;
    item.rank = rank;
  });
  return items;
}

export interface ReaderStanding {
  readerId: number;
  organisationId: number;
  /** The name, or null where it may not be shown: the page then says "reader of class 5Ә". */
  name: string | null;
  className: string | null;
  kind: string;
  books: number;
  pages: number;
  rank: number;
}

/** Shows a name only where the viewer is the library's staff or the parent consented to it being shown. */
async function withNames<T extends { readerId: number; organisationId: number; name: string | null }>(
  db: Executor,
  items: T[],
  showAll: boolean,
): Promise<T[]> {
  if (showAll) return items;
  const byOrg = new Map<number, number[]>();
  for (const it of items) byOrg.set(it.organisationId, [...(byOrg.get(it.organisationId) ?? []), it.readerId]);
  const allowed = new Set<number>();
  for (const [org, ids] of byOrg) for (const id of await readersWithConsent(db, org, ids, 'public_name')) allowed.add(id);
  return items.map((it) => (allowed.has(it.readerId) ? it : { ...it, name: null }));
}

/** Whether an actor sees every name of a library (its librarians) rather than the consented ones. */
export function seesAllNames(actor: Actor): boolean {
  return belongsTo(actor, 'staff');
}

/**
 * Readers ranked by confirmed books in a period: the best readers of a class, of the school, the
 * reader of the year and the 100-books list all read it.
 */
export async function readerStandings(
  db: Executor,
  organisationIds: readonly number[],
  period: Pick<Period, 'from' | 'to'>,
  options: { grade?: number; classLetter?: string | null; minBooks?: number; limit?: number; showAllNames: boolean; kinds?: string[] },
): Promise<ReaderStanding[]> {
  if (organisationIds.length === 0) return [];
  const classFilter =
    options.grade !== undefined
      ? sql`and r.grade = ${options.grade} and ${options.classLetter == null ? sql`r.class_letter is null` : sql`r.class_letter = ${options.classLetter}`}`
      : sql``;
  const kinds = options.kinds ?? ['student'];
  const { rows } = await sql<{ id: number; organisation_id: number; last_name: string; first_name: string; grade: number | null; class_letter: string | null; kind: string; books: number; pages: number }>`
    with b as (${booksPerReader(organisationIds, period)}),
    p as (${pagesPerReader(organisationIds, period)})
    select r.id, r.organisation_id, r.last_name, r.first_name, r.grade, r.class_letter, r.kind, b.books, coalesce(p.pages, 0)::int as pages
    from b join readers.readers r on r.id = b.reader_id
    left join p on p.reader_id = b.reader_id
    where r.status = 'active' and r.blocked_at is null and r.kind in (${sql.join(kinds.map((k) => sql`${k}`))})
      and b.books >= ${options.minBooks ?? 1}
      ${classFilter}
    order by b.books desc, pages desc, r.sort_key, r.id
    limit ${options.limit ?? 100}`.execute(db);
  let rank = 0;
  const items = rows.map((r, i) => {
    if (i === 0 || rows[i - 1]!.books !== r.books) rank = i + 1;
    return {
      readerId: r.id,
      organisationId: r.organisation_id,
      name: `${r.last_name} ${r.first_name}`,
      className: formatClassName(r.grade, r.class_letter),
      kind: r.kind,
      books: r.books,
      pages: r.pages,
      rank,
    };
  });
  return withNames(db, items, options.showAllNames);
}

/** One reader's confirmed books in a period, toward the goal of 100. */
export async function readerProgress(db: Executor, organisationId: number, readerId: number, period: Pick<Period, 'from' | 'to'>) {
  const key = keptPeriodKey(period);
  const { rows } = await sql<{ books: number; pending: number; kept: number | null }>`
    select count(distinct book_key) filter (where status = 'confirmed')::int as books,
           count(*) filter (where status = 'pending')::int as pending,
           (select k.books from reading.kept_books k where k.reader_id = ${readerId} and k.period = ${key ?? ''}) as kept
    from reading.records
    where organisation_id = ${organisationId} and reader_id = ${readerId} and read_on between ${period.from} and ${period.to}`.execute(db);
  const books = rows[0]?.kept ?? rows[0]?.books ?? 0;
  return { books, pending: rows[0]?.pending ?? 0, goal: YEAR_GOAL, reached: books >= YEAR_GOAL, share: Math.min(1, books / YEAR_GOAL) };
}

export interface FamilyStanding {
  familyId: number;
  organisationId: number;
  name: string;
  members: number;
  books: number;
  booksPerMember: number;
  rank: number;
}

/** The most reading family: the confirmed books of all its members (siblings and parents) summed. */
export async function familyStandings(db: Executor, organisationIds: readonly number[], period: Pick<Period, 'from' | 'to'>): Promise<FamilyStanding[]> {
  if (organisationIds.length === 0) return [];
  const { rows } = await sql<{ id: number; organisation_id: number; name: string; members: number; books: number }>`
    with b as (${booksPerReader(organisationIds, period)})
    select f.id, f.organisation_id, f.name, count(m.reader_id)::int as members, coalesce(sum(b.books), 0)::int as books
    from reading.families f
    join reading.family_members m on m.family_id = f.id
    left join b on b.reader_id = m.reader_id
    where f.organisation_id in (${inList(organisationIds)})
    group by f.id, f.organisation_id, f.name
    order by books desc, f.name, f.id`.execute(db);
  let rank = 0;
  return rows.map((r, i) => {
    if (i === 0 || rows[i - 1]!.books !== r.books) rank = i + 1;
    return {
      familyId: r.id,
      organisationId: r.organisation_id,
      name: r.name,
      members: r.members,
      books: r.books,
      booksPerMember: r.members ? Math.round((r.books / r.members) * 100) / 100 : 0,
      rank,
    };
  });
}

export interface ActiveShare {
  organisationId: number | null;
  className: string | null;
  pupils: number;
  activePupils: number;
  pupilShare: number;
  parents: number;
  activeParents: number;
  parentShare: number;
}

/**
 * The share of pupils and of parents active in the reading movement between two dates (inclusive):
 * a reader is active with a confirmed reading record, a day of a challenge or a contest entry in the
 * period. Returns the whole (organisationId null, className null) first, then each organisation, then
 * each class. Pupils are the active pupils on the roll; parents are the parents registered as readers.
 * The annual report reads this function.
 */
export async function activeShare(db: Executor, organisationIds: readonly number[], from: string, to: string): Promise<ActiveShare[]> {
  if (organisationIds.length === 0) return [];
  const orgs = inList(organisationIds);
  const { rows } = await sql<{ organisation_id: number; kind: string; grade: number | null; class_letter: string | null; total: number; active: number }>`
    with act as (
      select b.reader_id from (${booksPerReader(organisationIds, { from, to })}) b
      union
      select reader_id from reading.challenge_days
        where organisation_id in (${orgs}) and day between ${from} and ${to}
      union
      select e.reader_id from reading.contest_entrants e join reading.contests c on c.id = e.contest_id
        where e.organisation_id in (${orgs}) and c.starts_on <= ${to} and c.ends_on >= ${from}
    )
    select r.organisation_id, r.kind,
           case when r.kind = 'student' then r.grade end as grade,
           case when r.kind = 'student' then r.class_letter end as class_letter,
           count(*)::int as total, count(act.reader_id)::int as active
    from readers.readers r
    left join act on act.reader_id = r.id
    where r.organisation_id in (${orgs}) and r.status = 'active' and r.kind in ('student', 'parent')
    group by 1, 2, 3, 4`.execute(db);
  const blank = (organisationId: number | null, className: string | null): ActiveShare => ({
    organisationId,
    className,
    pupils: 0,
    activePupils: 0,
    pupilShare: 0,
    parents: 0,
    activeParents: 0,
    parentShare: 0,
  });
  const whole = blank(null, null);
  const perOrg = new Map<number, ActiveShare>();
  const perClass = new Map<string, ActiveShare & { grade: number; letter: string }>();
  for (const r of rows) {
    const org = perOrg.get(r.organisation_id) ?? blank(r.organisation_id, null);
    perOrg.set(r.organisation_id, org);
    const targets = [whole, org];
    if (r.kind === 'student' && r.grade !== null) {
      const k = `${r.organisation_id}|${r.grade}|${r.class_letter ?? ''}`;
      const cls = perClass.get(k) ?? { ...blank(r.organisation_id, formatClassName(r.grade, r.class_letter)), grade: r.grade, letter: r.class_letter ?? '' };
      perClass.set(k, cls);
      targets.push(cls);
    }
    for (const t of targets) {
      if (r.kind === 'student') {
        t.pupils += r.total;
        t.activePupils += r.active;
      } else {
        t.parents += r.total;
        t.activeParents += r.active;
      }
    }
  }
  const share = (a: number, n: number) => (n ? Math.round((a / n) * 1000) / 1000 : 0);
  const finish = (g: ActiveShare): ActiveShare => ({
    organisationId: g.organisationId,
    className: g.className,
    pupils: g.pupils,
    activePupils: g.activePupils,
    pupilShare: share(g.activePupils, g.pupils),
    parents: g.parents,
    activeParents: g.activeParents,
    parentShare: share(g.activeParents, g.parents),
  });
  const classes = [...perClass.values()].sort(
    (a, b) => (a.organisationId ?? 0) - (b.organisationId ?? 0) || a.grade - b.grade || kazakh.compare(a.letter, b.letter),
  );
  const out = [whole, ...[...perOrg.values()].sort((a, b) => (a.organisationId ?? 0) - (b.organisationId ?? 0)), ...classes].map(finish);
  return out;
}

/**
 * Recounts reading.reader_year_books from the records, for after a bulk load made with the
 * counting trigger switched off (an import, the benchmark). Returns the readers counted.
 */
export async function recountReaderYearBooks(db: Executor): Promise<number> {
  await sql`delete from reading.reader_year_books`.execute(db);
  const res = await sql`
    insert into reading.reader_year_books (reader_id, school_year, organisation_id, books)
    select reader_id, school_year, min(organisation_id), count(*)::int
    from reading.records where status = 'confirmed'
    group by reader_id, school_year`.execute(db);
  return Number(res.numAffectedRows ?? 0);
}
