import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { get, post, query, upload } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Pager } from '../../components/Pager.js';
import { formatDateTime, formatNumber } from '../../format.js';
import { useSession } from '../../session.js';
import { BarChart } from './BarChart.js';
import { CategoryTable } from './CoveragePage.js';
import type { Bought, FundFigures, LevelSummary, RankedSchool } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';

const PAGE = 30;

interface Organisation {
  id: number;
  kind: string;
  name: string;
}

/**
 * A district's, region's or the republic's view of the list: coverage, purchases, fund figures
 * and the schools ranked weakest first; a school opens its own figures. Counts only, no reader.
 */
export default function MonitoringPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const levelId = Number(params.get('organisationId') ?? me?.organisationId ?? 0);
  const [levels, setLevels] = useState<Organisation[]>([]);
  const [summary, setSummary] = useState<LevelSummary | null>(null);
  const [schools, setSchools] = useState<{ items: RankedSchool[]; total: number } | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    get<Organisation[]>('/api/organisations').then((all) => setLevels(all.filter((o) => ['republic', 'region', 'district'].includes(o.kind))), setError);
  }, []);

  const load = useCallback(() => {
    if (!levelId) return;
    setError(null);
    Promise.all([
      get<LevelSummary>(`/api/reclist/monitoring/${levelId}/summary`),
      get<{ items: RankedSchool[]; total: number }>(`/api/reclist/monitoring/${levelId}/schools${query({ limit: PAGE, offset })}`),
    ]).then(([s, r]) => {
      setSummary(s);
      setSchools(r);
    }, setError);
  }, [levelId, offset]);
  useEffect(load, [load]);

  const categoryLabels = useMemo(() => summary?.byCategory.map((c) => t(`reclist.category.${c.category}`)) ?? [], [summary, t]);
  const categorySeries = useMemo(() => (summary ? [{ name: t('reclist.coverage'), values: summary.byCategory.map((c) => c.coverage) }] : []), [summary, t]);
  const schoolLabels = useMemo(() => schools?.items.map((s) => s.name) ?? [], [schools]);
  const schoolSeries = useMemo(() => (schools ? [{ name: t('reclist.coverage'), values: schools.items.map((s) => s.coverage ?? 0) }] : []), [schools, t]);
  const openSchool = useCallback((index: number) => {
    const school = schools?.items[index];
    if (school) void navigate(`/reclist/schools/${school.organisationId}`);
  }, [schools, navigate]);

  async function refresh() {
    setError(null);
    try {
      await post(`/api/reclist/monitoring/${levelId}/refresh`);
      load();
    } catch (err) {
      setError(err);
    }
  }

  async function importPackage(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const input = e.currentTarget.elements.namedItem('package') as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setError(null);
    try {
      const result = await upload<{ status: 'imported' | 'unchanged' }>('/api/reclist/packages', file);
      setNotice(t(result.status === 'imported' ? 'reclist.monitoring.packageDone' : 'reclist.monitoring.packageSame'));
      input.value = '';
      load();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section>
      <h1>{t('nav.reclist.monitoring')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && <p className="banner banner-ok">{notice}</p>}
      {levels.length > 1 && (
        <div className="field form-narrow">
          <label htmlFor="monitoring-level">{t('reclist.monitoring.level')}</label>
          <select
            id="monitoring-level"
            value={levelId}
            onChange={(e) => {
              setOffset(0);
              setParams({ organisationId: e.target.value });
            }}
          >
            {levels.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {summary && (
        <>
          <div className="panel">
            <h2>{summary.organisation.name}</h2>
            <dl className="facts">
              <dt>{t('reclist.listYear')}</dt>
              <dd>{summary.listYear ?? '—'}</dd>
              <dt>{t('reclist.coverage')}</dt>
              <dd>
                <strong data-testid="level-coverage">{formatNumber(summary.coverage)}%</strong>
              </dd>
              <dt>{t('reclist.monitoring.reporting')}</dt>
              <dd>{t('reclist.monitoring.libraries', { reporting: formatNumber(summary.reporting), libraries: formatNumber(summary.libraries) })}</dd>
              <dt>{t('reclist.monitoring.complete')}</dt>
              <dd>{formatNumber(summary.completeLibraries)}</dd>
              <dt>{t('reclist.listCopies')}</dt>
              <dd>{formatNumber(summary.listCopies)}</dd>
              <dt>{t('reclist.per100')}</dt>
              <dd>{summary.copiesPer100Students === null ? '—' : formatNumber(summary.copiesPer100Students)}</dd>
            </dl>
            {summary.oldestFigures && <p className="muted">{t('reclist.monitoring.figuresOf', { at: formatDateTime(summary.oldestFigures) })}</p>}
            {me?.role !== 'librarian' && (
              <div className="actions">
                <button type="button" className="secondary" onClick={() => void refresh()}>
                  {t('reclist.monitoring.refresh')}
                </button>
              </div>
            )}
          </div>
          <div className="panel">
            <h2>{t('reclist.monitoring.byCategory')}</h2>
            <BarChart labels={categoryLabels} series={categorySeries} label={t('reclist.monitoring.byCategory')} max={100} />
            <CategoryTable coverage={summary} />
          </div>
          {schools && (
            <div className="panel">
              <h2>{t('reclist.monitoring.schools')}</h2>
              <BarChart labels={schoolLabels} series={schoolSeries} label={t('reclist.monitoring.schools')} horizontal max={100} onSelect={openSchool} />
              <SchoolTable schools={schools.items} />
              <Pager offset={offset} limit={PAGE} total={schools.total} onChange={setOffset} />
            </div>
          )}
          <FundPanel fund={summary.fund} bought={summary.bought} />
        </>
      )}
      {(me?.role === 'methodologist' || me?.role === 'admin') && (
        <form className="panel row" onSubmit={(e) => void importPackage(e)}>
          <div className="field">
            <label htmlFor="package-file">{t('reclist.monitoring.packageImport')}</label>
            <input id="package-file" name="package" type="file" accept=".json,application/json" />
          </div>
          <div className="field">
            <button type="submit">{t('reclist.list.import')}</button>
          </div>
        </form>
      )}
    </section>
  );
}

function SchoolTable({ schools }: { schools: RankedSchool[] }) {
  const { t } = useTranslation();
  return (
    <TableScroll>
      <table data-testid="ranked-schools">
        <thead>
          <tr>
            <th>{t('reclist.monitoring.school')}</th>
            <th className="num">{t('reclist.coverage')}</th>
            <th className="num">{t('reclist.titlesHeld')}</th>
            <th className="num">{t('reclist.listCopies')}</th>
            <th className="num">{t('reclist.per100')}</th>
          </tr>
        </thead>
        <tbody>
          {schools.map((s) => (
            <tr key={s.organisationId}>
              <td>
                <Link to={`/reclist/schools/${s.organisationId}`}>{s.name}</Link>
                {s.origin === 'package' && <div className="muted">{t('reclist.monitoring.fromPackage')}</div>}
              </td>
              <td className="num">{s.coverage === null ? t('reclist.monitoring.noData') : `${formatNumber(s.coverage)}%`}</td>
              <td className="num">{s.titlesHeld === null ? '—' : formatNumber(s.titlesHeld)}</td>
              <td className="num">{s.listCopies === null ? '—' : formatNumber(s.listCopies)}</td>
              <td className="num">{s.copiesPer100Students === null ? '—' : formatNumber(s.copiesPer100Students)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export function FundPanel({ fund, bought }: { fund: FundFigures; bought: Bought[] }) {
  const { t } = useTranslation();
  return (
    <div className="panel">
      <h2>{t('reclist.monitoring.fund')}</h2>
      <dl className="facts">
        <dt>{t('reclist.monitoring.fundCopies')}</dt>
        <dd>{formatNumber(fund.copies)}</dd>
        <dt>{t('reclist.monitoring.fictionShare')}</dt>
        <dd>{formatNumber(fund.fictionShare)}%</dd>
        <dt>{t('reclist.monitoring.kazakhShare')}</dt>
        <dd>{formatNumber(fund.kazakhShare)}%</dd>
      </dl>
      <h3>{t('reclist.monitoring.bought')}</h3>
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th>{t('reclist.monitoring.year')}</th>
              <th>{t('reclist.monitoring.source')}</th>
              <th className="num">{t('reclist.copies')}</th>
            </tr>
          </thead>
          <tbody>
            {bought.map((b) => (
              <tr key={`${b.year}-${b.source}`}>
                <td>{b.year}</td>
                <td>{t(`reclist.source.${b.source}`)}</td>
                <td className="num">{formatNumber(b.copies)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
