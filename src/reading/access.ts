import { type Actor } from '../auth/actor.js';
import type { Executor } from '../db/executor.js';
import { allow, assertCanSeeOrganisation, belongsTo, staffLibrary } from '../auth/guard.js';
import { subtreeIds } from '../org/organisations.js';
import { AppError, forbidden, invalid, unauthorised } from '../shared/errors.js';
import { libraryToday, schoolYearOf, schoolYearRange } from '../shared/library-time.js';

/** The library of a librarian or admin, who keep its reading records. */
export function readingStaff(actor: Actor | null | undefined): number {
  return staffLibrary(actor);
}

/** The reader a pupil's or parent's account stands for (a parent's: the child's). */
export function ownReaderOf(actor: Actor | null | undefined): { library: number; readerId: number } {
  const reader = allow(actor, 'readers');
  if (reader.readerId === null) throw new AppError('reading.no_reader_card', 404);
  return { library: reader.organisationId, readerId: reader.readerId };
}

/** Anyone signed in who belongs to one library (every role but the methodologist). */
export function memberLibrary(actor: Actor | null | undefined): number {
  return allow(actor, 'libraryMembers').organisationId;
}

/**
 * The organisations whose figures an actor may see: their own library, or, for a methodologist or
 * an admin, the organisation asked for and everything under it.
 */
export async function scopeOrganisations(db: Executor, actor: Actor | null | undefined, organisationId?: number): Promise<number[]> {
  if (!actor) throw unauthorised();
  if (belongsTo(actor, 'overseers')) {
    const root = organisationId ?? actor.organisationId;
    await assertCanSeeOrganisation(db, actor, root);
    return subtreeIds(db, root);
  }
  if (organisationId !== undefined && organisationId !== actor.organisationId) throw forbidden();
  return [actor.organisationId];
}

export interface Period {
  from: string;
  to: string;
  /** '2025' or '2024-2025' */
  label: string;
  kind: 'year' | 'school_year';
}

/** A calendar year or a school year; the current school year of the library when neither is given. */
export async function resolvePeriod(
  db: Executor,
  organisationId: number,
  query: { year?: number; schoolYear?: string },
): Promise<Period> {
  if (query.year !== undefined && query.schoolYear !== undefined) throw invalid('reading.period_twice');
  if (query.year !== undefined) {
    return { from: `${query.year}-01-01`, to: `${query.year}-12-31`, label: String(query.year), kind: 'year' };
  }
  const schoolYear = query.schoolYear ?? schoolYearOf(await libraryToday(db, organisationId));
  let range: { from: string; to: string };
  try {
    range = schoolYearRange(schoolYear);
  } catch {
    throw invalid('reading.bad_school_year', { value: schoolYear });
  }
  return { ...range, label: schoolYear, kind: 'school_year' };
}

/** The organisations whose figures the actor asked for (scopeOrganisations) and the period, in the first one's calendar. */
export async function scopedPeriod(db: Executor, actor: Actor | null | undefined, query: { organisationId?: number; year?: number; schoolYear?: string }) {
  const orgs = await scopeOrganisations(db, actor, query.organisationId);
  const period = await resolvePeriod(db, orgs[0] ?? actor!.organisationId, query);
  return { orgs, period };
}
