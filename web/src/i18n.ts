import { useEffect, useSyncExternalStore } from 'react';
import { LANGUAGES, type Language, type Texts } from './languages.js';

export { LANGUAGES, type Language };

/**
 * The interface texts, one language at a time. A language's texts come in two parts, each its own
 * file of the build (web/build/locale-split.ts): `start` holds what the shell, the login form and the
 * catalogue search show, `rest` everything else. The first page waits for `start` only; `rest`
 * follows when the browser is idle, or at once when a page needs it. A phone on a slow link thus
 * downloads neither the other two languages nor the texts of pages it has not opened yet.
 *
 * Translation is a key lookup with `{{name}}` filled in and plural forms chosen by the language's
 * own rules (`key_one`, `key_few`, `key_many`, `key_other` by Intl.PluralRules), as the texts are
 * flat keys in three languages; a general i18n library cost the first page a sixth of its script.
 */

const STORAGE_KEY = 'kitaphana.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language chosen on this computer before, else Kazakh. */
export function storedLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return isLanguage(saved) ? saved : 'kk';
  } catch {
    return 'kk';
  }
}

export function hasStoredLanguage(): boolean {
  try {
    return isLanguage(localStorage.getItem(STORAGE_KEY));
  } catch {
    return false;
  }
}

type Part = 'start' | 'rest';
type Loader = () => Promise<{ default: Texts }>;

// literal imports, so the build makes one file of each language's part
const PARTS: Record<Language, Record<Part, Loader>> = {
  kk: { start: () => import('virtual:texts/kk-start'), rest: () => import('virtual:texts/kk-rest') },
  ru: { start: () => import('virtual:texts/ru-start'), rest: () => import('virtual:texts/ru-rest') },
  en: { start: () => import('virtual:texts/en-start'), rest: () => import('virtual:texts/en-rest') },
};

const texts: Record<Language, Texts> = { kk: {}, ru: {}, en: {} };
const loaded: Record<Language, Set<Part>> = { kk: new Set(), ru: new Set(), en: new Set() };
const loading = new Map<string, Promise<void>>();

export interface TOptions {
  count?: number;
  defaultValue?: string;
  [name: string]: unknown;
}
export type TFunction = (key: string, options?: TOptions) => string;

const pluralRules = new Map<Language, Intl.PluralRules>();
function pluralCategory(language: Language, count: number): string {
  let rules = pluralRules.get(language);
  if (!rules) pluralRules.set(language, (rules = new Intl.PluralRules(language)));
  return rules.select(count);
}

/** The text of a key in a language; the key itself when there is none (and no defaultValue), so a gap shows. */
export function translate(language: Language, key: string, options?: TOptions): string {
  const own = texts[language];
  let text: string | undefined;
  if (typeof options?.count === 'number') text = own[`${key}_${pluralCategory(language, options.count)}`] ?? own[`${key}_other`];
  text ??= own[key] ?? options?.defaultValue ?? key;
  if (!options) return text;
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (options[name] === undefined ? whole : String(options[name])));
}

export function getFixedT(language: Language): TFunction {
  return (key, options) => translate(language, key, options);
}

interface State {
  language: Language;
  /** Both parts of the language are here: every page can be shown. */
  complete: boolean;
  t: TFunction;
  i18n: { language: Language };
}

function stateOf(language: Language): State {
  return { language, complete: loaded[language].size === 2, t: getFixedT(language), i18n: { language } };
}

let state = stateOf(storedLanguage());
const listeners = new Set<() => void>();

/** A new state object on each change, so the components that read it render again. */
function publish(language = state.language): void {
  state = stateOf(language);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function loadPart(language: Language, part: Part): Promise<void> {
  const id = `${language}/${part}`;
  let promise = loading.get(id);
  if (!promise) {
    promise = PARTS[language][part]().then(
      (m) => {
        Object.assign(texts[language], m.default);
        loaded[language].add(part);
        publish();
      },
      (err: unknown) => {
        loading.delete(id); // a failed download is tried again next time
        throw err;
      },
    );
    loading.set(id, promise);
  }
  return promise;
}

/** Downloads every text of a language (once). */
export async function loadLanguage(language: Language): Promise<void> {
  await Promise.all([loadPart(language, 'start'), loadPart(language, 'rest')]);
}

/**
 * Before the first render: the start part of the remembered language now, the rest when the browser
 * has nothing better to do (the first page's script, its search and its covers go first).
 */
export async function loadStartTexts(): Promise<void> {
  const language = state.language;
  if (typeof document !== 'undefined') document.documentElement.lang = language;
  await loadPart(language, 'start');
  const later = () => void loadPart(language, 'rest').catch(() => undefined);
  // a second for the first page's own requests, then whenever the browser is idle
  setTimeout(() => (typeof requestIdleCallback === 'function' ? requestIdleCallback(later, { timeout: 3000 }) : later()), 1000);
}

export function currentLanguage(): Language {
  return state.language;
}

/**
 * Switches the interface language once its texts are here, and remembers it on this computer. When they
 * cannot be downloaded (the network is down) the language stays as it was (false); the choice can be made again.
 */
export async function switchLanguage(language: Language): Promise<boolean> {
  try {
    await loadLanguage(language);
  } catch {
    return false;
  }
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode: the choice lasts until the tab closes.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = language;
  publish(language);
  return true;
}

/** `t` in the current language, and the language; the component renders again when either changes. */
export function useTranslation(): { t: TFunction; i18n: { language: Language } } {
  return useSyncExternalStore(subscribe, () => state);
}

/** Whether every text of the current language is here; when `wanted` and they are not, asks for the rest. */
export function useAllTexts(wanted = true): boolean {
  const { language, complete } = useSyncExternalStore(subscribe, () => state);
  useEffect(() => {
    if (wanted && !complete) void loadLanguage(language).catch(() => undefined);
  }, [wanted, language, complete]);
  return complete;
}
