import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES, localeModules, mergeLocales, type Language } from './texts.js';

export { LANGUAGES, type Language };

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

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'kk';
}

/** Switches the interface language and remembers it on this computer. */
export async function switchLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode: the choice lasts until the tab closes.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = language;
  await i18n.changeLanguage(language);
}

const resources = mergeLocales(Object.values(localeModules));

void i18n.use(initReactI18next).init({
  lng: storedLanguage(),
  fallbackLng: 'kk',
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
  resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: resources[l] }])),
  initAsync: false,
});
if (typeof document !== 'undefined') document.documentElement.lang = storedLanguage();

export default i18n;
