import type { Actor } from '../auth/actor.js';
import { allow, belongsTo } from '../auth/guard.js';
import { foldForSearch } from '../catalog/folding.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { formatClassName } from '../readers/classes.js';
import { invalid, notFound } from '../shared/errors.js';
import { addDays } from '../shared/library-time.js';
import { readingStaff } from './access.js';

/**
 * Biblio-cross actions (seed 001): "we read one author together" — a class reads the works of one author in a
 * period — and "six months of reading" — a reader reads at least N books in each of six months. Both count the
 * confirmed reading records only, so a result is something the school can stand behind.
 */
export type ActionKind = 'one_author' | 'six_months';
export const ACTION_KINDS = ['one_author', 'six_months'] as const;
const SIX_MONTHS = 6;

export interface ActionInput {
  kind: ActionKind;
  title: string;
  author?: string | null;
  startsOn: string;
  /** one_author only: six_months always runs six calendar months from its start */
  endsOn?: string | null;
  booksPerMonth?: number;
}

export interface ReadingAction {
  id: number;
  kind: ActionKind;
  title: string;
  author: string | null;
  startsOn: string;
  endsOn: string;
  booksPerMonth: number;
}

const view = (r: { id: number; kind: ActionKind; title: string; author: string | null; starts_on: string; ends_on: string; books_per_month: number }): ReadingAction => ({
  id: Number(r.id),
  kind: r.kind,
  title: r.title,
  author: r.author,
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  booksPerMonth: r.books_per_month,
});

/** The first day of the month `n` months after the one `date` falls in. */
function monthStart(date: string, n: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + n;
  const year = y + Math.floor(m / 12);
  const month = (m % 12) + 1;
  return `${year}-${String(month).padStart(2, '0')}-01`;
}

export async function createAction(db: Executor, actor: Actor | null, input: ActionInput): Promise<ReadingAction> {
  const org = readingStaff(actor);
  const title = input.title.trim();
  if (!title) throw invalid('reading.title_missing');
  const author = input.author?.trim() || null;
  if (input.kind === 'one_author' && (!author || !foldForSearch(author))) throw invalid('reading.action_author_missing');
  let startsOn = input.startsOn;
  let endsOn: string;
  if (input.kind === 'six_months') {
    // six whole calendar months from the month it starts in
    startsOn = monthStart(input.startsOn, 0);
    endsOn = addDays(monthStart(input.startsOn, SIX_MONTHS), -1);
  } else {
    endsOn = input.endsOn ?? '';
    if (!endsOn || endsOn < startsOn) throw invalid('reading.action_bad_period', { from: startsOn, to: endsOn || '—' });
  }
  const row = await auditedChange(
    db,
    actor!,
    (r: { id: number }) => ({ action: 'create', entity: 'reading_action', entityId: Number(r.id), details: { kind: input.kind, title } }),
    (trx) =>
      trx
        .insertInto('reading.actions')
        .values({
          organisation_id: org,
          kind: input.kind,
          title,
          author: input.kind === 'one_author' ? author : null,
          starts_on: startsOn,
          ends_on: endsOn,
          books_per_month: input.booksPerMonth ?? 1,
          created_by: actor!.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
  );
  return view(row);
}

export async function deleteAction(db: Executor, actor: Actor | null, id: number): Promise<void> {
  const org = readingStaff(actor);
  await auditedChange(db, actor!, { action: 'delete', entity: 'reading_action', entityId: id }, async (trx) => {
    const gone = await trx.deleteFrom('reading.actions').where('id', '=', id).where('organisation_id', '=', org).executeTakeFirst();
    if (!gone.numDeletedRows) throw notFound('reading_action', id);
  });
}

/** The library's actions, newest first: its staff and class teachers see them. */
export async function listActions(db: Executor, actor: Actor | null): Promise<ReadingAction[]> {
  const who = allow(actor, 'staffAndTeachers');
  const rows = await db.selectFrom('reading.actions').selectAll().where('organisation_id', '=', who.organisationId).orderBy('starts_on', 'desc').orderBy('id', 'desc').execute();
  return rows.map(view);
}

export interface ActionClass {
  className: string;
  pupils: number;
  /** pupils who read at least one book of the author (one_author) or finished the six months (six_months) */
  done: number;
  books: number;
  share: number;
}

export interface ActionReader {
  readerId: number;
  /** results are seen by the library's staff and the class teacher only, who know their pupils by name */
  name: string;
  className: string | null;
  books: number;
  /** six_months: distinct books in each of the six months */
  months: number[] | null;
  done: boolean;
}

export interface ActionResults {
  action: ReadingAction;
  classes: ActionClass[];
  readers: ActionReader[];
}

/**
 * Who took part and how far: per class (pupils on the roll, those who did it, books) and per reader. A class
 * teacher sees the own class only.
 */
export async function actionResults(db: Executor, actor: Actor | null, id: number): Promise<ActionResults> {
  const who = allow(actor, 'staffAndTeachers');
  const row = await db.selectFrom('reading.actions').selectAll().where('id', '=', id).where('organisation_id', '=', who.organisationId).executeTakeFirst();
  if (!row) throw notFound('reading_action', id);
  const action = view(row);
  let pupils = db
    .selectFrom('readers.readers')
    .select(['id', 'last_name', 'first_name', 'grade', 'class_letter'])
    .where('organisation_id', '=', who.organisationId)
    .where('kind', '=', 'student')
    .where('status', '=', 'active')
    .where('grade', 'is not', null);
  if (belongsTo(who, 'teachers')) {
    pupils = pupils.where('grade', '=', who.classGrade ?? -1).where('blocked_at', 'is', null);
    pupils = who.classLetter === null ? pupils.where('class_letter', 'is', null) : pupils.where('class_letter', '=', who.classLetter);
  }
  const roll = await pupils.execute();
  const records = await db
    .selectFrom('reading.records')
    .select(['reader_id', 'book_key', 'author', 'read_on'])
    .where('organisation_id', '=', who.organisationId)
    .where('status', '=', 'confirmed')
    .where('read_on', '>=', action.startsOn)
    .where('read_on', '<=', action.endsOn)
    .execute();

  // the author in any script: every word of the action's author among the words of the record's author
  const wanted = action.author ? foldForSearch(action.author).split(' ').filter(Boolean) : [];
  const byAuthor = (author: string | null) => {
    const words = new Set(foldForSearch(author).split(' '));
    return wanted.every((w) => words.has(w));
  };
  const books = new Map<number, Set<string>>();
  const perMonth = new Map<number, Set<string>[]>();
  for (const r of records) {
    const readerId = Number(r.reader_id);
    if (action.kind === 'one_author') {
      if (!byAuthor(r.author)) continue;
      (books.get(readerId) ?? books.set(readerId, new Set()).get(readerId)!).add(r.book_key);
    } else {
      const month = (Number(r.read_on.slice(0, 4)) - Number(action.startsOn.slice(0, 4))) * 12 + Number(r.read_on.slice(5, 7)) - Number(action.startsOn.slice(5, 7));
      if (month < 0 || month >= SIX_MONTHS) continue;
      const months = perMonth.get(readerId) ?? perMonth.set(readerId, Array.from({ length: SIX_MONTHS }, () => new Set<string>())).get(readerId)!;
      months[month]!.add(r.book_key);
      (books.get(readerId) ?? books.set(readerId, new Set()).get(readerId)!).add(r.book_key);
    }
  }

  const readers: ActionReader[] = [];
  const classes = new Map<string, ActionClass & { grade: number; letter: string }>();
  for (const p of roll) {
    const id = Number(p.id);
    const className = formatClassName(p.grade, p.class_letter);
    const count = books.get(id)?.size ?? 0;
    const months = action.kind === 'six_months' ? (perMonth.get(id) ?? []).map((m) => m.size) : null;
    const full = months ? Array.from({ length: SIX_MONTHS }, (_, i) => months[i] ?? 0) : null;
    const done = action.kind === 'one_author' ? count > 0 : full!.every((n) => n >= action.booksPerMonth);
    const key = className ?? '';
    const c = classes.get(key) ?? { className: key, pupils: 0, done: 0, books: 0, share: 0, grade: p.grade ?? 0, letter: p.class_letter ?? '' };
    c.pupils++;
    c.books += count;
    if (done) c.done++;
    classes.set(key, c);
    if (count > 0) {
      readers.push({ readerId: id, name: `${p.last_name} ${p.first_name}`, className, books: count, months: full, done });
    }
  }
  const kazakh = new Intl.Collator('kk');
  const classList = [...classes.values()]
    .map(({ grade: _g, letter: _l, ...c }) => ({ ...c, share: c.pupils ? Math.round((c.done / c.pupils) * 1000) / 10 : 0 }))
    .sort((a, b) => b.share - a.share || b.books - a.books || kazakh.compare(a.className, b.className));
  readers.sort((a, b) => Number(b.done) - Number(a.done) || b.books - a.books || kazakh.compare(a.name, b.name));
  return { action, classes: classList, readers };
}
