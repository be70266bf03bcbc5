import { localDate } from '../../src/shared/library-time.js';
import type { Db } from '../../src/db/connect.js';
import { foldForSearch, kazakhSortKey, searchKey } from '../../src/catalog/folding.js';
import type { FundKind } from '../../src/fund/schema.js';
import type { ReaderKind } from '../../src/readers/schema.js';
import { takeNumber } from '../../src/shared/counters.js';

/**
 * Small factories that put rows straight into the tables, so a test of one domain
 * does not depend on another domain's logic. Domain tests use the domain's own functions.
 */
export async function makeWork(
  db: Db,
  over: { title?: string; authors?: string[]; isbn?: string | null; language?: string; knowledgeGroup?: string | null; bbk?: string | null; udc?: string | null; publishYear?: number | null } = {},
) {
  const title = over.title ?? 'Абай жолы';
  const authors = over.authors ?? ['Мұхтар Әуезов'];
  const work = await db
    .insertInto('catalog.works')
    .values({
      title,
      subtitle: null,
      isbn: over.isbn ?? null,
      publisher: 'Атамұра',
      publish_place: 'Алматы',
      publish_year: over.publishYear ?? 2015,
      language: over.language ?? 'kaz',
      pages: 320,
      bbk: over.bbk ?? '84(5Каз)',
      udc: over.udc ?? null,
      knowledge_group: over.knowledgeGroup ?? 'fiction',
      genre: null,
      age_rating: '12+',
      annotation: null,
      cover_url: null,
      search_key: searchKey(title, ...authors, over.isbn),
      title_key: foldForSearch(title),
      sort_key: kazakhSortKey(title),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  let position = 0;
  for (const name of authors) {
    const author = await db
      .insertInto('catalog.authors')
      .values({ name, birth_date: null, death_date: null, note: null, search_key: searchKey(name), sort_key: kazakhSortKey(name) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('catalog.work_authors').values({ work_id: work.id, author_id: author.id, position: position++ }).execute();
  }
  return work.id;
}

export async function makeCopy(
  db: Db,
  organisationId: number,
  workId: number,
  over: { fund?: FundKind; priceTiyn?: number; barcode?: string; inventoryNumber?: string; acquiredOn?: string } = {},
) {
  const n = await takeNumber(db, organisationId, 'copy_barcode');
  const inv = await takeNumber(db, organisationId, 'inventory_number');
  const row = await db
    .insertInto('fund.copies')
    .values({
      organisation_id: organisationId,
      work_id: workId,
      inventory_number: over.inventoryNumber ?? String(inv),
      barcode: over.barcode ?? `1${String(n).padStart(9, '0')}`,
      fund: over.fund ?? 'main',
      price_tiyn: over.priceTiyn ?? 250000,
      location: null,
      note: null,
      acquired_on: over.acquiredOn ?? localDate(),
    })
    .returning(['id', 'barcode', 'inventory_number'])
    .executeTakeFirstOrThrow();
  return row;
}

export async function makeReader(
  db: Db,
  organisationId: number,
  over: { lastName?: string; firstName?: string; kind?: ReaderKind; grade?: number | null; classLetter?: string | null; barcode?: string } = {},
) {
  const n = await takeNumber(db, organisationId, 'reader_barcode');
  const lastName = over.lastName ?? 'Сәрсенова';
  const firstName = over.firstName ?? 'Аружан';
  const kind = over.kind ?? 'student';
  const row = await db
    .insertInto('readers.readers')
    .values({
      organisation_id: organisationId,
      registration_number: `T-${n}`,
      barcode: over.barcode ?? `2${String(n).padStart(9, '0')}`,
      kind,
      last_name: lastName,
      first_name: firstName,
      middle_name: null,
      grade: kind === 'student' ? (over.grade === undefined ? 5 : over.grade) : null,
      class_letter: kind === 'student' ? (over.classLetter === undefined ? 'Ә' : over.classLetter) : null,
      birth_date: null,
      phone: null,
      email: null,
      parent_name: null,
      parent_phone: null,
      left_on: null,
      search_key: searchKey(lastName, firstName),
      sort_key: kazakhSortKey(`${lastName} ${firstName}`),
    })
    .returning(['id', 'barcode'])
    .executeTakeFirstOrThrow();
  return row;
}
