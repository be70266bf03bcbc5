import { sql } from 'kysely';
import type { Executor } from '../db/executor.js';

/**
 * Transaction locks on the catalogue that every library shares. "Look it up, else add it" must
 * be one step across connections: two libraries adding the same new author, or a work with the
 * same ISBN, at the same moment on a server would otherwise each find none and add one. The lock
 * is held until the caller's transaction ends, so call these inside one, after a lookup found
 * nothing and before looking again. (The embedded database has one connection: never a wait.)
 */
const CATALOGUE = 0x43415441; // ASCII 'CATA'
const AUTHORITY = 1;
const WORKS_BY_ISBN = 2;

export async function lockAuthority(db: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(${CATALOGUE}::int4, ${AUTHORITY}::int4)`.execute(db);
}

/** One lock for all ISBNs: an import checks a thousand at once, and a lock each would fill the server's lock table. */
export async function lockWorksByIsbn(db: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(${CATALOGUE}::int4, ${WORKS_BY_ISBN}::int4)`.execute(db);
}
