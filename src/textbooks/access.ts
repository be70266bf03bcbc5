
import { isValidGrade, normaliseClassLetter } from '../readers/classes.js';
import { invalid } from '../shared/errors.js';

/** A school year is written '2026-2027': two consecutive years. */
export function checkSchoolYear(value: string): string {
  const match = /^(\d{4})-(\d{4})$/.exec(value);
  if (!match || Number(match[2]) !== Number(match[1]) + 1) throw invalid('textbooks.bad_school_year', { value });
  return value;
}

export function previousSchoolYear(year: string): string {
  const first = Number(checkSchoolYear(year).slice(0, 4));
  return `${first - 1}-${first}`;
}

export function checkDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw invalid('textbooks.bad_date', { value });
  return value;
}


/** A class as the readers register stores it: grade 0–11 and one Kazakh capital letter ('5 ә' is 5 Ә). */
export function checkClass(grade: number, letter: string): { grade: number; classLetter: string } {
  const classLetter = normaliseClassLetter(letter);
  if (!isValidGrade(grade) || !classLetter) throw invalid('textbooks.bad_class', { grade, letter });
  return { grade, classLetter };
}
