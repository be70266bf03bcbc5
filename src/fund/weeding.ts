import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { libraryOf } from '../auth/actor.js';
import { authorsOf } from '../catalog/works.js';
import type { Executor } from '../db/executor.js';
import { libraryToday, localDate, organisationTimeZone, startOfLocalDay } from '../shared/library-time.js';
import { invalid } from '../shared/errors.js';
import { addCopiesToAct, createAct, type ActView } from './accounting/write-offs.js';
import type { WriteOffReason } from './accounting/schema.js';
import { shortAuthors } from './copies.js';

/**
 * The weeding list (ескі әдебиеттен тазалау): copies proposed for a planned write-off because their imprint is old,
 * nobody has borrowed them for years, or they are in repair (worn). Only copies on the books and on the shelf are
 * proposed; especially valuable copies, copies on loan and copies already in a draft act never are.
 */
export type WeedingReason = 'old_imprint' | 'no_loans' | 'in_repair';

export interface WeedingQuery {
  /** Imprints of this year or older (e.g. ten years back); omitted: the criterion is off. */
  publishedUpTo?: number;
  /** No loan for this many years (and on the shelf at least that long); omitted: off. */
  noLoansYears?: number;
  /** Copies in repair. */
  inRepair?: boolean;
  fund?: string;
  /** Only copies whose work's BBK starts so (a section of the shelves). */
  bbkPrefix?: string;
  limit?: number;
}

export interface WeedingCandidate {
  copyId: number;
  inventoryNumber: string;
  barcode: string;
  title: string;
  authors: string;
  publishYear: number | null;
  bbk: string | null;
  acquiredOn: string;
  lastLoanOn: string | null;
  status: string;
  priceTiyn: number;
  reasons: WeedingReason[];
}

export async function weedingList(db: Executor, actor: Actor, query: WeedingQuery): Promise<{ items: WeedingCandidate[]; total: number }> {
  const organisationId = libraryOf(actor);
  const zone = await organisationTimeZone(db, organisationId);
  const today = await libraryToday(db, organisationId);
  const { publishedUpTo, noLoansYears, inRepair } = query;
  if (publishedUpTo === undefined && noLoansYears === undefined && !inRepair) throw invalid('fund.weeding_no_criterion');
  if (noLoansYears !== undefined && (!Number.isInteger(noLoansYears) || noLoansYears < 1 || noLoansYears > 50)) {
    throw invalid('fund.weeding_bad_years', { value: noLoansYears });
  }
  // the same day N years back; 29 February becomes the 28th in a common year
  const since = noLoansYears !== undefined ? `${Number(today.slice(0, 4)) - noLoansYears}${today.slice(4) === '-02-29' ? '-02-28' : today.slice(4)}` : null;
  const oldImprint = publishedUpTo !== undefined ? sql<boolean>`(w.publish_year IS NOT NULL AND w.publish_year <= ${publishedUpTo})` : sql<boolean>`false`;
  const noLoans = since
    ? sql<boolean>`(c.acquired_on <= ${since} AND NOT EXISTS (SELECT 1 FROM circulation.loans l WHERE l.copy_id = c.id AND l.issued_at >= ${startOfLocalDay(since, zone)}))`
    : sql<boolean>`false`;
  const repair = inRepair ? sql<boolean>`(c.status = 'in_repair')` : sql<boolean>`false`;
  const { rows } = await sql<{
    id: number; inventory_number: string; barcode: string; work_id: number; title: string; publish_year: number | null; bbk: string | null;
    acquired_on: string; status: string; price_tiyn: number; last_loan: Date | null; old_imprint: boolean; no_loans: boolean; repair: boolean;
  }>`
    SELECT c.id, c.inventory_number, c.barcode, c.work_id, w.title, w.publish_year, w.bbk, c.acquired_on::text AS acquired_on, c.status, c.price_tiyn,
           (SELECT max(l.issued_at) FROM circulation.loans l WHERE l.copy_id = c.id) AS last_loan,
           ${oldImprint} AS old_imprint, ${noLoans} AS no_loans, ${repair} AS repair
      FROM fund.copies c JOIN catalog.works w ON w.id = c.work_id
     WHERE c.organisation_id = ${organisationId}
       AND c.status IN ('available', 'in_repair')
       AND c.receipt_line_id IS NOT NULL
       AND NOT c.valuable
       AND NOT EXISTS (SELECT 1 FROM fund.write_off_lines wl JOIN fund.write_off_acts a ON a.id = wl.act_id WHERE wl.copy_id = c.id AND a.status = 'draft')
       ${query.fund ? sql`AND c.fund = ${query.fund}` : sql``}
       ${query.bbkPrefix ? sql`AND replace(coalesce(w.bbk, ''), ' ', '') LIKE ${query.bbkPrefix.replace(/\s+/g, '').replace(/[\\%_]/g, (m) => `\\${m}`) + '%'}` : sql``}
       AND (${oldImprint} OR ${noLoans} OR ${repair})
     ORDER BY w.sort_key, length(c.inventory_number), c.inventory_number
     LIMIT ${Math.min(query.limit ?? 2000, 5000)}`.execute(db);
  const authors = await authorsOf(db, [...new Set(rows.map((r) => r.work_id))]);
  const items = rows.map((r) => ({
    copyId: r.id,
    inventoryNumber: r.inventory_number,
    barcode: r.barcode,
    title: r.title,
    authors: shortAuthors(authors.get(r.work_id) ?? []),
    publishYear: r.publish_year,
    bbk: r.bbk,
    acquiredOn: r.acquired_on,
    // the day of the last loan as the library lived it (a loan at 00:30 is on its own day)
    lastLoanOn: r.last_loan ? localDate(zone, new Date(r.last_loan)) : null,
    status: r.status,
    priceTiyn: Number(r.price_tiyn),
    reasons: [...(r.old_imprint ? ['old_imprint' as const] : []), ...(r.no_loans ? ['no_loans' as const] : []), ...(r.repair ? ['in_repair' as const] : [])],
  }));
  return { items, total: items.length };
}

/**
 * Turns the chosen candidates into a draft write-off act in one step (through the fund's own write-off functions,
 * so the act is checked, numbered and audited as any other). `db` must be a transaction.
 */
export async function weedingToAct(
  db: Executor,
  actor: Actor,
  input: { copyIds: number[]; reason?: WriteOffReason; actDate?: string; commission?: string[]; note?: string | null },
): Promise<ActView> {
  const organisationId = libraryOf(actor);
  if (!input.copyIds.length) throw invalid('accounting.no_copies');
  const act = await createAct(db, actor, {
    actDate: input.actDate ?? (await libraryToday(db, organisationId)),
    reason: input.reason ?? 'obsolete_content',
    commission: input.commission,
    note: input.note ?? null,
  });
  return addCopiesToAct(db, actor, act.id, { copyIds: input.copyIds });
}
