import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../db/executor.js';
import type { ReaderGroup } from '../readers/registrations.js';
import { DOMAINS, emptyFigures, LANGUAGES, REASONS, SOURCES, type Figures } from './figures.js';
import { nextDay, type ReportPeriod } from './period.js';
import { clubCounts, eventCounts, exhibitionCounts } from '../events/counts.js';
import { digitisationCounts, periodicalCounts, referenceCounts } from '../reference/counts.js';
import { activeShare } from '../reading/standings.js';

/**
 * The sections of the annual report. Each is a plain function of (db, organisationIds, period) that
 * answers, per library, the sums of its part of the figures, with one grouped statement (or a few)
 * over all the libraries at once: a district of 700 schools costs what one school costs.
 */
export type Section = (db: Executor, organisationIds: number[], period: ReportPeriod) => Promise<Map<number, Partial<Figures>>>;

/** Visit-days a year that make a regular visitor, unless the library keeps its own number. */
export const DEFAULT_REGULAR_VISIT_DAYS = 10;

const ids = (list: number[]) => sql.join(list);
const CHILDREN_RATINGS = ['0+', '6+', '12+'];
const RULE_DOMAINS = DOMAINS.filter((d) => d !== 'textbooks');

/** The language group of a work's ISO code, in SQL. */
export const langOf = (col: RawBuilder<unknown>) =>
  sql<string>`case lower(trim(coalesce(${col}, ''))) when 'kaz' then 'kk' when 'kk' then 'kk' when 'rus' then 'ru' when 'ru' then 'ru' else 'other' end`;
/** The report domain of a copy: as booked on its receipt line, else textbooks by fund, else the work's own group. */
export const domainOf = (line: RawBuilder<unknown>, fund: RawBuilder<unknown>, work: RawBuilder<unknown>) =>
  sql<string>`coalesce(${line}, case when ${fund} = 'textbook' then 'textbooks'
    when ${work} in (${sql.join(RULE_DOMAINS)}) then ${work} else 'other' end)`;

function perOrg<T>(rows: T[], key: (r: T) => number, apply: (f: Figures, r: T) => void, map = new Map<number, Figures>()) {
  for (const r of rows) {
    const org = Number(key(r));
    const f = map.get(org) ?? emptyFigures();
    apply(f, r);
    map.set(org, f);
  }
  return map;
}

const pick = <K extends keyof Figures>(map: Map<number, Figures>, ...keys: K[]) =>
  new Map([...map].map(([org, f]) => [org, Object.fromEntries(keys.map((k) => [k, f[k]])) as Partial<Figures>]));

const dom = (g: string) => ((DOMAINS as readonly string[]).includes(g) ? (g as (typeof DOMAINS)[number]) : 'other');
const lng = (l: string) => ((LANGUAGES as readonly string[]).includes(l) ? (l as (typeof LANGUAGES)[number]) : 'other');

/** Readers registered or re-registered in the period, by the group they were in then. */
export const readersSection: Section = async (db, organisationIds, period) => {
  const { rows } = await sql<{ org: number; g: ReaderGroup; n: number }>`
    select organisation_id as org, reader_group as g, count(*)::int as n from readers.registrations
     where organisation_id in (${ids(organisationIds)}) and cycle = ${period.key}
     group by 1, 2`.execute(db);
  return pick(
    perOrg(rows, (r) => r.org, (f, r) => {
      f.readers[r.g] += Number(r.n);
      f.readers.total += Number(r.n);
    }),
    'readers',
  );
};

/**
 * Readers who came on at least the library's number of days in the period: a period whose visits
 * were removed by retention answers the count kept before they went (reports.kept_regular_visitors).
 */
export async function regularVisitorCounts(db: Executor, organisationIds: number[], period: ReportPeriod) {
  return sql<{ org: number; n: number }>`
    select v.org, count(*)::int as n
      from (select organisation_id as org, reader_id, count(*) as days from circulation.visits
             where organisation_id in (${ids(organisationIds)}) and visited_on between ${period.from} and ${period.to}
             group by 1, 2) v
      left join reports.settings s on s.organisation_id = v.org
     where v.days >= coalesce(s.regular_visit_days, ${DEFAULT_REGULAR_VISIT_DAYS})
       and not exists (select 1 from reports.kept_regular_visitors k where k.organisation_id = v.org and k.period = ${period.key})
     group by 1
    union all
    select organisation_id, regular_visitors from reports.kept_regular_visitors
     where organisation_id in (${ids(organisationIds)}) and period = ${period.key}`.execute(db);
}

/**
 * Where the busiest counts come from: counted from the rows themselves, or read from the counts the
 * rows' own writes keep per library and period (reports.running_counts, migration 1202). Both give
 * the same numbers (src/reports/running.test.ts); the report reads the kept ones, which cost a few
 * rows per library instead of every loan and visit of the year.
 */
export interface CountSource {
  /** Reader-days at the desk and in the reading room, per library. */
  days(db: Executor, organisationIds: number[], period: ReportPeriod): Promise<{ org: number; desk: number; rr: number }[]>;
  regular(db: Executor, organisationIds: number[], period: ReportPeriod): Promise<{ org: number; n: number }[]>;
  /** Loans home, textbook issues and reading-room items, per library, kind, domain and language. */
  loans(db: Executor, organisationIds: number[], period: ReportPeriod): Promise<LoanCell[]>;
}
type LoanCell = { org: number; kind: 'main' | 'textbooks' | 'readingRoom'; g: string; l: string; n: number };

/** Reader-days and loans removed by retention or an erasure: their numbers kept by day (reports.kept_counts). */
const keptDays = (organisationIds: number[], period: ReportPeriod) => sql`
  select organisation_id, sum(n) filter (where not reading_room), sum(n) filter (where reading_room)
    from reports.kept_counts
   where organisation_id in (${ids(organisationIds)}) and what = 'visit' and day between ${period.from} and ${period.to}
   group by 1`;
const keptLoans = (organisationIds: number[], period: ReportPeriod) => sql`
  select organisation_id, fund, domain, language, n
    from reports.kept_counts
   where organisation_id in (${ids(organisationIds)}) and what = 'issue' and day between ${period.from} and ${period.to}`;

export const FROM_ROWS: CountSource = {
  days: async (db, organisationIds, period) =>
    (
      await sql<{ org: number; desk: number; rr: number }>`
        select org, coalesce(sum(desk), 0)::int as desk, coalesce(sum(rr), 0)::int as rr from (
          select organisation_id as org, count(*) filter (where not reading_room) as desk, count(*) filter (where reading_room) as rr
            from circulation.visits
           where organisation_id in (${ids(organisationIds)}) and visited_on between ${period.from} and ${period.to}
           group by 1
          union all
          ${keptDays(organisationIds, period)}
        ) x group by 1`.execute(db)
    ).rows,
  regular: async (db, organisationIds, period) => (await regularVisitorCounts(db, organisationIds, period)).rows,
  loans: async (db, organisationIds, period) => {
    const end = nextDay(period.to);
    const { rows } = await sql<LoanCell>`
      select org, kind, g, l, sum(n)::int as n from (
        select l.organisation_id as org, case when c.fund = 'textbook' then 'textbooks' else 'main' end as kind,
               ${domainOf(sql`rl.knowledge_group`, sql`c.fund`, sql`w.knowledge_group`)} as g, ${langOf(sql`w.language`)} as l, 1 as n
          from circulation.loans l
          join org.organisations o on o.id = l.organisation_id
          join fund.copies c on c.id = l.copy_id
          join catalog.works w on w.id = c.work_id
          left join fund.receipt_lines rl on rl.id = c.receipt_line_id
         where l.organisation_id in (${ids(organisationIds)})
           -- the library's own days: midnight in its time zone, not the database session's
           and l.issued_at >= (${period.from}::date)::timestamp at time zone o.time_zone
           and l.issued_at < (${end}::date)::timestamp at time zone o.time_zone
        union all
        select i.organisation_id, 'textbooks', 'textbooks', ${langOf(sql`w.language`)}, 1
          from textbooks.issues i join catalog.works w on w.id = i.work_id
         where i.organisation_id in (${ids(organisationIds)}) and i.issued_on between ${period.from} and ${period.to}
        union all
        select u.organisation_id, 'readingRoom',
               case when c.id is null then 'other' else ${domainOf(sql`rl.knowledge_group`, sql`c.fund`, sql`w.knowledge_group`)} end,
               ${langOf(sql`w.language`)}, u.items
          from circulation.reading_room_uses u
          left join fund.copies c on c.id = u.copy_id
          left join catalog.works w on w.id = c.work_id
          left join fund.receipt_lines rl on rl.id = c.receipt_line_id
         where u.organisation_id in (${ids(organisationIds)}) and u.used_on between ${period.from} and ${period.to}
        union all
        ${keptLoans(organisationIds, period)}
      ) x group by 1, 2, 3, 4`.execute(db);
    return rows;
  },
};

export const FROM_RUNNING_COUNTS: CountSource = {
  days: async (db, organisationIds, period) =>
    (
      await sql<{ org: number; desk: number; rr: number }>`
        select org, coalesce(sum(desk), 0)::int as desk, coalesce(sum(rr), 0)::int as rr from (
          select organisation_id as org, sum(n) filter (where not reading_room) as desk, sum(n) filter (where reading_room) as rr
            from reports.running_counts
           where organisation_id in (${ids(organisationIds)}) and period = ${period.key} and what = 'visit'
           group by 1
          union all
          ${keptDays(organisationIds, period)}
        ) x group by 1`.execute(db)
    ).rows,
  regular: async (db, organisationIds, period) =>
    (
      await sql<{ org: number; n: number }>`
        select v.organisation_id as org, count(*)::int as n
          from reports.running_visit_days v
          left join reports.settings s on s.organisation_id = v.organisation_id
         where v.organisation_id in (${ids(organisationIds)}) and v.period = ${period.key}
           and v.days >= coalesce(s.regular_visit_days, ${DEFAULT_REGULAR_VISIT_DAYS})
           and not exists (select 1 from reports.kept_regular_visitors k where k.organisation_id = v.organisation_id and k.period = ${period.key})
         group by 1
        union all
        select organisation_id, regular_visitors from reports.kept_regular_visitors
         where organisation_id in (${ids(organisationIds)}) and period = ${period.key}`.execute(db)
    ).rows,
  loans: async (db, organisationIds, period) => {
    const { rows } = await sql<LoanCell>`
      select org, kind, g, l, sum(n)::int as n from (
        select organisation_id as org, case when what = 'loan' then fund else 'readingRoom' end as kind, domain as g, language as l, n
          from reports.running_counts
         where organisation_id in (${ids(organisationIds)}) and period = ${period.key} and what in ('loan', 'reading_room')
        union all
        select i.organisation_id, 'textbooks', 'textbooks', ${langOf(sql`w.language`)}, i.n
          from reports.running_textbook_issues i join catalog.works w on w.id = i.work_id
         where i.organisation_id in (${ids(organisationIds)}) and i.period = ${period.key}
        union all
        ${keptLoans(organisationIds, period)}
      ) x group by 1, 2, 3, 4`.execute(db);
    return rows;
  },
};

/**
 * Reader-days at the desk and in the reading room, event attendance, regular visitors; remote contacts apart.
 * Reader-days removed by retention count from the kept day counts.
 */
export const visitsSectionFrom =
  (source: CountSource): Section =>
  async (db, organisationIds, period) => {
    const [days, contacts, regular] = [
      await source.days(db, organisationIds, period),
      await sql<{ org: number; kind: string; n: number }>`
        select organisation_id as org, kind, sum(quantity)::int as n from circulation.contacts
         where organisation_id in (${ids(organisationIds)}) and occurred_on between ${period.from} and ${period.to}
         group by 1, 2`.execute(db),
      await source.regular(db, organisationIds, period),
    ];
    const map = perOrg(days, (r) => r.org, (f, r) => {
      f.visits.desk += Number(r.desk);
      f.visits.readingRoom += Number(r.rr);
    });
    perOrg(contacts.rows, (r) => r.org, (f, r) => {
      if (r.kind === 'event') f.visits.events += Number(r.n);
      if (r.kind === 'online_renewal') f.remote.onlineRenewals += Number(r.n);
      if (r.kind === 'virtual_reference') f.remote.virtualReferences += Number(r.n);
    }, map);
    perOrg(regular, (r) => r.org, (f, r) => {
      f.visits.regularVisitors += Number(r.n);
    }, map);
    for (const f of map.values()) {
      f.visits.total = f.visits.desk + f.visits.readingRoom + f.visits.events;
      f.remote.total = f.remote.onlineRenewals + f.remote.virtualReferences;
    }
    return pick(map, 'visits', 'remote');
  };

/**
 * Loans home (main fund and textbooks), textbook issues by count, reading-room use; by domain and language.
 * Loans removed by retention or a reader's erasure count from the kept day counts.
 */
export const loansSectionFrom =
  (source: CountSource): Section =>
  async (db, organisationIds, period) =>
    pick(
      perOrg(await source.loans(db, organisationIds, period), (r) => r.org, (f, r) => {
        const k = Number(r.n);
        f.loans[r.kind] += k;
        f.loans.total += k;
        f.loans.byDomain[dom(r.g)] += k;
        f.loans.byLanguage[lng(r.l)] += k;
      }),
      'loans',
    );

type Cell = { org: number; g: string; l: string; n: number };
type FundCell = { org: number; g: string; l: string; at_start: number; at_end: number };

/**
 * The fund at the start of a period and at its end, in one pass: everything received before the day minus
 * everything written off before it, as the summary book counts it (receipt lines, textbook batches, approved
 * acts, a reversal giving back), plus copies entered without a receipt document before fund accounting began.
 */
async function fundCells(db: Executor, organisationIds: number[], start: string, end: string): Promise<FundCell[]> {
  const { rows } = await sql<FundCell>`
    select org, g, l, coalesce(sum(n) filter (where d < ${start}), 0)::int as at_start, sum(n)::int as at_end from (
      select r.organisation_id as org, l.knowledge_group as g, l.language_group as l, l.copies_count as n, r.received_on as d
        from fund.receipts r join fund.receipt_lines l on l.receipt_id = r.id
       where r.organisation_id in (${ids(organisationIds)}) and r.received_on < ${end} and not l.off_balance
      union all
      select b.organisation_id, 'textbooks', b.language_group, b.copies_count, r.received_on
        from textbooks.batches b join fund.receipts r on r.id = b.receipt_id
       where b.organisation_id in (${ids(organisationIds)}) and r.received_on < ${end}
      union all
      select a.organisation_id, w.knowledge_group, w.language_group, case when a.kind = 'reversal' then 1 else -1 end, a.act_date
        from fund.write_off_acts a join fund.write_off_lines w on w.act_id = a.id
       where a.organisation_id in (${ids(organisationIds)}) and a.status = 'approved' and not w.off_balance and a.act_date < ${end}
      union all
      select a.organisation_id, 'textbooks', w.language_group, -w.copies_count, a.act_date
        from textbooks.write_off_acts a join textbooks.write_off_lines w on w.act_id = a.id
       where a.organisation_id in (${ids(organisationIds)}) and a.act_date < ${end}
      union all
      select c.organisation_id, ${domainOf(sql`null`, sql`c.fund`, sql`w.knowledge_group`)}, ${langOf(sql`w.language`)}, 1, c.acquired_on
        from fund.copies c join catalog.works w on w.id = c.work_id
       where c.organisation_id in (${ids(organisationIds)}) and c.receipt_id is null and c.fund <> 'off_balance'
         and c.acquired_on < ${end} and not (c.status = 'written_off' and c.write_off_id is null)
    ) x group by 1, 2, 3`.execute(db);
  return rows;
}

function addFund(col: Figures['fund']['end'], r: Cell) {
  const k = Number(r.n);
  const g = dom(r.g);
  col.total += k;
  if (g === 'textbooks') col.textbooks += k;
  else col.main += k;
  col.byDomain[g] += k;
  col.byLanguage[lng(r.l)] += k;
  if (lng(r.l) === 'kk') col.kazakhByDomain[g] += k;
}

/** The fund at the start of the period and at its end, by domain and language, main fund and textbooks apart. */
export const fundSection: Section = async (db, organisationIds, period) => {
  const cells = await fundCells(db, organisationIds, period.from, nextDay(period.to));
  const map = perOrg(cells, (r) => r.org, (f, r) => {
    addFund(f.fund.start, { org: r.org, g: r.g, l: r.l, n: r.at_start });
    addFund(f.fund.end, { org: r.org, g: r.g, l: r.l, n: r.at_end });
  });
  return pick(map, 'fund');
};

/**
 * Received in the period: by source with sums, by domain, in Kazakh, children's literature, textbooks apart.
 * The fund's opening balance (source 'initial') is taken on the books, not received: it counts in the fund only.
 */
export const acquisitionsSection: Section = async (db, organisationIds, period) => {
  const end = nextDay(period.to);
  const { rows } = await sql<{ org: number; src: string; g: string; l: string; child: boolean; n: number; sum: number }>`
    select org, src, g, l, child, sum(n)::bigint as n, sum(s)::bigint as sum from (
      select r.organisation_id as org, r.source as src, l.knowledge_group as g, l.language_group as l,
             coalesce(w.age_rating in (${sql.join(CHILDREN_RATINGS)}), false) as child, l.copies_count as n, l.copies_count * l.price_tiyn as s
        from fund.receipts r join fund.receipt_lines l on l.receipt_id = r.id join catalog.works w on w.id = l.work_id
       where r.organisation_id in (${ids(organisationIds)}) and r.received_on >= ${period.from} and r.received_on < ${end} and not l.off_balance
         and r.source <> 'initial'
      union all
      select b.organisation_id, r.source, 'textbooks', b.language_group, false, b.copies_count, b.copies_count * b.price_tiyn
        from textbooks.batches b join fund.receipts r on r.id = b.receipt_id
       where b.organisation_id in (${ids(organisationIds)}) and r.received_on >= ${period.from} and r.received_on < ${end}
         and r.source <> 'initial'
      union all
      select c.organisation_id, 'unspecified', ${domainOf(sql`null`, sql`c.fund`, sql`w.knowledge_group`)}, ${langOf(sql`w.language`)},
             coalesce(w.age_rating in (${sql.join(CHILDREN_RATINGS)}), false), 1, c.price_tiyn
        from fund.copies c join catalog.works w on w.id = c.work_id
       where c.organisation_id in (${ids(organisationIds)}) and c.receipt_id is null and c.fund <> 'off_balance'
         and c.acquired_on >= ${period.from} and c.acquired_on < ${end}
    ) x group by 1, 2, 3, 4, 5`.execute(db);
  return pick(
    perOrg(rows, (r) => r.org, (f, r) => {
      const a = f.acquisitions;
      const k = Number(r.n);
      const s = Number(r.sum);
      const src = (SOURCES as readonly string[]).includes(r.src) ? (r.src as (typeof SOURCES)[number]) : 'unspecified';
      const g = dom(r.g);
      a.copies += k;
      a.sumTiyn += s;
      a.bySource[src].copies += k;
      a.bySource[src].sumTiyn += s;
      a.byDomain[g] += k;
      a.byLanguage[lng(r.l)] += k;
      if (lng(r.l) === 'kk') {
        a.kazakhByDomain[g] += k;
        a.kazakhBySource[src] += k;
      }
      if (r.child) {
        a.children += k;
        a.childrenByDomain[g] += k;
        if (lng(r.l) === 'kk') a.childrenKazakh += k;
      }
      if (g === 'textbooks') {
        a.textbooks.copies += k;
        a.textbooks.sumTiyn += s;
      }
    }),
    'acquisitions',
  );
};

/** Written off in the period by reason (approved acts; a reversal counts negative), by domain, in Kazakh. */
export const writeOffsSection: Section = async (db, organisationIds, period) => {
  const end = nextDay(period.to);
  const { rows } = await sql<{ org: number; reason: string; g: string; l: string; n: number; sum: number }>`
    select org, reason, g, l, sum(n)::bigint as n, sum(s)::bigint as sum from (
      select a.organisation_id as org, a.reason, w.knowledge_group as g, w.language_group as l,
             case when a.kind = 'reversal' then -1 else 1 end as n, case when a.kind = 'reversal' then -1 else 1 end * w.price_tiyn as s
        from fund.write_off_acts a join fund.write_off_lines w on w.act_id = a.id
       where a.organisation_id in (${ids(organisationIds)}) and a.status = 'approved' and not w.off_balance
         and a.act_date >= ${period.from} and a.act_date < ${end}
      union all
      select a.organisation_id, a.reason, 'textbooks', w.language_group, w.copies_count, w.sum_tiyn
        from textbooks.write_off_acts a join textbooks.write_off_lines w on w.act_id = a.id
       where a.organisation_id in (${ids(organisationIds)}) and a.act_date >= ${period.from} and a.act_date < ${end}
    ) x group by 1, 2, 3, 4`.execute(db);
  return pick(
    perOrg(rows, (r) => r.org, (f, r) => {
      const w = f.writeOffs;
      const k = Number(r.n);
      const s = Number(r.sum);
      const reason = (REASONS as readonly string[]).includes(r.reason) ? (r.reason as (typeof REASONS)[number]) : 'physical_wear';
      w.copies += k;
      w.sumTiyn += s;
      w.byReason[reason].copies += k;
      w.byReason[reason].sumTiyn += s;
      w.byDomain[dom(r.g)] += k;
      if (lng(r.l) === 'kk') w.kazakh += k;
    }),
    'writeOffs',
  );
};

/** The passport of the period, or the latest one entered before it. */
export const passportSection: Section = async (db, organisationIds, period) => {
  const { rows } = await sql<{
    org: number; area: string; rr: string; st: string; seats: number; computers: number; internet: number; open: number;
  }>`
    select distinct on (organisation_id) organisation_id as org, area_m2 as area, reading_room_m2 as rr, storage_m2 as st,
           seats, computers, internet_computers as internet, open_access_copies as open
      from reports.passports
     where organisation_id in (${ids(organisationIds)}) and substr(period, 1, 4) <= ${period.key.slice(0, 4)}
     order by organisation_id, substr(period, 1, 4) desc, (period = ${period.key}) desc`.execute(db);
  return pick(
    perOrg(rows, (r) => r.org, (f, r) => {
      f.passport = {
        areaM2: Number(r.area),
        readingRoomM2: Number(r.rr),
        storageM2: Number(r.st),
        seats: Number(r.seats),
        computers: Number(r.computers),
        internetComputers: Number(r.internet),
        openAccessCopies: Number(r.open),
      };
    }),
    'passport',
  );
};

/**
 * Sections of other areas that count over a set of libraries at once and answer one sum (their own
 * counting functions, `(db, organisationIds, from, to)`). The report calls them for the libraries that
 * have not closed the period, once per organisation listed below the area, and adds those up for the
 * area: each answer must be a sum over libraries (a count of a library's own rows, never of something
 * two libraries share), so that the sum over disjoint sets of libraries is the answer for their union.
 * A closing library keeps their figures with its own.
 */
export interface GroupSection {
  key: keyof Figures;
  count: (db: Executor, organisationIds: number[], period: ReportPeriod) => Promise<Partial<Figures>>;
}
export const GROUP_SECTIONS: GroupSection[] = [
  {
    key: 'events',
    count: async (db, organisationIds, period) => {
      const [e, x, c] = [
        await eventCounts(db, organisationIds, period.from, period.to),
        await exhibitionCounts(db, organisationIds, period.from, period.to),
        await clubCounts(db, organisationIds, period.from, period.to),
      ];
      return {
        events: {
          events: e.events,
          participants: e.participants,
          pupils: e.pupils,
          teachers: e.teachers,
          parents: e.parents,
          others: e.others,
          fromPlan: e.fromPlan,
          exhibitions: x.exhibitions,
          virtualExhibitions: x.virtual,
          clubs: c.clubs,
          clubMembers: c.members,
          clubSessions: c.sessions,
        },
      };
    },
  },
  {
    key: 'reference',
    count: async (db, organisationIds, period) => {
      const r = await referenceCounts(db, organisationIds, period.from, period.to);
      return {
        reference: {
          total: r.total,
          thematic: r.byKind.thematic,
          factual: r.byKind.factographic,
          address: r.byKind.address,
          clarifying: r.byKind.clarifying,
          virtual: r.virtual,
          unmet: r.unmet,
        },
      };
    },
  },
  {
    key: 'periodicals',
    count: async (db, organisationIds, period) => {
      const p = await periodicalCounts(db, organisationIds, period.from, period.to);
      return {
        periodicals: {
          titles: p.titles,
          kazakhTitles: p.kazakh,
          childrenTitles: p.forChildren,
          // The issues received in the period are the copies of periodicals taken in.
          copies: p.issuesReceived,
          sumTiyn: p.sumTiyn,
          articlesIndexed: p.articlesIndexed,
        },
      };
    },
  },
  {
    key: 'digitisation',
    count: async (db, organisationIds, period) => {
      const d = await digitisationCounts(db, organisationIds, period.from, period.to);
      return {
        digitisation: {
          digitised: d.documents,
          pages: d.pages,
          addedInPeriod: d.addedInPeriod,
          uses: d.views + d.downloads,
          views: d.views,
          downloads: d.downloads,
        },
      };
    },
  },
  {
    key: 'readingMovement',
    count: async (db, organisationIds, period) => {
      // The whole comes first; its counts are sums, and the shares are computed from them by the report.
      const [whole] = await activeShare(db, organisationIds, period.from, period.to);
      const w = whole ?? { pupils: 0, activePupils: 0, parents: 0, activeParents: 0 };
      return {
        readingMovement: {
          participants: w.activePupils + w.activeParents,
          pupils: w.pupils,
          parents: w.parents,
          activePupils: w.activePupils,
          activeParents: w.activeParents,
        },
      };
    },
  },
];

/**
 * Sections whose domains are not part of this deployment yet. Each is counted as zero with a note,
 * and replaced by a counting function when its domain lands.
 */
const PLANNED_SECTIONS: Partial<Record<keyof Figures, string>> = {
  events: 'events, exhibitions and clubs are counted once the events domain records them',
  reference: 'reference service by kind is counted once the reference domain records it',
  periodicals: 'periodicals are counted once the periodicals domain records subscriptions',
  digitisation: 'digitisation and its use are counted once the digitisation domain records them',
  readingMovement: "the reading movement's active share is counted once the reading domain records it",
};

export const PENDING_SECTIONS: Partial<Record<keyof Figures, string>> = Object.fromEntries(
  Object.entries(PLANNED_SECTIONS).filter(([key]) => !GROUP_SECTIONS.some((g) => g.key === key)),
);

const FUND_SECTIONS: Section[] = [fundSection, acquisitionsSection, writeOffsSection];
let fundDigest: string | undefined;
/** What counts the kept fund figures: a digest of the counting code, so that a new release counts them again. */
function fundCountedBy(): string {
  fundDigest ??= createHash('sha256')
    .update([...FUND_SECTIONS, fundCells, addFund, domainOf, langOf, perOrg].map(String).join('\n'))
    .update(JSON.stringify([CHILDREN_RATINGS, DOMAINS, LANGUAGES, SOURCES, REASONS]))
    .digest('hex')
    .slice(0, 16);
  return fundDigest;
}

/**
 * The fund at the period's start and end, acquisitions and write-offs, as kept per library and period
 * (reports.fund_figures, migration 1203) while the library's fund documents are still the version they
 * were counted at; the others are counted now by the three sections above and kept for the next time.
 */
export const keptFundSection: Section = async (db, organisationIds, period) => {
  const result = new Map<number, Partial<Figures>>();
  const kept = await sql<{ org: number; figures: unknown }>`
    select f.organisation_id as org, f.figures from reports.fund_figures f
      left join reports.fund_versions v on v.organisation_id = f.organisation_id
     where f.organisation_id in (${ids(organisationIds)}) and f.period = ${period.key}
       and f.counted_by = ${fundCountedBy()} and f.version = coalesce(v.version, 0)`.execute(db);
  for (const r of kept.rows) result.set(Number(r.org), (typeof r.figures === 'string' ? JSON.parse(r.figures) : r.figures) as Partial<Figures>);
  const stale = organisationIds.filter((id) => !result.has(id));
  if (!stale.length) return result;
  // The versions are read before the counting: a change committed in between is in the figures and has
  // moved the version on, so they are counted once more next time, never kept as newer than they are.
  const versions = new Map(
    (await sql<{ org: number; version: number }>`select organisation_id as org, version from reports.fund_versions where organisation_id in (${ids(stale)})`.execute(db)).rows.map(
      (r) => [Number(r.org), Number(r.version)],
    ),
  );
  const counted = new Map<number, Partial<Figures>>(stale.map((id) => [id, {}]));
  for (const part of await Promise.all(FUND_SECTIONS.map((section) => section(db, stale, period)))) {
    for (const [org, sums] of part) Object.assign(counted.get(org)!, sums);
  }
  const rows = [...counted].map(([org, figures]) => ({ organisation_id: org, period: period.key, version: versions.get(org) ?? 0, counted_by: fundCountedBy(), figures: JSON.stringify(figures) }));
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('reports.fund_figures')
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) =>
        oc.columns(['organisation_id', 'period']).doUpdateSet((eb) => ({
          version: eb.ref('excluded.version'),
          counted_by: eb.ref('excluded.counted_by'),
          figures: eb.ref('excluded.figures'),
        })),
      )
      .execute();
  }
  for (const [org, figures] of counted) result.set(org, figures);
  return result;
};

/** The library's own sections as the report counts them: loans and visits from the running counts, the fund as kept. */
export const SECTIONS: Section[] = [
  readersSection,
  visitsSectionFrom(FROM_RUNNING_COUNTS),
  loansSectionFrom(FROM_RUNNING_COUNTS),
  keptFundSection,
  passportSection,
];
/** The same sections counted from the rows themselves: what the running counts and the kept fund figures must equal. */
export const SECTIONS_FROM_ROWS: Section[] = [
  readersSection,
  visitsSectionFrom(FROM_ROWS),
  loansSectionFrom(FROM_ROWS),
  ...FUND_SECTIONS,
  passportSection,
];
