import type { Actor } from '../auth/actor.js';
import { allow } from '../auth/guard.js';
import type { Executor } from '../db/executor.js';
import { auditedChange } from '../db/transaction.js';
import { invalid } from '../shared/errors.js';
import { kazakhSortKey } from './folding.js';

/**
 * The author sign (авторлық белгі / авторский знак) of a record: the first letter of the author's surname
 * (of the title's first word when the record has no author) and the number of the table's last entry that
 * does not sort after the surname in the Kazakh alphabet — the rule of Khavkina's tables. The table is data
 * (`catalog.author_signs`), edited by an admin as one sheet.
 */
export interface AuthorSignEntry {
  prefix: string;
  number: number;
}

const LETTER = /\p{L}/u;

/** «Әуезов, Мұхтар» → Әуезов; «Мұхтар Әуезов» → Әуезов; «Абай» → Абай. */
export function surnameOf(name: string): string {
  const trimmed = name.trim();
  if (trimmed.includes(',')) return trimmed.split(',')[0]!.trim();
  const words = trimmed.split(/\s+/).filter((w) => LETTER.test(w) && !/^\p{L}\.$/u.test(w));
  return words.length > 1 ? words[words.length - 1]! : (words[0] ?? '');
}

const initial = (word: string) => [...word.normalize('NFC')].find((c) => LETTER.test(c))?.toUpperCase() ?? '';

/** The sign of a surname (or a title word) by the given table; null when the table has no row for its letter. */
export function signFromTable(table: AuthorSignEntry[], word: string): string | null {
  const letter = initial(word);
  if (!letter) return null;
  const key = kazakhSortKey(word.slice(word.search(LETTER)));
  let best: AuthorSignEntry | null = null;
  let bestKey = '';
  for (const entry of table) {
    if (initial(entry.prefix) !== letter) continue;
    const entryKey = kazakhSortKey(entry.prefix);
    if (entryKey <= key && entryKey >= bestKey) {
      best = entry;
      bestKey = entryKey;
    }
  }
  return best ? `${letter}${best.number}` : null;
}

export async function listAuthorSigns(db: Executor): Promise<AuthorSignEntry[]> {
  const rows = await db.selectFrom('catalog.author_signs').select(['prefix', 'number']).execute();
  return rows.sort((a, b) => (kazakhSortKey(a.prefix) < kazakhSortKey(b.prefix) ? -1 : 1));
}

/** The sign for an author's name, or for a title when there is no author. */
export async function authorSignFor(db: Executor, input: { author?: string | null; title?: string | null }): Promise<string | null> {
  const word = input.author?.trim() ? surnameOf(input.author) : (input.title ?? '').trim().split(/\s+/)[0] ?? '';
  if (!word) return null;
  const letter = initial(word);
  if (!letter) return null;
  const rows = await db.selectFrom('catalog.author_signs').select(['prefix', 'number']).where('prefix', 'like', `${letter}%`).execute();
  return signFromTable(rows, word);
}

/** Replaces the whole table in one audited change (an admin keeps it as one sheet, e.g. typed from the printed table). */
export async function replaceAuthorSigns(db: Executor, actor: Actor, entries: AuthorSignEntry[]): Promise<AuthorSignEntry[]> {
  allow(actor, 'admin');
  const seen = new Set<string>();
  const clean = entries.map((e) => ({ prefix: e.prefix.trim(), number: e.number }));
  for (const e of clean) {
    if (!e.prefix || !initial(e.prefix)) throw invalid('catalog.sign_prefix_required');
    if (!Number.isInteger(e.number) || e.number < 1 || e.number > 999) throw invalid('catalog.sign_bad_number', { prefix: e.prefix, value: e.number });
    const key = e.prefix.toLowerCase();
    if (seen.has(key)) throw invalid('catalog.sign_duplicate', { prefix: e.prefix });
    seen.add(key);
  }
  return auditedChange(db, actor, { action: 'replace', entity: 'author_signs', details: { count: clean.length } }, async (trx) => {
    await trx.deleteFrom('catalog.author_signs').execute();
    for (let i = 0; i < clean.length; i += 500) await trx.insertInto('catalog.author_signs').values(clean.slice(i, i + 500)).execute();
    return listAuthorSigns(trx);
  });
}
