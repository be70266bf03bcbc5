import anyAscii from 'any-ascii';

/**
 * Cross-script search folding for Kazakh and Russian.
 *
 * A title or a name may be typed in Kazakh Cyrillic, in any of the Kazakh Latin
 * alphabets (2017 with apostrophes, 2018 with acute accents, 2021 with Ä Ö Ü Ğ Ş Ū),
 * in BGN/PCGN romanisation, or on a Russian keyboard with no Kazakh letters.
 * All of them fold to one coarse Latin skeleton, so «Құнанбайұлы», «Кунанбайулы»,
 * «Qunanbaiuly», «Qu'nanbaiu'ly» and «Qūnanbaiūly» give the same key.
 * The key is lossy on purpose: it is for finding, never for display.
 */

const CYRILLIC: Record<string, string> = {
  а: 'a', ә: 'a', б: 'b', в: 'v', г: 'g', ғ: 'g', д: 'd', е: 'e', ё: 'e', ж: 'j', з: 'z',
  и: 'i', й: 'i', і: 'i', к: 'k', қ: 'k', л: 'l', м: 'm', н: 'n', ң: 'n', о: 'o', ө: 'o',
  п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'u', ү: 'u', ф: 'f', х: 'h', һ: 'h', ц: 'ts',
  ч: 'ch', ш: 'sh', щ: 'sh', ъ: '', ы: 'i', ь: '', э: 'e', ю: 'iu', я: 'ia',
  // Cyrillic letters of neighbouring languages seen in imported records
  ї: 'i', є: 'e', ў: 'u', ґ: 'g',
};

// Latin letters whose diacritics carry a different sound, mapped before the accents go.
// In the 2018 alphabet ý is У, so it folds with Cyrillic у, not with y (Ы).
const LATIN_SPECIAL: Record<string, string> = {
  ş: 'sh', ș: 'sh', š: 'sh', ç: 'ch', č: 'ch', ž: 'j', ı: 'i', ñ: 'n', ń: 'n', ǵ: 'g', ğ: 'g',
  ä: 'a', á: 'a', ö: 'o', ó: 'o', ü: 'u', ú: 'u', ū: 'u', ý: 'u', ī: 'i', é: 'e',
};

// 2017 alphabet: a letter followed by an apostrophe is a separate letter; y' is У (plain y is Ы).
const APOSTROPHE_2017: Record<string, string> = { s: 'sh', c: 'ch', g: 'g', n: 'n', a: 'a', o: 'o', u: 'u', i: 'i', y: 'u' };

const APOSTROPHES = /[\u0027\u2019\u2018\u02BC\u02B9\u0060\u00B4]/;

// Marks are dropped where they only decorate a letter (Latin accents, Greek tonos, Arabic and Hebrew
// vowel points); in the scripts of South and South-East Asia they are vowels and stay.
const DECORATING_MARK = /([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Script=Georgian}\p{Script=Arabic}\p{Script=Hebrew}])\p{M}+/gu;
const ARABIC_HEBREW_MARK = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0591-\u05C7]/g;

/**
 * Russian and Kazakh surnames as a passport spells them in Latin: «Жұмабаев» is "Zhumabayev",
 * «Әлиев» "Aliyev". The y that marks the Cyrillic е after a vowel goes, so both meet.
 */
const PASSPORT_ENDING = /([aeiou])i(ev|eva|evich|evna)\b/g;

/**
 * Folds one piece of text to its search key: lowercase, words separated by single spaces.
 * Kazakh and Russian, in any script, meet in one coarse Latin skeleton; letters of every other
 * script keep their identity (case-folded, without decorating marks), so a Greek or Armenian name
 * never folds to nothing.
 */
export function foldForSearch(text: string | null | undefined): string {
  if (!text) return '';
  const lower = text.normalize('NFC').toLowerCase().replace(/ς/g, 'σ');
  let out = '';
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i]!;
    const next = lower[i + 1];
    if (next !== undefined && APOSTROPHES.test(next) && APOSTROPHE_2017[ch] !== undefined && /[a-z]/.test(ch)) {
      out += APOSTROPHE_2017[ch];
      i++;
      continue;
    }
    const cyr = CYRILLIC[ch];
    if (cyr !== undefined) {
      out += cyr;
      continue;
    }
    const special = LATIN_SPECIAL[ch];
    if (special !== undefined) {
      out += special;
      continue;
    }
    out += ch;
  }
  out = out
    .normalize('NFD')
    .replace(DECORATING_MARK, '$1')
    .replace(ARABIC_HEBREW_MARK, '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ');
  // Merge the spellings that different romanisations use for one sound (Latin letters only).
  out = out
    .replace(/zh/g, 'j')
    .replace(/kh/g, 'h')
    .replace(/gh/g, 'g')
    .replace(/q/g, 'k')
    .replace(/w/g, 'u')
    .replace(/x/g, 'h')
    .replace(/y/g, 'i')
    .replace(/c(?!h)/g, 'ts')
    .replace(/ng/g, 'n')
    .replace(PASSPORT_ENDING, '$1$2');
  return out.trim().replace(/\s+/g, ' ');
}

const OTHER_SCRIPT = /[^\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Common}\p{Script=Inherited}]/u;

/**
 * A Latin transliteration of the words written in scripts other than Latin and Cyrillic, folded,
 * so that "Aristoteles" finds «Ἀριστοτέλης»; empty when there are none.
 */
export function transliterationKey(text: string | null | undefined): string {
  if (!text || !OTHER_SCRIPT.test(text)) return '';
  const words = text.split(/\s+/).filter((w) => OTHER_SCRIPT.test(w));
  return foldForSearch(anyAscii(words.join(' ')));
}

/** The words of a search query, folded; empty words dropped. */
export function foldQuery(query: string): string[] {
  return foldForSearch(query).split(' ').filter(Boolean);
}

/** A search key for several fields at once (title, authors, ISBN, ...). */
export function searchKey(...parts: (string | null | undefined)[]): string {
  return parts
    .flatMap((p) => [foldForSearch(p), transliterationKey(p)])
    .filter(Boolean)
    .join(' ');
}

const KAZAKH_ALPHABET = 'аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя';

/**
 * A sort key that orders text the Kazakh way (А Ә Б В Г Ғ … Ө … Ұ Ү … І …) on any
 * database: PGlite ignores ICU collations, so the order is computed here and stored.
 * Every character becomes three digits, so the key sorts the same under any collation:
 * word break < digits < Kazakh/Russian Cyrillic < Latin < anything else.
 */
export function kazakhSortKey(text: string | null | undefined, maxChars = 80): string {
  if (!text) return '';
  let key = '';
  let chars = 0;
  let space = false;
  for (const raw of text.toLowerCase().normalize('NFC')) {
    if (chars >= maxChars) break;
    let code: number;
    const pos = KAZAKH_ALPHABET.indexOf(raw);
    if (pos >= 0) code = 200 + pos;
    else if (raw >= '0' && raw <= '9') code = 100 + Number(raw);
    else if (raw >= 'a' && raw <= 'z') code = 300 + raw.charCodeAt(0) - 97;
    else if (/\p{L}/u.test(raw)) {
      const base = raw.normalize('NFD')[0]!;
      code = base >= 'a' && base <= 'z' ? 300 + base.charCodeAt(0) - 97 : 900;
    } else {
      // punctuation and spaces collapse into one word break, leading ones vanish
      if (key && !space) {
        key += '000';
        space = true;
      }
      continue;
    }
    key += String(code);
    space = false;
    chars++;
  }
  return space ? key.slice(0, -3) : key;
}
