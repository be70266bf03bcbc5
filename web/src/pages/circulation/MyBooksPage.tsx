import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate } from '../../format.js';
import { LoanTable } from './LoanTable.js';
import type { Loan, PanelLoan } from './types.js';

/** A student's (or parent's) books at home, with online renewal. Made for a phone. */
export default function MyBooksPage() {
  const { t } = useTranslation();
  const [loans, setLoans] = useState<Loan[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get<{ items: Loan[] }>('/api/circulation/my-loans').then((r) => setLoans(r.items), setError);
  }, []);

  async function renew(loan: PanelLoan) {
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      const renewed = await post<Loan>(`/api/circulation/my-loans/${loan.loanId}/renew`);
      setLoans((current) => current?.map((l) => (l.loanId === renewed.loanId ? renewed : l)) ?? null);
      setNotice(t('circulation.log.renewed', { title: renewed.title, due: formatDate(renewed.dueOn) }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <h1>{t('nav.circulation.my')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && (
        <p className="banner banner-ok" role="status">
          {notice}
        </p>
      )}
      {loans === null ? !error && <p className="muted">{t('common.loading')}</p> : <LoanTable loans={loans} onRenew={(l) => void renew(l)} busy={busy} label={t('nav.circulation.my')} />}
    </section>
  );
}
