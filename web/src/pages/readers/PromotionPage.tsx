import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Anonymisation } from './Anonymisation.js';
import { formatDate, formatDateTime, formatNumber, today } from '../../format.js';
import { useAction } from '../../useAction.js';

interface ClassMove {
  grade: number;
  classLetter: string | null;
  fromClass: string;
  toClass: string | null;
  leaving: boolean;
  count: number;
}

interface TeacherMove {
  userId: number;
  fullName: string;
  fromClass: string;
  toClass: string | null;
}

interface Preview {
  date: string;
  classes: ClassMove[];
  promoted: number;
  leaving: number;
  teachers: TeacherMove[];
}

interface Promotion {
  id: number;
  performedAt: string;
  performedBy: string | null;
  promoted: number;
  leaving: number;
  undoneAt: string | null;
}

/**
 * The year-end move of every class up one grade. The librarian sees each class's move first;
 * the latest promotion can be undone exactly.
 */
export default function PromotionPage() {
  const { t } = useTranslation();
  const [date, setDate] = useState(today());
  const [preview, setPreview] = useState<Preview | null>(null);
  const [history, setHistory] = useState<Promotion[]>([]);
  const { busy, error, setError, notice, setNotice, act } = useAction();

  const loadHistory = useCallback(() => {
    get<{ items: Promotion[] }>('/api/readers/promotions').then((r) => setHistory(r.items), setError);
  }, []);
  useEffect(loadHistory, [loadHistory]);

  const showPreview = () => act(async () => setPreview(await post<Preview>('/api/readers/promotion/preview', { date })));

  const promote = () =>
    act(async () => {
      if (!window.confirm(t('readers.promotion.confirm', { promoted: preview!.promoted, leaving: preview!.leaving }))) return;
      const done = await post<Promotion>('/api/readers/promotion', { date });
      setNotice(t('readers.promotion.done', { promoted: formatNumber(done.promoted), leaving: formatNumber(done.leaving) }));
      setPreview(null);
      loadHistory();
    });

  const undo = (p: Promotion) =>
    act(async () => {
      if (!window.confirm(t('readers.promotion.confirmUndo', { date: formatDateTime(p.performedAt) }))) return;
      await post(`/api/readers/promotion/${p.id}/undo`);
      setNotice(t('readers.promotion.undone'));
      loadHistory();
    });

  const latest = history.find((p) => !p.undoneAt);
  return (
    <section>
      <h1>{t('nav.readers.promotion')}</h1>
      <p>{t('readers.promotion.intro')}</p>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && (
        <p className="banner banner-ok" role="status">
          {notice}
        </p>
      )}
      <div className="panel row">
        <div className="field">
          <label htmlFor="promotion-date">{t('readers.promotion.date')}</label>
          <input id="promotion-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </div>
        <div className="field">
          <button type="button" className="secondary" disabled={busy} onClick={() => void showPreview()}>
            {t('readers.promotion.preview')}
          </button>
        </div>
      </div>
      {preview && (
        <div className="panel">
          <h2>{t('readers.promotion.previewTitle', { date: formatDate(preview.date) })}</h2>
          <table>
            <thead>
              <tr>
                <th>{t('readers.promotion.from')}</th>
                <th>{t('readers.promotion.to')}</th>
                <th className="num">{t('readers.promotion.count')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.classes.map((c) => (
                <tr key={c.fromClass}>
                  <td>{c.fromClass}</td>
                  <td>{c.leaving ? t('readers.promotion.leaving') : c.toClass}</td>
                  <td className="num">{formatNumber(c.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.teachers.length > 0 && (
            <table>
              <caption>{t('readers.promotion.teachers')}</caption>
              <tbody>
                {preview.teachers.map((m) => (
                  <tr key={m.userId}>
                    <td>{m.fullName}</td>
                    <td>{m.fromClass}</td>
                    <td>{m.toClass ?? t('readers.promotion.teacherFree')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p>{t('readers.promotion.totals', { promoted: formatNumber(preview.promoted), leaving: formatNumber(preview.leaving) })}</p>
          <button type="button" disabled={busy || preview.promoted + preview.leaving === 0} onClick={() => void promote()}>
            {t('readers.promotion.run')}
          </button>
        </div>
      )}
      {history.length > 0 && (
        <div className="panel">
          <h2>{t('readers.promotion.history')}</h2>
          <table>
            <tbody>
              {history.map((p) => (
                <tr key={p.id}>
                  <td>{formatDateTime(p.performedAt)}</td>
                  <td>{p.performedBy}</td>
                  <td>{t('readers.promotion.totals', { promoted: formatNumber(p.promoted), leaving: formatNumber(p.leaving) })}</td>
                  <td>
                    {p.undoneAt ? (
                      t('readers.promotion.undoneAt', { date: formatDateTime(p.undoneAt) })
                    ) : p === latest ? (
                      <button type="button" className="danger" disabled={busy} onClick={() => void undo(p)}>
                        {t('readers.promotion.undo')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Anonymisation />
    </section>
  );
}
