import type { Generated } from 'kysely';
import type { Json } from '../org/schema.js';

/** The five parts of the recommended list (MISSION.md §2). */
export const CATEGORIES = ['classical', 'independence', 'contemporary', 'abroad', 'foreign'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Age groups are the school's grade bands; 'all' means every student. */
export const AGE_GROUPS = ['1-4', '5-9', '10-11', 'all'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

export type MatchStatus = 'confirmed' | 'pending' | 'rejected';
export type MatchMethod = 'isbn' | 'author_title' | 'title' | 'manual';

export interface CategoryFigures {
  category: Category;
  titles: number;
  held: number;
  copies: number;
}

export interface BoughtFigures {
  year: number;
  source: string;
  copies: number;
}

export interface VersionTable {
  id: Generated<number>;
  year: number;
  source_name: string | null;
  imported_at: Generated<Date>;
  imported_by: number | null;
}

export interface EntryTable {
  id: Generated<number>;
  version_id: number;
  position: number;
  entry_key: string;
  title: string;
  author: string;
  category: Category;
  genre: string | null;
  age_group: AgeGroup;
  language: string | null;
  isbn: string | null;
  sort_key: string;
}

export interface MatchTable {
  id: Generated<number>;
  entry_key: string;
  work_id: number;
  status: MatchStatus;
  method: MatchMethod;
  decided_by: number | null;
  decided_at: Date | string | null;
  created_at: Generated<Date>;
}

export interface PurchaseRuleTable {
  organisation_id: number;
  students_per_copy: number;
  min_copies: number;
  price_tiyn: number;
  updated_at: Generated<Date>;
}

export interface SchoolStatsTable {
  organisation_id: number;
  period: number;
  origin: 'local' | 'package';
  list_year: number;
  titles_total: number;
  titles_held: number;
  list_copies: number;
  students: number;
  copies_total: number;
  fiction_copies: number;
  kazakh_copies: number;
  by_category: Json<CategoryFigures[]>;
  bought: Json<BoughtFigures[]>;
  computed_at: Generated<Date>;
  content_hash: string | null;
}

export interface SigningKeyTable {
  organisation_id: number;
  public_key: string;
  private_key: string;
  created_at: Generated<Date>;
}

export interface TrustedKeyTable {
  organisation_id: number;
  public_key: string;
  added_by: number | null;
  added_at: Generated<Date>;
}

export interface ImportedPackageTable {
  id: Generated<number>;
  school_code: string;
  period: number;
  content_hash: string;
  organisation_id: number;
  imported_by: number | null;
  imported_at: Generated<Date>;
}

// Tables of the recommended list and its monitoring.
export interface ReclistTables {
  'reclist.versions': VersionTable;
  'reclist.entries': EntryTable;
  'reclist.matches': MatchTable;
  'reclist.purchase_rules': PurchaseRuleTable;
  'reclist.school_stats': SchoolStatsTable;
  'reclist.signing_keys': SigningKeyTable;
  'reclist.trusted_keys': TrustedKeyTable;
  'reclist.imported_packages': ImportedPackageTable;
}
