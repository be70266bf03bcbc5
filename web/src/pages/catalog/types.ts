/** Shapes of the catalogue API replies used by the pages; where a reply is the server's own type, that type. */
import type { FundKind } from '../../../../src/fund/schema.js';
import type { CopyView } from '../../../../src/fund/copies.js';
import type { WorkView } from '../../../../src/catalog/works.js';
export { ACCESSIBLE_FORMATS, AGE_CATEGORIES, PUBLICATION_TYPES } from '../../../../src/catalog/schema.js';

export type { Availability, SearchHit } from '../../../../src/catalog/search.js';
export type { FundKind, CopyStatus } from '../../../../src/fund/schema.js';
export type { CopyView as Copy } from '../../../../src/fund/copies.js';

export interface AuthorRef {
  id: number;
  name: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export const FUNDS: FundKind[] = ['main', 'textbook', 'periodical', 'electronic', 'off_balance'];

/** GET /api/catalog/works/:id without the copies: the server's own record view. */
export type Work = WorkView;

/** GET /api/catalog/works/:id: the record and, for the library's staff, its copies. */
export interface WorkWithCopies extends Work {
  copies?: CopyView[];
}

/** Languages of the catalogue with a name in the interface; other codes are shown as they are. */
export const KNOWN_LANGUAGES = ['kaz', 'rus', 'eng'];

export function languageName(code: string, t: (key: string) => string): string {
  return KNOWN_LANGUAGES.includes(code) ? t(`catalog.language.${code}`) : code;
}

/** MARC language codes of the catalogue and the BCP 47 tags a browser reads them in. */
const LANG_TAGS: Record<string, string> = { kaz: 'kk', rus: 'ru', eng: 'en', tur: 'tr', deu: 'de', ger: 'de', fra: 'fr', fre: 'fr', uzb: 'uz', kir: 'ky', tat: 'tt', uig: 'ug', chi: 'zh', zho: 'zh', ara: 'ar', spa: 'es' };

/**
 * The `lang` of a record's title, so that a screen reader speaks «Путь Абая» as Russian inside a
 * Kazakh page; none when the record's language is unknown or unset.
 */
export function titleLang(code: string | null | undefined): string | undefined {
  return code ? LANG_TAGS[code] : undefined;
}
