import { useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { Link } from 'react-router';
import { get, post, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate, formatMoney } from '../../format.js';
import type { WeedingCandidate } from '../../../../src/fund/weeding.js';
import { TableScroll } from '../../components/TableScroll.js';

/**
 * The weeding list: copies proposed for a planned write-off (old imprints, not lent for years, in repair). The
 * librarian unticks what stays and makes a draft write-off act of the rest in one step.
 */
export default function WeedingPage() {
  const { t } = useTranslation();
  const year = new Date().getFullYear();
  const [criteria, setCriteria] = useState({ publishedUpTo: String(year - 10), noLoansYears: '5', inRepair: true, useImprint: true, useLoans: true });
  const [items, setItems] = useState<WeedingCandidate[] | null>(null);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [reason, setReason] = useState('obsolete_content');
  const [act, setAct] = useState<{ id: number; number: string; copiesCount: number } | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function find(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setAct(null);
    try {
      const r = await get<{ items: WeedingCandidate[] }>(`/api/fund/weeding${query({
        publishedUpTo: criteria.useImprint ? criteria.publishedUpTo : undefined,
        noLoansYears: criteria.useLoans ? criteria.noLoansYears : undefined,
        inRepair: criteria.inRepair ? 'true' : undefined,
      })}`);
      setItems(r.items);
      setChosen(new Set(r.items.map((i) => i.copyId)));
    } catch (err) {
      setError(err);
    }
  }

  async function makeAct() {
    setError(null);
    try {
      const created = await post<{ id: number; number: string; copiesCount: number }>('/api/fund/weeding/act', { copyIds: [...chosen], reason });
      setAct(created);
      setItems((old) => old?.filter((i) => !chosen.has(i.copyId)) ?? null);
      setChosen(new Set());
    } catch (err) {
      setError(err);
    }
  }

  const toggle = (id: number) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };

  return (
    <section>
      <h1>{t('nav.fund.weeding')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {act && (
        <div className="banner banner-ok" role="status">
          {t('fund.weeding.actMade', { number: act.number, count: act.copiesCount })} <Link to="/fund/write-offs">{t('fund.weeding.openActs')}</Link>
        </div>
      )}
      <form className="panel row" onSubmit={(e) => void find(e)}>
        <label className="row">
          <input type="checkbox" checked={criteria.useImprint} onChange={(e) => setCriteria({ ...criteria, useImprint: e.target.checked })} />
          {t('fund.weeding.publishedUpTo')}
          <input aria-label={t('fund.weeding.publishedUpTo')} size={5} value={criteria.publishedUpTo} onChange={(e) => setCriteria({ ...criteria, publishedUpTo: e.target.value })} />
        </label>
        <label className="row">
          <input type="checkbox" checked={criteria.useLoans} onChange={(e) => setCriteria({ ...criteria, useLoans: e.target.checked })} />
          {t('fund.weeding.noLoansYears')}
          <input aria-label={t('fund.weeding.noLoansYears')} size={3} value={criteria.noLoansYears} onChange={(e) => setCriteria({ ...criteria, noLoansYears: e.target.value })} />
        </label>
        <label className="row">
          <input type="checkbox" checked={criteria.inRepair} onChange={(e) => setCriteria({ ...criteria, inRepair: e.target.checked })} />
          {t('fund.weeding.inRepair')}
        </label>
        <button type="submit">{t('fund.weeding.find')}</button>
      </form>
      {items && (
        <div className="panel">
          <p>{t('fund.weeding.found', { count: items.length, chosen: chosen.size })}</p>
          <div className="row no-print">
            <select aria-label={t('fund.weeding.reason')} value={reason} onChange={(e) => setReason(e.target.value)}>
              {['obsolete_content', 'physical_wear', 'out_of_profile', 'duplicate'].map((r) => (
                <option key={r} value={r}>{t(`fund.reason.${r}`)}</option>
              ))}
            </select>
            <button type="button" disabled={chosen.size === 0} onClick={() => void makeAct()}>{t('fund.weeding.makeAct', { count: chosen.size })}</button>
          </div>
          <TableScroll>
            <table data-testid="weeding">
              <thead>
                <tr>
                  <th />
                  <th>{t('catalog.copy.inventoryNumber')}</th>
                  <th>{t('catalog.work.title')}</th>
                  <th className="num">{t('catalog.work.year')}</th>
                  <th>{t('fund.weeding.lastLoan')}</th>
                  <th className="num">{t('catalog.copy.price')}</th>
                  <th>{t('fund.weeding.why')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr key={i.copyId}>
                    <td><input type="checkbox" aria-label={i.inventoryNumber} checked={chosen.has(i.copyId)} onChange={() => toggle(i.copyId)} /></td>
                    <td>{i.inventoryNumber}</td>
                    <td>{i.authors ? `${i.authors}. ` : ''}{i.title}</td>
                    <td className="num">{i.publishYear ?? ''}</td>
                    <td>{i.lastLoanOn ? formatDate(i.lastLoanOn) : '—'}</td>
                    <td className="num">{formatMoney(i.priceTiyn)}</td>
                    <td>{i.reasons.map((r) => t(`fund.weeding.reason.${r}`)).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </div>
      )}
    </section>
  );
}
