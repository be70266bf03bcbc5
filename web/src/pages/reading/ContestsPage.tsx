import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate } from '../../format.js';
import { useAction } from '../../useAction.js';
import { ReaderPicker } from './common.js';

interface Contest {
  id: number;
  name: string;
  level: string;
  startsOn: string;
  endsOn: string;
  grades: string | null;
  jury: string | null;
  stages: { name: string; on: string }[];
  entrants: { id: number; readerId: number; name: string; className: string | null; stage: string | null; place: number | null; nomination: string | null }[];
}

/** The register of the school's and district's contests: stages, entrants, jury, places, nominations, diplomas. */
export default function ContestsPage() {
  const { t } = useTranslation();
  const [list, setList] = useState<{ id: number; name: string; level: string; startsOn: string; endsOn: string; entrants: number }[]>([]);
  const [contest, setContest] = useState<Contest | null>(null);
  const { busy, error, setError, act } = useAction();
  const [form, setForm] = useState({ name: '', level: 'school', startsOn: '', endsOn: '', grades: '', jury: '', stages: '' });

  const load = useCallback(async () => setList((await get<{ items: typeof list }>('/api/reading/contests')).items), []);
  useEffect(() => {
    load().catch(setError);
  }, [load, setError]);
  const open = (id: number) => act(async () => setContest(await get<Contest>(`/api/reading/contests/${id}`)));

  function create(e: FormEvent) {
    e.preventDefault();
    void act(async () => {
      // stages as lines "name; YYYY-MM-DD"
      const stages = form.stages
        .split('\n')
        .map((l) => l.split(';').map((x) => x.trim()))
        .filter((p) => p[0] && p[1])
        .map(([name, on]) => ({ name: name!, on: on! }));
      setContest(await post<Contest>('/api/reading/contests', { ...form, grades: form.grades || null, jury: form.jury || null, stages }));
      await load();
    });
  }
  const save = (readerId: number, patch: { stage?: string | null; place?: number | null; nomination?: string | null }) =>
    act(async () => {
      if (!contest) return;
      const current = contest.entrants.find((x) => x.readerId === readerId);
      setContest(
        await post<Contest>(`/api/reading/contests/${contest.id}/entrants`, {
          readerId,
          stage: current?.stage ?? null,
          place: current?.place ?? null,
          nomination: current?.nomination ?? null,
          ...patch,
        }),
      );
    });

  return (
    <section>
      <h1>{t('nav.reading.contests')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <form className="stack panel" onSubmit={create}>
        <h2>{t('reading.contests.new')}</h2>
        <label>
          {t('reading.contests.name')} <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required maxLength={300} />
        </label>
        <label>
          {t('reading.contests.level')}{' '}
          <select value={form.level} onChange={(e) => setForm({ ...form, level: e.target.value })}>
            {['school', 'district', 'region', 'republic'].map((l) => (
              <option key={l} value={l}>
                {t(`reading.contests.levels.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('reading.contests.startsOn')} <input type="date" value={form.startsOn} onChange={(e) => setForm({ ...form, startsOn: e.target.value })} required />
        </label>
        <label>
          {t('reading.contests.endsOn')} <input type="date" value={form.endsOn} onChange={(e) => setForm({ ...form, endsOn: e.target.value })} required />
        </label>
        <label>
          {t('reading.contests.grades')} <input value={form.grades} onChange={(e) => setForm({ ...form, grades: e.target.value })} maxLength={50} />
        </label>
        <label>
          {t('reading.contests.jury')} <input value={form.jury} onChange={(e) => setForm({ ...form, jury: e.target.value })} maxLength={1000} />
        </label>
        <label>
          {t('reading.contests.stages')} <textarea value={form.stages} onChange={(e) => setForm({ ...form, stages: e.target.value })} rows={2} placeholder={t('reading.contests.stagesHint')} />
        </label>
        <button type="submit" disabled={busy}>
          {t('reading.contests.create')}
        </button>
      </form>
      <ul>
        {list.map((c) => (
          <li key={c.id}>
            <button type="button" className="secondary" onClick={() => void open(c.id)}>
              {c.name} · {t(`reading.contests.levels.${c.level}`)} · {formatDate(c.startsOn)}–{formatDate(c.endsOn)} · {t('reading.contests.entrantsCount', { count: c.entrants })}
            </button>
          </li>
        ))}
      </ul>
      {contest && (
        <div className="panel">
          <h2>{contest.name}</h2>
          <p>
            {formatDate(contest.startsOn)}–{formatDate(contest.endsOn)}
            {contest.grades && ` · ${t('reading.contests.grades')}: ${contest.grades}`}
          </p>
          {contest.jury && <p>{t('reading.contests.juryIs', { jury: contest.jury })}</p>}
          {contest.stages.length > 0 && (
            <ol>
              {contest.stages.map((s) => (
                <li key={s.name}>
                  {s.name} · {formatDate(s.on)}
                </li>
              ))}
            </ol>
          )}
          <ReaderPicker onPick={(r) => void save(r.id, {})} label={t('reading.contests.addEntrant')} />
          <table>
            <thead>
              <tr>
                <th>{t('reading.reader')}</th>
                <th>{t('reading.contests.stage')}</th>
                <th>{t('reading.contests.place')}</th>
                <th>{t('reading.contests.nomination')}</th>
              </tr>
            </thead>
            <tbody>
              {contest.entrants.map((e) => (
                <tr key={e.id}>
                  <td>
                    {e.name}
                    {e.className && <div className="muted">{e.className}</div>}
                  </td>
                  <td>
                    <select value={e.stage ?? ''} onChange={(ev) => void save(e.readerId, { stage: ev.target.value || null })} aria-label={t('reading.contests.stage')}>
                      <option value="">—</option>
                      {contest.stages.map((s) => (
                        <option key={s.name} value={s.name}>
                          {s.name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select value={e.place ?? ''} onChange={(ev) => void save(e.readerId, { place: ev.target.value ? Number(ev.target.value) : null })} aria-label={t('reading.contests.place')}>
                      <option value="">—</option>
                      {[1, 2, 3].map((n) => (
                        <option key={n} value={n}>
                          {n}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input defaultValue={e.nomination ?? ''} onBlur={(ev) => ev.target.value !== (e.nomination ?? '') && void save(e.readerId, { nomination: ev.target.value || null })} aria-label={t('reading.contests.nomination')} maxLength={200} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <a className="button secondary" href={`/api/reading/contests/${contest.id}/diplomas.pdf?lang=kk`} target="_blank" rel="noreferrer">
              {t('reading.contests.diplomasKk')}
            </a>{' '}
            <a className="button secondary" href={`/api/reading/contests/${contest.id}/diplomas.pdf?lang=ru`} target="_blank" rel="noreferrer">
              {t('reading.contests.diplomasRu')}
            </a>
          </p>
        </div>
      )}
    </section>
  );
}
