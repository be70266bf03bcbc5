import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { useSearchParams } from 'react-router';
import { del, get, post, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { CheckField, Field, FormRow } from '../../components/Field.js';
import { PackageTransfer } from '../../components/PackageTransfer.js';
import { formatDate, today } from '../../format.js';
import { isStaff, useSession } from '../../session.js';
import { useAction } from '../../useAction.js';
import { PLAN_MONTHS, schoolYearOf, type ExhibitionView } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';
import { RowButton } from '../../components/RowButton.js';

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
  const staff = isStaff(me);
  const [params] = useSearchParams();
  const focus = Number(params.get('id') ?? 0);
  const [items, setItems] = useState<ExhibitionView[]>([]);
  const [schedule, setSchedule] = useState<ScheduleItem[]>([]);
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
  const { busy, error, setError, notice, setNotice, act } = useAction(reload);
  useEffect(() => void reload().catch(setError), []);

  const find = () => get<{ items: Hit[] }>(`/api/catalog/search${query({ q: search, limit: 10 })}`).then((r) => setHits(r.items), setError);

  function create() {
    void act(async () => {
      await post('/api/events/exhibitions', { ...draft, theme: draft.theme || null, place: draft.place || null, workIds: works.map((w) => w.workId) });
      setDraft({ ...draft, title: '', theme: '', scheduleItemId: null });
      setWorks([]);
      setNotice(t('events.x.created'));
    });
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
                    <RowButton label={t('events.x.remove')} row={x.title} disabled={busy} onClick={() => void act(() => del(`/api/events/exhibitions/${x.id}`))} />
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
        <FormRow onSubmit={create}>
          <h2>{t('events.x.create')}</h2>
          <Field id="x-title" label={t('events.x.title')}>
            <input id="x-title" value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} required />
          </Field>
          <Field id="x-theme" label={t('events.x.theme')}>
            <input id="x-theme" value={draft.theme} onChange={(e) => setDraft({ ...draft, theme: e.target.value })} />
          </Field>
          <Field id="x-from" label={t('events.x.startsOn')}>
            <input id="x-from" type="date" value={draft.startsOn} onChange={(e) => setDraft({ ...draft, startsOn: e.target.value })} />
          </Field>
          <Field id="x-to" label={t('events.x.endsOn')}>
            <input id="x-to" type="date" value={draft.endsOn} onChange={(e) => setDraft({ ...draft, endsOn: e.target.value })} />
          </Field>
          <CheckField label={t('events.x.public')} checked={draft.isPublic} onChange={(isPublic) => setDraft({ ...draft, isPublic })} />
          <Field>
            <ul className="plain">
              {works.map((w) => <li key={w.workId}>{w.title} <button type="button" className="secondary" onClick={() => setWorks(works.filter((o) => o.workId !== w.workId))}>×</button></li>)}
            </ul>
          </Field>
          <Field>
            <button type="submit" disabled={busy}>{t('events.x.create')}</button>
          </Field>
        </FormRow>
      )}
      {staff && (
        <FormRow onSubmit={() => void find()}>
          <Field id="x-search" label={t('events.x.addWork')}>
            <input id="x-search" value={search} onChange={(e) => setSearch(e.target.value)} />
          </Field>
          <ul className="plain">
            {hits.map((h) => (
              <li key={h.workId}>
                <button type="button" className="secondary" onClick={() => !works.some((w) => w.workId === h.workId) && setWorks([...works, h])}>+</button> {h.authors.map((a) => a.name).join(', ')}. {h.title}
              </li>
            ))}
          </ul>
        </FormRow>
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
        <FormRow onSubmit={() => void act(() => post('/api/events/exhibition-schedule', { schoolYear, month: line.month, title: line.title }))}>
          <Field id="sch-month" label={t('events.schedule.month')}>
            <select id="sch-month" value={line.month} onChange={(e) => setLine({ ...line, month: Number(e.target.value) })}>
              {PLAN_MONTHS.map((m) => <option key={m} value={m}>{t(`events.month.${m}`)}</option>)}
            </select>
          </Field>
          <Field id="sch-title" label={t('events.x.title')}>
            <input id="sch-title" value={line.title} onChange={(e) => setLine({ ...line, title: e.target.value })} required />
          </Field>
          <Field>
            <button type="submit" className="secondary" disabled={busy}>{t('events.schedule.add')}</button>
          </Field>
        </FormRow>
      )}
      {me?.role === 'admin' && (
        <PackageTransfer
          title={t('events.schedule.package')}
          help={t('events.schedule.packageHelp')}
          exportUrl={`/api/events/exhibition-schedule/package${query({ schoolYear })}`}
          importUrl="/api/events/exhibition-schedule/package"
          canTakeIn
          onDone={(text) => void act(async () => setNotice(text))}
          onError={setError}
        />
      )}
    </section>
  );
}

