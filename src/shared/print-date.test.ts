import { describe, expect, it } from 'vitest';
import { printDate } from './print-date.js';

describe('printDate', () => {
  it('writes a library date as dd.mm.yyyy', () => {
    expect(printDate('2026-09-01')).toBe('01.09.2026');
    expect(printDate('2027-12-31')).toBe('31.12.2027');
  });

  it('prints nothing for no date, and leaves what is not a plain date as it is', () => {
    expect(printDate(null)).toBe('');
    expect(printDate(undefined)).toBe('');
    expect(printDate('')).toBe('');
    // a UTC timestamp is not cut to its UTC day: the caller converts it to the library's date first
    expect(printDate('2026-09-01T20:00:00.000Z')).toBe('2026-09-01T20:00:00.000Z');
    expect(printDate('2025-2026')).toBe('2025-2026');
  });
});
