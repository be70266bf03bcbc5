import type { HoldingsFieldRule } from './holdings-profiles.js';
import { parseIsbn } from '../catalog/isbn.js';
import type { ReadProblem } from './marc/iso2709.js';
import { controlValue, dataFields, firstValue, subfield, subfields, type DataField, type MarcRecord } from './marc/record.js';
import { localDateTime } from '../shared/library-time.js';

export const FORMATS = ['marc21', 'unimarc'] as const;
/** UNIMARC and its Russian profile RUSMARC share tags; both are 'unimarc' here. */
export type MarcFormat = (typeof FORMATS)[number];

export interface MappedAuthor {
  name: string;
  role: string;
}

/** A copy described in the record's holdings fields. */
export interface MappedHolding {
  inventoryNumber: string | null;
  barcode: string | null;
  priceTiyn: number;
  location: string | null;
}

/** What the catalogue shows of a record. */
export interface MappedWork {
  title: string;
  subtitle: string | null;
  isbn: string | null;
  publisher: string | null;
  publishPlace: string | null;
  publishYear: number | null;
  language: string | null;
  pages: number | null;
  udc: string | null;
  bbk: string | null;
  annotation: string | null;
  authors: MappedAuthor[];
  subjects: string[];
  notes: string[];
  /** The record's own identifier (003 + 001), to match a record imported before. */
  controlNumber: string | null;
  holdings: MappedHolding[];
}

export interface MappingResult {
  work: MappedWork | null;
  warnings: ReadProblem[];
  error?: ReadProblem;
}

/** MARC 21 has 245 and 4500 at the end of the leader; UNIMARC has 200 (title) and usually 801. */
export function detectFormat(record: MarcRecord): MarcFormat {
  const has = (tag: string) => record.fields.some((f) => f.tag === tag);
  if (has('245')) return 'marc21';
  if (has('200')) return 'unimarc';
  return record.leader.slice(20, 24) === '4500' ? 'marc21' : 'unimarc';
}

const NEEDS_CLEANING = /[\u0098\u009c]|\s\s|[^\S ]|^ | $|[/:;,=+.]$/;

/**
 * Strips the ISBD punctuation that MARC 21 cataloguers put at the end of a subfield (« /», « :»,
 * «.»). UNIMARC data carries no such punctuation, so there a final period is kept (it ends an
 * abbreviation such as «Сб.»).
 */
export function clean(value: string | undefined | null, keepPeriod = false): string | null {
  if (value == null) return null;
  // most values have nothing to strip: no control characters, no space but single ones inside, no
  // punctuation at the end; they are returned as they are without the regular expressions below
  if (value && !NEEDS_CLEANING.test(value)) return value;
  let text = value.replace(/[\u0098\u009c]/g, '').replace(/\s+/g, ' ').trim();
  for (let before = ''; before !== text; ) {
    before = text;
    text = text.replace(/[\s/:;,=+]+$/u, '');
    // a period after a one-letter word («М.», «Т. Н.») is an abbreviation, not punctuation
    if (!keepPeriod) text = text.replace(/(?<!(?:^|[.\s])\p{L})(?<!\.\.)\.$/u, '');
  }
  return text || null;
}

const yearOf = (value: string | undefined) => {
  const m = value?.match(/(1[4-9]\d\d|20\d\d)/);
  return m ? Number(m[1]) : null;
};

const pagesOf = (value: string | undefined) => {
  const m = value?.match(/(\d+)\s*(с|c|p|б|стр|pages|л)\b/iu) ?? value?.match(/^\D*(\d+)/);
  const n = m ? Number(m[1]) : null;
  return n && n > 0 && n < 100000 ? n : null;
};

const LANGUAGE = /^[a-z]{3}$/;

const ROLE_CODES: Record<string, string> = {
  // MARC relator codes and UNIMARC relator codes (Appendix C)
  aut: 'author', edt: 'editor', trl: 'translator', ill: 'illustrator', com: 'compiler',
  '070': 'author', '340': 'editor', '730': 'translator', '440': 'illustrator', '220': 'compiler', '651': 'editor',
};

function roleOf(field: DataField, codeSubfield: string): string {
  const code = subfield(field, codeSubfield)?.trim().toLowerCase();
  if (code && ROLE_CODES[code]) return ROLE_CODES[code]!;
  const term = subfield(field, 'e')?.toLowerCase() ?? '';
  if (/ред|edit/.test(term)) return 'editor';
  if (/пер|transl|аударм/.test(term)) return 'translator';
  if (/ил|illus|суретш/.test(term)) return 'illustrator';
  if (/сост|compil|құраст/.test(term)) return 'compiler';
  return 'author';
}

/**
 * The ISBN in an 020/010 $a as exporters write it: «978-5-699-12014-7 :», «0-306-40615-2(pbk.)»,
 * «ISBN 5-7335-0106-2 (сб.)», a Cyrillic «х» for the check digit X. The qualifier that follows
 * is not part of the number (it stays in the stored source record).
 */
const ISBN_IN_TEXT = /(?<![\dXx])(?:97[89][\s-]?)?\d(?:[\s-]?\d){8}[\s-]?[\dXxХх](?![\dXx])/u;

export function isbnInText(value: string): string | null {
  const match = ISBN_IN_TEXT.exec(value);
  return match ? match[0].replace(/[\s-]/g, '').replace(/[хХx]$/u, 'X') : null;
}

function isbnFrom(values: string[], warnings: ReadProblem[]): string | null {
  for (const value of values) {
    const candidate = isbnInText(value) ?? (value.trim().split(/[\s(:;]/)[0] ?? '');
    if (!candidate) continue;
    const parsed = parseIsbn(candidate);
    if (parsed) return parsed.isbn13;
    warnings.push({ code: 'interop.invalid_isbn', params: { isbn: value.trim() } });
  }
  return null;
}

function subjectOf(field: DataField, keepPeriod = false): string | null {
  const parts = field.subfields.filter((s) => /[a-z]/.test(s.code) && s.code !== 'e').map((s) => clean(s.value, keepPeriod)).filter(Boolean);
  return parts.length ? parts.join(' -- ') : null;
}

const unique = <T>(list: T[]) => [...new Set(list)];

export function mapRecord(record: MarcRecord, format: MarcFormat, holdingsProfile: HoldingsFieldRule[] | null = null): MappingResult {
  const warnings: ReadProblem[] = [];
  const work = format === 'marc21' ? mapMarc21(record, warnings) : mapUnimarc(record, warnings);
  if (holdingsProfile) work.holdings = profileHoldings(record, holdingsProfile);
  if (!work.title) return { work: null, warnings, error: { code: 'interop.no_title' } };
  if (work.publishYear !== null && (work.publishYear < 1450 || work.publishYear > localDateTime().year + 1)) {
    warnings.push({ code: 'interop.bad_year', params: { value: work.publishYear } });
    work.publishYear = null;
  }
  keepWithinLimits(work, warnings);
  return { work, warnings };
}

/**
 * The longest values the catalogue takes from a person (catalog/routes.ts, fund/routes.ts). A file
 * can hold anything, and a value past them would be stored and then refused when the work is
 * edited — or, in an index, stop the whole chunk. Text is cut with a warning; an identifier
 * that long is no identifier (a new number is issued for the copy, the record matches by ISBN).
 */
export const LIMITS = {
  title: 1000, subtitle: 1000, publisher: 300, publishPlace: 200, udc: 100, bbk: 100, annotation: 10000,
  author: 300, subject: 1000, note: 2000, controlNumber: 200, inventoryNumber: 50, barcode: 50, location: 200,
} as const;

/** Prices above this (ten million tenge a copy) are taken for a damaged field. */
const MAX_PRICE_TIYN = 1_000_000_000;

function keepWithinLimits(work: MappedWork, warnings: ReadProblem[]): void {
  const cut = (field: keyof typeof LIMITS, value: string): string => {
    const max = LIMITS[field];
    if (value.length <= max) return value;
    warnings.push({ code: 'interop.value_cut', params: { field, length: value.length, max } });
    return value.slice(0, max).trimEnd();
  };
  work.title = cut('title', work.title);
  for (const field of ['subtitle', 'publisher', 'publishPlace', 'udc', 'bbk', 'annotation'] as const) {
    const value = work[field];
    if (value !== null) work[field] = cut(field, value);
  }
  for (const author of work.authors) author.name = cut('author', author.name);
  work.subjects = work.subjects.map((v) => cut('subject', v));
  work.notes = work.notes.map((v) => cut('note', v));
  if (work.controlNumber && work.controlNumber.length > LIMITS.controlNumber) {
    warnings.push({ code: 'interop.identifier_dropped', params: { field: 'controlNumber', length: work.controlNumber.length, max: LIMITS.controlNumber } });
    work.controlNumber = null;
  }
  for (const h of work.holdings) {
    for (const field of ['inventoryNumber', 'barcode'] as const) {
      const value = h[field];
      if (value && value.length > LIMITS[field]) {
        warnings.push({ code: 'interop.identifier_dropped', params: { field, length: value.length, max: LIMITS[field] } });
        h[field] = null;
      }
    }
    if (h.location) h.location = cut('location', h.location);
    if (!Number.isSafeInteger(h.priceTiyn) || h.priceTiyn > MAX_PRICE_TIYN) {
      warnings.push({ code: 'interop.bad_price', params: { value: String(h.priceTiyn / 100) } });
      h.priceTiyn = 0;
    }
  }
}

function controlNumber(record: MarcRecord): string | null {
  const id = controlValue(record, '001')?.trim();
  if (!id) return null;
  const source = controlValue(record, '003')?.trim();
  return source ? `${source}|${id}` : id;
}

function mapMarc21(record: MarcRecord, warnings: ReadProblem[]): MappedWork {
  const f245 = dataFields(record, '245')[0];
  const title = f245 ? [subfield(f245, 'a'), ...subfields(f245, 'n', 'p')].map((v) => clean(v)).filter(Boolean).join('. ') : '';
  const f008 = controlValue(record, '008') ?? '';
  const lang008 = f008.slice(35, 38);
  const imprint = mergedFields(dataFields(record, '260', '264'));
  const authors: MappedAuthor[] = [];
  for (const f of dataFields(record, '100', '700')) {
    const name = clean(subfield(f, 'a'));
    if (name) authors.push({ name, role: f.tag === '100' ? 'author' : roleOf(f, '4') });
  }
  return {
    title,
    subtitle: clean(subfield(f245, 'b')),
    isbn: isbnFrom(dataFields(record, '020').flatMap((f) => subfields(f, 'a')), warnings),
    publisher: clean(imprint && subfield(imprint, 'b')),
    publishPlace: clean(imprint && subfield(imprint, 'a')?.replace(/[[\]]/g, '')),
    publishYear: yearOf(imprint && subfield(imprint, 'c')) ?? yearOf(f008.slice(7, 11)),
    language: LANGUAGE.test(lang008) ? lang008 : (firstValue(record, '041', 'a')?.slice(0, 3) ?? null),
    pages: pagesOf(firstValue(record, '300', 'a')),
    udc: clean(firstValue(record, '080', 'a')),
    bbk: clean(firstValue(record, '084', 'a')),
    annotation: clean(firstValue(record, '520', 'a')),
    authors: dedupeAuthors(authors),
    subjects: unique(dataFields(record, '600', '610', '611', '630', '650', '651', '653').map((f) => subjectOf(f)).filter((s): s is string => !!s)),
    notes: dataFields(record, '500', '504', '505', '546').map((f) => clean(subfields(f, 'a', 't').join(' '))).filter((s): s is string => !!s),
    controlNumber: controlNumber(record),
    holdings: marc21Holdings(record),
  };
}

/** Some exporters split one imprint into several fields: read them as one. */
function mergedFields(fields: DataField[]): DataField | undefined {
  if (fields.length <= 1) return fields[0];
  return { ...fields[0]!, subfields: fields.flatMap((f) => f.subfields) };
}

function unimarcName(field: DataField): string | null {
  const surname = clean(subfield(field, 'a'), true);
  if (!surname) return null;
  const forename = clean(subfield(field, 'g') ?? subfield(field, 'b'), true);
  return forename ? `${surname}, ${forename}` : surname;
}

function mapUnimarc(record: MarcRecord, warnings: ReadProblem[]): MappedWork {
  const f200 = dataFields(record, '200')[0];
  let title = f200 ? [subfield(f200, 'a'), ...subfields(f200, 'h', 'i')].map((v) => clean(v, true)).filter(Boolean).join('. ') : '';
  // a volume of a multi-part work (leader/08 '2') names the whole work in 461 $1 200 $a
  const parent = dataFields(record, '461')[0];
  const parentTitle = parent && clean(parentTitleOf(parent), true);
  if (parentTitle && record.leader[8] === '2' && title) title = `${parentTitle}. ${title}`;
  const imprint = mergedFields(dataFields(record, '210', '214'));
  const authors: MappedAuthor[] = [];
  for (const f of dataFields(record, '700', '701', '702')) {
    const name = unimarcName(f);
    if (name) authors.push({ name, role: f.tag === '702' ? roleOf(f, '4') : 'author' });
  }
  const language = firstValue(record, '101', 'a')?.trim().slice(0, 3) ?? null;
  return {
    title,
    subtitle: clean(subfield(f200, 'e'), true),
    isbn: isbnFrom(dataFields(record, '010').flatMap((f) => subfields(f, 'a')), warnings),
    publisher: clean(imprint && subfield(imprint, 'c'), true),
    publishPlace: clean(imprint && subfield(imprint, 'a'), true),
    publishYear: yearOf(imprint && subfield(imprint, 'd')) ?? yearOf(firstValue(record, '100', 'a')?.slice(9, 13)),
    language: language && LANGUAGE.test(language) ? language : null,
    pages: pagesOf(firstValue(record, '215', 'a')),
    udc: clean(firstValue(record, '675', 'a'), true),
    bbk: clean(firstValue(record, '686', 'a'), true),
    annotation: clean(firstValue(record, '330', 'a'), true),
    authors: dedupeAuthors(authors),
    subjects: unique(dataFields(record, '600', '601', '604', '605', '606', '607', '610').map((f) => subjectOf(f, true)).filter((s): s is string => !!s)),
    notes: dataFields(record, '300', '320', '327').map((f) => clean(subfields(f, 'a').join(' '), true)).filter((s): s is string => !!s),
    controlNumber: controlNumber(record),
    holdings: unimarcHoldings(record),
  };
}

/** 461 $1 embeds whole fields: «$1 2001 » starts the parent's 200, whose $a follows. */
function parentTitleOf(field: DataField): string | undefined {
  let inTitle = false;
  for (const s of field.subfields) {
    if (s.code === '1') inTitle = s.value.startsWith('200');
    else if (inTitle && s.code === 'a') return s.value;
  }
  return undefined;
}

function dedupeAuthors(authors: MappedAuthor[]): MappedAuthor[] {
  const seen = new Set<string>();
  return authors.filter((a) => {
    const key = `${a.name.toLowerCase()}|${a.role}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A price as catalogued («1500.00», «1 500 тг», «120 р.») in tiyn; unknown is 0. */
export function priceTiyn(value: string | undefined): number {
  const m = value?.replace(/\s/g, '').replace(',', '.').match(/\d+(\.\d{1,2})?/);
  return m ? Math.round(Number(m[0]) * 100) : 0;
}

function holding(inventoryNumber?: string, barcode?: string, price?: string, location?: (string | undefined)[]): MappedHolding | null {
  const inv = inventoryNumber?.trim() || null;
  const code = barcode?.trim() || null;
  if (!inv && !code) return null;
  const place = (location ?? []).map((l) => l?.trim()).filter(Boolean).join(' ');
  return { inventoryNumber: inv, barcode: code, priceTiyn: priceTiyn(price), location: place || null };
}

/**
 * Copies in MARC 21 files: 876–878 item information ($a inventory number, $p barcode, $c price),
 * 852 with a piece designation ($p), Koha's 952 ($i inventory, $p barcode, $g price, $o call number)
 * and the common local 949 ($i inventory, $p barcode, $c price). A field without an inventory number
 * or a barcode names the holding library only and makes no copy.
 */
function marc21Holdings(record: MarcRecord): MappedHolding[] {
  const list: (MappedHolding | null)[] = [];
  for (const f of record.fields) {
    if (!('subfields' in f)) continue;
    const s = (code: string) => subfield(f, code);
    if (['876', '877', '878'].includes(f.tag)) list.push(holding(s('a'), s('p'), s('c'), [s('l')]));
    else if (f.tag === '852') list.push(holding(s('x'), s('p'), s('9'), [s('c'), s('h'), s('i')]));
    else if (f.tag === '952') list.push(holding(s('i'), s('p'), s('g'), [s('c'), s('o')]));
    else if (f.tag === '949') list.push(holding(s('i'), s('p'), s('c'), [s('l'), s('h')]));
  }
  return list.filter((h): h is MappedHolding => !!h);
}

/** Copies where a chosen profile says each system writes them. */
function profileHoldings(record: MarcRecord, rules: HoldingsFieldRule[]): MappedHolding[] {
  const list: (MappedHolding | null)[] = [];
  for (const f of record.fields) {
    if (!('subfields' in f)) continue;
    const rule = rules.find((r) => r.tag === f.tag);
    if (!rule) continue;
    const s = (code: string | null) => (code ? subfield(f, code) : undefined);
    list.push(holding(s(rule.inventory), s(rule.barcode), s(rule.price), rule.location.map((c) => s(c))));
  }
  return list.filter((h): h is MappedHolding => !!h);
}

/** UNIMARC/RUSMARC copies: 995 ($f barcode, $j inventory number, $k call number) and RUSMARC 899 ($p inventory, $x barcode). */
function unimarcHoldings(record: MarcRecord): MappedHolding[] {
  const list: (MappedHolding | null)[] = [];
  for (const f of dataFields(record, '995', '899')) {
    const s = (code: string) => subfield(f, code);
    if (f.tag === '995') list.push(holding(s('j'), s('f'), s('p'), [s('k')]));
    else list.push(holding(s('p'), s('x'), s('c'), [s('b'), s('j')]));
  }
  return list.filter((h): h is MappedHolding => !!h);
}
