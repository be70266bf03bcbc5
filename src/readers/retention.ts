/**
 * Retention: personal data is kept only while it serves its purpose (Law No. 94-V, art. 12). Each
 * library sets how long it keeps leavers' personal data, the loan history, the visits, the reading
 * records, returned textbook issues, the personal link of settled losses, its audit log, expired
 * sessions and backups. A daily job applies the periods and writes what it removed to each library's
 * audit log. Loans, visits, textbook issues and reading records leave their numbers behind before
 * they go (reports/kept.ts, reading/kept.ts), so no report or standing of a past year changes.
 */
import type { Actor } from '../auth/actor.js';
import { staffLibrary } from '../auth/guard.js';
import { pruneBackups, type BackupConfig } from '../backup/backup.js';
import type { Db } from '../db/connect.js';
import { sql } from 'kysely';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { foldLoans, foldTextbookIssues, foldVisits, startOfLibraryDay, unlinkCountedRows } from '../reports/kept.js';
import { foldReadingRecords } from '../reading/kept.js';
import { unlinkSettledLosses } from '../fund/accounting/losses.js';
import { invalid } from '../shared/errors.js';
import { addDays, libraryToday, localDate, now, schoolYearOf, schoolYearRange } from '../shared/library-time.js';
import { appendToLedger, eraseReaders, ledgerEntriesFor, purgeErasedValues } from './anonymise.js';

export interface RetentionSettings {
  /** Leavers' personal data is erased this many days after they left (once they hold nothing). */
  leaversDays: number;
  /** Audit lines older than this are removed. */
  auditDays: number;
  /** Returned loans older than this become counts. */
  loansDays: number;
  /** Reader-days (visits) older than this become counts. */
  visitsDays: number;
  /** Sessions are removed this many days after they expired. */
  sessionsDays: number;
  /** Backups older than this are removed (the newest always stays). */
  backupsDays: number;
  /** Reading records of school years ended longer ago become counts, except a pupil's still at school. */
  readingDays: number;
  /** Returned textbook issues older than this become counts; open ones (debts) stay. */
  textbooksDays: number;
  /** Settled losses older than this lose the reader, the loan and the note; the act stays. */
  lossesDays: number;
}

type Field = keyof RetentionSettings;

/**
 * The bounds of each period and its default. The lower bounds keep what the library needs: a year
 * of audit log answers for the school year just closed, a year of loans and visits keeps the year
 * under way countable live, a week of backups leaves something to restore.
 */
export const RETENTION_LIMITS: Record<Field, { min: number; max: number; default: number }> = {
  leaversDays: { min: 0, max: 3650, default: 730 },
  auditDays: { min: 365, max: 3650, default: 1825 },
  loansDays: { min: 365, max: 3650, default: 1095 },
  visitsDays: { min: 365, max: 3650, default: 1095 },
  sessionsDays: { min: 0, max: 90, default: 7 },
  backupsDays: { min: 7, max: 365, default: 30 },
  readingDays: { min: 365, max: 3650, default: 1095 },
  textbooksDays: { min: 365, max: 3650, default: 1095 },
  lossesDays: { min: 365, max: 3650, default: 1095 },
};
const FIELDS = Object.keys(RETENTION_LIMITS) as Field[];

export const DEFAULT_RETENTION: RetentionSettings = Object.fromEntries(FIELDS.map((f) => [f, RETENTION_LIMITS[f].default])) as unknown as RetentionSettings;

const COLUMNS = {
  leaversDays: 'leavers_days',
  auditDays: 'audit_days',
  loansDays: 'loans_days',
  visitsDays: 'visits_days',
  sessionsDays: 'sessions_days',
  backupsDays: 'backups_days',
  readingDays: 'reading_days',
  textbooksDays: 'textbooks_days',
  lossesDays: 'losses_days',
} as const satisfies Record<Field, string>;

export async function retentionOf(db: Executor, organisationId: number): Promise<RetentionSettings> {
  const row = await db.selectFrom('org.retention').select(Object.values(COLUMNS)).where('organisation_id', '=', organisationId).executeTakeFirst();
  return row ? (Object.fromEntries(FIELDS.map((f) => [f, row[COLUMNS[f]]])) as unknown as RetentionSettings) : { ...DEFAULT_RETENTION };
}

export async function getRetention(db: Executor, actor: Actor | null): Promise<RetentionSettings> {
  return retentionOf(db, staffLibrary(actor));
}

/** The library's staff set any of the periods; those left out keep their value. */
export async function setRetention(db: Executor, actor: Actor | null, input: Partial<RetentionSettings>): Promise<RetentionSettings> {
  const organisationId = staffLibrary(actor);
  const next = { ...(await retentionOf(db, organisationId)) };
  for (const field of FIELDS) {
    const value = input[field];
    if (value === undefined) continue;
    const { min, max } = RETENTION_LIMITS[field];
    if (!Number.isInteger(value) || value < min || value > max) throw invalid('readers.retention.bad', { field, min, max });
    next[field] = value;
  }
  const values = Object.fromEntries(FIELDS.map((f) => [COLUMNS[f], next[f]])) as { [K in Field as (typeof COLUMNS)[K]]: number };
  await db
    .insertInto('org.retention')
    .values({ organisation_id: organisationId, ...values, updated_by: actor!.userId })
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ ...values, updated_at: new Date(), updated_by: actor!.userId }))
    .execute();
  await audit(db, actor, 'update', 'retention', organisationId, {
    leaversDays: next.leaversDays,
    auditDays: next.auditDays,
    loansDays: next.loansDays,
    visitsDays: next.visitsDays,
    sessionsDays: next.sessionsDays,
    backupsDays: next.backupsDays,
    readingDays: next.readingDays,
    textbooksDays: next.textbooksDays,
    lossesDays: next.lossesDays,
  });
  return next;
}

/** A calendar date `days` before a 'YYYY-MM-DD' one (calendar arithmetic, no time zone involved). */
const minusDays = (isoDate: string, days: number) => addDays(isoDate, -days);

/**
 * The day before which history may go: the period's own limit, but never inside a report period
 * still under way (this calendar year, this school year), whose figures are counted live.
 */
export function historyCutoff(today: string, days: number): string {
  const limits = [minusDays(today, days), `${today.slice(0, 4)}-01-01`, schoolYearRange(schoolYearOf(today)).from];
  return limits.sort()[0]!;
}

export interface RetentionRun {
  libraries: number;
  readersErased: number;
  auditLinesRemoved: number;
  loansRemoved: number;
  visitsRemoved: number;
  sessionsRemoved: number;
  backupsRemoved: number;
  readingRecordsRemoved: number;
  textbookIssuesRemoved: number;
  lossesUnlinked: number;
}

/**
 * How long the server keeps its backups: one backup holds every library's data, so the shortest
 * period any library set, and never longer than the server's own setting.
 */
export async function backupsKeepDays(db: Executor, serverKeepDays: number): Promise<number> {
  const row = await db.selectFrom('org.retention').select((eb) => eb.fn.min<number>('backups_days').as('days')).executeTakeFirst();
  return Math.min(serverKeepDays, row?.days ?? serverKeepDays);
}

/**
 * Applies every library's retention once: leavers erased; old returned loans and visits folded
 * into the report's kept counts and removed; old audit lines removed; sessions expired longer than
 * the period removed; old backups removed (for the whole server). Each library's figures go to its
 * audit log. Erased values are then purged from the database's files.
 */
export async function applyRetention(
  db: Db,
  kind: 'pglite' | 'postgres',
  options: { erasureLedger: string | null; backups?: Pick<BackupConfig, 'dir' | 'keepDays'> | null },
): Promise<RetentionRun> {
  const run: RetentionRun = {
    libraries: 0,
    readersErased: 0,
    auditLinesRemoved: 0,
    loansRemoved: 0,
    visitsRemoved: 0,
    sessionsRemoved: 0,
    backupsRemoved: 0,
    readingRecordsRemoved: 0,
    textbookIssuesRemoved: 0,
    lossesUnlinked: 0,
  };
  // sessions: each user's library's period after expiry (the default for those without a setting)
  const { rows: sessionRows } = await sql<{ organisation_id: number; n: number }>`
    with gone as (
      delete from org.sessions s using org.users u
       where u.id = s.user_id
         and s.expires_at < ${now()}::timestamptz - make_interval(days => coalesce(
               (select r.sessions_days from org.retention r where r.organisation_id = u.organisation_id), ${DEFAULT_RETENTION.sessionsDays}))
      returning u.organisation_id
    ) select organisation_id, count(*)::int as n from gone group by 1`.execute(db);
  const sessionsBy = new Map(sessionRows.map((r) => [Number(r.organisation_id), Number(r.n)]));
  run.sessionsRemoved = sessionRows.reduce((sum, r) => sum + Number(r.n), 0);
  if (options.backups && kind === 'pglite') {
    run.backupsRemoved = pruneBackups(options.backups.dir, await backupsKeepDays(db, options.backups.keepDays), now()).length;
  }

  const libraries = await db
    .selectFrom('org.organisations as o')
    .select('o.id')
    .where((eb) => eb.or([eb.exists(eb.selectFrom('readers.readers as r').select('r.id').whereRef('r.organisation_id', '=', 'o.id')), eb('o.id', 'in', [0, ...sessionsBy.keys()])]))
    .orderBy('o.id')
    .execute();
  for (const { id: organisationId } of libraries) {
    const settings = await retentionOf(db, organisationId);
    const today = await libraryToday(db, organisationId);
    const done = await db.transaction().execute(async (trx) => {
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
      const loansBefore = historyCutoff(today, settings.loansDays);
      const loansRemoved = await foldLoans(trx, organisationId, { returnedBefore: await startOfLibraryDay(trx, organisationId, loansBefore) });
      await unlinkCountedRows(trx, organisationId, { before: loansBefore });
      const visitsRemoved = await foldVisits(trx, organisationId, historyCutoff(today, settings.visitsDays));
      // a pupil still at school keeps the reading records; the others' old ones become per-reader counts
      const readingRecordsRemoved = await foldReadingRecords(trx, organisationId, historyCutoff(today, settings.readingDays));
      const textbookIssuesRemoved = await foldTextbookIssues(trx, organisationId, historyCutoff(today, settings.textbooksDays));
      const lossesUnlinked = await unlinkSettledLosses(trx, organisationId, minusDays(today, settings.lossesDays));
      const removed = await trx
        .deleteFrom('org.audit_log')
        .where('organisation_id', '=', organisationId)
        .where('at', '<', new Date(`${minusDays(today, settings.auditDays)}T00:00:00Z`))
        .executeTakeFirst();
      const auditLinesRemoved = Number(removed.numDeletedRows ?? 0);
      const sessionsRemoved = sessionsBy.get(organisationId) ?? 0;
      const removedAny = [ids.length, loansRemoved, visitsRemoved, readingRecordsRemoved, textbookIssuesRemoved, lossesUnlinked, auditLinesRemoved, sessionsRemoved, run.backupsRemoved];
      if (removedAny.some((n) => n > 0)) {
        await audit(
          trx,
          null,
          'retention',
          'readers',
          null,
          {
            readersErased: ids.length,
            loansRemoved,
            visitsRemoved,
            readingRecordsRemoved,
            textbookIssuesRemoved,
            lossesUnlinked,
            auditLinesRemoved,
            sessionsRemoved,
            backupsRemoved: run.backupsRemoved,
            leaversDays: settings.leaversDays,
            loansDays: settings.loansDays,
            visitsDays: settings.visitsDays,
            auditDays: settings.auditDays,
            sessionsDays: settings.sessionsDays,
            backupsDays: settings.backupsDays,
            readingDays: settings.readingDays,
            textbooksDays: settings.textbooksDays,
            lossesDays: settings.lossesDays,
          },
          organisationId,
        );
      }
      return { ids, loansRemoved, visitsRemoved, auditLinesRemoved, readingRecordsRemoved, textbookIssuesRemoved, lossesUnlinked };
    });
    appendToLedger(options.erasureLedger, await ledgerEntriesFor(db, organisationId, done.ids));
    run.libraries++;
    run.readersErased += done.ids.length;
    run.auditLinesRemoved += done.auditLinesRemoved;
    run.loansRemoved += done.loansRemoved;
    run.visitsRemoved += done.visitsRemoved;
    run.readingRecordsRemoved += done.readingRecordsRemoved;
    run.textbookIssuesRemoved += done.textbookIssuesRemoved;
    run.lossesUnlinked += done.lossesUnlinked;
  }
  // the notes of unlinked losses are free text that may name a family, as erased values are
  if (run.readersErased || run.auditLinesRemoved || run.lossesUnlinked) await purgeErasedValues(db, kind);
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
      log(
        `Retention: ${run.readersErased} reader(s) erased, ${run.loansRemoved} loan(s), ${run.visitsRemoved} visit(s), ${run.readingRecordsRemoved} reading record(s) and ${run.textbookIssuesRemoved} textbook issue(s) kept as counts, ${run.lossesUnlinked} settled loss(es) unlinked, ${run.auditLinesRemoved} audit line(s), ${run.sessionsRemoved} expired session(s), ${run.backupsRemoved} backup(s) removed`,
      );
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

