/** The interface texts of every area, free of browser APIs so tests can read them. */
export const LANGUAGES = ['kk', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One area's texts: flat keys namespaced by area ('common.save', 'catalog.search.title'). */
export type Texts = Record<string, string>;
export type LocaleModule = Record<Language, Texts>;

/** Every locale module of web/src/locales, keyed by file. Each area adds its own file there. */
export const localeModules: Record<string, LocaleModule> = Object.fromEntries(
  Object.entries(import.meta.glob<{ default: LocaleModule }>('./locales/*.ts', { eager: true })).map(([file, m]) => [
    file,
    m.default,
  ]),
);

export function mergeLocales(modules: LocaleModule[]): LocaleModule {
  const merged: LocaleModule = { kk: {}, ru: {}, en: {} };
  for (const m of modules) for (const l of LANGUAGES) Object.assign(merged[l], m[l]);
  return merged;
}

