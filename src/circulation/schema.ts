import type { Generated } from 'kysely';
import type { DateString } from '../org/schema.js';

export interface LoanRuleTable {
  id: Generated<number>;
  organisation_id: number | null;
  reader_kind: string | null;
  fund: string | null;
  loan_days: number;
  max_renewals: Generated<number>;
  max_loans: number | null;
}

export interface LoanTable {
  id: Generated<number>;
  organisation_id: number;
  copy_id: number;
  reader_id: number;
  issued_at: Generated<Date>;
  due_on: DateString;
  renewals: Generated<number>;
  issued_by: number | null;
  returned_at: Date | null;
  returned_by: number | null;
}

export interface VisitTable {
  organisation_id: number;
  reader_id: number;
  visited_on: DateString;
  reading_room: Generated<boolean>;
}

export interface ReadingRoomUseTable {
  id: Generated<number>;
  organisation_id: number;
  reader_id: number | null;
  copy_id: number | null;
  used_on: DateString;
  items: Generated<number>;
  recorded_by: number | null;
  created_at: Generated<Date>;
}

export const CONTACT_KINDS = ['event', 'online_renewal', 'virtual_reference'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export interface ContactTable {
  id: Generated<number>;
  organisation_id: number;
  kind: ContactKind;
  occurred_on: DateString;
  quantity: Generated<number>;
  reader_id: number | null;
  note: string | null;
  recorded_by: number | null;
  created_at: Generated<Date>;
}

export const RESERVATION_STATUSES = ['waiting', 'held', 'fulfilled', 'cancelled', 'expired'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export interface ReservationTable {
  id: Generated<number>;
  organisation_id: number;
  work_id: number;
  reader_id: number;
  status: Generated<ReservationStatus>;
  placed_at: Generated<Date>;
  placed_by: number | null;
  copy_id: number | null;
  held_on: DateString | null;
  hold_until: DateString | null;
  notified_at: Date | null;
  closed_at: Date | null;
  loan_id: number | null;
}

export interface ReservationRuleTable {
  organisation_id: number;
  max_active: number;
  hold_days: number;
}

export interface CirculationTables {
  'circulation.loan_rules': LoanRuleTable;
  'circulation.loans': LoanTable;
  'circulation.visits': VisitTable;
  'circulation.reading_room_uses': ReadingRoomUseTable;
  'circulation.contacts': ContactTable;
  'circulation.reservations': ReservationTable;
  'circulation.reservation_rules': ReservationRuleTable;
}
