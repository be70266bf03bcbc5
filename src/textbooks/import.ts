import type { Actor } from '../auth/actor.js';
import { createWork } from '../catalog/works.js';
import { foldForSearch } from '../catalog/folding.js';
import { normaliseIsbn } from '../catalog/isbn.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { headerKey, readRosterFile } from '../readers/roster.js';
import { invalid } from '../shared/errors.js';
import { checkSchoolYear } from './access.js';
import { staffLibrary as textbookStaff } from '../auth/guard.js';

/**
 * The ministry's list of textbooks for a school year and its price list arrive as spreadsheets (XLSX, or CSV in
 * UTF-8 or Windows-1251). Columns are recognised by their headers in Kazakh, Russian or English; a file with a
 * row that cannot be read is refused as a whole, naming the rows, and nothing is written.
 */
type Field = 'grade' | 'subject' | 'title' | 'authors' | 'publisher' | 'year' | 'isbn' | 'language' | 'copies' | 'price';

const HEADERS: Record<Field, string[]> = {
  grade: ['сынып', 'класс', 'grade', 'class'],
  subject: ['пән', 'пәні', 'предмет', 'subject'],
  title: ['атауы', 'оқулықатауы', 'оқулық', 'название', 'наименование', 'учебник', 'наименованиеучебника', 'title'],
  authors: ['авторы', 'автор', 'авторлары', 'authors', 'author'],
  publisher: ['баспа', 'баспасы', 'издательство', 'publisher'],
  year: ['жылы', 'басылымжылы', 'год', 'годиздания', 'year'],
  isbn: ['isbn'],
  language: ['тілі', 'оқытутілі', 'язык', 'языкобучения', 'language'],
  copies: ['біроқушығаданасаны', 'данасы', 'наученика', 'copiesperstudent', 'copies'],
  price: ['бағасы', 'баға', 'бағасытг', 'цена', 'ценатг', 'ценатенге', 'price', 'pricekzt'],
};

const LANGUAGES: Record<string, string> = { kk: 'kk', қаз: 'kk', қазақ: 'kk', казахский: 'kk', kazakh: 'kk', ru: 'ru', орыс: 'ru', рус: 'ru', русский: 'ru', russian: 'ru' };

interface Row {
  line: number;
  values: Partial<Record<Field, string>>;
}

async function readTable(file: { bytes: Uint8Array; filename: string }): Promise<{ fields: Set<Field>; rows: Row[] }> {
  const table = await readRosterFile(file.bytes, file.filename);
  const columns = table.headers.map((h) => (Object.entries(HEADERS) as [Field, string[]][]).find(([, names]) => names.includes(headerKey(h)))?.[0]);
  const fields = new Set(columns.filter((c): c is Field => c !== undefined));
  const rows = table.rows.map((r) => {
    const values: Partial<Record<Field, string>> = {};
    columns.forEach((field, i) => {
      const cell = (r.cells[i] ?? '').trim();
      if (field && cell) values[field] = cell;
    });
    return { line: r.line, values };
  });
  return { fields, rows };
}

/** «1 250,50», «1250.5», «1 250 ₸» → tiyn; undefined when it is not a price. */
function priceTiyn(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const clean = text.replace(/[\s\u00a0₸]|тг|тенге/gi, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return undefined;
  return Math.round(Number(clean) * 100);
}

const lines = (rows: number[]) => rows.slice(0, 10).join(', ') + (rows.length > 10 ? ' …' : '');

/** A work of the catalogue for a row: by ISBN, else by the folded title and the year. */
async function findWork(db: Executor, values: Partial<Record<Field, string>>): Promise<number | undefined> {
  const isbn = values.isbn ? normaliseIsbn(values.isbn) : null;
  if (isbn) {
    const byIsbn = await db.selectFrom('catalog.works').select('id').where('isbn', '=', isbn).orderBy('id').executeTakeFirst();
    if (byIsbn) return byIsbn.id;
  }
  if (!values.title) return undefined;
  let q = db.selectFrom('catalog.works').select('id').where('title_key', '=', foldForSearch(values.title));
  if (values.year && /^\d{4}$/.test(values.year)) q = q.where('publish_year', '=', Number(values.year));
  return (await q.orderBy('id').executeTakeFirst())?.id;
}

export interface ListImportResult {
  rows: number;
  worksCreated: number;
  itemsAdded: number;
  itemsKept: number;
  pricesSet: number;
}

/**
 * Imports the ministry's textbook list into the curriculum of a school year: each row's title is found in the
 * catalogue (ISBN, else title and year) or catalogued, and added to the grade's list unless it is there already.
 * A price column, when present, fills the year's price list as well.
 */
export async function importTextbookList(
  db: Executor,
  actor: Actor,
  input: { schoolYear: string; language?: string; file: { bytes: Uint8Array; filename: string } },
): Promise<ListImportResult> {
  const organisationId = textbookStaff(actor);
  const schoolYear = checkSchoolYear(input.schoolYear);
  const { fields, rows } = await readTable(input.file);
  for (const needed of ['grade', 'subject', 'title'] as const) if (!fields.has(needed)) throw invalid('textbooks.import_missing_column', { column: needed });
  const bad: number[] = [];
  const parsed = rows.map((r) => {
    const grade = Number((r.values.grade ?? '').replace(/\D.*$/, ''));
    const language = r.values.language ? LANGUAGES[r.values.language.toLowerCase().replace(/[^\p{L}]/gu, '')] : (input.language ?? 'kk');
    const copies = r.values.copies ? Number(r.values.copies) : 1;
    const price = priceTiyn(r.values.price);
    const ok = Number.isInteger(grade) && grade >= 0 && grade <= 11 && r.values.grade && r.values.subject && r.values.title && language
      && Number.isInteger(copies) && copies >= 1 && copies <= 5 && (r.values.price === undefined || price !== undefined)
      && (r.values.year === undefined || /^\d{4}$/.test(r.values.year)) && (r.values.isbn === undefined || normaliseIsbn(r.values.isbn) !== null);
    if (!ok) bad.push(r.line);
    return { ...r, grade, language: language ?? 'kk', copies, price };
  });
  if (!rows.length) throw invalid('textbooks.import_empty');
  if (bad.length) throw invalid('textbooks.import_bad_rows', { rows: lines(bad) });
  const result: ListImportResult = { rows: rows.length, worksCreated: 0, itemsAdded: 0, itemsKept: 0, pricesSet: 0 };
  for (const r of parsed) {
    let workId = await findWork(db, r.values);
    if (!workId) {
      workId = await createWork(db, actor, {
        title: r.values.title!,
        isbn: r.values.isbn ?? null,
        publisher: r.values.publisher ?? null,
        publishYear: r.values.year ? Number(r.values.year) : null,
        language: r.language === 'ru' ? 'rus' : 'kaz',
        authors: (r.values.authors ?? '').split(/[;,]/).map((a) => a.trim()).filter(Boolean).map((name) => ({ name })),
      });
      result.worksCreated += 1;
    }
    const inserted = await db.insertInto('textbooks.curriculum')
      .values({ organisation_id: organisationId, school_year: schoolYear, grade: r.grade, subject: r.values.subject!, work_id: workId, language: r.language, copies_per_student: r.copies })
      .onConflict((oc) => oc.columns(['organisation_id', 'school_year', 'grade', 'language', 'work_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) result.itemsAdded += 1;
    else result.itemsKept += 1;
    if (r.price !== undefined) {
      await setPrice(db, organisationId, schoolYear, workId, r.price);
      result.pricesSet += 1;
    }
  }
  await audit(db, actor, 'import', 'curriculum', null, { schoolYear, filename: input.file.filename, ...result });
  return result;
}

async function setPrice(db: Executor, organisationId: number, schoolYear: string, workId: number, price: number) {
  await db.insertInto('textbooks.prices')
    .values({ organisation_id: organisationId, school_year: schoolYear, work_id: workId, price_tiyn: price })
    .onConflict((oc) => oc.columns(['organisation_id', 'school_year', 'work_id']).doUpdateSet({ price_tiyn: price }))
    .execute();
}

/**
 * Imports the ministry's price list for a school year. Every row must name a title of that year's curriculum (by
 * ISBN or title); a list naming titles the school does not use is refused with those titles, nothing written.
 */
export async function importPriceList(
  db: Executor,
  actor: Actor,
  input: { schoolYear: string; file: { bytes: Uint8Array; filename: string } },
): Promise<{ rows: number; pricesSet: number }> {
  const organisationId = textbookStaff(actor);
  const schoolYear = checkSchoolYear(input.schoolYear);
  const { fields, rows } = await readTable(input.file);
  if (!fields.has('price') || (!fields.has('title') && !fields.has('isbn'))) throw invalid('textbooks.import_missing_column', { column: fields.has('price') ? 'title' : 'price' });
  if (!rows.length) throw invalid('textbooks.import_empty');
  const curriculum = await db.selectFrom('textbooks.curriculum as c').innerJoin('catalog.works as w', 'w.id', 'c.work_id')
    .select(['c.work_id', 'w.title_key', 'w.isbn']).where('c.organisation_id', '=', organisationId).where('c.school_year', '=', schoolYear).execute();
  if (!curriculum.length) throw invalid('textbooks.curriculum_empty', { schoolYear });
  const bad: number[] = [];
  const unknown: string[] = [];
  const prices: { workId: number; price: number }[] = [];
  for (const r of rows) {
    const price = priceTiyn(r.values.price);
    if (price === undefined) {
      bad.push(r.line);
      continue;
    }
    const isbn = r.values.isbn ? normaliseIsbn(r.values.isbn) : null;
    const key = r.values.title ? foldForSearch(r.values.title) : null;
    const match = curriculum.find((c) => (isbn && c.isbn === isbn) || (key && c.title_key === key));
    if (!match) unknown.push(r.values.title ?? r.values.isbn ?? String(r.line));
    else prices.push({ workId: match.work_id, price });
  }
  if (bad.length) throw invalid('textbooks.import_bad_rows', { rows: lines(bad) });
  if (unknown.length) throw invalid('textbooks.price_unknown_titles', { titles: unknown.slice(0, 10).join('; '), count: unknown.length });
  for (const p of prices) await setPrice(db, organisationId, schoolYear, p.workId, p.price);
  await audit(db, actor, 'import', 'textbook_prices', null, { schoolYear, filename: input.file.filename, rows: rows.length });
  return { rows: rows.length, pricesSet: prices.length };
}
