import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { FormRow } from '../../components/Field.js';
import { formatDateTime } from '../../format.js';
import { useAction } from '../../useAction.js';

interface Mine { id: number; askedAt: string; question: string; answer: string | null }

/** "Ask the librarian": a pupil or parent writes a question and reads the answer here. */
export default function AskPage() {
  const { t } = useTranslation();
  const [items, setItems] = useState<Mine[]>([]);
  const [question, setQuestion] = useState('');
  const reload = async () => setItems((await get<{ items: Mine[] }>('/api/reference/questions/mine')).items);
  const { busy, error, setError, act } = useAction(reload);
  useEffect(() => void reload().catch(setError), []);
  const ask = () =>
    act(async () => {
      await post('/api/reference/questions', { question });
      setQuestion('');
    });
  return (
    <section>
      <h1>{t('nav.reference.ask')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <FormRow className="panel" onSubmit={() => void ask()}>
        <label htmlFor="ask-q">{t('reference.ask.label')}</label>
        <textarea id="ask-q" rows={3} value={question} onChange={(e) => setQuestion(e.target.value)} required />
        <button type="submit" disabled={busy}>{t('reference.send')}</button>
      </FormRow>
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
