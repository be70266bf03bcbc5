/** Shapes of the readers API replies used by the pages. */
// The server's own reply types, imported as types only: the page and the route cannot drift apart.
import type { ReaderKind } from '../../../../src/readers/schema.js';
export type { ReaderKind };
export type { ClassCount, ReaderJson as Reader } from '../../../../src/readers/readers.js';
export const READER_KINDS: ReaderKind[] = ['student', 'teacher', 'staff', 'parent', 'other'];

export function classLabel(c: { grade: number; classLetter: string | null }): string {
  return c.classLetter ? `${c.grade} ${c.classLetter}` : String(c.grade);
}
