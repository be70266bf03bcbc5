import { sql } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { checkPasswordPolicy } from '../auth/password-policy.js';
import { hashPassword } from '../auth/passwords.js';
import { normaliseClassLetter } from '../readers/classes.js';
import { cleanPersonText } from '../shared/text.js';
import { forbidden, invalid, notFound } from '../shared/errors.js';
import { audit } from './audit.js';
import type { Executor } from '../db/executor.js';
import type { Role } from './schema.js';
import { createUser, type NewUser } from './users.js';
import { inTransaction } from '../db/transaction.js';
import { forgetSessions } from '../auth/session-cache.js';
import { allow, assertCanSeeOrganisation } from '../auth/guard.js';

/** An account of a library, as the people page lists it. */
export interface PersonView {
  id: number;
  login: string;
  fullName: string;
  role: Role;
  classGrade: number | null;
  classLetter: string | null;
  readerId: number | null;
  /** The reader a student's or parent's account is linked to, by name. */
  readerName: string | null;
  active: boolean;
  createdAt: string;
  /** The latest use of any of the person's sessions; null when never signed in or signed out. */
  lastSeenAt: string | null;
}

/** What an admin's account list shows instead of a pupil's or parent's name. */
export const HIDDEN_NAME = '***';

/** The accounts a librarian looks after in the own library; an admin looks after all of them. */
const LIBRARIAN_MANAGES: ReadonlySet<Role> = new Set<Role>(['teacher', 'student', 'parent']);

/**
 * Opens an account. An admin opens any; a librarian the teachers', pupils' and parents' of the own
 * library, linked to a reader of that library only.
 */
export async function openAccount(db: Executor, actor: Actor, input: NewUser): Promise<number> {
  allow(actor, 'staff');
  if (actor.role === 'librarian') {
    if (input.organisationId !== actor.organisationId || !LIBRARIAN_MANAGES.has(input.role)) throw forbidden();
    if (input.readerId) {
      const reader = await db.selectFrom('readers.readers').select('organisation_id').where('id', '=', input.readerId).executeTakeFirst();
      if (reader?.organisation_id !== actor.organisationId) throw forbidden();
    }
  }
  return createUser(db, actor, input);
}

/** The accounts of a library: a librarian's own, any organisation's for an admin. */
export async function listPeople(db: Executor, actor: Actor, organisationId?: number): Promise<PersonView[]> {
  allow(actor, 'staff');
  const orgId = organisationId ?? actor.organisationId;
  await assertCanSeeOrganisation(db, actor, orgId);
  const rows = await db
    .selectFrom('org.users as u')
    .leftJoin('readers.readers as r', 'r.id', 'u.reader_id')
    .select([
      'u.id', 'u.login', 'u.full_name', 'u.role', 'u.class_grade', 'u.class_letter', 'u.reader_id', 'u.active', 'u.created_at',
      sql<string | null>`nullif(concat_ws(' ', r.last_name, r.first_name), '')`.as('reader_name'),
      sql<Date | null>`(select max(s.last_seen_at) from org.sessions s where s.user_id = u.id)`.as('last_seen_at'),
    ])
    .where('u.organisation_id', '=', orgId)
    .orderBy('u.role')
    .orderBy('u.full_name')
    .execute();
  // the deployment's admin looks after accounts, not children: pupils' and parents' names are not shown to it
  const hideName = (role: Role) => actor.role === 'admin' && (role === 'student' || role === 'parent');
  return rows.map((r) => ({
    id: r.id,
    login: r.login,
    fullName: hideName(r.role) ? HIDDEN_NAME : r.full_name,
    role: r.role,
    classGrade: r.class_grade,
    classLetter: r.class_letter,
    readerId: r.reader_id,
    readerName: hideName(r.role) ? null : r.reader_name,
    active: r.active,
    createdAt: new Date(r.created_at).toISOString(),
    lastSeenAt: r.last_seen_at ? new Date(r.last_seen_at).toISOString() : null,
  }));
}

export interface PersonPatch {
  fullName?: string;
  /** A new password, set by the librarian for a pupil who forgot it. */
  password?: string;
  active?: boolean;
  classGrade?: number | null;
  classLetter?: string | null;
}

/**
 * Changes an account. A librarian changes the teachers', students' and parents' accounts of the
 * own library, an admin any account it may see; nobody closes the own account. A closed account
 * or a new password signs the person out everywhere at once.
 */
export async function updatePerson(db: Executor, actor: Actor, id: number, patch: PersonPatch): Promise<void> {
  return inTransaction(db, async (trx) => {
    allow(actor, 'staff');
    const person = await trx.selectFrom('org.users').select(['id', 'role', 'organisation_id', 'login', 'full_name']).where('id', '=', id).executeTakeFirst();
    if (!person) throw notFound('user', id);
    if (actor.role === 'librarian' && (person.organisation_id !== actor.organisationId || !LIBRARIAN_MANAGES.has(person.role))) {
      // another library's people are not even said to exist
      if (person.organisation_id !== actor.organisationId) throw notFound('user', id);
      throw forbidden();
    }
    if (actor.role === 'admin') await assertCanSeeOrganisation(trx, actor, person.organisation_id);
    if (patch.active === false && id === actor.userId) throw invalid('org.cannot_close_own_account');
    if (patch.password !== undefined) checkPasswordPolicy(patch.password, { login: person.login, role: person.role, fullName: patch.fullName ?? person.full_name });
    const classLetter = patch.classLetter ? normaliseClassLetter(patch.classLetter) : patch.classLetter;
    if (patch.classLetter && !classLetter) throw invalid('readers.bad_class_letter', { letter: patch.classLetter });
    if (person.role === 'teacher' && (patch.classGrade === null || patch.classLetter === null || patch.classLetter === '')) throw invalid('org.teacher_needs_class');
    const set: Record<string, unknown> = {};
    if (patch.fullName !== undefined) set.full_name = cleanPersonText(patch.fullName);
    if (patch.active !== undefined) set.active = patch.active;
    if (patch.classGrade !== undefined) set.class_grade = patch.classGrade;
    if (patch.classLetter !== undefined) set.class_letter = classLetter;
    if (patch.password !== undefined) set.password_hash = await hashPassword(patch.password);
    if (!Object.keys(set).length) return;
    await trx.updateTable('org.users').set(set).where('id', '=', id).execute();
    if (patch.active === false || patch.password !== undefined) await trx.deleteFrom('org.sessions').where('user_id', '=', id).execute();
    forgetSessions();
    // which fields, never the password itself
    await audit(trx, actor, 'update', 'user', id, { fields: Object.keys(patch) }, person.organisation_id);
  });
}
