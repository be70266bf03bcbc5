import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatMoney, formatNumber, parseTenge } from './format.js';

// Intl separates thousands with a no-break space in Kazakh and Russian.
const nbsp = (text: string) => text.replace(/\u00a0|\u202f/g, ' ');

describe('formatting for the three languages', () => {
  it('shows a price kept in tiyn as tenge with the ₸ sign', () => {
    expect(nbsp(formatMoney(250_000, 'kk'))).toBe('2 500 ₸');
    expect(nbsp(formatMoney(125_050, 'ru'))).toBe('1 250,50 ₸');
    expect(formatMoney(125_050, 'en')).toBe('1,250.50 ₸');
    expect(formatMoney(0, 'en')).toBe('0 ₸');
  });

  it('reads tenge typed by a librarian back into tiyn, refusing what is not a sum', () => {
    expect(parseTenge('1 250,50')).toBe(125_050);
    expect(parseTenge('2500')).toBe(250_000);
    expect(parseTenge('2500 ₸')).toBe(250_000);
    expect(parseTenge('12.5')).toBe(1_250);
    expect(parseTenge('')).toBeNull();
    expect(parseTenge('екі мың')).toBeNull();
    expect(parseTenge('-5')).toBeNull();
    expect(parseTenge('1,255')).toBeNull();
  });

  it('writes a due date as on school documents, with no time-zone shift', () => {
    expect(formatDate('2026-12-07', 'kk')).toBe('07.12.2026');
    expect(formatDate('2026-12-07', 'ru')).toBe('07.12.2026');
    expect(formatDate('2026-12-07', 'en')).toBe('07/12/2026');
    expect(formatDate(null, 'kk')).toBe('');
  });

  it('writes a moment with a 24-hour clock', () => {
    const at = new Date(2026, 8, 1, 14, 5);
    expect(formatDateTime(at, 'kk')).toBe('01.09.2026, 14:05');
    expect(formatDateTime(at, 'en')).toBe('01/09/2026, 14:05');
  });

  it('groups the thousands of counts the local way', () => {
    expect(nbsp(formatNumber(60_252, 'kk'))).toBe('60 252');
    expect(formatNumber(60_252, 'en')).toBe('60,252');
  });
});
