/** The interface languages and the shape of their texts. */
export const LANGUAGES = ['kk', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One area's texts: flat keys namespaced by area ('common.save', 'catalog.search.title'). */
export type Texts = Record<string, string>;
export type LocaleModule = Record<Language, Texts>;
