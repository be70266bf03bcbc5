import { useEffect, useState } from 'react';
import { useTranslation, type TFunction } from '../../i18n.js';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { RowButton } from '../../components/RowButton.js';
import { formatDate } from '../../format.js';
import { LoanTable } from './LoanTable.js';
import type { Loan, PanelLoan, Reservation } from './types.js';

/** A student's (or parent's) books at home, with online renewal, and the books reserved. Made for a phone. */
export default function MyBooksPage() {
  const { t } = useTranslation();
  const [loans, setLoans] = useState<Loan[] | null>(null);
  const [reservations, setReservations] = useState<Reservation[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get<{ items: Loan[] }>('/api/circulation/my-loans').then((r) => setLoans(r.items), setError);
    get<{ items: Reservation[] }>('/api/circulation/my-reservations').then((r) => setReservations(r.items), setError);
  }, []);

  async function run(work: () => Promise<string>) {
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      setNotice(await work());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const renew = (loan: PanelLoan) =>
    run(async () => {
      const renewed = await post<Loan>(`/api/circulation/my-loans/${loan.loanId}/renew`);
      setLoans((current) => current?.map((l) => (l.loanId === renewed.loanId ? renewed : l)) ?? null);
      return t('circulation.log.renewed', { title: renewed.title, due: formatDate(renewed.dueOn) });
    });

  const cancel = (reservation: Reservation) =>
    run(async () => {
      if (!window.confirm(t('circulation.myReservations.cancelQuestion', { title: reservation.title }))) return '';
      await post(`/api/circulation/my-reservations/${reservation.id}/cancel`);
      setReservations((await get<{ items: Reservation[] }>('/api/circulation/my-reservations')).items);
      return t('circulation.myReservations.cancelled', { title: reservation.title });
    });

  const waitingForMe = reservations?.filter((r) => r.status === 'held') ?? [];

  return (
    <section>
      <h1>{t('nav.circulation.my')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && (
        <p className="banner banner-ok" role="status">
          {notice}
        </p>
      )}
      {waitingForMe.map((r) => (
        <p key={r.id} className="banner banner-hold" data-testid="hold-waiting">
          {t('circulation.myReservations.waitingForYou', { title: r.title, until: formatDate(r.holdUntil) })}
        </p>
      ))}
      {loans === null ? !error && <p className="muted">{t('common.loading')}</p> : <LoanTable loans={loans} onRenew={(l) => void renew(l)} busy={busy} label={t('nav.circulation.my')} />}
      <h2>{t('circulation.myReservations.title')}</h2>
      {reservations !== null && reservations.length === 0 && <p className="muted">{t('circulation.myReservations.none')}</p>}
      {reservations !== null && reservations.length > 0 && (
        <ul className="reservation-list" data-testid="my-reservations">
          {reservations.map((r) => (
            <li key={r.id} className={`reservation-${r.status}`}>
              <div>
                <strong>{r.title}</strong>
                {r.authors.length > 0 && <span className="muted"> · {r.authors.join(', ')}</span>}
              </div>
              <div>{reservationState(r, t)}</div>
              {(r.status === 'waiting' || r.status === 'held') && (
                <RowButton label={t('circulation.myReservations.cancel')} row={r.title} onClick={() => void cancel(r)} disabled={busy} />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Where a reservation stands, in words: the place in the queue, the day the book waits until, or that the hold ran out. */
export function reservationState(r: Reservation, t: TFunction): string {
  if (r.status === 'held') return t('circulation.reservationState.held', { until: formatDate(r.holdUntil) });
  if (r.status === 'waiting') return t('circulation.reservationState.waiting', { place: r.place ?? 1 });
  if (r.status === 'expired') return t('circulation.reservationState.expired', { until: formatDate(r.holdUntil) });
  return t(`circulation.reservationState.${r.status}`);
}
