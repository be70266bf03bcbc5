import type { Generated } from 'kysely';
import type { DateString } from '../org/schema.js';

export type FundKind = 'main' | 'textbook' | 'periodical' | 'electronic' | 'off_balance';
export type CopyStatus = 'available' | 'on_loan' | 'in_repair' | 'lost' | 'written_off';

export interface CopyTable {
  id: Generated<number>;
  organisation_id: number;
  work_id: number;
  inventory_number: string;
  barcode: string;
  fund: Generated<FundKind>;
  price_tiyn: Generated<number>;
  status: Generated<CopyStatus>;
  location: string | null;
  acquired_on: DateString;
  note: string | null;
  /** An especially valuable publication (аса құнды басылым). */
  valuable: Generated<boolean>;
  /** On the open-access shelves (еркін пайдалану қоры). */
  open_access: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CounterTable {
  organisation_id: number;
  name: string;
  next_value: Generated<number>;
}

export interface FundTables {
  'fund.copies': CopyTable;
  'fund.counters': CounterTable;
}
