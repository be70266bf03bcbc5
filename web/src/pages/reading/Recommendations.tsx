import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { useSession } from '../../session.js';
import { displayName } from './common.js';

interface Recommendation {
  id: number;
  text: string;
  name: string | null;
  className: string | null;
}

/** "I read it and recommend it" on a book's page: approved recommendations, and a pupil's own. */
export function Recommendations({ workId }: { workId: number }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const [items, setItems] = useState<Recommendation[]>([]);
  const [text, setText] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const member = !!me && me.role !== 'methodologist';
  useEffect(() => {
    if (member) get<{ items: Recommendation[] }>(`/api/reading/works/${workId}/recommendations`).then((r) => setItems(r.items), () => setItems([]));
  }, [workId, member]);
  if (!member) return null;
  const pupil = me.role === 'student' || me.role === 'parent';
  function send(e: FormEvent) {
    e.preventDefault();
    post(`/api/reading/my/recommendations`, { workId, text }).then(() => {
      setSent(true);
      setText('');
    }, setError);
  }
  if (!pupil && items.length === 0) return null;
  return (
    <section className="panel">
      <h2>{t('reading.recommend.title')}</h2>
      <ul>
        {items.map((r) => (
          <li key={r.id}>
            «{r.text}» — {displayName(t, r)}
          </li>
        ))}
      </ul>
      {pupil &&
        (sent ? (
          <p className="banner banner-ok">{t('reading.recommend.sent')}</p>
        ) : (
          <form className="stack" onSubmit={send}>
            <ErrorBanner error={error} onClose={() => setError(null)} />
            <label>
              {t('reading.recommend.mine')}
              <textarea value={text} onChange={(e) => setText(e.target.value)} maxLength={1000} rows={2} required />
            </label>
            <button type="submit">{t('reading.recommend.send')}</button>
          </form>
        ))}
    </section>
  );
}
