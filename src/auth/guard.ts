import type { Executor } from '../db/executor.js';
import type { Role } from '../org/schema.js';
import { forbidden, notFound } from '../shared/errors.js';
import { libraryOf, requireRole, type Actor } from './actor.js';

/**
 * The one access rule: who may act, and on which organisation. Routes and domain functions ask
 * here and nowhere else, by the name of an audience rather than a list of roles typed again.
 *
 * - `allow(actor, audience)`: the actor when its role belongs to the audience; 401 without a
 *   session, 403 otherwise.
 * - `staffLibrary(actor)`: the library whose own data (copies, readers, loans, registers, the
 *   textbook fund) the actor keeps — librarians and admins; an admin acts on the library it is attached to.
 * - `classViewer(actor, grade, letter)`: the library's staff, or the class teacher of exactly that class.
 * - `assertCanSeeOrganisation(db, actor, id)`: an admin sees everything, a methodologist the
 *   organisations under their own, everyone else their own library.
 */
export const AUDIENCES = {
  /** The library's staff: librarians, and admins for the library they are attached to. */
  staff: ['admin', 'librarian'],
  /** Only an administrator. */
  admin: ['admin'],
  /** Those who oversee schools: administrators and methodologists. */
  overseers: ['admin', 'methodologist'],
  /** The library's staff and the methodologists above it (figures, reports). */
  staffAndOverseers: ['admin', 'methodologist', 'librarian'],
  /** The library's staff and the class teachers (a class's lists, debtors, textbooks). */
  staffAndTeachers: ['admin', 'librarian', 'teacher'],
  /** Every grown-up user: staff, teachers and methodologists. */
  staffTeachersAndOverseers: ['admin', 'methodologist', 'librarian', 'teacher'],
  /** Class teachers (their own class's pages). */
  teachers: ['teacher'],
  /** Readers' own accounts: a pupil or a parent. */
  readers: ['student', 'parent'],
  /** Those who ask the library as readers: pupils, parents and teachers (questions to the librarian). */
  readersAndTeachers: ['teacher', 'student', 'parent'],
  /** Everyone who belongs to one library: staff, teachers, pupils and parents (not a methodologist). */
  libraryMembers: ['admin', 'librarian', 'teacher', 'student', 'parent'],
  /** Anyone signed in. */
  signedIn: ['admin', 'methodologist', 'librarian', 'teacher', 'student', 'parent'],
} as const satisfies Record<string, readonly Role[]>;

export type Audience = keyof typeof AUDIENCES;

/** The actor, when its role belongs to the audience: 401 without a session, 403 otherwise. */
export function allow(actor: Actor | null | undefined, audience: Audience): Actor {
  return requireRole(actor, ...AUDIENCES[audience]);
}

/** Whether the actor's role belongs to the audience (for showing, not for guarding). */
export function belongsTo(actor: Actor | null | undefined, audience: Audience): boolean {
  return !!actor && (AUDIENCES[audience] as readonly Role[]).includes(actor.role);
}

/** The library whose own data the actor keeps: librarians and admins only. */
export function staffLibrary(actor: Actor | null | undefined): number {
  return libraryOf(allow(actor, 'staff'));
}

/** Staff of the library, or the class teacher of exactly this class: a class's affairs are the teacher's business too. */
export function classViewer(actor: Actor | null | undefined, grade: number, classLetter: string): number {
  const who = allow(actor, 'staffAndTeachers');
  if (who.role === 'teacher' && (who.classGrade !== grade || who.classLetter !== classLetter)) throw forbidden();
  return libraryOf(who);
}

/** An admin sees everything; a methodologist their district or region; others their own library. */
export async function assertCanSeeOrganisation(db: Executor, actor: Actor, organisationId: number): Promise<void> {
  // the admin sees every organisation, but only one that exists: the callers read it next
  const org = await db.selectFrom('org.organisations').select('path').where('id', '=', organisationId).executeTakeFirst();
  if (!org) throw notFound('organisation', organisationId);
  if (actor.role === 'admin') return;
  if (actor.role === 'methodologist' ? org.path.startsWith(actor.orgPath) : organisationId === actor.organisationId) {
    return;
  }
  throw forbidden();
}

export { libraryOf };
