import { useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { RowButton } from '../../components/RowButton.js';
import { formatDate, formatNumber } from '../../format.js';
import { useAction } from '../../useAction.js';
import type { Page, SearchHit } from '../catalog/types.js';
import type { PanelReservation, ReaderPanel } from './types.js';

/**
 * The open reader's reservations at the desk: what waits on the hold shelf for them, their place in
 * each queue, and a search to reserve a title whose copies are all out. Changes reload the panel.
 */
export function DeskReservations({ panel, onPanel }: { panel: ReaderPanel; onPanel: (panel: ReaderPanel) => void }) {
  const { t } = useTranslation();
  const { busy, error, setError, notice, setNotice, act } = useAction();
  const [text, setText] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const readerId = panel.reader.id;
  const reload = async () => onPanel(await get<ReaderPanel>(`/api/circulation/readers/${readerId}/panel`));

  const search = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    void act(async () => setHits((await get<Page<SearchHit>>(`/api/catalog/search${query({ q: text.trim(), limit: 5 })}`)).items));
  };
  const reserve = (hit: SearchHit) =>
    act(async () => {
      await post('/api/circulation/reservations', { readerId, workId: hit.workId });
      setNotice(t('circulation.deskReserve.placed', { title: hit.title }));
      setHits(null);
      setText('');
      await reload();
    });
  const cancel = (r: PanelReservation) =>
    act(async () => {
      await post(`/api/circulation/reservations/${r.id}/cancel`);
      setNotice(t('circulation.myReservations.cancelled', { title: r.title }));
      await reload();
    });

  return (
    <div className="desk-reservations">
      {panel.reservations.length > 0 && (
        <>
          <h2>{t('circulation.deskReserve.reserved', { count: panel.reservations.length })}</h2>
          <ul className="reservation-list compact">
            {panel.reservations.map((r) => (
              <li key={r.id} className={`reservation-${r.status}`}>
                <span>
                  <strong>{r.title}</strong> ·{' '}
                  {r.status === 'held'
                    ? t('circulation.deskReserve.onHoldShelf', { barcode: r.barcode ?? '', until: formatDate(r.holdUntil) })
                    : t('circulation.reservationState.waiting', { place: r.place ?? 1 })}
                </span>{' '}
                <RowButton label={t('circulation.myReservations.cancel')} row={r.title} onClick={() => void cancel(r)} disabled={busy} />
              </li>
            ))}
          </ul>
        </>
      )}
      <details>
        <summary>{t('circulation.deskReserve.title')}</summary>
        <form className="inline-form" role="search" onSubmit={search}>
          <label htmlFor="desk-reserve-q" className="visually-hidden">
            {t('circulation.deskReserve.search')}
          </label>
          <input id="desk-reserve-q" type="search" value={text} placeholder={t('circulation.deskReserve.search')} onChange={(e) => setText(e.target.value)} />
          <button type="submit" className="secondary" disabled={busy}>
            {t('common.search')}
          </button>
        </form>
        <ErrorBanner error={error} onClose={() => setError(null)} />
        {notice && (
          <p className="banner banner-ok" role="status">
            {notice}
          </p>
        )}
        {hits !== null && hits.length === 0 && <p className="muted">{t('circulation.deskReserve.nothing')}</p>}
        {hits !== null && hits.length > 0 && (
          <ul className="reservation-list compact">
            {hits.map((hit) => (
              <li key={hit.workId}>
                <span>
                  <strong>{hit.title}</strong>
                  {hit.authors.length > 0 && <span className="muted"> · {hit.authors.map((a) => a.name).join(', ')}</span>} ·{' '}
                  {t('catalog.availability', { available: formatNumber(hit.availability.available), total: formatNumber(hit.availability.total) })}
                </span>{' '}
                <RowButton label={t('circulation.reserve.button')} row={hit.title} onClick={() => void reserve(hit)} disabled={busy} />
              </li>
            ))}
          </ul>
        )}
      </details>
    </div>
  );
}
