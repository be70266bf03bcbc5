export const RECEIPT_SOURCES = ['budget_purchase', 'state_order', 'gift', 'exchange', 'subscription', 'replacement', 'initial', 'transfer'] as const;
export const WRITE_OFF_REASONS = [
  'physical_wear', 'obsolete_content', 'lost_by_reader', 'defective', 'out_of_profile', 'duplicate', 'storage_expired', 'missing_at_check', 'transfer',
] as const;
export const GROUPS = ['socio_political', 'natural_sciences', 'technology_agriculture', 'sport_arts', 'linguistics_literature', 'fiction', 'other', 'textbooks'] as const;
export const LANGUAGE_GROUPS = ['kk', 'ru', 'other'] as const;

export interface Receipt {
  id: number;
  number: string;
  receivedOn: string;
  source: (typeof RECEIPT_SOURCES)[number];
  documentNumber: string | null;
  supplier: string | null;
  copiesCount: number;
  sumTiyn: number;
  /** Textbooks received by count with this document (textbook fund), outside the copy lines. */
  textbooksCount: number;
  textbooksSumTiyn: number;
}

export interface ReceiptLine {
  id: number;
  title: string;
  copiesCount: number;
  priceTiyn: number;
  sumTiyn: number;
  copies: { id: number; inventoryNumber: string; barcode: string }[];
}

export interface Act {
  id: number;
  number: string;
  kind: 'write_off' | 'reversal';
  reversesId: number | null;
  reversedById: number | null;
  note?: string | null;
  actDate: string;
  reason: (typeof WRITE_OFF_REASONS)[number];
  status: 'draft' | 'approved';
  copiesCount: number;
  sumTiyn: number;
  commission: string[];
  chair: string | null;
  head: string | null;
  transferTo: number | null;
  transferToName: string | null;
}

export interface ActCopy {
  copyId: number;
  inventoryNumber: string;
  barcode: string;
  title: string;
  priceTiyn: number;
}

export interface Tally {
  copies: number;
  sumTiyn: number;
}

export interface Columns {
  total: Tally;
  groups: Record<(typeof GROUPS)[number], Tally>;
  languages: Record<(typeof LANGUAGE_GROUPS)[number], Tally>;
}

export interface SummaryBook {
  balance: { opening: Columns; received: Columns; writtenOff: Columns; closing: Columns };
}

/** Today on this computer's calendar (the library's own), not the UTC date. */
export { today } from '../../format.js';

export const FUNDS = ['main', 'textbook', 'periodical', 'electronic', 'off_balance'] as const;

export interface Check {
  id: number;
  number: string;
  startedOn: string;
  locationPrefix: string | null;
  fund: (typeof FUNDS)[number] | null;
  knowledgeGroup: (typeof GROUPS)[number] | null;
  valuableOnly: boolean;
  openAccessOnly: boolean;
  status: 'open' | 'closed';
  writeOffActId: number | null;
  scanned: number;
}

export interface CheckCopy {
  copyId: number;
  inventoryNumber: string;
  barcode: string;
  title: string;
  location: string | null;
}

export interface CheckResult {
  check: Check;
  counts: { expected: number; found: number; missing: number; onLoan: number; misplaced: number; unknown: number };
  found: CheckCopy[];
  missing: CheckCopy[];
  onLoan: CheckCopy[];
  misplaced: CheckCopy[];
  unknown: string[];
}

export interface Loss {
  id: number;
  readerId: number | null;
  copyId: number;
  inventoryNumber: string;
  title: string;
  lostOn: string;
  settlement: 'replacement' | 'payment';
  replacementCopyId: number | null;
  replacementInventoryNumber: string | null;
  paymentTiyn: number | null;
  writeOffActId: number;
  writeOffActNumber: string;
  writeOffStatus: 'draft' | 'approved';
}

export const RULE_GROUPS = GROUPS.filter((g) => g !== 'textbooks');

export interface GroupRule {
  scheme: 'bbk' | 'udc';
  prefix: string;
  knowledgeGroup: Exclude<(typeof GROUPS)[number], 'textbooks'>;
  priority: number;
}
