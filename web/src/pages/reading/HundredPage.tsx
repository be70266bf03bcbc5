import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { isStaff, useSession } from '../../session.js';
import { displayName, PeriodPicker, periodQuery, Progress, useCurrentPeriod, type ReaderStanding } from './common.js';

/** "100 books a year": who reached it, the leaders' progress, the certificates. */
export default function HundredPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [period, setPeriod] = useCurrentPeriod();
  const [data, setData] = useState<{ goal: number; reached: ReaderStanding[]; leaders: ReaderStanding[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<{ goal: number; reached: ReaderStanding[]; leaders: ReaderStanding[] }>(`/api/reading/hundred?${periodQuery(period)}`).then(setData, setError);
  }, [period]);
  const q = periodQuery(period);
  return (
    <section>
      <h1>{t('nav.reading.hundred')}</h1>
      <PeriodPicker value={period} onChange={setPeriod} />
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {data && (
        <>
          <h2>{t('reading.hundred.reached', { count: data.reached.length })}</h2>
          {isStaff(me) && (
            <p>
              <a className="button secondary" href={`/api/reading/hundred/certificates.pdf?${q}&lang=kk`} target="_blank" rel="noreferrer">
                {t('reading.hundred.certificatesKk')}
              </a>{' '}
              <a className="button secondary" href={`/api/reading/hundred/certificates.pdf?${q}&lang=ru`} target="_blank" rel="noreferrer">
                {t('reading.hundred.certificatesRu')}
              </a>
            </p>
          )}
          <ul>
            {data.reached.map((r) => (
              <li key={r.readerId}>
                {displayName(t, r)} — {r.books}
              </li>
            ))}
          </ul>
          <h2>{t('reading.hundred.leaders')}</h2>
          <ul className="leaders">
            {data.leaders.map((r) => (
              <li key={r.readerId}>
                <span>{displayName(t, r)}</span>
                <Progress value={r.books} goal={data.goal} label={displayName(t, r)} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
