/**
 * Anonymising readers who have left: their names, birth date and contacts are erased for good,
 * while the reader row (registration number, class, leaving date), the loan history and the
 * library's statistics stay. A reader who still holds a book or a textbook is not anonymised,
 * since the library must still be able to ask for it back.
 */
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { kazakhSortKey, searchKey } from '../catalog/folding.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { invalid } from '../shared/errors.js';
import { inTransaction } from '../db/transaction.js';
import { staffLibrary } from '../auth/guard.js';

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
  const organisationId = staffLibrary(actor);
  checkDate(leftBefore);
  const { ready, blocked } = await split(db, organisationId, leftBefore);
  return { leftBefore, ready: ready.length, blocked };
}

/**
 * Erases the personal data of every reader of the library who left before the date and holds
 * nothing; their accounts (a student's or a parent's login) are closed. It cannot be undone,
 * on purpose. One transaction with its audit line.
 */
export async function anonymiseLeftReaders(db: Executor, actor: Actor | null, leftBefore: string): Promise<{ anonymised: number; blocked: number }> {
  return inTransaction(db, async (trx) => {
    const organisationId = staffLibrary(actor);
    checkDate(leftBefore);
    const { ready, blocked } = await split(trx, organisationId, leftBefore);
    if (ready.length === 0) return { anonymised: 0, blocked: blocked.length };
    const ids = ready.map((r) => r.id);
    // the registration number alone still finds the record, for the loan history
    const keys = ready.map((r) => ({ id: r.id, key: searchKey(r.registrationNumber) }));
    const now = new Date();
    await sql`
      UPDATE readers.readers r
         SET last_name = ${ERASED}, first_name = ${ERASED}, middle_name = NULL, birth_date = NULL,
             phone = NULL, email = NULL, parent_name = NULL, parent_phone = NULL,
             search_key = k.key, sort_key = ${kazakhSortKey(ERASED)}, anonymised_at = ${now}, updated_at = ${now}
        FROM jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) AS k(id bigint, key text)
       WHERE r.organisation_id = ${organisationId} AND r.id = k.id`.execute(trx);
    const closed = await trx
      .updateTable('org.users')
      .set({ active: false, full_name: ERASED })
      .where('organisation_id', '=', organisationId)
      .where('reader_id', 'in', ids)
      .where('role', 'in', ['student', 'parent'])
      .returning('id')
      .execute();
    if (closed.length) await trx.deleteFrom('org.sessions').where('user_id', 'in', closed.map((u) => u.id)).execute();
    await audit(trx, actor, 'anonymise', 'reader', null, { leftBefore, readers: ids.length, accountsClosed: closed.length });
    return { anonymised: ids.length, blocked: blocked.length };
  });
}
