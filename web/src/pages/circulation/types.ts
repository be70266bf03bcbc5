/** Shapes of the circulation API replies used by the desk, the debtor list and "My books": the server's own types. */
import type { ReaderPanel } from '../../../../src/circulation/desk.js';

export type { LoanView as Loan } from '../../../../src/circulation/loan-views.js';
export type { ReaderPanel, ScanResult } from '../../../../src/circulation/desk.js';

export type PanelLoan = ReaderPanel['loans'][number];
export type { HoldNotice, HoldShelf, ReservationRules, ReservationView as Reservation } from '../../../../src/circulation/reservations.js';
export type { PanelReservation } from '../../../../src/circulation/desk.js';
