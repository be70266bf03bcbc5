import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { PeriodPicker, periodQuery, Progress, useCurrentPeriod, type ClassStanding, type ReaderStanding } from './common.js';

/** A class teacher's class: its place among the school's classes and each pupil's books. */
export default function ClassPage() {
  const { t } = useTranslation();
  const [period, setPeriod] = useCurrentPeriod();
  const [data, setData] = useState<{ className: string | null; standing: ClassStanding | null; classes: ClassStanding[]; pupils: ReaderStanding[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<typeof data>(`/api/reading/class?${periodQuery(period)}`).then(setData, setError);
  }, [period]);
  return (
    <section>
      <h1>{t('nav.reading.class')}</h1>
      <PeriodPicker value={period} onChange={setPeriod} />
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {data && !data.className && <p className="muted">{t('reading.class.none')}</p>}
      {data?.standing && (
        <div className="panel">
          <h2>{data.className}</h2>
          <p className="big-figure">{t('reading.my.rank', { rank: data.standing.rank, of: data.classes.length })}</p>
          <p>{t('reading.my.classBooks', { books: data.standing.books, pupils: data.standing.pupils, perPupil: data.standing.booksPerPupil })}</p>
        </div>
      )}
      {data && data.pupils.length > 0 && (
        <ul className="leaders">
          {data.pupils.map((p) => (
            <li key={p.readerId}>
              <span>{p.name}</span>
              <Progress value={p.books} goal={100} label={p.name ?? ''} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
