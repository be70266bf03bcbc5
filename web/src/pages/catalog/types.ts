/** Shapes of the catalogue API replies used by the pages. */
export interface AuthorRef {
  id: number;
  name: string;
}

export interface Availability {
  total: number;
  available: number;
  onLoan: number;
}

export interface SearchHit {
  workId: number;
  title: string;
  subtitle: string | null;
  authors: AuthorRef[];
  publishYear: number | null;
  isbn: string | null;
  language: string | null;
  availability: Availability;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export type FundKind = 'main' | 'textbook' | 'periodical' | 'electronic' | 'off_balance';
export type CopyStatus = 'available' | 'on_loan' | 'in_repair' | 'lost' | 'written_off';
export const FUNDS: FundKind[] = ['main', 'textbook', 'periodical', 'electronic', 'off_balance'];

export interface Copy {
  id: number;
  workId: number;
  inventoryNumber: string;
  barcode: string;
  fund: FundKind;
  priceTiyn: number;
  status: CopyStatus;
  location: string | null;
  acquiredOn: string;
  note: string | null;
}

export interface Work {
  id: number;
  title: string;
  subtitle: string | null;
  isbn: string | null;
  publisher: string | null;
  publishPlace: string | null;
  publishYear: number | null;
  language: string | null;
  pages: number | null;
  bbk: string | null;
  udc: string | null;
  knowledgeGroup: string | null;
  genre: string | null;
  ageRating: string | null;
  annotation: string | null;
  coverUrl: string | null;
  authors: (AuthorRef & { role: string })[];
}

/** GET /api/catalog/works/:id: the record and, for the library's staff, its copies. */
export interface WorkWithCopies extends Work {
  copies?: Copy[];
}

/** Languages of the catalogue with a name in the interface; other codes are shown as they are. */
export const KNOWN_LANGUAGES = ['kaz', 'rus', 'eng'];

export function languageName(code: string, t: (key: string) => string): string {
  return KNOWN_LANGUAGES.includes(code) ? t(`catalog.language.${code}`) : code;
}
