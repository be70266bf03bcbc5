import { sql } from 'kysely';
import type { Executor } from '../db/executor.js';
import { inTransaction } from '../db/transaction.js';
import { audit } from '../org/audit.js';
import { libraryToday, now } from '../shared/library-time.js';
import { notifyHolds, type NotifyOptions } from './reservation-mail.js';
import { CLOSED_KEPT_DAYS, settleHolds } from './reservations.js';

export interface ReservationJobRun {
  libraries: number;
  expired: number;
  passedOn: number;
  emailed: number;
  removed: number;
}

/**
 * The reservations' own round, every hour: in each library with reservations, holds past their day
 * expire and their copies pass to the next reader (the hold shelf does the same when it is opened),
 * the letters of new holds are sent, and reservations closed more than CLOSED_KEPT_DAYS ago are removed.
 */
export async function runReservationJob(db: Executor, options: NotifyOptions = {}): Promise<ReservationJobRun> {
  const run: ReservationJobRun = { libraries: 0, expired: 0, passedOn: 0, emailed: 0, removed: 0 };
  const { rows } = await sql<{ organisation_id: number }>`select distinct organisation_id from circulation.reservations order by 1`.execute(db);
  const cutoff = new Date(now().getTime() - CLOSED_KEPT_DAYS * 86_400_000);
  for (const { organisation_id: library } of rows) {
    run.libraries++;
    const settled = await settleHolds(db, library, await libraryToday(db, library));
    run.expired += settled.expired;
    run.passedOn += settled.passedOn;
    run.emailed += await notifyHolds(db, library, options);
    run.removed += await inTransaction(db, async (trx) => {
      const gone = await trx
        .deleteFrom('circulation.reservations')
        .where('organisation_id', '=', library)
        .where('closed_at', '<', cutoff)
        .executeTakeFirst();
      const removed = Number(gone.numDeletedRows ?? 0);
      if (removed) await audit(trx, null, 'remove_closed', 'reservation', null, { reservationsRemoved: removed, keptDays: CLOSED_KEPT_DAYS }, library);
      return removed;
    });
  }
  return run;
}

/** Runs the round shortly after the start, then every hour; returns a function that stops it and waits for a round under way. */
export function scheduleReservationJob(
  db: Executor,
  log: (message: string) => void,
  timing = { firstAfterMs: 60_000, checkEveryMs: 3_600_000 },
): () => Promise<void> {
  let current: Promise<void> | null = null;
  const check = () => {
    if (current) return;
    current = runReservationJob(db)
      .then((run) => {
        if (run.expired || run.emailed || run.removed) {
          log(`Reservations: ${run.expired} hold(s) ran out (${run.passedOn} passed to the next reader), ${run.emailed} letter(s) sent, ${run.removed} old reservation(s) removed`);
        }
      })
      .catch((err: unknown) => log(`Reservations round failed: ${(err as Error).message}`))
      .finally(() => (current = null));
  };
  const first = setTimeout(check, timing.firstAfterMs);
  const every = setInterval(check, timing.checkEveryMs);
  first.unref();
  every.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(every);
    await current;
  };
}
