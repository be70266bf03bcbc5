import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post, put } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { RowButton } from '../../components/RowButton.js';
import { TableScroll } from '../../components/TableScroll.js';
import { formatDate, formatDateTime } from '../../format.js';
import { useAction } from '../../useAction.js';
import type { HoldShelf, Reservation, ReservationRules } from './types.js';

const reader = (r: Reservation) => (r.className ? `${r.readerName}, ${r.className}` : r.readerName);

/**
 * The desk's reservations: the hold shelf (copies put aside for a reader until a day), holds that ran
 * out with nobody next (the copy goes back on the shelf), the queues of titles on loan, and the rule.
 */
export default function HoldsPage() {
  const { t } = useTranslation();
  const [shelf, setShelf] = useState<HoldShelf | null>(null);
  const [queue, setQueue] = useState<Reservation[]>([]);
  const [rules, setRules] = useState<{ maxActive: string; holdDays: string } | null>(null);
  const { busy, error, setError, notice, setNotice, act } = useAction();

  const load = async () => {
    setShelf(await get<HoldShelf>('/api/circulation/hold-shelf'));
    setQueue((await get<{ items: Reservation[] }>('/api/circulation/reservations?status=waiting')).items);
  };
  useEffect(() => {
    load().catch(setError);
    get<ReservationRules>('/api/circulation/reservation-rules').then((r) => setRules({ maxActive: String(r.maxActive), holdDays: String(r.holdDays) }), setError);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const cancel = (r: Reservation) =>
    act(async () => {
      if (!window.confirm(t('circulation.holds.cancelQuestion', { title: r.title, reader: reader(r) }))) return;
      await post(`/api/circulation/reservations/${r.id}/cancel`);
      setNotice(t('circulation.myReservations.cancelled', { title: r.title }));
      await load();
    });
  const saveRules = (e: FormEvent) => {
    e.preventDefault();
    if (!rules) return;
    void act(async () => {
      const saved = await put<ReservationRules>('/api/circulation/reservation-rules', { maxActive: Number(rules.maxActive), holdDays: Number(rules.holdDays) });
      setRules({ maxActive: String(saved.maxActive), holdDays: String(saved.holdDays) });
      setNotice(t('circulation.holds.rulesSaved'));
    });
  };

  return (
    <section>
      <h1>{t('nav.circulation.holds')}</h1>
      <p>{t('circulation.holds.intro')}</p>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && (
        <p className="banner banner-ok" role="status">
          {notice}
        </p>
      )}
      <h2>{t('circulation.holds.shelf', { count: shelf?.held.length ?? 0 })}</h2>
      {shelf && shelf.held.length === 0 && <p className="muted">{t('circulation.holds.shelfEmpty')}</p>}
      {shelf && shelf.held.length > 0 && (
        <TableScroll label={t('circulation.holds.shelf', { count: shelf.held.length })}>
          <table className="card-table" data-testid="hold-shelf">
            <thead>
              <tr>
                <th>{t('circulation.barcode')}</th>
                <th>{t('circulation.book')}</th>
                <th>{t('circulation.debtors.reader')}</th>
                <th>{t('circulation.holds.until')}</th>
                <th>
                  <span className="visually-hidden">{t('circulation.myReservations.cancel')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shelf.held.map((r) => (
                <tr key={r.id}>
                  <td data-label={t('circulation.barcode')}>{r.barcode}</td>
                  <td>{r.title}</td>
                  <td data-label={t('circulation.debtors.reader')}>{reader(r)}</td>
                  <td data-label={t('circulation.holds.until')}>{formatDate(r.holdUntil)}</td>
                  <td>
                    <RowButton label={t('circulation.myReservations.cancel')} row={`${r.title}, ${reader(r)}`} onClick={() => void cancel(r)} disabled={busy} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {shelf && shelf.expired.length > 0 && (
        <>
          <h2>{t('circulation.holds.expired')}</h2>
          <p className="muted">{t('circulation.holds.expiredHint')}</p>
          <ul className="reservation-list">
            {shelf.expired.map((r) => (
              <li key={r.id}>
                {t('circulation.holds.expiredLine', { barcode: r.barcode ?? '', title: r.title, reader: reader(r), until: formatDate(r.holdUntil) })}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{t('circulation.holds.queue', { count: queue.length })}</h2>
      {queue.length === 0 && <p className="muted">{t('circulation.holds.queueEmpty')}</p>}
      {queue.length > 0 && (
        <TableScroll label={t('circulation.holds.queue', { count: queue.length })}>
          <table className="card-table">
            <thead>
              <tr>
                <th>{t('circulation.book')}</th>
                <th>{t('circulation.holds.place')}</th>
                <th>{t('circulation.debtors.reader')}</th>
                <th>{t('circulation.holds.placedAt')}</th>
                <th>
                  <span className="visually-hidden">{t('circulation.myReservations.cancel')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {queue.map((r) => (
                <tr key={r.id}>
                  <td>{r.title}</td>
                  <td data-label={t('circulation.holds.place')}>{r.place}</td>
                  <td data-label={t('circulation.debtors.reader')}>{reader(r)}</td>
                  <td data-label={t('circulation.holds.placedAt')}>{formatDateTime(r.placedAt)}</td>
                  <td>
                    <RowButton label={t('circulation.myReservations.cancel')} row={`${r.title}, ${reader(r)}`} onClick={() => void cancel(r)} disabled={busy} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {rules && (
        <form className="panel" onSubmit={saveRules}>
          <h2>{t('circulation.holds.rules')}</h2>
          <div className="row">
            <div className="field">
              <label htmlFor="rule-max-active">{t('circulation.holds.maxActive')}</label>
              <input id="rule-max-active" type="number" min={1} max={50} value={rules.maxActive} onChange={(e) => setRules({ ...rules, maxActive: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="rule-hold-days">{t('circulation.holds.holdDays')}</label>
              <input id="rule-hold-days" type="number" min={1} max={60} value={rules.holdDays} onChange={(e) => setRules({ ...rules, holdDays: e.target.value })} />
            </div>
            <div className="field">
              <button type="submit" disabled={busy}>
                {t('common.save')}
              </button>
            </div>
          </div>
        </form>
      )}
    </section>
  );
}
