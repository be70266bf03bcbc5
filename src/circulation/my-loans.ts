import { recordContact } from './visits.js';
import { type Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { AppError } from '../shared/errors.js';
import { libraryToday } from '../shared/library-time.js';
import { loanQuery, toLoanViews, type LoanView } from './loan-views.js';
import { inTransaction } from '../db/transaction.js';
import { renewOpenLoan } from './loans.js';
import { loanRulesFor } from './rules.js';
import { allow } from '../auth/guard.js';

/** The reader record a student or parent account is linked to (a parent's: the child's). */
function ownReader(actor: Actor): { library: number; readerId: number } {
  allow(actor, 'readers');
  if (actor.readerId === null) throw new AppError('circulation.no_reader_card', 404);
  return { library: actor.organisationId, readerId: actor.readerId };
}

/** The books the signed-in reader has at home, the most urgent first. */
export async function myLoans(db: Executor, actor: Actor, today?: string): Promise<LoanView[]> {
  const { library, readerId } = ownReader(actor);
  today ??= await libraryToday(db, library);
  const rows = await loanQuery(db, library)
    .where('l.reader_id', '=', readerId)
    .where('l.returned_at', 'is', null)
    .orderBy('l.due_on')
    .orderBy('l.id')
    .execute();
  return toLoanViews(db, rows, await loanRulesFor(db, library), today);
}

/** Online renewal: the same rules as at the desk, and only for the reader's own loans. */
export async function renewMyLoan(db: Executor, actor: Actor, input: { loanId: number; today?: string }): Promise<LoanView> {
  const { library, readerId } = ownReader(actor);
  return inTransaction(db, async (trx) => {
    const view = await renewOpenLoan(trx, actor, library, { ...input, readerId });
    // A remote contact: on its own line of the annual report, never among visits.
    await recordContact(trx, library, { kind: 'online_renewal', day: await libraryToday(trx, library), readerId });
    return view;
  });
}
