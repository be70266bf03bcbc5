import type { ColumnType, Generated } from 'kysely';
import type { DateString, Json } from '../org/schema.js';

export type ReaderKind = 'student' | 'teacher' | 'staff' | 'parent' | 'other';

export interface ReaderTable {
  id: Generated<number>;
  organisation_id: number;
  registration_number: string;
  barcode: string;
  kind: ReaderKind;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  grade: number | null;
  class_letter: string | null;
  birth_date: DateString | null;
  phone: string | null;
  email: string | null;
  parent_name: string | null;
  parent_phone: string | null;
  status: Generated<'active' | 'left'>;
  left_on: DateString | null;
  anonymised_at: Date | null;
  /** Blocked on request: kept, but not used or shown until unblocked. */
  blocked_at: Date | null;
  search_key: Generated<string>;
  sort_key: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PromotionChange {
  readerId: number;
  grade: number | null;
  classLetter: string | null;
  status: 'active' | 'left';
  leftOn: string | null;
}

/** A class teacher's class before a promotion moved it. */
export interface TeacherClassChange {
  userId: number;
  classGrade: number;
  classLetter: string | null;
}

export interface PromotionTable {
  id: Generated<number>;
  organisation_id: number;
  performed_at: Generated<Date>;
  performed_by: number | null;
  /** The date the promotion takes effect; the 11th grade's leaving date. */
  promoted_on: DateString;
  changes: Json<PromotionChange[]>;
  teacher_changes: ColumnType<TeacherClassChange[], string | undefined, string>;
  undone_at: Date | null;
}

export type ConsentScope = 'service' | 'public_name' | 'contact';

export interface ConsentTable {
  id: Generated<number>;
  organisation_id: number;
  reader_id: number;
  scope: ConsentScope;
  basis: Generated<'consent' | 'legal_basis'>;
  given_by: string | null;
  form: 'paper' | 'electronic' | null;
  given_on: DateString;
  withdrawn_on: DateString | null;
  note: string | null;
  recorded_by: number | null;
  created_at: Generated<Date>;
}

export interface ErasureTable {
  id: Generated<number>;
  organisation_id: number;
  reader_id: number;
  reason: 'left' | 'request' | 'retention';
  erased_at: Generated<Date>;
  erased_by: number | null;
}

export type RequestKind = 'correction' | 'blocking' | 'erasure';

export interface RequestTable {
  id: Generated<number>;
  organisation_id: number;
  reader_id: number;
  kind: RequestKind;
  message: Generated<string>;
  requested_by: number | null;
  requested_at: Generated<Date>;
  status: Generated<'open' | 'done' | 'refused'>;
  answer: string | null;
  answered_by: number | null;
  answered_at: Date | null;
}

/** A reader registered or re-registered for a cycle: '2024' (calendar year) or '2024-2025' (school year). */
export interface RegistrationTable {
  organisation_id: number;
  reader_id: number;
  cycle: string;
  registered_on: DateString;
  reader_group: 'grades_1_4' | 'grades_5_9' | 'grades_10_11' | 'teachers' | 'others';
  how: 'visit' | 'loan' | 'bulk' | 'new';
}

export interface ReadersTables {
  'readers.registrations': RegistrationTable;
  'readers.consents': ConsentTable;
  'readers.erasures': ErasureTable;
  'readers.requests': RequestTable;
  'readers.readers': ReaderTable;
  'readers.promotions': PromotionTable;
}
