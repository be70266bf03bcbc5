/** Shapes of the circulation API replies used by the desk, the debtor list and "My books". */
export interface Loan {
  loanId: number;
  copyId: number;
  barcode: string;
  inventoryNumber: string;
  title: string;
  authors: string[];
  readerId: number;
  readerName: string;
  className: string | null;
  issuedAt: string;
  dueOn: string;
  returnedAt: string | null;
  renewals: number;
  overdueDays: number;
  canRenew: boolean;
}

export type PanelLoan = Omit<Loan, 'readerId' | 'readerName' | 'className' | 'returnedAt'>;

export interface ReaderPanel {
  reader: {
    id: number;
    fullName: string;
    className: string | null;
    kind: string;
    barcode: string;
    registrationNumber: string;
  };
  loans: PanelLoan[];
  overdueCount: number;
  history: { loanId: number; barcode: string; title: string; authors: string[]; issuedAt: string; returnedAt: string }[];
  visitsThisYear: number;
  loansThisYear: number;
}

export type ScanResult =
  | { action: 'reader_opened'; panel: ReaderPanel }
  | { action: 'issued'; loan: Loan; panel: ReaderPanel }
  | { action: 'returned'; loan: Loan; panel: ReaderPanel | null };
