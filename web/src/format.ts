import { currentLanguage, type Language } from './i18n.js';

/**
 * Intl locales. Kazakh writes numbers and dates as Russian does in Kazakhstan ("1 500,50",
 * "07.12.2026"), while ICU's Kazakh data gives "2026-12-07", and Chromium's ICU formats Kazakh
 * numbers with the root pattern ("1,500.50"): so Kazakh uses ru-KZ.
 */
const INTL_LOCALE: Record<Language, string> = { kk: 'ru-KZ', ru: 'ru-KZ', en: 'en-GB' };

function intlLocale(language = currentLanguage()): string {
  return INTL_LOCALE[language];
}

export function formatNumber(value: number, language?: Language): string {
  return new Intl.NumberFormat(intlLocale(language)).format(value);
}

/** Money is kept in tiyn (1/100 tenge); shown in tenge with the ₸ sign. */
export function formatMoney(tiyn: number, language?: Language): string {
  const tenge = new Intl.NumberFormat(intlLocale(language), {
    minimumFractionDigits: tiyn % 100 === 0 ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(tiyn / 100);
  return `${tenge} ₸`;
}

/** Tenge typed by a person ("1 250,50") → tiyn; null when it is not a sum. */
export function parseTenge(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0₸]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}

const DATE: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit', year: 'numeric' };

/**
 * A 'YYYY-MM-DD' date from the API as a calendar date (read as UTC, so never shifted by the time
 * zone): 07.12.2026 in Kazakh and Russian, as on every school document, 07/12/2026 in English.
 */
export function formatDate(isoDate: string | null | undefined, language?: Language): string {
  if (!isoDate) return '';
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  return new Intl.DateTimeFormat(intlLocale(language), { ...DATE, timeZone: 'UTC' }).format(new Date(Date.UTC(y!, m! - 1, d!)));
}

/** A moment (loan issued, promotion performed) as a local date and 24-hour time. */
export function formatDateTime(value: string | Date, language?: Language): string {
  return new Intl.DateTimeFormat(intlLocale(language), { ...DATE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(value));
}

/** Today as 'YYYY-MM-DD' on this computer's calendar. */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
