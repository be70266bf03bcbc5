/**
 * Reading the template of an existing fund (one row per copy) as a stream: a CSV in UTF-8 or Windows-1251,
 * or an XLSX workbook (xlsx-rows.ts), row by row, so a fund of 60,000 copies is never held in memory whole.
 * Pure reading, no database: opening.ts checks the rows and books them.
 */
import fs from 'node:fs';
import { parse as parseCsv } from 'csv-parse';
import type ExcelJS from 'exceljs';
import { lazy } from '../../shared/lazy.js';
import iconv from 'iconv-lite';
import { headerKey } from '../../readers/roster.js';
import { AppError } from '../../shared/errors.js';
import { xlsxRows } from './xlsx-rows.js';

const excel = lazy<typeof ExcelJS>('exceljs');

export const TEMPLATE_FIELDS = [
  'inventoryNumber',
  'enteredOn',
  'author',
  'title',
  'year',
  'price',
  'bbk',
  'udc',
  'language',
  'publicationType',
  'barcode',
  'fund',
  'location',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
/** Without these a row cannot be booked; the file is refused naming the column. */
export const REQUIRED_FIELDS: TemplateField[] = ['inventoryNumber', 'enteredOn', 'title'];

/** Header spellings in Kazakh, Russian and English, compared after `headerKey`. */
const HEADER_ALIASES: Record<TemplateField, string[]> = {
  inventoryNumber: ['инвентарлықнөмір', 'инвентарлықнөмірі', 'инвнөмір', 'инвентарныйномер', 'инвномер', 'инвентарный', 'inventorynumber', 'inventoryno', 'inventory'],
  enteredOn: ['түскенкүні', 'есепкеалынғанкүні', 'күні', 'датапоступления', 'датазаписи', 'дата', 'dateofentry', 'enteredon', 'date'],
  author: ['авторы', 'автор', 'author', 'authors'],
  title: ['атауы', 'кітаптыңатауы', 'заглавие', 'название', 'title'],
  year: ['басылғанжылы', 'жылы', 'годиздания', 'год', 'year', 'publishyear'],
  price: ['бағасы', 'бағасытеңге', 'баға', 'цена', 'ценатенге', 'стоимость', 'price', 'pricetenge'],
  bbk: ['ббк', 'кбж', 'bbk'],
  udc: ['әож', 'удк', 'udc'],
  language: ['тілі', 'тіл', 'язык', 'language'],
  publicationType: ['басылымтүрі', 'түрі', 'видиздания', 'вид', 'publicationtype', 'type'],
  barcode: ['штрихкод', 'штрихкоды', 'barcode'],
  fund: ['қор', 'фонд', 'fund'],
  location: ['орны', 'орналасуы', 'местонахождение', 'место', 'location', 'shelf'],
};
const ALIAS_TO_FIELD = new Map<string, TemplateField>(
  (Object.entries(HEADER_ALIASES) as [TemplateField, string[]][]).flatMap(([field, names]) => names.map((n) => [n, field] as const)),
);

/** The header of each column of the template in the three languages, as the downloaded template writes them. */
export const TEMPLATE_HEADERS: Record<'kk' | 'ru' | 'en', Record<TemplateField, string>> = {
  kk: {
    inventoryNumber: 'Инвентарлық нөмір', enteredOn: 'Түскен күні', author: 'Авторы', title: 'Атауы', year: 'Басылған жылы',
    price: 'Бағасы, теңге', bbk: 'КБЖ', udc: 'ӘОЖ', language: 'Тілі', publicationType: 'Басылым түрі', barcode: 'Штрихкод',
    fund: 'Қор', location: 'Орны',
  },
  ru: {
    inventoryNumber: 'Инвентарный номер', enteredOn: 'Дата поступления', author: 'Автор', title: 'Заглавие', year: 'Год издания',
    price: 'Цена, тенге', bbk: 'ББК', udc: 'УДК', language: 'Язык', publicationType: 'Вид издания', barcode: 'Штрихкод',
    fund: 'Фонд', location: 'Местонахождение',
  },
  en: {
    inventoryNumber: 'Inventory number', enteredOn: 'Date of entry', author: 'Author', title: 'Title', year: 'Year',
    price: 'Price, tenge', bbk: 'BBK', udc: 'UDC', language: 'Language', publicationType: 'Publication type', barcode: 'Barcode',
    fund: 'Fund', location: 'Location',
  },
};

export function recogniseTemplateHeader(header: string): TemplateField | undefined {
  return ALIAS_TO_FIELD.get(headerKey(header));
}

export interface TemplateRow {
  /** The row of the file (the header is row 1). */
  row: number;
  values: Partial<Record<TemplateField, string>>;
}

export type TemplateEncoding = 'utf-8' | 'windows-1251';

function isValidUtf8(bytes: Uint8Array): boolean {
  // a multi-byte letter may be cut at the end of the sample: drop up to 3 trailing bytes of a sequence
  let end = bytes.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = bytes[end - i]!;
    if ((b & 0xc0) === 0xc0) {
      end -= i;
      break;
    }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** Valid UTF-8 in the first 256 KB is taken as UTF-8, anything else as Windows-1251 (Excel's CSV on Russian and Kazakh Windows). */
export async function detectEncoding(file: string): Promise<TemplateEncoding> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const sample = Buffer.alloc(256 * 1024);
    const { bytesRead } = await handle.read(sample, 0, sample.length, 0);
    return isValidUtf8(sample.subarray(0, bytesRead)) ? 'utf-8' : 'windows-1251';
  } finally {
    await handle.close();
  }
}

/** Which field each column holds; a file without the required columns is refused naming the first missing one. */
function mapHeader(cells: string[]): (TemplateField | undefined)[] {
  const fields = cells.map((c) => recogniseTemplateHeader(c ?? ''));
  for (const required of REQUIRED_FIELDS) {
    if (!fields.includes(required)) {
      throw new AppError('accounting.opening.missing_column', 400, { column: required, row: 1 });
    }
  }
  return fields;
}

function rowOf(fields: (TemplateField | undefined)[], cells: string[], row: number): TemplateRow | null {
  const values: TemplateRow['values'] = {};
  let any = false;
  fields.forEach((f, i) => {
    const v = (cells[i] ?? '').trim();
    if (f && v) {
      values[f] = v;
      any = true;
    }
  });
  return any ? { row, values } : null;
}

async function* readCsv(file: string, encoding: TemplateEncoding): AsyncGenerator<TemplateRow> {
  const firstChunk = await new Promise<string>((resolve, reject) => {
    const s = fs.createReadStream(file, { start: 0, end: 64 * 1024 });
    const parts: Buffer[] = [];
    s.on('data', (c) => parts.push(c as Buffer));
    s.on('end', () => resolve(iconv.decode(Buffer.concat(parts), encoding === 'utf-8' ? 'utf8' : 'win1251')));
    s.on('error', reject);
  });
  const firstLine = firstChunk.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  const counts = { ';': 0, '\t': 0, ',': 0 } as Record<string, number>;
  for (const ch of firstLine) if (ch in counts) counts[ch]!++;
  const delimiter = [';', '\t', ','].reduce((best, d) => (counts[d]! > counts[best]! ? d : best), ';');
  const parser = fs
    .createReadStream(file)
    .pipe(iconv.decodeStream(encoding === 'utf-8' ? 'utf8' : 'win1251'))
    .pipe(parseCsv({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }));
  let fields: (TemplateField | undefined)[] | null = null;
  let row = 0;
  for await (const cells of parser as AsyncIterable<string[]>) {
    row++;
    if (!fields) {
      fields = mapHeader(cells);
      continue;
    }
    const r = rowOf(fields, cells, row);
    if (r) yield r;
  }
  if (!fields) throw new AppError('accounting.opening.empty_file', 400);
}

async function* readXlsx(file: string): AsyncGenerator<TemplateRow> {
  let fields: (TemplateField | undefined)[] | null = null;
  for await (const r of xlsxRows(file)) {
    if (!fields) {
      fields = mapHeader(r.cells);
      continue;
    }
    const row = rowOf(fields, r.cells, r.row);
    if (row) yield row;
  }
  if (!fields) throw new AppError('accounting.opening.empty_file', 400);
}

/** The rows of a template file, one at a time. */
export async function* readTemplate(file: string, format: 'csv' | 'xlsx', encoding: TemplateEncoding | 'auto' = 'auto'): AsyncGenerator<TemplateRow> {
  if (format === 'xlsx') {
    yield* readXlsx(file);
    return;
  }
  yield* readCsv(file, encoding === 'auto' ? await detectEncoding(file) : encoding);
}

/** An empty template with a sample row, for the librarian to fill in. */
export async function templateXlsx(locale: 'kk' | 'ru' | 'en'): Promise<Buffer> {
  const wb = new (excel().Workbook)();
  const ws = wb.addWorksheet(locale === 'kk' ? 'Қор' : locale === 'ru' ? 'Фонд' : 'Fund');
  const headers = TEMPLATE_HEADERS[locale];
  ws.addRow(TEMPLATE_FIELDS.map((f) => headers[f]));
  ws.getRow(1).font = { bold: true };
  ws.addRow(['1024', '15.09.2008', 'Әуезов М.', 'Абай жолы', 2005, '1 250,00', '84(5Каз)', '', 'kaz', 'book', '', 'main', '']);
  TEMPLATE_FIELDS.forEach((_, i) => (ws.getColumn(i + 1).width = i === 3 ? 40 : 16));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
