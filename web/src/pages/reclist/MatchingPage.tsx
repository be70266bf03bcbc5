import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Pager } from '../../components/Pager.js';
import { EntryLinks } from './EntryLinks.js';
import type { Category } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';

interface Proposal {
  id: number;
  method: string;
  entry: { title: string; author: string; category: Category; isbn: string | null };
  work: { id: number; title: string; authors: string; isbn: string | null; publishYear: number | null; publisher: string | null; language: string | null };
}

const PAGE = 20;

/**
 * Matching the list to the catalogue: confident matches are applied by the run, the uncertain
 * ones wait here for a person to confirm or reject, the list title beside the record. Below, every
 * title of the list with its editions: link what the matcher missed, unlink what it got wrong.
 */
export default function MatchingPage() {
  const { t } = useTranslation();
  const [queue, setQueue] = useState<{ items: Proposal[]; total: number } | null>(null);
  const [offset, setOffset] = useState(0);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  // bumped after every decision here, so the titles below show the new counts
  const [decisions, setDecisions] = useState(0);

  const load = useCallback(() => {
    get<{ items: Proposal[]; total: number }>(`/api/reclist/matching/queue${query({ limit: PAGE, offset })}`).then(setQueue, setError);
  }, [offset]);
  useEffect(load, [load]);

  async function run() {
    setError(null);
    try {
      const r = await post<{ titles: number; matchedTitles: number; confirmed: number; pending: number }>('/api/reclist/matching/run');
      setResult(t('reclist.matching.result', { matched: r.matchedTitles, titles: r.titles, confirmed: r.confirmed, pending: r.pending }));
      load();
      setDecisions((n) => n + 1);
    } catch (err) {
      setError(err);
    }
  }

  async function decide(id: number, action: 'confirm' | 'reject') {
    setError(null);
    try {
      await post(`/api/reclist/matches/${id}/${action}`);
      load();
      setDecisions((n) => n + 1);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section>
      <h1>{t('nav.reclist.matching')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <div className="actions">
        <button type="button" onClick={() => void run()}>
          {t('reclist.matching.run')}
        </button>
      </div>
      {result && <p className="banner banner-ok">{result}</p>}
      <div className="panel">
        <h2>{t('reclist.matching.queue')}</h2>
        {queue?.items.length === 0 && <p className="muted">{t('reclist.matching.empty')}</p>}
        {queue && queue.items.length > 0 && (
          <TableScroll>
            <table>
              <thead>
                <tr>
                  <th>{t('reclist.matching.listTitle')}</th>
                  <th>{t('reclist.matching.catalogue')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {queue.items.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <strong>{p.entry.title}</strong>
                      <div className="muted">{p.entry.author}</div>
                    </td>
                    <td>
                      <strong>{p.work.title}</strong>
                      <div className="muted">
                        {[p.work.authors, p.work.publisher, p.work.publishYear, p.work.isbn].filter(Boolean).join(' · ')}
                      </div>
                    </td>
                    <td>
                      <div className="actions">
                        <button type="button" onClick={() => void decide(p.id, 'confirm')}>
                          {t('reclist.matching.confirm')}
                        </button>
                        <button type="button" className="secondary" onClick={() => void decide(p.id, 'reject')}>
                          {t('reclist.matching.reject')}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        {queue && <Pager offset={offset} limit={PAGE} total={queue.total} onChange={setOffset} />}
      </div>
      <EntryLinks refreshKey={decisions} onChanged={load} />
    </section>
  );
}
