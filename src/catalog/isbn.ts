import ISBN from 'isbn3';
import { invalid } from '../shared/errors.js';

export interface NormalisedIsbn {
  /** 13 digits, no hyphens: what is stored and compared. */
  isbn13: string;
  /** Hyphenated for display, when the registration group is known. */
  hyphenated: string;
}

/**
 * Validates an ISBN-10 or ISBN-13 typed or scanned in any form (hyphens, spaces, a trailing x)
 * and returns its ISBN-13. isbn3 knows the registration ranges (group 601 is Kazakhstan);
 * a number with a correct check digit from a range isbn3 does not know yet is still accepted.
 */
export function parseIsbn(input: string): NormalisedIsbn | null {
  const compact = input.replace(/[\s\-‐–]/g, '').toUpperCase().replace(/^ISBN:?/, '');
  const parsed = ISBN.parse(compact);
  if (parsed?.isValid && parsed.isbn13) return { isbn13: parsed.isbn13, hyphenated: parsed.isbn13h ?? parsed.isbn13 };
  if (/^97[89]\d{10}$/.test(compact) && checkDigit13(compact.slice(0, 12)) === compact[12]) {
    return { isbn13: compact, hyphenated: compact };
  }
  if (/^\d{9}[\dX]$/.test(compact) && checkDigit10(compact.slice(0, 9)) === compact[9]) {
    const body = `978${compact.slice(0, 9)}`;
    const isbn13 = body + checkDigit13(body);
    return { isbn13, hyphenated: isbn13 };
  }
  return null;
}

/** As parseIsbn, but an invalid ISBN is a translated 400 error. Empty input means "no ISBN". */
export function normaliseIsbn(input: string | null | undefined): string | null {
  if (input == null || input.trim() === '') return null;
  const parsed = parseIsbn(input);
  if (!parsed) throw invalid('catalog.invalid_isbn', { isbn: input.trim() });
  return parsed.isbn13;
}

function checkDigit13(twelve: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelve[i]) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

function checkDigit10(nine: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  const c = (11 - (sum % 11)) % 11;
  return c === 10 ? 'X' : String(c);
}
