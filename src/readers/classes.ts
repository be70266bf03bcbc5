/**
 * School classes: a grade (0 for pre-school, 1–11) and an optional parallel letter.
 * Letters are the capital letters of the Kazakh Cyrillic alphabet, which includes the
 * Russian one; Latin look-alikes typed on the wrong keyboard layout are taken as Cyrillic.
 */

export const KAZAKH_LETTERS = 'АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ';
export const MIN_GRADE = 0;
export const MAX_GRADE = 11;

const LATIN_LOOKALIKES: Record<string, string> = {
  A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', I: 'І', K: 'К', M: 'М', O: 'О', P: 'Р', T: 'Т', X: 'Х', Y: 'У',
};

export interface SchoolClass {
  grade: number;
  classLetter: string | null;
}

/** The class letter in its stored form (one Kazakh capital letter), or undefined if it is not one. */
export function normaliseClassLetter(letter: string): string | undefined {
  const upper = letter.trim().toUpperCase();
  const cyrillic = LATIN_LOOKALIKES[upper] ?? upper;
  return cyrillic.length === 1 && KAZAKH_LETTERS.includes(cyrillic) ? cyrillic : undefined;
}

export function isValidGrade(grade: number): boolean {
  return Number.isInteger(grade) && grade >= MIN_GRADE && grade <= MAX_GRADE;
}

/**
 * Reads a class as rosters write it: «5Ә», «5 А», «5-Б», «11В», «5 "А"», «7», «5Ә сынып», «5 А класс».
 * Returns undefined when the text is not a class.
 */
export function parseClassName(text: string): SchoolClass | undefined {
  const cleaned = text
    .replace(/(сынып[ы]?|класс|class|grade)/giu, ' ')
    .replace(/["'«»“”„`.]/g, ' ')
    .trim();
  const match = /^(\d{1,2})\s*[-–—/\s]?\s*(\p{L})?$/u.exec(cleaned);
  if (!match) return undefined;
  const grade = Number(match[1]);
  if (!isValidGrade(grade)) return undefined;
  if (match[2] === undefined) return { grade, classLetter: null };
  const classLetter = normaliseClassLetter(match[2]);
  return classLetter ? { grade, classLetter } : undefined;
}

/** «5Ә», «11», or null for a reader outside the classes (a teacher, a parent). */
export function formatClassName(grade: number | null, classLetter: string | null): string | null {
  if (grade === null) return null;
  return `${grade}${classLetter ?? ''}`;
}
