import type { Locale } from '../org/schema.js';

/** A domain's translated texts: per language, a flat key space like 'circulation.copy_on_loan'. */
export type Messages = Record<Locale, Record<string, string>>;
