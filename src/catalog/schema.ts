import type { Generated } from 'kysely';
import type { DateString } from '../org/schema.js';

export interface AuthorTable {
  id: Generated<number>;
  name: string;
  variants: Generated<string[]>;
  birth_date: DateString | null;
  death_date: DateString | null;
  note: string | null;
  search_key: Generated<string>;
  sort_key: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export const PUBLICATION_TYPES = ['book', 'brochure', 'periodical', 'audiovisual', 'electronic', 'sheet_music', 'map'] as const;
export type PublicationType = (typeof PUBLICATION_TYPES)[number];

export interface WorkTable {
  id: Generated<number>;
  title: string;
  subtitle: string | null;
  isbn: string | null;
  publisher: string | null;
  publish_place: string | null;
  publish_year: number | null;
  language: string | null;
  pages: number | null;
  bbk: string | null;
  udc: string | null;
  knowledge_group: string | null;
  genre: string | null;
  age_rating: string | null;
  /** book, brochure, periodical, audiovisual, electronic, sheet_music, map */
  publication_type: Generated<PublicationType>;
  annotation: string | null;
  cover_url: string | null;
  search_key: Generated<string>;
  /** The folded title alone, for ranking title matches first. */
  title_key: Generated<string>;
  sort_key: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface WorkAuthorTable {
  work_id: number;
  author_id: number;
  role: Generated<string>;
  position: Generated<number>;
}

export interface CoverTable {
  work_id: number;
  mime: string;
  bytes: Buffer;
  updated_at: Generated<Date>;
}

export interface CatalogTables {
  'catalog.covers': CoverTable;
  'catalog.search_key_version': { only_row: Generated<boolean>; version: number };
  'catalog.authors': AuthorTable;
  'catalog.works': WorkTable;
  'catalog.work_authors': WorkAuthorTable;
}
