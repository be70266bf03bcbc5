import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { foldForSearch, kazakhSortKey, searchKey } from '../catalog/folding.js';
import { insertRows } from '../interop/bulk.js';
import { createOpening, newLoad, postOpening, stageOpeningRows, finishLoad, type OpeningRowInput } from '../fund/accounting/opening.js';
import { addReceiptLine, createReceipt } from '../fund/accounting/receipts.js';
import { addCopiesToAct, approveAct, createAct } from '../fund/accounting/write-offs.js';
import type { Executor } from '../db/executor.js';
import type { DemoWork } from './catalogue.js';
import type { Random } from './random.js';
import { schoolYearStart } from './school-readers.js';

/**
 * The demo's main fund, on the books the way a school that moved to Kitaphana keeps it: the fund it already had,
 * with the numbers, dates and prices of its paper inventory book, booked as an opening balance three school years
 * ago (some old copies without a known price); then a receipt each autumn and a write-off act with its commission
 * each summer. Every copy of the library stands in its register: reconciliation shows nothing unbooked.
 */

const WORDS_KK = ['дала', 'тау', 'өзен', 'көл', 'жұлдыз', 'бала', 'ана', 'жол', 'жүрек', 'ақын', 'батыр', 'тұлпар', 'бүркіт', 'таң', 'көктем',
  'орман', 'теңіз', 'арман', 'өмір', 'ән', 'күй', 'домбыра', 'хат', 'мектеп', 'дос', 'ел', 'сапар', 'аңыз', 'ертегі', 'әлем', 'тарих', 'ауыл', 'шежіре'];
const ADJ_KK = ['ақ', 'көк', 'алтын', 'ұлы', 'жас', 'соңғы', 'алғашқы', 'мәңгі', 'кең', 'биік', 'ыстық', 'салқын', 'жасыл', 'туған'];
const WORDS_RU = ['степь', 'река', 'звезда', 'дорога', 'сказка', 'история', 'друг', 'море', 'лес', 'город', 'песня', 'тайна', 'весна', 'школа'];
const ADJ_RU = ['белая', 'далёкая', 'старая', 'новая', 'тихая', 'золотая', 'последняя', 'первая', 'большая', 'зелёная'];
const KINDS_KK = ['әңгімелер', 'өлеңдер', 'повесть', 'роман', 'ертегілер', 'очерктер', 'хрестоматия', 'энциклопедия'];
const KINDS_RU = ['рассказы', 'стихи', 'повесть', 'роман', 'сказки', 'очерки', 'хрестоматия', 'энциклопедия'];
/** BBK indexes of a school fund: mostly fiction, then history, nature, arts, language. */
const INDEXES = ['84(5Каз)', '84(5Каз)', '84(5Каз)', '84(2Рос=Рус)', '84(2Рос=Рус)', '63.3(5Каз)', '28.0', '26.8', '85.1', '81.2Каз', '74.1', '32.97', '75.1'];

function dateBetween(rng: Random, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return new Date(a + rng.next() * Math.max(0, b - a)).toISOString().slice(0, 10);
}

/**
 * The older titles of the fund, catalogued long ago (in bulk: thousands of records would take createWork a while),
 * with authors from the demo authority. Returns their ids.
 */
async function catalogueOldTitles(trx: Executor, rng: Random, count: number): Promise<{ id: number; language: string; ageRating: string }[]> {
  if (!count) return [];
  const authors = await trx.selectFrom('catalog.authors').select(['id', 'name']).orderBy('id').execute();
  const { rows: ids } = await sql<{ id: number }>`SELECT nextval('catalog.works_id_seq')::int8 AS id FROM generate_series(1, ${count})`.execute(trx);
  const works = [];
  const links = [];
  const out: { id: number; language: string; ageRating: string }[] = [];
  for (let i = 0; i < count; i++) {
    const kk = rng.next() < 0.62;
    const title = kk
      ? `${rng.pick(ADJ_KK)} ${rng.pick(WORDS_KK)}: ${rng.pick(KINDS_KK)}`.replace(/^./, (c) => c.toUpperCase())
      : `${rng.pick(ADJ_RU)} ${rng.pick(WORDS_RU)}: ${rng.pick(KINDS_RU)}`.replace(/^./, (c) => c.toUpperCase());
    const author = authors.length ? rng.pick(authors) : null;
    const bbk = rng.pick(INDEXES);
    const ageRating = rng.pick(['0+', '6+', '6+', '12+', '12+', '12+', '16+']);
    const pages = ageRating === '0+' ? rng.int(16, 64) : rng.int(64, 480);
    const id = Number(ids[i]!.id);
    works.push({
      id, title, publisher: kk ? rng.pick(['Жазушы', 'Мектеп', 'Атамұра', 'Балауса']) : rng.pick(['Жалын', 'Просвещение', 'Детская литература']),
      publish_place: kk ? 'Алматы' : rng.pick(['Алматы', 'Москва']), publish_year: rng.int(1975, 2012), language: kk ? 'kaz' : 'rus', pages,
      bbk, age_rating: ageRating, publication_type: pages <= 48 ? 'brochure' : 'book',
      search_key: searchKey(title, author?.name), title_key: foldForSearch(title), sort_key: kazakhSortKey(title),
    });
    if (author) links.push({ work_id: id, author_id: author.id, role: 'author', position: 0 });
    out.push({ id, language: kk ? 'kaz' : 'rus', ageRating });
  }
  await insertRows(trx, 'catalog.works', [
    ['id', 'bigint'], ['title', 'text'], ['publisher', 'text'], ['publish_place', 'text'], ['publish_year', 'integer'], ['language', 'text'],
    ['pages', 'integer'], ['bbk', 'text'], ['age_rating', 'text'], ['publication_type', 'text'], ['search_key', 'text'], ['title_key', 'text'], ['sort_key', 'text'],
  ].map(([name, type]) => ({ name: name!, type: type! })), works);
  await insertRows(trx, 'catalog.work_authors', [['work_id', 'bigint'], ['author_id', 'bigint'], ['role', 'text'], ['position', 'integer']]
    .map(([name, type]) => ({ name: name!, type: type! })), links);
  return out;
}

function shelf(work: { language: string; ageRating: string }, n: number): string {
  if (work.ageRating === '0+') return `Кіші сынып оқырмандары, ${n}-сөре`;
  return `Абонемент: ${work.language === 'rus' ? 'Орыс тіліндегі әдебиет' : 'Қазақ тіліндегі әдебиет'}, ${n}-сөре`;
}

export interface DemoFundOptions {
  copiesPerWork: [number, number];
  /** Older titles catalogued in bulk beside the demo's own, for a fund of a real school's size. */
  oldTitles: number;
  /** Receipts and write-off acts after the opening balance. */
  yearsOfDocuments: number;
}

/** Books the library's main fund and its later documents; returns the ids of the copies on the shelves. */
export async function bookDemoFund(trx: Executor, librarian: Actor, rng: Random, works: DemoWork[], today: string, options: DemoFundOptions): Promise<number[]> {
  const firstYear = schoolYearStart(today) - options.yearsOfDocuments;
  const asOf = `${firstYear}-09-01`;
  const old = await catalogueOldTitles(trx, rng, options.oldTitles);
  const titles = [...works.map((w) => ({ id: w.id, language: w.language, ageRating: w.ageRating, popularity: w.popularity })), ...old.map((w) => ({ ...w, popularity: 1 }))];

  // the paper inventory book: numbers in the order of entry, dates from 2001 on, a few old copies without a price
  const planned: { workId: number; enteredOn: string; priceTiyn: number | null; location: string }[] = [];
  titles.forEach((w, index) => {
    const count = rng.int(options.copiesPerWork[0], options.copiesPerWork[1]) * w.popularity;
    const enteredOn = dateBetween(rng, '2001-09-01', `${firstYear}-06-30`);
    const price = enteredOn < '2008-01-01' && rng.next() < 0.3 ? null : rng.int(8, 60) * 10_000;
    for (let i = 0; i < count; i++) planned.push({ workId: w.id, enteredOn, priceTiyn: price, location: shelf(w, 1 + (index % 40)) });
  });
  planned.sort((a, b) => a.enteredOn.localeCompare(b.enteredOn));
  const rows: OpeningRowInput[] = planned.map((p, i) => ({
    row: i + 2, workId: p.workId, inventoryNumber: String(i + 1), enteredOn: p.enteredOn, priceTiyn: p.priceTiyn,
    valuation: p.priceTiyn !== null && p.enteredOn < '2005-01-01', location: p.location,
  }));
  const opening = await createOpening(trx, librarian, { asOf, documentNumber: `${firstYear}/1`, documentDate: asOf, note: 'Қағаз инвентарлық кітаптан көшірілді' });
  const load = newLoad(1);
  for (let i = 0; i < rows.length; i += 5_000) await stageOpeningRows(trx, librarian, opening.id, rows.slice(i, i + 5_000), load);
  await finishLoad(trx, opening.id, load);
  await postOpening(trx, librarian, opening.id);

  // a receipt each autumn, a write-off act each summer
  for (let y = firstYear + 1; y <= firstYear + options.yearsOfDocuments; y++) {
    const actDate = `${y}-06-10`;
    if (actDate <= today) {
      const worn = await trx
        .selectFrom('fund.copies')
        .select('id')
        .where('organisation_id', '=', librarian.organisationId)
        .where('status', '=', 'available')
        .where('acquired_on', '<', `${y - 8}-01-01`)
        .orderBy(sql`md5(id::text || ${String(y)})`)
        .limit(Math.max(3, Math.round(planned.length * 0.012)))
        .execute();
      if (worn.length) {
        const act = await createAct(trx, librarian, {
          actDate, reason: 'physical_wear', chair: 'Қасенова Г. Т., директордың оқу ісі жөніндегі орынбасары',
          commission: ['Сәуле Ахметова, кітапханашы', 'Айгүл Оспанова, мұғалім'], head: 'Бекова Ж. М.',
        });
        await addCopiesToAct(trx, librarian, act.id, { copyIds: worn.map((c) => c.id) });
        await approveAct(trx, librarian, act.id);
      }
    }
    const receivedOn = `${y - 1}-10-15`;
    if (receivedOn <= today) {
      const receipt = await createReceipt(trx, librarian, {
        receivedOn, source: y % 2 ? 'budget_purchase' : 'gift', documentNumber: `${y - 1}/${rng.int(20, 90)}`, documentDate: `${y - 1}-10-10`,
        supplier: y % 2 ? '«Фолиант» баспасы' : 'Ата-аналар комитеті',
      });
      for (let k = 0; k < 8; k++) {
        const w = rng.pick(works);
        await addReceiptLine(trx, librarian, receipt.id, { workId: w.id, count: rng.int(2, 5), priceTiyn: rng.int(20, 70) * 10_000, location: shelf(w, 1 + k) });
      }
    }
  }
  const shelved = await trx
    .selectFrom('fund.copies')
    .select('id')
    .where('organisation_id', '=', librarian.organisationId)
    .where('status', '=', 'available')
    .where('fund', '=', 'main')
    .orderBy('id')
    .execute();
  return shelved.map((c) => c.id);
}
