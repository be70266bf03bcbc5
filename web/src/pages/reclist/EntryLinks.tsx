import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Pager } from '../../components/Pager.js';
import type { Category } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';

type MatchStatus = 'confirmed' | 'pending' | 'rejected';

interface ListTitle {
  id: number;
  position: number;
  title: string;
  author: string;
  category: Category;
  isbn: string | null;
  confirmed: number;
  pending: number;
}

interface Work {
  id: number;
  title: string;
  subtitle: string | null;
  authors: string;
  isbn: string | null;
  publishYear: number | null;
  publisher: string | null;
  language: string | null;
}

interface EntryMatches {
  entry: { id: number; year: number; title: string; author: string };
  matches: { id: number; status: MatchStatus; method: string; work: Work }[];
}

interface Candidate extends Work {
  match: { id: number; status: MatchStatus } | null;
}

const PAGE = 15;
const STATUS_BADGE: Record<MatchStatus, string> = { confirmed: 'badge badge-ok', pending: 'badge', rejected: 'badge badge-none' };

function describe(work: Work): string {
  return [work.authors, work.publisher, work.publishYear, work.language, work.isbn].filter(Boolean).join(' · ');
}

/**
 * The list's titles with the editions linked to each. A person opens a title, sees what is
 * linked, proposed and rejected, unlinks a wrong edition, and links a record the matcher did not
 * find by searching the catalogue (any script: «Кожа», «Qoja», an ISBN).
 */
export function EntryLinks({ refreshKey, onChanged }: { refreshKey: number; onChanged: () => void }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState({ q: '', unmatched: false });
  const [typed, setTyped] = useState('');
  const [offset, setOffset] = useState(0);
  const [titles, setTitles] = useState<{ items: ListTitle[]; total: number } | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const [detail, setDetail] = useState<EntryMatches | null>(null);
  const [search, setSearch] = useState('');
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const editionsRef = useRef<HTMLElement>(null);

  const loadTitles = useCallback(() => {
    get<{ items: ListTitle[]; total: number }>(
      `/api/reclist/matching/entries${query({ q: filter.q, unmatched: filter.unmatched ? 'true' : undefined, limit: PAGE, offset })}`,
    ).then(setTitles, setError);
  }, [filter, offset, refreshKey]);
  useEffect(loadTitles, [loadTitles]);

  const loadDetail = useCallback(() => {
    if (openId === null) return setDetail(null);
    get<EntryMatches>(`/api/reclist/entries/${openId}/matches`).then(setDetail, setError);
  }, [openId, refreshKey]);
  useEffect(loadDetail, [loadDetail]);
  // the opened title's editions show below the list: bring them into view
  useEffect(() => {
    if (detail && editionsRef.current && typeof editionsRef.current.scrollIntoView === 'function') editionsRef.current.scrollIntoView({ block: 'nearest' });
  }, [detail?.entry.id]);

  function open(id: number) {
    setOpenId(id);
    setCandidates(null);
    setSearch('');
    setDone(null);
  }

  async function findInCatalogue(e: FormEvent) {
    e.preventDefault();
    if (openId === null || !search.trim()) return;
    setError(null);
    try {
      const found = await get<{ items: Candidate[] }>(`/api/reclist/entries/${openId}/candidates${query({ q: search.trim() })}`);
      setCandidates(found.items);
    } catch (err) {
      setError(err);
    }
  }

  async function change(action: () => Promise<unknown>, message: string | null) {
    setError(null);
    setDone(null);
    try {
      await action();
      setDone(message);
      loadDetail();
      loadTitles();
      onChanged();
      if (candidates && openId !== null && search.trim()) {
        const found = await get<{ items: Candidate[] }>(`/api/reclist/entries/${openId}/candidates${query({ q: search.trim() })}`);
        setCandidates(found.items);
      }
    } catch (err) {
      setError(err);
    }
  }

  const link = (work: Work) =>
    change(() => post(`/api/reclist/entries/${openId}/matches`, { workId: work.id }), t('reclist.link.done', { work: work.title, title: detail?.entry.title ?? '' }));
  const unlink = (matchId: number) => change(() => post(`/api/reclist/matches/${matchId}/unlink`), null);

  return (
    <div className="panel">
      <h2>{t('reclist.link.title')}</h2>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setFilter({ ...filter, q: typed.trim() });
        }}
      >
        <div className="field">
          <label htmlFor="entry-q">{t('reclist.link.findEntry')}</label>
          <input id="entry-q" type="search" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </div>
        <div className="field">
          <button type="submit" className="secondary">
            {t('reclist.link.find')}
          </button>
        </div>
        <div className="field">
          <label>
            <input
              type="checkbox"
              checked={filter.unmatched}
              onChange={(e) => {
                setOffset(0);
                setFilter({ ...filter, unmatched: e.target.checked });
              }}
            />{' '}
            {t('reclist.link.unmatchedOnly')}
          </label>
        </div>
      </form>
      {titles && titles.items.length === 0 && <p className="muted">{t('reclist.link.noTitles')}</p>}
      {titles && titles.items.length > 0 && (
        <TableScroll>
          <table data-testid="list-titles">
            <thead>
              <tr>
                <th className="num">№</th>
                <th>{t('reclist.title')}</th>
                <th className="num">{t('reclist.link.linked')}</th>
                <th className="num">{t('reclist.link.waiting')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {titles.items.map((entry) => (
                <tr key={entry.id} className={entry.confirmed === 0 ? 'has-error' : undefined}>
                  <td className="num">{entry.position}</td>
                  <td>
                    <strong>{entry.title}</strong>
                    <div className="muted">{entry.author}</div>
                  </td>
                  <td className="num">{entry.confirmed}</td>
                  <td className="num">{entry.pending}</td>
                  <td>
                    <button type="button" className="secondary" aria-label={t('reclist.link.editionsOf', { title: entry.title })} onClick={() => open(entry.id)}>
                      {t('reclist.link.open')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {titles && <Pager offset={offset} limit={PAGE} total={titles.total} onChange={setOffset} />}

      {detail && (
        <section ref={editionsRef} className="panel" aria-label={t('reclist.link.editionsOf', { title: detail.entry.title })} data-testid="entry-editions">
          <div className="reader-head">
            <h3>{t('reclist.link.editionsOf', { title: detail.entry.title })}</h3>
            <button type="button" className="secondary" onClick={() => setOpenId(null)}>
              {t('reclist.link.close')}
            </button>
          </div>
          <p className="muted">{detail.entry.author}</p>
          {done && <p className="banner banner-ok">{done}</p>}
          {detail.matches.length === 0 ? (
            <p className="muted">{t('reclist.link.none')}</p>
          ) : (
            <table data-testid="entry-matches">
              <tbody>
                {detail.matches.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <strong>{m.work.title}</strong>
                      <div className="muted">{describe(m.work)}</div>
                    </td>
                    <td>
                      <span className={STATUS_BADGE[m.status]}>{t(`reclist.link.status.${m.status}`)}</span>{' '}
                      <span className="muted">{t(`reclist.link.method.${m.method}`)}</span>
                    </td>
                    <td>
                      {m.status === 'confirmed' ? (
                        <button type="button" className="secondary" onClick={() => void unlink(m.id)}>
                          {t('reclist.link.unlink')}
                        </button>
                      ) : (
                        <button type="button" onClick={() => void link(m.work)}>
                          {t('reclist.link.link')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <form className="row" onSubmit={(e) => void findInCatalogue(e)}>
            <div className="field">
              <label htmlFor="link-q">
                {t('reclist.link.searchCatalogue')} <span className="field-hint">{t('reclist.link.searchHint')}</span>
              </label>
              <input id="link-q" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
            </div>
            <div className="field">
              <button type="submit" className="secondary" disabled={!search.trim()}>
                {t('reclist.link.find')}
              </button>
            </div>
          </form>
          {candidates?.length === 0 && <p className="muted">{t('reclist.link.noResults')}</p>}
          {candidates && candidates.length > 0 && (
            <table data-testid="link-candidates">
              <tbody>
                {candidates.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <strong>{c.title}</strong>
                      {c.subtitle && <span className="muted"> : {c.subtitle}</span>}
                      <div className="muted">{describe(c)}</div>
                    </td>
                    <td>
                      {c.match?.status === 'confirmed' ? (
                        <span className="badge badge-ok">{t('reclist.link.status.confirmed')}</span>
                      ) : (
                        <button type="button" onClick={() => void link(c)}>
                          {t('reclist.link.link')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </div>
  );
}
