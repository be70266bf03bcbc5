import { decodeRange, guessEncoding, type Encoding } from './encoding.js';
import { isControlField, isControlTag, type DataField, type Field, type MarcRecord } from './record.js';

export const RECORD_TERMINATOR = 0x1d;
export const FIELD_TERMINATOR = 0x1e;
export const SUBFIELD_DELIMITER = 0x1f;

/** One record's bytes as found in the file, before it is read. */
export interface RawRecord {
  /** 1-based position in the file. */
  number: number;
  /** Byte offset of the record's first byte in the file. */
  offset: number;
  bytes: Uint8Array;
  /** False when the file ended before the record terminator. */
  terminated: boolean;
}

/** A problem found while reading, with the translation key the report shows. */
export interface ReadProblem {
  code: string;
  params?: Record<string, string | number>;
}

export type ReadResult =
  | { ok: true; record: MarcRecord; encoding: Encoding; warnings: ReadProblem[] }
  | { ok: false; error: ReadProblem };

/**
 * Splits an ISO 2709 file on the record terminator. Splitting ourselves (instead of trusting each
 * leader's length) means a record with a wrong length spoils only itself, not every record after it.
 */
export function* splitIso2709(file: Uint8Array): Generator<RawRecord> {
  let start = 0;
  let number = 0;
  while (start < file.length) {
    // line breaks and padding between records are common in files passed around by e-mail
    while (start < file.length && (file[start] === 0x0a || file[start] === 0x0d || file[start] === 0x20 || file[start] === 0x1a)) start++;
    if (start >= file.length) return;
    const end = file.indexOf(RECORD_TERMINATOR, start);
    number++;
    if (end === -1) {
      yield { number, offset: start, bytes: file.subarray(start), terminated: false };
      return;
    }
    yield { number, offset: start, bytes: file.subarray(start, end), terminated: true };
    start = end + 1;
  }
}

const digits = (bytes: Uint8Array, from: number, to: number): number | null => {
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i];
    if (b === undefined || b < 0x30 || b > 0x39) return null;
    n = n * 10 + (b - 0x30);
  }
  return n;
};

const ascii = (bytes: Uint8Array, from: number, to: number) => Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('latin1');

interface DirectoryEntry {
  tag: string;
  start: number;
  end: number; // exclusive, before the field terminator
}

/**
 * Reads one record (without its record terminator): leader, directory, fields, each field's
 * bytes decoded in the record's encoding — given, or from leader/09 'a' (UTF-8), or detected.
 */
/** Below this confidence the preview says the encoding is a guess, so the librarian can name it. */
const UNCERTAIN = 0.8;

export function readIso2709(raw: RawRecord, encodingHint?: Encoding): ReadResult {
  const bytes = raw.bytes;
  if (!raw.terminated) return { ok: false, error: { code: 'interop.truncated_record' } };
  if (bytes.length < 25) return { ok: false, error: { code: 'interop.record_too_short', params: { length: bytes.length } } };
  const declaredLength = digits(bytes, 0, 5);
  const base = digits(bytes, 12, 17);
  if (declaredLength === null || base === null || base < 25 || base > bytes.length || bytes[base - 1] !== FIELD_TERMINATOR) {
    return { ok: false, error: { code: 'interop.bad_leader', params: { leader: ascii(bytes, 0, 24) } } };
  }
  const warnings: ReadProblem[] = [];
  if (declaredLength !== bytes.length + 1) {
    warnings.push({ code: 'interop.length_mismatch', params: { declared: declaredLength, actual: bytes.length + 1 } });
  }
  const entries = readDirectory(bytes, base);
  if (!entries) return { ok: false, error: { code: 'interop.bad_directory' } };
  if (entries.repaired) warnings.push({ code: 'interop.directory_repaired' });

  const leader = ascii(bytes, 0, 24);
  let encoding: Encoding;
  if (encodingHint) encoding = encodingHint;
  else {
    // the whole record is weighed, not only leader/09: exporters flag MARC-8 or cp1251 records as Unicode
    const guess = guessEncoding(bytes.subarray(base), { leader09: leader[9], has066: entries.list.some((e) => e.tag === '066') });
    encoding = guess.encoding;
    if (guess.notUnicodeAsFlagged) warnings.push({ code: 'interop.flagged_unicode', params: { encoding } });
    else if (guess.confidence < UNCERTAIN) warnings.push({ code: 'interop.encoding_uncertain', params: { encoding, confidence: Math.round(guess.confidence * 100) } });
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let lost = 0;
  const fields: Field[] = [];
  for (const entry of entries.list) {
    const decoded = decodeRange(buffer, entry.start, entry.end, encoding);
    lost += decoded.lost;
    fields.push(parseField(entry.tag, decoded.text));
  }
  if (lost) warnings.push({ code: 'interop.characters_lost', params: { count: lost, encoding } });
  return { ok: true, record: { leader, fields }, encoding, warnings };
}

function readDirectory(bytes: Uint8Array, base: number): { list: DirectoryEntry[]; repaired: boolean } | null {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const directoryLength = base - 1 - 24;
  if (directoryLength % 12 !== 0) return null;
  const list: DirectoryEntry[] = [];
  let consistent = true;
  for (let at = 24; at < base - 1; at += 12) {
    const length = digits(bytes, at + 3, at + 7);
    const offset = digits(bytes, at + 7, at + 12);
    if (length === null || offset === null) return null;
    const start = base + offset;
    const end = start + length - 1;
    if (length < 1 || end >= bytes.length || bytes[end] !== FIELD_TERMINATOR) consistent = false;
    list.push({ tag: buffer.toString('latin1', at, at + 3), start, end });
  }
  if (consistent) return { list, repaired: false };
  // Lengths counted in characters instead of bytes (a common bug of exporters writing UTF-8):
  // the fields are still in directory order, each ending with a field terminator.
  const repaired: DirectoryEntry[] = [];
  let start = base;
  for (const entry of list) {
    const end = bytes.indexOf(FIELD_TERMINATOR, start);
    if (end === -1) return null;
    repaired.push({ tag: entry.tag, start, end });
    start = end + 1;
  }
  if (start < bytes.length && bytes.subarray(start).some((b) => b !== FIELD_TERMINATOR && b !== 0x20)) return null;
  return { list: repaired, repaired: true };
}

function parseField(tag: string, text: string): Field {
  if (isControlTag(tag)) return { tag, value: text };
  const parts = text.split('\x1f');
  const indicators = parts[0] ?? '';
  return {
    tag,
    ind1: indicators[0] ?? ' ',
    ind2: indicators[1] ?? ' ',
    subfields: parts.slice(1).map((p) => ({ code: p.slice(0, 1), value: p.slice(1) })),
  };
}

/**
 * Writes a record as ISO 2709 in UTF-8, setting leader/09 to 'a' and the lengths in bytes.
 */
/** A record ISO 2709 cannot hold (over 99,999 bytes, or a control field over 9,999): the export skips and reports it. */
export class RecordTooLongError extends Error {
  constructor(readonly bytes: number) {
    super(`record of ${bytes} bytes is too long for ISO 2709`);
    this.name = 'RecordTooLongError';
  }
}

const MAX_FIELD = 9999;
const MAX_RECORD = 99_999;

const fieldBytes = (field: DataField) => Buffer.byteLength(`${field.ind1}${field.ind2}` + field.subfields.map((s) => `\x1f${s.code}${s.value}`).join('') + '\x1e', 'utf8');

/** Cuts text into pieces of at most `max` UTF-8 bytes, never inside a character. */
function piecesOf(text: string, max: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > max) {
      pieces.push(piece);
      piece = '';
      bytes = 0;
    }
    piece += ch;
    bytes += n;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/**
 * A data field longer than ISO 2709's 9,999 bytes becomes repeated fields of the same tag, its
 * subfields kept in order; a single subfield longer than that is continued in the next field.
 */
export function splitLongField(field: DataField): DataField[] {
  if (fieldBytes(field) <= MAX_FIELD) return [field];
  const room = MAX_FIELD - 3 - 1; // indicators and the field terminator
  const out: DataField[] = [];
  let current: DataField = { ...field, subfields: [] };
  let used = 0;
  for (const sub of field.subfields) {
    for (const value of piecesOf(sub.value, room - 2)) {
      const n = 2 + Buffer.byteLength(value, 'utf8');
      if (used + n > room && current.subfields.length) {
        out.push(current);
        current = { ...field, subfields: [] };
        used = 0;
      }
      current.subfields.push({ code: sub.code, value });
      used += n;
    }
  }
  if (current.subfields.length) out.push(current);
  return out;
}

export function writeIso2709(record: MarcRecord): Buffer {
  const bodies: Buffer[] = [];
  let directory = '';
  let offset = 0;
  const fields = record.fields.flatMap((f): Field[] => (isControlField(f) ? [f] : splitLongField(f)));
  for (const field of fields) {
    const text = isControlField(field)
      ? field.value
      : `${field.ind1}${field.ind2}` + field.subfields.map((s) => `\x1f${s.code}${s.value}`).join('');
    const body = Buffer.from(text + '\x1e', 'utf8');
    if (body.length > MAX_FIELD) throw new RecordTooLongError(body.length);
    directory += field.tag.padEnd(3, ' ').slice(0, 3) + String(body.length).padStart(4, '0') + String(offset).padStart(5, '0');
    bodies.push(body);
    offset += body.length;
  }
  const base = 24 + directory.length + 1;
  const total = base + offset + 1;
  if (total > MAX_RECORD) throw new RecordTooLongError(total);
  const leader = record.leader.padEnd(24, ' ').split('');
  leader.splice(0, 5, ...String(total).padStart(5, '0'));
  leader[9] = 'a';
  leader[10] = '2';
  leader[11] = '2';
  leader.splice(12, 5, ...String(base).padStart(5, '0'));
  leader.splice(20, 4, '4', '5', '0', '0');
  return Buffer.concat([Buffer.from(leader.join('') + directory + '\x1e', 'latin1'), ...bodies, Buffer.from([RECORD_TERMINATOR])]);
}
