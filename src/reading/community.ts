import { allow } from '../auth/guard.js';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { foldForSearch } from '../catalog/folding.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { formatClassName } from '../readers/classes.js';
import { AppError, conflict, forbidden, invalid, isUniqueViolation } from '../shared/errors.js';
import type { Period } from './access.js';
import { bookKey } from './records.js';
import type { ContestStage } from './schema.js';

// ——— Families ———

export interface Family {
  id: number;
  name: string;
  members: { readerId: number; name: string; kind: string; className: string | null }[];
}

export async function listFamilies(db: Executor, library: number): Promise<Family[]> {
  const families = await db.selectFrom('reading.families').select(['id', 'name']).where('organisation_id', '=', library).orderBy('name').orderBy('id').execute();
  const members = await db
    .selectFrom('reading.family_members as m')
    .innerJoin('readers.readers as r', 'r.id', 'm.reader_id')
    .select(['m.family_id', 'r.id', 'r.last_name', 'r.first_name', 'r.kind', 'r.grade', 'r.class_letter'])
    .where('m.organisation_id', '=', library)
    .orderBy('r.kind')
    .orderBy('r.sort_key')
    .execute();
  return families.map((f) => ({
    id: f.id,
    name: f.name,
    members: members
      .filter((m) => m.family_id === f.id)
      .map((m) => ({ readerId: m.id, name: `${m.last_name} ${m.first_name}`, kind: m.kind, className: formatClassName(m.grade, m.class_letter) })),
  }));
}

/** Links readers of the library as one family (siblings and parents); a reader belongs to one family. */
export async function saveFamily(db: Executor, actor: Actor, library: number, input: { id?: number; name: string; readerIds: number[] }): Promise<Family> {
  const ids = [...new Set(input.readerIds)];
  if (ids.length < 2) throw invalid('reading.family_too_small');
  const found = await db.selectFrom('readers.readers').select('id').where('organisation_id', '=', library).where('id', 'in', ids).execute();
  if (found.length !== ids.length) {
    const missing = ids.find((id) => !found.some((f) => f.id === id))!;
    throw new AppError('reading.reader_not_found', 404, { id: missing });
  }
  if (input.id !== undefined) {
    const own = await db.selectFrom('reading.families').select('id').where('id', '=', input.id).where('organisation_id', '=', library).executeTakeFirst();
    if (!own) throw new AppError('reading.family_not_found', 404, { id: input.id });
  }
  try {
    const id = await auditedChange(
      db,
      actor,
      (id: number) =>
        input.id
          ? { action: 'update', entity: 'reading_family', entityId: id, details: { name: input.name, readerIds: ids }, organisationId: library }
          : { action: 'create', entity: 'reading_family', entityId: id, details: { name: input.name, readerIds: ids }, organisationId: library },
      async (trx) => {
        let familyId = input.id;
        if (familyId === undefined) {
          familyId = (await trx.insertInto('reading.families').values({ organisation_id: library, name: input.name.trim() }).returning('id').executeTakeFirstOrThrow()).id;
        } else {
          await trx.updateTable('reading.families').set({ name: input.name.trim() }).where('id', '=', familyId).execute();
          await trx.deleteFrom('reading.family_members').where('family_id', '=', familyId).execute();
        }
        await trx
          .insertInto('reading.family_members')
          .values(ids.map((reader_id) => ({ family_id: familyId!, reader_id, organisation_id: library })))
          .execute();
        return familyId;
      },
    );
    return (await listFamilies(db, library)).find((f) => f.id === id)!;
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('reading.reader_in_other_family');
    throw err;
  }
}

// ——— Bookcrossing ———

export async function recordBookcrossing(
  db: Executor,
  actor: Actor,
  library: number,
  input: { happenedOn: string; direction: 'given' | 'taken'; books: number; title?: string | null },
  today: string,
): Promise<void> {
  if (input.happenedOn > today) throw invalid('reading.date_in_future', { date: input.happenedOn });
  await auditedChange(
    db,
    actor,
    input.direction === 'given'
      ? { action: 'give', entity: 'bookcrossing', details: { books: input.books, happenedOn: input.happenedOn }, organisationId: library }
      : { action: 'take', entity: 'bookcrossing', details: { books: input.books, happenedOn: input.happenedOn }, organisationId: library },
    async (trx) => {
      await trx
        .insertInto('reading.bookcrossing')
        .values({ organisation_id: library, happened_on: input.happenedOn, direction: input.direction, books: input.books, title: input.title?.trim() || null, recorded_by: actor.userId })
        .execute();
    },
  );
}

/** Books given to and taken from the bookcrossing shelf in a period, with the latest lines. */
export async function bookcrossingSummary(db: Executor, organisationIds: readonly number[], period: Pick<Period, 'from' | 'to'>) {
  if (organisationIds.length === 0) return { given: 0, taken: 0, lines: [] };
  const rows = await db
    .selectFrom('reading.bookcrossing')
    .select(['id', 'happened_on', 'direction', 'books', 'title'])
    .where('organisation_id', 'in', [...organisationIds])
    .where('happened_on', '>=', period.from)
    .where('happened_on', '<=', period.to)
    .orderBy('happened_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return {
    given: rows.filter((r) => r.direction === 'given').reduce((s, r) => s + r.books, 0),
    taken: rows.filter((r) => r.direction === 'taken').reduce((s, r) => s + r.books, 0),
    lines: rows.slice(0, 100).map((r) => ({ id: r.id, happenedOn: r.happened_on, direction: r.direction, books: r.books, title: r.title })),
  };
}

// ——— "I read it and recommend it" ———

export interface Recommendation {
  id: number;
  workId: number;
  title: string;
  text: string;
  status: 'pending' | 'approved' | 'rejected';
  /** The pupil's name where it may be shown, else null ("reader of class 5Ә"). */
  name: string | null;
  className: string | null;
}

export async function recommend(db: Executor, actor: Actor, library: number, readerId: number, input: { workId: number; text: string }): Promise<void> {
  const work = await db.selectFrom('catalog.works').select('id').where('id', '=', input.workId).executeTakeFirst();
  if (!work) throw new AppError('reading.work_not_found', 404, { id: input.workId });
  await auditedChange(
    db,
    actor,
    { action: 'create', entity: 'reading_recommendation', details: { workId: input.workId, readerId }, organisationId: library },
    async (trx) => {
      await trx.insertInto('reading.recommendations').values({ organisation_id: library, reader_id: readerId, work_id: input.workId, text: input.text.trim() }).execute();
    },
  );
}

function recommendationsQuery(db: Executor) {
  return db
    .selectFrom('reading.recommendations as rc')
    .innerJoin('readers.readers as r', 'r.id', 'rc.reader_id')
    .innerJoin('catalog.works as w', 'w.id', 'rc.work_id')
    .select(['rc.id', 'rc.work_id', 'w.title', 'rc.text', 'rc.status', 'rc.organisation_id', 'r.id as reader_id', 'r.last_name', 'r.first_name', 'r.grade', 'r.class_letter', 'r.kind'])
    .select(
      sql<boolean>`(r.kind <> 'student' or exists (select 1 from readers.consents c where c.reader_id = r.id and c.scope = 'public_name' and c.withdrawn_on is null))`.as('public_name'),
    );
}

type RecRow = Awaited<ReturnType<ReturnType<typeof recommendationsQuery>['execute']>>[number];
const toRecommendation = (r: RecRow, showName: boolean): Recommendation => ({
  id: r.id,
  workId: r.work_id,
  title: r.title,
  text: r.text,
  status: r.status,
  name: showName || r.public_name ? `${r.last_name} ${r.first_name}` : null,
  className: formatClassName(r.grade, r.class_letter),
});

/** The library's recommendations for the librarian: waiting ones first. */
export async function libraryRecommendations(db: Executor, library: number): Promise<Recommendation[]> {
  const rows = await recommendationsQuery(db)
    .where('rc.organisation_id', '=', library)
    .orderBy(sql`case rc.status when 'pending' then 0 else 1 end`)
    .orderBy('rc.id', 'desc')
    .limit(300)
    .execute();
  return rows.map((r) => toRecommendation(r, true));
}

/** Approved recommendations of a work, shown in the catalogue (names only with consent). */
export async function workRecommendations(db: Executor, workId: number, library: number | null): Promise<Recommendation[]> {
  let q = recommendationsQuery(db).where('rc.work_id', '=', workId).where('rc.status', '=', 'approved');
  if (library !== null) q = q.where('rc.organisation_id', '=', library);
  const rows = await q.orderBy('rc.id', 'desc').limit(50).execute();
  return rows.map((r) => toRecommendation(r, false));
}

export async function decideRecommendation(db: Executor, actor: Actor, library: number, id: number, status: 'approved' | 'rejected'): Promise<void> {
  const row = await db.selectFrom('reading.recommendations').select('id').where('id', '=', id).where('organisation_id', '=', library).executeTakeFirst();
  if (!row) throw new AppError('reading.recommendation_not_found', 404, { id });
  const entry =
    status === 'approved'
      ? { action: 'approve', entity: 'reading_recommendation', entityId: id, organisationId: library }
      : { action: 'reject', entity: 'reading_recommendation', entityId: id, organisationId: library };
  await auditedChange(db, actor, entry, async (trx) => {
    await trx.updateTable('reading.recommendations').set({ status, decided_by: actor.userId }).where('id', '=', id).execute();
  });
}

// ——— The contest register ———

export interface ContestEntrant {
  id: number;
  readerId: number;
  name: string;
  className: string | null;
  stage: string | null;
  place: number | null;
  nomination: string | null;
}

export interface Contest {
  id: number;
  organisationId: number;
  name: string;
  level: 'school' | 'district' | 'region' | 'republic';
  startsOn: string;
  endsOn: string;
  grades: string | null;
  jury: string | null;
  stages: ContestStage[];
  entrants: ContestEntrant[];
}

export interface ContestInput {
  name: string;
  level: Contest['level'];
  startsOn: string;
  endsOn: string;
  grades?: string | null;
  jury?: string | null;
  stages?: ContestStage[];
}

export async function getContest(db: Executor, library: number, id: number): Promise<Contest> {
  const c = await db.selectFrom('reading.contests').selectAll().where('id', '=', id).where('organisation_id', '=', library).executeTakeFirst();
  if (!c) throw new AppError('reading.contest_not_found', 404, { id });
  const entrants = await db
    .selectFrom('reading.contest_entrants as e')
    .innerJoin('readers.readers as r', 'r.id', 'e.reader_id')
    .select(['e.id', 'e.reader_id', 'e.stage', 'e.place', 'e.nomination', 'r.last_name', 'r.first_name', 'r.grade', 'r.class_letter'])
    .where('e.contest_id', '=', id)
    .orderBy(sql`coalesce(e.place, 99)`)
    .orderBy('r.sort_key')
    .execute();
  return {
    id: c.id,
    organisationId: c.organisation_id,
    name: c.name,
    level: c.level,
    startsOn: c.starts_on,
    endsOn: c.ends_on,
    grades: c.grades,
    jury: c.jury,
    stages: c.stages,
    entrants: entrants.map((e) => ({
      id: e.id,
      readerId: e.reader_id,
      name: `${e.last_name} ${e.first_name}`,
      className: formatClassName(e.grade, e.class_letter),
      stage: e.stage,
      place: e.place,
      nomination: e.nomination,
    })),
  };
}

export async function listContests(db: Executor, library: number) {
  const rows = await db
    .selectFrom('reading.contests as c')
    .select(['c.id', 'c.name', 'c.level', 'c.starts_on', 'c.ends_on'])
    .select((eb) => eb.selectFrom('reading.contest_entrants as e').select(eb.fn.countAll<number>().as('n')).whereRef('e.contest_id', '=', 'c.id').as('entrants'))
    .where('c.organisation_id', '=', library)
    .orderBy('c.starts_on', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, level: r.level, startsOn: r.starts_on, endsOn: r.ends_on, entrants: Number(r.entrants ?? 0) }));
}

export async function createContest(db: Executor, actor: Actor, library: number, input: ContestInput): Promise<Contest> {
  if (input.endsOn < input.startsOn) throw invalid('reading.contest_bad_period', { from: input.startsOn, to: input.endsOn });
  const id = await auditedChange(
    db,
    actor,
    (id: number) => ({ action: 'create', entity: 'reading_contest', entityId: id, details: { name: input.name, startsOn: input.startsOn, endsOn: input.endsOn }, organisationId: library }),
    async (trx) =>
      (
        await trx
          .insertInto('reading.contests')
          .values({
            organisation_id: library,
            name: input.name.trim(),
            level: input.level,
            starts_on: input.startsOn,
            ends_on: input.endsOn,
            grades: input.grades?.trim() || null,
            jury: input.jury?.trim() || null,
            stages: JSON.stringify(input.stages ?? []),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
  );
  return getContest(db, library, id);
}

/**
 * Adds a reader to a contest or changes the entrant's stage, place and nomination. A place is given
 * only to a reader with a confirmed reading record in the contest's period: a self-report still
 * waiting for the stamp does not count.
 */
export async function saveEntrant(
  db: Executor,
  actor: Actor,
  library: number,
  contestId: number,
  input: { readerId: number; stage?: string | null; place?: number | null; nomination?: string | null },
): Promise<Contest> {
  const contest = await getContest(db, library, contestId);
  const reader = await db.selectFrom('readers.readers').select('id').where('id', '=', input.readerId).where('organisation_id', '=', library).executeTakeFirst();
  if (!reader) throw new AppError('reading.reader_not_found', 404, { id: input.readerId });
  if (input.place != null) {
    const confirmed = await db
      .selectFrom('reading.records')
      .select('id')
      .where('reader_id', '=', input.readerId)
      .where('status', '=', 'confirmed')
      .where('read_on', '>=', contest.startsOn)
      .where('read_on', '<=', contest.endsOn)
      .executeTakeFirst();
    if (!confirmed) throw invalid('reading.place_without_confirmed_reading', { id: input.readerId });
  }
  await auditedChange(
    db,
    actor,
    { action: 'save_entrant', entity: 'reading_contest', entityId: contestId, details: { readerId: input.readerId, place: input.place ?? null, nomination: input.nomination ?? null }, organisationId: library },
    async (trx) => {
      await trx
        .insertInto('reading.contest_entrants')
        .values({ contest_id: contestId, organisation_id: library, reader_id: input.readerId, stage: input.stage ?? null, place: input.place ?? null, nomination: input.nomination?.trim() || null })
        .onConflict((oc) =>
          oc.columns(['contest_id', 'reader_id']).doUpdateSet({ stage: input.stage ?? null, place: input.place ?? null, nomination: input.nomination?.trim() || null }),
        )
        .execute();
    },
  );
  return getContest(db, library, contestId);
}

// ——— "One country – one book" ———

export interface NationalBook {
  year: number;
  title: string;
  author: string;
  imported: boolean;
}

export async function nationalBook(db: Executor, year: number): Promise<NationalBook | null> {
  const row = await db.selectFrom('reading.national_books').selectAll().where('year', '=', year).executeTakeFirst();
  return row ? { year: row.year, title: row.title, author: row.author, imported: row.imported } : null;
}

/** The year's title is set once, at republic level (an admin or a methodologist of the republic). */
export async function setNationalBook(db: Executor, actor: Actor, input: { year: number; title: string; author: string }, imported = false): Promise<NationalBook> {
  if (!imported) {
    const org = await db.selectFrom('org.organisations').select('kind').where('id', '=', actor.organisationId).executeTakeFirst();
    allow(actor, 'overseers');
    if (org?.kind !== 'republic') throw forbidden();
  }
  const key = bookKey(null, input.title, input.author);
  const entry = imported
    ? { action: 'import', entity: 'national_book', entityId: input.year, details: { title: input.title, author: input.author } }
    : { action: 'set', entity: 'national_book', entityId: input.year, details: { title: input.title, author: input.author } };
  await auditedChange(db, actor, entry, async (trx) => {
    await trx
      .insertInto('reading.national_books')
      .values({ year: input.year, title: input.title.trim(), author: input.author.trim(), book_key: key, set_by: actor.userId, imported })
      .onConflict((oc) => oc.column('year').doUpdateSet({ title: input.title.trim(), author: input.author.trim(), book_key: key, set_by: actor.userId, imported }))
      .execute();
  });
  return (await nationalBook(db, input.year))!;
}

/** The package a republic server gives to a school on its own embedded instance. */
export function nationalBookPackage(book: NationalBook) {
  return { kind: 'kitaphana.national-book', version: 1, year: book.year, title: book.title, author: book.author };
}

/** A school imports the republic's package; the library's admin or librarian does it. */
export async function importNationalBook(db: Executor, actor: Actor, pkg: unknown): Promise<NationalBook> {
  const p = pkg as { kind?: unknown; version?: unknown; year?: unknown; title?: unknown; author?: unknown };
  if (p?.kind !== 'kitaphana.national-book' || p.version !== 1 || typeof p.year !== 'number' || typeof p.title !== 'string' || typeof p.author !== 'string' || !p.title.trim()) {
    throw invalid('reading.package_invalid');
  }
  allow(actor, 'staff');
  return setNationalBook(db, actor, { year: p.year, title: p.title, author: p.author }, true);
}

/**
 * Readers of the year's national title, by class, summed upward: a confirmed record whose title and
 * author fold to the national book's (or whose work bears that title) counts once per reader.
 */
export async function nationalBookStandings(db: Executor, organisationIds: readonly number[], year: number) {
  const book = await nationalBook(db, year);
  if (!book || organisationIds.length === 0) return { book, total: 0, pupils: 0, classes: [] as { organisationId: number; className: string; readers: number; pupils: number }[] };
  const titleKey = foldForSearch(book.title);
  const { rows } = await sql<{ organisation_id: number; grade: number; class_letter: string | null; pupils: number; readers: number }>`
    with who as (
      select distinct rr.reader_id from reading.records rr
      where rr.organisation_id in (${sql.join(organisationIds.map((id) => sql`${id}`))})
        and rr.status = 'confirmed' and rr.read_on between ${`${year}-01-01`} and ${`${year}-12-31`}
        and (rr.book_key = ${book_keyOf(book)} or lower(rr.title) = lower(${book.title}) or rr.book_key like ${`t:${titleKey}|%`}))
    select r.organisation_id, r.grade, r.class_letter, count(*)::int as pupils, count(who.reader_id)::int as readers
    from readers.readers r left join who on who.reader_id = r.id
    where r.organisation_id in (${sql.join(organisationIds.map((id) => sql`${id}`))})
      and r.kind = 'student' and r.status = 'active' and r.grade is not null
    group by 1, 2, 3
    order by 1, 2, 3`.execute(db);
  const classes = rows.map((r) => ({ organisationId: r.organisation_id, className: formatClassName(r.grade, r.class_letter)!, readers: r.readers, pupils: r.pupils }));
  return { book, total: classes.reduce((s, c) => s + c.readers, 0), pupils: classes.reduce((s, c) => s + c.pupils, 0), classes };
}

function book_keyOf(book: NationalBook): string {
  return bookKey(null, book.title, book.author);
}
