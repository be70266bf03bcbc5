import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { useSearchParams } from 'react-router';
import { del, get, post, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { PackageTransfer } from '../../components/PackageTransfer.js';
import { formatDate, today } from '../../format.js';
import { useSession } from '../../session.js';
import { PLAN_MONTHS, schoolYearOf, type ExhibitionView } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';

interface Hit {
  workId: number;
  title: string;
  authors: { name: string }[];
  publishYear: number | null;
}
interface ScheduleItem {
  id: number;
  month: number;
  title: string;
  theme: string | null;
  organisationName: string;
  mine: boolean;
  exhibitionId: number | null;
}

/** Book exhibitions with the works shown, virtual ones on the public page, and the unified exhibition schedule. */
export default function ExhibitionsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const staff = me?.role === 'librarian' || me?.role === 'admin';
  const [params] = useSearchParams();
  const focus = Number(params.get('id') ?? 0);
  const [items, setItems] = useState<ExhibitionView[]>([]);
  const [schedule, setSchedule] = useState<ScheduleItem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const schoolYear = schoolYearOf(today());
  const [draft, setDraft] = useState({ title: '', theme: '', startsOn: today(), endsOn: today(), place: '', isPublic: false, scheduleItemId: null as number | null });
  const [works, setWorks] = useState<Hit[]>([]);
  const [search, setSearch] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const [line, setLine] = useState({ month: 9, title: '' });

  const reload = async () => {
    const [x, s] = await Promise.all([get<{ items: ExhibitionView[] }>('/api/events/exhibitions'), get<{ items: ScheduleItem[] }>(`/api/events/exhibition-schedule${query({ schoolYear })}`)]);
    setItems(x.items);
    setSchedule(s.items);
  };
  useEffect(() => void reload().catch(setError), []);

  async function run(work: () => Promise<unknown>, done?: string) {
    setError(null);
    setNotice('');
    try {
      await work();
      if (done) setNotice(done);
      await reload();
    } catch (err) {
      setError(err);
    }
  }

  async function find(e: FormEvent) {
    e.preventDefault();
    try {
      setHits((await get<{ items: Hit[] }>(`/api/catalog/search${query({ q: search, limit: 10 })}`)).items);
    } catch (err) {
      setError(err);
    }
  }

  function create(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await post('/api/events/exhibitions', { ...draft, theme: draft.theme || null, place: draft.place || null, workIds: works.map((w) => w.workId) });
      setDraft({ ...draft, title: '', theme: '', scheduleItemId: null });
      setWorks([]);
    }, t('events.x.created'));
  }

  return (
    <section>
      <h1>{t('nav.events.exhibitions')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && <div className="banner banner-ok" role="status">{notice}</div>}
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th>{t('events.x.title')}</th>
              <th>{t('events.x.startsOn')}</th>
              <th>{t('events.x.endsOn')}</th>
              <th>{t('events.x.works')}</th>
              <th>{t('events.x.public')}</th>
              {staff && <th />}
            </tr>
          </thead>
          <tbody>
            {items.map((x) => (
              <tr key={x.id} className={x.id === focus ? 'highlight' : undefined} data-testid={x.id === focus ? 'focused-exhibition' : undefined}>
                <td>
                  <strong>{x.title}</strong>
                  {x.theme && <div className="muted">{x.theme}</div>}
                </td>
                <td>{formatDate(x.startsOn)}</td>
                <td>{formatDate(x.endsOn)}</td>
                <td>
                  <ul className="plain">
                    {x.works.map((w) => (
                      <li key={w.workId}>
                        {w.authors ? `${w.authors}. ` : ''}
                        {w.title}
                        {w.publishYear ? `, ${w.publishYear}` : ''} — {w.copies} {t('events.x.copies')}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>{x.isPublic ? '✓' : ''}</td>
                {staff && (
                  <td className="actions">
                    <button type="button" className="secondary" onClick={() => void run(() => del(`/api/events/exhibitions/${x.id}`))}>{t('events.x.remove')}</button>
                  </td>
                )}
              </tr>
            ))}
            {items.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">{t('events.x.empty')}</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableScroll>
      {staff && (
        <form className="panel row" onSubmit={create}>
          <h2>{t('events.x.create')}</h2>
          <div className="field">
            <label htmlFor="x-title">{t('events.x.title')}</label>
            <input id="x-title" value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} required />
          </div>
          <div className="field">
            <label htmlFor="x-theme">{t('events.x.theme')}</label>
            <input id="x-theme" value={draft.theme} onChange={(e) => setDraft({ ...draft, theme: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="x-from">{t('events.x.startsOn')}</label>
            <input id="x-from" type="date" value={draft.startsOn} onChange={(e) => setDraft({ ...draft, startsOn: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="x-to">{t('events.x.endsOn')}</label>
            <input id="x-to" type="date" value={draft.endsOn} onChange={(e) => setDraft({ ...draft, endsOn: e.target.value })} />
          </div>
          <div className="field">
            <label>
              <input type="checkbox" checked={draft.isPublic} onChange={(e) => setDraft({ ...draft, isPublic: e.target.checked })} /> {t('events.x.public')}
            </label>
          </div>
          <div className="field">
            <ul className="plain">
              {works.map((w) => <li key={w.workId}>{w.title} <button type="button" className="secondary" onClick={() => setWorks(works.filter((o) => o.workId !== w.workId))}>×</button></li>)}
            </ul>
          </div>
          <div className="field">
            <button type="submit">{t('events.x.create')}</button>
          </div>
        </form>
      )}
      {staff && (
        <form className="panel row" onSubmit={(e) => void find(e)}>
          <div className="field">
            <label htmlFor="x-search">{t('events.x.addWork')}</label>
            <input id="x-search" value={search} onChange={(e) => setSearch(e.target.value)} />
          </div>
          <ul className="plain">
            {hits.map((h) => (
              <li key={h.workId}>
                <button type="button" className="secondary" onClick={() => !works.some((w) => w.workId === h.workId) && setWorks([...works, h])}>+</button> {h.authors.map((a) => a.name).join(', ')}. {h.title}
              </li>
            ))}
          </ul>
        </form>
      )}
      {staff && me && (
        <div className="panel">
          <h2>{t('nav.events.public')}</h2>
          <p>
            <a href={`/public/${me.organisationId}`} target="_blank" rel="noreferrer">{`${window.location.origin}/public/${me.organisationId}`}</a>
          </p>
          <label htmlFor="public-embed">{t('events.public.address')}</label>
          <input id="public-embed" readOnly value={`<iframe src="${window.location.origin}/public/${me.organisationId}" width="100%" height="800"></iframe>`} onFocus={(e) => e.target.select()} />
        </div>
      )}
      <h2>{t('events.schedule.title')} {schoolYear}</h2>
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th>{t('events.schedule.month')}</th>
              <th>{t('events.x.title')}</th>
              <th>{t('events.schedule.from')}</th>
              {staff && <th />}
            </tr>
          </thead>
          <tbody>
            {schedule.map((s) => (
              <tr key={s.id}>
                <td>{t(`events.month.${s.month}`)}</td>
                <td>{s.title}</td>
                <td>{s.organisationName}</td>
                {staff && (
                  <td className="actions">
                    {s.exhibitionId ? (
                      <span className="muted">{t('events.schedule.made')}</span>
                    ) : (
                      <button type="button" className="secondary" onClick={() => setDraft({ ...draft, title: s.title, theme: s.theme ?? '', scheduleItemId: s.id })}>{t('events.schedule.make')}</button>
                    )}
                  </td>
                )}
              </tr>
            ))}
            {schedule.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">{t('events.schedule.empty')}</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableScroll>
      {(staff || me?.role === 'methodologist') && (
        <form className="panel row" onSubmit={(e) => { e.preventDefault(); void run(() => post('/api/events/exhibition-schedule', { schoolYear, month: line.month, title: line.title })); }}>
          <div className="field">
            <label htmlFor="sch-month">{t('events.schedule.month')}</label>
            <select id="sch-month" value={line.month} onChange={(e) => setLine({ ...line, month: Number(e.target.value) })}>
              {PLAN_MONTHS.map((m) => <option key={m} value={m}>{t(`events.month.${m}`)}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="sch-title">{t('events.x.title')}</label>
            <input id="sch-title" value={line.title} onChange={(e) => setLine({ ...line, title: e.target.value })} required />
          </div>
          <div className="field">
            <button type="submit" className="secondary">{t('events.schedule.add')}</button>
          </div>
        </form>
      )}
      {me?.role === 'admin' && (
        <PackageTransfer
          title={t('events.schedule.package')}
          help={t('events.schedule.packageHelp')}
          exportUrl={`/api/events/exhibition-schedule/package${query({ schoolYear })}`}
          importUrl="/api/events/exhibition-schedule/package"
          canTakeIn
          onDone={(text) => void run(async () => undefined, text)}
          onError={setError}
        />
      )}
    </section>
  );
}

