import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate } from '../../format.js';
import { useAction } from '../../useAction.js';
import { PeriodPicker, periodQuery, ReaderPicker, todayLocal, useCurrentPeriod } from './common.js';

interface Family {
  id: number;
  name: string;
  members: { readerId: number; name: string; kind: string; className: string | null }[];
}
interface Recommendation {
  id: number;
  workId: number;
  title: string;
  text: string;
  status: string;
  name: string | null;
  className: string | null;
}
interface Share {
  organisationId: number | null;
  className: string | null;
  pupils: number;
  activePupils: number;
  pupilShare: number;
  parents: number;
  activeParents: number;
  parentShare: number;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Families, bookcrossing, pupils' recommendations, "one country – one book" and who takes part. */
export default function CommunityPage() {
  const { t } = useTranslation();
  const [period, setPeriod] = useCurrentPeriod();
  const [families, setFamilies] = useState<Family[]>([]);
  const [recs, setRecs] = useState<Recommendation[]>([]);
  const [bc, setBc] = useState<{ given: number; taken: number; lines: { id: number; happenedOn: string; direction: string; books: number; title: string | null }[] } | null>(null);
  const [share, setShare] = useState<Share[]>([]);
  const [national, setNational] = useState<{ book: { title: string; author: string } | null; total: number; pupils: number; classes: { className: string; readers: number; pupils: number }[] } | null>(null);
  const { busy, error, setError, act } = useAction();
  const [familyName, setFamilyName] = useState('');
  const [members, setMembers] = useState<{ id: number; fullName: string }[]>([]);
  const [bcForm, setBcForm] = useState({ happenedOn: todayLocal(), direction: 'given', books: '1', title: '' });

  const load = useCallback(async () => {
    const q = periodQuery(period);
    setFamilies((await get<{ items: Family[] }>('/api/reading/families')).items);
    setRecs((await get<{ items: Recommendation[] }>('/api/reading/recommendations')).items);
    setBc(await get<NonNullable<typeof bc>>(`/api/reading/bookcrossing?${q}`));
    setShare((await get<{ items: Share[] }>(`/api/reading/active-share?${q}`)).items);
    const year = /^\d{4}$/.test(period) ? period : period.slice(5);
    setNational(await get<NonNullable<typeof national>>(`/api/reading/national-book/standings?year=${year}`));
  }, [period]);
  useEffect(() => {
    load().catch(setError);
  }, [load, setError]);

  function saveFamily(e: FormEvent) {
    e.preventDefault();
    void act(async () => {
      await post('/api/reading/families', { name: familyName, readerIds: members.map((m) => m.id) });
      setFamilyName('');
      setMembers([]);
      await load();
    });
  }
  function saveBc(e: FormEvent) {
    e.preventDefault();
    void act(async () => {
      await post('/api/reading/bookcrossing', { ...bcForm, books: Number(bcForm.books), title: bcForm.title || null });
      await load();
    });
  }
  const decide = (id: number, action: 'approve' | 'reject') =>
    act(async () => {
      await post(`/api/reading/recommendations/${id}/${action}`);
      await load();
    });

  return (
    <section>
      <h1>{t('nav.reading.community')}</h1>
      <PeriodPicker value={period} onChange={setPeriod} />
      <ErrorBanner error={error} onClose={() => setError(null)} />

      <h2>{t('reading.community.share')}</h2>
      <table>
        <thead>
          <tr>
            <th />
            <th>{t('reading.pupils')}</th>
            <th>{t('reading.community.activePupils')}</th>
            <th>{t('reading.community.parents')}</th>
            <th>{t('reading.community.activeParents')}</th>
          </tr>
        </thead>
        <tbody>
          {share
            .filter((s) => s.organisationId === null || s.className !== null)
            .map((s) => (
              <tr key={`${s.organisationId}-${s.className}`}>
                <td>{s.className ?? t('reading.community.whole')}</td>
                <td>{s.pupils}</td>
                <td>
                  {s.activePupils} ({pct(s.pupilShare)})
                </td>
                <td>{s.className ? '' : s.parents}</td>
                <td>{s.className ? '' : `${s.activeParents} (${pct(s.parentShare)})`}</td>
              </tr>
            ))}
        </tbody>
      </table>

      <h2>{t('reading.community.families')}</h2>
      <ul>
        {families.map((f) => (
          <li key={f.id}>
            <strong>{f.name}</strong>: {f.members.map((m) => (m.className ? `${m.name} (${m.className})` : m.name)).join(', ')}
          </li>
        ))}
      </ul>
      <form className="stack panel" onSubmit={saveFamily}>
        <label>
          {t('reading.family')} <input value={familyName} onChange={(e) => setFamilyName(e.target.value)} required maxLength={200} />
        </label>
        <ReaderPicker onPick={(r) => setMembers((m) => (m.some((x) => x.id === r.id) ? m : [...m, r]))} label={t('reading.community.addMember')} />
        <p>{members.map((m) => m.fullName).join(', ')}</p>
        <button type="submit" disabled={busy || members.length < 2}>
          {t('reading.community.saveFamily')}
        </button>
      </form>

      <h2>{t('reading.community.recommendations')}</h2>
      <ul>
        {recs.map((r) => (
          <li key={r.id}>
            <strong>{r.title}</strong> — «{r.text}» · {r.name} {r.className && `(${r.className})`} · {t(`reading.community.recStatus.${r.status}`)}
            {r.status === 'pending' && (
              <>
                {' '}
                <button type="button" onClick={() => void decide(r.id, 'approve')} disabled={busy}>
                  {t('reading.approve')}
                </button>{' '}
                <button type="button" className="secondary" onClick={() => void decide(r.id, 'reject')} disabled={busy}>
                  {t('reading.reject')}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>

      <h2>{t('reading.community.bookcrossing')}</h2>
      {bc && <p>{t('reading.community.bookcrossingCounts', { given: bc.given, taken: bc.taken })}</p>}
      <form className="inline-form" onSubmit={saveBc}>
        <label>
          {t('reading.readOn')} <input type="date" value={bcForm.happenedOn} max={todayLocal()} onChange={(e) => setBcForm({ ...bcForm, happenedOn: e.target.value })} required />
        </label>
        <select value={bcForm.direction} onChange={(e) => setBcForm({ ...bcForm, direction: e.target.value })} aria-label={t('reading.community.direction')}>
          <option value="given">{t('reading.community.given')}</option>
          <option value="taken">{t('reading.community.taken')}</option>
        </select>
        <label>
          {t('reading.books')} <input type="number" min={1} max={1000} value={bcForm.books} onChange={(e) => setBcForm({ ...bcForm, books: e.target.value })} required />
        </label>
        <label>
          {t('reading.bookTitle')} <input value={bcForm.title} onChange={(e) => setBcForm({ ...bcForm, title: e.target.value })} maxLength={300} />
        </label>
        <button type="submit" disabled={busy}>
          {t('reading.community.record')}
        </button>
      </form>
      {bc && (
        <ul>
          {bc.lines.slice(0, 10).map((l) => (
            <li key={l.id}>
              {formatDate(l.happenedOn)} · {t(`reading.community.${l.direction}`)} · {l.books} {l.title ? `· ${l.title}` : ''}
            </li>
          ))}
        </ul>
      )}

      <h2>{t('reading.community.national')}</h2>
      {national?.book ? (
        <>
          <p>
            «{national.book.title}» — {national.book.author}: {t('reading.community.nationalCount', { readers: national.total, pupils: national.pupils })}
          </p>
          <ul>
            {national.classes
              .filter((c) => c.readers > 0)
              .map((c) => (
                <li key={c.className}>
                  {c.className}: {c.readers} / {c.pupils}
                </li>
              ))}
          </ul>
        </>
      ) : (
        <p className="muted">{t('reading.community.nationalNone')}</p>
      )}
    </section>
  );
}
