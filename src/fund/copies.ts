import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { foldQuery } from '../catalog/folding.js';
import { libraryToday } from '../shared/library-time.js';
import { fromCyrillicLayout } from '../circulation/keyboard.js';
import { authorsOf } from '../catalog/works.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { bumpCounterPast, takeNumber } from '../shared/counters.js';
import { conflict, invalid, isUniqueViolation, notFound } from '../shared/errors.js';
import type { CopyStatus, FundKind } from './schema.js';
import { inTransaction } from '../db/transaction.js';
import { libraryOf } from '../auth/guard.js';

export interface CopyInput {
  workId: number;
  fund?: FundKind;
  priceTiyn?: number;
  location?: string | null;
  acquiredOn?: string;
  note?: string | null;
  /** Typed by hand; issued automatically when absent. */
  inventoryNumber?: string;
  barcode?: string;
}

export interface CopyView {
  id: number;
  workId: number;
  inventoryNumber: string;
  barcode: string;
  fund: FundKind;
  priceTiyn: number;
  status: CopyStatus;
  location: string | null;
  acquiredOn: string;
  note: string | null;
}

/** Copy barcodes are digits only: '1' and a 9-digit counter (a scanner in a Cyrillic layout garbles letters). */
export const copyBarcode = (n: number) => `1${String(n).padStart(9, '0')}`;

function checkPrice(price: number | undefined) {
  if (price !== undefined && (!Number.isInteger(price) || price < 0)) throw invalid('fund.bad_price', { value: price });
}

function uniqueError(err: unknown, input: { inventoryNumber?: string; barcode?: string }) {
  if (isUniqueViolation(err, 'copies_organisation_id_barcode_key')) {
    return conflict('fund.duplicate_barcode', { barcode: input.barcode ?? '' });
  }
  if (isUniqueViolation(err, 'copies_organisation_id_inventory_number_key')) {
    return conflict('fund.duplicate_inventory_number', { inventoryNumber: input.inventoryNumber ?? '' });
  }
  return err;
}

/**
 * Numbers typed by hand in the automatic formats move the counters past them, so that a
 * number issued later never collides with one a librarian typed (a unique violation on an
 * ordinary receipt would baffle everybody).
 */
async function keepCountersPast(db: Executor, organisationId: number, typed: { inventoryNumber?: string; barcode?: string }) {
  if (typed.inventoryNumber && /^\d{1,12}$/.test(typed.inventoryNumber)) {
    await bumpCounterPast(db, organisationId, 'inventory_number', Number(typed.inventoryNumber));
  }
  if (typed.barcode && /^1\d{9}$/.test(typed.barcode)) {
    await bumpCounterPast(db, organisationId, 'copy_barcode', Number(typed.barcode.slice(1)));
  }
}

/**
 * Adds `count` copies of a work to the actor's library, numbering them automatically.
 * A hand-typed inventory number or barcode is allowed only for a single copy.
 */
export async function addCopies(db: Executor, actor: Actor, input: CopyInput & { count?: number }): Promise<CopyView[]> {
  return inTransaction(db, async (trx) => {
    const organisationId = libraryOf(actor);
    const count = input.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 1000) throw invalid('fund.bad_count', { value: count });
    if (count > 1 && (input.inventoryNumber || input.barcode)) throw invalid('fund.numbers_for_one_copy');
    checkPrice(input.priceTiyn);
    const work = await trx.selectFrom('catalog.works').select('id').where('id', '=', input.workId).executeTakeFirst();
    if (!work) throw notFound('work', input.workId);

    const created: CopyView[] = [];
    for (let i = 0; i < count; i++) {
      const inventoryNumber = input.inventoryNumber?.trim() || String(await takeNumber(trx, organisationId, 'inventory_number'));
      const barcode = input.barcode?.trim() || copyBarcode(await takeNumber(trx, organisationId, 'copy_barcode'));
      await keepCountersPast(trx, organisationId, { inventoryNumber: input.inventoryNumber?.trim(), barcode: input.barcode?.trim() });
      try {
        const row = await trx
          .insertInto('fund.copies')
          .values({
            organisation_id: organisationId,
            work_id: input.workId,
            inventory_number: inventoryNumber,
            barcode,
            fund: input.fund ?? 'main',
            price_tiyn: input.priceTiyn ?? 0,
            location: input.location ?? null,
            acquired_on: input.acquiredOn ?? (await libraryToday(trx, organisationId)),
            note: input.note ?? null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        created.push(toCopyView(row));
      } catch (err) {
        throw uniqueError(err, { inventoryNumber, barcode });
      }
    }
    await audit(trx, actor, 'create', 'copy', created.map((c) => c.id).join(','), {
      workId: input.workId,
      count,
      inventoryNumbers: created.map((c) => c.inventoryNumber),
    });
    return created;
  });
}

export type CopyPatch = Partial<Pick<CopyInput, 'inventoryNumber' | 'barcode' | 'fund' | 'priceTiyn' | 'location' | 'note' | 'acquiredOn'>> & {
  status?: Extract<CopyStatus, 'available' | 'in_repair'>;
};

export async function updateCopy(db: Executor, actor: Actor, id: number, patch: CopyPatch): Promise<CopyView> {
  return inTransaction(db, async (trx) => {
    const organisationId = libraryOf(actor);
    const current = await trx
      .selectFrom('fund.copies')
      .selectAll()
      .where('id', '=', id)
      .where('organisation_id', '=', organisationId)
      .executeTakeFirst();
    if (!current) throw notFound('copy', id);
    checkPrice(patch.priceTiyn);
    if (patch.status && ['on_loan', 'lost', 'written_off'].includes(current.status)) {
      throw conflict('fund.status_locked', { status: current.status });
    }
    const set = {
      ...(patch.inventoryNumber !== undefined ? { inventory_number: patch.inventoryNumber.trim() } : {}),
      ...(patch.barcode !== undefined ? { barcode: patch.barcode.trim() } : {}),
      ...(patch.fund !== undefined ? { fund: patch.fund } : {}),
      ...(patch.priceTiyn !== undefined ? { price_tiyn: patch.priceTiyn } : {}),
      ...(patch.location !== undefined ? { location: patch.location } : {}),
      ...(patch.note !== undefined ? { note: patch.note } : {}),
      ...(patch.acquiredOn !== undefined ? { acquired_on: patch.acquiredOn } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
    };
    if ((set.inventory_number !== undefined && !set.inventory_number) || (set.barcode !== undefined && !set.barcode)) {
      throw invalid('fund.number_required');
    }
    await keepCountersPast(trx, organisationId, { inventoryNumber: set.inventory_number, barcode: set.barcode });
    try {
      const row = await trx
        .updateTable('fund.copies')
        .set({ ...set, updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, actor, 'update', 'copy', id, { before: pick(current, Object.keys(set)), after: set });
      return toCopyView(row);
    } catch (err) {
      throw uniqueError(err, { inventoryNumber: set.inventory_number, barcode: set.barcode });
    }
  });
}

export async function findCopyByBarcode(db: Executor, organisationId: number, barcode: string) {
  return db
    .selectFrom('fund.copies')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('barcode', '=', barcode.trim())
    .executeTakeFirst();
}

/**
 * The copy a scanner read, in the actor's library. A scanner on a desk switched to the Russian or
 * Kazakh layout types Cyrillic letters for the keys; such a code is read back as the keys say.
 */
export async function findScannedCopy(db: Executor, actor: Actor, scanned: string): Promise<ListedCopy> {
  const organisationId = libraryOf(actor);
  const code = scanned.trim();
  const row = (await findCopyByBarcode(db, organisationId, code)) ?? (await findCopyByBarcode(db, organisationId, fromCyrillicLayout(code)));
  if (!row) throw notFound('copy', code);
  return getCopy(db, actor, row.id);
}

function pick(row: Record<string, unknown>, keys: string[]) {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}

export function toCopyView(r: {
  id: number;
  work_id: number;
  inventory_number: string;
  barcode: string;
  fund: FundKind;
  price_tiyn: number;
  status: CopyStatus;
  location: string | null;
  acquired_on: string;
  note: string | null;
}): CopyView {
  return {
    id: r.id,
    workId: r.work_id,
    inventoryNumber: r.inventory_number,
    barcode: r.barcode,
    fund: r.fund,
    priceTiyn: r.price_tiyn,
    status: r.status,
    location: r.location,
    acquiredOn: r.acquired_on,
    note: r.note,
  };
}

export interface CopyQuery {
  workId?: number;
  /** An inventory number or barcode (or its start), or words of the title or author. */
  q?: string;
  status?: CopyStatus;
  fund?: FundKind;
  limit: number;
  offset: number;
}

export type ListedCopy = CopyView & { title: string; authors: string };

/** The copies of the actor's own library, newest inventory numbers last, as the inventory book runs. */
export async function listCopies(db: Executor, actor: Actor, query: CopyQuery): Promise<{ items: ListedCopy[]; total: number }> {
  const organisationId = libraryOf(actor);
  let base = db
    .selectFrom('fund.copies as c')
    .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
    .where('c.organisation_id', '=', organisationId);
  if (query.workId !== undefined) base = base.where('c.work_id', '=', query.workId);
  if (query.status) base = base.where('c.status', '=', query.status);
  if (query.fund) base = base.where('c.fund', '=', query.fund);
  const q = query.q?.trim();
  if (q) {
    const words = foldQuery(q);
    base = base.where((eb) =>
      eb.or([
        eb('c.inventory_number', '=', q),
        eb('c.barcode', '=', q),
        eb('c.inventory_number', 'like', `${escapeLike(q)}%`),
        ...(words.length ? [eb.and(words.map((word) => eb('w.search_key', 'like', `%${word}%`)))] : []),
      ]),
    );
  }
  const [rows, count] = await Promise.all([
    base
      .selectAll('c')
      .select('w.title')
      .orderBy(sql`length(c.inventory_number)`)
      .orderBy('c.inventory_number')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const authors = await authorsOf(db, [...new Set(rows.map((r) => r.work_id))]);
  return {
    items: rows.map((r) => ({ ...toCopyView(r), title: r.title, authors: shortAuthors(authors.get(r.work_id) ?? []) })),
    total: Number(count.n),
  };
}

/** One copy of the actor's own library; another library's copy is simply not found. */
export async function getCopy(db: Executor, actor: Actor, id: number): Promise<ListedCopy> {
  const organisationId = libraryOf(actor);
  const row = await db
    .selectFrom('fund.copies as c')
    .innerJoin('catalog.works as w', 'w.id', 'c.work_id')
    .selectAll('c')
    .select('w.title')
    .where('c.id', '=', id)
    .where('c.organisation_id', '=', organisationId)
    .executeTakeFirst();
  if (!row) throw notFound('copy', id);
  const authors = await authorsOf(db, [row.work_id]);
  return { ...toCopyView(row), title: row.title, authors: shortAuthors(authors.get(row.work_id) ?? []) };
}

/** «Абай Құнанбайұлы, Мұхтар Әуезов»: the authors proper, editors and translators left out. */
export function shortAuthors(authors: { name: string; role: string }[]): string {
  return authors
    .filter((a) => a.role === 'author')
    .map((a) => a.name)
    .join(', ');
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
