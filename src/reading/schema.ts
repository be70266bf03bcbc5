import type { ColumnType, Generated } from 'kysely';
import type { DateString } from '../org/schema.js';

type JsonColumn<T> = ColumnType<T, string, string>;

export type RecordSource = 'loan' | 'reading_room' | 'self';
export type RecordStatus = 'pending' | 'confirmed' | 'rejected';

export interface RecordTable {
  id: Generated<number>;
  organisation_id: number;
  reader_id: number;
  work_id: number | null;
  title: string;
  author: string | null;
  book_key: string;
  source: RecordSource;
  loan_id: number | null;
  read_on: DateString;
  school_year: string;
  pages: number | null;
  minutes: number | null;
  note: string | null;
  status: RecordStatus;
  reported_by: number | null;
  confirmed_by: number | null;
  confirmed_at: Date | null;
  created_at: Generated<Date>;
}

export interface FamilyTable {
  id: Generated<number>;
  organisation_id: number;
  name: string;
  created_at: Generated<Date>;
}

export interface FamilyMemberTable {
  family_id: number;
  reader_id: number;
  organisation_id: number;
}

export interface ChallengeTable {
  id: Generated<number>;
  organisation_id: number;
  kind: Generated<'thirty_days'>;
  title: string;
  starts_on: DateString;
  days: Generated<number>;
  minutes_per_day: Generated<number>;
  created_at: Generated<Date>;
}

export interface ChallengeEntrantTable {
  challenge_id: number;
  reader_id: number;
  organisation_id: number;
  joined_on: DateString;
}

export interface ChallengeDayTable {
  challenge_id: number;
  reader_id: number;
  organisation_id: number;
  day: DateString;
  minutes: number;
  note: string | null;
  stamped_by: number | null;
  stamped_at: Date | null;
}

export interface BingoItem {
  title: string;
  author: string;
  workId: number | null;
}

export interface BingoGameTable {
  id: Generated<number>;
  organisation_id: number;
  title: string;
  grade: number;
  size: number;
  seed: string;
  items: JsonColumn<BingoItem[]>;
  drawn: ColumnType<number[], string | undefined, string>;
  winner_card_id: number | null;
  created_at: Generated<Date>;
}

export interface BingoCardTable {
  id: Generated<number>;
  game_id: number;
  organisation_id: number;
  number: number;
  reader_id: number | null;
  cells: JsonColumn<number[]>;
}

export type DrawRole = 'pupil' | 'teacher' | 'parent' | 'head' | 'staff';

export interface DrawTable {
  id: Generated<number>;
  organisation_id: number;
  title: string;
  gift_on: DateString;
  seed: string | null;
  drawn_at: Date | null;
  drawn_by: number | null;
  created_at: Generated<Date>;
}

export interface DrawParticipantTable {
  id: Generated<number>;
  draw_id: number;
  organisation_id: number;
  reader_id: number | null;
  name: string;
  role: DrawRole;
  email: string | null;
  wished_book: string;
  number: number | null;
  gives_to: number | null;
  notified: 'email' | 'slip' | null;
}

export interface BookcrossingTable {
  id: Generated<number>;
  organisation_id: number;
  happened_on: DateString;
  direction: 'given' | 'taken';
  books: number;
  title: string | null;
  recorded_by: number | null;
  created_at: Generated<Date>;
}

export interface RecommendationTable {
  id: Generated<number>;
  organisation_id: number;
  reader_id: number;
  work_id: number;
  text: string;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  decided_by: number | null;
  created_at: Generated<Date>;
}

export interface ContestStage {
  name: string;
  on: string;
}

export interface ContestTable {
  id: Generated<number>;
  organisation_id: number;
  name: string;
  level: Generated<'school' | 'district' | 'region' | 'republic'>;
  starts_on: DateString;
  ends_on: DateString;
  grades: string | null;
  jury: string | null;
  stages: ColumnType<ContestStage[], string | undefined, string>;
  created_at: Generated<Date>;
}

export interface ContestEntrantTable {
  id: Generated<number>;
  contest_id: number;
  organisation_id: number;
  reader_id: number;
  stage: string | null;
  place: number | null;
  nomination: string | null;
}

export interface NationalBookTable {
  year: number;
  title: string;
  author: string;
  book_key: string;
  set_by: number | null;
  imported: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface ReaderYearBooksTable {
  reader_id: number;
  school_year: string;
  organisation_id: number;
  books: number;
}

export interface ActionTable {
  id: Generated<number>;
  organisation_id: number;
  kind: 'one_author' | 'six_months';
  title: string;
  author: string | null;
  starts_on: DateString;
  ends_on: DateString;
  books_per_month: number;
  created_by: number | null;
  created_at: Generated<Date>;
}

/** A reader's books of a past period whose records the library's retention removed (0804_kept_books). */
export interface KeptBooksTable {
  reader_id: number;
  /** '2023' (a calendar year) or '2022-2023' (a school year) */
  period: string;
  organisation_id: number;
  books: number;
  pages: Generated<number>;
  kept_at: Generated<Date>;
}

export interface ReadingTables {
  'reading.actions': ActionTable;
  'reading.kept_books': KeptBooksTable;
  'reading.reader_year_books': ReaderYearBooksTable;
  'reading.records': RecordTable;
  'reading.families': FamilyTable;
  'reading.family_members': FamilyMemberTable;
  'reading.challenges': ChallengeTable;
  'reading.challenge_entrants': ChallengeEntrantTable;
  'reading.challenge_days': ChallengeDayTable;
  'reading.bingo_games': BingoGameTable;
  'reading.bingo_cards': BingoCardTable;
  'reading.draws': DrawTable;
  'reading.draw_participants': DrawParticipantTable;
  'reading.bookcrossing': BookcrossingTable;
  'reading.recommendations': RecommendationTable;
  'reading.contests': ContestTable;
  'reading.contest_entrants': ContestEntrantTable;
  'reading.national_books': NationalBookTable;
}
