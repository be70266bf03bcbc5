import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase } from '../../test/support/db.js';
import { makeWork } from '../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../test/support/tenants.js';
import type { Db, DatabaseHandle } from '../db/connect.js';
import { createOrganisation } from '../org/organisations.js';
import { setClock } from '../shared/library-time.js';
import { buildReport } from './annual.js';
import { oneDecimal, reportTables } from './documents.js';

/**
 * The annual report of 2023 of a regional children's library (the real report the programme cites),
 * rebuilt from a generated year with its counts: 12,024 readers, 122,436 visits, 240,061 loans, a fund of
 * 138,390 in six groups at the year's end, 2,790 received (by source, with sums) and 247 written off.
 * Where the original's own tables do not add up (its Kazakh-language fund by group sums to 14,772, not
 * 34,772), the generated year keeps the total and puts the difference in fiction rather than copying it.
 */
const GROUPS = ['socio_political', 'natural_sciences', 'technology_agriculture', 'sport_arts', 'linguistics_literature', 'fiction'] as const;
const FUND_END = { socio_political: 22293, natural_sciences: 10861, technology_agriculture: 3580, sport_arts: 16368, linguistics_literature: 9390, fiction: 75898 };
const FUND_END_KK = { socio_political: 8385, natural_sciences: 1054, technology_agriculture: 604, sport_arts: 1878, linguistics_literature: 1504, fiction: 21347 };
const WRITTEN_OFF = { socio_political: 132, natural_sciences: 25, technology_agriculture: 0, sport_arts: 13, linguistics_literature: 17, fiction: 60 };
/** Received in 2023 by source: copies, of them in Kazakh, and the sum in tiyn. */
const SOURCES = [
  { source: 'budget_purchase', copies: 1749, kk: 1092, tiyn: 500_000_000 },
  { source: 'state_order', copies: 327, kk: 308, tiyn: 60_745_455 },
  { source: 'gift', copies: 167, kk: 105, tiyn: 8_480_000 },
  { source: 'exchange', copies: 53, kk: 15, tiyn: 1_550_000 },
  { source: 'subscription', copies: 494, kk: 281, tiyn: 98_953_557 },
] as const;
const READERS = 12024;
const VISITS = 122436;
const LOANS = 240061;

describe.each(BACKENDS)("seed 004's control indicators from a generated year on %s", (backend) => {
  let database: DatabaseHandle;
  let db: Db;
  let tn: Tenants;
  let library: number;

  beforeAll(async () => {
    setClock(new Date('2024-02-01T06:00:00Z'));
    database = await openTestDatabase(backend);
    db = database.db;
    tn = await seedTenants(db);
    library = (await createOrganisation(db, null, { parentId: tn.region.id, kind: 'children_library', name: 'Абай атындағы облыстық балалар кітапханасы' })).id;
    const works: Record<string, number> = {};
    for (const g of GROUPS) {
      for (const lang of ['kaz', 'rus']) works[`${g}:${lang}`] = await makeWork(db, { title: `${g} ${lang}`, language: lang, knowledgeGroup: g });
    }
    // Received in 2023, spread over the groups in proportion; the Kazakh share per source as reported.
    let received = { ...Object.fromEntries(GROUPS.map((g) => [g, { kk: 0, ru: 0 }])) } as Record<string, { kk: number; ru: number }>;
    let line = 0;
    for (const s of SOURCES) {
      const receipt = await db
        .insertInto('fund.receipts')
        .values({ organisation_id: library, number: String(++line), received_on: '2023-06-01', source: s.source, document_number: null, supplier: null, note: null, created_by: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Every copy priced alike but the last, which takes the remainder of the sum.
      const parts: { g: string; lang: 'kaz' | 'rus'; n: number }[] = [];
      const kkParts = split(s.kk);
      const ruParts = split(s.copies - s.kk);
      GROUPS.forEach((g, i) => {
        parts.push({ g, lang: 'kaz', n: kkParts[i]! }, { g, lang: 'rus', n: ruParts[i]! });
        received[g]!.kk += kkParts[i]!;
        received[g]!.ru += ruParts[i]!;
      });
      const price = Math.floor(s.tiyn / s.copies);
      const nonEmpty = parts.filter((p) => p.n > 0);
      for (const [i, p] of nonEmpty.entries()) {
        const last = i === nonEmpty.length - 1;
        const lines = last ? [{ n: p.n - 1, price }, { n: 1, price: s.tiyn - price * (s.copies - 1) }] : [{ n: p.n, price }];
        for (const l of lines.filter((x) => x.n > 0)) {
          const row = await db
            .insertInto('fund.receipt_lines')
            .values({ receipt_id: receipt.id, work_id: works[`${p.g}:${p.lang}`]!, copies_count: l.n, price_tiyn: l.price, fund: 'main', knowledge_group: p.g as never, language_group: p.lang === 'kaz' ? 'kk' : 'ru' })
            .returning('id')
            .executeTakeFirstOrThrow();
          await sql`insert into fund.copies (organisation_id, work_id, inventory_number, barcode, price_tiyn, acquired_on, receipt_id, receipt_line_id)
            select ${library}, ${works[`${p.g}:${p.lang}`]!}, 'R' || ${row.id} || '-' || i, 'R' || ${row.id} || '-' || i, ${l.price}, '2023-06-01', ${receipt.id}, ${row.id}
              from generate_series(1, ${l.n}) i`.execute(db);
        }
      }
    }
    received = received as Record<string, { kk: number; ru: number }>;
    // The fund before 2023, entered without receipt documents: end − received + written off, per group and language.
    const woKk: Record<string, number> = { socio_political: 70, natural_sciences: 25, technology_agriculture: 0, sport_arts: 0, linguistics_literature: 14, fiction: 30 };
    for (const g of GROUPS) {
      const kk = FUND_END_KK[g] - received[g]!.kk + woKk[g]!;
      const ru = FUND_END[g] - FUND_END_KK[g] - received[g]!.ru + (WRITTEN_OFF[g] - woKk[g]!);
      for (const [lang, n] of [['kaz', kk], ['rus', ru]] as const) {
        await sql`insert into fund.copies (organisation_id, work_id, inventory_number, barcode, price_tiyn, acquired_on)
          select ${library}, ${works[`${g}:${lang}`]!}, ${`${g}-${lang}-`} || i, ${`${g}-${lang}-`} || i, 50000, '2015-01-01'
            from generate_series(1, ${n}) i`.execute(db);
      }
    }
    // 247 copies written off in 2023 by one approved act (storage expired), 139 of them in Kazakh.
    const act = await db
      .insertInto('fund.write_off_acts')
      .values({ organisation_id: library, number: '1', act_date: '2023-11-20', reason: 'storage_expired', commission: JSON.stringify([]), note: null, status: 'approved', reverses_id: null, approved_at: new Date('2023-11-20'), approved_by: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const g of GROUPS) {
      for (const [lang, n] of [['kaz', woKk[g]!], ['rus', WRITTEN_OFF[g] - woKk[g]!]] as const) {
        if (!n) continue;
        await sql`with picked as (
            select id from fund.copies where organisation_id = ${library} and work_id = ${works[`${g}:${lang}`]!} and receipt_id is null order by id limit ${n}),
          upd as (update fund.copies c set status = 'written_off', write_off_id = ${act.id} from picked where c.id = picked.id returning c.id, c.price_tiyn)
          insert into fund.write_off_lines (act_id, copy_id, price_tiyn, knowledge_group, language_group)
          select ${act.id}, id, price_tiyn, ${g}, ${lang === 'kaz' ? 'kk' : 'ru'} from upd`.execute(db);
      }
    }
    // Readers re-registered in 2023, their visit-days and loans.
    await sql`insert into readers.readers (organisation_id, registration_number, barcode, kind, last_name, first_name, grade, class_letter)
      select ${library}, 'R' || i, 'B' || i, case when i % 10 = 0 then 'other' else 'student' end, 'Оқырман', 'Бала', case when i % 10 = 0 then null else 1 + i % 11 end, null
        from generate_series(1, ${READERS}) i`.execute(db);
    await sql`insert into readers.registrations (organisation_id, reader_id, cycle, registered_on, reader_group, how)
      select organisation_id, id, '2023', '2023-01-10', case when kind = 'other' then 'others' when grade <= 4 then 'grades_1_4' when grade <= 9 then 'grades_5_9' else 'grades_10_11' end, 'visit'
        from readers.readers where organisation_id = ${library}`.execute(db);
    await sql`with r as (select id, row_number() over (order by id) - 1 as k from readers.readers where organisation_id = ${library})
      insert into circulation.visits (organisation_id, reader_id, visited_on)
      select ${library}, r.id, date '2023-01-02' + ((g / ${READERS}) * 30)::int
        from generate_series(0, ${VISITS - 1}) g join r on r.k = g % ${READERS}`.execute(db);
    const shelf = Number((await sql<{ n: number }>`select count(*)::int as n from fund.copies where organisation_id = ${library} and status = 'available'`.execute(db)).rows[0]!.n);
    await sql`with r as (select id, row_number() over (order by id) - 1 as k from readers.readers where organisation_id = ${library}),
                   c as (select id, row_number() over (order by id) - 1 as k from fund.copies where organisation_id = ${library} and status = 'available')
      insert into circulation.loans (organisation_id, copy_id, reader_id, issued_at, due_on, returned_at)
      select ${library}, c.id, r.id, timestamptz '2023-01-03 10:00+06' + (g % 350) * interval '1 day', date '2023-01-20' + (g % 350), timestamptz '2023-01-10 10:00+06' + (g % 350) * interval '1 day'
        from generate_series(0, ${LOANS - 1}) g
        join r on r.k = g % ${READERS}
        join c on c.k = g % ${shelf}`.execute(db);
  }, 300_000);

  afterAll(async () => {
    setClock(undefined);
    await database?.close();
  });

  it('reproduces the control indicators, the fund in six groups, acquisitions by source and the ratios', async () => {
    const org = await db.selectFrom('org.organisations').select(['id', 'name', 'kind', 'path', 'parent_id']).where('id', '=', library).executeTakeFirstOrThrow();
    const r = await buildReport(db, { id: org.id, name: org.name, kind: org.kind, path: org.path, parentId: org.parent_id }, { key: '2023', kind: 'year', from: '2023-01-01', to: '2023-12-31' });
    expect(r.indicators).toMatchObject({ readers: 12024, visits: 122436, loans: 240061, fund: 138390, acquired: 2790, writtenOff: 247 });
    expect(r.figures.fund.end.byDomain).toEqual({ ...FUND_END, other: 0, textbooks: 0 });
    expect(r.figures.fund.end.byLanguage.kk).toBe(34772);
    expect(r.figures.acquisitions.byLanguage.kk).toBe(1801);
    expect(r.figures.acquisitions.sumTiyn).toBe(669_729_012);
    for (const s of SOURCES) expect(r.figures.acquisitions.bySource[s.source]).toEqual({ copies: s.copies, sumTiyn: s.tiyn });
    expect(r.figures.writeOffs.byReason.storage_expired.copies).toBe(247);
    expect(r.figures.writeOffs.kazakh).toBe(139);
    expect(r.figures.writeOffs.byDomain).toMatchObject(WRITTEN_OFF);
    // The standard ratios, unrounded in the data and to one decimal in print.
    expect(r.indicators.loansPerReader).toBeCloseTo(19.965, 3);
    expect(r.indicators.visitsPerReader).toBeCloseTo(10.183, 3);
    expect(r.indicators.loansPerCopy).toBeCloseTo(1.7347, 4);
    expect(r.indicators.copiesPerReader).toBeCloseTo(11.5095, 4);
    expect([r.indicators.loansPerReader, r.indicators.visitsPerReader, r.indicators.loansPerCopy, r.indicators.copiesPerReader].map(oneDecimal)).toEqual(['20,0', '10,2', '1,7', '11,5']);
    // The fund renewed by 2,790 ÷ 135,847 = 2.1%, far from the programme's 20%.
    expect(r.indicators.fundAtStart).toBe(135847);
    expect(r.indicators.renewalRate! * 100).toBeCloseTo(2.05, 2);
    const control = reportTables(r)[0]!;
    expect(control.rows[0]).toEqual(['Оқырмандар саны / Число читателей', '0', '0', '12 024']);
  });
});

/** Splits n over the six groups roughly as the fund is spread, exactly summing to n. */
function split(n: number): number[] {
  const weights = [0.16, 0.08, 0.03, 0.12, 0.07, 0.54];
  const parts = weights.map((w) => Math.floor(n * w));
  parts[5]! += n - parts.reduce((a, b) => a + b, 0);
  return parts;
}
