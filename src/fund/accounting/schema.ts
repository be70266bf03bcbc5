import type { ColumnType } from 'kysely';
import type { Generated } from 'kysely';
import type { DateString, Json } from '../../org/schema.js';

/** The report groups of the summary book; 'textbooks' is the separate column of the textbook fund. */
export const KNOWLEDGE_GROUPS = [
  'socio_political',
  'natural_sciences',
  'technology_agriculture',
  'sport_arts',
  'linguistics_literature',
  'fiction',
  'other',
  'textbooks',
] as const;
export type KnowledgeGroup = (typeof KNOWLEDGE_GROUPS)[number];
/** Groups a classification rule may assign (textbooks follow the fund, not the index). */
export type RuleGroup = Exclude<KnowledgeGroup, 'textbooks'>;

export const LANGUAGE_GROUPS = ['kk', 'ru', 'other'] as const;
export type LanguageGroup = (typeof LANGUAGE_GROUPS)[number];

export const RECEIPT_SOURCES = ['budget_purchase', 'state_order', 'gift', 'exchange', 'subscription', 'replacement', 'initial', 'transfer'] as const;
export type ReceiptSource = (typeof RECEIPT_SOURCES)[number];

export const WRITE_OFF_REASONS = [
  'physical_wear',
  'obsolete_content',
  'lost_by_reader',
  'defective',
  'out_of_profile',
  'duplicate',
  'storage_expired',
  'missing_at_check',
  'transfer',
] as const;
export type WriteOffReason = (typeof WRITE_OFF_REASONS)[number];

export interface KnowledgeGroupRuleTable {
  id: Generated<number>;
  scheme: 'bbk' | 'udc';
  prefix: string;
  knowledge_group: RuleGroup;
  priority: Generated<number>;
}

export interface ReceiptTable {
  id: Generated<number>;
  organisation_id: number;
  number: string;
  received_on: DateString;
  source: ReceiptSource;
  document_number: string | null;
  supplier: string | null;
  note: string | null;
  created_by: number | null;
  created_at: Generated<Date>;
  document_date: ColumnType<string | null, string | null | undefined, string | null>;
  from_organisation_id: Generated<number | null>;
}

export interface ReceiptLineTable {
  id: Generated<number>;
  receipt_id: number;
  work_id: number;
  copies_count: number;
  price_tiyn: number;
  valuation: Generated<boolean>;
  fund: string;
  knowledge_group: KnowledgeGroup;
  language_group: LanguageGroup;
  off_balance: Generated<boolean>;
  publication_type: Generated<string>;
  children: Generated<boolean>;
  price_unknown: Generated<boolean>;
}

export interface WriteOffActTable {
  id: Generated<number>;
  organisation_id: number;
  number: string;
  kind: Generated<'write_off' | 'reversal'>;
  reverses_id: number | null;
  act_date: DateString;
  reason: WriteOffReason;
  commission: Json<string[]>;
  note: string | null;
  status: Generated<'draft' | 'approved'>;
  approved_at: Date | null;
  approved_by: number | null;
  created_at: Generated<Date>;
  commission_chair: Generated<string | null>;
  head_name: Generated<string | null>;
  transfer_to: Generated<number | null>;
  transfer_receipt_id: Generated<number | null>;
}

export interface WriteOffLineTable {
  act_id: number;
  copy_id: number;
  price_tiyn: Generated<number>;
  knowledge_group: Generated<string>;
  language_group: Generated<string>;
  off_balance: Generated<boolean>;
  publication_type: Generated<string>;
  children: Generated<boolean>;
  price_unknown: Generated<boolean>;
}

export interface OpeningBalanceTable {
  id: Generated<number>;
  organisation_id: number;
  as_of: DateString;
  document_number: string | null;
  document_date: DateString | null;
  note: string | null;
  status: Generated<'draft' | 'posted'>;
  receipt_id: number | null;
  import_id: number | null;
  check_id: number | null;
  created_by: number | null;
  created_at: Generated<Date>;
  posted_at: Date | null;
}

export interface OpeningRowTable {
  id: Generated<number>;
  opening_id: number;
  organisation_id: number;
  load_id: Generated<number>;
  row_number: number | null;
  copy_id: number | null;
  work_id: number;
  inventory_number: string;
  barcode: string | null;
  entered_on: DateString;
  price_tiyn: Generated<number>;
  price_unknown: Generated<boolean>;
  valuation: Generated<boolean>;
  fund: Generated<string>;
  off_balance: Generated<boolean>;
  knowledge_group: string;
  language_group: string;
  publication_type: string;
  children: Generated<boolean>;
  location: string | null;
}

export interface InventoryNumberHistoryTable {
  id: Generated<number>;
  copy_id: number;
  old_number: string;
  new_number: string;
  changed_on: DateString;
  changed_by: number | null;
}

export interface CheckTable {
  id: Generated<number>;
  organisation_id: number;
  number: string;
  started_on: DateString;
  location_prefix: string | null;
  fund: string | null;
  knowledge_group: string | null;
  /** Only the especially valuable copies (their own check schedule). */
  valuable_only: Generated<boolean>;
  /** Only the open-access fund. */
  open_access_only: Generated<boolean>;
  status: Generated<'open' | 'closed'>;
  closed_at: Date | null;
  write_off_act_id: number | null;
  created_by: number | null;
  created_at: Generated<Date>;
}

export interface CheckScanTable {
  id: Generated<number>;
  check_id: number;
  barcode: string;
  copy_id: number | null;
  shelf: string | null;
  scanned_at: Generated<Date>;
}

export interface LossTable {
  id: Generated<number>;
  organisation_id: number;
  /** null once the loss is settled and the library's period for losses has passed (the act stays) */
  reader_id: number | null;
  copy_id: number;
  loan_id: number | null;
  lost_on: DateString;
  settlement: 'replacement' | 'payment';
  replacement_copy_id: number | null;
  payment_tiyn: number | null;
  write_off_act_id: number;
  note: string | null;
  created_by: number | null;
  created_at: Generated<Date>;
}

// Copy columns added by fund accounting's migration; the copies table itself belongs to the fund domain.
declare module '../schema.js' {
  interface CopyTable {
    receipt_id: Generated<number | null>;
    receipt_line_id: Generated<number | null>;
    write_off_id: Generated<number | null>;
  }
}

// Tables of fund accounting: receipts, write-off acts, fund checks, losses.
export interface AccountingTables {
  'fund.knowledge_group_rules': KnowledgeGroupRuleTable;
  'fund.receipts': ReceiptTable;
  'fund.receipt_lines': ReceiptLineTable;
  'fund.write_off_acts': WriteOffActTable;
  'fund.write_off_lines': WriteOffLineTable;
  'fund.inventory_number_history': InventoryNumberHistoryTable;
  'fund.checks': CheckTable;
  'fund.check_scans': CheckScanTable;
  'fund.losses': LossTable;
  'fund.opening_balances': OpeningBalanceTable;
  'fund.opening_rows': OpeningRowTable;
}
