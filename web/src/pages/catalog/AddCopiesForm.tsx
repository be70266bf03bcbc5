import { useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { parseTenge } from '../../format.js';
import { FUNDS, type Copy, type FundKind } from './types.js';

/** Receives copies of a work into the library: each gets its inventory number and barcode. */
export function AddCopiesForm({ workId, onAdded }: { workId: number; onAdded: (copies: Copy[]) => void }) {
  const { t } = useTranslation();
  const [count, setCount] = useState('1');
  const [fund, setFund] = useState<FundKind>('main');
  const [price, setPrice] = useState('0');
  const [location, setLocation] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const priceTiyn = parseTenge(price);
    const n = Number(count);
    const bad = priceTiyn === null || !Number.isInteger(n) || n < 1;
    setInvalid(bad);
    if (bad) return;
    setBusy(true);
    setError(null);
    try {
      const body = { workId, count: n, fund, priceTiyn, location: location.trim() || null };
      const reply = await post<{ items: Copy[] }>('/api/copies', body);
      onAdded(reply.items);
      setCount('1');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" onSubmit={(e) => void submit(e)}>
      <h2>{t('catalog.copy.addTitle')}</h2>
      <ErrorBanner error={error} />
      {invalid && <p className="banner banner-error">{t('catalog.copy.addInvalid')}</p>}
      <div className="row">
        <div className="field">
          <label htmlFor="add-count">{t('catalog.copy.count')}</label>
          <input id="add-count" type="number" min={1} max={500} value={count} onChange={(e) => setCount(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="add-fund">{t('catalog.copy.fund')}</label>
          <select id="add-fund" value={fund} onChange={(e) => setFund(e.target.value as FundKind)}>
            {FUNDS.map((f) => (
              <option key={f} value={f}>
                {t(`catalog.fund.${f}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="add-price">{t('catalog.copy.priceTenge')}</label>
          <input id="add-price" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="add-location">{t('catalog.copy.location')}</label>
          <input id="add-location" value={location} onChange={(e) => setLocation(e.target.value)} />
        </div>
        <div className="field">
          <button type="submit" disabled={busy}>
            {t('catalog.copy.add')}
          </button>
        </div>
      </div>
    </form>
  );
}
