import { describe, expect, it } from 'vitest';
import { allMessages, t } from '../src/i18n/index.js';
import { PARAM_VOCABULARY } from '../src/i18n/values.js';

/**
 * Every error text in the reader's language: each message is rendered in Kazakh and Russian with
 * sample parameters — every word of the code a parameter may carry (an entity, a status, a kind) in
 * turn — and must come out without a raw key and without a Latin word that is not a number, a code
 * (ISBN, MARC, XLSX …) or one of the sample values themselves.
 */

const SAMPLES: Record<string, string | number> = {
  id: 1000999999, barcode: '1000000042', isbn: '9786010000001', title: 'Абай жолы', reader: 'Сәрсенова Аружан', borrower: 'Оспанов Ерлан',
  name: 'Сәрсенова Аружан', leader: 'Оспанов Ерлан', login: 'aruzhan7', count: 3, max: 5, min: 10, limit: 100, length: 120, grade: 5,
  letter: 'Ә', classLetter: 'Ә', date: '16.03.2026', from: '01.09.2025', to: '31.05.2026', year: 2026, schoolYear: '2025-2026', days: 12,
  grace: 3, seconds: 4, number: 'Т-2026-0042', registrationNumber: 'Т-2026-0042', inventoryNumber: '000123', line: 7, column: 'title',
  field: 'lastName', value: '31.02.2026', values: 'kk, ru', keys: 'nickname', expected: 'сан', summary: '«Тегі» толтырылмаған',
  code: '1000000042', workId: 42, available: 2, surplus: 1, other: 'Абай жолы', organisation: '№1 мектеп-гимназия', encoding: 'cp1251',
  declared: 10, actual: 9, birth: '1845', death: '1904', headers: 'Тегі, Аты', invalid: '12345', returnedOn: '16.03.2026', issuedOn: '01.03.2026',
  megabytes: 8, condition: 'good', reason: 'wear',
};

/** Acronyms and formats a librarian meets as they are. */
const ALLOWED_LATIN = new Set(['ISBN', 'ISSN', 'MARC', 'MARCXML', 'KazMARC', 'XLSX', 'CSV', 'PDF', 'UTF', 'URL', 'JSON', 'IP', 'OAI', 'PMH', 'SRU', 'ISO', 'XML', 'ID', 'BBK', 'UDC', 'Excel', 'Kitaphana', 'OPAC', 'LDAP', 'cp', 'Z39', 'WebP', 'PNG', 'JPEG', 'PostgreSQL', 'Ed25519', 'pg_dump', 'kk', 'ru', 'en', 'Unicode']);

function latinWords(text: string): string[] {
  // a command the administrator types (npm run setup -- --backup-passphrase) is quoted as it is typed
  return [...text.replace(/\b0x[0-9A-Fa-f]+\b/g, ' ').replace(/\bnpm run [a-z][a-z0-9:-]*(?: --(?: --[a-z][a-z0-9-]*)+)?/g, ' ').matchAll(/[A-Za-z][A-Za-z0-9_]*/g)].map((m) => m[0]).filter((w) => !ALLOWED_LATIN.has(w) && !/^[A-Z0-9]{2,}$/.test(w) && !/^[IVX]+$/.test(w) && !/^\d/.test(w));
}

describe('every error text in the reader’s language', () => {
  const all = allMessages();
  // sub-texts looked up by other messages ($t(fund.status_{{status}})) and the vocabulary itself are checked through them
  const keys = Object.keys(all.en).filter((k) => !k.startsWith('value.') && !k.startsWith('validation.type.'));

  it('renders every message in Kazakh and Russian with sample parameters: no raw key, no stray Latin word', () => {
    const problems: string[] = [];
    for (const key of keys) {
      const names = [...new Set([...(all.en[key] ?? '').matchAll(/\{\{\s*([A-Za-z0-9_]+)/g)].map((m) => m[1]!))];
      const variants: Record<string, unknown>[] = [{}];
      for (const name of names) {
        // a parameter the message looks up itself ($t(fund.status_{{status}})) takes the words that sub-text knows
        const nest = new RegExp(`\\$t\\(([^)]*)\\{\\{${name}\\}\\}\\)`).exec(all.en[key] ?? '')?.[1];
        const words = nest
          ? Object.keys(all.en).filter((k) => k.startsWith(nest)).map((k) => k.slice(nest.length))
          : PARAM_VOCABULARY[name] ? Object.keys(PARAM_VOCABULARY[name].en) : [SAMPLES[name] ?? 'Абай'];
        const next: Record<string, unknown>[] = [];
        for (const v of variants) for (const w of words.slice(0, 40)) next.push({ ...v, [name]: w });
        variants.splice(0, variants.length, ...next.slice(0, 60));
      }
      for (const locale of ['kk', 'ru'] as const) {
        for (const params of variants) {
          let text = t(locale, key, params);
          if (text === key || /\$t\(|\{\{|\b(value|common|circulation|fund|readers|catalog|interop|org|auth|reclist|textbooks|backup|password|validation)\.[a-z_]/.test(text)) {
            problems.push(`${locale} ${key}: raw key in «${text}»`);
            continue;
          }
          // the sample values of free parameters are the caller's data, not the message's words
          for (const [name, value] of Object.entries(params)) if (!PARAM_VOCABULARY[name]) text = text.split(String(value)).join(' ');
          const latin = latinWords(text);
          if (latin.length) problems.push(`${locale} ${key} ${JSON.stringify(params)}: ${latin.join(', ')} in «${text}»`);
        }
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it('names the thing not found in the reader’s language', () => {
    expect(t('kk', 'common.not_found', { entity: 'copy', id: '1000999999' })).toBe('Табылмады: дана 1000999999');
    expect(t('ru', 'common.not_found', { entity: 'reader', id: 7 })).toMatch(/читатель 7/);
  });
});
