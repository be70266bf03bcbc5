import type { Executor } from '../db/executor.js';

/**
 * Takes the next value of a per-organisation counter (inventory numbers, barcodes,
 * reader numbers). The row lock of the upsert makes concurrent takers wait, so two
 * desks never get the same number; call it inside the transaction that uses the number.
 */
export async function takeNumber(db: Executor, organisationId: number, name: string, count = 1): Promise<number> {
  const row = await db
    .insertInto('fund.counters')
    .values({ organisation_id: organisationId, name, next_value: 1 + count })
    .onConflict((oc) =>
      oc.columns(['organisation_id', 'name']).doUpdateSet((eb) => ({ next_value: eb('fund.counters.next_value', '+', count) })),
    )
    .returning('next_value')
    .executeTakeFirstOrThrow();
  return row.next_value - count;
}

/** Moves a counter past a number that was entered by hand, so automatic numbers never collide with it. */
export async function bumpCounterPast(db: Executor, organisationId: number, name: string, value: number): Promise<void> {
  await db
    .insertInto('fund.counters')
    .values({ organisation_id: organisationId, name, next_value: value + 1 })
    .onConflict((oc) =>
      oc.columns(['organisation_id', 'name']).doUpdateSet((eb) => ({
        next_value: eb.fn('greatest', ['fund.counters.next_value', eb.val(value + 1)]),
      })),
    )
    .execute();
}
