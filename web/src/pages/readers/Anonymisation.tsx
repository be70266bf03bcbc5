import { useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate, formatNumber, today } from '../../format.js';
import { useAction } from '../../useAction.js';
import type { AnonymisationPreview } from '../../../../src/readers/anonymise.js';

/** Two school years after leaving is the default: late returns and certificates are settled by then. */
function twoYearsAgo(): string {
  const d = new Date(`${today()}T00:00:00`);
  return `${d.getFullYear() - 2}-09-01`;
}

/**
 * Erasing the personal data of readers who left long ago: children's names and contacts are kept
 * only while the library needs them. A preview first; the erasure itself cannot be undone.
 */
export function Anonymisation() {
  const { t } = useTranslation();
  const [leftBefore, setLeftBefore] = useState(twoYearsAgo());
  const [preview, setPreview] = useState<AnonymisationPreview | null>(null);
  const { busy, error, setError, notice, setNotice, act } = useAction();

  const check = () => act(async () => setPreview(await post<AnonymisationPreview>('/api/readers/anonymisation/preview', { leftBefore })));
  const erase = () =>
    act(async () => {
      if (!window.confirm(t('readers.anonymise.confirm', { count: preview!.ready }))) return;
      const done = await post<{ anonymised: number }>('/api/readers/anonymisation', { leftBefore });
      setNotice(t('readers.anonymise.done', { count: done.anonymised }));
      setPreview(null);
    });

  return (
    <div className="panel">
      <h2>{t('readers.anonymise.title')}</h2>
      <p>{t('readers.anonymise.intro')}</p>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && (
        <p className="banner banner-ok" role="status">
          {notice}
        </p>
      )}
      <div className="form-row">
        <label htmlFor="anonymise-before">{t('readers.anonymise.leftBefore')}</label>
        <input id="anonymise-before" type="date" value={leftBefore} onChange={(e) => setLeftBefore(e.target.value)} />
        <button type="button" disabled={busy} onClick={() => void check()}>
          {t('readers.anonymise.check')}
        </button>
      </div>
      {preview && (
        <>
          <p>{t('readers.anonymise.ready', { count: preview.ready, date: formatDate(preview.leftBefore) })}</p>
          {preview.blocked.length > 0 && (
            <table>
              <caption>{t('readers.anonymise.blocked')}</caption>
              <tbody>
                {preview.blocked.map((b) => (
                  <tr key={b.id}>
                    <td>{b.registrationNumber}</td>
                    <td>{b.fullName}</td>
                    <td>{formatDate(b.leftOn)}</td>
                    <td className="num">{t('readers.anonymise.holds', { books: formatNumber(b.openLoans), textbooks: formatNumber(b.textbooksOnHand) })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <button type="button" className="danger" disabled={busy || preview.ready === 0} onClick={() => void erase()}>
            {t('readers.anonymise.run', { count: preview.ready })}
          </button>
        </>
      )}
    </div>
  );
}
