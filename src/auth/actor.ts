import type { Locale, Role } from '../org/schema.js';
import { AppError, forbidden } from '../shared/errors.js';

/** Who is acting: every domain function takes one and filters by it. */
export interface Actor {
  userId: number;
  login: string;
  fullName: string;
  role: Role;
  /** The library of a librarian, teacher, student or parent; the district/region of a methodologist. */
  organisationId: number;
  /** Materialised path of that organisation ('/1/4/9/'), for subtree checks. */
  orgPath: string;
  classGrade: number | null;
  classLetter: string | null;
  readerId: number | null;
  locale: Locale;
}

/** The actor when its role is one of these: 401 without a session, 403 otherwise. Routes and domains name an audience instead (`allow` in guard.ts). */
export function requireRole(actor: Actor | null | undefined, ...roles: Role[]): Actor {
  if (!actor) throw new AppError('auth.unauthorised', 401);
  if (!roles.includes(actor.role)) throw forbidden();
  return actor;
}

/**
 * The library whose own data (copies, readers, loans) this actor works on.
 * Only roles that belong to one library have one; an admin acts on the library it is attached to.
 */
export function libraryOf(actor: Actor): number {
  if (actor.role === 'methodologist') throw forbidden();
  return actor.organisationId;
}
