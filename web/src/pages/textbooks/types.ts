export const CONDITIONS = ['good', 'worn', 'unusable', 'lost'] as const;
export type Condition = (typeof CONDITIONS)[number];
export const WRITE_OFF_REASONS = ['wear', 'curriculum_change', 'loss'] as const;

export interface CurriculumItem {
  id: number;
  schoolYear: string;
  grade: number;
  subject: string;
  workId: number;
  title: string;
  language: string;
  copiesPerStudent: number;
}

export interface StockLine {
  workId: number;
  title: string;
  received: number;
  writtenOff: number;
  good: number;
  worn: number;
  unusable: number;
  lost: number;
  issued: number;
  usable: number;
  averagePriceTiyn: number;
}

export interface Batch {
  id: number;
  receiptNumber: string;
  receivedOn: string;
  title: string;
  copiesCount: number;
  stampedOn: string | null;
}

export interface WriteOff {
  id: number;
  number: string;
  actDate: string;
  reason: (typeof WRITE_OFF_REASONS)[number];
  lines: { workId: number; title: string; condition: Condition; copiesCount: number; sumTiyn: number }[];
  copiesCount: number;
  sumTiyn: number;
}

export interface Diagnosis {
  schoolYear: string;
  grade: number;
  classLetter: string;
  language: string;
  studentsCount: number;
  titles: { workId: number; title: string; subject: string; needed: number; issued: number; lacking: number; available: number; shortage: number }[];
  students: { readerId: number; name: string; complete: boolean; items: { workId: number; held: number; missing: number }[] }[];
}

export interface SetIssueResult {
  issuedCopies: number;
  notIssued: { readerId: number; name: string; workId: number; title: string; missing: number }[];
}

export interface TextbookRecord {
  readerId: number;
  name: string;
  holding: number;
  issues: {
    id: number;
    workId: number;
    title: string;
    schoolYear: string;
    issuedOn: string;
    barcode: string | null;
    returnedOn: string | null;
    returnCondition: Condition | null;
  }[];
}

export interface TextbookOrder {
  schoolYear: string;
  expected: { grade: number; language: string; students: number; source: 'promoted' | 'forecast' }[];
  lines: { workId: number; title: string; subjects: string; grades: number[]; needed: number; usable: number; toOrder: number; lastPriceTiyn: number; sumTiyn: number }[];
  totalCopies: number;
  totalSumTiyn: number;
}

/** The school year a date falls in: from September to August ('2026-2027' for 15.10.2026 and 20.05.2027). */
export function schoolYearOf(isoDate: string): string {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  return month >= 9 ? `${year}-${year + 1}` : `${year - 1}-${year}`;
}

export function nextSchoolYear(year: string): string {
  const first = Number(year.slice(0, 4)) + 1;
  return `${first}-${first + 1}`;
}

/** Today on this computer's calendar (the library's own), not the UTC date. */
export { today } from '../../format.js';
