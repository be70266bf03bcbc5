/**
 * The interface texts of every area, all languages at once, free of browser APIs so tests can read
 * them. The browser never loads this module: it gets one language through i18n.ts (see
 * web/build/locale-split.ts).
 */
import { LANGUAGES, type Language, type LocaleModule } from './languages.js';

export { LANGUAGES, type Language, type LocaleModule, type Texts } from './languages.js';

/** Every locale module of web/src/locales, keyed by file. Each area adds its own file there. */
export const localeModules: Record<string, LocaleModule> = Object.fromEntries(
  Object.entries(import.meta.glob<{ default: LocaleModule }>('./locales/*.ts', { eager: true })).map(([file, m]) => [file, m.default]),
);

export function mergeLocales(modules: LocaleModule[]): LocaleModule {
  const merged: LocaleModule = { kk: {}, ru: {}, en: {} };
  for (const m of modules) for (const l of LANGUAGES as readonly Language[]) Object.assign(merged[l], m[l]);
  return merged;
}
