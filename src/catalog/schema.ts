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

/** The age categories of the Law of the Republic of Kazakhstan of 2 July 2018 No. 169-VI, art. 10. */
export const AGE_CATEGORIES = ['0+', '6+', '12+', '14+', '16+', '18+'] as const;
export type AgeCategory = (typeof AGE_CATEGORIES)[number];

export const ACCESSIBLE_FORMATS = ['large_print', 'braille', 'audio'] as const;
export type AccessibleFormat = (typeof ACCESSIBLE_FORMATS)[number];

export interface AuthorSignTable {
  prefix: string;
  number: number;
}

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
  parallel_title: string | null;
  /** Statement of responsibility as on the title page: «құраст. А. Ахметова; ред. Б. Серікова». */
  responsibility: string | null;
  edition: string | null;
  series: string | null;
  /** Авторлық белгі: first letter and number from catalog.author_signs, e.g. «Ә 78». */
  author_sign: string | null;
  accessible_format: AccessibleFormat | null;
  subject_headings: Generated<string[]>;
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
  'catalog.author_signs': AuthorSignTable;
  'catalog.search_key_version': { only_row: Generated<boolean>; version: number };
  'catalog.authors': AuthorTable;
  'catalog.works': WorkTable;
  'catalog.work_authors': WorkAuthorTable;
}
