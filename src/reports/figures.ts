import { z } from 'zod';
import { KNOWLEDGE_GROUPS, LANGUAGE_GROUPS, RECEIPT_SOURCES, WRITE_OFF_REASONS } from '../fund/accounting/schema.js';
import { WRITE_OFF_REASONS as TEXTBOOK_WRITE_OFF_REASONS } from '../textbooks/schema.js';
import { READER_GROUPS } from '../readers/registrations.js';

/**
 * The figures of a library's annual report: sums only, never a reader. Every section is a tree of
 * plain numbers, so a district's figures are the sum of its libraries' leaf by leaf, and every
 * ratio is computed afterwards from those sums (never averaged).
 */
const n = z.number();
/** A leaf added after packages were first sent: a package of an older version without it reads as zero. */
const opt = z.number().default(0);
const record = <K extends string>(keys: readonly K[]) => z.object(Object.fromEntries(keys.map((k) => [k, n])) as Record<K, typeof n>);
const tally = z.object({ copies: n, sumTiyn: n });
const tallies = <K extends string>(keys: readonly K[]) => z.object(Object.fromEntries(keys.map((k) => [k, tally])) as Record<K, typeof tally>);

export const DOMAINS = KNOWLEDGE_GROUPS;
export const LANGUAGES = LANGUAGE_GROUPS;
export const SOURCES = [...RECEIPT_SOURCES, 'unspecified'] as const;
export const REASONS = [...new Set([...WRITE_OFF_REASONS, ...TEXTBOOK_WRITE_OFF_REASONS])] as const;

const fundColumns = z.object({
  total: n,
  main: n,
  textbooks: n,
  byDomain: record(DOMAINS),
  byLanguage: record(LANGUAGES),
  kazakhByDomain: record(DOMAINS),
});

export const figuresSchema = z.object({
  readers: z.object({ total: n, ...record(READER_GROUPS).shape }),
  visits: z.object({ total: n, desk: n, readingRoom: n, events: n, regularVisitors: n }),
  remote: z.object({ total: n, onlineRenewals: n, virtualReferences: n }),
  loans: z.object({ total: n, main: n, textbooks: n, readingRoom: n, byDomain: record(DOMAINS), byLanguage: record(LANGUAGES) }),
  fund: z.object({ start: fundColumns, end: fundColumns }),
  acquisitions: z.object({
    copies: n,
    sumTiyn: n,
    bySource: tallies(SOURCES),
    kazakhBySource: record(SOURCES),
    byDomain: record(DOMAINS),
    byLanguage: record(LANGUAGES),
    kazakhByDomain: record(DOMAINS),
    children: n,
    childrenKazakh: n,
    childrenByDomain: record(DOMAINS),
    textbooks: tally,
  }),
  writeOffs: z.object({ copies: n, sumTiyn: n, byReason: tallies(REASONS), byDomain: record(DOMAINS), kazakh: n }),
  passport: z.object({ areaM2: n, readingRoomM2: n, storageM2: n, seats: n, computers: n, internetComputers: n, openAccessCopies: n }),
  /** Sections of domains that may not exist yet in this deployment: counted when they do. */
  events: z.object({
    events: n,
    participants: n,
    pupils: opt,
    teachers: opt,
    parents: opt,
    others: opt,
    fromPlan: opt,
    exhibitions: n,
    virtualExhibitions: opt,
    clubs: n,
    clubMembers: n,
    clubSessions: opt,
  }),
  reference: z.object({ total: n, thematic: n, factual: n, address: n, clarifying: n, virtual: n, unmet: opt }),
  periodicals: z.object({ titles: n, kazakhTitles: n, childrenTitles: n, copies: n, sumTiyn: n, articlesIndexed: opt }),
  digitisation: z.object({ digitised: n, uses: n, pages: opt, addedInPeriod: opt, views: opt, downloads: opt }),
  readingMovement: z.object({ participants: n, pupils: n, parents: n, activePupils: n, activeParents: n }),
});
export type Figures = z.infer<typeof figuresSchema>;

type Tree = { [k: string]: number | Tree };

function zeroOf(schema: z.ZodType): number | Tree {
  if (schema instanceof z.ZodNumber || schema instanceof z.ZodDefault) return 0;
  const shape = (schema as z.ZodObject<z.ZodRawShape>).shape;
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, zeroOf(v as z.ZodType)]));
}

export function emptyFigures(): Figures {
  return zeroOf(figuresSchema) as unknown as Figures;
}

function addTree(into: Tree, from: Tree) {
  for (const [k, v] of Object.entries(from)) {
    if (typeof v === 'number') into[k] = ((into[k] as number | undefined) ?? 0) + v;
    else addTree((into[k] ??= {}) as Tree, v);
  }
}

/** Leaf-by-leaf sum; unknown or missing leaves of stored figures are tolerated (zero). */
export function sumFigures(list: Figures[]): Figures {
  const total = emptyFigures();
  for (const f of list) addTree(total as unknown as Tree, f as unknown as Tree);
  return total;
}

/** Stored figures of an older shape read as today's shape: what is missing counts zero. */
export function normaliseFigures(stored: unknown): Figures {
  const total = emptyFigures();
  if (stored && typeof stored === 'object') addTree(total as unknown as Tree, pickNumbers(stored as Tree, total as unknown as Tree));
  return total;
}

function pickNumbers(from: Tree, shape: Tree): Tree {
  const out: Tree = {};
  for (const [k, v] of Object.entries(shape)) {
    const got = from[k];
    if (typeof v === 'number') out[k] = typeof got === 'number' && Number.isFinite(got) ? got : 0;
    else out[k] = got && typeof got === 'object' ? pickNumbers(got, v) : (zeroTree(v));
  }
  return out;
}
function zeroTree(t: Tree): Tree {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, typeof v === 'number' ? 0 : zeroTree(v)]));
}

/** The programme's target for the fund's renewal: received in a year ÷ fund at its start (seed 002). */
export const RENEWAL_TARGET = 0.2;

export const indicatorsSchema = z.object({
  readers: n,
  visits: n,
  loans: n,
  fund: n,
  mainLoans: n,
  textbookLoans: n,
  readingRoomUse: n,
  mainFund: n,
  textbookFund: n,
  fundAtStart: n,
  acquired: n,
  writtenOff: n,
  regularVisitors: n,
  remoteContacts: n,
  events: n,
  participants: n,
  exhibitions: n,
  loansPerReader: n.nullable(),
  visitsPerReader: n.nullable(),
  loansPerCopy: n.nullable(),
  copiesPerReader: n.nullable(),
  renewalRate: n.nullable(),
  renewalTarget: n,
  /** Shares of pupils and of parents active in the reading movement. */
  activePupilShare: n.nullable(),
  activeParentShare: n.nullable(),
});
export type Indicators = z.infer<typeof indicatorsSchema>;

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** The headline indicators and ratios, always from the sums of the figures given. */
export function indicatorsOf(f: Figures): Indicators {
  return {
    readers: f.readers.total,
    visits: f.visits.total,
    loans: f.loans.total,
    fund: f.fund.end.total,
    mainLoans: f.loans.main,
    textbookLoans: f.loans.textbooks,
    readingRoomUse: f.loans.readingRoom,
    mainFund: f.fund.end.main,
    textbookFund: f.fund.end.textbooks,
    fundAtStart: f.fund.start.total,
    acquired: f.acquisitions.copies,
    writtenOff: f.writeOffs.copies,
    regularVisitors: f.visits.regularVisitors,
    remoteContacts: f.remote.total,
    events: f.events.events,
    participants: f.events.participants,
    exhibitions: f.events.exhibitions,
    loansPerReader: ratio(f.loans.total, f.readers.total),
    visitsPerReader: ratio(f.visits.total, f.readers.total),
    loansPerCopy: ratio(f.loans.total, f.fund.end.total),
    copiesPerReader: ratio(f.fund.end.total, f.readers.total),
    renewalRate: ratio(f.acquisitions.copies, f.fund.start.total),
    renewalTarget: RENEWAL_TARGET,
    activePupilShare: ratio(f.readingMovement.activePupils, f.readingMovement.pupils),
    activeParentShare: ratio(f.readingMovement.activeParents, f.readingMovement.parents),
  };
}

/** The indicators a library may plan (seed 003 plans its work as well as its figures). */
export const PLAN_INDICATORS = [
  'readers',
  'visits',
  'loans',
  'acquired',
  'acquiredKazakh',
  'events',
  'participants',
  'exhibitions',
  'reviews',
  'consultations',
  'lessons',
  'excursions',
  'fundCheck',
  'regularVisitors',
] as const;
export type PlanIndicator = (typeof PLAN_INDICATORS)[number];
export const planSchema = z.object(Object.fromEntries(PLAN_INDICATORS.map((k) => [k, n])) as Record<PlanIndicator, typeof n>);
export type Plan = z.infer<typeof planSchema>;
export const emptyPlan = (): Plan => Object.fromEntries(PLAN_INDICATORS.map((k) => [k, 0])) as Plan;
