export type Category = 'classical' | 'independence' | 'contemporary' | 'abroad' | 'foreign';

export interface CategoryFigures {
  category: Category;
  titles: number;
  held: number;
  copies: number;
  coverage: number;
}

export interface Bought {
  year: number;
  source: string;
  copies: number;
}

export interface FundFigures {
  copies: number;
  fictionCopies: number;
  kazakhCopies: number;
  fictionShare: number;
  kazakhShare: number;
}

export interface Coverage {
  organisationId: number;
  organisationName: string;
  listYear: number;
  titlesTotal: number;
  titlesHeld: number;
  coverage: number;
  listCopies: number;
  students: number;
  copiesPer100Students: number | null;
  byCategory: CategoryFigures[];
  titles: { entryId: number; position: number; title: string; author: string; category: Category; ageGroup: string; copies: number }[];
}

export interface PurchasePlan {
  listYear: number;
  rule: { studentsPerCopy: number; minCopies: number; priceTiyn: number; isDefault: boolean };
  copiesToBuy: number;
  sumTiyn: number;
  lines: { entryId: number; title: string; author: string; category: Category; ageGroup: string; students: number; needed: number; held: number; toBuy: number; sumTiyn: number }[];
  /** titles readers asked for that the library lacks, put into the plan from the unmet requests */
  requested: { unmetId: number; title: string; author: string | null; times: number; source: 'desk' | 'search' | 'question'; toBuy: number; sumTiyn: number }[];
  requestedCopies: number;
  requestedSumTiyn: number;
}

export interface LevelSummary {
  organisation: { id: number; name: string; kind: string };
  period: number;
  listYear: number | null;
  libraries: number;
  reporting: number;
  completeLibraries: number;
  titlesTotal: number;
  titlesHeld: number;
  coverage: number;
  listCopies: number;
  students: number;
  copiesPer100Students: number | null;
  fund: FundFigures;
  byCategory: CategoryFigures[];
  bought: Bought[];
  oldestFigures: string | null;
}

export interface RankedSchool {
  organisationId: number;
  name: string;
  code: string | null;
  origin: 'local' | 'package' | null;
  titlesTotal: number | null;
  titlesHeld: number | null;
  coverage: number | null;
  listCopies: number | null;
  students: number | null;
  copiesPer100Students: number | null;
}

export interface SchoolFigures {
  organisation: { id: number; name: string; code: string | null };
  origin: 'local' | 'package';
  computedAt: string;
  listYear: number;
  titlesTotal: number;
  titlesHeld: number;
  coverage: number;
  listCopies: number;
  students: number;
  copiesPer100Students: number | null;
  fund: FundFigures;
  byCategory: CategoryFigures[];
  bought: Bought[];
}
