import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { del, get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate, formatDateTime } from '../../format.js';
import { useAction } from '../../useAction.js';
import { ReaderPicker, todayLocal, type ReadingRecord } from './common.js';

interface ReturnedLoan {
  loanId: number;
  title: string;
  authors: string | null;
  issuedAt: string;
  returnedAt: string;
  recordId: number | null;
}

/** The librarian's reading desk: stamps on pupils' reports, books read from the history and the reading room. */
export default function RecordsPage() {
  const { t } = useTranslation();
  const [pending, setPending] = useState<ReadingRecord[] | null>(null);
  const [reader, setReader] = useState<{ id: number; fullName: string; className: string | null } | null>(null);
  const [loans, setLoans] = useState<ReturnedLoan[]>([]);
  const [records, setRecords] = useState<ReadingRecord[]>([]);
  const { busy, error, setError, notice, setNotice, act } = useAction();
  const [title, setTitle] = useState('');
  const [author, setAuthor] = useState('');
  const [readOn, setReadOn] = useState(todayLocal());
  const [pages, setPages] = useState('');

  const loadPending = useCallback(async () => setPending((await get<{ items: ReadingRecord[] }>('/api/reading/records/pending')).items), []);
  const loadReader = useCallback(async (id: number) => {
    setLoans((await get<{ items: ReturnedLoan[] }>(`/api/reading/readers/${id}/returned-loans`)).items);
    setRecords((await get<{ items: ReadingRecord[] }>(`/api/reading/readers/${id}/records`)).items);
  }, []);
  useEffect(() => {
    loadPending().catch(setError);
  }, [loadPending, setError]);
  useEffect(() => {
    if (reader) loadReader(reader.id).catch(setError);
  }, [reader, loadReader, setError]);

  const decide = (r: ReadingRecord, decision: 'confirm' | 'reject') =>
    act(async () => {
      await post(`/api/reading/records/${r.id}/${decision}`);
      setNotice(t(decision === 'confirm' ? 'reading.records.stamped' : 'reading.records.rejected', { title: r.title, reader: r.readerName }));
      await loadPending();
      if (reader) await loadReader(reader.id);
    });

  const fromLoan = (l: ReturnedLoan) =>
    act(async () => {
      await post('/api/reading/records/from-loan', { loanId: l.loanId });
      setNotice(t('reading.records.recorded', { title: l.title }));
      if (reader) await loadReader(reader.id);
    });

  const remove = (r: ReadingRecord) =>
    act(async () => {
      await del(`/api/reading/records/${r.id}`);
      if (reader) await loadReader(reader.id);
    });

  function readingRoom(e: FormEvent) {
    e.preventDefault();
    if (!reader) return;
    void act(async () => {
      await post('/api/reading/records', { readerId: reader.id, title, author: author || null, readOn, pages: pages ? Number(pages) : null });
      setNotice(t('reading.records.recorded', { title }));
      setTitle('');
      setAuthor('');
      setPages('');
      await loadReader(reader.id);
    });
  }

  return (
    <section>
      <h1>{t('nav.reading.records')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && (
        <p className="banner banner-ok" role="status">
          {notice}
        </p>
      )}
      <h2>{t('reading.records.pending', { count: pending?.length ?? 0 })}</h2>
      {pending && pending.length === 0 && <p className="muted">{t('reading.records.nothingPending')}</p>}
      {pending && pending.length > 0 && (
        <table data-testid="pending-records">
          <thead>
            <tr>
              <th>{t('reading.reader')}</th>
              <th>{t('reading.book')}</th>
              <th>{t('reading.readOn')}</th>
              <th>{t('reading.note')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {pending.map((r) => (
              <tr key={r.id}>
                <td>
                  {r.readerName}
                  {r.className && <div className="muted">{r.className}</div>}
                </td>
                <td>
                  {r.title}
                  {r.author && <div className="muted">{r.author}</div>}
                </td>
                <td>{formatDate(r.readOn)}</td>
                <td>
                  {r.note}
                  {r.minutes && <div className="muted">{t('reading.minutesShort', { minutes: r.minutes })}</div>}
                </td>
                <td className="actions">
                  <button type="button" onClick={() => void decide(r, 'confirm')} disabled={busy}>
                    {t('reading.stamp')}
                  </button>{' '}
                  <button type="button" className="secondary" onClick={() => void decide(r, 'reject')} disabled={busy}>
                    {t('reading.reject')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('reading.records.byReader')}</h2>
      <ReaderPicker onPick={setReader} />
      {reader && (
        <div className="panel">
          <h3>
            {reader.fullName}
            {reader.className ? ` · ${reader.className}` : ''}
          </h3>
          <h4>{t('reading.records.history')}</h4>
          <table>
            <tbody>
              {loans.map((l) => (
                <tr key={l.loanId}>
                  <td>
                    {l.title}
                    {l.authors && <div className="muted">{l.authors}</div>}
                  </td>
                  <td>{formatDateTime(l.returnedAt)}</td>
                  <td>
                    {l.recordId ? (
                      <span className="muted">{t('reading.desk.recorded')}</span>
                    ) : (
                      <button type="button" className="secondary" onClick={() => void fromLoan(l)} disabled={busy}>
                        {t('reading.desk.markRead')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <form className="stack" onSubmit={readingRoom}>
            <h4>{t('reading.records.readingRoom')}</h4>
            <label>
              {t('reading.bookTitle')} <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={500} />
            </label>
            <label>
              {t('reading.author')} <input value={author} onChange={(e) => setAuthor(e.target.value)} maxLength={300} />
            </label>
            <label>
              {t('reading.readOn')} <input type="date" value={readOn} max={todayLocal()} onChange={(e) => setReadOn(e.target.value)} required />
            </label>
            <label>
              {t('reading.pages')} <input type="number" min={1} max={10000} value={pages} onChange={(e) => setPages(e.target.value)} />
            </label>
            <button type="submit" disabled={busy}>
              {t('reading.records.save')}
            </button>
          </form>
          <h4>{t('reading.my.records', { count: records.length })}</h4>
          <ul className="record-list">
            {records.map((r) => (
              <li key={r.id} className={`record record-${r.status}`}>
                <strong>{r.title}</strong> · {formatDate(r.readOn)} · {t(`reading.status.${r.status}`)} · {t(`reading.source.${r.source}`)}{' '}
                <button type="button" className="secondary" onClick={() => void remove(r)} disabled={busy} aria-label={t('reading.records.delete', { title: r.title })}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
