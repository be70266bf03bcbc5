import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate } from '../../format.js';
import { useAction } from '../../useAction.js';
import { ChallengeGrid, Progress, todayLocal, type Challenge, type ChallengeCard, type ClassStanding, type Period, type ReadingRecord } from './common.js';

interface MyReading {
  period: Period;
  progress: { books: number; pending: number; goal: number; reached: boolean };
  records: ReadingRecord[];
  challenges: Challenge[];
  classStanding: ClassStanding | null;
  classes: number;
}

/** A pupil's (or parent's) reading on a phone: progress, the class's place, logging a book, the challenge card. */
export default function MyReadingPage() {
  const { t } = useTranslation();
  const [data, setData] = useState<MyReading | null>(null);
  const [open, setOpen] = useState<Challenge[]>([]);
  const [cards, setCards] = useState<Record<number, ChallengeCard>>({});
  const { busy, error, setError, notice, setNotice, act } = useAction();
  const [title, setTitle] = useState('');
  const [author, setAuthor] = useState('');
  const [readOn, setReadOn] = useState(todayLocal());
  const [minutes, setMinutes] = useState('');
  const [note, setNote] = useState('');

  const load = useCallback(async () => {
    const mine = await get<MyReading>('/api/reading/my');
    setData(mine);
    const all = await get<{ items: Challenge[] }>('/api/reading/my/challenges/open');
    setOpen(all.items.filter((c) => !mine.challenges.some((m) => m.id === c.id) && c.endsOn >= todayLocal()));
    const next: Record<number, ChallengeCard> = {};
    for (const c of mine.challenges) next[c.id] = await get<ChallengeCard>(`/api/reading/my/challenges/${c.id}/card`);
    setCards(next);
  }, []);
  useEffect(() => {
    load().catch(setError);
  }, [load, setError]);

  function logBook(e: FormEvent) {
    e.preventDefault();
    void act(async () => {
      await post('/api/reading/my/records', { title, author: author || null, readOn, minutes: minutes ? Number(minutes) : null, note: note || null });
      setNotice(t('reading.my.logged', { title }));
      setTitle('');
      setAuthor('');
      setMinutes('');
      setNote('');
      await load();
    });
  }

  function join(id: number) {
    void act(async () => {
      await post(`/api/reading/my/challenges/${id}/join`);
      await load();
    });
  }

  function logDay(card: ChallengeCard, form: HTMLFormElement) {
    const data = new FormData(form);
    void act(async () => {
      await post(`/api/reading/my/challenges/${card.challenge.id}/days`, { minutes: Number(data.get('minutes')), note: String(data.get('note') ?? '') || null });
      setNotice(t('reading.my.dayLogged'));
      await load();
    });
  }

  return (
    <section className="my-reading">
      <h1>{t('nav.reading.my')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && (
        <p className="banner banner-ok" role="status">
          {notice}
        </p>
      )}
      {!data ? (
        !error && <p className="muted">{t('common.loading')}</p>
      ) : (
        <>
          <div className="panel">
            <h2>{t('reading.my.hundred', { period: data.period.label })}</h2>
            <Progress value={data.progress.books} goal={data.progress.goal} label={t('reading.my.hundredLabel')} />
            {data.progress.pending > 0 && <p className="muted">{t('reading.my.pending', { count: data.progress.pending })}</p>}
            {data.progress.reached && <p className="banner banner-ok">{t('reading.my.reached')}</p>}
          </div>
          {data.classStanding && (
            <div className="panel" data-testid="my-class-standing">
              <h2>{t('reading.my.classStanding', { className: data.classStanding.className })}</h2>
              <p className="big-figure">
                {t('reading.my.rank', { rank: data.classStanding.rank, of: data.classes })}
              </p>
              <p>
                {t('reading.my.classBooks', { books: data.classStanding.books, pupils: data.classStanding.pupils, perPupil: data.classStanding.booksPerPupil })}
              </p>
            </div>
          )}
          <form className="panel stack" onSubmit={logBook}>
            <h2>{t('reading.my.logBook')}</h2>
            <label>
              {t('reading.bookTitle')}
              <input name="title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={500} />
            </label>
            <label>
              {t('reading.author')}
              <input name="author" value={author} onChange={(e) => setAuthor(e.target.value)} maxLength={300} />
            </label>
            <label>
              {t('reading.readOn')}
              <input type="date" name="readOn" value={readOn} max={todayLocal()} onChange={(e) => setReadOn(e.target.value)} required />
            </label>
            <label>
              {t('reading.minutes')}
              <input type="number" name="minutes" min={1} max={1440} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
            </label>
            <label>
              {t('reading.note')}
              <textarea name="note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} rows={2} />
            </label>
            <button type="submit" disabled={busy}>
              {t('reading.my.send')}
            </button>
            <p className="muted">{t('reading.my.stampHint')}</p>
          </form>
          {data.challenges.map((c) => {
            const card = cards[c.id];
            return (
              <div className="panel" key={c.id}>
                <h2>{c.title}</h2>
                <p className="muted">
                  {formatDate(c.startsOn)} – {formatDate(c.endsOn)} · {t('reading.minutesPerDay', { minutes: c.minutesPerDay })}
                </p>
                {card && (
                  <>
                    <p>{t('reading.cardSummary', { stamped: card.stamped, logged: card.logged, missed: card.missed })}</p>
                    <ChallengeGrid card={card} />
                    {card.days.some((d) => d.state === 'today') && (
                      <form
                        className="stack"
                        onSubmit={(e) => {
                          e.preventDefault();
                          logDay(card, e.currentTarget);
                        }}
                      >
                        <label>
                          {t('reading.minutes')}
                          <input type="number" name="minutes" min={1} max={1440} defaultValue={c.minutesPerDay} required />
                        </label>
                        <label>
                          {t('reading.dayNote')}
                          <textarea name="note" rows={2} maxLength={1000} />
                        </label>
                        <button type="submit" disabled={busy}>
                          {t('reading.my.logToday')}
                        </button>
                      </form>
                    )}
                  </>
                )}
              </div>
            );
          })}
          {open.map((c) => (
            <div className="panel" key={`open-${c.id}`}>
              <h2>{c.title}</h2>
              <p className="muted">
                {formatDate(c.startsOn)} – {formatDate(c.endsOn)}
              </p>
              <button type="button" onClick={() => join(c.id)} disabled={busy}>
                {t('reading.my.join')}
              </button>
            </div>
          ))}
          <div className="panel">
            <h2>{t('reading.my.records', { count: data.records.length })}</h2>
            <ul className="record-list">
              {data.records.map((r) => (
                <li key={r.id} className={`record record-${r.status}`}>
                  <strong>{r.title}</strong>
                  {r.author && <span className="muted"> · {r.author}</span>}
                  <div className="muted">
                    {formatDate(r.readOn)} · {t(`reading.status.${r.status}`)} · {t(`reading.source.${r.source}`)}
                  </div>
                </li>
              ))}
            </ul>
          </div>
        </>
      )}
    </section>
  );
}
