import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { significantDates } from '../calendar/significant-dates.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { t } from '../i18n/index.js';
import type { Locale } from '../org/schema.js';
import { invalid, notFound } from '../shared/errors.js';
import { addDays, libraryToday } from '../shared/library-time.js';
import { checkDate, eventsStaff, eventsViewer, ownRow, trimOrNull } from './access.js';
import { printDate } from './table-pdf.js';

export interface ExhibitionInput {
  title: string;
  theme?: string | null;
  description?: string | null;
  startsOn: string;
  endsOn: string;
  place?: string | null;
  isPublic?: boolean;
  workIds?: number[];
  scheduleItemId?: number | null;
}

export interface ExhibitionWork {
  workId: number;
  title: string;
  authors: string;
  publishYear: number | null;
  copies: number;
}

export interface ExhibitionView {
  id: number;
  title: string;
  theme: string | null;
  description: string | null;
  startsOn: string;
  endsOn: string;
  place: string | null;
  isPublic: boolean;
  calendarKey: string | null;
  scheduleItemId: number | null;
  works: ExhibitionWork[];
}

async function checkWorks(db: Executor, workIds: number[]) {
  const ids = [...new Set(workIds)];
  if (ids.length === 0) return ids;
  if (ids.length > 500) throw invalid('events.too_many_works', { max: 500 });
  const found = await db.selectFrom('catalog.works').select('id').where('id', 'in', ids).execute();
  const missing = ids.find((id) => !found.some((f) => Number(f.id) === id));
  if (missing !== undefined) throw notFound('work', missing);
  return ids;
}

function exhibitionRow(input: ExhibitionInput) {
  const title = input.title.trim();
  if (!title) throw invalid('events.title_missing');
  checkDate(input.startsOn, 'startsOn');
  checkDate(input.endsOn, 'endsOn');
  if (input.endsOn < input.startsOn) throw invalid('events.period_backwards', { from: input.startsOn, to: input.endsOn });
  return {
    title,
    theme: trimOrNull(input.theme),
    description: trimOrNull(input.description),
    starts_on: input.startsOn,
    ends_on: input.endsOn,
    place: trimOrNull(input.place),
    is_public: input.isPublic ?? false,
  };
}

async function checkScheduleItem(db: Executor, actor: Actor, id: number | null | undefined) {
  if (id == null) return null;
  const ancestors = actor.orgPath.split('/').filter(Boolean).map(Number);
  const row = await db.selectFrom('events.schedule_items').select('id').where('id', '=', id).where('organisation_id', 'in', ancestors).executeTakeFirst();
  if (!row) throw notFound('schedule_item', id);
  return id;
}

export async function createExhibition(db: Executor, actor: Actor, input: ExhibitionInput & { calendarKey?: string | null }): Promise<number> {
  const { who, org } = eventsStaff(actor);
  const values = exhibitionRow(input);
  const works = await checkWorks(db, input.workIds ?? []);
  const scheduleItemId = await checkScheduleItem(db, who, input.scheduleItemId);
  return auditedChange(
    db,
    who,
    (id: number) => ({ action: 'create', entity: 'exhibition', entityId: id, details: { title: values.title, works: works.length } }),
    async (trx) => {
      const r = await trx
        .insertInto('events.exhibitions')
        .values({ ...values, organisation_id: org, calendar_key: input.calendarKey ?? null, schedule_item_id: scheduleItemId, created_by: who.userId })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = Number(r.id);
      if (works.length) await trx.insertInto('events.exhibition_works').values(works.map((w, i) => ({ exhibition_id: id, work_id: w, position: i + 1 }))).execute();
      return id;
    },
  );
}

export async function updateExhibition(db: Executor, actor: Actor, id: number, input: ExhibitionInput): Promise<void> {
  const { who, org } = eventsStaff(actor);
  await ownRow(db, 'events.exhibitions', id, org, 'exhibition');
  const values = exhibitionRow(input);
  const works = input.workIds ? await checkWorks(db, input.workIds) : null;
  const scheduleItemId = await checkScheduleItem(db, who, input.scheduleItemId);
  await auditedChange(db, who, { action: 'update', entity: 'exhibition', entityId: id, details: { title: values.title } }, async (trx) => {
    await trx.updateTable('events.exhibitions').set({ ...values, schedule_item_id: scheduleItemId }).where('id', '=', id).execute();
    if (works) {
      await trx.deleteFrom('events.exhibition_works').where('exhibition_id', '=', id).execute();
      if (works.length) await trx.insertInto('events.exhibition_works').values(works.map((w, i) => ({ exhibition_id: id, work_id: w, position: i + 1 }))).execute();
    }
  });
}

export async function deleteExhibition(db: Executor, actor: Actor, id: number): Promise<void> {
  const { who, org } = eventsStaff(actor);
  await ownRow(db, 'events.exhibitions', id, org, 'exhibition');
  await auditedChange(db, who, { action: 'delete', entity: 'exhibition', entityId: id }, async (trx) => {
    await trx.deleteFrom('events.exhibitions').where('id', '=', id).execute();
  });
}

export async function exhibitionsOf(db: Executor, org: number, q: { from?: string; to?: string; publicOnly?: boolean; id?: number }): Promise<ExhibitionView[]> {
  let query = db.selectFrom('events.exhibitions').selectAll().where('organisation_id', '=', org);
  if (q.from) query = query.where('ends_on', '>=', checkDate(q.from, 'from'));
  if (q.to) query = query.where('starts_on', '<=', checkDate(q.to, 'to'));
  if (q.publicOnly) query = query.where('is_public', '=', true);
  if (q.id !== undefined) query = query.where('id', '=', q.id);
  const rows = await query.orderBy('starts_on', 'desc').orderBy('id', 'desc').limit(1000).execute();
  const ids = rows.map((r) => r.id);
  const works = ids.length
    ? await db
        .selectFrom('events.exhibition_works as x')
        .innerJoin('catalog.works as w', 'w.id', 'x.work_id')
        .select(['x.exhibition_id', 'x.work_id', 'x.position', 'w.title', 'w.publish_year'])
        .select(sql<string>`coalesce((select string_agg(a.name, ', ' order by wa.position) from catalog.work_authors wa join catalog.authors a on a.id = wa.author_id where wa.work_id = w.id), '')`.as('authors'))
        .select((eb) =>
          eb
            .selectFrom('fund.copies as c')
            .select(eb.fn.countAll<number>().as('n'))
            .whereRef('c.work_id', '=', 'x.work_id')
            .where('c.organisation_id', '=', org)
            .where('c.status', 'not in', ['written_off', 'lost'])
            .as('copies'),
        )
        .where('x.exhibition_id', 'in', ids)
        .orderBy('x.position')
        .execute()
    : [];
  return rows.map((r) => ({
    id: Number(r.id),
    title: r.title,
    theme: r.theme,
    description: r.description,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    place: r.place,
    isPublic: r.is_public,
    calendarKey: r.calendar_key,
    scheduleItemId: r.schedule_item_id === null ? null : Number(r.schedule_item_id),
    works: works
      .filter((w) => Number(w.exhibition_id) === Number(r.id))
      .map((w) => ({ workId: Number(w.work_id), title: w.title, authors: w.authors, publishYear: w.publish_year, copies: Number(w.copies ?? 0) })),
  }));
}

export async function listExhibitions(db: Executor, actor: Actor, q: { from?: string; to?: string }) {
  const { org } = eventsViewer(actor);
  return exhibitionsOf(db, org, q);
}

export async function getExhibition(db: Executor, actor: Actor, id: number): Promise<ExhibitionView> {
  const { org } = eventsViewer(actor);
  const [x] = await exhibitionsOf(db, org, { id });
  if (!x) throw notFound('exhibition', id);
  return x;
}

/**
 * An exhibition made in one step from a calendar entry: titled with the name and the anniversary,
 * around the date (a week before to two weeks after), showing the person's works the library holds.
 */
export async function exhibitionFromCalendar(db: Executor, actor: Actor, input: { key: string; year: number }, locale: Locale): Promise<number> {
  const { who, org } = eventsStaff(actor);
  const { items } = await significantDates(db, org, { year: input.year });
  const item = items.find((i) => i.key === input.key);
  if (!item) throw notFound('calendar_item', input.key);
  const name = locale === 'ru' ? (item.nameRu ?? item.name) : locale === 'en' ? (item.nameEn ?? item.name) : item.name;
  const title = item.years !== null ? t(locale, 'events.exhibition_title_anniversary', { name, years: item.years }) : name;
  let startsOn: string;
  let endsOn: string;
  if (item.date) {
    startsOn = addDays(item.date, -7);
    endsOn = addDays(item.date, 14);
  } else {
    const today = await libraryToday(db, org);
    startsOn = today;
    endsOn = addDays(today, 30);
  }
  let workIds: number[] = [];
  if (item.authorId !== null) {
    const rows = await db
      .selectFrom('catalog.work_authors as wa')
      .innerJoin('fund.copies as c', 'c.work_id', 'wa.work_id')
      .select('wa.work_id')
      .distinct()
      .where('wa.author_id', '=', item.authorId)
      .where('c.organisation_id', '=', org)
      .where('c.status', 'not in', ['written_off', 'lost'])
      .orderBy('wa.work_id')
      .limit(200)
      .execute();
    workIds = rows.map((r) => Number(r.work_id));
  }
  return createExhibition(db, who, {
    title,
    theme: t(locale, item.years !== null ? 'events.exhibition_theme_anniversary' : 'events.exhibition_theme_day', { name, date: item.date ? printDate(item.date) : String(item.year) }),
    startsOn,
    endsOn,
    workIds,
    calendarKey: `${input.year}:${input.key}`,
  });
}
