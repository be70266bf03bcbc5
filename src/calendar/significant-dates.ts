import type { Actor } from '../auth/actor.js';
import { nameMatchKey } from '../catalog/authors.js';
import { foldQuery, foldForSearch } from '../catalog/folding.js';
import type { Executor } from '../db/executor.js';
import type { OrganisationKind } from '../org/schema.js';
import { schoolYearRange } from '../shared/library-time.js';
import { daysOfYear, isLeapYear, isoDate } from './days.js';
import { parseBorn, shippedEntries } from './shipped.js';

export type ItemKind = 'person' | 'event' | 'national_day' | 'international_day' | 'day';
export type ItemSource = 'shipped' | 'catalogue' | 'organisation';

export interface SignificantDate {
  /** Stable within a year: 'shipped:12', 'entry:4', 'author:77', 'day:republic'. */
  key: string;
  /** The day in the listed year, or null when only the year (or month) of the original date is known. */
  date: string | null;
  year: number;
  month: number | null;
  name: string;
  nameRu: string | null;
  nameEn: string | null;
  /** The anniversary: 130 for a person born in 1894, listed in 2024; null for days kept every year. */
  years: number | null;
  kind: ItemKind;
  occupation: string | null;
  /** The original date as known: '1894-10-15', '1894-05' or '1894'. */
  born: string | null;
  /** Born on 29 February: in other years listed on 28 February. */
  feb29: boolean;
  sources: ItemSource[];
  /** Who added it, for entries of an organisation: its level and name. */
  addedBy: { organisationId: number; kind: OrganisationKind; name: string } | null;
  entryId: number | null;
  authorId: number | null;
  /** Distinct works of this person the library holds (copies not written off). */
  worksHeld: number;
  /** For a school year: whether the date falls between 1 September and 31 August. */
  inSchoolYear: boolean;
  origin: 'kz' | 'world' | null;
}

/** A person or dated event before it is placed in a year: one per person, whatever the number of sources. */
interface Dated {
  key: string;
  kind: 'person' | 'event' | 'day';
  name: string;
  nameRu: string | null;
  nameEn: string | null;
  occupation: string | null;
  year: number | null;
  month: number | null;
  day: number | null;
  sources: ItemSource[];
  addedBy: SignificantDate['addedBy'];
  entryId: number | null;
  authorId: number | null;
  matchKeys: Set<string>;
  origin: 'kz' | 'world' | null;
}

export interface CalendarQuery {
  year?: number;
  schoolYear?: string;
  q?: string;
  kind?: ItemKind;
}

/** Ids of an organisation and everything above it, from its materialised path. */
export function ancestorsOf(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

const bornText = (d: { year: number | null; month: number | null; day: number | null }) =>
  d.year === null ? null : d.day !== null && d.month !== null ? isoDate(d.year, d.month, d.day) : d.month !== null ? `${d.year}-${String(d.month).padStart(2, '0')}` : String(d.year);

/** Everything the calendar of an organisation draws from: the shipped list, entries of the organisation and those above it, catalogue authors. */
async function collect(db: Executor, organisationId: number): Promise<Dated[]> {
  const org = await db.selectFrom('org.organisations').select(['path']).where('id', '=', organisationId).executeTakeFirstOrThrow();
  const ancestors = ancestorsOf(org.path);
  const people: Dated[] = [];
  const byKey = new Map<string, Dated[]>();
  const add = (d: Dated) => {
    if (d.kind !== 'day' && d.year !== null) {
      for (const k of d.matchKeys) {
        const same = (byKey.get(k) ?? []).find((o) => o.year === d.year && o.kind === d.kind);
        if (same) {
          merge(same, d);
          return;
        }
      }
    }
    people.push(d);
    for (const k of d.matchKeys) byKey.set(k, [...(byKey.get(k) ?? []), d]);
  };
  const merge = (into: Dated, from: Dated) => {
    for (const s of from.sources) if (!into.sources.includes(s)) into.sources.push(s);
    if (into.day === null && from.day !== null) {
      into.month = from.month;
      into.day = from.day;
    }
    into.authorId ??= from.authorId;
    into.entryId ??= from.entryId;
    into.addedBy ??= from.addedBy;
    into.occupation ??= from.occupation;
    into.nameRu ??= from.nameRu;
    into.nameEn ??= from.nameEn;
    for (const k of from.matchKeys) {
      into.matchKeys.add(k);
      if (!(byKey.get(k) ?? []).includes(into)) byKey.set(k, [...(byKey.get(k) ?? []), into]);
    }
  };
  const keysOf = (...names: (string | null | undefined)[]) => new Set(names.filter((n): n is string => !!n).map(nameMatchKey).filter(Boolean));

  shippedEntries().forEach((s, i) => {
    const b = parseBorn(s.born);
    add({
      key: `shipped:${i}`,
      kind: s.what === 'event' || s.what === 'book' ? 'event' : 'person',
      name: s.kk,
      nameRu: s.ru,
      nameEn: s.en,
      occupation: s.what,
      ...b,
      sources: ['shipped'],
      addedBy: null,
      entryId: null,
      authorId: null,
      matchKeys: keysOf(s.kk, s.ru, s.en),
      origin: s.origin,
    });
  });

  const entries = await db
    .selectFrom('calendar.entries as e')
    .innerJoin('org.organisations as o', 'o.id', 'e.organisation_id')
    .select(['e.id', 'e.kind', 'e.name', 'e.name_ru', 'e.name_en', 'e.occupation', 'e.year', 'e.month', 'e.day', 'e.author_id', 'o.id as orgId', 'o.kind as orgKind', 'o.name as orgName'])
    .where('e.organisation_id', 'in', ancestors)
    .orderBy('e.id')
    .execute();
  for (const e of entries) {
    add({
      key: `entry:${e.id}`,
      kind: e.kind,
      name: e.name,
      nameRu: e.name_ru,
      nameEn: e.name_en,
      occupation: e.occupation,
      year: e.year,
      month: e.month,
      day: e.day,
      sources: ['organisation'],
      addedBy: { organisationId: Number(e.orgId), kind: e.orgKind, name: e.orgName },
      entryId: Number(e.id),
      authorId: e.author_id === null ? null : Number(e.author_id),
      matchKeys: keysOf(e.name, e.name_ru, e.name_en),
      origin: null,
    });
  }

  // Catalogue authors whose birth is known to the day join by themselves.
  const authors = await db
    .selectFrom('catalog.authors')
    .select(['id', 'name', 'variants', 'birth_date'])
    .where('birth_date', 'is not', null)
    .orderBy('id')
    .execute();
  for (const a of authors) {
    const b = parseBorn(a.birth_date!);
    add({
      key: `author:${a.id}`,
      kind: 'person',
      name: a.name,
      nameRu: null,
      nameEn: null,
      occupation: 'writer',
      ...b,
      sources: ['catalogue'],
      addedBy: null,
      entryId: null,
      authorId: Number(a.id),
      matchKeys: keysOf(a.name, ...(a.variants ?? [])),
      origin: null,
    });
  }
  return people;
}

/** Catalogue authors whose names match persons of the calendar, for linking to their works. */
async function linkAuthors(db: Executor, people: Dated[]): Promise<void> {
  const unlinked = people.filter((p) => p.kind === 'person' && p.authorId === null);
  if (unlinked.length === 0) return;
  const authors = await db.selectFrom('catalog.authors').select(['id', 'name', 'variants', 'birth_date']).execute();
  const index = new Map<string, { id: number; year: number | null }[]>();
  for (const a of authors) {
    for (const n of [a.name, ...(a.variants ?? [])]) {
      const k = nameMatchKey(n);
      if (k) index.set(k, [...(index.get(k) ?? []), { id: Number(a.id), year: a.birth_date ? Number(a.birth_date.slice(0, 4)) : null }]);
    }
  }
  for (const p of unlinked) {
    for (const k of p.matchKeys) {
      const hit = (index.get(k) ?? []).find((a) => a.year === null || a.year === p.year);
      if (hit) {
        p.authorId = hit.id;
        if (!p.sources.includes('catalogue')) p.sources.push('catalogue');
        break;
      }
    }
  }
}

/** Distinct works per catalogue author that the library holds. */
async function worksHeldBy(db: Executor, organisationId: number, authorIds: number[]): Promise<Map<number, number>> {
  if (authorIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('catalog.work_authors as wa')
    .innerJoin('fund.copies as c', 'c.work_id', 'wa.work_id')
    .select(['wa.author_id'])
    .select((eb) => eb.fn.count<number>(eb.fn('distinct', ['wa.work_id'])).as('works'))
    .where('c.organisation_id', '=', organisationId)
    .where('c.status', 'not in', ['written_off', 'lost'])
    .where('wa.author_id', 'in', authorIds)
    .groupBy('wa.author_id')
    .execute();
  return new Map(rows.map((r) => [Number(r.author_id), Number(r.works)]));
}

/** The anniversary of a dated person or event in a calendar year: in multiples of five years only. */
export function anniversaryIn(d: { year: number | null; month: number | null; day: number | null }, year: number) {
  if (d.year === null) return null;
  const years = year - d.year;
  if (years <= 0 || years % 5 !== 0) return null;
  if (d.month === null || d.day === null) return { years, date: null, feb29: false };
  const feb29 = d.month === 2 && d.day === 29;
  const day = feb29 && !isLeapYear(year) ? 28 : d.day;
  return { years, date: isoDate(year, d.month, day), feb29 };
}

/** The calendar of significant dates of an organisation for a calendar year or a school year. */
export async function significantDates(db: Executor, organisationId: number, query: CalendarQuery): Promise<{ from: string; to: string; items: SignificantDate[] }> {
  let years: number[];
  let from: string;
  let to: string;
  if (query.schoolYear) {
    ({ from, to } = schoolYearRange(query.schoolYear));
    years = [Number(from.slice(0, 4)), Number(to.slice(0, 4))];
  } else {
    const y = query.year!;
    years = [y];
    from = isoDate(y, 1, 1);
    to = isoDate(y, 12, 31);
  }
  const people = await collect(db, organisationId);
  await linkAuthors(db, people);
  const held = await worksHeldBy(db, organisationId, [...new Set(people.map((p) => p.authorId).filter((id): id is number => id !== null))]);
  const items: SignificantDate[] = [];
  const within = (date: string | null, y: number) => (date === null ? y >= Number(from.slice(0, 4)) && y <= Number(to.slice(0, 4)) : date >= from && date <= to);
  for (const y of years) {
    for (const p of people) {
      const base = {
        name: p.name,
        nameRu: p.nameRu,
        nameEn: p.nameEn,
        occupation: p.occupation,
        born: bornText(p),
        sources: p.sources,
        addedBy: p.addedBy,
        entryId: p.entryId,
        authorId: p.authorId,
        worksHeld: p.authorId === null ? 0 : (held.get(p.authorId) ?? 0),
        origin: p.origin,
      };
      if (p.kind === 'day') {
        const date = isoDate(y, p.month!, p.month === 2 && p.day === 29 && !isLeapYear(y) ? 28 : p.day!);
        if (!within(date, y)) continue;
        const years = p.year !== null && y > p.year && (y - p.year) % 5 === 0 ? y - p.year : null;
        items.push({ ...base, key: p.key, date, year: y, month: p.month, years, kind: 'day', feb29: p.month === 2 && p.day === 29, inSchoolYear: true });
        continue;
      }
      const a = anniversaryIn(p, y);
      if (!a) continue;
      const inSchoolYear = a.date ? a.date >= from && a.date <= to : true;
      items.push({ ...base, key: p.key, date: a.date, year: y, month: p.month, years: a.years, kind: p.kind, feb29: a.feb29, inSchoolYear });
    }
    for (const { day, date } of daysOfYear(y)) {
      if (!within(date, y)) continue;
      items.push({
        key: `day:${day.key}`,
        date,
        year: y,
        month: Number(date.slice(5, 7)),
        name: day.kk,
        nameRu: day.ru,
        nameEn: day.en,
        years: null,
        kind: day.kind,
        occupation: null,
        born: null,
        feb29: false,
        sources: ['shipped'],
        addedBy: null,
        entryId: null,
        authorId: null,
        worksHeld: 0,
        inSchoolYear: true,
        origin: 'kz',
      });
    }
  }
  const sortKey = (i: SignificantDate) => i.date ?? `${i.year}-${i.month ? String(i.month).padStart(2, '0') : '12'}-99`;
  let out = items.sort((a, b) => sortKey(a).localeCompare(sortKey(b)) || a.name.localeCompare(b.name));
  if (query.kind) out = out.filter((i) => i.kind === query.kind);
  if (query.q) {
    const words = foldQuery(query.q);
    out = out.filter((i) => {
      const text = foldForSearch([i.name, i.nameRu, i.nameEn].filter(Boolean).join(' '));
      return words.every((w) => text.includes(w));
    });
  }
  return { from, to, items: out };
}

/** The organisation whose calendar an actor reads: their own (a school, or a methodologist's district). */
export function calendarOrganisation(actor: Actor): number {
  return actor.organisationId;
}
