import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { Link, useSearchParams } from 'react-router';
import type { PassportReply } from '../../../../src/reports/contract.js';
import type { Plan } from '../../../../src/reports/figures.js';
import { get, put, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { today } from '../../format.js';
import { periodFromParams, periodKey } from './period.js';

const PLAN_KEYS: (keyof Plan)[] = [
  'readers', 'visits', 'loans', 'acquired', 'acquiredKazakh', 'events', 'participants', 'exhibitions',
  'reviews', 'consultations', 'lessons', 'excursions', 'fundCheck', 'regularVisitors',
];
const PASSPORT_KEYS = ['areaM2', 'readingRoomM2', 'storageM2', 'seats', 'computers', 'internetComputers', 'openAccessCopies'] as const;
const TEXT_KEYS = ['websites', 'socialNetworks', 'publications', 'methodical', 'summary'] as const;

/** The librarian enters the plan of a period, the library passport and the sections typed by hand. */
export default function PlanPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const period = periodFromParams(params, today());
  const q = query({ year: period.year, schoolYear: period.schoolYear });
  const [plan, setPlan] = useState<Plan | null>(null);
  const [passport, setPassport] = useState<PassportReply | null>(null);
  const [regularDays, setRegularDays] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([get<Plan>(`/api/reports/plan${q}`), get<PassportReply>(`/api/reports/passport${q}`)]).then(([p, pp]) => {
      setPlan(p);
      setPassport(pp);
    }, setError);
  }, [q]);

  async function savePlan(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      setPlan(await put<Plan>(`/api/reports/plan${q}`, plan));
      setNotice(t('reports.saved'));
    } catch (err) {
      setError(err);
    }
  }
  async function savePassport(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const { period: _p, ...body } = passport!;
      setPassport(await put<PassportReply>(`/api/reports/passport${q}`, body));
      setNotice(t('reports.saved'));
    } catch (err) {
      setError(err);
    }
  }
  async function saveSettings(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await put('/api/reports/settings', { regularVisitDays: Number(regularDays) });
      setNotice(t('reports.saved'));
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section>
      <h1>
        {t('nav.reports.plan')} — {periodKey(period)}
      </h1>
      <p>
        <Link to={`/reports/annual${q}`}>{t('nav.reports.annual')}</Link>
      </p>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && <p className="banner banner-ok">{notice}</p>}
      {plan && (
        <form className="panel form-narrow" onSubmit={(e) => void savePlan(e)} aria-label={t('reports.planForm')}>
          <h2>{t('reports.planForm')}</h2>
          {PLAN_KEYS.map((k) => (
            <div className="field" key={k}>
              <label htmlFor={`plan-${k}`}>{t(`reports.plan.${k}`)}</label>
              <input id={`plan-${k}`} type="number" min={0} value={plan[k]} onChange={(e) => setPlan({ ...plan, [k]: Number(e.target.value) })} />
            </div>
          ))}
          <button type="submit">{t('reports.savePlan')}</button>
        </form>
      )}
      {passport && (
        <form className="panel form-narrow" onSubmit={(e) => void savePassport(e)} aria-label={t('reports.passport')}>
          <h2>{t('reports.passport')}</h2>
          {PASSPORT_KEYS.map((k) => (
            <div className="field" key={k}>
              <label htmlFor={`passport-${k}`}>{t(`reports.passport.${k}`)}</label>
              <input id={`passport-${k}`} type="number" min={0} step={k.endsWith('M2') ? 0.1 : 1} value={passport[k]} onChange={(e) => setPassport({ ...passport, [k]: Number(e.target.value) })} />
            </div>
          ))}
          {TEXT_KEYS.map((k) => (
            <div className="field" key={k}>
              <label htmlFor={`text-${k}`}>{t(`reports.text.${k}`)}</label>
              <textarea id={`text-${k}`} rows={3} value={passport.texts[k] ?? ''} onChange={(e) => setPassport({ ...passport, texts: { ...passport.texts, [k]: e.target.value } })} />
            </div>
          ))}
          <button type="submit">{t('reports.savePassport')}</button>
        </form>
      )}
      <form className="panel form-narrow row" onSubmit={(e) => void saveSettings(e)}>
        <div className="field">
          <label htmlFor="regular-days">{t('reports.regularVisitDays')}</label>
          <input id="regular-days" type="number" min={1} max={366} value={regularDays} onChange={(e) => setRegularDays(e.target.value)} required />
        </div>
        <button type="submit">{t('common.save')}</button>
      </form>
    </section>
  );
}
