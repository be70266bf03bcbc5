import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { Link, useSearchParams } from 'react-router';
import type { ScheduleReply } from '../../../../src/reports/contract.js';
import { get, put, query, upload } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate, formatDateTime, today } from '../../format.js';
import { periodFromParams, periodKey } from './period.js';

/** The methodologist's schedule: the due day, who has reported, who is late; schools' packages imported here. */
export default function SchedulePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const period = periodFromParams(params, today());
  const organisationId = params.get('organisationId') ? Number(params.get('organisationId')) : undefined;
  const q = query({ year: period.year, schoolYear: period.schoolYear, organisationId });
  const [schedule, setSchedule] = useState<ScheduleReply | null>(null);
  const [dueOn, setDueOn] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    get<ScheduleReply>(`/api/reports/schedule${q}`).then((s) => {
      setSchedule(s);
      setDueOn(s.dueOn ?? '');
    }, setError);
  }, [q]);
  useEffect(load, [load]);

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      setSchedule(await put<ScheduleReply>(`/api/reports/schedule${q}`, { dueOn }));
      setNotice(t('reports.saved'));
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
      const result = await upload<{ status: 'imported' | 'unchanged' }>('/api/reports/packages', file);
      setNotice(t(result.status === 'imported' ? 'reports.packageImported' : 'reports.packageSame'));
      input.value = '';
      load();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section>
      <h1>
        {t('nav.reports.schedule')} — {periodKey(period)}
      </h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && <p className="banner banner-ok">{notice}</p>}
      <form className="panel row" onSubmit={(e) => void save(e)}>
        <div className="field">
          <label htmlFor="due-on">{t('reports.dueOn')}</label>
          <input id="due-on" type="date" value={dueOn} onChange={(e) => setDueOn(e.target.value)} required />
        </div>
        <button type="submit">{t('common.save')}</button>
      </form>
      <form className="panel row" onSubmit={(e) => void importPackage(e)}>
        <div className="field">
          <label htmlFor="package">{t('reports.importPackage')}</label>
          <input id="package" name="package" type="file" accept=".json,application/json" />
        </div>
        <button type="submit">{t('reports.import')}</button>
      </form>
      {schedule && (
        <>
          <p>{t('reports.scheduleSummary', { reported: schedule.reported, total: schedule.libraries.length, late: schedule.late })}</p>
          <table className="table" aria-label={t('nav.reports.schedule')}>
            <thead>
              <tr>
                <th>{t('reports.library')}</th>
                <th>{t('reports.dueOn')}</th>
                <th>{t('reports.reportedAt')}</th>
                <th>{t('reports.status')}</th>
              </tr>
            </thead>
            <tbody>
              {schedule.libraries.map((l) => (
                <tr key={l.organisationId} className={l.status === 'late' ? 'row-warning' : undefined}>
                  <td>
                    <Link to={`/reports/annual${query({ year: period.year, schoolYear: period.schoolYear, organisationId: l.organisationId })}`}>{l.name}</Link>
                  </td>
                  <td>{l.dueOn ? formatDate(l.dueOn) : '—'}</td>
                  <td>{l.closedAt ? `${formatDateTime(l.closedAt)}${l.origin === 'package' ? ` (${t('reports.byPackage')})` : ''}` : '—'}</td>
                  <td>{t(`reports.status.${l.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
