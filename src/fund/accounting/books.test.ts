import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/connect.js';
import { BACKENDS, openTestDatabase } from '../../../test/support/db.js';
import { makeWork } from '../../../test/support/factories.js';
import { seedTenants, type Tenants } from '../../../test/support/tenants.js';
import { buildSummaryBook, type Cell, type Columns, type SummaryBook } from './books.js';
import { knowledgeGroupOf, languageGroupOf, listGroupRules } from './groups.js';
import { addReceiptLine, createReceipt } from './receipts.js';
import { KNOWLEDGE_GROUPS, LANGUAGE_GROUPS, RECEIPT_SOURCES, type KnowledgeGroup, type LanguageGroup } from './schema.js';
import { addCopiesToAct, approveAct, createAct, reverseAct } from './write-offs.js';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return {
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}

const dateIn = (year: number, dayOfYear: number) => new Date(Date.UTC(year, 0, dayOfYear)).toISOString().slice(0, 10);

/** What the generator did, kept independently of the database: the books must agree with it. */
interface ModelCopy {
  id: number;
  group: KnowledgeGroup;
  language: LanguageGroup;
  priceTiyn: number;
  receivedOn: string;
  offBalance: boolean;
}
interface ModelEvent {
  copy: ModelCopy;
  date: string;
  sign: 1 | -1;
}

function expectedCells(copies: ModelCopy[], events: ModelEvent[], from: string, to: string) {
  const cells = { opening: new Map<string, number[]>(), received: new Map<string, number[]>(), writtenOff: new Map<string, number[]>() };
  const add = (map: Map<string, number[]>, c: ModelCopy, sign: number) => {
    const key = `${c.group}|${c.language}`;
    const v = map.get(key) ?? [0, 0];
    map.set(key, [v[0]! + sign, v[1]! + sign * c.priceTiyn]);
  };
  for (const c of copies.filter((x) => !x.offBalance)) {
    if (c.receivedOn < from) add(cells.opening, c, 1);
    else if (c.receivedOn <= to) add(cells.received, c, 1);
  }
  for (const e of events.filter((x) => !x.copy.offBalance)) {
    if (e.date < from) add(cells.opening, e.copy, -e.sign);
    else if (e.date <= to) add(cells.writtenOff, e.copy, e.sign);
  }
  return cells;
}

function asMap(cells: Cell[]) {
  return new Map(cells.map((c) => [`${c.knowledgeGroup}|${c.languageGroup}`, [c.copies, c.sumTiyn]]));
}
function nonZero(map: Map<string, number[]>) {
  return new Map([...map].filter(([, v]) => v[0] !== 0 || v[1] !== 0));
}

function assertIdentity(book: SummaryBook) {
  const { opening, received, writtenOff, closing } = book.balance;
  const check = (pick: (c: Columns) => { copies: number; sumTiyn: number }) => {
    expect(pick(opening).copies + pick(received).copies - pick(writtenOff).copies).toBe(pick(closing).copies);
    expect(pick(opening).sumTiyn + pick(received).sumTiyn - pick(writtenOff).sumTiyn).toBe(pick(closing).sumTiyn);
  };
  check((c) => c.total);
  for (const g of KNOWLEDGE_GROUPS) check((c) => c.groups[g]);
  for (const l of LANGUAGE_GROUPS) check((c) => c.languages[l]);
  // Every copy counts in exactly one group and one language: the splits add up to the total.
  for (const c of [opening, received, writtenOff, closing]) {
    expect(Object.values(c.groups).reduce((s, t) => s + t.copies, 0)).toBe(c.total.copies);
    expect(Object.values(c.groups).reduce((s, t) => s + t.sumTiyn, 0)).toBe(c.total.sumTiyn);
    expect(Object.values(c.languages).reduce((s, t) => s + t.copies, 0)).toBe(c.total.copies);
    expect(Object.values(c.languages).reduce((s, t) => s + t.sumTiyn, 0)).toBe(c.total.sumTiyn);
  }
}

describe.each(BACKENDS)('the summary book rebuilt from a year of generated operations on %s', (backend) => {
  let database: DatabaseHandle;
  let tenants: Tenants;
  const copies: ModelCopy[] = [];
  const events: ModelEvent[] = [];
  const YEAR = 2025;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    tenants = await seedTenants(database.db);
    const db = database.db;
    const actor = tenants.librarianA;
    const rnd = random(backend === 'pglite' ? 7 : 11);
    const indexes = [
      { bbk: '84(5Каз)', udc: null }, { bbk: '63.3(5Каз)', udc: null }, { bbk: '22.1', udc: null }, { bbk: '32.973', udc: null },
      { bbk: '85.1', udc: null }, { bbk: '81.2Каз', udc: null }, { bbk: null, udc: '821.512.122' }, { bbk: null, udc: '53' },
      { bbk: null, udc: null }, { bbk: '75.1', udc: null },
    ];
    const works = [];
    for (let i = 0; i < 12; i++) {
      const index = indexes[i % indexes.length]!;
      const id = await makeWork(db, { title: `Кітап ${i}`, language: rnd.pick(['kaz', 'rus', 'eng']), ...index });
      // The index decides the group: no group of the work's own.
      await db.updateTable('catalog.works').set({ knowledge_group: null, ...(i === 11 ? { pages: 32 } : {}) }).where('id', '=', id).execute();
      works.push(id);
    }
    // Receipts over the year before and the year itself.
    for (let r = 0; r < 24; r++) {
      const year = r < 8 ? YEAR - 1 : YEAR;
      const receivedOn = dateIn(year, rnd.int(1, 364));
      const receipt = await db.transaction().execute((trx) =>
        createReceipt(trx, actor, { receivedOn, source: rnd.pick(RECEIPT_SOURCES), documentNumber: `СФ-${r}` }));
      for (let l = rnd.int(1, 2); l > 0; l--) {
        // The first receipt always brings the 32-page brochure, which must stay off the balance.
        const workId = r === 0 ? works[11]! : rnd.pick(works);
        const fund = r > 0 && rnd.chance(0.2) ? 'textbook' as const : 'main' as const;
        const line = await db.transaction().execute((trx) =>
          addReceiptLine(trx, actor, receipt.id, { workId, count: rnd.int(1, 4), priceTiyn: rnd.int(1, 900_000), fund }));
        for (const c of line.copies) {
          copies.push({ id: c.id, group: line.knowledgeGroup, language: line.languageGroup, priceTiyn: line.priceTiyn, receivedOn, offBalance: line.offBalance });
        }
      }
    }
    // Write-off acts at random later dates; some are reversed later still.
    const alive = () => copies.filter((c) => !events.some((e) => e.copy === c && e.sign === 1 && !events.some((x) => x.copy === c && x.sign === -1)));
    for (let a = 0; a < 10; a++) {
      const chosen = new Set<ModelCopy>();
      for (let k = rnd.int(1, 4); k > 0; k--) chosen.add(rnd.pick(alive()));
      const latest = [...chosen].map((c) => c.receivedOn).sort().at(-1)!;
      const actDate = latest > dateIn(YEAR, 300) ? latest : dateIn(YEAR, rnd.int(Number(latest.slice(5, 7)) * 30 - 20, 330));
      const day = actDate < latest ? latest : actDate;
      const act = await db.transaction().execute(async (trx) => {
        const created = await createAct(trx, actor, { actDate: day, reason: 'physical_wear' });
        await addCopiesToAct(trx, actor, created.id, { copyIds: [...chosen].map((c) => c.id) });
        return approveAct(trx, actor, created.id);
      });
      for (const c of chosen) events.push({ copy: c, date: day, sign: 1 });
      if (rnd.chance(0.3)) {
        const reversalDate = day < dateIn(YEAR, 340) ? dateIn(YEAR, 345) : day;
        await db.transaction().execute((trx) => reverseAct(trx, actor, act.id, { actDate: reversalDate }));
        for (const c of chosen) events.push({ copy: c, date: reversalDate, sign: -1 });
      }
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  it('agrees with the operations to the tiyn, by group and language, for the year and every quarter', async () => {
    const periods = [
      [`${YEAR}-01-01`, `${YEAR}-12-31`],
      [`${YEAR}-01-01`, `${YEAR}-03-31`],
      [`${YEAR}-04-01`, `${YEAR}-06-30`],
      [`${YEAR}-07-01`, `${YEAR}-09-30`],
      [`${YEAR}-10-01`, `${YEAR}-12-31`],
      [`${YEAR - 1}-01-01`, `${YEAR}-12-31`],
    ] as const;
    let previousClosing: Columns | null = null;
    for (const [from, to] of periods) {
      const book = await buildSummaryBook(database.db, tenants.schoolA.id, { from, to });
      const expected = expectedCells(copies, events, from, to);
      expect(asMap(book.balance.cells.opening)).toEqual(nonZero(expected.opening));
      expect(asMap(book.balance.cells.received)).toEqual(nonZero(expected.received));
      expect(asMap(book.balance.cells.writtenOff)).toEqual(nonZero(expected.writtenOff));
      assertIdentity(book);
      // The per-document rows of parts I and II add up to the balance part.
      expect(book.receipts.reduce((s, r) => s + r.columns.total.sumTiyn, 0)).toBe(book.balance.received.total.sumTiyn);
      expect(book.writeOffs.reduce((s, r) => s + r.columns.total.sumTiyn, 0)).toBe(book.balance.writtenOff.total.sumTiyn);
      if (from.endsWith('-04-01') || from.endsWith('-07-01') || from.endsWith('-10-01')) {
        expect(book.balance.opening).toEqual(previousClosing);
      }
      previousClosing = book.balance.closing;
    }
    const year = await buildSummaryBook(database.db, tenants.schoolA.id, { from: `${YEAR}-01-01`, to: `${YEAR}-12-31` });
    expect(year.balance.received.total.copies).toBeGreaterThan(0);
    expect(year.writeOffs.some((w) => w.kind === 'reversal' && w.columns.total.copies < 0)).toBe(events.some((e) => e.sign === -1));
  });

  it('counts every copy on the balance in exactly one group and one language', async () => {
    const book = await buildSummaryBook(database.db, tenants.schoolA.id, { from: '2000-01-01', to: `${YEAR}-12-31` });
    const live = await database.db
      .selectFrom('fund.copies as c')
      .innerJoin('fund.receipt_lines as l', 'l.id', 'c.receipt_line_id')
      .select(['c.id', 'l.knowledge_group', 'l.language_group', 'l.price_tiyn'])
      .where('c.organisation_id', '=', tenants.schoolA.id)
      .where('c.status', '!=', 'written_off')
      .where('l.off_balance', '=', false)
      .execute();
    expect(book.balance.closing.total.copies).toBe(live.length);
    expect(book.balance.closing.total.sumTiyn).toBe(live.reduce((s, c) => s + c.price_tiyn, 0));
    for (const group of KNOWLEDGE_GROUPS) {
      expect(book.balance.closing.groups[group].copies).toBe(live.filter((c) => c.knowledge_group === group).length);
    }
    for (const copy of live) {
      expect(KNOWLEDGE_GROUPS.filter((g) => g === copy.knowledge_group)).toHaveLength(1);
      expect(LANGUAGE_GROUPS.filter((l) => l === copy.language_group)).toHaveLength(1);
    }
    // The brochure (32 pages) stays off the balance.
    expect(copies.some((c) => c.offBalance)).toBe(true);
  });

  it('classifies by the default mapping: longest prefix, textbooks by fund, the work\'s own group first', async () => {
    const rules = await listGroupRules(database.db);
    const work = (bbk: string | null, udc: string | null, own: string | null = null) => ({ bbk, udc, knowledge_group: own, language: null });
    expect(knowledgeGroupOf(rules, work('84(5Каз)7-44', null), 'main')).toBe('fiction');
    expect(knowledgeGroupOf(rules, work('83.3(5Каз)', null), 'main')).toBe('linguistics_literature');
    expect(knowledgeGroupOf(rules, work('85.31', null), 'main')).toBe('sport_arts');
    expect(knowledgeGroupOf(rules, work('86.2', null), 'main')).toBe('socio_political');
    expect(knowledgeGroupOf(rules, work('63.3(5Каз)', null), 'main')).toBe('socio_political');
    expect(knowledgeGroupOf(rules, work('75.5', null), 'main')).toBe('sport_arts');
    expect(knowledgeGroupOf(rules, work('74.2', null), 'main')).toBe('socio_political');
    expect(knowledgeGroupOf(rules, work('28.0', null), 'main')).toBe('natural_sciences');
    expect(knowledgeGroupOf(rules, work('40.1', null), 'main')).toBe('technology_agriculture');
    expect(knowledgeGroupOf(rules, work(null, '821.512.122'), 'main')).toBe('fiction');
    expect(knowledgeGroupOf(rules, work(null, '811.512.122'), 'main')).toBe('linguistics_literature');
    expect(knowledgeGroupOf(rules, work(null, '796'), 'main')).toBe('sport_arts');
    expect(knowledgeGroupOf(rules, work(null, '62'), 'main')).toBe('technology_agriculture');
    expect(knowledgeGroupOf(rules, work(null, '51'), 'main')).toBe('natural_sciences');
    expect(knowledgeGroupOf(rules, work(null, null), 'main')).toBe('other');
    expect(knowledgeGroupOf(rules, work('84(5Каз)', null), 'textbook')).toBe('textbooks');
    expect(knowledgeGroupOf(rules, work(null, '821.161.1', 'linguistics_literature'), 'main')).toBe('linguistics_literature');
    expect(knowledgeGroupOf(rules, work(null, '821.161.1', 'not-a-group'), 'main')).toBe('fiction');
    expect([languageGroupOf('kaz'), languageGroupOf('rus'), languageGroupOf('eng'), languageGroupOf(null)]).toEqual(['kk', 'ru', 'other', 'other']);
  });
});
