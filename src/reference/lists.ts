import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { printDate } from '../events/table-pdf.js';
import { t } from '../i18n/index.js';
import type { Locale } from '../org/schema.js';
import { invalid, notFound } from '../shared/errors.js';
import { newPdf, pdfToBuffer } from '../shared/pdf.js';
import { referenceStaff } from './service.js';

export interface ListInput {
  kind: 'recommendation' | 'index';
  title: string;
  audience?: string | null;
  compiler?: string | null;
  intro?: string | null;
  items: { workId?: number | null; articleId?: number | null; annotation?: string | null }[];
}

const trimmed = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);

async function checkItems(db: Executor, org: number, items: ListInput['items']) {
  if (items.length > 1000) throw invalid('reference.too_many_items', { max: 1000 });
  for (const i of items) {
    if ((i.workId == null) === (i.articleId == null)) throw invalid('reference.item_work_or_article');
  }
  const works = items.map((i) => i.workId).filter((x): x is number => x != null);
  const articles = items.map((i) => i.articleId).filter((x): x is number => x != null);
  if (works.length) {
    const found = await db.selectFrom('catalog.works').select('id').where('id', 'in', works).execute();
    const missing = works.find((w) => !found.some((f) => Number(f.id) === w));
    if (missing !== undefined) throw notFound('work', missing);
  }
  if (articles.length) {
    const found = await db.selectFrom('reference.articles').select('id').where('id', 'in', articles).where('organisation_id', '=', org).execute();
    const missing = articles.find((w) => !found.some((f) => Number(f.id) === w));
    if (missing !== undefined) throw notFound('article', missing);
  }
}

/** A recommendation list or a bibliographic index: a saved, ordered list of works and articles. */
export async function saveList(db: Executor, actor: Actor, input: ListInput, id?: number): Promise<number> {
  const { who, org } = referenceStaff(actor);
  const title = input.title.trim();
  if (!title) throw invalid('reference.title_missing');
  if (id !== undefined) {
    const row = await db.selectFrom('reference.lists').select('id').where('id', '=', id).where('organisation_id', '=', org).executeTakeFirst();
    if (!row) throw notFound('list', id);
  }
  await checkItems(db, org, input.items);
  return auditedChange(
    db,
    who,
    (listId: number) => ({ action: id === undefined ? 'create' : 'update', entity: 'reference_list', entityId: listId, details: { title, items: input.items.length } }),
    async (trx) => {
      const values = { kind: input.kind, title, audience: trimmed(input.audience), compiler: trimmed(input.compiler), intro: trimmed(input.intro) };
      let listId = id;
      if (listId === undefined) listId = Number((await trx.insertInto('reference.lists').values({ ...values, organisation_id: org }).returning('id').executeTakeFirstOrThrow()).id);
      else {
        await trx.updateTable('reference.lists').set(values).where('id', '=', listId).execute();
        await trx.deleteFrom('reference.list_items').where('list_id', '=', listId).execute();
      }
      if (input.items.length) {
        await trx
          .insertInto('reference.list_items')
          .values(input.items.map((i, n) => ({ list_id: listId!, position: n + 1, work_id: i.workId ?? null, article_id: i.articleId ?? null, annotation: trimmed(i.annotation) })))
          .execute();
      }
      return listId;
    },
  );
}

export async function listLists(db: Executor, actor: Actor) {
  const { org } = referenceStaff(actor);
  const rows = await db
    .selectFrom('reference.lists as l')
    .selectAll('l')
    .select((eb) => eb.selectFrom('reference.list_items as i').select(eb.fn.countAll<number>().as('n')).whereRef('i.list_id', '=', 'l.id').as('items'))
    .where('l.organisation_id', '=', org)
    .orderBy('l.id', 'desc')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, title: r.title, audience: r.audience, compiler: r.compiler, items: Number(r.items ?? 0) }));
}

/** The entries of a list with their bibliographic descriptions, in the list's order. */
export async function listEntries(db: Executor, org: number, listId: number) {
  const list = await db.selectFrom('reference.lists').selectAll().where('id', '=', listId).where('organisation_id', '=', org).executeTakeFirst();
  if (!list) throw notFound('list', listId);
  const items = await db
    .selectFrom('reference.list_items as i')
    .leftJoin('catalog.works as w', 'w.id', 'i.work_id')
    .leftJoin('reference.articles as a', 'a.id', 'i.article_id')
    .leftJoin('reference.issues as s', 's.id', 'a.issue_id')
    .leftJoin('reference.periodicals as p', 'p.id', 's.periodical_id')
    .select(['i.id', 'i.position', 'i.annotation', 'i.work_id', 'i.article_id', 'w.title as work_title', 'w.subtitle', 'w.publish_place', 'w.publisher', 'w.publish_year', 'w.pages as work_pages', 'a.title as article_title', 'a.authors as article_authors', 'a.pages as article_pages', 's.label as issue_label', 's.issue_date', 'p.title as periodical'])
    .select(sql<string>`coalesce((select string_agg(au.name, ', ' order by wa.position) from catalog.work_authors wa join catalog.authors au on au.id = wa.author_id where wa.work_id = w.id), '')`.as('authors'))
    .where('i.list_id', '=', listId)
    .orderBy('i.position')
    .execute();
  return {
    list: { id: Number(list.id), kind: list.kind, title: list.title, audience: list.audience, compiler: list.compiler, intro: list.intro },
    items: items.map((i) => ({
      id: Number(i.id),
      workId: i.work_id === null ? null : Number(i.work_id),
      articleId: i.article_id === null ? null : Number(i.article_id),
      annotation: i.annotation,
      description: i.work_id !== null ? describeWork(i) : describeArticle(i),
    })),
  };
}

/** A short bibliographic description (after GOST 7.1): Author. Title : subtitle. – Place : Publisher, Year. – N p. */
export function describeWork(w: { authors: string; work_title: string | null; subtitle: string | null; publish_place: string | null; publisher: string | null; publish_year: number | null; work_pages: number | null }): string {
  let s = w.authors ? `${w.authors}. ` : '';
  s += w.work_title ?? '';
  if (w.subtitle) s += ` : ${w.subtitle}`;
  const imprint = [w.publish_place, w.publisher].filter(Boolean).join(' : ');
  if (imprint || w.publish_year) s += `. – ${imprint}${imprint && w.publish_year ? ', ' : ''}${w.publish_year ?? ''}`;
  if (w.work_pages) s += `. – ${w.work_pages} б.`;
  return s;
}

export function describeArticle(a: { article_authors: string | null; article_title: string | null; periodical: string | null; issue_label: string | null; issue_date: string | null; article_pages: string | null }): string {
  let s = a.article_authors ? `${a.article_authors}. ` : '';
  s += `${a.article_title ?? ''} // ${a.periodical ?? ''}`;
  if (a.issue_date) s += `. – ${a.issue_date.slice(0, 4)}`;
  if (a.issue_label) s += `. – № ${a.issue_label}`;
  if (a.issue_date) s += ` (${printDate(a.issue_date)})`;
  if (a.article_pages) s += `. – Б. ${a.article_pages}`;
  return s;
}

export async function listPdf(db: Executor, actor: Actor, listId: number, locale: Locale): Promise<Buffer> {
  const { org } = referenceStaff(actor);
  const { list, items } = await listEntries(db, org, listId);
  const library = await db.selectFrom('org.organisations').select('name').where('id', '=', org).executeTakeFirstOrThrow();
  const doc = newPdf({ info: { Title: list.title } });
  doc.font('regular').fontSize(10).text(library.name, { align: 'center' });
  doc.moveDown(0.5);
  doc.font('bold').fontSize(15).text(list.title, { align: 'center' });
  doc.font('regular').fontSize(10).text(t(locale, `reference.list_kind.${list.kind}`), { align: 'center' });
  if (list.audience) doc.text(list.audience, { align: 'center' });
  doc.moveDown();
  if (list.intro) {
    doc.fontSize(10).text(list.intro);
    doc.moveDown();
  }
  items.forEach((i, n) => {
    doc.font('regular').fontSize(10).text(`${n + 1}. ${i.description}`);
    if (i.annotation) doc.font('regular').fontSize(9).fillColor('#333').text(i.annotation, { indent: 18 }).fillColor('black');
    doc.moveDown(0.4);
  });
  if (list.compiler) {
    doc.moveDown();
    doc.fontSize(9).text(t(locale, 'reference.compiler', { name: list.compiler }));
  }
  return pdfToBuffer(doc);
}
