import type { Generated } from 'kysely';
import type { DateString } from '../org/schema.js';

/** Sections of a school library's annual work plan, as the seeds' plans have them. */
export const PLAN_SECTIONS = [
  'organisation', 'fund', 'textbooks', 'readers', 'mass_work', 'reference', 'literacy', 'promotion', 'methodical', 'professional',
] as const;
export type PlanSection = (typeof PLAN_SECTIONS)[number];

/** Forms of library work (seed 001's "new forms of mass work" and the plans). */
export const EVENT_FORMS = [
  'exhibition', 'review', 'literary_hour', 'literary_evening', 'quiz', 'reading_conference', 'writer_meeting', 'book_discussion',
  'round_table', 'presentation', 'information_day', 'information_hour', 'bibliography_lesson', 'excursion', 'contest', 'debate',
  'challenge', 'book_trailer', 'bookcrossing', 'conversation', 'consultation', 'other',
] as const;
export type EventForm = (typeof EVENT_FORMS)[number];

export const WHEN_KINDS = ['month', 'range', 'quarterly', 'constantly', 'during_year', 'as_needed'] as const;
export type WhenKind = (typeof WHEN_KINDS)[number];

export const ENTRY_STATUSES = ['planned', 'held', 'moved', 'cancelled'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export const PLAN_STATUSES = ['draft', 'approved', 'submitted'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export interface PlanTable {
  id: Generated<number>;
  organisation_id: number;
  school_year: string;
  status: Generated<PlanStatus>;
  approved_by: string | null;
  approved_on: DateString | null;
  submitted_at: Date | string | null;
  submitted_by: number | null;
  copied_from: number | null;
  created_at: Generated<Date>;
}

export interface PlanEntryTable {
  id: Generated<number>;
  organisation_id: number;
  plan_id: number;
  position: Generated<number>;
  section: PlanSection;
  title: string;
  form: string | null;
  target: string | null;
  when_kind: WhenKind;
  month_from: number | null;
  month_to: number | null;
  responsible: string | null;
  status: Generated<EntryStatus>;
  note: string | null;
  created_at: Generated<Date>;
}

export interface EventTable {
  id: Generated<number>;
  organisation_id: number;
  held_on: DateString;
  title: string;
  form: string;
  classes: string | null;
  pupils: Generated<number>;
  teachers: Generated<number>;
  parents: Generated<number>;
  others: Generated<number>;
  plan_entry_id: number | null;
  note: string | null;
  is_public: Generated<boolean>;
  created_by: number | null;
  created_at: Generated<Date>;
}

export interface EventPhotoTable {
  id: Generated<number>;
  organisation_id: number;
  event_id: number;
  mime: 'image/jpeg' | 'image/png';
  bytes: Buffer;
  created_at: Generated<Date>;
}

export interface ScheduleItemTable {
  id: Generated<number>;
  organisation_id: number;
  school_year: string;
  month: number;
  title: string;
  theme: string | null;
  note: string | null;
  /** the sender's key of a line taken in from a package */
  package_key: string | null;
  package_issuer: string | null;
  created_at: Generated<Date>;
}

export interface ExhibitionTable {
  id: Generated<number>;
  organisation_id: number;
  title: string;
  theme: string | null;
  description: string | null;
  starts_on: DateString;
  ends_on: DateString;
  place: string | null;
  is_public: Generated<boolean>;
  calendar_key: string | null;
  schedule_item_id: number | null;
  created_by: number | null;
  created_at: Generated<Date>;
}

export interface ExhibitionWorkTable {
  exhibition_id: number;
  work_id: number;
  position: Generated<number>;
  note: string | null;
}

export interface ClubTable {
  id: Generated<number>;
  organisation_id: number;
  name: string;
  genre: string | null;
  leader: string | null;
  meets: string | null;
  target: string | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface ClubMemberTable {
  id: Generated<number>;
  organisation_id: number;
  club_id: number;
  reader_id: number;
  joined_on: DateString;
  left_on: DateString | null;
}

export interface ClubSessionTable {
  id: Generated<number>;
  organisation_id: number;
  club_id: number;
  held_on: DateString;
  topic: string;
  guests: Generated<number>;
  note: string | null;
}

export interface ClubAttendanceTable {
  session_id: number;
  member_id: number;
}

export interface EventsTables {
  'events.plans': PlanTable;
  'events.plan_entries': PlanEntryTable;
  'events.events': EventTable;
  'events.event_photos': EventPhotoTable;
  'events.schedule_items': ScheduleItemTable;
  'events.exhibitions': ExhibitionTable;
  'events.exhibition_works': ExhibitionWorkTable;
  'events.clubs': ClubTable;
  'events.club_members': ClubMemberTable;
  'events.club_sessions': ClubSessionTable;
  'events.club_attendance': ClubAttendanceTable;
}
