import { describe, expect, it } from 'vitest';
import { fromCyrillicLayout } from './keyboard.js';

describe('codes typed by a scanner under a Cyrillic keyboard layout', () => {
  it('maps Russian-layout letters back to the Latin keys', () => {
    expect(fromCyrillicLayout('йцукен')).toBe('qwerty');
    expect(fromCyrillicLayout('ШЫИТ')).toBe('ISBN');
    expect(fromCyrillicLayout('ФИС123')).toBe('ABC123');
  });

  it('maps the Kazakh number row back to digits', () => {
    // 1000000042 typed in the Kazakh layout: 1 → ", 0 → қ, 4 → ң, 2 → ә
    expect(fromCyrillicLayout('"қққққққңә')).toBe('1000000042');
    expect(fromCyrillicLayout('"әіңғ,.үұқ')).toBe('1234567890');
  });

  it('leaves digits and codes that need no mapping as they are', () => {
    expect(fromCyrillicLayout('1000000001')).toBe('1000000001');
    expect(fromCyrillicLayout('')).toBe('');
  });
});
