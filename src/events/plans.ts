import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { allow } from '../auth/guard.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { t } from '../i18n/index.js';
import { subtreeIds } from '../org/organisations.js';
import type { Locale } from '../org/schema.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { now } from '../shared/library-time.js';
import { checkDate, checkSchoolYear, eventsStaff, eventsViewer, ownRow, trimOrNull } from './access.js';
import { PLAN_SECTIONS, type EntryStatus, type PlanSection, type PlanStatus, type WhenKind } from './schema.js';
import { printDate, tablePdf } from './table-pdf.js';

export interface PlanEntryInput {
  section: PlanSection;
  title: string;
  form?: string | null;
  target?: string | null;
  whenKind: WhenKind;
  monthFrom?: number | null;
  monthTo?: number | null;
  responsible?: string | null;
  status?: EntryStatus;
  note?: string | null;
}

export interface PlanEntryView {
  id: number;
  position: number;
  section: PlanSection;
  title: string;
  form: string | null;
  target: string | null;
  whenKind: WhenKind;
  monthFrom: number | null;
  monthTo: number | null;
  responsible: string | null;
  status: EntryStatus;
  note: string | null;
  eventsHeld: number;
}

export interface PlanView {
  id: number;
  organisationId: number;
  schoolYear: string;
  status: PlanStatus;
  approvedBy: string | null;
  approvedOn: string | null;
  submittedAt: string | null;
  entries: PlanEntryView[];
}

/** Months of a plan in school-year order: August (preparation) first, then September … August. */
export function monthPosition(month: number, asStart: boolean): number {
  if (month === 8) return asStart ? 0 : 12;
  return month >= 9 ? month - 8 : month + 4;
}

/** A plan entry's "when": one month, a range of months (which must not end before it starts), or a standing rhythm. */
export function checkWhen(input: PlanEntryInput): { month_from: number | null; month_to: number | null } {
  const { whenKind, monthFrom, monthTo } = input;
  if (whenKind === 'month') {
    if (monthFrom == null) throw invalid('events.month_missing');
    return { month_from: monthFrom, month_to: null };
  }
  if (whenKind === 'range') {
    if (monthFrom == null || monthTo == null) throw invalid('events.month_missing');
    if (monthPosition(monthTo, false) <= monthPosition(monthFrom, true) && monthFrom !== monthTo) {
      throw invalid('events.range_backwards', { from: monthFrom, to: monthTo });
    }
    if (monthFrom === monthTo) return { month_from: monthFrom, month_to: null };
    return { month_from: monthFrom, month_to: monthTo };
  }
  return { month_from: null, month_to: null };
}

function entryRow(input: PlanEntryInput) {
  const title = input.title.trim();
  if (!title) throw invalid('events.title_missing');
  if (!PLAN_SECTIONS.includes(input.section)) throw invalid('events.bad_section', { value: input.section });
  return {
    section: input.section,
    title,
    form: trimOrNull(input.form),
    target: trimOrNull(input.target),
    when_kind: input.whenKind,
    ...checkWhen(input),
    responsible: trimOrNull(input.responsible),
    note: trimOrNull(input.note),
    ...(input.status ? { status: input.status } : {}),
  };
}

async function planRow(db: Executor, org: number, schoolYear: string) {
  return db.selectFrom('events.plans').selectAll().where('organisation_id', '=', org).where('school_year', '=', schoolYear).executeTakeFirst();
}

async function planView(db: Executor, plan: NonNullable<Awaited<ReturnType<typeof planRow>>>): Promise<PlanView> {
  const entries = await db
    .selectFrom('events.plan_entries as e')
    .selectAll('e')
    .select((eb) => eb.selectFrom('events.events as ev').select(eb.fn.countAll<number>().as('n')).whereRef('ev.plan_entry_id', '=', 'e.id').as('held'))
    .where('e.plan_id', '=', plan.id)
    .execute();
  const order = (s: PlanSection) => PLAN_SECTIONS.indexOf(s);
  entries.sort((a, b) => order(a.section) - order(b.section) || a.position - b.position || Number(a.id) - Number(b.id));
  return {
    id: Number(plan.id),
    organisationId: Number(plan.organisation_id),
    schoolYear: plan.school_year,
    status: plan.status,
    approvedBy: plan.approved_by,
    approvedOn: plan.approved_on,
    submittedAt: plan.submitted_at ? new Date(plan.submitted_at).toISOString() : null,
    entries: entries.map((e) => ({
      id: Number(e.id),
      position: e.position,
      section: e.section,
      title: e.title,
      form: e.form,
      target: e.target,
      whenKind: e.when_kind,
      monthFrom: e.month_from,
      monthTo: e.month_to,
      responsible: e.responsible,
      status: e.status,
      note: e.note,
      eventsHeld: Number(e.held ?? 0),
    })),
  };
}

/** The plan of a school year, or null when none has been started. */
export async function getPlan(db: Executor, actor: Actor, schoolYear: string): Promise<PlanView | null> {
  const { org } = eventsViewer(actor);
  const plan = await planRow(db, org, checkSchoolYear(schoolYear));
  return plan ? planView(db, plan) : null;
}

export async function listPlans(db: Executor, actor: Actor): Promise<{ id: number; schoolYear: string; status: PlanStatus; entries: number }[]> {
  const { org } = eventsViewer(actor);
  const rows = await db
    .selectFrom('events.plans as p')
    .select(['p.id', 'p.school_year', 'p.status'])
    .select((eb) => eb.selectFrom('events.plan_entries as e').select(eb.fn.countAll<number>().as('n')).whereRef('e.plan_id', '=', 'p.id').as('entries'))
    .where('p.organisation_id', '=', org)
    .orderBy('p.school_year', 'desc')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), schoolYear: r.school_year, status: r.status, entries: Number(r.entries ?? 0) }));
}

async function ensurePlan(db: Executor, org: number, schoolYear: string): Promise<number> {
  const existing = await planRow(db, org, schoolYear);
  if (existing) return Number(existing.id);
  const r = await db.insertInto('events.plans').values({ organisation_id: org, school_year: schoolYear }).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function addPlanEntry(db: Executor, actor: Actor, schoolYear: string, input: PlanEntryInput): Promise<number> {
  const { who, org } = eventsStaff(actor);
  checkSchoolYear(schoolYear);
  const values = entryRow(input);
  return auditedChange(
    db,
    who,
    (id: number) => ({ action: 'create', entity: 'plan_entry', entityId: id, details: { schoolYear, title: values.title } }),
    async (trx) => {
      const planId = await ensurePlan(trx, org, schoolYear);
      const pos = await trx.selectFrom('events.plan_entries').select(sql<number>`coalesce(max(position), 0) + 1`.as('next')).where('plan_id', '=', planId).executeTakeFirstOrThrow();
      const r = await trx
        .insertInto('events.plan_entries')
        .values({ ...values, organisation_id: org, plan_id: planId, position: Number(pos.next) })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(r.id);
    },
  );
}

export async function updatePlanEntry(db: Executor, actor: Actor, id: number, input: PlanEntryInput): Promise<void> {
  const { who, org } = eventsStaff(actor);
  await ownRow(db, 'events.plan_entries', id, org, 'plan_entry');
  const values = entryRow(input);
  await auditedChange(db, who, { action: 'update', entity: 'plan_entry', entityId: id, details: { title: values.title } }, async (trx) => {
    await trx.updateTable('events.plan_entries').set(values).where('id', '=', id).execute();
  });
}

export async function setEntryStatus(db: Executor, actor: Actor, id: number, status: EntryStatus): Promise<void> {
  const { who, org } = eventsStaff(actor);
  await ownRow(db, 'events.plan_entries', id, org, 'plan_entry');
  await auditedChange(db, who, { action: 'update', entity: 'plan_entry', entityId: id, details: { status } }, async (trx) => {
    await trx.updateTable('events.plan_entries').set({ status }).where('id', '=', id).execute();
  });
}

export async function deletePlanEntry(db: Executor, actor: Actor, id: number): Promise<void> {
  const { who, org } = eventsStaff(actor);
  await ownRow(db, 'events.plan_entries', id, org, 'plan_entry');
  await auditedChange(db, who, { action: 'delete', entity: 'plan_entry', entityId: id }, async (trx) => {
    await trx.deleteFrom('events.plan_entries').where('id', '=', id).execute();
  });
}

/**
 * Starts a school year's plan from another year's in one action: every entry is copied with its
 * section, form, classes, months and responsible, and set back to 'planned'. A plan that already
 * has entries is not overwritten.
 */
export async function copyPlan(db: Executor, actor: Actor, fromYear: string, toYear: string): Promise<{ planId: number; copied: number }> {
  const { who, org } = eventsStaff(actor);
  checkSchoolYear(fromYear);
  checkSchoolYear(toYear);
  if (fromYear === toYear) throw invalid('events.copy_same_year', { year: toYear });
  const source = await planRow(db, org, fromYear);
  if (!source) throw notFound('plan', fromYear);
  return auditedChange(
    db,
    who,
    (r: { planId: number; copied: number }) => ({ action: 'copy', entity: 'plan', entityId: r.planId, details: { fromYear, toYear, copied: r.copied } }),
    async (trx) => {
      const target = await planRow(trx, org, toYear);
      if (target) {
        const has = await trx.selectFrom('events.plan_entries').select('id').where('plan_id', '=', target.id).executeTakeFirst();
        if (has) throw conflict('events.plan_not_empty', { year: toYear });
      }
      const planId = target
        ? Number(target.id)
        : Number((await trx.insertInto('events.plans').values({ organisation_id: org, school_year: toYear, copied_from: source.id }).returning('id').executeTakeFirstOrThrow()).id);
      const entries = await trx.selectFrom('events.plan_entries').selectAll().where('plan_id', '=', source.id).orderBy('position').orderBy('id').execute();
      if (entries.length) {
        await trx
          .insertInto('events.plan_entries')
          .values(
            entries.map((e) => ({
              organisation_id: org,
              plan_id: planId,
              position: e.position,
              section: e.section,
              title: e.title,
              form: e.form,
              target: e.target,
              when_kind: e.when_kind,
              month_from: e.month_from,
              month_to: e.month_to,
              responsible: e.responsible,
              note: e.note,
            })),
          )
          .execute();
      }
      return { planId, copied: entries.length };
    },
  );
}

/** The head's approval: who approved and when, printed on the plan. */
export async function approvePlan(db: Executor, actor: Actor, schoolYear: string, input: { approvedBy: string; approvedOn: string }): Promise<void> {
  const { who, org } = eventsStaff(actor);
  const plan = await planRow(db, org, checkSchoolYear(schoolYear));
  if (!plan) throw notFound('plan', schoolYear);
  if (!input.approvedBy.trim()) throw invalid('events.approver_missing');
  checkDate(input.approvedOn, 'approvedOn');
  await auditedChange(db, who, { action: 'approve', entity: 'plan', entityId: Number(plan.id), details: { schoolYear } }, async (trx) => {
    await trx
      .updateTable('events.plans')
      .set({ approved_by: input.approvedBy.trim(), approved_on: input.approvedOn, status: plan.status === 'submitted' ? 'submitted' : 'approved' })
      .where('id', '=', plan.id)
      .execute();
  });
}

/** Sends the plan to the district: the methodologist sees it among the submitted plans. */
export async function submitPlan(db: Executor, actor: Actor, schoolYear: string): Promise<void> {
  const { who, org } = eventsStaff(actor);
  const plan = await planRow(db, org, checkSchoolYear(schoolYear));
  if (!plan) throw notFound('plan', schoolYear);
  const has = await db.selectFrom('events.plan_entries').select('id').where('plan_id', '=', plan.id).executeTakeFirst();
  if (!has) throw invalid('events.plan_empty');
  await auditedChange(db, who, { action: 'submit', entity: 'plan', entityId: Number(plan.id), details: { schoolYear } }, async (trx) => {
    await trx.updateTable('events.plans').set({ status: 'submitted', submitted_at: now(), submitted_by: who.userId }).where('id', '=', plan.id).execute();
  });
}

/** For a methodologist: every library below, whether its plan of the year is in and when. */
export async function planSubmissions(db: Executor, actor: Actor, schoolYear: string) {
  const who = allow(actor, 'overseers');
  checkSchoolYear(schoolYear);
  const ids = await subtreeIds(db, who.organisationId);
  const rows = await db
    .selectFrom('org.organisations as o')
    .leftJoin('events.plans as p', (j) => j.onRef('p.organisation_id', '=', 'o.id').on('p.school_year', '=', schoolYear))
    .select(['o.id', 'o.name', 'p.status', 'p.submitted_at', 'p.approved_on'])
    .select((eb) => eb.selectFrom('events.plan_entries as e').select(eb.fn.countAll<number>().as('n')).whereRef('e.plan_id', '=', 'p.id').as('entries'))
    .where('o.id', 'in', ids)
    .where('o.kind', 'in', ['school', 'college', 'children_library'])
    .orderBy('o.name')
    .execute();
  return rows.map((r) => ({
    organisationId: Number(r.id),
    name: r.name,
    status: (r.status ?? 'none') as PlanStatus | 'none',
    entries: Number(r.entries ?? 0),
    approvedOn: r.approved_on ?? null,
    submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
  }));
}

const MONTH_KEYS = (locale: Locale, m: number) => t(locale, `calendar.month.${m}`);

/** "September", "September–October", "quarterly", … in the reader's language. */
export function whenText(locale: Locale, e: { whenKind: WhenKind; monthFrom: number | null; monthTo: number | null }): string {
  if (e.whenKind === 'month' && e.monthFrom) return MONTH_KEYS(locale, e.monthFrom);
  if (e.whenKind === 'range' && e.monthFrom) return e.monthTo ? `${MONTH_KEYS(locale, e.monthFrom)}–${MONTH_KEYS(locale, e.monthTo).toLowerCase()}` : MONTH_KEYS(locale, e.monthFrom);
  return t(locale, `events.when.${e.whenKind}`);
}

/** The plan as the head signs it: approval block, sections, a numbered table. */
export async function planPdf(db: Executor, actor: Actor, schoolYear: string, locale: Locale): Promise<Buffer> {
  const { org } = eventsViewer(actor);
  const plan = await getPlan(db, actor, schoolYear);
  if (!plan) throw notFound('plan', schoolYear);
  const library = await db.selectFrom('org.organisations').select('name').where('id', '=', org).executeTakeFirstOrThrow();
  const l = (k: string, p: Record<string, unknown> = {}) => t(locale, `events.pdf.${k}`, p);
  const rows: (string[] | { heading: string })[] = [];
  let section = '';
  let n = 0;
  for (const e of plan.entries) {
    if (e.section !== section) {
      section = e.section;
      rows.push({ heading: t(locale, `events.section.${e.section}`) });
    }
    rows.push([
      String(++n),
      e.title,
      e.form ? t(locale, `events.form.${e.form}`) : '',
      e.target ?? '',
      whenText(locale, e),
      e.responsible ?? '',
      t(locale, `events.status.${e.status}`),
    ]);
  }
  return tablePdf({
    title: l('plan_title', { year: plan.schoolYear }),
    lines: [
      library.name,
      plan.approvedBy ? l('approved', { who: plan.approvedBy, date: printDate(plan.approvedOn) }) : l('approve_line'),
    ],
    columns: [
      { label: '№', width: 4 },
      { label: l('event'), width: 36 },
      { label: l('form'), width: 14 },
      { label: l('target'), width: 12 },
      { label: l('when'), width: 13 },
      { label: l('responsible'), width: 13 },
      { label: l('status'), width: 10 },
    ],
    rows,
    landscape: true,
  });
}
