/**
 * Telling a reader that a reserved book waits on the hold shelf: by e-mail where the library's SMTP
 * is configured (KITAPHANA_SMTP_URL, as for the gift draw) and the reader has an address (a pupil's
 * only with the parent's consent to contact). Always also on the reader's "My books" page. Sent after
 * the hold's transaction has committed, never inside it; a reservation is marked once told.
 */
import type nodemailer from 'nodemailer';
import { sql } from 'kysely';
import type { Executor } from '../db/executor.js';
import { inTransaction } from '../db/transaction.js';
import { t } from '../i18n/index.js';
import { audit } from '../org/audit.js';
import type { Locale } from '../org/schema.js';
import { smtpSettings } from '../reading/draw.js';
import { lazy } from '../shared/lazy.js';
import { dottedDate } from './dates.js';

const mail = lazy<typeof nodemailer>('nodemailer');

/** What sends a letter: nodemailer's transport (or any object with its `sendMail`). */
export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
}

export interface NotifyOptions {
  env?: NodeJS.ProcessEnv;
  /** A transport of its own (tests); otherwise one made from the SMTP settings. */
  transport?: MailTransport;
}

interface PendingRow {
  id: number;
  reader_id: number;
  email: string;
  first_name: string;
  title: string;
  hold_until: string;
  library: string;
  locale: Locale | null;
}

/**
 * Sends the letters of the library's holds not yet told: answers how many were sent. Without SMTP
 * (and without a transport given) nothing is sent and nothing is marked.
 */
export async function notifyHolds(db: Executor, library: number, options: NotifyOptions = {}): Promise<number> {
  const smtp = smtpSettings(options.env);
  if (!options.transport && !smtp) return 0;
  const { rows } = await sql<PendingRow>`
    select rv.id, rv.reader_id, r.email, r.first_name, w.title, rv.hold_until, o.name as library,
      (select u.locale from org.users u where u.reader_id = r.id and u.active order by u.role = 'student' desc, u.id limit 1) as locale
    from circulation.reservations rv
    join readers.readers r on r.id = rv.reader_id
    join catalog.works w on w.id = rv.work_id
    join org.organisations o on o.id = rv.organisation_id
    where rv.organisation_id = ${library} and rv.status = 'held' and rv.notified_at is null
      and r.email is not null and r.email <> '' and r.blocked_at is null
    order by rv.id`.execute(db);
  if (!rows.length) return 0;
  const transport: MailTransport = options.transport ?? mail().createTransport(smtp!.url);
  const from = smtp?.from ?? 'kitaphana@localhost';
  let sent = 0;
  for (const row of rows) {
    const locale = row.locale ?? 'kk';
    const params = { name: row.first_name, title: row.title, until: dottedDate(row.hold_until), library: row.library };
    try {
      await transport.sendMail({
        from,
        to: row.email,
        subject: t(locale, 'circulation.reservation.mail_subject', params),
        text: t(locale, 'circulation.reservation.mail_text', params),
      });
    } catch {
      // an address the server refuses: the reader still sees the hold on the own page
      continue;
    }
    const marked = await inTransaction(db, async (trx) => {
      const done = await trx
        .updateTable('circulation.reservations')
        .set({ notified_at: new Date() })
        .where('id', '=', row.id)
        .where('notified_at', 'is', null)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) return false;
      await audit(trx, null, 'notify', 'reservation', row.id, { readerId: row.reader_id }, library);
      return true;
    });
    if (marked) sent++;
  }
  return sent;
}

/**
 * After a return that held a copy: the letter goes out once the response is on its way, never
 * inside the return's transaction; a failure is left to the hourly job. Nothing happens without SMTP.
 */
export function notifyHoldsSoon(db: Executor, library: number, log: (message: string) => void): void {
  if (!smtpSettings()) return;
  void notifyHolds(db, library).catch((err: unknown) => log(`Reservation letters failed: ${(err as Error).message}`));
}
