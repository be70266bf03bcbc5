import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { useAction } from '../../useAction.js';
import type { RequestJson } from '../../../../src/readers/privacy.js';
import { RequestTable } from './MyDataPage.js';

/** Families' requests to correct, block or erase a reader's data; the librarian answers each. */
export default function RequestsPage() {
  const { t } = useTranslation();
  const [requests, setRequests] = useState<RequestJson[]>([]);
  const { error, setError, notice, setNotice, act } = useAction();
  const load = () => get<RequestJson[]>('/api/readers/requests').then(setRequests, setError);
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const answer = (r: RequestJson) =>
    act(async () => {
      const done = window.confirm(t('privacy.request.doneQuestion'));
      const text = window.prompt(done ? t('privacy.request.answerPrompt') : t('privacy.request.refusePrompt')) ?? '';
      await post(`/api/readers/requests/${r.id}/answer`, { status: done ? 'done' : 'refused', answer: text });
      setNotice(t('privacy.request.answered'));
      await load();
    });

  return (
    <section>
      <h1>{t('nav.readers.requests')}</h1>
      <p>{t('privacy.requests.intro')}</p>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && (
        <p className="banner banner-ok" role="status">
          {notice}
        </p>
      )}
      <RequestTable requests={requests} onAnswer={(r) => void answer(r)} />
    </section>
  );
}
