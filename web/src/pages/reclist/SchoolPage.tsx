import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { useParams } from 'react-router';
import { get } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDateTime, formatNumber } from '../../format.js';
import { BarChart } from './BarChart.js';
import { CategoryTable } from './CoveragePage.js';
import { FundPanel } from './MonitoringPage.js';
import type { Coverage, SchoolFigures } from './types.js';

/** One school of the monitoring: its figures now, or as its last package said. */
export default function SchoolPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [figures, setFigures] = useState<SchoolFigures | null>(null);
  const [missing, setMissing] = useState<Coverage['titles'] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setError(null);
    setMissing(null);
    get<SchoolFigures>(`/api/reclist/schools/${id}/figures`).then((f) => {
      setFigures(f);
      // Titles are known only for a library of this server; a package carries counts alone.
      if (f.origin === 'local') {
        get<Coverage>(`/api/reclist/coverage?organisationId=${id}`).then((c) => setMissing(c.titles.filter((x) => x.copies === 0)), setError);
      }
    }, setError);
  }, [id]);

  const labels = useMemo(() => figures?.byCategory.map((c) => t(`reclist.category.${c.category}`)) ?? [], [figures, t]);
  const series = useMemo(() => (figures ? [{ name: t('reclist.coverage'), values: figures.byCategory.map((c) => c.coverage) }] : []), [figures, t]);

  return (
    <section>
      <h1>{figures?.organisation.name ?? t('nav.reclist.monitoring')}</h1>
      <ErrorBanner error={error} />
      {figures && (
        <>
          <div className="panel">
            <dl className="facts">
              <dt>{t('reclist.listYear')}</dt>
              <dd>{figures.listYear}</dd>
              <dt>{t('reclist.coverage')}</dt>
              <dd>
                <strong data-testid="school-coverage">{formatNumber(figures.coverage)}%</strong> —{' '}
                {t('reclist.titlesOf', { held: formatNumber(figures.titlesHeld), total: formatNumber(figures.titlesTotal) })}
              </dd>
              <dt>{t('reclist.listCopies')}</dt>
              <dd>{formatNumber(figures.listCopies)}</dd>
              <dt>{t('reclist.students')}</dt>
              <dd>{formatNumber(figures.students)}</dd>
              <dt>{t('reclist.per100')}</dt>
              <dd>{figures.copiesPer100Students === null ? '—' : formatNumber(figures.copiesPer100Students)}</dd>
            </dl>
            <p className="muted">
              {figures.origin === 'package' ? t('reclist.monitoring.fromPackage') : ''}{' '}
              {t('reclist.monitoring.figuresOf', { at: formatDateTime(figures.computedAt) })}
            </p>
          </div>
          <div className="panel">
            <BarChart labels={labels} series={series} label={t('reclist.monitoring.byCategory')} max={100} />
            <CategoryTable coverage={figures} />
          </div>
          <FundPanel fund={figures.fund} bought={figures.bought} />
          {missing && (
            <div className="panel">
              <h2>{t('reclist.missing', { count: missing.length })}</h2>
              <ul>
                {missing.map((x) => (
                  <li key={x.entryId}>
                    {x.title} <span className="muted">{x.author}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}
