import { libraryOf, requireRole, type Actor } from '../../auth/actor.js';

/** Librarians and admins keep the registers of their own library; the organisation id to filter by. */
export function libraryStaff(actor: Actor | null | undefined): number {
  return libraryOf(requireRole(actor, 'librarian', 'admin'));
}

