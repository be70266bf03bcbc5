import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { issueCopy, returnCopy } from '../circulation/loans.js';
import { placeReservation } from '../circulation/reservations.js';
import { deskMoment } from '../circulation/dates.js';
import type { Executor } from '../db/executor.js';
import { lastOpenDay } from './history.js';
import type { Random } from './random.js';

export interface ReservationsDemoSummary {
  /** Reservations still waiting or held. */
  active: number;
  /** Copies on the hold shelf. */
  held: number;
  /** Loans the scene added (the last shelf copies of the two titles lent out) and returns it made. */
  loans: number;
  returns: number;
}

/**
 * Two popular titles whose every copy is out, with queues: on the first, three readers wait (the
 * demo student second); of the second, a copy came back and waits on the hold shelf for the demo
 * student, and one more reader waits behind. Made through the desk's own functions, on the last day
 * the library was open.
 */
export async function seedReservations(
  trx: Executor,
  rng: Random,
  context: { schoolId: number; librarian: Actor; studentReaderId: number; today: string; workIds: number[] },
): Promise<ReservationsDemoSummary> {
  const { schoolId, librarian, studentReaderId } = context;
  // the desk works on the last open day: after every return the year's history made that day (desk moments are midday UTC, 17:00 in Almaty)
  const day = lastOpenDay(context.today);
  const summary: ReservationsDemoSummary = { active: 0, held: 0, loans: 0, returns: 0 };
  // the most borrowed of the demo's own titles (not the bulk of older ones) kept in a few copies (2–10), some
  // of them out, the demo student having none
  if (!context.workIds.length) return summary;
  const { rows: works } = await sql<{ work_id: number }>`
    select c.work_id from fund.copies c
    where c.organisation_id = ${schoolId} and c.fund = 'main' and c.status in ('available', 'on_loan')
      and c.work_id in (${sql.join(context.workIds)})
    group by c.work_id
    having count(*) between 2 and 10 and count(*) filter (where c.status = 'on_loan') >= 1
      and not exists (select 1 from circulation.loans l join fund.copies x on x.id = l.copy_id
        where x.work_id = c.work_id and l.reader_id = ${studentReaderId} and l.returned_at is null)
    order by (select count(*) from circulation.loans l join fund.copies x on x.id = l.copy_id
        where x.organisation_id = ${schoolId} and x.work_id = c.work_id) desc, c.work_id
    limit 2`.execute(trx);
  if (works.length < 2) return summary;

  /** Active pupils of the school without a copy of the work, other than the demo student. */
  const pupils = async (workId: number, n: number) => {
    const { rows } = await sql<{ id: number }>`
      select r.id from readers.readers r
      where r.organisation_id = ${schoolId} and r.kind = 'student' and r.status = 'active' and r.blocked_at is null
        and r.anonymised_at is null and r.id <> ${studentReaderId}
        and not exists (select 1 from circulation.loans l join fund.copies x on x.id = l.copy_id
          where l.reader_id = r.id and x.work_id = ${workId} and l.returned_at is null)
        and not exists (select 1 from circulation.reservations v where v.reader_id = r.id)
      order by r.id`.execute(trx);
    const start = rng.int(0, Math.max(0, rows.length - n - 1));
    return rows.slice(start, start + n).map((r) => r.id);
  };
  const lendTheRest = async (workId: number) => {
    const { rows: shelf } = await sql<{ barcode: string }>`
      select barcode from fund.copies where organisation_id = ${schoolId} and work_id = ${workId} and status = 'available' order by id`.execute(trx);
    const borrowers = await pupils(workId, shelf.length);
    for (const [i, copy] of shelf.entries()) {
      if (borrowers[i] === undefined) break;
      await issueCopy(trx, librarian, { readerId: borrowers[i], barcode: copy.barcode, today: day });
      summary.loans++;
    }
  };
  const reserve = async (workId: number, readerIds: number[]) => {
    for (const [i, readerId] of readerIds.entries()) {
      const placed = await placeReservation(trx, librarian, { readerId, workId, today: day });
      // placed that day, a minute apart in queue order (the desk's moments of a given day are its midday UTC)
      const at = new Date(deskMoment(day).getTime() + (i + 1) * 60_000);
      await trx.updateTable('circulation.reservations').set({ placed_at: at }).where('id', '=', placed.id).execute();
      summary.active++;
    }
  };

  const [first, second] = works.map((w) => w.work_id) as [number, number];
  await lendTheRest(first);
  const [a, b] = await pupils(first, 2);
  await reserve(first, [a!, studentReaderId, b!]);

  await lendTheRest(second);
  const [c] = await pupils(second, 1);
  await reserve(second, [studentReaderId, c!]);
  // then one copy of the second title came back: it waits on the hold shelf for the demo student
  const { rows: out } = await sql<{ barcode: string }>`
    select c.barcode from fund.copies c join circulation.loans l on l.copy_id = c.id and l.returned_at is null
    where c.organisation_id = ${schoolId} and c.work_id = ${second} order by l.due_on, c.id limit 1`.execute(trx);
  const back = await returnCopy(trx, librarian, { barcode: out[0]!.barcode, today: day });
  summary.returns++;
  if (back.hold) summary.held++;
  return summary;
}
