import { describe, expect, it } from 'vitest';
import { messages as fund } from '../messages.js';
import { messages as accounting } from './messages.js';

/**
 * The Kazakh words of the registers and acts are those of docs/glossary.md: one word each, the register's own
 * (инвентарлық кітап, есептен шығару, абонемент, мөртабан қою, КБЖ, ӘОЖ), never the ones it replaced.
 */
const REPLACED: [RegExp, string][] = [
  [/түгендеу кітаб/i, 'инвентарлық кітап'],
  [/түгендеу нөмір/i, 'инвентарлық нөмір'],
  [/(?<!есептен )шығару актісі/i, 'есептен шығару актісі'],
  [/^Шығарылды/, 'есептен шығарылды'],
  [/кітап беру пункті/i, 'абонемент'],
  [/мөр басу/i, 'мөртабан қою'],
  [/партия/i, 'топтама'],
  [/литер/i, 'сынып әрпі'],
  [/айырбас/i, 'алмасу'],
  [/ББК|УДК/, 'КБЖ, ӘОЖ'],
];

describe('the Kazakh register words of the fund', () => {
  const kk = { ...fund.kk, ...accounting.kk } as Record<string, string>;

  it.each(REPLACED.map(([pattern, word]) => [String(pattern), pattern, word] as const))('no message uses %s', (_, pattern, word) => {
    const found = Object.entries(kk).filter(([, text]) => pattern.test(text)).map(([key, text]) => `${key}: ${text} (use «${word}»)`);
    expect(found).toEqual([]);
  });

  it('names the printed books and acts by the register words', () => {
    expect(kk['accounting.book.inventory_title']).toBe('Инвентарлық кітап');
    expect(kk['accounting.book.summary_title']).toBe('Кітапхана қорын жиынтық есепке алу кітабы');
    expect(kk['accounting.book.textbook_summary_title']).toBe('Оқулық қорын жиынтық есепке алу кітабы');
    expect(kk['accounting.book.col.write_off']).toMatch(/^Есептен шығару актісі/);
    expect(kk['accounting.book.row.written_off']).toBe('Есептен шығарылды');
    expect(kk['accounting.act.write_off_title']).toContain('есептен шығару туралы');
  });
});
