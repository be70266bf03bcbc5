import { sql } from 'kysely';
import { insertRows } from './bulk.js';
import { copyBarcode } from '../fund/copies.js';
import type { Executor } from '../db/executor.js';
import { bumpCounterPast, takeNumber } from '../shared/counters.js';
import type { MappedHolding } from './mapping.js';
import type { Problem } from './reader.js';
import { libraryToday } from '../shared/library-time.js';

export interface HoldingsRequest<K> {
  key: K;
  workId: number;
  holdings: MappedHolding[];
}

/**
 * Copies described by imported records, added to the importing library in one insert per chunk
 * (fund/copies.ts adds them one by one, too slow for a catalogue of 50,000 records). Numbers the
 * file gives are kept — they are already on the books' labels; missing ones are issued from the
 * library's counters, which are moved past the numbers the file brought. A number the library
 * already uses is reported and that copy left out, so one label mix-up does not stop the import.
 */
export async function addImportedCopies<K>(
  trx: Executor,
  organisationId: number,
  requests: HoldingsRequest<K>[],
): Promise<Map<K, { copyIds: number[]; problems: Problem[] }>> {
  const result = new Map<K, { copyIds: number[]; problems: Problem[] }>();
  const all = requests.flatMap((r) => r.holdings);
  if (!all.length) return result;
  const usedInventory = new Set<string>();
  const usedBarcodes = new Set<string>();
  const given = (pick: (h: MappedHolding) => string | null) => [...new Set(all.map(pick).filter((v): v is string => !!v))];
  const inventories = given((h) => h.inventoryNumber);
  const barcodes = given((h) => h.barcode);
  if (inventories.length || barcodes.length) {
    // two array parameters, not one parameter per number
    const rows = await trx
      .selectFrom('fund.copies')
      .select(['inventory_number', 'barcode'])
      .where('organisation_id', '=', organisationId)
      .where(sql<boolean>`(inventory_number = any(${inventories}::text[]) or barcode = any(${barcodes}::text[]))`)
      .execute();
    for (const r of rows) {
      usedInventory.add(r.inventory_number);
      usedBarcodes.add(r.barcode);
    }
  }

  type Planned = { key: K; workId: number; holding: MappedHolding; inventoryNumber: string | null; barcode: string | null };
  const planned: Planned[] = [];
  for (const request of requests) {
    const entry = { copyIds: [] as number[], problems: [] as Problem[] };
    result.set(request.key, entry);
    for (const h of request.holdings) {
      if (h.inventoryNumber && usedInventory.has(h.inventoryNumber)) {
        entry.problems.push({ severity: 'warning', code: 'interop.duplicate_inventory_number', params: { inventoryNumber: h.inventoryNumber } });
        continue;
      }
      if (h.barcode && usedBarcodes.has(h.barcode)) {
        entry.problems.push({ severity: 'warning', code: 'interop.duplicate_barcode', params: { barcode: h.barcode } });
        continue;
      }
      if (h.inventoryNumber) usedInventory.add(h.inventoryNumber);
      if (h.barcode) usedBarcodes.add(h.barcode);
      planned.push({ key: request.key, workId: request.workId, holding: h, inventoryNumber: h.inventoryNumber, barcode: h.barcode });
    }
  }
  if (!planned.length) return result;

  await moveCountersPast(trx, organisationId, planned.map((p) => p.holding));
  await issueNumbers(trx, organisationId, planned, 'inventoryNumber', 'inventory_number', String);
  await issueNumbers(trx, organisationId, planned, 'barcode', 'copy_barcode', copyBarcode);

  const { rows } = await sql<{ id: number }>`select nextval('fund.copies_id_seq')::int8 as id from generate_series(1, ${planned.length})`.execute(trx);
  const ids = rows.map((r) => Number(r.id));
  const today = await libraryToday(trx, organisationId);
  const values = planned.map((p, i) => ({
    id: ids[i]!,
    organisation_id: organisationId,
    work_id: p.workId,
    inventory_number: p.inventoryNumber!,
    barcode: p.barcode!,
    price_tiyn: p.holding.priceTiyn,
    location: p.holding.location,
    acquired_on: today,
    note: null,
  }));
  await insertRows(trx, 'fund.copies', COPY_COLUMNS, values);
  planned.forEach((p, i) => result.get(p.key)!.copyIds.push(ids[i]!));
  return result;
}

const COPY_COLUMNS = [
  ['id', 'bigint'], ['organisation_id', 'bigint'], ['work_id', 'bigint'], ['inventory_number', 'text'], ['barcode', 'text'],
  ['price_tiyn', 'bigint'], ['location', 'text'], ['acquired_on', 'date'], ['note', 'text'],
].map(([name, type]) => ({ name: name!, type: type! }));

/** Numbers of our own shapes (digits; '1' + 9 digits for barcodes) must never be issued again. */
async function moveCountersPast(trx: Executor, organisationId: number, holdings: MappedHolding[]) {
  const inventoryMax = Math.max(0, ...holdings.map((h) => (h.inventoryNumber && /^\d{1,12}$/.test(h.inventoryNumber) ? Number(h.inventoryNumber) : 0)));
  const barcodeMax = Math.max(0, ...holdings.map((h) => (h.barcode && /^1\d{9}$/.test(h.barcode) ? Number(h.barcode.slice(1)) : 0)));
  if (inventoryMax) await bumpCounterPast(trx, organisationId, 'inventory_number', inventoryMax);
  if (barcodeMax) await bumpCounterPast(trx, organisationId, 'copy_barcode', barcodeMax);
}

async function issueNumbers<P extends { inventoryNumber: string | null; barcode: string | null }>(
  trx: Executor,
  organisationId: number,
  planned: P[],
  field: 'inventoryNumber' | 'barcode',
  counter: string,
  format: (n: number) => string,
) {
  const missing = planned.filter((p) => !p[field]);
  if (!missing.length) return;
  const first = await takeNumber(trx, organisationId, counter, missing.length);
  missing.forEach((p, i) => (p[field] = format(first + i)));
}
