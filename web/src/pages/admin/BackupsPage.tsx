import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDateTime, formatNumber } from '../../format.js';
import { useAction } from '../../useAction.js';
import type { BackupFile } from '../../../../src/backup/backup.js';
import { TableScroll } from '../../components/TableScroll.js';

interface Backups {
  database: 'pglite' | 'postgres';
  dir: string | null;
  keepDays: number;
  encrypted: boolean;
  everyHours: number;
  items: BackupFile[];
}

/**
 * The embedded database's backups: what the server wrote by itself, a button for one now, and
 * each as a plain link, so the browser saves a large file as it comes instead of holding it.
 */
export default function BackupsPage() {
  const { t } = useTranslation();
  const [backups, setBackups] = useState<Backups | null>(null);
  const { busy, error, setError, notice, setNotice, act } = useAction();

  const load = () => get<Backups>('/api/backups').then(setBackups, setError);
  useEffect(() => void load(), []);

  const make = () =>
    act(async () => {
      const file = await post<BackupFile>('/api/backups');
      await load();
      setNotice(t('backup.made', { name: file.name }));
    });

  return (
    <section>
      <h1>{t('nav.admin.backups')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {backups?.database === 'postgres' && <p className="banner">{t('backup.server')}</p>}
      {backups?.database === 'pglite' && (
        <>
          <div className="panel">
            <p>{t('backup.intro')}</p>
            {!backups.encrypted && (
              <p className="banner banner-error" role="alert">
                {t('backup.unencrypted')}
              </p>
            )}
            <p className="muted">
              {backups.everyHours > 0
                ? t('backup.schedule', { hours: backups.everyHours, keepDays: backups.keepDays, dir: backups.dir })
                : t('backup.scheduleOff', { dir: backups.dir })}
            </p>
            <p className="muted">{t('backup.advice')}</p>
            <button type="button" disabled={busy} onClick={() => void make()}>
              {t('backup.make')}
            </button>
            {notice && (
              <p className="banner banner-ok" role="status">
                {notice}
              </p>
            )}
          </div>
          <div className="panel">
            {backups.items.length === 0 ? (
              <p className="muted">{t('backup.none')}</p>
            ) : (
              <TableScroll>
                <table className="card-table">
                  <thead>
                    <tr>
                      <th>{t('backup.col.when')}</th>
                      <th>{t('backup.col.file')}</th>
                      <th>{t('backup.col.size')}</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {backups.items.map((b) => (
                      <tr key={b.name}>
                        <td>{formatDateTime(b.createdAt)}</td>
                        <td>{b.name}</td>
                        <td>{t('backup.size', { mb: formatNumber(Math.round((b.bytes / 2 ** 20) * 10) / 10) })}</td>
                        <td>
                          <a href={`/api/backups/${encodeURIComponent(b.name)}`} download={b.name}>
                            {t('backup.download')}
                          </a>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
          </div>
        </>
      )}
    </section>
  );
}
