import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate } from '../../format.js';
import { useAction } from '../../useAction.js';
import { ChallengeGrid, ReaderPicker, todayLocal, type Challenge, type ChallengeCard } from './common.js';

/** The 30-day challenges: start one, enrol readers, stamp their days; missed days show on each card. */
export default function ChallengesPage() {
  const { t } = useTranslation();
  const [items, setItems] = useState<Challenge[]>([]);
  const [chosen, setChosen] = useState<number | null>(null);
  const [board, setBoard] = useState<ChallengeCard[]>([]);
  const { busy, error, setError, notice, setNotice, act } = useAction();
  const [title, setTitle] = useState('');
  const [startsOn, setStartsOn] = useState(todayLocal());

  const load = useCallback(async () => {
    const list = (await get<{ items: Challenge[] }>('/api/reading/challenges')).items;
    setItems(list);
    setChosen((c) => c ?? list[0]?.id ?? null);
  }, []);
  const loadBoard = useCallback(async (id: number) => setBoard((await get<{ items: ChallengeCard[] }>(`/api/reading/challenges/${id}/board`)).items), []);
  useEffect(() => {
    load().catch(setError);
  }, [load, setError]);
  useEffect(() => {
    if (chosen) loadBoard(chosen).catch(setError);
  }, [chosen, loadBoard, setError]);

  function create(e: FormEvent) {
    e.preventDefault();
    void act(async () => {
      const c = await post<Challenge>('/api/reading/challenges', { title, startsOn });
      setTitle('');
      setChosen(c.id);
      await load();
    });
  }
  const stamp = (card: ChallengeCard, day: string) =>
    act(async () => {
      await post(`/api/reading/challenges/${card.challenge.id}/stamps`, { readerId: card.readerId, day });
      setNotice(t('reading.challenges.stamped', { reader: card.readerName, day: formatDate(day) }));
      await loadBoard(card.challenge.id);
    });
  const enrol = (readerId: number) =>
    act(async () => {
      if (!chosen) return;
      await post(`/api/reading/challenges/${chosen}/entrants`, { readerId });
      await loadBoard(chosen);
      await load();
    });

  return (
    <section>
      <h1>{t('nav.reading.challenges')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && (
        <p className="banner banner-ok" role="status">
          {notice}
        </p>
      )}
      <form className="inline-form" onSubmit={create}>
        <label>
          {t('reading.challenges.title')} <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={300} placeholder={t('reading.challenges.placeholder')} />
        </label>
        <label>
          {t('reading.challenges.startsOn')} <input type="date" value={startsOn} onChange={(e) => setStartsOn(e.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          {t('reading.challenges.create')}
        </button>
      </form>
      <p>
        {items.map((c) => (
          <button key={c.id} type="button" className={c.id === chosen ? '' : 'secondary'} onClick={() => setChosen(c.id)}>
            {c.title} · {formatDate(c.startsOn)}–{formatDate(c.endsOn)} ({c.entrants})
          </button>
        ))}
      </p>
      {chosen && (
        <>
          <ReaderPicker onPick={(r) => void enrol(r.id)} label={t('reading.challenges.enrol')} />
          {board.map((card) => (
            <div className="panel" key={card.readerId}>
              <h3>
                {card.readerName}
                {card.className ? ` · ${card.className}` : ''}
              </h3>
              <p>{t('reading.cardSummary', { stamped: card.stamped, logged: card.logged, missed: card.missed })}</p>
              <ChallengeGrid card={card} onStamp={(day) => void stamp(card, day)} busy={busy} />
            </div>
          ))}
        </>
      )}
    </section>
  );
}
