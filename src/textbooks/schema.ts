import type { ColumnType, Generated } from 'kysely';
import type { DateString } from '../org/schema.js';

/** Condition of a textbook as the librarian sees it on return; 'lost' means it did not come back. */
export const CONDITIONS = ['good', 'worn', 'unusable', 'lost'] as const;
export type Condition = (typeof CONDITIONS)[number];
/** Conditions a textbook may be handed out in. */
export type IssuableCondition = 'good' | 'worn';

export const WRITE_OFF_REASONS = ['wear', 'curriculum_change', 'loss'] as const;
export type TextbookWriteOffReason = (typeof WRITE_OFF_REASONS)[number];

export interface CurriculumTable {
  id: Generated<number>;
  organisation_id: number;
  school_year: string;
  grade: number;
  subject: string;
  work_id: number;
  language: string;
  copies_per_student: Generated<number>;
  created_at: Generated<Date>;
}

export interface ClassLanguageTable {
  organisation_id: number;
  grade: number;
  class_letter: string;
  language: string;
}

export interface EnrolmentForecastTable {
  organisation_id: number;
  school_year: string;
  grade: number;
  language: string;
  expected: number;
}

export interface BatchTable {
  id: Generated<number>;
  organisation_id: number;
  receipt_id: number;
  work_id: number;
  school_year: string;
  copies_count: number;
  price_tiyn: number;
  /** Language column of the summary book, booked with the title's first batch. */
  language_group: 'kk' | 'ru' | 'other';
  stamped_on: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
}

export interface StockTable {
  organisation_id: number;
  work_id: number;
  good: Generated<number>;
  worn: Generated<number>;
  unusable: Generated<number>;
  lost: Generated<number>;
}

export interface IssueTable {
  id: Generated<number>;
  organisation_id: number;
  reader_id: number;
  work_id: number;
  school_year: string;
  issued_on: DateString;
  issued_condition: IssuableCondition;
  barcode: string | null;
  returned_on: DateString | null;
  return_condition: Condition | null;
  created_by: number | null;
}

export interface WriteOffActTable {
  id: Generated<number>;
  organisation_id: number;
  number: string;
  act_date: DateString;
  reason: TextbookWriteOffReason;
  note: string | null;
  created_by: number | null;
  created_at: Generated<Date>;
}

export interface WriteOffLineTable {
  act_id: number;
  work_id: number;
  condition: Condition;
  copies_count: number;
  sum_tiyn: number;
  /** The language its title was booked under (the title's first batch). */
  language_group: 'kk' | 'ru' | 'other';
}

export interface CheckTable {
  id: Generated<number>;
  organisation_id: number;
  checked_on: DateString;
  note: string | null;
  created_by: number | null;
  created_at: Generated<Date>;
}

export interface CheckLineTable {
  check_id: number;
  work_id: number;
  expected_good: number;
  expected_worn: number;
  expected_unusable: number;
  counted_good: number;
  counted_worn: number;
  counted_unusable: number;
}

export const RAID_CONDITIONS = ['good', 'worn', 'unusable', 'absent'] as const;
export type RaidCondition = (typeof RAID_CONDITIONS)[number];

export interface RaidTable {
  id: Generated<number>;
  organisation_id: number;
  school_year: string;
  grade: number;
  class_letter: string;
  raid_on: DateString;
  note: string | null;
  created_by: number | null;
  created_at: Generated<Date>;
}

export interface RaidLineTable {
  raid_id: number;
  reader_id: number;
  work_id: number;
  condition: RaidCondition;
  note: string | null;
}

export interface PriceTable {
  organisation_id: number;
  school_year: string;
  work_id: number;
  price_tiyn: number;
}

/** Returned issues removed by the library's retention, as the annual report counts them (0730_kept_issues). */
export interface KeptIssueTable {
  organisation_id: number;
  day: DateString;
  language: string;
  n: number;
}

// Tables of the textbook fund (group accounting).
export interface TextbooksTables {
  'textbooks.curriculum': CurriculumTable;
  'textbooks.class_languages': ClassLanguageTable;
  'textbooks.enrolment_forecasts': EnrolmentForecastTable;
  'textbooks.batches': BatchTable;
  'textbooks.stock': StockTable;
  'textbooks.issues': IssueTable;
  'textbooks.kept_issues': KeptIssueTable;
  'textbooks.write_off_acts': WriteOffActTable;
  'textbooks.write_off_lines': WriteOffLineTable;
  'textbooks.checks': CheckTable;
  'textbooks.check_lines': CheckLineTable;
  'textbooks.raids': RaidTable;
  'textbooks.raid_lines': RaidLineTable;
  'textbooks.prices': PriceTable;
}
