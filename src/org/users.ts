import crypto from 'node:crypto';
import type { Actor } from '../auth/actor.js';
import { checkPasswordPolicy } from '../auth/password-policy.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { normaliseClassLetter } from '../readers/classes.js';
import { cleanPersonText } from '../shared/text.js';
import type { Db } from '../db/connect.js';
import { conflict, invalid, isUniqueViolation } from '../shared/errors.js';
import type { Executor } from '../db/executor.js';
import { audit } from './audit.js';
import type { Locale, Role } from './schema.js';
import { auditedChange } from '../db/transaction.js';
import { forgetSessions, sessionCache as newSessionCache } from '../auth/session-cache.js';

export interface NewUser {
  login: string;
  password: string;
  fullName: string;
  role: Role;
  organisationId: number;
  classGrade?: number | null;
  classLetter?: string | null;
  readerId?: number | null;
  locale?: Locale;
  /**
   * The demo library's documented password (demo12345): a demo is not a real library, so only the
   * length of 8 is asked. Every account of a real library passes the full password policy.
   */
  demoPassword?: boolean;
}

export async function createUser(db: Executor, actor: Actor | null, input: NewUser): Promise<number> {
  const login = cleanPersonText(input.login);
  const fullName = cleanPersonText(input.fullName);
  if (input.demoPassword) {
    if (input.password.length < 8) throw invalid('password.too_short', { min: 8 });
  } else {
    checkPasswordPolicy(input.password, { login, role: input.role, fullName });
  }
  if (input.role === 'teacher' && (input.classGrade == null || !input.classLetter)) {
    throw invalid('org.teacher_needs_class');
  }
  const classLetter = input.classLetter ? normaliseClassLetter(input.classLetter) : null;
  if (input.classLetter && !classLetter) throw invalid('readers.bad_class_letter', { letter: input.classLetter });
  // hashed before the transaction opens: the hash takes a while and holds no row
  const passwordHash = await hashPassword(input.password);
  try {
    return await auditedChange(
      db,
      actor,
      (id: number) => ({ action: 'create', entity: 'user', entityId: id, details: { login, role: input.role }, organisationId: input.organisationId }),
      async (trx) => {
        const row = await trx
          .insertInto('org.users')
          .values({
            login,
            password_hash: passwordHash,
            full_name: fullName,
            role: input.role,
            organisation_id: input.organisationId,
            class_grade: input.classGrade ?? null,
            class_letter: classLetter,
            reader_id: input.readerId ?? null,
            locale: input.locale ?? 'kk',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return row.id;
      },
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('org.login_taken', { login });
    throw err;
  }
}

const SESSION_DAYS = 7;

/**
 * Those who read other people's personal data — children's above all — are signed out after
 * this long without using their session: a school's desk PC left signed in at the end of the
 * day is not open to the next person at the keyboard. It covers a school day with its breaks.
 * Students and parents, on their own phones, keep theirs for the whole week.
 */
export const STAFF_IDLE_HOURS = 8;
const STAFF_ROLES: ReadonlySet<Role> = new Set<Role>(['admin', 'librarian', 'methodologist', 'teacher']);
/** The last use is written at most this often, not on every request. */
const TOUCH_EVERY_MS = 5 * 60_000;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export interface Session {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Checks a password; returns the user id or null. Same work whether or not the login exists. */
export async function checkCredentials(db: Db, typedLogin: string, password: string): Promise<number | null> {
  const login = cleanPersonText(typedLogin);
  const user = await db
    .selectFrom('org.users')
    .select(['id', 'password_hash', 'active'])
    .where((eb) => eb(eb.fn('lower', ['login']), '=', login.toLowerCase()))
    .executeTakeFirst();
  const ok = await verifyPassword(user?.password_hash ?? DUMMY_HASH, password);
  return ok && user?.active ? user.id : null;
}

/**
 * A failed sign-in in the audit log of the library the login belongs to (none for an unknown login):
 * the login as typed and the address, never the password.
 */
export async function recordFailedSignIn(db: Db, login: string, address: string): Promise<void> {
  const user = await db
    .selectFrom('org.users')
    .select(['id', 'organisation_id'])
    .where((eb) => eb(eb.fn('lower', ['login']), '=', login.toLowerCase()))
    .executeTakeFirst();
  await audit(db, null, 'login_failed', 'user', user?.id ?? null, { login: login.slice(0, 100), address }, user?.organisation_id ?? null);
}

// A valid argon2id hash of a random string, so unknown logins cost as much as known ones.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$xjtNIIYJJ9jL4iTiPGpOGQ$2MANlqFmC3jBsFj/V9L0XavTOtw8gHbT6RNxur4X0Sc';

export async function openSession(db: Db, userId: number): Promise<Session> {
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86400_000);
  // the user's sessions that ended without a sign-out are cleared as a new one opens
  await db.deleteFrom('org.sessions').where('user_id', '=', userId).where('expires_at', '<', new Date()).execute();
  await db
    .insertInto('org.sessions')
    .values({ token_hash: sha256(token), user_id: userId, csrf_token: csrfToken, expires_at: expiresAt })
    .execute();
  return { token, csrfToken, expiresAt };
}

export async function closeSession(db: Db, token: string): Promise<void> {
  const tokenHash = sha256(token);
  sessionCache.delete(tokenHash);
  await db.deleteFrom('org.sessions').where('token_hash', '=', tokenHash).execute();
}

// a desk sends a scan every few hundred milliseconds at its busiest: reading the session, the user
// and the organisation for each was one database round trip in three (docs/benchmarks.md)
type SessionRow = NonNullable<Awaited<ReturnType<typeof readSession>>>;
const sessionCache = newSessionCache<Db, SessionRow>();

function readSession(db: Db, tokenHash: string) {
  return db
    .selectFrom('org.sessions as s')
    .innerJoin('org.users as u', 'u.id', 's.user_id')
    .innerJoin('org.organisations as o', 'o.id', 'u.organisation_id')
    .select([
      's.csrf_token',
      's.expires_at',
      's.last_seen_at',
      'u.id',
      'u.login',
      'u.full_name',
      'u.role',
      'u.organisation_id',
      'u.class_grade',
      'u.class_letter',
      'u.reader_id',
      'u.locale',
      'u.active',
      'o.path',
    ])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

async function cachedSession(db: Db, tokenHash: string): Promise<SessionRow | undefined> {
  const clock = Date.now();
  const hit = sessionCache.get(db, tokenHash, clock);
  if (hit) return hit;
  const row = await readSession(db, tokenHash);
  if (row) sessionCache.set(db, tokenHash, row, clock);
  else sessionCache.delete(tokenHash);
  return row;
}

export async function actorForSession(db: Db, token: string): Promise<{ actor: Actor; csrfToken: string } | null> {
  const tokenHash = sha256(token);
  const row = await cachedSession(db, tokenHash);
  if (!row || !row.active || new Date(row.expires_at) < new Date()) return null;
  const unused = Date.now() - new Date(row.last_seen_at).getTime();
  if (STAFF_ROLES.has(row.role) && unused > STAFF_IDLE_HOURS * 3_600_000) {
    sessionCache.delete(tokenHash);
    await db.deleteFrom('org.sessions').where('token_hash', '=', tokenHash).execute();
    return null;
  }
  if (unused > TOUCH_EVERY_MS) {
    row.last_seen_at = new Date();
    await db.updateTable('org.sessions').set({ last_seen_at: row.last_seen_at }).where('token_hash', '=', tokenHash).execute();
  }
  return {
    csrfToken: row.csrf_token,
    actor: {
      userId: row.id,
      login: row.login,
      fullName: row.full_name,
      role: row.role,
      organisationId: row.organisation_id,
      orgPath: row.path,
      classGrade: row.class_grade,
      classLetter: row.class_letter,
      readerId: row.reader_id,
      locale: row.locale,
    },
  };
}

export async function setLocale(db: Db, actor: Actor, locale: Locale): Promise<void> {
  await db.updateTable('org.users').set({ locale }).where('id', '=', actor.userId).execute();
  forgetSessions();
}



/** The signed-in user as the web is told it: the actor, its organisation's name and kind, and the session's CSRF token. */
export async function describeActor(db: Executor, actor: Actor, csrfToken: string) {
  const org = await db.selectFrom('org.organisations').select(['name', 'kind']).where('id', '=', actor.organisationId).executeTakeFirstOrThrow();
  return { ...actor, organisationName: org.name, organisationKind: org.kind, csrfToken };
}
