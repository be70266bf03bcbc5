/** Shapes of the readers API replies used by the pages. */
export type ReaderKind = 'student' | 'teacher' | 'staff' | 'parent' | 'other';
export const READER_KINDS: ReaderKind[] = ['student', 'teacher', 'staff', 'parent', 'other'];

export interface Reader {
  id: number;
  registrationNumber: string;
  barcode: string;
  kind: ReaderKind;
  lastName: string;
  firstName: string;
  middleName: string | null;
  fullName: string;
  grade: number | null;
  classLetter: string | null;
  className: string | null;
  birthDate: string | null;
  phone: string | null;
  email: string | null;
  parentName: string | null;
  parentPhone: string | null;
  status: 'active' | 'left';
  leftOn: string | null;
}

export interface ClassCount {
  grade: number;
  classLetter: string | null;
  count: number;
}

export function classLabel(c: { grade: number; classLetter: string | null }): string {
  return c.classLetter ? `${c.grade} ${c.classLetter}` : String(c.grade);
}
