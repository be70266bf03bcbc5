import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get } from '../../api.js';
import { formatMoney } from '../../format.js';
import type { ImportPreview } from '../../../../src/interop/imports.js';
import type { HoldingsProfileView } from '../../../../src/interop/holdings-profiles.js';
import { TableScroll } from '../../components/TableScroll.js';

/**
 * Where the source system wrote its copies: the profile is chosen here, with the first copies it maps shown, so a
 * price read as a barcode is seen before anything is written. A change of profile reads the file again.
 */
export function HoldingsPreview({ preview, profile, onProfile, busy }: { preview: Pick<ImportPreview, 'suggestedProfile' | 'copySamples' | 'copies'>; profile: string; onProfile: (key: string) => void; busy: boolean }) {
  const { t } = useTranslation();
  const [profiles, setProfiles] = useState<HoldingsProfileView[]>([]);
  useEffect(() => {
    get<{ items: HoldingsProfileView[] }>('/api/interop/holdings-profiles').then((r) => setProfiles(r.items), () => setProfiles([]));
  }, []);
  const name = (p: HoldingsProfileView) => p.name ?? t(`interop.profile.${p.key}`);
  const suggested = profiles.find((p) => p.key === preview.suggestedProfile);
  return (
    <div className="holdings-preview">
      <h3>{t('interop.profile.title')}</h3>
      <div className="row">
        <div className="field">
          <label htmlFor="marc-profile">{t('interop.profile.choose')}</label>
          <select id="marc-profile" value={profile} disabled={busy} onChange={(e) => onProfile(e.target.value)}>
            {profiles.map((p) => (
              <option key={p.key} value={p.key}>
                {name(p)}
              </option>
            ))}
          </select>
        </div>
        {suggested && suggested.key !== profile && (
          <p className="field-hint">
            {t('interop.profile.suggested', { name: name(suggested) })}{' '}
            <button type="button" className="secondary" disabled={busy} onClick={() => onProfile(suggested.key)}>
              {t('interop.profile.use')}
            </button>
          </p>
        )}
      </div>
      {preview.copySamples.length === 0 ? (
        <p className="muted">{t('interop.profile.noCopies')}</p>
      ) : (
        <TableScroll>
          <table>
            <caption className="visually-hidden">{t('interop.profile.samples')}</caption>
            <thead>
              <tr>
                <th>№</th>
                <th>{t('interop.field.title')}</th>
                <th>{t('interop.profile.inventory')}</th>
                <th>{t('interop.profile.barcode')}</th>
                <th className="num">{t('interop.profile.price')}</th>
                <th>{t('interop.profile.location')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.copySamples.map((c, i) => (
                <tr key={`${c.position}-${i}`}>
                  <td>{c.position}</td>
                  <td>{c.title}</td>
                  <td>{c.inventoryNumber ?? <span className="muted">{t('interop.profile.issued')}</span>}</td>
                  <td>{c.barcode ?? ''}</td>
                  <td className="num">{c.priceTiyn ? formatMoney(c.priceTiyn) : <span className="muted">{t('interop.profile.noPrice')}</span>}</td>
                  <td>{c.location ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}
