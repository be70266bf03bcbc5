import i18next, { type i18n } from 'i18next';
import type { Locale } from '../org/schema.js';
import { messages as fieldLabels } from './field-labels.js';
import { messages as common } from './messages.js';
import { domainMessages } from './registry.js';
import { PARAM_VOCABULARY, valueMessages } from './values.js';

export const LOCALES: Locale[] = ['kk', 'ru', 'en'];
export type { Messages } from './types.js';
import type { Messages } from './types.js';

/** All server-side messages of every domain, merged: one flat key space like 'circulation.copy_on_loan'. */
export function allMessages(): Messages {
  const merged: Messages = { kk: {}, ru: {}, en: {} };
  for (const m of [common, fieldLabels, valueMessages, ...domainMessages]) {
    for (const l of LOCALES) Object.assign(merged[l], m[l]);
  }
  return merged;
}

let instance: i18n | undefined;

function translator(): i18n {
  if (instance) return instance;
  const all = allMessages();
  instance = i18next.createInstance();
  void instance.init({
    initAsync: false,
    lng: 'kk',
    fallbackLng: 'en',
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
    resources: Object.fromEntries(LOCALES.map((l) => [l, { translation: all[l] }])),
  });
  return instance;
}

export function t(locale: Locale, key: string, params: Record<string, unknown> = {}): string {
  const shown: Record<string, unknown> = {};
  const template = String(translator().getResource(locale, 'translation', key) ?? '');
  for (const [name, value] of Object.entries(params)) {
    // a word of the code (an entity, a status, a kind) is shown in the reader's language,
    // unless the message looks it up itself ($t(fund.status_{{status}}))
    const nested = new RegExp(`\\$t\\([^)]*\\{\\{${name}\\}\\}\\)`).test(template);
    const word = typeof value === 'string' && !nested && PARAM_VOCABULARY[name] ? PARAM_VOCABULARY[name][locale]?.[value] : undefined;
    shown[name] = word ?? value;
  }
  return translator().t(key, { lng: locale, ...shown }) as string;
}

export function pickLocale(...candidates: (string | undefined | null)[]): Locale {
  for (const c of candidates) {
    if (!c) continue;
    for (const part of c.split(',')) {
      const tag = part.trim().slice(0, 2).toLowerCase();
      if ((LOCALES as string[]).includes(tag)) return tag as Locale;
    }
  }
  return 'kk';
}
