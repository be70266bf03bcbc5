import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { useAction } from '../../useAction.js';

interface Game {
  id: number;
  title: string;
  grade: number;
  size: number;
  seed: string;
  items: { title: string; author: string }[];
  drawn: number[];
  winnerCard: number | null;
  cards: { id: number; number: number; readerId: number | null; cells: { item: number; title: string; author: string; crossed: boolean }[]; fullLine: boolean }[];
}
interface GameLine {
  id: number;
  title: string;
  grade: number;
  drawn: number;
  cards: number;
  finished: boolean;
}

/** BookBingo: cards from the recommended list for a grade, printed; the caller's screen draws; the first full line wins. */
export default function BingoPage() {
  const { t } = useTranslation();
  const [games, setGames] = useState<GameLine[]>([]);
  const [game, setGame] = useState<Game | null>(null);
  const { busy, error, setError, act } = useAction();
  const [title, setTitle] = useState('');
  const [grade, setGrade] = useState('5');
  const [cards, setCards] = useState('25');

  const load = useCallback(async () => setGames((await get<{ items: GameLine[] }>('/api/reading/bingo')).items), []);
  useEffect(() => {
    load().catch(setError);
  }, [load, setError]);

  const open = (id: number) => act(async () => setGame(await get<Game>(`/api/reading/bingo/${id}`)));
  function create(e: FormEvent) {
    e.preventDefault();
    void act(async () => {
      setGame(await post<Game>('/api/reading/bingo', { title, grade: Number(grade), size: 3, cards: Number(cards) }));
      setTitle('');
      await load();
    });
  }
  const draw = () =>
    act(async () => {
      if (!game) return;
      setGame(await post<Game>(`/api/reading/bingo/${game.id}/draw`));
      await load();
    });

  const last = game && game.drawn.length > 0 ? game.items[game.drawn[game.drawn.length - 1]!] : null;
  return (
    <section>
      <h1>{t('nav.reading.bingo')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <form className="inline-form" onSubmit={create}>
        <label>
          {t('reading.bingo.title')} <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={300} />
        </label>
        <label>
          {t('reading.class')} <input type="number" min={0} max={11} value={grade} onChange={(e) => setGrade(e.target.value)} required />
        </label>
        <label>
          {t('reading.bingo.cards')} <input type="number" min={1} max={60} value={cards} onChange={(e) => setCards(e.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          {t('reading.bingo.create')}
        </button>
      </form>
      <ul>
        {games.map((g) => (
          <li key={g.id}>
            <button type="button" className="secondary" onClick={() => void open(g.id)}>
              {g.title} · {t('reading.bingo.gradeCards', { grade: g.grade, cards: g.cards })} · {g.finished ? t('reading.bingo.finished') : t('reading.bingo.drawnCount', { count: g.drawn })}
            </button>
          </li>
        ))}
      </ul>
      {game && (
        <div className="panel bingo-caller">
          <h2>{game.title}</h2>
          <p className="muted">{t('reading.bingo.seed', { seed: game.seed })}</p>
          <div className="bingo-current" aria-live="polite" data-testid="bingo-current">
            {last ? (
              <>
                <strong>{last.title}</strong>
                <span>{last.author}</span>
              </>
            ) : (
              <span className="muted">{t('reading.bingo.notStarted')}</span>
            )}
          </div>
          {game.winnerCard !== null ? (
            <p className="banner banner-ok">{t('reading.bingo.winner', { number: game.winnerCard })}</p>
          ) : (
            <button type="button" onClick={() => void draw()} disabled={busy}>
              {t('reading.bingo.draw')}
            </button>
          )}{' '}
          <a className="button secondary" href={`/api/reading/bingo/${game.id}/cards.pdf`} target="_blank" rel="noreferrer">
            {t('reading.bingo.print')}
          </a>
          <h3>{t('reading.bingo.drawn', { count: game.drawn.length, total: game.items.length })}</h3>
          <ol className="bingo-drawn">
            {game.drawn.map((i) => (
              <li key={i}>
                {game.items[i]!.title} — {game.items[i]!.author}
              </li>
            ))}
          </ol>
          <h3>{t('reading.bingo.cardsTitle')}</h3>
          <div className="bingo-cards">
            {game.cards.map((c) => (
              <table key={c.id} className={`bingo-card${c.fullLine ? ' bingo-full' : ''}`} aria-label={t('reading.bingo.card', { number: c.number })}>
                <caption>{t('reading.bingo.card', { number: c.number })}</caption>
                <tbody>
                  {Array.from({ length: game.size }, (_, row) => (
                    <tr key={row}>
                      {c.cells.slice(row * game.size, row * game.size + game.size).map((cell) => (
                        <td key={cell.item} className={cell.crossed ? 'crossed' : ''}>
                          {cell.title}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}
