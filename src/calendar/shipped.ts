import fs from 'node:fs';
import type { Occupation } from './schema.js';

/** One line of the shipped reference list: a person's birth or a dated event. */
export interface ShippedEntry {
  kk: string;
  ru: string;
  en: string;
  /** 'YYYY-MM-DD' when the day is known, 'YYYY' when only the year is. */
  born: string;
  what: Occupation;
  origin: 'kz' | 'world';
}

let cache: ShippedEntry[] | undefined;

/** The persons and events shipped with the product: there on a fresh start, without any setup. */
export function shippedEntries(): ShippedEntry[] {
  if (!cache) {
    const data = JSON.parse(fs.readFileSync(new URL('./persons.json', import.meta.url), 'utf8')) as { entries: ShippedEntry[] };
    cache = data.entries;
  }
  return cache;
}

/** Year, month and day of a 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' date as the list writes it. */
export function parseBorn(born: string): { year: number; month: number | null; day: number | null } {
  const [y, m, d] = born.split('-');
  return { year: Number(y), month: m ? Number(m) : null, day: d ? Number(d) : null };
}
