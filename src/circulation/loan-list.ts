import type { Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { libraryToday } from '../shared/library-time.js';
import { loanQuery, toLoanViews, type LoanView } from './loan-views.js';
import { loanRulesFor } from './rules.js';
import { staffLibrary } from '../auth/guard.js';

export type LoanStatus = 'open' | 'overdue' | 'returned';

export interface LoanListInput {
  status?: LoanStatus;
  readerId?: number;
  limit: number;
  offset: number;
  today?: string;
}

/** The library's loans: open ones by due date, returned ones newest first. */
export async function listLoans(db: Executor, actor: Actor, input: LoanListInput): Promise<{ items: LoanView[]; total: number }> {
  const library = staffLibrary(actor);
  const today = input.today ?? (await libraryToday(db, library));
  let query = loanQuery(db, library);
  if (input.status === 'open') query = query.where('l.returned_at', 'is', null);
  if (input.status === 'overdue') query = query.where('l.returned_at', 'is', null).where('l.due_on', '<', today);
  if (input.status === 'returned') query = query.where('l.returned_at', 'is not', null);
  if (input.readerId !== undefined) query = query.where('l.reader_id', '=', input.readerId);

  const counted = await query
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const ordered =
    input.status === 'returned'
      ? query.orderBy('l.returned_at', 'desc').orderBy('l.id', 'desc')
      : query.orderBy('l.returned_at', 'desc').orderBy('l.due_on').orderBy('l.id');
  const rows = await ordered.limit(input.limit).offset(input.offset).execute();
  return { items: await toLoanViews(db, rows, await loanRulesFor(db, library), today), total: Number(counted.n) };
}
