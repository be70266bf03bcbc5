/**
 * A USB scanner types a barcode as key presses. When the desk's keyboard layout is Russian or
 * Kazakh, the same keys come out as Cyrillic letters (and, in the Kazakh layout, the number row
 * gives Kazakh letters instead of digits). This maps such text back to what the keys say on a
 * Latin (US) layout.
 */
const RUSSIAN_LETTER_KEYS: Record<string, string> = {
  й: 'q', ц: 'w', у: 'e', к: 'r', е: 't', н: 'y', г: 'u', ш: 'i', щ: 'o', з: 'p', х: '[', ъ: ']',
  ф: 'a', ы: 's', в: 'd', а: 'f', п: 'g', р: 'h', о: 'j', л: 'k', д: 'l', ж: ';', э: "'",
  я: 'z', ч: 'x', с: 'c', м: 'v', и: 'b', т: 'n', ь: 'm', б: ',', ю: '.', ё: '`',
};

/**
 * The Kazakh layout puts its own letters on the number row: 2 ә, 3 і, 4 ң, 5 ғ, 8 ү, 9 ұ, 0 қ,
 * - ө, = һ; 1 gives '"', 6 ',' and 7 '.'. Our codes are digits only, so those three go back to digits.
 */
const KAZAKH_NUMBER_ROW: Record<string, string> = {
  '"': '1', ә: '2', і: '3', ң: '4', ғ: '5', ',': '6', '.': '7', ү: '8', ұ: '9', қ: '0', ө: '-', һ: '=',
};

function keyOf(ch: string): string {
  const lower = ch.toLowerCase();
  const mapped = KAZAKH_NUMBER_ROW[lower] ?? RUSSIAN_LETTER_KEYS[lower];
  if (mapped === undefined) return ch;
  return ch !== lower ? mapped.toUpperCase() : mapped;
}

/** The code as it would read on a Latin layout; unchanged when nothing in it is layout-dependent. */
export function fromCyrillicLayout(code: string): string {
  return Array.from(code, keyOf).join('');
}
