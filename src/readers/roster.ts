/**
 * Reading a class roster file: the bytes a school exports from Excel or a school
 * information system, in whatever encoding, delimiter and language the headers come in.
 * Pure functions, no database: the import checks duplicates against the readers afterwards.
 */
import { cleanPersonText } from '../shared/text.js';
import { parse as parseCsv } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { lazy } from '../shared/lazy.js';
import iconv from 'iconv-lite';
import { Readable } from 'node:stream';
import { MAX_UPLOAD_ROWS } from '../shared/uploads.js';
import { foldForSearch } from '../catalog/folding.js';
import { AppError } from '../shared/errors.js';
import { localDate } from '../shared/library-time.js';
import { parseClassName, type SchoolClass } from './classes.js';

const excel = lazy<typeof ExcelJS>('exceljs');

export type RosterEncoding = 'utf-8' | 'windows-1251';
export type Delimiter = ';' | ',' | '\t';

export type RosterField =
  | 'lastName'
  | 'firstName'
  | 'middleName'
  | 'fullName'
  | 'className'
  | 'birthDate'
  | 'parentName'
  | 'parentPhone'
  | 'phone'
  | 'email';

/** Header spellings in Kazakh, Russian and English, compared after `headerKey`. */
const HEADER_ALIASES: Record<RosterField, string[]> = {
  lastName: ['тегі', 'тегы', 'фамилия', 'lastname', 'surname', 'familyname'],
  firstName: ['аты', 'есімі', 'имя', 'firstname', 'givenname', 'name'],
  middleName: ['әкесініңаты', 'әкесінің', 'отчество', 'middlename', 'patronymic'],
  fullName: ['атыжөні', 'тааж', 'таә', 'тегіатыәкесініңаты', 'фио', 'фамилияимяотчество', 'фамилияимя', 'fullname', 'studentname'],
  className: ['сынып', 'сыныбы', 'класс', 'class', 'grade', 'form'],
  birthDate: ['туғанкүні', 'туғанкүніжылы', 'туғанжылы', 'датарождения', 'деньрождения', 'birthdate', 'dateofbirth', 'born'],
  parentName: ['атаанасы', 'атаанасыныңаты', 'атаанасыатыжөні', 'родитель', 'родители', 'фиородителя', 'parent', 'parentname'],
  parentPhone: ['атаанасыныңтелефоны', 'атаанасытелефоны', 'телефонродителя', 'телефонродителей', 'parentphone', 'parentsphone'],
  phone: ['телефон', 'тел', 'ұялытелефон', 'мобильныйтелефон', 'phone', 'mobile'],
  email: ['email', 'электрондықпошта', 'электроннаяпочта', 'почта', 'mail'],
};

const ALIAS_TO_FIELD = new Map<string, RosterField>(
  (Object.entries(HEADER_ALIASES) as [RosterField, string[]][]).flatMap(([field, names]) => names.map((n) => [n, field] as const)),
);

/** A header reduced to its letters and digits, lower case: «Әкесінің аты», «ӘКЕСІНІҢ_АТЫ » → «әкесініңаты». */
export function headerKey(header: string): string {
  return header.toLowerCase().replace(/ё/g, 'е').replace(/[^\p{L}\p{N}]+/gu, '');
}

export function recogniseHeader(header: string): RosterField | undefined {
  return ALIAS_TO_FIELD.get(headerKey(header));
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return UTF8_BOM.every((b, i) => bytes[i] === b);
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decodes a text file. Valid UTF-8 is taken as UTF-8 (a Windows-1251 Cyrillic text is
 * practically never valid UTF-8), anything else as Windows-1251, the encoding Excel uses
 * for «CSV (разделители — запятые)» on Russian and Kazakh Windows.
 */
export function decodeText(bytes: Uint8Array, requested: RosterEncoding | 'auto' = 'auto'): { text: string; encoding: RosterEncoding } {
  const encoding: RosterEncoding = requested !== 'auto' ? requested : isValidUtf8(bytes) ? 'utf-8' : 'windows-1251';
  if (encoding === 'utf-8') {
    const body = hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
    return { text: new TextDecoder('utf-8').decode(body), encoding };
  }
  return { text: iconv.decode(Buffer.from(bytes), 'win1251'), encoding };
}

/** The delimiter of the header line, counted outside quotes; ';' wins ties (Excel's choice in these locales). */
export function detectDelimiter(text: string): Delimiter {
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const counts: Record<Delimiter, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as Delimiter]++;
  }
  const order: Delimiter[] = [';', '\t', ','];
  return order.reduce((best, d) => (counts[d] > counts[best] ? d : best), ';' as Delimiter);
}

export interface RosterTable {
  format: 'csv' | 'xlsx';
  encoding: RosterEncoding | null;
  delimiter: Delimiter | null;
  headers: string[];
  /** Data rows with the line (CSV) or row number (XLSX) the librarian sees in the file. */
  rows: { line: number; cells: string[] }[];
}

const tooManyRows = () => new AppError('readers.import.too_many_rows', 413, { max: MAX_UPLOAD_ROWS });

const isXlsx = (bytes: Uint8Array, filename: string) =>
  /\.xlsx$/i.test(filename) || (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04);

/** Reads a roster file (CSV in any supported encoding, or XLSX) into a header and rows of text cells. */
export async function readRosterFile(bytes: Uint8Array, filename: string, encoding: RosterEncoding | 'auto' = 'auto'): Promise<RosterTable> {
  if (bytes.length === 0) throw new AppError('readers.import.empty_file', 400);
  const table = isXlsx(bytes, filename) ? await readXlsx(bytes) : readCsv(bytes, encoding);
  if (table.headers.every((h) => h === '')) throw new AppError('readers.import.empty_file', 400);
  return table;
}

function readCsv(bytes: Uint8Array, requested: RosterEncoding | 'auto'): RosterTable {
  const { text, encoding } = decodeText(bytes, requested);
  const delimiter = detectDelimiter(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      delimiter,
      info: true,
      bom: true,
      trim: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // the header, the rows allowed and one more to tell a file past the limit
      to: MAX_UPLOAD_ROWS + 2,
    }) as unknown as typeof records;
  } catch {
    throw new AppError('readers.import.unreadable', 400);
  }
  if (records.length > MAX_UPLOAD_ROWS + 1) throw tooManyRows();
  const [header, ...data] = records;
  return {
    format: 'csv',
    encoding,
    delimiter,
    headers: header?.record ?? [],
    rows: data.filter((r) => r.record.some((c) => c !== '')).map((r) => ({ line: r.info.lines, cells: r.record })),
  };
}

/**
 * Reads the first sheet row by row from the zipped file (never the whole workbook into memory:
 * a sheet of a million rows took 4 GB that way) and stops at the row limit.
 */
async function readXlsx(bytes: Uint8Array): Promise<RosterTable> {
  const reader = new (excel().stream.xlsx.WorkbookReader)(Readable.from([Buffer.from(bytes)]), {
    sharedStrings: 'cache',
    worksheets: 'emit',
    // styles tell a date from a number
    styles: 'cache',
    hyperlinks: 'ignore',
  });
  const rows: { line: number; cells: string[] }[] = [];
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const cells = Array.from((row.values as ExcelJS.CellValue[]).slice(1), (v) => cellText(v ?? null));
        if (!cells.some((c) => c !== '')) continue;
        // the header and one row past the limit
        if (rows.length > MAX_UPLOAD_ROWS) throw tooManyRows();
        rows.push({ line: row.number, cells });
      }
      break; // the first sheet holds the roster
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('readers.import.unreadable', 400);
  }
  const [header, ...data] = rows;
  if (!header) throw new AppError('readers.import.empty_file', 400);
  return { format: 'xlsx', encoding: null, delimiter: null, headers: header.cells, rows: data };
}

/** A cell as the librarian sees it; dates become 'YYYY-MM-DD' (Excel stores them as UTC midnight). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
    if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
    if ('text' in value) return String(value.text).trim();
    return '';
  }
  return String(value).trim();
}

export interface RosterValues {
  lastName: string | null;
  firstName: string | null;
  middleName: string | null;
  grade: number | null;
  classLetter: string | null;
  birthDate: string | null;
  parentName: string | null;
  parentPhone: string | null;
  phone: string | null;
  email: string | null;
}

export interface RowError {
  code: string;
  params: Record<string, string | number>;
}

export interface RosterRow {
  line: number;
  values: RosterValues;
  errors: RowError[];
}

export interface RecognisedColumn {
  header: string;
  field: RosterField | null;
}

/** Reads 'dd.mm.yyyy' (also with / or -) or 'yyyy-mm-dd' into 'YYYY-MM-DD'; undefined if it is no real past date. */
export function parseBirthDate(text: string, today: string = localDate()): string | undefined {
  const t = text.trim();
  let y: number, m: number, d: number;
  const dmy = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(t);
  const ymd = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (dmy) [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else if (ymd) [y, m, d] = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
  else return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (y < 1900 || iso > today) return undefined;
  return iso;
}

/** «Сәрсенова Аружан Болатқызы» → last, first and the rest as the patronymic («Болат қызы» has two words). */
export function splitFullName(text: string): { lastName: string | null; firstName: string | null; middleName: string | null } {
  const [last, first, ...rest] = text.trim().split(/\s+/).filter(Boolean);
  return { lastName: last ?? null, firstName: first ?? null, middleName: rest.length ? rest.join(' ') : null };
}

/** The identity used to spot the same child twice: folded full name, birth date and class. */
export function duplicateKey(v: Pick<RosterValues, 'lastName' | 'firstName' | 'middleName' | 'birthDate' | 'grade' | 'classLetter'>): string {
  const name = foldForSearch([v.lastName, v.firstName, v.middleName].filter(Boolean).join(' '));
  return [name, v.birthDate ?? '', v.grade ?? '', v.classLetter ?? ''].join('|');
}

export interface RosterDefaults {
  /** Class for a roster without a class column (or with the cell left empty). */
  grade?: number;
  classLetter?: string | null;
  /** The library's date today: a birth date after it is an error. */
  today?: string;
}

/** The longest values the reader form takes (readers/routes.ts): a longer one is the row's error, not a reader saved that cannot be edited. */
const LIMITS: [keyof RosterValues & ('lastName' | 'firstName' | 'middleName' | 'parentName' | 'parentPhone' | 'phone' | 'email'), number][] = [
  ['lastName', 100], ['firstName', 100], ['middleName', 100], ['parentName', 200], ['parentPhone', 40], ['phone', 40], ['email', 200],
];

/** Turns the rows of a roster into reader values with their own errors (name, class, date, repeats in the file). */
export function parseRoster(table: RosterTable, defaults: RosterDefaults = {}): { columns: RecognisedColumn[]; rows: RosterRow[] } {
  const { columns, parseRow } = rosterRowParser(table, defaults);
  return { columns, rows: table.rows.map(parseRow) };
}

/** Rows checked between two turns of the server's event loop: a roster of thousands never holds the desk's requests up. */
const ROWS_PER_TURN = 250;

/** The same as parseRoster, giving the server's other requests their turn every few hundred rows. */
export async function parseRosterInTurns(table: RosterTable, defaults: RosterDefaults = {}): Promise<{ columns: RecognisedColumn[]; rows: RosterRow[] }> {
  const { columns, parseRow } = rosterRowParser(table, defaults);
  const rows: RosterRow[] = [];
  for (let from = 0; from < table.rows.length; from += ROWS_PER_TURN) {
    if (from > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const row of table.rows.slice(from, from + ROWS_PER_TURN)) rows.push(parseRow(row));
  }
  return { columns, rows };
}

function rosterRowParser(table: RosterTable, defaults: RosterDefaults): { columns: RecognisedColumn[]; parseRow: (row: RosterTable['rows'][number]) => RosterRow } {
  const columns = table.headers.map((header) => ({ header, field: recogniseHeader(header) ?? null }));
  const taken = new Set<RosterField>();
  const fieldIndex = new Map<RosterField, number>();
  columns.forEach((c, i) => {
    // A field named twice (two «Телефон» columns) counts once, from its first column.
    if (c.field && !taken.has(c.field)) {
      taken.add(c.field);
      fieldIndex.set(c.field, i);
    } else c.field = null;
  });
  if (!fieldIndex.has('lastName') && !fieldIndex.has('fullName')) {
    throw new AppError('readers.import.no_name_column', 400, { headers: table.headers.join(', ') });
  }

  const seen = new Map<string, number>();
  const parseRow = ({ line, cells }: RosterTable['rows'][number]): RosterRow => {
    const cell = (f: RosterField) => {
      const i = fieldIndex.get(f);
      // a NUL (no column may hold it) and invisible direction or zero-width characters are dropped from every cell
      const v = i === undefined ? '' : cleanPersonText((cells[i] ?? '').replace(/\u0000/g, ''));
      return v === '' ? null : v;
    };
    const errors: RowError[] = [];
    const name = fieldIndex.has('lastName')
      ? { lastName: cell('lastName'), firstName: cell('firstName'), middleName: cell('middleName') }
      : splitFullName(cell('fullName') ?? '');
    if (!name.lastName || !name.firstName) errors.push({ code: 'readers.import.missing_name', params: {} });

    const schoolClass = rowClass(cell('className'), defaults, errors);
    const birthText = cell('birthDate');
    const birthDate = birthText ? parseBirthDate(birthText, defaults.today) : undefined;
    if (birthText && !birthDate) errors.push({ code: 'readers.import.bad_date', params: { value: birthText } });

    const values: RosterValues = {
      ...name,
      grade: schoolClass?.grade ?? null,
      classLetter: schoolClass?.classLetter ?? null,
      birthDate: birthDate ?? null,
      parentName: cell('parentName'),
      parentPhone: cell('parentPhone'),
      phone: cell('phone'),
      email: cell('email'),
    };
    for (const [field, max] of LIMITS) {
      const value = values[field];
      // a full name split in three is checked against the full-name column
      const column = fieldIndex.get(field) ?? fieldIndex.get('fullName');
      if (value && value.length > max) errors.push({ code: 'readers.import.too_long', params: { column: column === undefined ? field : table.headers[column]!, length: value.length, max } });
    }
    if (name.lastName && name.firstName) {
      const key = duplicateKey(values);
      const first = seen.get(key);
      if (first !== undefined) errors.push({ code: 'readers.import.duplicate_in_file', params: { line: first } });
      else seen.set(key, line);
    }
    return { line, values, errors };
  };
  return { columns, parseRow };
}

function rowClass(text: string | null, defaults: RosterDefaults, errors: RowError[]): SchoolClass | undefined {
  if (text) {
    const parsed = parseClassName(text);
    if (!parsed) errors.push({ code: 'readers.import.bad_class', params: { value: text } });
    return parsed;
  }
  if (defaults.grade !== undefined) return { grade: defaults.grade, classLetter: defaults.classLetter ?? null };
  errors.push({ code: 'readers.import.missing_class', params: {} });
  return undefined;
}
