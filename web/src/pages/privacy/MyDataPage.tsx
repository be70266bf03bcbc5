import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { download, get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate, formatDateTime } from '../../format.js';
import { useAction } from '../../useAction.js';
import type { RequestJson, SubjectData } from '../../../../src/readers/privacy.js';

/** Keys of the reader's record shown first, in this order; the rest follows as the server sends it. */
const RECORD_FIELDS = ['fullName', 'className', 'registrationNumber', 'birthDate', 'phone', 'email', 'parentName', 'parentPhone', 'status', 'leftOn'] as const;

const cell = (v: unknown) => {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return formatDateTime(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(v);
  return String(v);
};

/**
 * «Data about my child»: everything the library holds about the pupil (for a parent) or about
 * oneself (for a pupil), with the files to download and the requests to correct, block or erase.
 */
export default function MyDataPage() {
  const { t } = useTranslation();
  const [data, setData] = useState<SubjectData | null>(null);
  const [requests, setRequests] = useState<RequestJson[]>([]);
  const [kind, setKind] = useState<'correction' | 'blocking' | 'erasure'>('correction');
  const [message, setMessage] = useState('');
  const { busy, error, setError, notice, setNotice, act } = useAction();

  useEffect(() => {
    get<SubjectData>('/api/readers/me/data').then(setData, setError);
    get<RequestJson[]>('/api/readers/me/requests').then(setRequests, setError);
  }, [setError]);

  const send = (e: FormEvent) => {
    e.preventDefault();
    return act(async () => {
      await post('/api/readers/me/requests', { kind, message });
      setMessage('');
      setNotice(t('privacy.request.sent'));
      setRequests(await get<RequestJson[]>('/api/readers/me/requests'));
    });
  };

  return (
    <section>
      <h1>{t('nav.my.data')}</h1>
      <p>{t('privacy.my.intro')}</p>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && (
        <p className="banner banner-ok" role="status">
          {notice}
        </p>
      )}
      <div className="row">
        <button type="button" className="secondary" onClick={() => void download('/api/readers/me/data.pdf').catch(setError)}>
          {t('privacy.data.pdf')}
        </button>
        <button type="button" className="secondary" onClick={() => void download('/api/readers/me/data').catch(setError)}>
          {t('privacy.data.json')}
        </button>
        <button type="button" className="secondary" onClick={() => void download('/api/privacy/notice.pdf?lang=kk').catch(setError)}>
          {t('privacy.notice.kk')}
        </button>
        <button type="button" className="secondary" onClick={() => void download('/api/privacy/notice.pdf?lang=ru').catch(setError)}>
          {t('privacy.notice.ru')}
        </button>
      </div>
      {data && (
        <>
          <div className="panel">
            <h2>{t('privacy.my.record')}</h2>
            <dl>
              {RECORD_FIELDS.map((k) => (
                <div key={k} className="row">
                  <dt>{t(`privacy.field.${k}`)}</dt>
                  <dd>{cell(data.reader[k])}</dd>
                </div>
              ))}
            </dl>
          </div>
          {Object.entries(data.tables).map(([table, rows]) => (
            <div className="panel" key={table}>
              <h2>
                {t(`privacy.table.${table}`)} ({rows.length})
              </h2>
              {rows.length ? (
                <table>
                  <thead>
                    <tr>
                      {Object.keys(rows[0]!).map((k) => (
                        <th key={k}>{k}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row, i) => (
                      <tr key={i}>
                        {Object.values(row).map((v, j) => (
                          <td key={j}>{cell(v)}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p className="muted">{t('privacy.my.none')}</p>
              )}
            </div>
          ))}
        </>
      )}
      <form className="panel" onSubmit={(e) => void send(e)}>
        <h2>{t('privacy.request.title')}</h2>
        <div className="form-row">
          <select aria-label={t('privacy.request.kind')} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            {(['correction', 'blocking', 'erasure'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`privacy.request.kind.${k}`)}
              </option>
            ))}
          </select>
          <input aria-label={t('privacy.request.message')} placeholder={t('privacy.request.message')} value={message} onChange={(e) => setMessage(e.target.value)} size={50} />
          <button type="submit" disabled={busy}>
            {t('privacy.request.send')}
          </button>
        </div>
        <RequestTable requests={requests} />
      </form>
    </section>
  );
}

export function RequestTable({ requests, onAnswer }: { requests: RequestJson[]; onAnswer?: (r: RequestJson) => void }) {
  const { t } = useTranslation();
  if (!requests.length) return <p className="muted">{t('privacy.request.none')}</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>{t('privacy.request.when')}</th>
          {onAnswer && <th>{t('privacy.field.fullName')}</th>}
          <th>{t('privacy.request.kind')}</th>
          <th>{t('privacy.request.message')}</th>
          <th>{t('privacy.request.status')}</th>
          <th>{t('privacy.request.answer')}</th>
        </tr>
      </thead>
      <tbody>
        {requests.map((r) => (
          <tr key={r.id}>
            <td>{formatDateTime(r.requestedAt)}</td>
            {onAnswer && (
              <td>
                <a href={`/readers/${r.readerId}`}>{r.readerName}</a> {r.className ?? ''}
              </td>
            )}
            <td>{t(`privacy.request.kind.${r.kind}`)}</td>
            <td>{r.message}</td>
            <td>{t(`privacy.request.status.${r.status}`)}</td>
            <td>
              {r.answer ?? ''}
              {onAnswer && r.status === 'open' && (
                <button type="button" className="secondary" onClick={() => onAnswer(r)}>
                  {t('privacy.request.answerButton')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
