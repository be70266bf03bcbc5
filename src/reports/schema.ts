import type { Generated } from 'kysely';
import type { DateString, Json } from '../org/schema.js';

export interface PlanTable {
  organisation_id: number;
  period: string;
  indicator: string;
  value: number;
  updated_by: number | null;
  updated_at: Generated<Date>;
}

export interface PassportTable {
  organisation_id: number;
  period: string;
  area_m2: Generated<string | number>;
  reading_room_m2: Generated<string | number>;
  storage_m2: Generated<string | number>;
  seats: Generated<number>;
  computers: Generated<number>;
  internet_computers: Generated<number>;
  open_access_copies: Generated<number>;
  texts: Json<Record<string, string>>;
  updated_by: number | null;
  updated_at: Generated<Date>;
}

export interface SettingsTable {
  organisation_id: number;
  regular_visit_days: number;
}

export interface ClosedPeriodTable {
  organisation_id: number;
  period: string;
  origin: 'local' | 'package';
  figures: Json<unknown>;
  content_hash: string | null;
  closed_at: Generated<Date>;
  closed_by: number | null;
}

export interface ScheduleTable {
  organisation_id: number;
  period: string;
  due_on: DateString;
  set_by: number | null;
}

export interface KeptCountTable {
  organisation_id: number;
  day: DateString;
  what: 'visit' | 'issue' | 'return';
  reader_group: string;
  reading_room: Generated<boolean>;
  fund: Generated<string>;
  domain: Generated<string>;
  language: Generated<string>;
  n: number;
}

export interface KeptRegularVisitorsTable {
  organisation_id: number;
  period: string;
  regular_visitors: number;
  kept_at: Generated<Date>;
}

/** Kept by the triggers of migration 1202 as loans, visits and reading-room uses are written. */
export interface RunningCountTable {
  organisation_id: number;
  period: string;
  what: 'loan' | 'visit' | 'reading_room';
  reading_room: Generated<boolean>;
  fund: Generated<string>;
  domain: Generated<string>;
  language: Generated<string>;
  n: number;
}

export interface RunningTextbookIssueTable {
  organisation_id: number;
  period: string;
  work_id: number;
  n: number;
}

export interface RunningVisitDaysTable {
  organisation_id: number;
  period: string;
  reader_id: number;
  days: number;
}

/** Moved on by the triggers of migration 1203 at every change of a library's fund documents. */
export interface FundVersionTable {
  organisation_id: number;
  version: number;
}

export interface FundFiguresTable {
  organisation_id: number;
  period: string;
  version: number;
  counted_by: string;
  figures: Json<unknown>;
}

export interface ReportsTables {
  'reports.running_counts': RunningCountTable;
  'reports.running_textbook_issues': RunningTextbookIssueTable;
  'reports.running_visit_days': RunningVisitDaysTable;
  'reports.fund_versions': FundVersionTable;
  'reports.fund_figures': FundFiguresTable;
  'reports.kept_counts': KeptCountTable;
  'reports.kept_regular_visitors': KeptRegularVisitorsTable;
  'reports.plans': PlanTable;
  'reports.passports': PassportTable;
  'reports.settings': SettingsTable;
  'reports.closed_periods': ClosedPeriodTable;
  'reports.schedules': ScheduleTable;
}
