import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate } from '../../format.js';
import { isStaff, useSession } from '../../session.js';
import { BarChart } from '../reclist/BarChart.js';
import { displayName, PeriodPicker, periodQuery, useCurrentPeriod, type ClassStanding, type ReaderStanding } from './common.js';

interface Family {
  familyId: number;
  name: string;
  members: number;
  books: number;
  booksPerMember: number;
  rank: number;
}
interface Nomination {
  code: string;
  readerId: number;
  name: string | null;
  className: string | null;
  value: string;
  genre: string | null;
}

/** Contest standings: the most reading class (per pupil), the best reader of each class, the reader of the year, families, nominations. */
export default function StandingsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const staff = isStaff(me);
  const [period, setPeriod] = useCurrentPeriod();
  const [classes, setClasses] = useState<ClassStanding[] | null>(null);
  const [best, setBest] = useState<ReaderStanding[]>([]);
  const [top, setTop] = useState<ReaderStanding[]>([]);
  const [families, setFamilies] = useState<Family[]>([]);
  const [nominations, setNominations] = useState<Nomination[]>([]);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const q = periodQuery(period);
    setError(null);
    get<{ items: ClassStanding[] }>(`/api/reading/contests/classes?${q}`).then((r) => setClasses(r.items), setError);
    get<{ items: ReaderStanding[] }>(`/api/reading/contests/best-by-class?${q}`).then((r) => setBest(r.items), setError);
    get<{ items: ReaderStanding[] }>(`/api/reading/contests/readers?${q}`).then((r) => setTop(r.items.slice(0, 10)), setError);
    if (staff) {
      get<{ items: Family[] }>(`/api/reading/contests/families?${q}`).then((r) => setFamilies(r.items), setError);
      get<{ items: Nomination[] }>(`/api/reading/contests/nominations?${q}`).then((r) => setNominations(r.items), setError);
    }
  }, [period, staff]);

  const chart = useMemo(() => {
    const items = classes ?? [];
    return { labels: items.map((c) => c.className), series: [{ name: t('reading.booksPerPupil'), values: items.map((c) => c.booksPerPupil) }] };
  }, [classes, t]);

  return (
    <section>
      <h1>{t('nav.reading.standings')}</h1>
      <PeriodPicker value={period} onChange={setPeriod} />
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <h2>{t('reading.standings.classes')}</h2>
      <p className="muted">{t('reading.standings.classesHint')}</p>
      {classes && classes.length > 0 && <BarChart labels={chart.labels} series={chart.series} label={t('reading.standings.classes')} horizontal />}
      <table data-testid="class-standings">
        <thead>
          <tr>
            <th>{t('reading.rank')}</th>
            <th>{t('reading.class')}</th>
            <th>{t('reading.pupils')}</th>
            <th>{t('reading.books')}</th>
            <th>{t('reading.booksPerPupil')}</th>
          </tr>
        </thead>
        <tbody>
          {(classes ?? []).map((c) => (
            <tr key={`${c.organisationId}-${c.className}`}>
              <td>{c.rank}</td>
              <td>{c.className}</td>
              <td>{c.pupils}</td>
              <td>{c.books}</td>
              <td>{c.booksPerPupil}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {top[0] && (
        <div className="panel">
          <h2>{t('reading.standings.readerOfYear')}</h2>
          <p className="big-figure">{displayName(t, top[0])}</p>
          <p>{t('reading.booksCount', { count: top[0].books })}</p>
        </div>
      )}
      <h2>{t('reading.standings.bestByClass')}</h2>
      <table>
        <thead>
          <tr>
            <th>{t('reading.class')}</th>
            <th>{t('reading.reader')}</th>
            <th>{t('reading.books')}</th>
          </tr>
        </thead>
        <tbody>
          {best.map((r) => (
            <tr key={r.readerId}>
              <td>{r.className}</td>
              <td>{r.name ?? t('reading.readerOfClass', { className: r.className })}</td>
              <td>{r.books}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('reading.standings.top')}</h2>
      <ol>
        {top.map((r) => (
          <li key={r.readerId}>
            {displayName(t, r)} — {r.books}
          </li>
        ))}
      </ol>
      {staff && (
        <>
          <h2>{t('reading.standings.families')}</h2>
          <table>
            <thead>
              <tr>
                <th>{t('reading.rank')}</th>
                <th>{t('reading.family')}</th>
                <th>{t('reading.members')}</th>
                <th>{t('reading.books')}</th>
              </tr>
            </thead>
            <tbody>
              {families.map((f) => (
                <tr key={f.familyId}>
                  <td>{f.rank}</td>
                  <td>{f.name}</td>
                  <td>{f.members}</td>
                  <td>{f.books}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('reading.standings.nominations')}</h2>
          <ul>
            {nominations.map((n) => (
              <li key={`${n.code}-${n.genre ?? ''}`}>
                <strong>{t(`reading.nomination.${n.code}`, { genre: n.genre ?? '' })}</strong>: {displayName(t, n)} ·{' '}
                {n.code === 'first_reader' ? formatDate(n.value) : n.code === 'youngest' ? formatDate(n.value) : n.value}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
