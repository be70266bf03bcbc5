import { addDays } from '../circulation/dates.js';
import { invalid } from '../shared/errors.js';
import { schoolYearRange } from '../shared/library-time.js';

/** A period of the annual report: a calendar year ('2024') or a school year ('2024-2025'). */
export interface ReportPeriod {
  key: string;
  kind: 'year' | 'schoolYear';
  from: string;
  to: string;
}

export function periodOf(input: { year?: number | string; schoolYear?: string }): ReportPeriod {
  if (input.year !== undefined && input.schoolYear !== undefined) throw invalid('reports.one_period');
  if (input.schoolYear !== undefined) {
    try {
      const { from, to } = schoolYearRange(input.schoolYear);
      return { key: input.schoolYear, kind: 'schoolYear', from, to };
    } catch {
      throw invalid('reports.bad_school_year', { value: input.schoolYear });
    }
  }
  if (input.year === undefined) throw invalid('reports.period_required');
  const year = Number(input.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw invalid('reports.bad_year', { value: String(input.year) });
  return { key: String(year), kind: 'year', from: `${year}-01-01`, to: `${year}-12-31` };
}

/** The same period a year earlier. */
export function previousPeriod(p: ReportPeriod): ReportPeriod {
  const start = Number(p.key.slice(0, 4)) - 1;
  return p.kind === 'year' ? periodOf({ year: start }) : periodOf({ schoolYear: `${start}-${start + 1}` });
}

export function periodByKey(key: string): ReportPeriod {
  return key.includes('-') ? periodOf({ schoolYear: key }) : periodOf({ year: key });
}

/** A period that has not begun yet has no report. */
export function assertStarted(p: ReportPeriod, today: string) {
  if (p.from > today) throw invalid('reports.future_period', { period: p.key });
}

export const nextDay = (date: string): string => addDays(date, 1);
