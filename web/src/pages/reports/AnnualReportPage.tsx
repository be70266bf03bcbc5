import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { Link, useSearchParams } from 'react-router';
import type { AnnualReportReply, HistoryReply } from '../../../../src/reports/contract.js';
import { download, get, post, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDateTime, formatMoney, formatNumber, today } from '../../format.js';
import { useSession } from '../../session.js';
import { Chart } from './Charts.js';
import { periodFromParams, periodKey } from './period.js';

type IndicatorKey = 'readers' | 'visits' | 'loans' | 'fund' | 'acquired' | 'regularVisitors';
const MAIN: IndicatorKey[] = ['readers', 'visits', 'loans', 'fund', 'acquired', 'regularVisitors'];
const PLANNED = new Set<IndicatorKey>(['readers', 'visits', 'loans', 'acquired', 'regularVisitors']);
const RATIOS = ['loansPerReader', 'visitsPerReader', 'loansPerCopy', 'copiesPerReader'] as const;

const ratio = (v: number | null) => (v === null ? '—' : v.toFixed(1));

/**
 * The annual report: a librarian's own library, or a methodologist's district, region or the republic
 * summed from its libraries, with each library below it (drill down by clicking one).
 */
export default function AnnualReportPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const period = periodFromParams(params, today());
  const organisationId = params.get('organisationId') ? Number(params.get('organisationId')) : undefined;
  const [report, setReport] = useState<AnnualReportReply | null>(null);
  const [history, setHistory] = useState<HistoryReply['items']>([]);
  const [chartOf, setChartOf] = useState<IndicatorKey>('loans');
  const [error, setError] = useState<unknown>(null);
  const q = query({ year: period.year, schoolYear: period.schoolYear, organisationId });

  const load = useCallback(() => {
    setError(null);
    Promise.all([get<AnnualReportReply>(`/api/reports/annual${q}`), get<HistoryReply>(`/api/reports/annual/history${q}`)]).then(([r, h]) => {
      setReport(r);
      setHistory(h.items);
    }, setError);
  }, [q]);
  useEffect(load, [load]);

  const setPeriod = (kind: 'year' | 'schoolYear', value: string) => {
    const next = new URLSearchParams();
    next.set(kind, value);
    if (organisationId) next.set('organisationId', String(organisationId));
    setParams(next);
  };
  const drill = (id: number) => {
    const next = new URLSearchParams(params);
    next.set('organisationId', String(id));
    setParams(next);
  };

  const historyLabels = useMemo(() => history.map((h) => h.period), [history]);
  const historySeries = useMemo(
    () => [
      { name: t('reports.actual'), values: history.map((h) => h.indicators[chartOf]) },
      ...(PLANNED.has(chartOf) ? [{ name: t('reports.plan'), kind: 'line' as const, values: history.map((h) => h.plan[chartOf as keyof typeof h.plan] || null) }] : []),
    ],
    [history, chartOf, t],
  );
  const childLabels = useMemo(() => report?.children.map((c) => c.name) ?? [], [report]);
  const childSeries = useMemo(
    () => (report ? [{ name: t(`reports.indicator.${chartOf}`), values: report.children.map((c) => c.indicators[chartOf]) }] : []),
    [report, chartOf, t],
  );
  const openChild = useCallback((i: number) => report && drill(report.children[i]!.organisationId), [report]); // eslint-disable-line react-hooks/exhaustive-deps

  async function act(path: string) {
    setError(null);
    try {
      await post(`${path}${query({ year: period.year, schoolYear: period.schoolYear })}`);
      load();
    } catch (err) {
      setError(err);
    }
  }

  const isLibrarian = me?.role === 'librarian' || me?.role === 'admin';
  const own = report?.organisation.id === me?.organisationId;
  return (
    <section>
      <h1>{t('nav.reports.annual')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <div className="panel row">
        <div className="field">
          <label htmlFor="report-year">{t('reports.year')}</label>
          <input id="report-year" type="number" min={2000} max={2100} value={period.year ?? ''} onChange={(e) => e.target.value && setPeriod('year', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="report-school-year">{t('reports.schoolYear')}</label>
          <select id="report-school-year" value={period.schoolYear ?? ''} onChange={(e) => e.target.value && setPeriod('schoolYear', e.target.value)}>
            <option value="">—</option>
            {[0, 1, 2, 3].map((k) => {
              const start = Number(today().slice(0, 4)) - k - (Number(today().slice(5, 7)) >= 9 ? 0 : 1);
              const value = `${start}-${start + 1}`;
              return <option key={value} value={value}>{value}</option>;
            })}
          </select>
        </div>
        <button type="button" onClick={() => void download(`/api/reports/annual.pdf${q}`).catch(setError)}>{t('reports.downloadPdf')}</button>
        <button type="button" onClick={() => void download(`/api/reports/annual.xlsx${q}`).catch(setError)}>{t('reports.downloadXlsx')}</button>
        {report?.organisation.isLibrary && own && isLibrarian && (
          <>
            <Link to={`/reports/plan${query({ year: period.year, schoolYear: period.schoolYear })}`}>{t('nav.reports.plan')}</Link>
            {report.closed ? (
              <button type="button" onClick={() => void act('/api/reports/reopen')}>{t('reports.reopen')}</button>
            ) : (
              <button type="button" onClick={() => void act('/api/reports/close')}>{t('reports.close')}</button>
            )}
            {report.closed && (
              <button type="button" onClick={() => void download(`/api/reports/package${query({ year: period.year, schoolYear: period.schoolYear })}`).catch(setError)}>
                {t('reports.package')}
              </button>
            )}
          </>
        )}
      </div>
      {report && (
        <>
          <h2>
            {report.organisation.name} — {periodKey(period)}
          </h2>
          <p className={report.closed ? 'banner banner-ok' : 'banner'}>
            {report.organisation.isLibrary
              ? report.closed
                ? t('reports.closedAt', { at: report.closedAt ? formatDateTime(report.closedAt) : '' })
                : t('reports.open')
              : t('reports.librariesClosed', { closed: report.librariesClosed, total: report.libraries })}
          </p>
          <table className="table" aria-label={t('reports.control')}>
            <caption>{t('reports.control')}</caption>
            <thead>
              <tr>
                <th>{t('reports.indicator')}</th>
                <th>{t('reports.lastYear')}</th>
                <th>{t('reports.plan')}</th>
                <th>{t('reports.actual')}</th>
                <th>{t('reports.ofPlan')}</th>
              </tr>
            </thead>
            <tbody>
              {MAIN.map((k) => {
                const plan = PLANNED.has(k) ? report.plan[k as keyof typeof report.plan] : 0;
                return (
                  <tr key={k}>
                    <td>{t(`reports.indicator.${k}`)}</td>
                    <td className="num">{formatNumber(report.lastYear[k])}</td>
                    <td className="num">{plan ? formatNumber(plan) : '—'}</td>
                    <td className="num">{formatNumber(report.indicators[k])}</td>
                    <td className="num">{plan ? `${((report.indicators[k] * 100) / plan).toFixed(1)}%` : '—'}</td>
                  </tr>
                );
              })}
              <tr>
                <td>{t('reports.indicator.remoteContacts')}</td>
                <td className="num">{formatNumber(report.lastYear.remoteContacts)}</td>
                <td className="num">—</td>
                <td className="num">{formatNumber(report.indicators.remoteContacts)}</td>
                <td />
              </tr>
            </tbody>
          </table>
          <table className="table">
            <caption>{t('reports.ratios')}</caption>
            <tbody>
              {RATIOS.map((k) => (
                <tr key={k}>
                  <td>{t(`reports.indicator.${k}`)}</td>
                  <td className="num">{ratio(report.lastYear[k])}</td>
                  <td className="num">{ratio(report.indicators[k])}</td>
                </tr>
              ))}
              <tr>
                <td>{t('reports.indicator.renewalRate')}</td>
                <td className="num">{report.lastYear.renewalRate === null ? '—' : `${(report.lastYear.renewalRate * 100).toFixed(1)}%`}</td>
                <td className="num">
                  {report.indicators.renewalRate === null ? '—' : `${(report.indicators.renewalRate * 100).toFixed(1)}%`} ({t('reports.target', { value: report.indicators.renewalTarget * 100 })})
                </td>
              </tr>
            </tbody>
          </table>

          <div className="field form-narrow">
            <label htmlFor="chart-of">{t('reports.chartOf')}</label>
            <select id="chart-of" value={chartOf} onChange={(e) => setChartOf(e.target.value as IndicatorKey)}>
              {MAIN.map((k) => (
                <option key={k} value={k}>{t(`reports.indicator.${k}`)}</option>
              ))}
            </select>
          </div>
          <Chart labels={historyLabels} series={historySeries} label={t('reports.overYears')} />

          {report.children.length > 0 && (
            <>
              <h2>{t('reports.children')}</h2>
              <Chart labels={childLabels} series={childSeries} label={t('reports.sideBySide')} onSelect={openChild} />
              <table className="table" aria-label={t('reports.children')}>
                <thead>
                  <tr>
                    <th>{t('reports.library')}</th>
                    <th>{t('reports.status')}</th>
                    <th>{t('reports.indicator.readers')}</th>
                    <th>{t('reports.indicator.visits')}</th>
                    <th>{t('reports.indicator.loans')}</th>
                    <th>{t('reports.indicator.fund')}</th>
                    <th>{t('reports.indicator.loansPerReader')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.children.map((c) => (
                    <tr key={c.organisationId}>
                      <td>
                        <button type="button" className="link" onClick={() => drill(c.organisationId)}>{c.name}</button>
                      </td>
                      <td>{c.closed ? t('reports.closedShort') : t('reports.notClosed', { closed: c.librariesClosed, total: c.libraries })}</td>
                      <td className="num">{formatNumber(c.indicators.readers)}</td>
                      <td className="num">{formatNumber(c.indicators.visits)}</td>
                      <td className="num">{formatNumber(c.indicators.loans)}</td>
                      <td className="num">{formatNumber(c.indicators.fund)}</td>
                      <td className="num">{ratio(c.indicators.loansPerReader)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <Sections report={report} />
        </>
      )}
    </section>
  );
}

function Sections({ report }: { report: AnnualReportReply }) {
  const { t } = useTranslation();
  const f = report.figures;
  const domains = Object.keys(f.fund.end.byDomain) as (keyof typeof f.fund.end.byDomain)[];
  return (
    <>
      <h2>{t('reports.sections')}</h2>
      <table className="table">
        <caption>{t('reports.readersByGroup')}</caption>
        <tbody>
          {(['grades_1_4', 'grades_5_9', 'grades_10_11', 'teachers', 'others'] as const).map((g) => (
            <tr key={g}>
              <td>{t(`reports.group.${g}`)}</td>
              <td className="num">{formatNumber(f.readers[g])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="table">
        <caption>{t('reports.visitsAndLoans')}</caption>
        <tbody>
          <tr><td>{t('reports.visits.desk')}</td><td className="num">{formatNumber(f.visits.desk)}</td></tr>
          <tr><td>{t('reports.visits.readingRoom')}</td><td className="num">{formatNumber(f.visits.readingRoom)}</td></tr>
          <tr><td>{t('reports.visits.events')}</td><td className="num">{formatNumber(f.visits.events)}</td></tr>
          <tr><td>{t('reports.remote.onlineRenewals')}</td><td className="num">{formatNumber(f.remote.onlineRenewals)}</td></tr>
          <tr><td>{t('reports.remote.virtualReferences')}</td><td className="num">{formatNumber(f.remote.virtualReferences)}</td></tr>
          <tr><td>{t('reports.loans.main')}</td><td className="num">{formatNumber(f.loans.main)}</td></tr>
          <tr><td>{t('reports.loans.textbooks')}</td><td className="num">{formatNumber(f.loans.textbooks)}</td></tr>
          <tr><td>{t('reports.loans.readingRoom')}</td><td className="num">{formatNumber(f.loans.readingRoom)}</td></tr>
        </tbody>
      </table>
      <table className="table">
        <caption>{t('reports.byDomain')}</caption>
        <thead>
          <tr>
            <th />
            <th>{t('reports.acquired')}</th>
            <th>{t('reports.acquiredKazakh')}</th>
            <th>{t('reports.childrenLiterature')}</th>
            <th>{t('reports.writtenOff')}</th>
            <th>{t('reports.fundEnd')}</th>
            <th>{t('reports.fundEndKazakh')}</th>
            <th>{t('reports.indicator.loans')}</th>
          </tr>
        </thead>
        <tbody>
          {domains.map((d) => (
            <tr key={d}>
              <td>{t(`fund.group.${d}`)}</td>
              <td className="num">{formatNumber(f.acquisitions.byDomain[d])}</td>
              <td className="num">{formatNumber(f.acquisitions.kazakhByDomain[d])}</td>
              <td className="num">{formatNumber(f.acquisitions.childrenByDomain[d])}</td>
              <td className="num">{formatNumber(f.writeOffs.byDomain[d])}</td>
              <td className="num">{formatNumber(f.fund.end.byDomain[d])}</td>
              <td className="num">{formatNumber(f.fund.end.kazakhByDomain[d])}</td>
              <td className="num">{formatNumber(f.loans.byDomain[d])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <SumsTable caption={t('reports.bySource')} sums={f.acquisitions.bySource} label={(s) => t(`reclist.source.${s}`)} />
      <SumsTable caption={t('reports.writeOffsByReason')} sums={f.writeOffs.byReason} label={(r) => t(`reports.reason.${r}`)} />
      <table className="table">
        <caption>{t('reports.other.caption')}</caption>
        <tbody>
          <tr><td>{t('reports.other.events')}</td><td className="num">{formatNumber(f.events.events)}</td></tr>
          <tr><td>{t('reports.other.participants')}</td><td className="num">{formatNumber(f.events.participants)}</td></tr>
          <tr><td>{t('reports.other.pupils')}</td><td className="num">{formatNumber(f.events.pupils)}</td></tr>
          <tr><td>{t('reports.other.teachers')}</td><td className="num">{formatNumber(f.events.teachers)}</td></tr>
          <tr><td>{t('reports.other.parents')}</td><td className="num">{formatNumber(f.events.parents)}</td></tr>
          <tr><td>{t('reports.other.exhibitions')}</td><td className="num">{formatNumber(f.events.exhibitions)}</td></tr>
          <tr><td>{t('reports.other.clubs')}</td><td className="num">{formatNumber(f.events.clubs)}</td></tr>
          <tr><td>{t('reports.other.clubMembers')}</td><td className="num">{formatNumber(f.events.clubMembers)}</td></tr>
          <tr><td>{t('reports.other.references')}</td><td className="num">{formatNumber(f.reference.total)}</td></tr>
          <tr><td>{t('reports.other.periodicals')}</td><td className="num">{formatNumber(f.periodicals.titles)}</td></tr>
          <tr><td>{t('reports.other.issues')}</td><td className="num">{formatNumber(f.periodicals.copies)}</td></tr>
          <tr><td>{t('reports.other.digitised')}</td><td className="num">{formatNumber(f.digitisation.digitised)}</td></tr>
          <tr><td>{t('reports.other.views')}</td><td className="num">{formatNumber(f.digitisation.views)}</td></tr>
          <tr><td>{t('reports.other.activePupils')}</td><td className="num">{formatNumber(f.readingMovement.activePupils)} / {formatNumber(f.readingMovement.pupils)}</td></tr>
          <tr><td>{t('reports.other.activeParents')}</td><td className="num">{formatNumber(f.readingMovement.activeParents)} / {formatNumber(f.readingMovement.parents)}</td></tr>
        </tbody>
      </table>
      {report.pendingSections.length > 0 && (
        <div className="panel">
          <h3>{t('reports.pending')}</h3>
          <ul>
            {report.pendingSections.map((p) => (
              <li key={p.section}>{t(`reports.pending.${p.section}`)}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

/** Copies and their sum by a key (source of acquisition, reason of write-off); keys with no copies are left out. */
function SumsTable({ caption, sums, label }: { caption: string; sums: Record<string, { copies: number; sumTiyn: number }>; label: (key: string) => string }) {
  return (
    <table className="table">
      <caption>{caption}</caption>
      <tbody>
        {Object.entries(sums)
          .filter(([, v]) => v.copies !== 0)
          .map(([key, v]) => (
            <tr key={key}>
              <td>{label(key)}</td>
              <td className="num">{formatNumber(v.copies)}</td>
              <td className="num">{formatMoney(v.sumTiyn)}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}
