import { Link } from 'react-router';
import { useTranslation } from '../../i18n.js';
import { post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { useAction } from '../../useAction.js';
import type { Reservation } from './types.js';

/**
 * A pupil or parent reserves the title on the work's page. The server decides: a copy on the shelf
 * is told as such (come and take it), a title on loan is queued and the place is shown.
 */
export function ReserveButton({ workId }: { workId: number }) {
  const { t } = useTranslation();
  const { busy, error, setError, notice, setNotice, act } = useAction();

  const reserve = () =>
    act(async () => {
      const placed = await post<Reservation>('/api/circulation/my-reservations', { workId });
      setNotice(t('circulation.reserve.placed', { title: placed.title, place: placed.place ?? 1 }));
    });

  return (
    <section className="panel no-print" aria-labelledby="reserve-title">
      <h2 id="reserve-title">{t('circulation.reserve.title')}</h2>
      <p className="muted">{t('circulation.reserve.hint')}</p>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice ? (
        <p className="banner banner-ok" role="status">
          <span>
            {notice} <Link to="/my">{t('circulation.reserve.seeMine')}</Link>
          </span>
        </p>
      ) : (
        <button type="button" onClick={() => void reserve()} disabled={busy}>
          {t('circulation.reserve.button')}
        </button>
      )}
    </section>
  );
}
