import { sql, type RawBuilder } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import { audit } from '../../org/audit.js';
import type { Executor } from '../../db/executor.js';
import { takeNumber } from '../../shared/counters.js';
import { conflict, invalid, notFound } from '../../shared/errors.js';
import { libraryToday } from '../../shared/library-time.js';
import { inTransaction } from '../../db/transaction.js';
import { staffLibrary } from '../../auth/guard.js';

export interface CheckScope {
  /** Shelf location prefix, e.g. 'А-3' for one bay. */
  locationPrefix?: string | null;
  fund?: string | null;
  knowledgeGroup?: string | null;
}

export interface CheckView {
  id: number;
  number: string;
  startedOn: string;
  locationPrefix: string | null;
  fund: string | null;
  knowledgeGroup: string | null;
  status: 'open' | 'closed';
  writeOffActId: number | null;
  scanned: number;
}

export type ScanOutcome = 'found' | 'misplaced' | 'repeat' | 'unknown';

export interface CheckCopy {
  copyId: number;
  inventoryNumber: string;
  barcode: string;
  title: string;
  location: string | null;
}

export interface CheckResult {
  check: CheckView;
  counts: { expected: number; found: number; missing: number; onLoan: number; misplaced: number; unknown: number };
  found: CheckCopy[];
  missing: CheckCopy[];
  onLoan: CheckCopy[];
  misplaced: CheckCopy[];
  unknown: string[];
}

type CheckRow = {
  id: number;
  number: string;
  started_on: string;
  location_prefix: string | null;
  fund: string | null;
  knowledge_group: string | null;
  status: 'open' | 'closed';
  write_off_act_id: number | null;
};

async function ownCheck(db: Executor, organisationId: number, id: number): Promise<CheckRow> {
  const row = await db
    .selectFrom('fund.checks')
    .select(['id', 'number', 'started_on', 'location_prefix', 'fund', 'knowledge_group', 'status', 'write_off_act_id'])
    .where('id', '=', id)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  if (!row) throw notFound('check', id);
  return row;
}

async function toCheckView(db: Executor, c: CheckRow): Promise<CheckView> {
  const n = await db
    .selectFrom('fund.check_scans')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('check_id', '=', c.id)
    .executeTakeFirstOrThrow();
  return {
    id: c.id,
    number: c.number,
    startedOn: c.started_on,
    locationPrefix: c.location_prefix,
    fund: c.fund,
    knowledgeGroup: c.knowledge_group,
    status: c.status,
    writeOffActId: c.write_off_act_id,
    scanned: Number(n.n),
  };
}

export async function openCheck(db: Executor, actor: Actor, scope: CheckScope): Promise<CheckView> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const number = String(await takeNumber(trx, organisationId, 'check_number'));
    const row = await trx
      .insertInto('fund.checks')
      .values({
        organisation_id: organisationId,
        number,
        started_on: await libraryToday(trx, organisationId),
        location_prefix: scope.locationPrefix?.trim() || null,
        fund: scope.fund || null,
        knowledge_group: scope.knowledgeGroup || null,
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, actor, 'open', 'fund_check', row.id, { number, ...scope });
    return toCheckView(trx, await ownCheck(trx, organisationId, row.id));
  });
}

export async function getCheck(db: Executor, actor: Actor, id: number): Promise<CheckView> {
  return toCheckView(db, await ownCheck(db, staffLibrary(actor), id));
}

export async function listChecks(db: Executor, actor: Actor): Promise<{ items: CheckView[]; total: number }> {
  const organisationId = staffLibrary(actor);
  const rows = await db
    .selectFrom('fund.checks')
    .select(['id', 'number', 'started_on', 'location_prefix', 'fund', 'knowledge_group', 'status', 'write_off_act_id'])
    .where('organisation_id', '=', organisationId)
    .orderBy('id', 'desc')
    .execute();
  const items = [];
  for (const r of rows) items.push(await toCheckView(db, r));
  return { items, total: items.length };
}

/** SQL condition: the copy `c` lies in the part of the fund the check covers (written-off copies never do). */
function inScope(check: CheckRow): RawBuilder<boolean> {
  return sql<boolean>`(c.status <> 'written_off'
    ${check.location_prefix ? sql`AND c.location LIKE ${escapeLike(check.location_prefix) + '%'}` : sql``}
    ${check.fund ? sql`AND c.fund = ${check.fund}` : sql``}
    ${check.knowledge_group ? sql`AND EXISTS (SELECT 1 FROM fund.receipt_lines rl WHERE rl.id = c.receipt_line_id AND rl.knowledge_group = ${check.knowledge_group})` : sql``})`;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * Records one shelf scan. Idempotent: a second scan of the same barcode changes nothing and says 'repeat'.
 * An unknown barcode is recorded too (it belongs in the report); the caller answers it with an error.
 */
export async function recordScan(
  db: Executor,
  actor: Actor,
  checkId: number,
  input: { barcode: string; shelf?: string | null },
): Promise<{ outcome: ScanOutcome; copy: CheckCopy | null }> {
  const organisationId = staffLibrary(actor);
  const check = await ownCheck(db, organisationId, checkId);
  if (check.status !== 'open') throw conflict('accounting.check_closed', { number: check.number });
  const barcode = input.barcode.trim();
  if (!barcode) throw invalid('accounting.barcode_required');
  const { rows } = await sql<CheckCopy & { in_scope: boolean }>`
    SELECT c.id AS "copyId", c.inventory_number AS "inventoryNumber", c.barcode, w.title, c.location, ${inScope(check)} AS in_scope
      FROM fund.copies c JOIN catalog.works w ON w.id = c.work_id
     WHERE c.organisation_id = ${organisationId} AND c.barcode = ${barcode}`.execute(db);
  const found = rows[0] ?? null;
  const inserted = await db
    .insertInto('fund.check_scans')
    .values({ check_id: checkId, barcode, copy_id: found?.copyId ?? null, shelf: input.shelf?.trim() || null })
    .onConflict((oc) => oc.columns(['check_id', 'barcode']).doNothing())
    .returning('id')
    .executeTakeFirst();
  const copy = found && { copyId: found.copyId, inventoryNumber: found.inventoryNumber, barcode: found.barcode, title: found.title, location: found.location };
  if (!found) return { outcome: 'unknown', copy: null };
  if (!inserted) return { outcome: 'repeat', copy };
  return { outcome: found.in_scope ? 'found' : 'misplaced', copy };
}

/** Expected (the part of the fund) against scanned: found, missing, on loan, misplaced, unknown. */
export async function checkResult(db: Executor, actor: Actor, checkId: number): Promise<CheckResult> {
  const organisationId = staffLibrary(actor);
  const check = await ownCheck(db, organisationId, checkId);
  const { rows } = await sql<CheckCopy & { state: 'found' | 'missing' | 'on_loan' | 'misplaced' }>`
    WITH scanned AS (SELECT copy_id FROM fund.check_scans WHERE check_id = ${checkId} AND copy_id IS NOT NULL),
    expected AS (SELECT c.id FROM fund.copies c WHERE c.organisation_id = ${organisationId} AND ${inScope(check)})
    SELECT c.id AS "copyId", c.inventory_number AS "inventoryNumber", c.barcode, w.title, c.location,
           CASE
             WHEN e.id IS NULL THEN 'misplaced'
             WHEN s.copy_id IS NOT NULL THEN 'found'
             WHEN EXISTS (SELECT 1 FROM circulation.loans l WHERE l.copy_id = c.id AND l.returned_at IS NULL) THEN 'on_loan'
             ELSE 'missing'
           END AS state
      FROM expected e FULL JOIN scanned s ON s.copy_id = e.id
      JOIN fund.copies c ON c.id = coalesce(e.id, s.copy_id)
      JOIN catalog.works w ON w.id = c.work_id
     ORDER BY length(c.inventory_number), c.inventory_number`.execute(db);
  const unknown = await db
    .selectFrom('fund.check_scans')
    .select('barcode')
    .where('check_id', '=', checkId)
    .where('copy_id', 'is', null)
    .orderBy('id')
    .execute();
  const pick = (state: string) => rows.filter((r) => r.state === state).map(({ state: _s, ...copy }) => copy);
  const result = { found: pick('found'), missing: pick('missing'), onLoan: pick('on_loan'), misplaced: pick('misplaced') };
  return {
    check: await toCheckView(db, check),
    counts: {
      expected: rows.length - result.misplaced.length,
      found: result.found.length,
      missing: result.missing.length,
      onLoan: result.onLoan.length,
      misplaced: result.misplaced.length,
      unknown: unknown.length,
    },
    ...result,
    unknown: unknown.map((u) => u.barcode),
  };
}

/**
 * Closes the check. Missing copies that are on account go into a draft shortage act (reason
 * 'missing_at_check') for the commission to review and approve like any other write-off.
 */
export async function closeCheck(db: Executor, actor: Actor, checkId: number, input: { actDate?: string }): Promise<CheckView> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    const check = await ownCheck(trx, organisationId, checkId);
    if (check.status !== 'open') throw conflict('accounting.check_closed', { number: check.number });
    const missing = (await checkResult(trx, actor, checkId)).missing;
    const onAccount = missing.length
      ? await trx.selectFrom('fund.copies').select('id').where('id', 'in', missing.map((m) => m.copyId)).where('receipt_line_id', 'is not', null).execute()
      : [];
    let actId: number | null = null;
    if (onAccount.length) {
      const number = String(await takeNumber(trx, organisationId, 'write_off_number'));
      const act = await trx
        .insertInto('fund.write_off_acts')
        .values({
          organisation_id: organisationId,
          number,
          act_date: input.actDate ?? (await libraryToday(trx, organisationId)),
          reason: 'missing_at_check',
          commission: '[]',
          note: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      actId = act.id;
      await trx.insertInto('fund.write_off_lines').values(onAccount.map((c) => ({ act_id: act.id, copy_id: c.id }))).execute();
    }
    await trx
      .updateTable('fund.checks')
      .set({ status: 'closed', closed_at: new Date(), write_off_act_id: actId })
      .where('id', '=', checkId)
      .execute();
    await audit(trx, actor, 'close', 'fund_check', checkId, { missing: missing.length, writeOffActId: actId });
    return getCheck(trx, actor, checkId);
  });
}

/** Re-inventory: gives copies new inventory numbers from the counter and keeps the old ones. */
export async function renumberCopies(
  db: Executor,
  actor: Actor,
  copyIds: number[],
): Promise<{ copyId: number; oldNumber: string; newNumber: string }[]> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    if (!copyIds.length) throw invalid('accounting.no_copies');
    const copies = await trx
      .selectFrom('fund.copies')
      .select(['id', 'inventory_number'])
      .where('organisation_id', '=', organisationId)
      .where('id', 'in', copyIds)
      .orderBy('id')
      .forUpdate()
      .execute();
    const missingId = copyIds.find((id) => !copies.some((c) => c.id === id));
    if (missingId !== undefined) throw notFound('copy', missingId);
    const changes = [];
    for (const copy of copies) {
      const newNumber = String(await takeNumber(trx, organisationId, 'inventory_number'));
      await trx.updateTable('fund.copies').set({ inventory_number: newNumber, updated_at: new Date() }).where('id', '=', copy.id).execute();
      await trx
        .insertInto('fund.inventory_number_history')
        .values({ copy_id: copy.id, old_number: copy.inventory_number, new_number: newNumber, changed_on: await libraryToday(trx, organisationId), changed_by: actor.userId })
        .execute();
      changes.push({ copyId: copy.id, oldNumber: copy.inventory_number, newNumber });
    }
    await audit(trx, actor, 'renumber', 'copy', copies.map((c) => c.id).join(','), { changes });
    return changes;
  });
}
