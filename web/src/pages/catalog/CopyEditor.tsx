import { useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { patch } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatMoney, parseTenge } from '../../format.js';
import { FUNDS, type Copy, type FundKind } from './types.js';

/** Edits one copy in place: where it stands, its fund and price, whether it is being repaired. */
export function CopyEditor({ copy, onSaved, onCancel }: { copy: Copy; onSaved: (copy: Copy) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [location, setLocation] = useState(copy.location ?? '');
  const [fund, setFund] = useState<FundKind>(copy.fund);
  const [price, setPrice] = useState(String(copy.priceTiyn / 100));
  const [repair, setRepair] = useState(copy.status === 'in_repair');
  const [valuable, setValuable] = useState(copy.valuable);
  const [openAccess, setOpenAccess] = useState(copy.openAccess);
  const [error, setError] = useState<unknown>(null);
  const [priceInvalid, setPriceInvalid] = useState(false);
  const editableStatus = copy.status === 'available' || copy.status === 'in_repair';

  async function save(e: FormEvent) {
    e.preventDefault();
    const priceTiyn = parseTenge(price);
    setPriceInvalid(priceTiyn === null);
    if (priceTiyn === null) return;
    try {
      const body: Record<string, unknown> = { location: location.trim() || null, fund, priceTiyn, valuable, openAccess };
      if (editableStatus) body.status = repair ? 'in_repair' : 'available';
      onSaved(await patch<Copy>(`/api/copies/${copy.id}`, body));
    } catch (err) {
      setError(err);
    }
  }

  return (
    <form className="panel" onSubmit={(e) => void save(e)} aria-label={t('catalog.copy.editTitle', { barcode: copy.barcode })}>
      <h3>{t('catalog.copy.editTitle', { barcode: copy.barcode })}</h3>
      <ErrorBanner error={error} />
      <div className="row">
        <div className="field">
          <label htmlFor={`loc-${copy.id}`}>{t('catalog.copy.location')}</label>
          <input id={`loc-${copy.id}`} value={location} onChange={(e) => setLocation(e.target.value)} autoFocus />
        </div>
        <div className="field">
          <label htmlFor={`fund-${copy.id}`}>{t('catalog.copy.fund')}</label>
          <select id={`fund-${copy.id}`} value={fund} onChange={(e) => setFund(e.target.value as FundKind)}>
            {FUNDS.map((f) => (
              <option key={f} value={f}>
                {t(`catalog.fund.${f}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`price-${copy.id}`}>{t('catalog.copy.priceTenge')}</label>
          <input
            id={`price-${copy.id}`}
            inputMode="decimal"
            value={price}
            aria-invalid={priceInvalid}
            onChange={(e) => setPrice(e.target.value)}
          />
          {priceInvalid && <span className="overdue">{t('catalog.copy.priceInvalid')}</span>}
        </div>
        {editableStatus && (
          <label className="row">
            <input type="checkbox" checked={repair} onChange={(e) => setRepair(e.target.checked)} />
            {t('catalog.copy.inRepair')}
          </label>
        )}
        <label className="row">
          <input type="checkbox" checked={valuable} onChange={(e) => setValuable(e.target.checked)} />
          {t('catalog.copy.valuable')}
        </label>
        <label className="row">
          <input type="checkbox" checked={openAccess} onChange={(e) => setOpenAccess(e.target.checked)} />
          {t('catalog.copy.openAccess')}
        </label>
      </div>
      <p className="muted">{t('catalog.copy.currentPrice', { price: formatMoney(copy.priceTiyn) })}</p>
      <div className="actions">
        <button type="submit">{t('common.save')}</button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
