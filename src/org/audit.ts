import { sql, } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { invalid } from '../shared/errors.js';
import { organisationTimeZone, startOfLocalDay } from '../shared/library-time.js';

import type { Executor } from '../db/executor.js';
import { allow, assertCanSeeOrganisation } from '../auth/guard.js';

/** Records who changed what; call it inside the transaction that makes the change. */
export async function audit(
  db: Executor,
  actor: Actor | null,
  action: string,
  entity: string,
  entityId: string | number | null,
  details: Record<string, unknown> = {},
  organisationId?: number | null,
): Promise<void> {
  await db
    .insertInto('org.audit_log')
    .values({
      organisation_id: organisationId ?? actor?.organisationId ?? null,
      user_id: actor?.userId ?? null,
      action,
      entity,
      entity_id: entityId === null ? null : String(entityId),
      details: JSON.stringify(details),
    })
    .execute();
}

/** One line of the audit log as the log page shows it: who (by name), when, what. */
export interface AuditLine {
  id: number;
  /** ISO 8601 moment. */
  at: string;
  userId: number | null;
  userFullName: string | null;
  userLogin: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  details: Record<string, unknown>;
}

export interface AuditQuery {
  organisationId?: number;
  /** Only lines with a smaller id: the `nextBefore` of the previous page. */
  before?: number;
  limit?: number;
  entity?: string;
  action?: string;
  userId?: number;
  /** 'YYYY-MM-DD', inclusive, on the library's clock. */
  from?: string;
  to?: string;
}

export interface AuditPage {
  items: AuditLine[];
  /** The `before` of the next page; null on the last page. */
  nextBefore: number | null;
}

export interface AuditFacets {
  entities: string[];
  actions: string[];
  /** The action codes each entity has, so a form can offer only the actions of the chosen entity. */
  pairs: { entity: string; action: string }[];
  /** People who have a line in the log. */
  users: { id: number; fullName: string; login: string }[];
}

/**
 * The organisation whose log the actor may read: a librarian the own library, an admin any.
 * The log holds staff names and what they did, so no other role reads it.
 */
async function auditOrganisation(db: Executor, actor: Actor, organisationId: number | undefined): Promise<number> {
  allow(actor, 'staff');
  const orgId = organisationId ?? actor.organisationId;
  await assertCanSeeOrganisation(db, actor, orgId);
  return orgId;
}

function isoDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number);
  const day = new Date(Date.UTC(y!, m! - 1, d!));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m! - 1 && day.getUTCDate() === d;
}

/** Lines of the log, newest first, paged by id so that lines written meanwhile neither repeat nor push others off a page. */
export async function listAudit(db: Executor, actor: Actor, query: AuditQuery = {}): Promise<AuditPage> {
  const orgId = await auditOrganisation(db, actor, query.organisationId);
  // a day typed by the librarian covers that day as it was lived in the library
  const zone = await organisationTimeZone(db, orgId);
  for (const [field, value] of [['from', query.from], ['to', query.to]] as const) {
    if (value !== undefined && !isoDay(value)) throw invalid('org.audit_bad_date', { field, value });
  }
  if (query.from && query.to && query.from > query.to) throw invalid('org.audit_bad_period', { from: query.from, to: query.to });
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);

  let q = db
    .selectFrom('org.audit_log as a')
    .leftJoin('org.users as u', 'u.id', 'a.user_id')
    .select(['a.id', 'a.at', 'a.user_id', 'u.full_name', 'u.login', 'a.action', 'a.entity', 'a.entity_id', 'a.details'])
    .where('a.organisation_id', '=', orgId);
  if (query.before !== undefined) q = q.where('a.id', '<', query.before);
  if (query.entity !== undefined) q = q.where('a.entity', '=', query.entity);
  if (query.action !== undefined) q = q.where('a.action', '=', query.action);
  if (query.userId !== undefined) q = q.where('a.user_id', '=', query.userId);
  if (query.from !== undefined) q = q.where('a.at', '>=', startOfLocalDay(query.from, zone));
  if (query.to !== undefined) q = q.where('a.at', '<', startOfLocalDay(query.to, zone, 1));
  // one more than asked tells whether another page follows
  const rows = await q.orderBy('a.id', 'desc').limit(limit + 1).execute();

  const items = rows.slice(0, limit).map((r) => ({
    id: r.id,
    at: new Date(r.at).toISOString(),
    userId: r.user_id,
    userFullName: r.full_name,
    userLogin: r.login,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    details: r.details ?? {},
  }));
  return { items, nextBefore: rows.length > limit ? items[items.length - 1]!.id : null };
}

/**
 * The entities, actions and people present in an organisation's log, for the filters of the log page.
 * Each list is walked along its index one distinct value at a time (a loose index scan), so the cost
 * follows the number of distinct codes, not the years of lines behind them.
 */
export async function auditFacets(db: Executor, actor: Actor, organisationId?: number): Promise<AuditFacets> {
  const orgId = await auditOrganisation(db, actor, organisationId);
  const { rows: pairs } = await sql<{ entity: string; action: string }>`
    with recursive pairs as (
      (select entity, action from org.audit_log where organisation_id = ${orgId} order by entity, action limit 1)
      union all
      select next.entity, next.action from pairs p cross join lateral (
        select entity, action from org.audit_log
         where organisation_id = ${orgId} and (entity, action) > (p.entity, p.action)
         order by entity, action limit 1) next
    )
    select entity, action from pairs order by entity, action`.execute(db);
  const { rows: users } = await sql<{ id: number; full_name: string; login: string }>`
    with recursive ids as (
      (select user_id from org.audit_log where organisation_id = ${orgId} and user_id is not null order by user_id limit 1)
      union all
      select next.user_id from ids cross join lateral (
        select user_id from org.audit_log
         where organisation_id = ${orgId} and user_id > ids.user_id
         order by user_id limit 1) next
    )
    select u.id, u.full_name, u.login from ids join org.users u on u.id = ids.user_id
     order by u.full_name, u.id`.execute(db);
  return {
    entities: [...new Set(pairs.map((p) => p.entity))].sort(),
    actions: [...new Set(pairs.map((p) => p.action))].sort(),
    pairs,
    users: users.map((u) => ({ id: Number(u.id), fullName: u.full_name, login: u.login })),
  };
}
