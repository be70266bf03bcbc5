import type ExcelJS from 'exceljs';
import { lazy } from '../shared/lazy.js';
import iconv from 'iconv-lite';
import { parse as parseCsv } from 'csv-parse/sync';
import { foldForSearch, kazakhSortKey } from '../catalog/folding.js';
import { parseIsbn } from '../catalog/isbn.js';
import { invalid } from '../shared/errors.js';
import { AGE_GROUPS, CATEGORIES, type AgeGroup, type Category } from './schema.js';

const excel = lazy<typeof ExcelJS>('exceljs');

/** One valid title of a list file, ready to be stored. */
export interface ListRow {
  line: number;
  entryKey: string;
  title: string;
  author: string;
  category: Category;
  genre: string | null;
  ageGroup: AgeGroup;
  language: string | null;
  isbn: string | null;
  sortKey: string;
}

/** A problem of one line of the file; code is a translation key. */
export interface RowError {
  line: number;
  code: string;
  params: Record<string, string | number>;
}

export interface ParsedList {
  year: number | null;
  rows: ListRow[];
  errors: RowError[];
}

type Field = 'title' | 'author' | 'category' | 'genre' | 'age_group' | 'language' | 'isbn' | 'year';

// Column headings librarians actually write, in the three languages; compared folded.
const HEADINGS: Record<Field, string[]> = {
  title: ['title', 'атауы', 'кітаптың атауы', 'шығарма', 'название'],
  author: ['author', 'авторы', 'автор', 'авторлары'],
  category: ['category', 'санат', 'бөлім', 'категория', 'раздел'],
  genre: ['genre', 'жанр', 'жанры'],
  age_group: ['age group', 'age', 'grades', 'жас тобы', 'жасы', 'сынып', 'возраст', 'возрастная группа', 'класс', 'классы'],
  language: ['language', 'тілі', 'тіл', 'язык'],
  isbn: ['isbn'],
  year: ['year', 'list year', 'жылы', 'жыл', 'тізім жылы', 'год'],
};

/** The identity of a title across years and scripts: folded author and folded title. */
export function entryKey(author: string, title: string): string {
  return `${foldForSearch(author)}|${foldForSearch(title)}`;
}

/**
 * Reads a list file (XLSX, or CSV in UTF-8 or Windows-1251 with ',', ';' or tab) and checks
 * every line, so that the whole report can be shown before anything is stored.
 */
export async function parseListFile(data: Buffer, fallbackYear: number | null = null): Promise<ParsedList> {
  const table = isXlsx(data) ? await readXlsx(data) : readCsv(data);
  const [header, ...lines] = table;
  if (!header) throw invalid('reclist.file_empty');
  const columns = mapColumns(header);
  if (columns.title === undefined) throw invalid('reclist.column_missing', { column: 'title' });
  if (columns.category === undefined) throw invalid('reclist.column_missing', { column: 'category' });

  const rows: ListRow[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  let year = fallbackYear;
  for (const [i, cells] of lines.entries()) {
    const line = i + 2;
    const cell = (f: Field) => (columns[f] === undefined ? '' : (cells[columns[f]!] ?? '').trim());
    if (cells.every((c) => !c || !c.trim())) continue;
    const rowYear = cell('year');
    if (rowYear) {
      const y = Number(rowYear);
      if (!Number.isInteger(y) || y < 2000 || y > 2100) {
        errors.push({ line, code: 'reclist.row.bad_year', params: { value: rowYear } });
        continue;
      }
      if (year !== null && y !== year) {
        errors.push({ line, code: 'reclist.row.other_year', params: { value: y, year } });
        continue;
      }
      year = y;
    }
    const result = readRow(line, cell);
    const earlier = 'code' in result ? undefined : seen.get(result.entryKey);
    if ('code' in result) errors.push(result);
    else if (earlier !== undefined) errors.push({ line, code: 'reclist.row.duplicate', params: { other: earlier } });
    else {
      seen.set(result.entryKey, line);
      rows.push(result);
    }
  }
  if (rows.length === 0 && errors.length === 0) throw invalid('reclist.file_empty');
  return { year, rows, errors };
}

function readRow(line: number, cell: (f: Field) => string): ListRow | RowError {
  const title = cell('title');
  if (!title) return { line, code: 'reclist.row.title_missing', params: {} };
  // as long as the catalogue takes a title or an author's name; a longer key would not fit its index either
  for (const [field, max] of [['title', 1000], ['author', 300]] as const) {
    const length = cell(field).length;
    if (length > max) return { line, code: 'reclist.row.too_long', params: { column: field, length, max } };
  }
  const category = readCategory(cell('category'));
  if (!category) return { line, code: 'reclist.row.bad_category', params: { value: cell('category') } };
  const ageGroup = readAgeGroup(cell('age_group'));
  if (!ageGroup) return { line, code: 'reclist.row.bad_age_group', params: { value: cell('age_group') } };
  let isbn: string | null = null;
  if (cell('isbn')) {
    const parsed = parseIsbn(cell('isbn'));
    if (!parsed) return { line, code: 'reclist.row.bad_isbn', params: { value: cell('isbn') } };
    isbn = parsed.isbn13;
  }
  const author = cell('author');
  return {
    line,
    entryKey: entryKey(author, title),
    title,
    author,
    category,
    genre: cell('genre') || null,
    ageGroup,
    language: readLanguage(cell('language')),
    isbn,
    sortKey: kazakhSortKey(title),
  };
}

/** Accepts the category's code or its name in Kazakh, Russian or English. */
export function readCategory(value: string): Category | null {
  const raw = value.trim().toLowerCase();
  const v = foldForSearch(value);
  if (!v) return null;
  if ((CATEGORIES as readonly string[]).includes(raw)) return raw as Category;
  // English words are looked for as typed, Kazakh and Russian ones in their folded form.
  const has = (...words: string[]) => words.some((w) => v.includes(w) || raw.includes(w));
  // "Kazakh published abroad" mentions both abroad and Kazakh; test it before "foreign".
  if (has('abroad', 'diaspor') || (has('shetel', 'zarubej', 'rubej') && has('kazak', 'kazah'))) return 'abroad';
  if (has('ejelgi', 'klassi', 'classic', 'ancient', 'drevn')) return 'classical';
  if (has('tauelsiz', 'nezavis', 'independ')) return 'independence';
  if (has('kazirgi', 'sovremen', 'contempor', 'modern')) return 'contemporary';
  if (has('foreign', 'world', 'shetel', 'zarubej', 'alem', 'mirov', 'inostr')) return 'foreign';
  return null;
}

function readAgeGroup(value: string): AgeGroup | null {
  const v = value.replace(/[\u2013\u2014\s]/g, (c) => (c.trim() ? '-' : '')).toLowerCase();
  if (!v) return 'all';
  if ((AGE_GROUPS as readonly string[]).includes(v)) return v as AgeGroup;
  if (['барлығы', 'все', 'any'].some((w) => foldForSearch(w) === foldForSearch(value))) return 'all';
  return null;
}

// Language names as librarians write them, keyed by their folded form.
const LANGUAGES = new Map(
  Object.entries({
    kaz: ['kaz', 'kk', 'қазақ', 'қазақша', 'қазақ тілі', 'казахский', 'kazakh'],
    rus: ['rus', 'ru', 'орыс', 'орысша', 'орыс тілі', 'русский', 'russian'],
    eng: ['eng', 'en', 'ағылшын', 'ағылшынша', 'английский', 'english'],
  }).flatMap(([code, names]) => names.map((n) => [foldForSearch(n), code] as const)),
);

function readLanguage(value: string): string | null {
  if (!value) return null;
  return LANGUAGES.get(foldForSearch(value)) ?? value.toLowerCase();
}

function mapColumns(header: string[]): Partial<Record<Field, number>> {
  const columns: Partial<Record<Field, number>> = {};
  header.forEach((h, i) => {
    const folded = foldForSearch(h);
    for (const [field, names] of Object.entries(HEADINGS) as [Field, string[]][]) {
      if (columns[field] === undefined && names.some((n) => foldForSearch(n) === folded)) columns[field] = i;
    }
  });
  return columns;
}

function isXlsx(data: Buffer): boolean {
  return data.length > 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
}

async function readXlsx(data: Buffer): Promise<string[][]> {
  const workbook = new (excel().Workbook)();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw invalid('reclist.file_unreadable');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw invalid('reclist.file_empty');
  const table: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(row.getCell(c).text ?? '');
    table.push(cells);
  });
  return table;
}

/** UTF-8 when the bytes are valid UTF-8, otherwise Windows-1251 (what Excel in Kazakhstan saves). */
export function decodeText(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\uFEFF/, '');
  } catch {
    return iconv.decode(data, 'win1251');
  }
}

function readCsv(data: Buffer): string[][] {
  const text = decodeText(data);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [';', '\t', ','].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ',');
  try {
    return parseCsv(text, { delimiter, relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  } catch {
    throw invalid('reclist.file_unreadable');
  }
}
