export const PLAN_SECTIONS = ['organisation', 'fund', 'textbooks', 'readers', 'mass_work', 'reference', 'literacy', 'promotion', 'methodical', 'professional'] as const;
export const EVENT_FORMS = [
  'exhibition', 'review', 'literary_hour', 'literary_evening', 'quiz', 'reading_conference', 'writer_meeting', 'book_discussion',
  'round_table', 'presentation', 'information_day', 'information_hour', 'bibliography_lesson', 'excursion', 'contest', 'debate',
  'challenge', 'book_trailer', 'bookcrossing', 'conversation', 'consultation', 'other',
] as const;
export const WHEN_KINDS = ['month', 'range', 'quarterly', 'constantly', 'during_year', 'as_needed'] as const;
export const ENTRY_STATUSES = ['planned', 'held', 'moved', 'cancelled'] as const;
/** Months in school-year order, August (preparation) first. */
export const PLAN_MONTHS = [8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7];

export type { PlanView, PlanEntryView } from '../../../../src/events/plans.js';
export type { EventView } from '../../../../src/events/held.js';
export type { ExhibitionView } from '../../../../src/events/exhibitions.js';
export type { EventCounts, ExhibitionCounts, ClubCounts } from '../../../../src/events/counts.js';

export function schoolYearOf(date: string): string {
  const y = Number(date.slice(0, 4));
  const start = Number(date.slice(5, 7)) >= 9 ? y : y - 1;
  return `${start}-${start + 1}`;
}

export function shiftYear(schoolYear: string, by: number): string {
  const y = Number(schoolYear.slice(0, 4)) + by;
  return `${y}-${y + 1}`;
}
