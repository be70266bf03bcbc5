import type { Actor } from '../auth/actor.js';
import { allow } from '../auth/guard.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { forbidden, invalid, notFound } from '../shared/errors.js';
import { daysInMonth, isLeapYear } from './days.js';
import type { EntryKind } from './schema.js';

export interface EntryInput {
  kind: EntryKind;
  name: string;
  nameRu?: string | null;
  nameEn?: string | null;
  occupation?: string | null;
  year?: number | null;
  month?: number | null;
  day?: number | null;
  note?: string | null;
  authorId?: number | null;
}

export interface EntryView {
  id: number;
  organisationId: number;
  organisationName: string;
  kind: EntryKind;
  name: string;
  nameRu: string | null;
  nameEn: string | null;
  occupation: string | null;
  year: number | null;
  month: number | null;
  day: number | null;
  note: string | null;
  authorId: number | null;
  origin: 'local' | 'package';
  mine: boolean;
}

/** Who may keep calendar entries: the librarian of a library, a methodologist for the district or region, an admin. */
function editor(actor: Actor | null | undefined): Actor {
  return allow(actor, 'staffAndOverseers');
}

/** A date as a librarian enters it: a year alone, a month of a year, or a full date; a day kept every year has no year. */
export function checkEntry(input: EntryInput): void {
  const name = input.name.trim();
  if (!name) throw invalid('calendar.name_missing');
  const { year, month, day } = input;
  if (input.kind === 'day' && (month == null || day == null)) throw invalid('calendar.day_needs_date');
  if (input.kind !== 'day' && year == null) throw invalid('calendar.year_missing');
  if (day != null && month == null) throw invalid('calendar.bad_date', { value: `${year ?? ''}-?-${day}` });
  if (month != null && day != null) {
    const max = year != null ? daysInMonth(year, month) : month === 2 ? 29 : daysInMonth(2001, month);
    if (day < 1 || day > max) {
      const feb29 = month === 2 && day === 29 && year != null && !isLeapYear(year);
      throw invalid(feb29 ? 'calendar.not_leap_year' : 'calendar.bad_date', { value: `${year ?? '—'}-${month}-${day}`, year: year ?? '' });
    }
  }
}

export async function listEntries(db: Executor, actor: Actor): Promise<EntryView[]> {
  const who = allow(actor, 'staffTeachersAndOverseers');
  const ancestors = who.orgPath.split('/').filter(Boolean).map(Number);
  const rows = await db
    .selectFrom('calendar.entries as e')
    .innerJoin('org.organisations as o', 'o.id', 'e.organisation_id')
    .selectAll('e')
    .select('o.name as org_name')
    .where('e.organisation_id', 'in', ancestors)
    .orderBy('e.id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    organisationId: Number(r.organisation_id),
    organisationName: r.org_name,
    kind: r.kind,
    name: r.name,
    nameRu: r.name_ru,
    nameEn: r.name_en,
    occupation: r.occupation,
    year: r.year,
    month: r.month,
    day: r.day,
    note: r.note,
    authorId: r.author_id === null ? null : Number(r.author_id),
    origin: r.origin,
    mine: Number(r.organisation_id) === who.organisationId,
  }));
}

const row = (input: EntryInput) => ({
  kind: input.kind,
  name: input.name.trim(),
  name_ru: input.nameRu?.trim() || null,
  name_en: input.nameEn?.trim() || null,
  occupation: input.occupation ?? null,
  year: input.year ?? null,
  month: input.month ?? null,
  day: input.day ?? null,
  note: input.note?.trim() || null,
  author_id: input.authorId ?? null,
});

async function checkAuthor(db: Executor, authorId: number | null | undefined) {
  if (authorId == null) return;
  const a = await db.selectFrom('catalog.authors').select('id').where('id', '=', authorId).executeTakeFirst();
  if (!a) throw notFound('author', authorId);
}

/** An entry of the organisation the actor works for: seen by it and every organisation below it. */
export async function createEntry(db: Executor, actor: Actor, input: EntryInput): Promise<number> {
  const who = editor(actor);
  checkEntry(input);
  await checkAuthor(db, input.authorId);
  return auditedChange(
    db,
    who,
    (id: number) => ({ action: 'create', entity: 'calendar_entry', entityId: id, details: { name: input.name } }),
    async (trx) => {
      const r = await trx
        .insertInto('calendar.entries')
        .values({ ...row(input), organisation_id: who.organisationId, created_by: who.userId })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(r.id);
    },
  );
}

async function ownEntry(db: Executor, actor: Actor, id: number) {
  const who = editor(actor);
  const e = await db.selectFrom('calendar.entries').select(['id', 'organisation_id']).where('id', '=', id).executeTakeFirst();
  if (!e) throw notFound('calendar_entry', id);
  if (Number(e.organisation_id) !== who.organisationId) {
    // Entries of other organisations are read-only here; those not even visible are not found.
    const ancestors = who.orgPath.split('/').filter(Boolean).map(Number);
    if (ancestors.includes(Number(e.organisation_id))) throw forbidden();
    throw notFound('calendar_entry', id);
  }
  return who;
}

export async function updateEntry(db: Executor, actor: Actor, id: number, input: EntryInput): Promise<void> {
  const who = await ownEntry(db, actor, id);
  checkEntry(input);
  await checkAuthor(db, input.authorId);
  await auditedChange(db, who, { action: 'update', entity: 'calendar_entry', entityId: id, details: { name: input.name } }, async (trx) => {
    await trx.updateTable('calendar.entries').set(row(input)).where('id', '=', id).execute();
  });
}

export async function deleteEntry(db: Executor, actor: Actor, id: number): Promise<void> {
  const who = await ownEntry(db, actor, id);
  await auditedChange(db, who, { action: 'delete', entity: 'calendar_entry', entityId: id }, async (trx) => {
    await trx.deleteFrom('calendar.entries').where('id', '=', id).execute();
  });
}

export const PACKAGE_FORMAT = 'kitaphana-calendar';

export interface CalendarPackage {
  format: typeof PACKAGE_FORMAT;
  version: 1;
  issuer: string;
  entries: (EntryInput & { key: string })[];
}

/** The entries an organisation (the republic, a region) keeps, as a file to send down to schools on their own servers. */
export async function exportPackage(db: Executor, actor: Actor): Promise<CalendarPackage> {
  const who = allow(actor, 'overseers');
  const org = await db.selectFrom('org.organisations').select(['name', 'code']).where('id', '=', who.organisationId).executeTakeFirstOrThrow();
  const rows = await db.selectFrom('calendar.entries').selectAll().where('organisation_id', '=', who.organisationId).orderBy('id').execute();
  return {
    format: PACKAGE_FORMAT,
    version: 1,
    issuer: org.name,
    entries: rows.map((r) => ({
      key: r.package_key ?? `${org.code ?? who.organisationId}:${r.id}`,
      kind: r.kind,
      name: r.name,
      nameRu: r.name_ru,
      nameEn: r.name_en,
      occupation: r.occupation,
      year: r.year,
      month: r.month,
      day: r.day,
      note: r.note,
    })),
  };
}

/**
 * Takes in a package from above: its entries become entries of the importing server's top
 * organisation, seen by every library on it. Importing the same package again changes nothing;
 * a later package with the same keys updates them.
 */
export async function importPackage(db: Executor, actor: Actor, pkg: unknown): Promise<{ added: number; updated: number }> {
  const who = allow(actor, 'admin');
  const p = pkg as Partial<CalendarPackage>;
  if (!p || p.format !== PACKAGE_FORMAT || p.version !== 1 || !Array.isArray(p.entries)) throw invalid('calendar.package_invalid');
  for (const e of p.entries) {
    if (!e || typeof e.key !== 'string' || typeof e.name !== 'string' || !['person', 'event', 'day'].includes(e.kind)) throw invalid('calendar.package_invalid');
    checkEntry({ ...e, authorId: null });
  }
  const top = Number(who.orgPath.split('/').filter(Boolean)[0]);
  return auditedChange(
    db,
    who,
    (r: { added: number; updated: number }) => ({ action: 'import', entity: 'calendar_package', entityId: null, details: { issuer: p.issuer ?? '', added: r.added, updated: r.updated }, organisationId: top }),
    async (trx) => {
      let added = 0;
      let updated = 0;
      for (const e of p.entries!) {
        const values = { ...row({ ...e, authorId: null }), organisation_id: top, origin: 'package' as const, package_key: e.key, created_by: who.userId };
        const existing = await trx.selectFrom('calendar.entries').selectAll().where('organisation_id', '=', top).where('package_key', '=', e.key).executeTakeFirst();
        if (existing) {
          const next = row({ ...e, authorId: null });
          const changed = (Object.keys(next) as (keyof typeof next)[]).some((k) => k !== 'author_id' && (existing[k] ?? null) !== (next[k] ?? null));
          if (changed) {
            await trx.updateTable('calendar.entries').set({ ...next, author_id: existing.author_id }).where('id', '=', existing.id).execute();
            updated++;
          }
        } else {
          await trx.insertInto('calendar.entries').values(values).execute();
          added++;
        }
      }
      return { added, updated };
    },
  );
}
