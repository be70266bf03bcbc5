/**
 * MARC-8, the pre-Unicode character encoding of MARC 21: ASCII and ANSEL (Latin letters with
 * combining diacritics written BEFORE the base letter) plus other scripts switched in by escape
 * sequences. This decoder covers Basic Latin, ANSEL and the Basic and Extended Cyrillic sets —
 * the sets Russian and Kazakh records use. Characters of sets it does not know become U+FFFD
 * and are counted, so the importer can warn instead of silently losing letters.
 */

const ESC = 0x1b;

type CharSet = 'ascii' | 'ansel' | 'cyrillic' | 'cyrillic_ext' | 'unknown';

/** Final characters of the escape sequences that designate a graphic set. */
const FINALS: Record<string, CharSet> = { B: 'ascii', s: 'ascii', E: 'ansel', N: 'cyrillic', Q: 'cyrillic_ext' };

/** ANSEL spacing characters, by byte (0xA1–0xC8). */
const ANSEL_SPACING: Record<number, string> = {
  0xa1: 'Ł', 0xa2: 'Ø', 0xa3: 'Đ', 0xa4: 'Þ', 0xa5: 'Æ', 0xa6: 'Œ', 0xa7: 'ʹ', 0xa8: '·', 0xa9: '♭',
  0xaa: '®', 0xab: '±', 0xac: 'Ơ', 0xad: 'Ư', 0xae: 'ʼ', 0xb0: 'ʻ', 0xb1: 'ł', 0xb2: 'ø', 0xb3: 'đ',
  0xb4: 'þ', 0xb5: 'æ', 0xb6: 'œ', 0xb7: 'ʺ', 0xb8: 'ı', 0xb9: '£', 0xba: 'ð', 0xbc: 'ơ', 0xbd: 'ư',
  0xc0: '°', 0xc1: 'ℓ', 0xc2: '℗', 0xc3: '©', 0xc4: '♯', 0xc5: '¿', 0xc6: '¡', 0xc7: 'ß', 0xc8: '€',
};

/** ANSEL combining diacritics (0xE0–0xFE) as Unicode combining marks. */
const ANSEL_COMBINING: Record<number, string> = {
  0xe0: '\u0309', 0xe1: '\u0300', 0xe2: '\u0301', 0xe3: '\u0302', 0xe4: '\u0303', 0xe5: '\u0304',
  0xe6: '\u0306', 0xe7: '\u0307', 0xe8: '\u0308', 0xe9: '\u030c', 0xea: '\u030a', 0xeb: '\ufe20',
  0xec: '\ufe21', 0xed: '\u0315', 0xee: '\u030b', 0xef: '\u0310', 0xf0: '\u0327', 0xf1: '\u0328',
  0xf2: '\u0323', 0xf3: '\u0324', 0xf4: '\u0325', 0xf5: '\u0333', 0xf6: '\u0332', 0xf7: '\u0326',
  0xf8: '\u031c', 0xf9: '\u032e', 0xfa: '\ufe22', 0xfb: '\ufe23', 0xfe: '\u0313',
};

/** Basic Cyrillic (ISO 5427), positions 0x40–0x7E: lower case first, then upper case in the same order. */
const CYRILLIC_LOWER = 'юабцдефгхийклмнопярстужвьызшэщчъ';
const CYRILLIC_UPPER = 'ЮАБЦДЕФГХИЙКЛМНОПЯРСТУЖВЬЫЗШЭЩЧ';

/** Extended Cyrillic, positions 0x40–0x73. */
const CYRILLIC_EXT: Record<number, string> = {
  0x40: 'ґ', 0x41: 'ђ', 0x42: 'ѓ', 0x43: 'є', 0x44: 'ё', 0x45: 'ѕ', 0x46: 'і', 0x47: 'ї', 0x48: 'ј',
  0x49: 'љ', 0x4a: 'њ', 0x4b: 'ћ', 0x4c: 'ќ', 0x4d: 'ў', 0x4e: 'џ', 0x50: 'ѣ', 0x51: 'ѳ', 0x52: 'ѵ',
  0x53: 'ѫ', 0x60: 'Ґ', 0x61: 'Ђ', 0x62: 'Ѓ', 0x63: 'Є', 0x64: 'Ё', 0x65: 'Ѕ', 0x66: 'І', 0x67: 'Ї',
  0x68: 'Ј', 0x69: 'Љ', 0x6a: 'Њ', 0x6b: 'Ћ', 0x6c: 'Ќ', 0x6d: 'Ў', 0x6e: 'Џ', 0x6f: 'Ъ', 0x70: 'Ѣ',
  0x71: 'Ѳ', 0x72: 'Ѵ', 0x73: 'Ѫ',
};

function graphic(set: CharSet, code: number): string | undefined {
  // code is the 7-bit position 0x21–0x7E
  switch (set) {
    case 'ascii':
      return String.fromCharCode(code);
    case 'ansel':
      return code >= 0x60 ? ANSEL_COMBINING[code + 0x80] : ANSEL_SPACING[code + 0x80];
    case 'cyrillic':
      if (code < 0x40) return String.fromCharCode(code);
      return code < 0x60 ? CYRILLIC_LOWER[code - 0x40] : CYRILLIC_UPPER[code - 0x60];
    case 'cyrillic_ext':
      return CYRILLIC_EXT[code];
    default:
      return undefined;
  }
}

const isCombining = (ch: string) => /\p{M}/u.test(ch);

export interface Marc8Result {
  text: string;
  /** Characters from sets this decoder does not cover. */
  unknown: number;
}

export function decodeMarc8(bytes: Uint8Array): Marc8Result {
  let g0: CharSet = 'ascii';
  let g1: CharSet = 'ansel';
  let out = '';
  let pending = ''; // combining marks waiting for their base character
  let unknown = 0;
  const emit = (ch: string) => {
    if (isCombining(ch)) {
      pending += ch;
      return;
    }
    out += ch + pending;
    pending = '';
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === ESC) {
      const consumed = readEscape(bytes, i + 1);
      if (consumed.g0) g0 = consumed.g0;
      if (consumed.g1) g1 = consumed.g1;
      i += consumed.length;
      continue;
    }
    if (b < 0x21 || b === 0x7f) {
      emit(String.fromCharCode(b));
      continue;
    }
    if (b < 0x7f) {
      const ch = graphic(g0, b);
      if (ch === undefined) unknown++;
      emit(ch ?? '\ufffd');
      continue;
    }
    if (b >= 0xa1 && b <= 0xfe) {
      const ch = graphic(g1, b - 0x80);
      if (ch === undefined) unknown++;
      emit(ch ?? '\ufffd');
      continue;
    }
    unknown++;
    emit('\ufffd');
  }
  return { text: (out + pending).normalize('NFC'), unknown };
}

/** Reads an escape sequence after ESC; returns how many bytes it used and the sets it designates. */
function readEscape(bytes: Uint8Array, at: number): { length: number; g0?: CharSet; g1?: CharSet } {
  const c = String.fromCharCode(bytes[at] ?? 0);
  // ESC s / ESC g / ESC b / ESC p: technique 1, a G0 set in one byte
  if (c === 's') return { length: 1, g0: 'ascii' };
  if (c === 'g' || c === 'b' || c === 'p') return { length: 1, g0: 'unknown' };
  const f = String.fromCharCode(bytes[at + 1] ?? 0);
  if (c === '(' || c === ',') return { length: 2, g0: FINALS[f] ?? 'unknown' };
  if (c === ')' || c === '-') return { length: 2, g1: FINALS[f] ?? 'unknown' };
  if (c === '$') {
    // multibyte (CJK) sets: ESC $ F, ESC $ , F, ESC $ ) F
    const second = String.fromCharCode(bytes[at + 1] ?? 0);
    const target = second === ')' || second === '-' ? 'g1' : 'g0';
    const length = second === ',' || second === ')' || second === '-' ? 3 : 2;
    return { length, [target]: 'unknown' };
  }
  return { length: 0 };
}
