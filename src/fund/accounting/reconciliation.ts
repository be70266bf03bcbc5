/**
 * Reconciliation: does every copy the library holds stand in the register its fund is kept in?
 * copies = every copy record not written off, in any fund; booked = those that came with a receipt line
 * (the inventory book, the off-balance register, or the textbook column); unbooked = the rest.
 */
import { sql } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import { audit } from '../../org/audit.js';
import type { Executor } from '../../db/executor.js';
import { conflict, invalid, notFound } from '../../shared/errors.js';
import { libraryToday } from '../../shared/library-time.js';
import { staffLibrary } from '../../auth/guard.js';
import { addOpeningRows, createOpening, type OpeningView } from './opening.js';

export interface Reconciliation {
  copies: number;
  booked: number;
  unbooked: number;
}

/** The counts for one library; a domain function, so the annual report and the demo check use the same figures. */
export async function reconcile(db: Executor, organisationId: number): Promise<Reconciliation> {
  const { rows } = await sql<{ copies: number; booked: number }>`
    SELECT count(*)::int8 AS copies, count(*) FILTER (WHERE receipt_line_id IS NOT NULL)::int8 AS booked
      FROM fund.copies WHERE organisation_id = ${organisationId} AND status <> 'written_off'`.execute(db);
  const copies = Number(rows[0]?.copies ?? 0);
  const booked = Number(rows[0]?.booked ?? 0);
  return { copies, booked, unbooked: copies - booked };
}

export async function reconciliation(db: Executor, actor: Actor): Promise<Reconciliation> {
  return reconcile(db, staffLibrary(actor));
}

export interface UnbookedCopy {
  copyId: number;
  inventoryNumber: string;
  barcode: string;
  title: string;
  fund: string;
  priceTiyn: number;
  acquiredOn: string;
  status: string;
  /** The opening-balance draft it already waits on, if any. */
  openingId: number | null;
}

export async function listUnbooked(
  db: Executor,
  actor: Actor,
  page: { limit: number; offset: number },
): Promise<{ items: UnbookedCopy[]; total: number }> {
  const organisationId = staffLibrary(actor);
  const base = db
    .selectFrom('fund.copies as c')
    .where('c.organisation_id', '=', organisationId)
    .where('c.receipt_line_id', 'is', null)
    .where('c.status', '!=', 'written_off');
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
    .select(['c.id', 'c.inventory_number', 'c.barcode', 'w.title', 'c.fund', 'c.price_tiyn', 'c.acquired_on', 'c.status'])
    .select(sql<number | null>`(SELECT r.opening_id FROM fund.opening_rows r JOIN fund.opening_balances o ON o.id = r.opening_id
        WHERE r.copy_id = c.id AND o.status = 'draft' LIMIT 1)`.as('opening_id'))
    .orderBy(sql`length(c.inventory_number)`)
    .orderBy('c.inventory_number')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    total: Number(total.n),
    items: rows.map((r) => ({
      copyId: r.id, inventoryNumber: r.inventory_number, barcode: r.barcode, title: r.title, fund: r.fund, priceTiyn: r.price_tiyn,
      acquiredOn: r.acquired_on, status: r.status, openingId: r.opening_id === null ? null : Number(r.opening_id),
    })),
  };
}

/**
 * Puts unbooked copies (all of them, or the chosen ones) on an opening-balance draft — the given one or a new one
 * dated today — for the librarian to check their prices and post. Copies already on a draft are left where they are.
 */
export async function bookUnbooked(
  db: Executor,
  actor: Actor,
  input: { copyIds?: number[]; openingId?: number; checkId?: number | null },
): Promise<OpeningView & { added: number }> {
  const organisationId = staffLibrary(actor);
  let q = db
    .selectFrom('fund.copies as c')
    .select('c.id')
    .where('c.organisation_id', '=', organisationId)
    .where('c.receipt_line_id', 'is', null)
    .where('c.status', '!=', 'written_off')
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('fund.opening_rows as r').innerJoin('fund.opening_balances as o', 'o.id', 'r.opening_id')
        .select('r.id').whereRef('r.copy_id', '=', 'c.id').where('o.status', '=', 'draft'))),
    );
  if (input.copyIds) {
    if (!input.copyIds.length) throw invalid('accounting.no_copies');
    q = q.where('c.id', 'in', input.copyIds);
  }
  const ids = (await q.orderBy('c.id').execute()).map((r) => r.id);
  if (!ids.length) throw conflict('accounting.opening.nothing_to_book');
  const openingId = input.openingId ?? (await createOpening(db, actor, { asOf: await libraryToday(db, organisationId), checkId: input.checkId ?? null })).id;
  return addOpeningRows(db, actor, openingId, ids.map((copyId) => ({ copyId })));
}

/**
 * Takes never-booked copies out of the library's holdings (a check found them missing, or they are not the
 * library's at all). They never stood in a register, so no act is needed and no register changes; the copy
 * records stay, marked written off with the reason, for the audit trail.
 */
export async function dropUnbooked(db: Executor, actor: Actor, input: { copyIds: number[]; reason: string }): Promise<{ dropped: number }> {
  const organisationId = staffLibrary(actor);
  if (!input.copyIds.length) throw invalid('accounting.no_copies');
  const copies = await db
    .selectFrom('fund.copies')
    .select(['id', 'inventory_number', 'receipt_line_id', 'status'])
    .where('organisation_id', '=', organisationId)
    .where('id', 'in', input.copyIds)
    .forUpdate()
    .execute();
  const missing = input.copyIds.find((id) => !copies.some((c) => c.id === id));
  if (missing !== undefined) throw notFound('copy', missing);
  const booked = copies.find((c) => c.receipt_line_id !== null);
  if (booked) throw conflict('accounting.opening.copy_booked', { inventoryNumber: booked.inventory_number });
  const onLoan = copies.find((c) => c.status === 'on_loan');
  if (onLoan) throw conflict('accounting.copy_on_loan', { inventoryNumber: onLoan.inventory_number, barcode: '' });
  await db.deleteFrom('fund.opening_rows').where('copy_id', 'in', input.copyIds).execute();
  await db
    .updateTable('fund.copies')
    .set({ status: 'written_off', note: input.reason.trim() || null, updated_at: new Date() })
    .where('id', 'in', input.copyIds)
    .execute();
  await audit(db, actor, 'drop_unbooked', 'copy', input.copyIds.join(','), { count: input.copyIds.length, reason: input.reason });
  return { dropped: input.copyIds.length };
}
