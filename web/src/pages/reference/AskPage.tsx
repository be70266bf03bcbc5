import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDateTime } from '../../format.js';

interface Mine { id: number; askedAt: string; question: string; answer: string | null }

/** "Ask the librarian": a pupil or parent writes a question and reads the answer here. */
export default function AskPage() {
  const { t } = useTranslation();
  const [items, setItems] = useState<Mine[]>([]);
  const [question, setQuestion] = useState('');
  const [error, setError] = useState<unknown>(null);
  const reload = () => get<{ items: Mine[] }>('/api/reference/questions/mine').then((r) => setItems(r.items), setError);
  useEffect(() => void reload(), []);
  async function ask(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await post('/api/reference/questions', { question });
      setQuestion('');
      await reload();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section>
      <h1>{t('nav.reference.ask')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <form className="panel" onSubmit={(e) => void ask(e)}>
        <label htmlFor="ask-q">{t('reference.ask.label')}</label>
        <textarea id="ask-q" rows={3} value={question} onChange={(e) => setQuestion(e.target.value)} required />
        <button type="submit">{t('reference.send')}</button>
      </form>
      <ul className="plain">
        {items.map((q) => (
          <li key={q.id} className="panel">
            <div className="muted">{formatDateTime(q.askedAt)}</div>
            <p>{q.question}</p>
            <p>{q.answer ?? <span className="muted">{t('reference.ask.waiting')}</span>}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
