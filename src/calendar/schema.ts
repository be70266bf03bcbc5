import type { Generated } from 'kysely';

export const ENTRY_KINDS = ['person', 'event', 'day'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const OCCUPATIONS = [
  'writer', 'poet', 'akyn', 'composer', 'musician', 'artist', 'scientist', 'educator', 'public_figure', 'hero', 'cosmonaut',
  'event', 'book', 'other',
] as const;
export type Occupation = (typeof OCCUPATIONS)[number];

export interface CalendarEntryTable {
  id: Generated<number>;
  organisation_id: number;
  kind: EntryKind;
  name: string;
  name_ru: string | null;
  name_en: string | null;
  occupation: string | null;
  year: number | null;
  month: number | null;
  day: number | null;
  note: string | null;
  author_id: number | null;
  origin: Generated<'local' | 'package'>;
  package_key: string | null;
  created_by: number | null;
  created_at: Generated<Date>;
}

export interface CalendarTables {
  'calendar.entries': CalendarEntryTable;
}
