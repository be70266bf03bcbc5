/**
 * Retention: personal data is kept only while it serves its purpose (Law No. 94-V, art. 12). Each
 * library sets how long it keeps leavers' personal data and its audit log; expired sessions and old
 * backups go by themselves. A daily job applies the periods and writes what it did to the audit log.
 * Loans and visits are kept: the library's yearly reports count them, and a reader erased is
 * only a number, a class and a leaving date by then.
 */
import type { Actor } from '../auth/actor.js';
import { pruneBackups, type BackupConfig } from '../backup/backup.js';
import type { Db } from '../db/connect.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { invalid } from '../shared/errors.js';
import { libraryToday, localDate, now } from '../shared/library-time.js';
import { appendToLedger, eraseReaders, ledgerEntriesFor, purgeErasedValues } from './anonymise.js';
import { writableLibrary } from './readers.js';

export interface RetentionSettings {
  /** Leavers' personal data is erased this many days after they left (once they hold nothing). */
  leaversDays: number;
  /** Audit lines older than this are removed. */
  auditDays: number;
}

export const DEFAULT_RETENTION: RetentionSettings = { leaversDays: 730, auditDays: 1825 };

export async function retentionOf(db: Executor, organisationId: number): Promise<RetentionSettings> {
  const row = await db.selectFrom('org.retention').select(['leavers_days', 'audit_days']).where('organisation_id', '=', organisationId).executeTakeFirst();
  return row ? { leaversDays: row.leavers_days, auditDays: row.audit_days } : { ...DEFAULT_RETENTION };
}

export async function getRetention(db: Executor, actor: Actor | null): Promise<RetentionSettings> {
  return retentionOf(db, writableLibrary(actor));
}

export async function setRetention(db: Executor, actor: Actor | null, input: RetentionSettings): Promise<RetentionSettings> {
  const organisationId = writableLibrary(actor);
  if (!Number.isInteger(input.leaversDays) || input.leaversDays < 0 || input.leaversDays > 3650) throw invalid('readers.retention.bad', { field: 'leaversDays' });
  // an audit log shorter than a year could not answer for the school year just closed
  if (!Number.isInteger(input.auditDays) || input.auditDays < 365 || input.auditDays > 3650) throw invalid('readers.retention.bad', { field: 'auditDays' });
  await db
    .insertInto('org.retention')
    .values({ organisation_id: organisationId, leavers_days: input.leaversDays, audit_days: input.auditDays, updated_by: actor!.userId })
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ leavers_days: input.leaversDays, audit_days: input.auditDays, updated_at: new Date(), updated_by: actor!.userId }))
    .execute();
  await audit(db, actor, 'update', 'retention', organisationId, { leaversDays: input.leaversDays, auditDays: input.auditDays });
  return input;
}

/** A calendar date `days` before a 'YYYY-MM-DD' one (calendar arithmetic, no time zone involved). */
const minusDays = (isoDate: string, days: number) => {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d - days));
  return `${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
};

export interface RetentionRun {
  libraries: number;
  readersErased: number;
  auditLinesRemoved: number;
  sessionsRemoved: number;
  backupsRemoved: number;
}

/**
 * Applies every library's retention once: leavers erased, old audit lines removed (per library),
 * expired sessions and old backups removed (for the whole server); each library's figures written
 * to its audit log. Erased values are then purged from the database's files.
 */
export async function applyRetention(
  db: Db,
  kind: 'pglite' | 'postgres',
  options: { erasureLedger: string | null; backups?: Pick<BackupConfig, 'dir' | 'keepDays'> | null },
): Promise<RetentionRun> {
  const run: RetentionRun = { libraries: 0, readersErased: 0, auditLinesRemoved: 0, sessionsRemoved: 0, backupsRemoved: 0 };
  const libraries = await db
    .selectFrom('org.organisations as o')
    .select('o.id')
    .where((eb) => eb.exists(eb.selectFrom('readers.readers as r').select('r.id').whereRef('r.organisation_id', '=', 'o.id')))
    .orderBy('o.id')
    .execute();
  for (const { id: organisationId } of libraries) {
    const settings = await retentionOf(db, organisationId);
    const today = await libraryToday(db, organisationId);
    const erased = await db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('readers.readers as r')
        .select('r.id')
        .where('r.organisation_id', '=', organisationId)
        .where('r.status', '=', 'left')
        .where('r.anonymised_at', 'is', null)
        .where('r.left_on', '<', minusDays(today, settings.leaversDays))
        .where((eb) => eb.not(eb.exists(eb.selectFrom('circulation.loans as l').select('l.id').whereRef('l.reader_id', '=', 'r.id').where('l.returned_at', 'is', null))))
        .where((eb) => eb.not(eb.exists(eb.selectFrom('textbooks.issues as i').select('i.id').whereRef('i.reader_id', '=', 'r.id').where('i.returned_on', 'is', null))))
        .execute();
      const ids = due.map((r) => r.id);
      if (ids.length) await eraseReaders(trx, null, organisationId, ids, 'retention');
      const removed = await trx
        .deleteFrom('org.audit_log')
        .where('organisation_id', '=', organisationId)
        .where('at', '<', new Date(`${minusDays(today, settings.auditDays)}T00:00:00Z`))
        .executeTakeFirst();
      const auditLinesRemoved = Number(removed.numDeletedRows ?? 0);
      if (ids.length || auditLinesRemoved) {
        await audit(trx, null, 'retention', 'readers', null, { readersErased: ids.length, auditLinesRemoved, leaversDays: settings.leaversDays, auditDays: settings.auditDays }, organisationId);
      }
      return { ids, auditLinesRemoved };
    });
    appendToLedger(options.erasureLedger, await ledgerEntriesFor(db, organisationId, erased.ids));
    run.libraries++;
    run.readersErased += erased.ids.length;
    run.auditLinesRemoved += erased.auditLinesRemoved;
  }
  const sessions = await db.deleteFrom('org.sessions').where('expires_at', '<', now()).executeTakeFirst();
  run.sessionsRemoved = Number(sessions.numDeletedRows ?? 0);
  if (options.backups && kind === 'pglite') run.backupsRemoved = pruneBackups(options.backups.dir, options.backups.keepDays, now()).length;
  if (run.readersErased || run.auditLinesRemoved) await purgeErasedValues(db, kind);
  return run;
}

/**
 * Runs the retention job once a day: shortly after the server starts, then checked every hour,
 * and only when it has not run yet on the day (org.job_runs). Returns a function that stops it
 * and waits for a run under way.
 */
export function scheduleRetention(
  db: Db,
  kind: 'pglite' | 'postgres',
  options: { erasureLedger: string | null; backups?: Pick<BackupConfig, 'dir' | 'keepDays'> | null },
  log: (message: string) => void,
  timing = { firstAfterMs: 120_000, checkEveryMs: 3_600_000 },
): () => Promise<void> {
  let current: Promise<void> | null = null;
  const check = () => {
    if (current) return;
    current = (async () => {
      const today = localDate(); // the server's day decides only when the job runs; each library's own clock decides what is due
      const last = await db.selectFrom('org.job_runs').select('ran_on').where('job', '=', 'retention').executeTakeFirst();
      if (last?.ran_on === today) return;
      const run = await applyRetention(db, kind, options);
      await db
        .insertInto('org.job_runs')
        .values({ job: 'retention', ran_on: today, summary: JSON.stringify(run) })
        .onConflict((oc) => oc.column('job').doUpdateSet({ ran_on: today, summary: JSON.stringify(run) }))
        .execute();
      log(`Retention: ${run.readersErased} reader(s) erased, ${run.auditLinesRemoved} audit line(s), ${run.sessionsRemoved} expired session(s), ${run.backupsRemoved} backup(s) removed`);
    })()
      .catch((err: unknown) => log(`Retention failed: ${(err as Error).message}`))
      .finally(() => (current = null));
  };
  const first = setTimeout(check, timing.firstAfterMs);
  const every = setInterval(check, timing.checkEveryMs);
  first.unref();
  every.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(every);
    await current;
  };
}

