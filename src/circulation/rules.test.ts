import { describe, expect, it } from 'vitest';
import { resolveLoanRule, type LoanRule } from './rules.js';

const LIB = 7;
const rule = (over: Partial<LoanRule> & { loanDays: number }): LoanRule => ({
  organisationId: null,
  readerKind: null,
  fund: null,
  maxRenewals: 2,
  maxLoans: null,
  ...over,
});

const globalDefault = rule({ loanDays: 14 });
const globalTeacherTextbook = rule({ readerKind: 'teacher', fund: 'textbook', loanDays: 300 });
const globalTeacher = rule({ readerKind: 'teacher', loanDays: 30 });
const globalPeriodical = rule({ fund: 'periodical', loanDays: 3 });
const library = rule({ organisationId: LIB, loanDays: 10, maxLoans: 5 });
const libraryPeriodical = rule({ organisationId: LIB, fund: 'periodical', loanDays: 5 });
const libraryStudent = rule({ organisationId: LIB, readerKind: 'student', loanDays: 7 });
const libraryStudentTextbook = rule({ organisationId: LIB, readerKind: 'student', fund: 'textbook', loanDays: 270, maxRenewals: 0 });

const all = [globalDefault, globalTeacherTextbook, globalTeacher, globalPeriodical, library, libraryPeriodical, libraryStudent, libraryStudentTextbook];

describe('resolveLoanRule: the most specific rule wins', () => {
  it('takes the library rule for this reader kind and fund first', () => {
    expect(resolveLoanRule(all, 'student', 'textbook')).toBe(libraryStudentTextbook);
  });

  it('prefers the library rule for the reader kind over the one for the fund', () => {
    expect(resolveLoanRule(all, 'student', 'periodical')).toBe(libraryStudent);
    expect(resolveLoanRule(all, 'student', 'main').loanDays).toBe(7);
  });

  it('falls back to the library rule for the fund, then to the library rule', () => {
    expect(resolveLoanRule(all, 'parent', 'periodical')).toBe(libraryPeriodical);
    expect(resolveLoanRule(all, 'parent', 'main')).toBe(library);
  });

  it('lets any library rule outrank every global one', () => {
    // A global teacher/textbook rule exists, but the library's own catch-all rule is more specific.
    expect(resolveLoanRule(all, 'teacher', 'textbook')).toBe(library);
  });

  it('uses the global rules, most specific first, for a library without its own', () => {
    const globals = [globalDefault, globalTeacherTextbook, globalTeacher, globalPeriodical];
    expect(resolveLoanRule(globals, 'teacher', 'textbook').loanDays).toBe(300);
    expect(resolveLoanRule(globals, 'teacher', 'periodical').loanDays).toBe(30);
    expect(resolveLoanRule(globals, 'student', 'periodical').loanDays).toBe(3);
    expect(resolveLoanRule(globals, 'student', 'main')).toBe(globalDefault);
  });

  it('does not depend on the order of the rules', () => {
    expect(resolveLoanRule([...all].reverse(), 'student', 'textbook')).toBe(libraryStudentTextbook);
    expect(resolveLoanRule([...all].reverse(), 'other', 'electronic')).toBe(library);
  });

  it('refuses to guess when even the global default is missing', () => {
    expect(() => resolveLoanRule([libraryStudent], 'teacher', 'main')).toThrow(/global default/);
  });
});
