import type { Generated } from 'kysely';
import type { DateString } from '../org/schema.js';

export interface LoanRuleTable {
  id: Generated<number>;
  organisation_id: number | null;
  reader_kind: string | null;
  fund: string | null;
  loan_days: number;
  max_renewals: Generated<number>;
  max_loans: number | null;
}

export interface LoanTable {
  id: Generated<number>;
  organisation_id: number;
  copy_id: number;
  reader_id: number;
  issued_at: Generated<Date>;
  due_on: DateString;
  renewals: Generated<number>;
  issued_by: number | null;
  returned_at: Date | null;
  returned_by: number | null;
}

export interface VisitTable {
  organisation_id: number;
  reader_id: number;
  visited_on: DateString;
}

export interface CirculationTables {
  'circulation.loan_rules': LoanRuleTable;
  'circulation.loans': LoanTable;
  'circulation.visits': VisitTable;
}
