import type { Actor } from '../auth/actor.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { conflict, invalid } from '../shared/errors.js';
import { checkDate } from './access.js';
import { EMPTY_SHELF, lockShelves, moveOnShelf, titleMap } from './stock.js';
import { libraryToday } from '../shared/library-time.js';
import { inTransaction } from '../db/transaction.js';
import { staffLibrary } from '../auth/guard.js';

/** Copies of one title counted on the shelf by condition; copies with students are not on the shelf. */
export interface CountedLine {
  workId: number;
  good: number;
  worn: number;
  unusable: number;
}

export interface CheckView {
  id: number;
  checkedOn: string;
  note: string | null;
  lines: {
    workId: number;
    title: string;
    expected: { good: number; worn: number; unusable: number };
    counted: { good: number; worn: number; unusable: number };
    /** Copies the register has and the shelf has not; they are now counted as lost. */
    missing: number;
  }[];
  missing: number;
}

const onShelf = (c: { good: number; worn: number; unusable: number }) => c.good + c.worn + c.unusable;

/**
 * A textbook check: the librarian counts the titles on the shelf by condition. The shelf takes the counted
 * figures; copies that are missing move to 'lost', to be written off by an act of reason 'loss'. A surplus is
 * refused: copies that were never received must be taken on account by a receipt first.
 */
export async function recordCheck(db: Executor, actor: Actor, input: { checkedOn?: string; note?: string | null; lines: CountedLine[] }): Promise<CheckView> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const checkedOn = checkDate(input.checkedOn ?? (await libraryToday(trx, organisationId)));
    if (!input.lines.length) throw invalid('textbooks.no_lines');
    const workIds = input.lines.map((l) => l.workId);
    if (new Set(workIds).size !== workIds.length) throw invalid('textbooks.check_title_twice');
    for (const l of input.lines) {
      for (const n of [l.good, l.worn, l.unusable]) if (!Number.isInteger(n) || n < 0) throw invalid('textbooks.bad_count', { value: n });
    }
    const titles = await titleMap(trx, workIds);
    const shelves = await lockShelves(trx, organisationId, workIds);
    const check = await trx
      .insertInto('textbooks.checks')
      .values({ organisation_id: organisationId, checked_on: checkedOn, note: input.note?.trim() || null, created_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const line of input.lines) {
      const expected = shelves.get(line.workId) ?? EMPTY_SHELF;
      const surplus = onShelf(line) - onShelf(expected);
      if (surplus > 0) throw conflict('textbooks.check_surplus', { title: titles.get(line.workId)!, surplus });
      await trx
        .insertInto('textbooks.check_lines')
        .values({
          check_id: check.id,
          work_id: line.workId,
          expected_good: expected.good,
          expected_worn: expected.worn,
          expected_unusable: expected.unusable,
          counted_good: line.good,
          counted_worn: line.worn,
          counted_unusable: line.unusable,
        })
        .execute();
      await moveOnShelf(trx, organisationId, line.workId, {
        good: line.good - expected.good,
        worn: line.worn - expected.worn,
        unusable: line.unusable - expected.unusable,
        lost: -surplus,
      });
    }
    await audit(trx, actor, 'check', 'textbook_check', check.id, { checkedOn, titles: workIds.length });
    return (await checkViews(trx, organisationId, check.id))[0]!;
  });
}

async function checkViews(db: Executor, organisationId: number, id?: number): Promise<CheckView[]> {
  let q = db.selectFrom('textbooks.checks').select(['id', 'checked_on', 'note']).where('organisation_id', '=', organisationId);
  if (id !== undefined) q = q.where('id', '=', id);
  const checks = await q.orderBy('checked_on', 'desc').orderBy('id', 'desc').execute();
  if (!checks.length) return [];
  const lines = await db
    .selectFrom('textbooks.check_lines as l')
    .innerJoin('catalog.works as w', 'w.id', 'l.work_id')
    .selectAll('l')
    .select('w.title')
    .where('l.check_id', 'in', checks.map((c) => c.id))
    .orderBy('w.sort_key')
    .execute();
  return checks.map((c) => {
    const own = lines
      .filter((l) => l.check_id === c.id)
      .map((l) => {
        const expected = { good: l.expected_good, worn: l.expected_worn, unusable: l.expected_unusable };
        const counted = { good: l.counted_good, worn: l.counted_worn, unusable: l.counted_unusable };
        return { workId: l.work_id, title: l.title, expected, counted, missing: onShelf(expected) - onShelf(counted) };
      });
    return { id: c.id, checkedOn: c.checked_on, note: c.note, lines: own, missing: own.reduce((s, l) => s + l.missing, 0) };
  });
}

export async function listChecks(db: Executor, actor: Actor): Promise<CheckView[]> {
  return checkViews(db, staffLibrary(actor));
}
