import type { HoldingsFieldRule } from './holdings-profiles.js';
import { decodeBytes, type Encoding, isValidUtf8 } from './marc/encoding.js';
import { readIso2709, splitIso2709, type RawRecord, type ReadProblem } from './marc/iso2709.js';
import { MarcXmlReader, type XmlRecordResult } from './marc/marcxml.js';
import type { MarcRecord } from './marc/record.js';
import { detectFormat, mapRecord, type MappedWork, type MarcFormat } from './mapping.js';

export type Syntax = 'iso2709' | 'marcxml';

export interface Problem extends ReadProblem {
  severity: 'error' | 'warning';
}

/** One record of an import file, read and mapped as far as it could be. */
export interface FileRecord {
  position: number;
  offset: number | null;
  raw: Uint8Array | null;
  xml: string | null;
  record: MarcRecord | null;
  format: MarcFormat | null;
  encoding: Encoding | null;
  work: MappedWork | null;
  problems: Problem[];
}

export interface ReadOptions {
  /** Named by the user; detected per record otherwise. */
  encoding?: Encoding;
  format?: MarcFormat;
  /** Where the source system wrote its copies; the format's usual fields when absent. */
  holdingsRules?: HoldingsFieldRule[] | null;
}

export interface ReadFileResult {
  syntax: Syntax;
  records: FileRecord[];
  /** A problem with the file as a whole (an XML file that does not parse). */
  fileError: ReadProblem | null;
}

export function detectSyntax(bytes: Uint8Array): Syntax {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[i]!)) i++;
  return bytes[i] === 0x3c ? 'marcxml' : 'iso2709';
}

/** Reads every record of a file; an unreadable record is kept with its error and never stops the others. */
export function readMarcFile(bytes: Uint8Array, options: ReadOptions = {}): ReadFileResult {
  const syntax = detectSyntax(bytes);
  return syntax === 'marcxml' ? readXmlFile(bytes, options) : { syntax, records: readIsoFile(bytes, options), fileError: null };
}

/**
 * A file opened for import: split into records at once (cheap), each range of records read and
 * mapped only when the import comes to it. The import reads the next chunk while the database
 * writes the current one, and the records of finished chunks are not kept in memory.
 */
export interface MarcFileSource {
  syntax: Syntax;
  /** Records found in the file, readable or not. */
  total: number;
  /** A problem with the file as a whole (an XML file that does not parse). */
  fileError: ReadProblem | null;
  /** Reads records [from, from + count), giving the event loop a turn every `slice` records. */
  read(from: number, count: number): Promise<FileRecord[]>;
}

/**
 * Opens a file for reading by ranges. Slices are short (50 records, about 1.5 ms) because a reply
 * of the database waits for the slice under way: on a PostgreSQL server, 50,000 records went in
 * 9.7–10.0 s with slices of 50 and 10.8–11.2 s with slices of 250 or 1,000. `timings.read` adds up
 * the milliseconds spent reading, slice by slice, so it counts the work itself and not the turns
 * other work took meanwhile. A MARCXML file is parsed here, 256 k characters at a time, into
 * records, and each range of them is mapped when it is read.
 */
export async function openMarcFile(bytes: Uint8Array, options: ReadOptions = {}, slice = 50, timings?: Record<string, number>): Promise<MarcFileSource> {
  const spent = (started: number) => {
    if (timings) timings.read = (timings.read ?? 0) + performance.now() - started;
  };
  const sliced = (total: number, readOne: (index: number) => FileRecord) => async (from: number, count: number) => {
    const records: FileRecord[] = [];
    const end = Math.min(total, from + count);
    for (let i = from; i < end; i += slice) {
      if (i > from) await nextTurn();
      const started = performance.now();
      for (let j = i; j < Math.min(end, i + slice); j++) records.push(readOne(j));
      spent(started);
    }
    return records;
  };
  if (detectSyntax(bytes) === 'marcxml') {
    const started = performance.now();
    const { text, encoding } = xmlText(bytes, options.encoding);
    const reader = new MarcXmlReader(text);
    spent(started);
    let error: unknown = null;
    while (!reader.done && !error) {
      await nextTurn();
      const sliceStarted = performance.now();
      try {
        reader.step(XML_SLICE);
      } catch (err) {
        error = err;
      }
      spent(sliceStarted);
    }
    const parsed = reader.records;
    return { syntax: 'marcxml', total: parsed.length, fileError: xmlFileError(parsed, error), read: sliced(parsed.length, (i) => xmlRecord(parsed[i]!, encoding, options)) };
  }
  const started = performance.now();
  const raws = [...splitIso2709(bytes)];
  spent(started);
  return { syntax: 'iso2709', total: raws.length, fileError: null, read: sliced(raws.length, (i) => readIsoRecord(raws[i]!, options)) };
}

const XML_SLICE = 256 * 1024;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Reads every record like `readMarcFile`, but gives the event loop a turn every `slice` records:
 * reading 50,000 records takes seconds, and the server's other users must not wait for it.
 */
export async function readMarcFileInSlices(bytes: Uint8Array, options: ReadOptions = {}, slice = 50): Promise<ReadFileResult> {
  const file = await openMarcFile(bytes, options, slice);
  return { syntax: file.syntax, records: await file.read(0, file.total), fileError: file.fileError };
}

function readIsoFile(bytes: Uint8Array, options: ReadOptions): FileRecord[] {
  const records: FileRecord[] = [];
  for (const raw of splitIso2709(bytes)) records.push(readIsoRecord(raw, options));
  return records;
}

function readIsoRecord(raw: RawRecord, options: ReadOptions): FileRecord {
  const base: FileRecord = {
    position: raw.number,
    offset: raw.offset,
    raw: raw.bytes,
    xml: null,
    record: null,
    format: null,
    encoding: null,
    work: null,
    problems: [],
  };
  const result = readIso2709(raw, options.encoding);
  if (!result.ok) return { ...base, problems: [{ severity: 'error', ...result.error }] };
  const warnings = result.warnings.map((w) => ({ severity: 'warning' as const, ...w }));
  return mapped({ ...base, record: result.record, encoding: result.encoding, problems: warnings }, options);
}

/** The XML declaration's encoding, for MARCXML files that are not UTF-8. */
function xmlText(bytes: Uint8Array, hint?: Encoding): { text: string; encoding: Encoding } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = /encoding\s*=\s*["']([^"']+)["']/i.exec(buffer.subarray(0, 200).toString('latin1'))?.[1]?.toLowerCase();
  const encoding: Encoding =
    hint ?? (declared && /1251/.test(declared) ? 'cp1251' : declared && /866/.test(declared) ? 'cp866' : isValidUtf8(bytes) ? 'utf8' : 'cp1251');
  if (encoding === 'utf8' || encoding === 'marc8') return { text: buffer.toString('utf8').replace(/^\ufeff/, ''), encoding: 'utf8' };
  return { text: decodeBytes(bytes, encoding).text, encoding };
}

function readXmlFile(bytes: Uint8Array, options: ReadOptions): ReadFileResult {
  const { text, encoding } = xmlText(bytes, options.encoding);
  const reader = new MarcXmlReader(text);
  let error: unknown = null;
  try {
    reader.step(text.length);
  } catch (err) {
    error = err;
  }
  const parsed = reader.records;
  return { syntax: 'marcxml', records: parsed.map((r) => xmlRecord(r, encoding, options)), fileError: xmlFileError(parsed, error) };
}

/**
 * XML that stops being well-formed cannot be read past that place: the records before it are
 * kept (and imported), and the file is reported with the parser's line, column and reason.
 */
function xmlFileError(parsed: XmlRecordResult[], error: unknown): ReadProblem | null {
  if (error) return { code: 'interop.bad_xml', params: { reason: (error as Error).message.slice(0, 200) } };
  return parsed.length ? null : { code: 'interop.no_records' };
}

function xmlRecord(r: XmlRecordResult, encoding: Encoding, options: ReadOptions): FileRecord {
  const base: FileRecord = {
    position: r.number,
    offset: null,
    raw: null,
    xml: r.xml,
    record: r.record ?? null,
    format: null,
    encoding,
    work: null,
    problems: r.error ? [{ severity: 'error', ...r.error }] : [],
  };
  return r.record ? mapped(base, options) : base;
}

function mapped(entry: FileRecord, options: ReadOptions): FileRecord {
  // a 0x00 byte is no character of any encoding and no database column may hold it: the record fails, the file goes on
  if (JSON.stringify(entry.record).includes('\\u0000')) {
    return { ...entry, problems: [...entry.problems, { severity: 'error', code: 'interop.nul_byte', params: {} }] };
  }
  const format = options.format ?? detectFormat(entry.record!);
  const result = mapRecord(entry.record!, format, options.holdingsRules ?? null);
  const problems = [...entry.problems, ...result.warnings.map((w) => ({ severity: 'warning' as const, ...w }))];
  if (result.error) problems.push({ severity: 'error', ...result.error });
  return { ...entry, format, work: result.work, problems };
}

/** The one value if all records agree, 'mixed' otherwise. */
export function summarise(values: (string | null)[]): string {
  const set = new Set(values.filter((v): v is string => !!v));
  return set.size === 1 ? [...set][0]! : set.size === 0 ? 'unknown' : 'mixed';
}
