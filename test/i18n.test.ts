import { describe, expect, it } from 'vitest';
import { allMessages, LOCALES, t } from '../src/i18n/index.js';

/** `{{name}}` and `{{name, format}}` placeholders of a message, by name. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([A-Za-z0-9_]+)[^}]*\}\}/g)].map((m) => m[1]!).sort();
}

describe('server messages in Kazakh, Russian and English', () => {
  const all = allMessages();
  const keys = [...new Set(LOCALES.flatMap((l) => Object.keys(all[l])))].sort();

  it('has messages to check', () => {
    expect(keys.length).toBeGreaterThan(10);
    expect(keys).toContain('catalog.invalid_isbn');
    expect(keys).toContain('fund.duplicate_barcode');
  });

  it('has every key, non-empty, in all three languages', () => {
    const gaps = keys.flatMap((key) => LOCALES.filter((l) => !all[l][key]?.trim()).map((l) => `${l}: ${key}`));
    expect(gaps).toEqual([]);
  });

  it('keeps every placeholder of the English text in the Kazakh and Russian texts', () => {
    const lost = keys.flatMap((key) => {
      const wanted = placeholders(all.en[key] ?? '');
      return (['kk', 'ru'] as const).flatMap((l) => {
        const present = placeholders(all[l][key] ?? '');
        return wanted.filter((p) => !present.includes(p)).map((p) => `${l}: ${key} lacks {{${p}}}`);
      });
    });
    expect(lost).toEqual([]);
  });

  it('refers only to messages that exist when one message nests another', () => {
    const dangling = keys.flatMap((key) =>
      LOCALES.flatMap((l) =>
        [...(all[l][key] ?? '').matchAll(/\$t\(([^)]+)\)/g)]
          .map((m) => m[1]!)
          .filter((ref) => !ref.includes('{{') && !all[l][ref])
          .map((ref) => `${l}: ${key} → ${ref}`),
      ),
    );
    expect(dangling).toEqual([]);
  });

  it('fills the placeholders when translating', () => {
    expect(t('ru', 'fund.duplicate_barcode', { barcode: '1000000042' })).toBe('Штрихкод 1000000042 уже присвоен другому экземпляру этой библиотеки');
    expect(t('kk', 'fund.status_locked', { status: 'on_loan' })).toBe('Дананың күйін қолмен өзгертуге болмайды: ол қазір «оқырманда» күйінде');
  });
});
