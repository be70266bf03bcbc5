import { insertReader, issueReaderNumbers, type ReaderInput } from '../readers/readers.js';
import type { Executor } from '../db/executor.js';
import { makePerson, mobilePhone } from './names.js';
import type { Random } from './random.js';

export interface SchoolClass {
  grade: number;
  letter: string;
  size: number;
  /** Russian-medium classes read and take textbooks in Russian. */
  language: 'kaz' | 'rus';
}

export interface DemoReader {
  id: number;
  kind: 'student' | 'teacher' | 'staff';
  grade: number | null;
  letter: string | null;
}

export interface SchoolPlan {
  classes: SchoolClass[];
  teachers: number;
  staff: number;
}

/**
 * Classes of a school. Letters А, Ә, Б in every grade, a Russian-medium В in grades 1–9 and a
 * fourth first-to-fourth-grade parallel Г where the town has grown; 25–32 children a class.
 */
export function fullSchoolPlan(rng: Random): SchoolPlan {
  const classes: SchoolClass[] = [];
  for (let grade = 1; grade <= 11; grade++) {
    const letters = grade <= 4 ? ['А', 'Ә', 'Б', 'В', 'Г'] : grade <= 9 ? ['А', 'Ә', 'Б', 'В'] : ['А', 'Ә', 'Б'];
    for (const letter of letters) {
      classes.push({ grade, letter, size: grade >= 10 ? rng.int(20, 26) : rng.int(25, 32), language: letter === 'В' ? 'rus' : 'kaz' });
    }
  }
  return { classes, teachers: 67, staff: 3 };
}

/** A few classes of a few children: enough to try every screen, quick to load in browser tests. */
export function smallSchoolPlan(): SchoolPlan {
  const classes: SchoolClass[] = [
    { grade: 1, letter: 'А', size: 6, language: 'kaz' },
    { grade: 3, letter: 'В', size: 6, language: 'rus' },
    { grade: 5, letter: 'А', size: 8, language: 'kaz' },
    { grade: 5, letter: 'Ә', size: 8, language: 'kaz' },
    { grade: 7, letter: 'Б', size: 6, language: 'kaz' },
    { grade: 9, letter: 'В', size: 6, language: 'rus' },
    { grade: 11, letter: 'А', size: 6, language: 'kaz' },
  ];
  return { classes, teachers: 5, staff: 1 };
}

/** A neighbouring school in the district, smaller, for the methodologist to compare with. */
export function neighbourSchoolPlan(rng: Random, small: boolean): SchoolPlan {
  const classes: SchoolClass[] = [5, 6, 7].map((grade) => ({ grade, letter: 'А', size: small ? 2 : rng.int(8, 12), language: 'kaz' }));
  return { classes, teachers: small ? 1 : 4, staff: 0 };
}

/** The school year that contains `today` starts on 1 September of this year. */
export function schoolYearStart(today: string): number {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return m >= 9 ? y : y - 1;
}

function birthDate(rng: Random, grade: number, yearStart: number): string {
  // First-graders turn 6 or 7 by 1 September; each grade above is a year older.
  const born = Date.UTC(yearStart - 7 - grade, 8, 1) + rng.next() * 365 * 86_400_000;
  return new Date(born).toISOString().slice(0, 10);
}

function studentInput(rng: Random, c: SchoolClass, yearStart: number): ReaderInput {
  const person = makePerson(rng, { russianShare: c.language === 'rus' ? 0.6 : 0.08, child: true });
  return {
    kind: 'student',
    lastName: person.lastName,
    firstName: person.firstName,
    middleName: person.middleName,
    grade: c.grade,
    classLetter: c.letter,
    birthDate: birthDate(rng, c.grade, yearStart),
    parentName: person.parentName,
    parentPhone: mobilePhone(rng),
  };
}

function adultInput(rng: Random, kind: 'teacher' | 'staff'): ReaderInput {
  const person = makePerson(rng, { russianShare: 0.2, child: false, female: rng.chance(0.8) });
  return {
    kind,
    lastName: person.lastName,
    firstName: person.firstName,
    middleName: person.middleName,
    phone: mobilePhone(rng),
  };
}

/**
 * Registers the school's readers through the readers area's insertReader, with registration
 * numbers and card barcodes issued a class at a time; a class is registered in the year it
 * started school, so its numbers read «2019-00123».
 */
export async function registerReaders(trx: Executor, organisationId: number, rng: Random, plan: SchoolPlan, today: string): Promise<DemoReader[]> {
  const yearStart = schoolYearStart(today);
  const readers: DemoReader[] = [];
  const register = async (inputs: ReaderInput[], year: number, grade: number | null, letter: string | null) => {
    const numbers = await issueReaderNumbers(trx, organisationId, inputs.length, year);
    for (const [i, input] of inputs.entries()) {
      const row = await insertReader(trx, organisationId, { ...input, ...numbers[i]! });
      readers.push({ id: row.id, kind: input.kind as DemoReader['kind'], grade, letter });
    }
  };
  for (const c of plan.classes) {
    const inputs = Array.from({ length: c.size }, () => studentInput(rng, c, yearStart));
    await register(inputs, yearStart - c.grade + 1, c.grade, c.letter);
  }
  const adults = [
    ...Array.from({ length: plan.teachers }, () => adultInput(rng, 'teacher')),
    ...Array.from({ length: plan.staff }, () => adultInput(rng, 'staff')),
  ];
  if (adults.length) await register(adults, yearStart - 3, null, null);
  return readers;
}
