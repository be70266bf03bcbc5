import { afterEach, describe, expect, it } from 'vitest';
import { localDate, localDateTime, now, schoolYearOf, schoolYearRange, setClock } from './library-time.js';

describe("the library's clock", () => {
  afterEach(() => setClock(undefined));

  it('gives the Almaty date at 00:30 local time, when UTC is still the day before', () => {
    // 00:30 in Almaty (UTC+5) is 19:30 UTC of the previous day
    expect(localDate('Asia/Almaty', new Date('2026-03-14T19:30:00Z'))).toBe('2026-03-15');
  });

  it('gives the Almaty date at 23:30 local time', () => {
    expect(localDate('Asia/Almaty', new Date('2026-03-15T18:30:00Z'))).toBe('2026-03-15');
    expect(localDateTime('Asia/Almaty', new Date('2026-03-15T18:30:00Z')).time).toBe('23:30:00');
  });

  it('puts 1 January at 00:30 in the new year though UTC is still in the old one', () => {
    const at = new Date('2026-12-31T19:30:00Z');
    expect(at.toISOString().slice(0, 10)).toBe('2026-12-31');
    expect(localDateTime('Asia/Almaty', at).year).toBe(2027);
    expect(localDate('Asia/Almaty', at)).toBe('2027-01-01');
  });

  it('follows a fixed test clock', () => {
    setClock(new Date('2025-01-01T00:00:00Z'));
    expect(now().toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(localDate()).toBe('2025-01-01');
  });

  it('names the school year, September to August', () => {
    expect(schoolYearOf('2024-09-01')).toBe('2024-2025');
    expect(schoolYearOf('2025-08-31')).toBe('2024-2025');
    expect(schoolYearRange('2024-2025')).toEqual({ from: '2024-09-01', to: '2025-08-31' });
    expect(() => schoolYearRange('2024-2026')).toThrow();
  });
});
