import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { useNavigate } from 'react-router';
import { get, post, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate, formatMoney } from '../../format.js';

interface Unbooked {
  copyId: number;
  inventoryNumber: string;
  barcode: string;
  title: string;
  fund: string;
  priceTiyn: number;
  acquiredOn: string;
  status: string;
  openingId: number | null;
}

/**
 * Reconciliation: every copy the library holds against the registers. Copies that stand in none (added before
 * the books were kept, imported from MARC, found at a check) are listed and put on an opening-balance draft.
 */
export default function ReconciliationPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [counts, setCounts] = useState<{ copies: number; booked: number; unbooked: number } | null>(null);
  const [list, setList] = useState<{ items: Unbooked[]; total: number }>({ items: [], total: 0 });
  const [error, setError] = useState<unknown>(null);

  const reload = async () => {
    setCounts(await get('/api/fund/reconciliation'));
    setList(await get(`/api/fund/unbooked${query({ limit: 200 })}`));
  };
  useEffect(() => void reload().catch(setError), []);

  const book = () =>
    void post<{ id: number }>('/api/fund/unbooked/book', {}).then((d) => navigate(`/fund/opening?id=${d.id}`), setError);

  return (
    <section>
      <h1>{t('nav.fund.reconciliation')}</h1>
      <p className="muted">{t('fund.reconciliation.intro')}</p>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {counts && (
        <div className="panel" data-testid="reconciliation">
          <p>{t('fund.reconciliation.counts', counts)}</p>
          {counts.unbooked === 0 ? (
            <p className="banner banner-success">{t('fund.reconciliation.allBooked')}</p>
          ) : (
            <button type="button" onClick={book}>{t('fund.reconciliation.book', { count: counts.unbooked })}</button>
          )}
        </div>
      )}
      {list.items.length > 0 && (
        <div className="panel">
          <table>
            <thead>
              <tr>
                <th>{t('fund.receipt.inventoryNumbers')}</th>
                <th>{t('fund.receipt.workTitle')}</th>
                <th>{t('fund.opening.enteredOn')}</th>
                <th>{t('fund.receipt.price')}</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((c) => (
                <tr key={c.copyId}>
                  <td>{c.inventoryNumber}</td>
                  <td>{c.title}</td>
                  <td>{formatDate(c.acquiredOn)}</td>
                  <td>{formatMoney(c.priceTiyn)}</td>
                  <td>
                    {c.openingId && (
                      <button type="button" className="secondary" onClick={() => navigate(`/fund/opening?id=${c.openingId}`)}>
                        {t('fund.reconciliation.onDraft')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
