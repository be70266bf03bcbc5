/** The period a page shows, from its address: ?year=2025 or ?schoolYear=2024-2025. */
export interface PagePeriod {
  year?: number;
  schoolYear?: string;
}

export function periodFromParams(params: URLSearchParams, today: string): PagePeriod {
  const schoolYear = params.get('schoolYear');
  if (schoolYear) return { schoolYear };
  const year = params.get('year');
  // By default the last finished calendar year: the one a library reports on.
  return { year: year ? Number(year) : Number(today.slice(0, 4)) - 1 };
}

export const periodKey = (p: PagePeriod) => p.schoolYear ?? String(p.year);
