import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { conflict, invalid, isUniqueViolation, notFound } from '../shared/errors.js';
import { checkDate, referenceStaff } from './service.js';
import type { Language } from './schema.js';

const trimmed = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);

export interface PeriodicalInput {
  title: string;
  issn?: string | null;
  kind?: 'newspaper' | 'magazine';
  language: Language;
  forChildren?: boolean;
}

export async function addPeriodical(db: Executor, actor: Actor, input: PeriodicalInput): Promise<number> {
  const { who, org } = referenceStaff(actor);
  const title = input.title.trim();
  if (!title) throw invalid('reference.title_missing');
  try {
    return await auditedChange(
      db,
      who,
      (id: number) => ({ action: 'create', entity: 'periodical', entityId: id, details: { title } }),
      async (trx) =>
        Number(
          (
            await trx
              .insertInto('reference.periodicals')
              .values({ organisation_id: org, title, issn: trimmed(input.issn), kind: input.kind ?? 'magazine', language: input.language, for_children: input.forChildren ?? false })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id,
        ),
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('reference.periodical_exists', { title });
    throw err;
  }
}

async function ownPeriodical(db: Executor, org: number, id: number) {
  const row = await db.selectFrom('reference.periodicals').select('id').where('id', '=', id).where('organisation_id', '=', org).executeTakeFirst();
  if (!row) throw notFound('periodical', id);
}

/** The subscription of a half-year: issues expected and the price in tiyn. */
export async function subscribe(db: Executor, actor: Actor, periodicalId: number, input: { year: number; half: 1 | 2; issuesExpected: number; priceTiyn: number }): Promise<void> {
  const { who, org } = referenceStaff(actor);
  await ownPeriodical(db, org, periodicalId);
  if (input.issuesExpected < 0 || input.priceTiyn < 0) throw invalid('reference.negative');
  await auditedChange(db, who, { action: 'subscribe', entity: 'periodical', entityId: periodicalId, details: { year: input.year, half: input.half } }, async (trx) => {
    const existing = await trx.selectFrom('reference.subscriptions').select('id').where('periodical_id', '=', periodicalId).where('year', '=', input.year).where('half', '=', input.half).executeTakeFirst();
    if (existing) await trx.updateTable('reference.subscriptions').set({ issues_expected: input.issuesExpected, price_tiyn: input.priceTiyn }).where('id', '=', existing.id).execute();
    else await trx.insertInto('reference.subscriptions').values({ organisation_id: org, periodical_id: periodicalId, year: input.year, half: input.half, issues_expected: input.issuesExpected, price_tiyn: input.priceTiyn }).execute();
  });
}

/** An issue checked in. */
export async function checkInIssue(db: Executor, actor: Actor, periodicalId: number, input: { label: string; issueDate?: string | null; receivedOn: string }): Promise<number> {
  const { who, org } = referenceStaff(actor);
  await ownPeriodical(db, org, periodicalId);
  const label = input.label.trim();
  if (!label) throw invalid('reference.title_missing');
  checkDate(input.receivedOn);
  if (input.issueDate) checkDate(input.issueDate);
  try {
    return await auditedChange(
      db,
      who,
      (id: number) => ({ action: 'receive', entity: 'periodical', entityId: periodicalId, details: { issueId: id, label } }),
      async (trx) =>
        Number(
          (
            await trx
              .insertInto('reference.issues')
              .values({ organisation_id: org, periodical_id: periodicalId, label, issue_date: input.issueDate ?? null, received_on: input.receivedOn })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id,
        ),
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('reference.issue_exists', { label });
    throw err;
  }
}

/** The register for a year: each title with its half-year subscriptions and issues received. */
export async function periodicalRegister(db: Executor, actor: Actor, year: number) {
  const { org } = referenceStaff(actor);
  const rows = await db
    .selectFrom('reference.periodicals as p')
    .selectAll('p')
    .select((eb) => [
      eb.selectFrom('reference.subscriptions as s').select(sql<number>`coalesce(sum(s.issues_expected), 0)::int`.as('n')).whereRef('s.periodical_id', '=', 'p.id').where('s.year', '=', year).as('expected'),
      eb.selectFrom('reference.subscriptions as s').select(sql<number>`coalesce(sum(s.price_tiyn), 0)::bigint`.as('n')).whereRef('s.periodical_id', '=', 'p.id').where('s.year', '=', year).as('price'),
      eb.selectFrom('reference.subscriptions as s').select(sql<string>`coalesce(string_agg(s.half::text, ',' order by s.half), '')`.as('h')).whereRef('s.periodical_id', '=', 'p.id').where('s.year', '=', year).as('halves'),
      eb.selectFrom('reference.issues as i').select(sql<number>`count(*)::int`.as('n')).whereRef('i.periodical_id', '=', 'p.id').where(sql<boolean>`extract(year from i.received_on) = ${year}`).as('received'),
    ])
    .where('p.organisation_id', '=', org)
    .orderBy('p.title')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    title: r.title,
    issn: r.issn,
    kind: r.kind,
    language: r.language,
    forChildren: r.for_children,
    halves: String(r.halves ?? '').split(',').filter(Boolean).map(Number),
    issuesExpected: Number(r.expected ?? 0),
    issuesReceived: Number(r.received ?? 0),
    priceTiyn: Number(r.price ?? 0),
  }));
}

export async function issuesOf(db: Executor, actor: Actor, periodicalId: number) {
  const { org } = referenceStaff(actor);
  await ownPeriodical(db, org, periodicalId);
  const rows = await db
    .selectFrom('reference.issues as i')
    .selectAll('i')
    .select((eb) => eb.selectFrom('reference.articles as a').select(eb.fn.countAll<number>().as('n')).whereRef('a.issue_id', '=', 'i.id').as('articles'))
    .where('i.periodical_id', '=', periodicalId)
    .orderBy('i.received_on', 'desc')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), label: r.label, issueDate: r.issue_date, receivedOn: r.received_on, articles: Number(r.articles ?? 0) }));
}

// ---- the article index ----

export interface ArticleInput {
  issueId: number;
  title: string;
  authors?: string | null;
  pages?: string | null;
  subjects?: string | null;
  annotation?: string | null;
}

export async function indexArticle(db: Executor, actor: Actor, input: ArticleInput): Promise<number> {
  const { who, org } = referenceStaff(actor);
  const issue = await db.selectFrom('reference.issues').select('id').where('id', '=', input.issueId).where('organisation_id', '=', org).executeTakeFirst();
  if (!issue) throw notFound('issue', input.issueId);
  const title = input.title.trim();
  if (!title) throw invalid('reference.title_missing');
  return auditedChange(
    db,
    who,
    (id: number) => ({ action: 'create', entity: 'article', entityId: id, details: { title } }),
    async (trx) =>
      Number(
        (
          await trx
            .insertInto('reference.articles')
            .values({ organisation_id: org, issue_id: input.issueId, title, authors: trimmed(input.authors), pages: trimmed(input.pages), subjects: trimmed(input.subjects), annotation: trimmed(input.annotation) })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      ),
  );
}

/** Articles of the index, found by words of the title, authors or subjects. */
export async function searchArticles(db: Executor, actor: Actor, q: string) {
  const { org } = referenceStaff(actor);
  let query = db
    .selectFrom('reference.articles as a')
    .innerJoin('reference.issues as i', 'i.id', 'a.issue_id')
    .innerJoin('reference.periodicals as p', 'p.id', 'i.periodical_id')
    .select(['a.id', 'a.title', 'a.authors', 'a.pages', 'a.subjects', 'i.label', 'i.issue_date', 'p.title as periodical'])
    .where('a.organisation_id', '=', org);
  for (const word of q.trim().split(/\s+/).filter(Boolean).slice(0, 8)) {
    const like = `%${word.toLowerCase()}%`;
    query = query.where(sql<boolean>`lower(a.title || ' ' || coalesce(a.authors,'') || ' ' || coalesce(a.subjects,'')) like ${like}`);
  }
  const rows = await query.orderBy('a.id', 'desc').limit(200).execute();
  return rows.map((r) => ({ id: Number(r.id), title: r.title, authors: r.authors, pages: r.pages, subjects: r.subjects, issue: r.label, issueDate: r.issue_date, periodical: r.periodical }));
}
