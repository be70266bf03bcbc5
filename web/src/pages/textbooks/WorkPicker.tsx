import { useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, query } from '../../api.js';

interface Hit {
  workId: number;
  title: string;
  publishYear: number | null;
}

/** Finds a textbook in the catalogue by title or ISBN and hands back its work id. */
export function WorkPicker({ id, onPick, label }: { id: string; onPick: (work: { id: number; title: string }) => void; label?: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const [chosen, setChosen] = useState<string | null>(null);

  function search(e?: FormEvent) {
    e?.preventDefault();
    if (!q.trim()) return;
    void get<{ items: Hit[] }>(`/api/catalog/search${query({ q: q.trim(), limit: 8 })}`).then((r) => setHits(r.items), () => setHits([]));
  }

  return (
    <div className="field">
      <label htmlFor={id}>{label ?? t('textbooks.work')}</label>
      <input
        id={id}
        value={q}
        placeholder={label ? undefined : t('textbooks.workSearch')}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') search(e);
        }}
      />
      {chosen && <span className="field-hint">{chosen}</span>}
      {hits.length > 0 && (
        <ul className="facts">
          {hits.map((h) => (
            <li key={h.workId}>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  onPick({ id: h.workId, title: h.title });
                  setChosen(h.title);
                  setHits([]);
                }}
              >
                {h.title}
                {h.publishYear ? ` (${h.publishYear})` : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
