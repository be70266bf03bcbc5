import iconv from 'iconv-lite';
import { decodeMarc8 } from './marc8.js';

export const ENCODINGS = ['utf8', 'marc8', 'cp1251', 'cp866'] as const;
export type Encoding = (typeof ENCODINGS)[number];

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const isAscii = (bytes: Uint8Array) => bytes.every((b) => b < 0x80);

/** ANSEL combining marks (0xE0–0xFE) stand before a letter; an escape sequence switches sets. */
function looksLikeMarc8(bytes: Uint8Array): boolean {
  let evidence = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x1b && [0x28, 0x29, 0x2c, 0x2d, 0x24, 0x73].includes(bytes[i + 1] ?? 0)) return true;
    if (b >= 0xe1 && b <= 0xfe) {
      const next = bytes[i + 1] ?? 0;
      if ((next >= 0x41 && next <= 0x5a) || (next >= 0x61 && next <= 0x7a)) evidence++;
      else return false;
    } else if (b >= 0x80 && !(b >= 0xa1 && b <= 0xc8)) return false;
  }
  return evidence > 0;
}

/** The most frequent Russian and Kazakh letters: text decoded in the right code page is full of them. */
const COMMON_LETTERS = new Set('оеаинтсрвлкмдпуяыьгзбчйжшюэхцщфОЕАИНТСРВЛКМДПУ');

function letterScore(text: string): number {
  let score = 0;
  for (const ch of text) if (COMMON_LETTERS.has(ch)) score++;
  return score;
}

/**
 * Which encoding a record's bytes are in: valid UTF-8 is UTF-8 (8-bit Cyrillic text is almost
 * never valid UTF-8 by chance), MARC-8 shows itself by escape sequences and diacritics before
 * Latin letters, and the two Cyrillic code pages are told apart by how many common letters
 * each decoding yields.
 */
export function detectEncoding(bytes: Uint8Array): Encoding {
  if (looksLikeMarc8(bytes)) return 'marc8';
  if (isAscii(bytes) || isValidUtf8(bytes)) return 'utf8';
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return letterScore(iconv.decode(buffer, 'cp866')) > letterScore(iconv.decode(buffer, 'win1251')) ? 'cp866' : 'cp1251';
}

const COMBINING = /[\u0300-\u036f]/;

export interface Decoded {
  text: string;
  /** Characters that could not be decoded (replacement characters). */
  lost: number;
}

export function decodeBytes(bytes: Uint8Array, encoding: Encoding): Decoded {
  if (encoding === 'marc8') {
    const { text, unknown } = decodeMarc8(bytes);
    return { text, lost: unknown };
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (encoding === 'utf8') {
    let text = buffer.toString('utf8');
    // decomposed letters (a base and a combining mark) are composed, as the catalogue stores them
    if (COMBINING.test(text)) text = text.normalize('NFC');
    return { text, lost: text.includes('\ufffd') ? countReplacements(text) : 0 };
  }
  return { text: iconv.decode(buffer, encoding === 'cp1251' ? 'win1251' : 'cp866'), lost: 0 };
}

/**
 * `decodeBytes` of `buffer[start, end)` without making a view of each field first: a record's
 * fields are decoded straight from the record's buffer (the same text, less garbage).
 */
export function decodeRange(buffer: Buffer, start: number, end: number, encoding: Encoding): Decoded {
  if (encoding !== 'utf8') return decodeBytes(buffer.subarray(start, end), encoding);
  let text = buffer.toString('utf8', start, end);
  if (COMBINING.test(text)) text = text.normalize('NFC');
  return { text, lost: text.includes('\ufffd') ? countReplacements(text) : 0 };
}

function countReplacements(text: string): number {
  let n = 0;
  for (const ch of text) if (ch === '\ufffd') n++;
  return n;
}
