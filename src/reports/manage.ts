import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { libraryOf, requireRole } from '../auth/actor.js';
import { auditedChange, inTransaction } from '../db/transaction.js';
import type { Executor } from '../db/executor.js';
import { LIBRARY_KINDS } from '../org/organisations.js';
import { exportPackage, handleAnnualSections, importPackage, type StatsPackage } from '../reclist/packages.js';
import { conflict, forbidden, invalid } from '../shared/errors.js';
import { libraryToday, localDate, organisationTimeZone } from '../shared/library-time.js';
import { libraryLive, librariesUnder, reportRoot } from './annual.js';
import { figuresSchema, PLAN_INDICATORS, type Plan } from './figures.js';
import { assertStarted, periodOf, type ReportPeriod } from './period.js';

type PeriodQuery = { year?: number; schoolYear?: string };

/** Only a library's own staff enter its plan and passport and close its year. */
function ownLibrary(actor: Actor): number {
  return libraryOf(requireRole(actor, 'librarian', 'admin'));
}

async function assertLibrary(db: Executor, id: number) {
  const org = await db.selectFrom('org.organisations').select('kind').where('id', '=', id).executeTakeFirst();
  if (!org || !LIBRARY_KINDS.includes(org.kind)) throw invalid('reports.not_a_library');
}

async function assertOpen(db: Executor, organisationId: number, period: ReportPeriod) {
  const closed = await db
    .selectFrom('reports.closed_periods')
    .select('period')
    .where('organisation_id', '=', organisationId)
    .where('period', '=', period.key)
    .executeTakeFirst();
  if (closed) throw conflict('reports.period_closed', { period: period.key });
}

/** The library enters (or corrects) its plan of a period; indicators left out keep their value. */
export async function savePlan(db: Executor, actor: Actor, query: PeriodQuery, values: Partial<Plan>): Promise<Plan> {
  const library = ownLibrary(actor);
  await assertLibrary(db, library);
  const period = periodOf(query);
  const entries = Object.entries(values).filter(([, v]) => v !== undefined) as [string, number][];
  for (const [k, v] of entries) {
    if (!(PLAN_INDICATORS as readonly string[]).includes(k)) throw invalid('reports.unknown_indicator', { indicator: k });
    if (!Number.isInteger(v) || v < 0 || v > 1e12) throw invalid('reports.bad_plan_value', { indicator: k });
  }
  await auditedChange(db, actor, { action: 'plan', entity: 'annual_report', entityId: period.key, details: { indicators: entries.map(([k, v]) => `${k}=${v}`).join(', ') } }, async (trx) => {
    for (const [indicator, value] of entries) {
      await trx
        .insertInto('reports.plans')
        .values({ organisation_id: library, period: period.key, indicator, value, updated_by: actor.userId })
        .onConflict((oc) => oc.columns(['organisation_id', 'period', 'indicator']).doUpdateSet({ value, updated_by: actor.userId, updated_at: new Date() }))
        .execute();
    }
  });
  return readPlan(db, library, period);
}

export async function readPlan(db: Executor, organisationId: number, period: ReportPeriod): Promise<Plan> {
  const rows = await db
    .selectFrom('reports.plans')
    .select(['indicator', 'value'])
    .where('organisation_id', '=', organisationId)
    .where('period', '=', period.key)
    .execute();
  const plan = Object.fromEntries(PLAN_INDICATORS.map((k) => [k, 0])) as Plan;
  for (const r of rows) if (r.indicator in plan) plan[r.indicator as keyof Plan] = Number(r.value);
  return plan;
}

export interface PassportInput {
  areaM2: number;
  readingRoomM2: number;
  storageM2: number;
  seats: number;
  computers: number;
  internetComputers: number;
  openAccessCopies: number;
  texts: Record<string, string>;
}

export const TEXT_SECTIONS = ['websites', 'socialNetworks', 'publications', 'methodical', 'summary'] as const;

/** The passport of the library for a period and the sections it types by hand. */
export async function savePassport(db: Executor, actor: Actor, query: PeriodQuery, input: PassportInput) {
  const library = ownLibrary(actor);
  await assertLibrary(db, library);
  const period = periodOf(query);
  if (input.internetComputers > input.computers) throw invalid('reports.internet_exceeds_computers');
  for (const key of Object.keys(input.texts)) {
    if (!(TEXT_SECTIONS as readonly string[]).includes(key)) throw invalid('reports.unknown_text_section', { section: key });
  }
  const values = {
    area_m2: input.areaM2,
    reading_room_m2: input.readingRoomM2,
    storage_m2: input.storageM2,
    seats: input.seats,
    computers: input.computers,
    internet_computers: input.internetComputers,
    open_access_copies: input.openAccessCopies,
    texts: JSON.stringify(input.texts),
    updated_by: actor.userId,
  };
  await auditedChange(db, actor, { action: 'passport', entity: 'annual_report', entityId: period.key, details: { seats: input.seats, computers: input.computers } }, (trx) =>
    trx
      .insertInto('reports.passports')
      .values({ organisation_id: library, period: period.key, ...values })
      .onConflict((oc) => oc.columns(['organisation_id', 'period']).doUpdateSet({ ...values, updated_at: new Date() }))
      .execute(),
  );
  return readPassport(db, library, period);
}

export async function readPassport(db: Executor, organisationId: number, period: ReportPeriod): Promise<PassportInput & { period: string }> {
  const row = await db.selectFrom('reports.passports').selectAll().where('organisation_id', '=', organisationId).where('period', '=', period.key).executeTakeFirst();
  return {
    period: period.key,
    areaM2: Number(row?.area_m2 ?? 0),
    readingRoomM2: Number(row?.reading_room_m2 ?? 0),
    storageM2: Number(row?.storage_m2 ?? 0),
    seats: row?.seats ?? 0,
    computers: row?.computers ?? 0,
    internetComputers: row?.internet_computers ?? 0,
    openAccessCopies: row?.open_access_copies ?? 0,
    texts: row ? ((typeof row.texts === 'string' ? JSON.parse(row.texts) : row.texts) as Record<string, string>) : {},
  };
}

/** How many visit-days a year make a regular visitor in this library. */
export async function saveSettings(db: Executor, actor: Actor, input: { regularVisitDays: number }) {
  const library = ownLibrary(actor);
  await auditedChange(db, actor, { action: 'settings', entity: 'annual_report', details: { regularVisitDays: input.regularVisitDays } }, (trx) =>
    trx
      .insertInto('reports.settings')
      .values({ organisation_id: library, regular_visit_days: input.regularVisitDays })
      .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ regular_visit_days: input.regularVisitDays }))
      .execute(),
  );
  return input;
}

/**
 * Closes the library's period: its figures as counted now are kept, and the report of the period
 * reads them from then on. A period closes once it has ended.
 */
export async function closePeriod(db: Executor, actor: Actor, query: PeriodQuery) {
  const library = ownLibrary(actor);
  await assertLibrary(db, library);
  const period = periodOf(query);
  const today = await libraryToday(db, library);
  if (period.to >= today) throw conflict('reports.period_not_over', { period: period.key });
  return auditedChange(db, actor, { action: 'close', entity: 'annual_report', entityId: period.key }, async (trx) => {
    await assertOpen(trx, library, period);
    const figures = await libraryLive(trx, library, period);
    await trx
      .insertInto('reports.closed_periods')
      .values({ organisation_id: library, period: period.key, origin: 'local', figures: JSON.stringify(figures), closed_by: actor.userId })
      .execute();
    return { period: period.key, closed: true };
  });
}

/** Opens a closed period again for a correction; the figures are counted live until it closes again. */
export async function reopenPeriod(db: Executor, actor: Actor, query: PeriodQuery) {
  const library = ownLibrary(actor);
  const period = periodOf(query);
  return auditedChange(db, actor, { action: 'reopen', entity: 'annual_report', entityId: period.key }, async (trx) => {
    const gone = await trx
      .deleteFrom('reports.closed_periods')
      .where('organisation_id', '=', library)
      .where('period', '=', period.key)
      .where('origin', '=', 'local')
      .executeTakeFirst();
    if (!Number(gone.numDeletedRows)) throw conflict('reports.period_not_closed', { period: period.key });
    return { period: period.key, closed: false };
  });
}

/** The school's closed report as a signed statistics package (the recommended list's package, version 2). */
export async function exportAnnualPackage(db: Executor, actor: Actor, query: PeriodQuery): Promise<StatsPackage> {
  const library = ownLibrary(actor);
  const period = periodOf(query);
  return inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('reports.closed_periods')
      .select(['figures', 'closed_at'])
      .where('organisation_id', '=', library)
      .where('period', '=', period.key)
      .executeTakeFirst();
    if (!row) throw conflict('reports.period_not_closed', { period: period.key });
    const figures = (typeof row.figures === 'string' ? JSON.parse(row.figures) : row.figures) as Record<string, unknown>;
    return exportPackage(trx, actor, Number(period.key.slice(0, 4)), { period: period.key, closedAt: new Date(row.closed_at).toISOString(), figures });
  });
}

// An imported package's annual section becomes the school's closed period, as sent.
handleAnnualSections(async (db, _actor, organisationId, annual, contentHash) => {
  const parsed = figuresSchema.safeParse(annual.figures);
  if (!parsed.success) throw invalid('reclist.package_invalid');
  const figures = JSON.stringify(parsed.data);
  await db
    .insertInto('reports.closed_periods')
    .values({ organisation_id: organisationId, period: annual.period, origin: 'package', figures, content_hash: contentHash, closed_at: new Date(annual.closedAt) })
    .onConflict((oc) => oc.columns(['organisation_id', 'period']).doUpdateSet({ origin: 'package', figures, content_hash: contentHash, closed_at: new Date(annual.closedAt) }))
    .execute();
});

/** The district imports a school's package: all of it or nothing. */
export async function importAnnualPackage(db: Executor, actor: Actor, file: Buffer) {
  requireRole(actor, 'methodologist', 'admin');
  return inTransaction(db, (trx) => importPackage(trx, actor, file));
}

/** A district (or region) sets the day its libraries' reports of a period are due. */
export async function setSchedule(db: Executor, actor: Actor, query: PeriodQuery & { organisationId?: number }, dueOn: string) {
  requireRole(actor, 'methodologist', 'admin');
  const root = await reportRoot(db, actor, query.organisationId);
  if (LIBRARY_KINDS.includes(root.kind)) throw invalid('reports.schedule_for_area');
  const period = periodOf(query);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dueOn) || Number.isNaN(Date.parse(dueOn))) throw invalid('reports.bad_date', { value: dueOn });
  if (dueOn <= period.to) throw invalid('reports.due_before_end', { period: period.key });
  await auditedChange(db, actor, { action: 'schedule', entity: 'annual_report', entityId: period.key, details: { organisationId: root.id, dueOn } }, (trx) =>
    trx
      .insertInto('reports.schedules')
      .values({ organisation_id: root.id, period: period.key, due_on: dueOn, set_by: actor.userId })
      .onConflict((oc) => oc.columns(['organisation_id', 'period']).doUpdateSet({ due_on: dueOn, set_by: actor.userId }))
      .execute(),
  );
  return scheduleStatus(db, actor, query);
}

export type ReportStatus = 'reported' | 'late_reported' | 'late' | 'waiting';

/** Who has reported the period and who is late, against the due day set above them. */
export async function scheduleStatus(db: Executor, actor: Actor, query: PeriodQuery & { organisationId?: number }) {
  if (!['methodologist', 'admin'].includes(actor.role)) throw forbidden();
  const root = await reportRoot(db, actor, query.organisationId);
  const period = periodOf(query);
  assertStarted(period, await libraryToday(db, actor.organisationId));
  const zone = await organisationTimeZone(db, root.id);
  const today = localDate(zone);
  const libraries = await librariesUnder(db, root);
  const ids = libraries.map((l) => l.id);
  const [closed, schedules] = ids.length
    ? [
        await db.selectFrom('reports.closed_periods').select(['organisation_id', 'closed_at', 'origin']).where('organisation_id', 'in', ids).where('period', '=', period.key).execute(),
        await sql<{ path: string; due_on: string }>`
          select o.path, to_char(s.due_on, 'YYYY-MM-DD') as due_on from reports.schedules s join org.organisations o on o.id = s.organisation_id
           where s.period = ${period.key}`.execute(db).then((r) => r.rows),
      ]
    : [[], []];
  const closedBy = new Map(closed.map((c) => [c.organisation_id, c]));
  const dueFor = (path: string) =>
    schedules.filter((s) => path.startsWith(s.path)).sort((a, b) => b.path.length - a.path.length)[0]?.due_on ?? null;
  const rows = libraries.map((l) => {
    const c = closedBy.get(l.id);
    const dueOn = dueFor(l.path);
    const closedOn = c ? localDate(zone, new Date(c.closed_at)) : null;
    const status: ReportStatus = c ? (dueOn && closedOn! > dueOn ? 'late_reported' : 'reported') : dueOn && today > dueOn ? 'late' : 'waiting';
    return { organisationId: l.id, name: l.name, dueOn, closedAt: c ? new Date(c.closed_at).toISOString() : null, origin: c?.origin ?? null, status };
  });
  const own = schedules.find((s) => s.path === root.path)?.due_on ?? dueFor(root.path);
  return {
    period: period.key,
    organisationId: root.id,
    dueOn: own,
    reported: rows.filter((r) => r.status === 'reported' || r.status === 'late_reported').length,
    late: rows.filter((r) => r.status === 'late').length,
    libraries: rows,
  };
}
