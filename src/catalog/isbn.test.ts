import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.js';
import { normaliseIsbn, parseIsbn } from './isbn.js';

describe('ISBN checking and normalising', () => {
  it('turns an ISBN-10 into its ISBN-13', () => {
    expect(parseIsbn('0-306-40615-2')).toEqual({ isbn13: '9780306406157', hyphenated: '978-0-306-40615-7' });
  });

  it('reads hyphens, spaces, a prefix and a lowercase x check digit', () => {
    expect(normaliseIsbn(' 978 0 306 40615 7 ')).toBe('9780306406157');
    expect(normaliseIsbn('ISBN 978-0-306-40615-7')).toBe('9780306406157');
    expect(normaliseIsbn('0-8044-2957-x')).toBe('9780804429573');
  });

  it('accepts a Kazakhstan (601) ISBN with a correct check digit and hyphenates it', () => {
    expect(parseIsbn('9786017059125')).toEqual({ isbn13: '9786017059125', hyphenated: '978-601-7059-12-5' });
  });

  it('refuses a wrong check digit with a translated error carrying the input', () => {
    expect(parseIsbn('978-601-7059-12-4')).toBeNull();
    expect(parseIsbn('0-306-40615-3')).toBeNull();
    try {
      normaliseIsbn('978-601-7059-12-4');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('catalog.invalid_isbn');
      expect((err as AppError).status).toBe(400);
      expect((err as AppError).params).toEqual({ isbn: '978-601-7059-12-4' });
    }
  });

  it('treats an empty field as no ISBN, and refuses letters and wrong lengths', () => {
    expect(normaliseIsbn('')).toBeNull();
    expect(normaliseIsbn(null)).toBeNull();
    expect(parseIsbn('978601705912')).toBeNull();
    expect(parseIsbn('abc')).toBeNull();
  });
});
