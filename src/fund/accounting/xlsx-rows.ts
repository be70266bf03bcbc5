/**
 * The rows of the first sheet of an XLSX workbook, as text, read as a stream: the zip's central directory is read
 * for the places of its parts, the sheet is inflated and parsed as it is read (saxes), and only the workbook's shared
 * strings are held whole (a sheet names each of them by number).
 *
 * Why not exceljs's streaming WorkbookReader, which the template reader used: it decodes each 16 KB chunk of a sheet
 * on its own (exceljs 4.4, utils/parse-sax.js: `TextDecoder.decode(chunk)` without `{ stream: true }`), so a Kazakh
 * or Russian letter cut by a chunk boundary came back as U+FFFD — about one cell in a hundred of a large Kazakh sheet
 * (exceljs issues 2084 and 2316, fixes not released); and it builds a row and cell object model that cost 12 s of
 * CPU for a 60,000-row template, more than booking the fund itself. A template needs only each cell's text.
 */
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { SaxesParser, type SaxesTagPlain } from 'saxes';

interface ZipEntry {
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The entries of a zip file by name, from its central directory (zip64 is not needed for a spreadsheet). */
async function zipEntries(handle: fs.promises.FileHandle): Promise<Map<string, ZipEntry>> {
  const { size } = await handle.stat();
  const tailLength = Math.min(size, 65_557); // the end record (22 bytes) and a comment of at most 65,535
  const tail = Buffer.alloc(tailLength);
  await handle.read(tail, 0, tailLength, size - tailLength);
  let end = -1;
  for (let i = tailLength - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip file');
  const count = tail.readUInt16LE(end + 10);
  const directorySize = tail.readUInt32LE(end + 12);
  const directoryOffset = tail.readUInt32LE(end + 16);
  const directory = Buffer.alloc(directorySize);
  await handle.read(directory, 0, directorySize, directoryOffset);
  const entries = new Map<string, ZipEntry>();
  for (let at = 0, n = 0; n < count && at + 46 <= directory.length; n++) {
    if (directory.readUInt32LE(at) !== CENTRAL) throw new Error('broken zip directory');
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
    entries.set(name, {
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      localHeaderOffset: directory.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** A part of the zip as a stream of text: inflated, and decoded from UTF-8 across its chunks. */
async function partText(file: string, handle: fs.promises.FileHandle, entry: ZipEntry): Promise<AsyncIterable<string>> {
  const header = Buffer.alloc(30);
  await handle.read(header, 0, 30, entry.localHeaderOffset);
  if (header.readUInt32LE(0) !== LOCAL) throw new Error('broken zip entry');
  const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const raw: Readable = entry.compressedSize
    ? fs.createReadStream(file, { start, end: start + entry.compressedSize - 1 })
    : Readable.from([]);
  if (entry.method !== 0 && entry.method !== 8) throw new Error(`zip compression method ${entry.method} is not supported`);
  const bytes = entry.method === 8 ? raw.pipe(zlib.createInflateRaw()) : raw;
  raw.on('error', (err) => bytes.destroy(err));
  return (async function* () {
    const decoder = new StringDecoder('utf8');
    for await (const chunk of bytes) yield decoder.write(chunk as Buffer);
    const rest = decoder.end();
    if (rest) yield rest;
  })();
}

/** Parses XML text as it comes, handing each batch of events over between chunks. */
async function* xmlEvents(text: AsyncIterable<string>, handle: (parser: SaxesParser) => void): AsyncGenerator<void> {
  const parser = new SaxesParser();
  let error: Error | undefined;
  parser.on('error', (err) => {
    error ??= err;
  });
  handle(parser);
  for await (const chunk of text) {
    parser.write(chunk);
    if (error) throw error;
    yield;
  }
  parser.close();
  if (error) throw error;
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

async function wholeText(text: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of text) all += chunk;
  return all;
}

/** The path in the zip of the workbook's first sheet, from workbook.xml and its relationships. */
async function firstSheetPath(file: string, handle: fs.promises.FileHandle, entries: Map<string, ZipEntry>): Promise<string> {
  const workbook = entries.get('xl/workbook.xml');
  const rels = entries.get('xl/_rels/workbook.xml.rels');
  if (workbook && rels) {
    const id = /<(?:\w+:)?sheet\b[^>]*\br:id="([^"]+)"/.exec(await wholeText(await partText(file, handle, workbook)))?.[1];
    const relsXml = await wholeText(await partText(file, handle, rels));
    for (const m of relsXml.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
      if (id && new RegExp(`\\bId="${id}"`).test(m[0])) {
        const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1];
        if (target) return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
      }
    }
  }
  return 'xl/worksheets/sheet1.xml';
}

/** The workbook's shared strings (plain or rich text, without phonetic runs), in order. */
async function sharedStrings(file: string, handle: fs.promises.FileHandle, entry: ZipEntry | undefined): Promise<string[]> {
  const strings: string[] = [];
  if (!entry) return strings;
  let current: string | null = null;
  let inText = false;
  let phonetic = 0;
  const events = xmlEvents(await partText(file, handle, entry), (p) => {
    p.on('opentag', (tag) => {
      const name = local(tag.name);
      if (name === 'si') current = '';
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && !phonetic) inText = true;
    });
    p.on('closetag', (tag) => {
      const name = local(tag.name);
      if (name === 'si') {
        strings.push(current ?? '');
        current = null;
      } else if (name === 'rPh') phonetic--;
      else if (name === 't') inText = false;
    });
    p.on('text', (text) => {
      if (inText && current !== null) current += text;
    });
  });
  for await (const _ of events);
  return strings;
}

/** «AB12» → 27 (0-based column 27). */
function columnOf(ref: string | undefined, fallback: number): number {
  if (!ref) return fallback;
  let n = 0;
  for (const ch of ref) {
    const code = ch.charCodeAt(0);
    if (code < 65 || code > 90) break;
    n = n * 26 + (code - 64);
  }
  return n ? n - 1 : fallback;
}

/** The text of a cell as the template reads it: a shared or inline string, a number as JavaScript writes it. */
function cellValue(type: string | undefined, value: string, inline: string, shared: string[]): string {
  switch (type) {
    case 's':
      return shared[Number(value)] ?? '';
    case 'inlineStr':
      return inline;
    case 'b':
      return value === '1' ? 'true' : 'false';
    case 'str':
    case 'e':
      return value;
    case 'd':
      return value.slice(0, 10);
    default: {
      // a number: a price, a year, or a date kept as days since 30.12.1899 (readDate knows them)
      const n = Number(value);
      return value === '' || Number.isNaN(n) ? value : String(n);
    }
  }
}

/** The rows of the first sheet that have a cell: their number in the sheet and their cells' text by column. */
export async function* xlsxRows(file: string): AsyncGenerator<{ row: number; cells: string[] }> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const entries = await zipEntries(handle);
    const shared = await sharedStrings(file, handle, entries.get('xl/sharedStrings.xml'));
    const sheet = entries.get(await firstSheetPath(file, handle, entries));
    if (!sheet) return;
    const ready: { row: number; cells: string[] }[] = [];
    let row: { row: number; cells: string[] } | null = null;
    let lastRow = 0;
    let cell: { column: number; type: string | undefined } | null = null;
    let value = '';
    let inline = '';
    let into: 'v' | 't' | null = null;
    const events = xmlEvents(await partText(file, handle, sheet), (p) => {
      p.on('opentag', (tag: SaxesTagPlain) => {
        const name = local(tag.name);
        if (name === 'row') {
          lastRow = Number(tag.attributes.r) || lastRow + 1;
          row = { row: lastRow, cells: [] };
        } else if (name === 'c' && row) {
          cell = { column: columnOf(tag.attributes.r, row.cells.length), type: tag.attributes.t };
          value = '';
          inline = '';
        } else if (cell && name === 'v') into = 'v';
        else if (cell && name === 't') into = 't';
      });
      p.on('text', (text) => {
        if (into === 'v') value += text;
        else if (into === 't') inline += text;
      });
      p.on('closetag', (tag) => {
        const name = local(tag.name);
        if (name === 'v' || name === 't') into = null;
        else if (name === 'c' && cell && row) {
          row.cells[cell.column] = cellValue(cell.type, value, inline, shared);
          cell = null;
        } else if (name === 'row' && row) {
          if (row.cells.some((c) => c)) ready.push(row); // a row of empty, formatted cells is no row
          row = null;
        }
      });
    });
    for await (const _ of events) {
      yield* ready;
      ready.length = 0;
    }
    yield* ready;
  } finally {
    await handle.close();
  }
}
