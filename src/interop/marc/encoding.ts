import iconv from 'iconv-lite';
import { decodeMarc8 } from './marc8.js';

export const ENCODINGS = ['utf8', 'marc8', 'cp1251', 'cp866', 'kz1048'] as const;
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

const isAnselCombining = (b: number) => b >= 0xe0 && b <= 0xfe && b !== 0xfc && b !== 0xfd;
const isAnselSpacing = (b: number) => (b >= 0xa1 && b <= 0xc8 && b !== 0xaf && b !== 0xbb && b !== 0xbe && b !== 0xbf);
/** MARC-8's C1 controls: non-sort begin/end, joiner and non-joiner. */
const isMarc8Control = (b: number) => b === 0x88 || b === 0x89 || b === 0x8d || b === 0x8e;

interface Marc8Reading {
  /** Every byte is one MARC-8 allows where it stands. */
  legal: boolean;
  /** Escape sequences switching character sets: MARC-8 beyond doubt. */
  escapes: number;
  /** Combining marks, each followed by a base (or by more marks, stacked). */
  marks: number;
  /** Marks stacked three deep or more: possible, but rare in real records. */
  deepStacks: number;
}

/**
 * Reads bytes as MARC-8 would: ANSEL combining marks (0xE0–0xFE) stand BEFORE their base, which may
 * be a letter, a space, punctuation, an ANSEL letter such as ø or another mark; escape sequences
 * switch sets (after which the G1 bytes mean other letters, so legality is not judged there).
 */
function readAsMarc8(bytes: Uint8Array): Marc8Reading {
  let escapes = 0;
  let marks = 0;
  let deepStacks = 0;
  let stack = 0;
  let otherG1 = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x1b) {
      const next = bytes[i + 1] ?? 0;
      if ([0x28, 0x29, 0x2c, 0x2d, 0x24, 0x73, 0x67, 0x62, 0x70].includes(next)) {
        escapes++;
        const f = bytes[i + 2] ?? 0;
        if ((next === 0x29 || next === 0x2d || next === 0x24) && f !== 0x45) otherG1 = true;
        if ((next === 0x29 || next === 0x2d) && f === 0x45) otherG1 = false;
        continue;
      }
      return { legal: false, escapes, marks, deepStacks };
    }
    if (b < 0x80) {
      if (stack >= 3) deepStacks++;
      stack = 0;
      continue;
    }
    if (otherG1) continue;
    if (isAnselCombining(b)) {
      const next = bytes[i + 1];
      // a mark needs something after it: a field or subfield delimiter or the end is no base
      if (next === undefined || next === 0x1e || next === 0x1f || next === 0x1d) return { legal: false, escapes, marks, deepStacks };
      marks++;
      stack++;
      continue;
    }
    if (isAnselSpacing(b) || isMarc8Control(b)) {
      if (stack >= 3) deepStacks++;
      stack = 0;
      continue;
    }
    return { legal: false, escapes, marks, deepStacks };
  }
  return { legal: true, escapes, marks, deepStacks };
}

/** The most frequent Russian and Kazakh letters: text decoded in the right code page is full of them. */
const COMMON_LETTERS = new Set('оеаинтсрвлкмдпуяыьгзбчйжшюэхцщфОЕАИНТСРВЛКМДПУәқңөұүғіһӘҚҢӨҰҮҒІҺ');

function letterShare(text: string): number {
  let common = 0;
  let high = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) continue;
    high++;
    if (COMMON_LETTERS.has(ch)) common++;
  }
  return high ? common / high : 0;
}

/** Bytes where KZ-1048 has Kazakh letters and Windows-1251 Serbian and Macedonian ones (Ќ Ћ Ј Ѕ …). */
const KZ1048_ONLY = new Set([0x8d, 0x8e, 0x9d, 0x9e, 0xa3, 0xbc, 0xbd, 0xbe]);

/** KZ-1048 (STRK 1048-2002): Windows-1251 with Kazakh letters in place of others. */
const KZ1048: Record<number, string> = {
  0x8d: 'Қ', 0x8e: 'Һ', 0x9d: 'қ', 0x9e: 'һ', 0xa1: 'Ұ', 0xa2: 'ұ', 0xa3: 'Ә', 0xa5: 'Ө', 0xaa: 'Ғ', 0xaf: 'Ү',
  0xb4: 'ө', 0xba: 'ғ', 0xbc: 'ә', 0xbd: 'Ң', 0xbe: 'ң', 0xbf: 'ү',
};

function decodeKz1048(buffer: Buffer): string {
  let text = '';
  const cp1251 = iconv.decode(buffer, 'win1251');
  for (let i = 0; i < buffer.length; i++) text += KZ1048[buffer[i]!] ?? cp1251[i];
  return text;
}

export interface EncodingGuess {
  encoding: Encoding;
  /** 0–1: how far the bytes leave no other reading. */
  confidence: number;
  /** The record said it is Unicode (leader/09 'a') but its bytes are not UTF-8. */
  notUnicodeAsFlagged?: boolean;
}

/**
 * Which encoding a record's bytes are in, weighing the whole record: valid UTF-8 with letters
 * beyond ASCII is UTF-8 (8-bit text is almost never valid UTF-8 by chance); escape sequences make
 * MARC-8; otherwise MARC-8 must be legal throughout and look like it — marks standing alone before
 * their bases — while Cyrillic in a code page comes in runs of letters; the Cyrillic code pages are
 * told apart by how many common letters each decoding yields, and KZ-1048 by the Kazakh letters it
 * has where Windows-1251 has Serbian and Macedonian ones. `leader09` is the record's own claim
 * ('a' for Unicode), `has066` whether it names its character sets in field 066 (a MARC-8 habit).
 */
export function guessEncoding(bytes: Uint8Array, hints: { leader09?: string; has066?: boolean } = {}): EncodingGuess {
  const marc8 = readAsMarc8(bytes);
  const flaggedUnicode = hints.leader09 === 'a';
  // escape sequences are ASCII bytes: a record of ASCII and escapes is MARC-8 (Cyrillic in G0, say)
  if (marc8.legal && marc8.escapes > 0 && !flaggedUnicode) return { encoding: 'marc8', confidence: 0.99 };
  if (isAscii(bytes)) return { encoding: 'utf8', confidence: 1 };
  if (isValidUtf8(bytes)) return { encoding: 'utf8', confidence: flaggedUnicode ? 1 : 0.97 };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const mismatch = flaggedUnicode ? { notUnicodeAsFlagged: true } : {};
  if (marc8.legal && marc8.escapes > 0) return { encoding: 'marc8', confidence: 0.99, ...mismatch };
  // Runs of bytes ≥ 0x80: MARC-8 makes short ones (marks stacked before a base, an ANSEL letter);
  // Cyrillic in a code page makes whole words of them.
  let high = 0;
  let inWordRuns = 0;
  for (let i = 0; i < bytes.length; ) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    let j = i;
    while (j < bytes.length && bytes[j]! >= 0x80) j++;
    const run = bytes.subarray(i, j);
    high += run.length;
    const marksThenBase = run.length <= 3 && run.subarray(0, -1).every(isAnselCombining);
    if (!marksThenBase) inWordRuns += run.length;
    i = j;
  }
  const runShare = high ? inWordRuns / high : 0;
  const cp1251 = letterShare(iconv.decode(buffer, 'win1251'));
  const cp866 = letterShare(iconv.decode(buffer, 'cp866'));
  if (marc8.legal && marc8.marks > 0) {
    // MARC-8 marks stand alone before their bases; Cyrillic letters come in runs of a word
    const marc8Likeness = (1 - runShare) * (marc8.deepStacks ? 0.5 : 1) * (hints.has066 ? 1 : 0.95);
    const cyrillicLikeness = Math.max(cp1251, cp866) * runShare;
    if (marc8Likeness >= cyrillicLikeness) {
      return { encoding: 'marc8', confidence: round(0.5 + 0.5 * (marc8Likeness - cyrillicLikeness)), ...mismatch };
    }
  }
  const best = cp866 > cp1251 ? 'cp866' : 'cp1251';
  const margin = Math.abs(cp1251 - cp866);
  let encoding: Encoding = best;
  if (best === 'cp1251' && bytes.some((b) => KZ1048_ONLY.has(b))) encoding = 'kz1048';
  // the right code page reads as common letters nearly throughout; the wrong one leaves a third or more
  // as rare letters, box drawing or punctuation
  const confidence = round(Math.min(0.97, 0.5 + margin) * Math.min(1, Math.max(cp1251, cp866) / 0.9) * (marc8.legal ? 0.95 : 1));
  return { encoding, confidence, ...mismatch };
}

const round = (n: number) => Math.round(Math.max(0, Math.min(1, n)) * 100) / 100;

/** The encoding alone (see `guessEncoding`). */
export function detectEncoding(bytes: Uint8Array): Encoding {
  return guessEncoding(bytes).encoding;
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
    // MARC-8 writes a character outside its sets as a numeric character reference (&#x049A;)
    return { text: text.includes('&#') ? resolveNcrs(text) : text, lost: unknown };
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (encoding === 'utf8') {
    let text = buffer.toString('utf8');
    // decomposed letters (a base and a combining mark) are composed, as the catalogue stores them
    if (COMBINING.test(text)) text = text.normalize('NFC');
    return { text, lost: text.includes('\ufffd') ? countReplacements(text) : 0 };
  }
  if (encoding === 'kz1048') return { text: decodeKz1048(buffer), lost: 0 };
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

/** `&#x049A;` and `&#1178;` become the character they name. */
export function resolveNcrs(text: string): string {
  return text.replace(/&#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}));/g, (whole, hex: string | undefined, dec: string | undefined) => {
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}
