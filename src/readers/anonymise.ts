/**
 * Anonymising readers who have left: their names, birth date and contacts are erased for good,
 * and their loan history becomes counts, while the reader row (registration number, class, leaving
 * date) and the library's statistics stay. A reader who still holds a book or a textbook is not anonymised,
 * since the library must still be able to ask for it back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Actor } from '../auth/actor.js';
import { kazakhSortKey, searchKey } from '../catalog/folding.js';
import { audit } from '../org/audit.js';
import { forgetSessions } from '../auth/session-cache.js';
import type { Executor } from '../db/executor.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import { foldLoans, unlinkCountedRows } from '../reports/kept.js';
import { writableLibrary } from './readers.js';
import { forgetReservations } from '../circulation/reservations.js';
import { libraryToday } from '../shared/library-time.js';

/** What stands in place of an erased name. */
export const ERASED = '***';

export interface AnonymisationCandidate {
  id: number;
  registrationNumber: string;
  fullName: string;
  leftOn: string;
  /** Books on loan and textbooks not returned: while any is left, the reader is kept. */
  openLoans: number;
  textbooksOnHand: number;
}

export interface AnonymisationPreview {
  leftBefore: string;
  ready: number;
  blocked: AnonymisationCandidate[];
}

function candidates(db: Executor, organisationId: number, leftBefore: string) {
  return db
    .selectFrom('readers.readers as r')
    .where('r.organisation_id', '=', organisationId)
    .where('r.status', '=', 'left')
    .where('r.left_on', '<', leftBefore)
    .where('r.anonymised_at', 'is', null)
    .select((eb) => [
      'r.id',
      'r.registration_number',
      'r.last_name',
      'r.first_name',
      'r.middle_name',
      'r.left_on',
      eb
        .selectFrom('circulation.loans as l')
        .whereRef('l.reader_id', '=', 'r.id')
        .where('l.returned_at', 'is', null)
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('open_loans'),
      eb
        .selectFrom('textbooks.issues as i')
        .whereRef('i.reader_id', '=', 'r.id')
        .where('i.returned_on', 'is', null)
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('textbooks_on_hand'),
    ])
    .orderBy('r.left_on')
    .orderBy('r.id');
}

function checkDate(leftBefore: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(leftBefore) || Number.isNaN(Date.parse(leftBefore))) throw invalid('readers.anonymise.bad_date', { date: leftBefore });
}

async function split(db: Executor, organisationId: number, leftBefore: string) {
  const rows = await candidates(db, organisationId, leftBefore).execute();
  const all = rows.map(
    (r): AnonymisationCandidate => ({
      id: r.id,
      registrationNumber: r.registration_number,
      fullName: [r.last_name, r.first_name, r.middle_name].filter(Boolean).join(' '),
      leftOn: r.left_on!,
      openLoans: Number(r.open_loans ?? 0),
      textbooksOnHand: Number(r.textbooks_on_hand ?? 0),
    }),
  );
  return { ready: all.filter((c) => c.openLoans + c.textbooksOnHand === 0), blocked: all.filter((c) => c.openLoans + c.textbooksOnHand > 0) };
}

/** How many readers who left before the date would be anonymised, and who must return something first. */
export async function previewAnonymisation(db: Executor, actor: Actor | null, leftBefore: string): Promise<AnonymisationPreview> {
  const organisationId = writableLibrary(actor);
  checkDate(leftBefore);
  const { ready, blocked } = await split(db, organisationId, leftBefore);
  return { leftBefore, ready: ready.length, blocked };
}

/**
 * Erases the personal data of every reader of the library who left before the date and holds
 * nothing; their accounts (a student's or a parent's login) are closed. It cannot be undone,
 * on purpose. Call inside a transaction.
 */
export async function anonymiseLeftReaders(db: Executor, actor: Actor | null, leftBefore: string): Promise<{ anonymised: number; blocked: number; readerIds: number[] }> {
  const organisationId = writableLibrary(actor);
  checkDate(leftBefore);
  const { ready, blocked } = await split(db, organisationId, leftBefore);
  if (ready.length === 0) return { anonymised: 0, blocked: blocked.length, readerIds: [] };
  const ids = ready.map((r) => r.id);
  const { accountsRemoved } = await eraseReaders(db, actor, organisationId, ids, 'left');
  await audit(db, actor, 'anonymise', 'reader', null, { leftBefore, readers: ids.length, accountsRemoved });
  return { anonymised: ids.length, blocked: blocked.length, readerIds: ids };
}

export type ErasureReason = 'left' | 'request' | 'retention';

/** The table columns (schema.table.column) that refer to the accounts, found in the catalogue so none is forgotten. */
async function referencesTo(db: Executor, table: 'users' | 'readers', schema: 'org' | 'readers') {
  const { rows } = await sql<{ ref_schema: string; ref_table: string; ref_column: string; nullable: boolean; cascade: boolean }>`
    select n.nspname as ref_schema, c.relname as ref_table, a.attname as ref_column,
           not a.attnotnull as nullable, con.confdeltype = 'c' as cascade
      from pg_constraint con
      join pg_class c on c.oid = con.conrelid
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
      join pg_class t on t.oid = con.confrelid
      join pg_namespace tn on tn.oid = t.relnamespace
     where con.contype = 'f' and t.relname = ${table} and tn.nspname = ${schema}
     order by 1, 2, 3`.execute(db);
  return rows;
}

export { referencesTo as foreignKeysTo };

/**
 * Erases readers' personal data for good, inside the caller's transaction: names, birth date and
 * contacts; the pupil's and parent's accounts linked to them (removed, their traces elsewhere
 * unlinked); the audit lines that name them; the notes of their losses; who signed their consents;
 * the texts of their requests; their reservations; their name and e-mail in gift draws, their recommendations, the notes of
 * their reading records, challenge days and textbook raids; their returned loans, folded into the report's kept counts first
 * (reports/kept.ts), and the reader's link on reading-room uses and contacts. What stays is the
 * reader's number, class and leaving date, and their visits: the report's regular visitors are
 * counted per reader-number (they go with the visits' own retention). Each erasure is listed in readers.erasures (and, by
 * the caller, in the ledger outside the database) so that a restored older backup is erased again.
 */
export async function eraseReaders(
  db: Executor,
  actor: Actor | null,
  organisationId: number,
  ids: readonly number[],
  reason: ErasureReason,
): Promise<{ accountsRemoved: number }> {
  if (!ids.length) return { accountsRemoved: 0 };
  const people = await db
    .selectFrom('readers.readers')
    .select(['id', 'registration_number', 'last_name', 'first_name', 'middle_name', 'phone', 'email', 'parent_name', 'parent_phone'])
    .where('organisation_id', '=', organisationId)
    .where('id', 'in', [...ids])
    .execute();
  if (!people.length) return { accountsRemoved: 0 };
  const readerIds = people.map((p) => p.id);
  const consentSigners = await db.selectFrom('readers.consents').select('given_by').where('reader_id', 'in', readerIds).execute();
  // every text that could name the reader in a free-text field or an audit line
  const needles = new Set<string>();
  const add = (v: string | null | undefined) => {
    const t = v?.trim();
    if (t && t !== ERASED && t.length >= 3) needles.add(t);
  };
  for (const p of people) {
    add(p.last_name);
    add(fullName(p));
    [p.phone, p.email, p.parent_name, p.parent_phone].forEach(add);
  }
  consentSigners.forEach((c) => add(c.given_by));
  const accounts = await db
    .selectFrom('org.users')
    .select(['id', 'full_name', 'login'])
    .where('organisation_id', '=', organisationId)
    .where('reader_id', 'in', readerIds)
    .where('role', 'in', ['student', 'parent'])
    .execute();
  for (const a of accounts) add(a.full_name);

  const keys = people.map((r) => ({ id: r.id, key: searchKey(r.registration_number) }));
  const now = new Date();
  await sql`
    UPDATE readers.readers r
       SET last_name = ${ERASED}, first_name = ${ERASED}, middle_name = NULL, birth_date = NULL,
           phone = NULL, email = NULL, parent_name = NULL, parent_phone = NULL, blocked_at = NULL,
           search_key = k.key, sort_key = ${kazakhSortKey(ERASED)}, anonymised_at = ${now}, updated_at = ${now}
      FROM jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) AS k(id bigint, key text)
     WHERE r.organisation_id = ${organisationId} AND r.id = k.id`.execute(db);

  // the accounts go: their traces in other tables are unlinked first (sessions go with them)
  const accountIds = accounts.map((a) => a.id);
  if (accountIds.length) {
    for (const ref of await referencesTo(db, 'users', 'org')) {
      if (ref.cascade || !ref.nullable) continue;
      await sql`UPDATE ${sql.table(`${ref.ref_schema}.${ref.ref_table}`)} SET ${sql.ref(ref.ref_column)} = NULL
                 WHERE ${sql.ref(ref.ref_column)} IN (${sql.join(accountIds)})`.execute(db);
    }
    await db.deleteFrom('org.users').where('id', 'in', accountIds).execute();
    forgetSessions();
  }
  // who reserved what goes (a copy held for the reader passes to the next one waiting); before the
  // loans are folded, as a fulfilled reservation names its loan
  await forgetReservations(db, organisationId, readerIds, await libraryToday(db, organisationId));
  // the loan history becomes counts: the report and the statistics need how many, not who read what
  await foldLoans(db, organisationId, { readerIds });
  await unlinkCountedRows(db, organisationId, { readerIds });
  await db.updateTable('fund.losses').set({ note: null }).where('reader_id', 'in', readerIds).execute();
  // the reading movement's and the textbook raids' words about the reader: a draw entry keeps no name or
  // e-mail, the reader's own recommendations go, notes are cleared
  await db.updateTable('reading.draw_participants').set({ name: ERASED, email: null }).where('reader_id', 'in', readerIds).execute();
  await db.deleteFrom('reading.recommendations').where('reader_id', 'in', readerIds).execute();
  await db.updateTable('reading.challenge_days').set({ note: null }).where('reader_id', 'in', readerIds).execute();
  await db.updateTable('reading.records').set({ note: null }).where('reader_id', 'in', readerIds).where('note', 'is not', null).execute();
  await db.updateTable('textbooks.raid_lines').set({ note: null }).where('reader_id', 'in', readerIds).execute();
  await db.updateTable('readers.consents').set({ given_by: null, note: null }).where('reader_id', 'in', readerIds).execute();
  await db.updateTable('readers.requests').set({ message: ERASED, answer: sql`case when answer is null then null else ${ERASED} end` }).where('reader_id', 'in', readerIds).execute();
  // audit lines about the reader, or whose details name the reader, keep what happened, not to whom
  const patterns = [...needles].map((n) => `%${n.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  await db
    .updateTable('org.audit_log')
    .set({ details: JSON.stringify({ erased: true }) })
    .where((eb) =>
      eb.or([
        eb.and([eb('entity', '=', 'reader'), eb('entity_id', 'in', readerIds.map(String))]),
        ...(patterns.length ? [eb(sql`details::text`, 'ilike', sql`any(${sql.val(patterns)}::text[])`)] : []),
        ...(accountIds.length ? [eb.and([eb('entity', '=', 'user'), eb('entity_id', 'in', accountIds.map(String))])] : []),
      ]),
    )
    .execute();
  await db
    .insertInto('readers.erasures')
    .values(readerIds.map((id) => ({ organisation_id: organisationId, reader_id: id, reason, erased_by: actor?.userId ?? null })))
    .onConflict((oc) => oc.column('reader_id').doNothing())
    .execute();
  return { accountsRemoved: accountIds.length };
}

function fullName(p: { last_name: string; first_name: string; middle_name: string | null }) {
  return [p.last_name, p.first_name, p.middle_name].filter(Boolean).join(' ');
}

/** The tables whose files may still hold an erased value until they are rewritten. */
const TOUCHED_TABLES = [
  'readers.readers',
  'readers.consents',
  'readers.requests',
  'org.users',
  'org.sessions',
  'org.audit_log',
  'fund.losses',
  'reading.draw_participants',
  'reading.recommendations',
  'reading.challenge_days',
  'textbooks.raid_lines',
];
/** Rewritten on the embedded database only: a region's millions of reading records are not locked for an erasure. */
const TOUCHED_ON_EMBEDDED = ['reading.records'];

/**
 * Makes erased values unrecoverable from the database's files: the touched tables are rewritten
 * (VACUUM FULL drops the dead row versions and rebuilds the indexes), and on the embedded database
 * the write-ahead log is moved on and checkpointed twice with recycling off, so the old segments
 * that held the values are deleted rather than kept for reuse. Runs outside any transaction.
 */
export async function purgeErasedValues(db: Db, kind: 'pglite' | 'postgres'): Promise<{ ms: number }> {
  const started = performance.now();
  await db.connection().execute(async (conn) => {
    for (const table of [...TOUCHED_TABLES, ...(kind === 'pglite' ? TOUCHED_ON_EMBEDDED : [])]) await sql`VACUUM FULL ${sql.table(table)}`.execute(conn);
    // statistics may hold sample values of a column: they are gathered again from the cleaned rows
    await sql`ANALYZE readers.readers`.execute(conn);
    if (kind === 'pglite') {
      await sql`VACUUM FULL pg_catalog.pg_statistic`.execute(conn);
      await sql`SET wal_recycle = off`.execute(conn);
      for (let i = 0; i < 2; i++) {
        await sql`SELECT pg_switch_wal()`.execute(conn);
        await sql`CHECKPOINT`.execute(conn);
      }
    } else {
      await sql`CHECKPOINT`.execute(conn).catch(() => {});
    }
  });
  return { ms: Math.round(performance.now() - started) };
}

/** One line of the erasure ledger kept outside the database: numbers only. */
export interface LedgerEntry {
  organisationId: number;
  readerId: number;
  reason: ErasureReason;
  erasedAt: string;
}

/** Appends erasures to the ledger file (created readable by the server's user only). */
export function appendToLedger(ledger: string | null, entries: LedgerEntry[]): void {
  if (!ledger || !entries.length) return;
  fs.mkdirSync(path.dirname(ledger), { recursive: true, mode: 0o700 });
  fs.appendFileSync(ledger, entries.map((e) => JSON.stringify(e) + '\n').join(''), { mode: 0o600 });
}

export function readLedger(ledger: string | null): LedgerEntry[] {
  if (!ledger || !fs.existsSync(ledger)) return [];
  const entries: LedgerEntry[] = [];
  for (const line of fs.readFileSync(ledger, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as LedgerEntry;
      if (Number.isInteger(e.organisationId) && Number.isInteger(e.readerId)) entries.push(e);
    } catch {
      // a line cut short by a power failure is skipped; the others still count
    }
  }
  return entries;
}

/** The ledger lines for erasures just written to readers.erasures. */
export async function ledgerEntriesFor(db: Executor, organisationId: number, readerIds: readonly number[]): Promise<LedgerEntry[]> {
  if (!readerIds.length) return [];
  const rows = await db
    .selectFrom('readers.erasures')
    .select(['organisation_id', 'reader_id', 'reason', 'erased_at'])
    .where('organisation_id', '=', organisationId)
    .where('reader_id', 'in', [...readerIds])
    .execute();
  return rows.map((r) => ({ organisationId: r.organisation_id, readerId: r.reader_id, reason: r.reason, erasedAt: new Date(r.erased_at).toISOString() }));
}

/**
 * Erases again every reader the ledger lists whose data is back (a restore of an older backup):
 * returns how many were erased again. Purges the files when any was.
 */
export async function reapplyErasures(db: Db, kind: 'pglite' | 'postgres', ledger: string | null): Promise<number> {
  const entries = readLedger(ledger);
  if (!entries.length) return 0;
  let again = 0;
  const byOrg = new Map<number, LedgerEntry[]>();
  for (const e of entries) byOrg.set(e.organisationId, [...(byOrg.get(e.organisationId) ?? []), e]);
  for (const [organisationId, list] of byOrg) {
    const ids = list.map((e) => e.readerId);
    const back = await db
      .selectFrom('readers.readers')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('id', 'in', ids)
      .where('anonymised_at', 'is', null)
      .execute();
    if (!back.length) continue;
    await db.transaction().execute(async (trx) => {
      const backIds = back.map((r) => r.id);
      for (const reason of ['left', 'request', 'retention'] as const) {
        const these = backIds.filter((id) => list.find((e) => e.readerId === id)?.reason === reason);
        if (these.length) await eraseReaders(trx, null, organisationId, these, reason);
      }
      await audit(trx, null, 'reapply_erasures', 'reader', null, { readers: backIds.length }, organisationId);
    });
    again += back.length;
  }
  if (again) await purgeErasedValues(db, kind);
  return again;
}

/**
 * Erases one reader's personal data on request (the legal representative's, or the library's own
 * decision), not only leavers in bulk. A reader who still holds a book or a textbook is refused:
 * the library must first get it back or record it as lost.
 */
export async function eraseOneReader(db: Executor, actor: Actor | null, readerId: number): Promise<{ accountsRemoved: number }> {
  const organisationId = writableLibrary(actor);
  const reader = await db
    .selectFrom('readers.readers as r')
    .where('r.id', '=', readerId)
    .where('r.organisation_id', '=', organisationId)
    .select((eb) => [
      'r.id',
      'r.registration_number',
      'r.anonymised_at',
      eb.selectFrom('circulation.loans as l').whereRef('l.reader_id', '=', 'r.id').where('l.returned_at', 'is', null).select((e) => e.fn.countAll<number>().as('n')).as('open_loans'),
      eb.selectFrom('textbooks.issues as i').whereRef('i.reader_id', '=', 'r.id').where('i.returned_on', 'is', null).select((e) => e.fn.countAll<number>().as('n')).as('textbooks'),
    ])
    .forUpdate()
    .executeTakeFirst();
  if (!reader) throw notFound('reader', readerId);
  if (reader.anonymised_at) throw conflict('readers.anonymised', { number: reader.registration_number });
  if (Number(reader.open_loans ?? 0) + Number(reader.textbooks ?? 0) > 0) throw conflict('readers.erase_holds_items', { number: reader.registration_number });
  const result = await eraseReaders(db, actor, organisationId, [readerId], 'request');
  await audit(db, actor, 'erase', 'reader', readerId, { accountsRemoved: result.accountsRemoved });
  return result;
}

/** The erasure ledger lies beside the data folder, so that a restore, which replaces the folder, keeps it. */
export function erasureLedgerFile(dataDir: string): string {
  return path.join(path.dirname(path.resolve(dataDir)), 'erasures.jsonl');
}
