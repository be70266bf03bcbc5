import { allow } from '../auth/guard.js';
import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { invalid } from '../shared/errors.js';
import { checkSchoolYear, ownRow, trimOrNull } from './access.js';

/**
 * The unified exhibition schedule (seed 000, 2.10): prepared once a year at republic level and sent down; a
 * district and a library add their own lines. On one server a line is seen by its organisation and every
 * organisation under it; a school on its own embedded server takes the lines from above in as a package.
 */

export interface ScheduleItemInput {
  schoolYear: string;
  month: number;
  title: string;
  theme?: string | null;
  note?: string | null;
}

function checkItem(input: ScheduleItemInput): string {
  checkSchoolYear(input.schoolYear);
  if (!Number.isInteger(input.month) || input.month < 1 || input.month > 12) throw invalid('events.bad_month', { value: String(input.month) });
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  if (!title) throw invalid('events.title_missing');
  return title;
}

/** A line of the exhibition schedule of the actor's organisation: the republic's, a district's or a library's own. */
export async function addScheduleItem(db: Executor, actor: Actor, input: ScheduleItemInput): Promise<number> {
  const who = allow(actor, 'staffAndOverseers');
  const title = checkItem(input);
  return auditedChange(
    db,
    who,
    (id: number) => ({ action: 'create', entity: 'schedule_item', entityId: id, details: { title, schoolYear: input.schoolYear } }),
    async (trx) =>
      Number(
        (
          await trx
            .insertInto('events.schedule_items')
            .values({ organisation_id: who.organisationId, school_year: input.schoolYear, month: input.month, title, theme: trimOrNull(input.theme), note: trimOrNull(input.note) })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      ),
  );
}

export async function deleteScheduleItem(db: Executor, actor: Actor, id: number): Promise<void> {
  const who = allow(actor, 'staffAndOverseers');
  await ownRow(db, 'events.schedule_items', id, who.organisationId, 'schedule_item');
  await auditedChange(db, who, { action: 'delete', entity: 'schedule_item', entityId: id }, async (trx) => {
    await trx.deleteFrom('events.schedule_items').where('id', '=', id).execute();
  });
}

/** The schedule a library works to: lines sent down from above and its own, with the exhibitions made from each. */
export async function exhibitionSchedule(db: Executor, actor: Actor, schoolYear: string) {
  const who = allow(actor, 'staffTeachersAndOverseers');
  checkSchoolYear(schoolYear);
  const ancestors = who.orgPath.split('/').filter(Boolean).map(Number);
  const rows = await db
    .selectFrom('events.schedule_items as s')
    .innerJoin('org.organisations as o', 'o.id', 's.organisation_id')
    .select(['s.id', 's.month', 's.title', 's.theme', 's.note', 's.organisation_id', 's.package_issuer', 'o.name as org_name', 'o.kind as org_kind'])
    .select((eb) =>
      eb
        .selectFrom('events.exhibitions as x')
        .select('x.id')
        .whereRef('x.schedule_item_id', '=', 's.id')
        .where('x.organisation_id', '=', who.organisationId)
        .limit(1)
        .as('exhibition_id'),
    )
    .where('s.organisation_id', 'in', ancestors)
    .where('s.school_year', '=', schoolYear)
    .execute();
  const pos = (m: number) => (m >= 9 ? m - 9 : m + 3);
  return rows
    .sort((a, b) => pos(a.month) - pos(b.month) || Number(a.id) - Number(b.id))
    .map((r) => ({
      id: Number(r.id),
      month: r.month,
      title: r.title,
      theme: r.theme,
      note: r.note,
      organisationId: Number(r.organisation_id),
      // a line taken in from a package names who sent it, not the server's top organisation
      organisationName: r.package_issuer ?? r.org_name,
      level: r.org_kind,
      mine: Number(r.organisation_id) === who.organisationId && r.package_issuer === null,
      exhibitionId: r.exhibition_id == null ? null : Number(r.exhibition_id),
    }));
}

export const SCHEDULE_PACKAGE_FORMAT = 'kitaphana.exhibition-schedule';

export interface SchedulePackage {
  format: typeof SCHEDULE_PACKAGE_FORMAT;
  version: 1;
  issuer: string;
  schoolYear: string;
  items: { key: string; month: number; title: string; theme: string | null; note: string | null }[];
}

/** The lines an organisation (the republic, a region, a district) keeps for a school year, as a file to send down. */
export async function exportSchedulePackage(db: Executor, actor: Actor, schoolYear: string): Promise<SchedulePackage> {
  const who = allow(actor, 'overseers');
  checkSchoolYear(schoolYear);
  const org = await db.selectFrom('org.organisations').select(['name', 'code']).where('id', '=', who.organisationId).executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('events.schedule_items')
    .selectAll()
    .where('organisation_id', '=', who.organisationId)
    .where('school_year', '=', schoolYear)
    .orderBy('id')
    .execute();
  return {
    format: SCHEDULE_PACKAGE_FORMAT,
    version: 1,
    issuer: org.name,
    schoolYear,
    items: rows.map((r) => ({ key: r.package_key ?? `${org.code ?? who.organisationId}:${r.id}`, month: r.month, title: r.title, theme: r.theme, note: r.note })),
  };
}

/**
 * Takes in a schedule sent down from above: its lines become lines of the importing server's top organisation,
 * seen by every library on it. The same package again changes nothing; a later one with the same keys updates
 * them, and a line the sender removed is removed here (the libraries' exhibitions made from it stay).
 */
export async function importSchedulePackage(db: Executor, actor: Actor, pkg: unknown): Promise<{ added: number; updated: number; removed: number }> {
  const who = allow(actor, 'admin');
  const p = pkg as Partial<SchedulePackage> | null;
  if (!p || p.format !== SCHEDULE_PACKAGE_FORMAT || p.version !== 1 || typeof p.schoolYear !== 'string' || !Array.isArray(p.items)) throw invalid('events.package_invalid');
  const schoolYear = p.schoolYear;
  const issuer = typeof p.issuer === 'string' && p.issuer.trim() ? p.issuer.trim().slice(0, 300) : '—';
  const items = p.items.map((e) => {
    if (!e || typeof e.key !== 'string' || !e.key || e.key.length > 200 || typeof e.title !== 'string') throw invalid('events.package_invalid');
    const title = checkItem({ schoolYear, month: e.month, title: e.title });
    const text = (v: unknown, max: number) => (typeof v === 'string' ? trimOrNull(v)?.slice(0, max) ?? null : null);
    return { key: e.key, month: e.month, title: title.slice(0, 500), theme: text(e.theme, 1000), note: text(e.note, 2000) };
  });
  const top = Number(who.orgPath.split('/').filter(Boolean)[0]);
  return auditedChange(
    db,
    who,
    (r: { added: number; updated: number; removed: number }) => ({ action: 'import', entity: 'schedule_package', entityId: null, details: { issuer, schoolYear, added: r.added, updated: r.updated, removed: r.removed }, organisationId: top }),
    async (trx) => {
      const existing = await trx
        .selectFrom('events.schedule_items')
        .select(['id', 'package_key', 'month', 'title', 'theme', 'note', 'package_issuer'])
        .where('organisation_id', '=', top)
        .where('school_year', '=', schoolYear)
        .where('package_key', 'is not', null)
        .execute();
      const byKey = new Map(existing.map((r) => [r.package_key!, r]));
      let added = 0;
      let updated = 0;
      for (const e of items) {
        const row = byKey.get(e.key);
        byKey.delete(e.key);
        if (!row) {
          await trx
            .insertInto('events.schedule_items')
            .values({ organisation_id: top, school_year: schoolYear, month: e.month, title: e.title, theme: e.theme, note: e.note, package_key: e.key, package_issuer: issuer })
            .execute();
          added++;
        } else if (row.month !== e.month || row.title !== e.title || row.theme !== e.theme || row.note !== e.note || row.package_issuer !== issuer) {
          await trx.updateTable('events.schedule_items').set({ month: e.month, title: e.title, theme: e.theme, note: e.note, package_issuer: issuer }).where('id', '=', row.id).execute();
          updated++;
        }
      }
      // lines of the same sender that its new package no longer holds
      const gone = [...byKey.values()].filter((r) => r.package_issuer === issuer).map((r) => r.id);
      if (gone.length) await trx.deleteFrom('events.schedule_items').where('id', 'in', gone).execute();
      return { added, updated, removed: gone.length };
    },
  );
}
