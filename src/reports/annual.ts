import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { LIBRARY_KINDS } from '../org/organisations.js';
import type { OrganisationKind } from '../org/schema.js';
import { forbidden, notFound } from '../shared/errors.js';
import { libraryToday } from '../shared/library-time.js';
import { emptyFigures, emptyPlan, indicatorsOf, normaliseFigures, PLAN_INDICATORS, sumFigures, type Figures, type Indicators, type Plan } from './figures.js';
import { assertStarted, periodOf, previousPeriod, type ReportPeriod } from './period.js';
import { GROUP_SECTIONS, PENDING_SECTIONS, SECTIONS, type Section } from './sections.js';

export interface OrgNode {
  id: number;
  name: string;
  kind: OrganisationKind;
  path: string;
  parentId: number | null;
}

export interface LibraryFigures {
  figures: Figures;
  closed: boolean;
  origin: 'local' | 'package' | 'live';
  closedAt: string | null;
}

/** The sections of other areas, summed over the libraries given (zero when there are none). */
export async function groupSums(db: Executor, organisationIds: number[], period: ReportPeriod): Promise<Figures> {
  const figures = emptyFigures();
  if (!organisationIds.length) return figures;
  for (const section of GROUP_SECTIONS) Object.assign(figures, await section.count(db, organisationIds, period));
  return figures;
}

/** One library's complete figures as counted now: what a closing library keeps. */
export async function libraryLive(db: Executor, organisationId: number, period: ReportPeriod): Promise<Figures> {
  const own = (await computeLive(db, [organisationId], period)).get(organisationId)!;
  return sumFigures([own, await groupSums(db, [organisationId], period)]);
}

/**
 * Each library's own figures computed from its records now (all libraries at once, section by section),
 * without the sections of other areas, which the report adds per group (groupSums).
 */
export async function computeLive(db: Executor, organisationIds: number[], period: ReportPeriod, sections: Section[] = SECTIONS): Promise<Map<number, Figures>> {
  const result = new Map<number, Figures>(organisationIds.map((id) => [id, emptyFigures()]));
  if (!organisationIds.length) return result;
  // Large areas are counted in slices so that no statement carries thousands of parameters.
  for (let i = 0; i < organisationIds.length; i += 2000) {
    const slice = organisationIds.slice(i, i + 2000);
    const parts = await Promise.all(sections.map((section) => section(db, slice, period)));
    for (const part of parts) {
      for (const [org, sums] of part) Object.assign(result.get(org) ?? emptyFigures(), sums);
    }
  }
  return result;
}

/** Each library's figures: as stored when it closed the period (or sent them), else counted live. */
export async function libraryFigures(db: Executor, organisationIds: number[], period: ReportPeriod): Promise<Map<number, LibraryFigures>> {
  const closed = organisationIds.length
    ? await db
        .selectFrom('reports.closed_periods')
        .select(['organisation_id', 'figures', 'origin', 'closed_at'])
        .where('organisation_id', 'in', organisationIds)
        .where('period', '=', period.key)
        .execute()
    : [];
  const result = new Map<number, LibraryFigures>();
  for (const row of closed) {
    result.set(row.organisation_id, {
      figures: normaliseFigures(typeof row.figures === 'string' ? JSON.parse(row.figures) : row.figures),
      closed: true,
      origin: row.origin,
      closedAt: new Date(row.closed_at).toISOString(),
    });
  }
  const open = organisationIds.filter((id) => !result.has(id));
  for (const [id, figures] of await computeLive(db, open, period)) result.set(id, { figures, closed: false, origin: 'live', closedAt: null });
  return result;
}

async function orgNode(db: Executor, id: number): Promise<OrgNode | undefined> {
  const row = await db.selectFrom('org.organisations').select(['id', 'name', 'kind', 'path', 'parent_id']).where('id', '=', id).executeTakeFirst();
  return row && { id: row.id, name: row.name, kind: row.kind, path: row.path, parentId: row.parent_id };
}

/**
 * The organisation whose report the actor asks for: a librarian's own library, a methodologist's
 * area or an organisation inside it (outside it: not found, so nothing about it leaks).
 */
export async function reportRoot(db: Executor, actor: Actor, organisationId?: number): Promise<OrgNode> {
  if (!['admin', 'methodologist', 'librarian'].includes(actor.role)) throw forbidden();
  const id = organisationId ?? actor.organisationId;
  const node = await orgNode(db, id);
  if (!node) throw notFound('organisation', id);
  const visible = actor.role === 'admin' || (actor.role === 'methodologist' ? node.path.startsWith(actor.orgPath) : node.id === actor.organisationId);
  if (!visible) throw notFound('organisation', id);
  return node;
}

/** Libraries at or below an organisation. */
export async function librariesUnder(db: Executor, root: OrgNode): Promise<OrgNode[]> {
  const rows = await db
    .selectFrom('org.organisations')
    .select(['id', 'name', 'kind', 'path', 'parent_id'])
    .where(sql<boolean>`path like ${root.path + '%'}`)
    .where('kind', 'in', LIBRARY_KINDS)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, path: r.path, parentId: r.parent_id }));
}

async function childrenOf(db: Executor, root: OrgNode): Promise<OrgNode[]> {
  const rows = await db
    .selectFrom('org.organisations')
    .select(['id', 'name', 'kind', 'path', 'parent_id'])
    .where('parent_id', '=', root.id)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, path: r.path, parentId: r.parent_id }));
}

/** The plans of the libraries given, summed per indicator. */
export async function plannedSum(db: Executor, organisationIds: number[], period: ReportPeriod): Promise<Plan> {
  const plan = emptyPlan();
  if (!organisationIds.length) return plan;
  const rows = await db
    .selectFrom('reports.plans')
    .select(['indicator', (eb) => eb.fn.sum<number>('value').as('v')])
    .where('organisation_id', 'in', organisationIds)
    .where('period', '=', period.key)
    .groupBy('indicator')
    .execute();
  for (const r of rows) if ((PLAN_INDICATORS as readonly string[]).includes(r.indicator)) plan[r.indicator as keyof Plan] = Number(r.v);
  return plan;
}

export interface ChildReport {
  organisationId: number;
  name: string;
  kind: OrganisationKind;
  /** A library: it has closed the period. An area: every library under it has. */
  closed: boolean;
  libraries: number;
  librariesClosed: number;
  indicators: Indicators;
}

export interface AnnualReport {
  period: ReportPeriod;
  organisation: { id: number; name: string; kind: OrganisationKind; isLibrary: boolean };
  closed: boolean;
  closedAt: string | null;
  libraries: number;
  librariesClosed: number;
  indicators: Indicators;
  plan: Plan;
  lastYear: Indicators;
  lastYearPlan: Plan;
  figures: Figures;
  children: ChildReport[];
  pendingSections: { section: string; note: string }[];
  texts: Record<string, string>;
}

/** The annual report of an organisation: its own library's figures, or the sum of the libraries below it. */
export async function annualReport(
  db: Executor,
  actor: Actor,
  query: { year?: number; schoolYear?: string; organisationId?: number },
): Promise<AnnualReport> {
  const period = periodOf(query);
  const root = await reportRoot(db, actor, query.organisationId);
  assertStarted(period, await libraryToday(db, actor.organisationId));
  return buildReport(db, root, period);
}

export async function buildReport(db: Executor, root: OrgNode, period: ReportPeriod): Promise<AnnualReport> {
  const isLibrary = LIBRARY_KINDS.includes(root.kind);
  const libraries = await librariesUnder(db, root);
  const ids = libraries.map((l) => l.id);
  const previous = previousPeriod(period);
  // The statements below are independent of each other: on a server they run side by side on the pool.
  const [current, last, plan, lastYearPlan, below] = await Promise.all([
    libraryFigures(db, ids, period),
    libraryFigures(db, ids, previous),
    plannedSum(db, ids, period),
    plannedSum(db, ids, previous),
    isLibrary ? Promise.resolve([]) : childrenOf(db, root),
  ]);
  const openIn = (map: Map<number, LibraryFigures>, list: number[]) => list.filter((id) => !map.get(id)!.closed);

  const listed = below.map((child) => ({ child, under: libraries.filter((l) => l.path.startsWith(child.path)) }));
  const [childGroups, lastGroup] = await Promise.all([
    Promise.all(listed.map(({ under }) => groupSums(db, openIn(current, under.map((l) => l.id)), period))),
    groupSums(db, openIn(last, ids), previous),
  ]);
  const children: ChildReport[] = listed.map(({ child, under }, i) => {
    if (!under.length && !LIBRARY_KINDS.includes(child.kind)) {
      return { organisationId: child.id, name: child.name, kind: child.kind, closed: false, libraries: 0, librariesClosed: 0, indicators: indicatorsOf(emptyFigures()) };
    }
    const closedCount = under.filter((l) => current.get(l.id)!.closed).length;
    return {
      organisationId: child.id,
      name: child.name,
      kind: child.kind,
      closed: under.length > 0 && closedCount === under.length,
      libraries: under.length,
      librariesClosed: closedCount,
      indicators: indicatorsOf(sumFigures([...under.map((l) => current.get(l.id)!.figures), childGroups[i]!])),
    };
  });
  // The libraries of an area are those of the organisations listed below it, and the other areas'
  // sections answer sums over libraries: the area's own is the sum of theirs, not one more count.
  const covered = listed.reduce((n, { under }) => n + under.length, 0) === ids.length;
  const group = !isLibrary && covered ? sumFigures(childGroups) : await groupSums(db, openIn(current, ids), period);
  const figures = sumFigures([...ids.map((id) => current.get(id)!.figures), group]);
  const lastFigures = sumFigures([...ids.map((id) => last.get(id)!.figures), lastGroup]);
  const closedCount = ids.filter((id) => current.get(id)!.closed).length;
  const own = isLibrary ? current.get(root.id) : undefined;
  const texts = isLibrary ? await passportTexts(db, root.id, period) : {};
  return {
    period,
    organisation: { id: root.id, name: root.name, kind: root.kind, isLibrary },
    closed: isLibrary ? Boolean(own?.closed) : ids.length > 0 && closedCount === ids.length,
    closedAt: own?.closedAt ?? null,
    libraries: ids.length,
    librariesClosed: closedCount,
    indicators: indicatorsOf(figures),
    plan,
    lastYear: indicatorsOf(lastFigures),
    lastYearPlan,
    figures,
    children,
    pendingSections: Object.entries(PENDING_SECTIONS).map(([section, note]) => ({ section, note: note! })),
    texts,
  };
}

async function passportTexts(db: Executor, organisationId: number, period: ReportPeriod): Promise<Record<string, string>> {
  const row = await db
    .selectFrom('reports.passports')
    .select('texts')
    .where('organisation_id', '=', organisationId)
    .where('period', '=', period.key)
    .executeTakeFirst();
  const texts = row ? (typeof row.texts === 'string' ? JSON.parse(row.texts) : row.texts) : {};
  return texts as Record<string, string>;
}

/** Indicators of an organisation over several periods ending with the given one (for charts). */
export async function reportHistory(
  db: Executor,
  actor: Actor,
  query: { year?: number; schoolYear?: string; organisationId?: number; years: number },
): Promise<{ period: string; indicators: Indicators; plan: Plan; closed: boolean }[]> {
  const root = await reportRoot(db, actor, query.organisationId);
  let period = periodOf(query);
  assertStarted(period, await libraryToday(db, actor.organisationId));
  const ids = (await librariesUnder(db, root)).map((l) => l.id);
  const out: { period: string; indicators: Indicators; plan: Plan; closed: boolean }[] = [];
  for (let i = 0; i < query.years; i++) {
    const figures = await libraryFigures(db, ids, period);
    const open = ids.filter((id) => !figures.get(id)!.closed);
    out.unshift({
      period: period.key,
      indicators: indicatorsOf(sumFigures([...[...figures.values()].map((f) => f.figures), await groupSums(db, open, period)])),
      plan: await plannedSum(db, ids, period),
      closed: ids.length > 0 && [...figures.values()].every((f) => f.closed),
    });
    period = previousPeriod(period);
  }
  return out;
}
