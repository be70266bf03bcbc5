import type { ColumnType, Generated } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A date column: 'YYYY-MM-DD' on both drivers (see db/connect.ts). */
export type DateString = ColumnType<string, string | undefined, string>;
export type Json<T> = ColumnType<T, string | T, string | T>;

export type OrganisationKind = 'republic' | 'region' | 'district' | 'school' | 'college' | 'children_library';
export type Role = 'admin' | 'methodologist' | 'librarian' | 'teacher' | 'student' | 'parent';
export type Locale = 'kk' | 'ru' | 'en';

export interface OrganisationTable {
  id: Generated<number>;
  parent_id: number | null;
  kind: OrganisationKind;
  name: string;
  name_ru: string | null;
  name_en: string | null;
  code: string | null;
  /** IANA zone of the library's clock; 'Asia/Almaty' by default. */
  time_zone: Generated<string>;
  path: Generated<string>;
  created_at: Generated<Date>;
}

export interface UserTable {
  id: Generated<number>;
  login: string;
  password_hash: string;
  full_name: string;
  role: Role;
  organisation_id: number;
  class_grade: number | null;
  class_letter: string | null;
  reader_id: number | null;
  locale: Generated<Locale>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface SessionTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Date | string;
  last_seen_at: Generated<Date>;
}

export interface AuditLogTable {
  id: Generated<number>;
  organisation_id: number | null;
  user_id: number | null;
  at: Generated<Date>;
  action: string;
  entity: string;
  entity_id: string | null;
  details: Json<Record<string, unknown>>;
}

export interface RetentionTable {
  organisation_id: number;
  leavers_days: Generated<number>;
  audit_days: Generated<number>;
  loans_days: Generated<number>;
  visits_days: Generated<number>;
  sessions_days: Generated<number>;
  backups_days: Generated<number>;
  reading_days: Generated<number>;
  textbooks_days: Generated<number>;
  losses_days: Generated<number>;
  updated_at: Generated<Date>;
  updated_by: number | null;
}

export interface JobRunTable {
  job: string;
  ran_on: DateString;
  summary: Json<Record<string, unknown>>;
}

export interface OrgTables {
  'org.retention': RetentionTable;
  'org.job_runs': JobRunTable;
  'org.organisations': OrganisationTable;
  'org.users': UserTable;
  'org.sessions': SessionTable;
  'org.audit_log': AuditLogTable;
}
