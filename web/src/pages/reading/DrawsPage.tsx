import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate } from '../../format.js';
import { useAction } from '../../useAction.js';

interface Draw {
  id: number;
  title: string;
  giftOn: string;
  seed: string | null;
  drawnAt: string | null;
  partnersRevealed: boolean;
  participants: {
    id: number;
    name: string;
    role: string;
    email: string | null;
    wishedBook: string;
    number: number | null;
    givesToNumber: number | null;
    bookToGive: string | null;
    givesToName: string | null;
    notified: string | null;
  }[];
}

const ROLES = ['pupil', 'teacher', 'parent', 'head', 'staff'] as const;

/** The gift-a-book draw: registration, a draw with a recorded seed, letters or printed slips; partners secret until the day. */
export default function DrawsPage() {
  const { t } = useTranslation();
  const [draws, setDraws] = useState<{ id: number; title: string; giftOn: string; drawn: boolean; participants: number }[]>([]);
  const [draw, setDraw] = useState<Draw | null>(null);
  const { busy, error, setError, notice, setNotice, act } = useAction();
  const [title, setTitle] = useState('');
  const [giftOn, setGiftOn] = useState('');
  const [p, setP] = useState({ name: '', role: 'pupil', email: '', wishedBook: '' });
  const [seed, setSeed] = useState('');

  const load = useCallback(async () => setDraws((await get<{ items: typeof draws }>('/api/reading/draws')).items), []);
  useEffect(() => {
    load().catch(setError);
  }, [load, setError]);
  const open = (id: number) => act(async () => setDraw(await get<Draw>(`/api/reading/draws/${id}`)));

  function create(e: FormEvent) {
    e.preventDefault();
    void act(async () => {
      setDraw(await post<Draw>('/api/reading/draws', { title, giftOn }));
      await load();
    });
  }
  function addParticipant(e: FormEvent) {
    e.preventDefault();
    if (!draw) return;
    void act(async () => {
      setDraw(await post<Draw>(`/api/reading/draws/${draw.id}/participants`, { ...p, email: p.email || null }));
      setP({ name: '', role: p.role, email: '', wishedBook: '' });
    });
  }
  const perform = () =>
    act(async () => {
      if (!draw) return;
      setDraw(await post<Draw>(`/api/reading/draws/${draw.id}/draw`, seed ? { seed } : {}));
      await load();
    });
  const notify = () =>
    act(async () => {
      if (!draw) return;
      const r = await post<{ emailed: number; slips: number }>(`/api/reading/draws/${draw.id}/notify`);
      setNotice(t('reading.draws.notified', r));
      setDraw(await get<Draw>(`/api/reading/draws/${draw.id}`));
    });

  return (
    <section>
      <h1>{t('nav.reading.draws')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && (
        <p className="banner banner-ok" role="status">
          {notice}
        </p>
      )}
      <form className="inline-form" onSubmit={create}>
        <label>
          {t('reading.draws.title')} <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={300} />
        </label>
        <label>
          {t('reading.draws.giftOn')} <input type="date" value={giftOn} onChange={(e) => setGiftOn(e.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          {t('reading.draws.create')}
        </button>
      </form>
      <ul>
        {draws.map((d) => (
          <li key={d.id}>
            <button type="button" className="secondary" onClick={() => void open(d.id)}>
              {d.title} · {formatDate(d.giftOn)} · {t('reading.draws.participantsCount', { count: d.participants })} {d.drawn ? `· ${t('reading.draws.done')}` : ''}
            </button>
          </li>
        ))}
      </ul>
      {draw && (
        <div className="panel">
          <h2>
            {draw.title} · {formatDate(draw.giftOn)}
          </h2>
          {draw.seed && <p>{t('reading.draws.seed', { seed: draw.seed })}</p>}
          {!draw.drawnAt && (
            <form className="inline-form" onSubmit={addParticipant}>
              <label>
                {t('reading.draws.name')} <input value={p.name} onChange={(e) => setP({ ...p, name: e.target.value })} required maxLength={200} />
              </label>
              <label>
                {t('reading.draws.role')}{' '}
                <select value={p.role} onChange={(e) => setP({ ...p, role: e.target.value })}>
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`reading.draws.roles.${r}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                E-mail <input type="email" value={p.email} onChange={(e) => setP({ ...p, email: e.target.value })} maxLength={200} />
              </label>
              <label>
                {t('reading.draws.wishedBook')} <input value={p.wishedBook} onChange={(e) => setP({ ...p, wishedBook: e.target.value })} required maxLength={300} />
              </label>
              <button type="submit" disabled={busy}>
                {t('reading.draws.add')}
              </button>
            </form>
          )}
          <table>
            <thead>
              <tr>
                <th>№</th>
                <th>{t('reading.draws.name')}</th>
                <th>{t('reading.draws.wishedBook')}</th>
                <th>{t('reading.draws.givesTo')}</th>
                <th>{t('reading.draws.notifiedCol')}</th>
              </tr>
            </thead>
            <tbody>
              {draw.participants.map((x) => (
                <tr key={x.id}>
                  <td>{x.number ?? '—'}</td>
                  <td>
                    {x.name}
                    <div className="muted">{t(`reading.draws.roles.${x.role}`)}</div>
                  </td>
                  <td>{x.wishedBook}</td>
                  <td>
                    {x.givesToNumber ? `№${x.givesToNumber} · «${x.bookToGive}»` : '—'}
                    {x.givesToName ? ` · ${x.givesToName}` : x.givesToNumber ? <div className="muted">{t('reading.draws.secret')}</div> : null}
                  </td>
                  <td>{x.notified ? t(`reading.draws.how.${x.notified}`) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!draw.drawnAt ? (
            <div className="inline-form">
              <label>
                {t('reading.draws.seedInput')} <input value={seed} onChange={(e) => setSeed(e.target.value)} maxLength={64} />
              </label>
              <button type="button" onClick={() => void perform()} disabled={busy}>
                {t('reading.draws.perform')}
              </button>
            </div>
          ) : (
            <p>
              <button type="button" onClick={() => void notify()} disabled={busy}>
                {t('reading.draws.notify')}
              </button>{' '}
              <a className="button secondary" href={`/api/reading/draws/${draw.id}/slips.pdf`} target="_blank" rel="noreferrer">
                {t('reading.draws.slips')}
              </a>
            </p>
          )}
        </div>
      )}
    </section>
  );
}
