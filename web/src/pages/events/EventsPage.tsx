import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post, del, query, upload } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { CheckField, Field, FormRow } from '../../components/Field.js';
import { formatDate, today } from '../../format.js';
import { isStaff, useSession } from '../../session.js';
import { useAction } from '../../useAction.js';
import { CountsPanel, countsOf } from './PlanPage.js';
import { EVENT_FORMS, schoolYearOf, shiftYear, type EventView } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';
import { RowButton } from '../../components/RowButton.js';

/** Events held in a school year with their participants; recorded here or from the plan. */
export default function EventsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const staff = isStaff(me);
  const [schoolYear, setSchoolYear] = useState(schoolYearOf(today()));
  const [items, setItems] = useState<EventView[]>([]);
  const [counts, setCounts] = useState<Awaited<ReturnType<typeof countsOf>> | null>(null);
  const [draft, setDraft] = useState({ heldOn: today(), title: '', form: 'literary_hour', classes: '', pupils: '0', teachers: '0', parents: '0', others: '0', isPublic: false });

  const start = Number(schoolYear.slice(0, 4));
  const reload = async () => {
    const [list, c] = await Promise.all([get<{ items: EventView[] }>(`/api/events/held${query({ from: `${start}-09-01`, to: `${start + 1}-08-31` })}`), countsOf(schoolYear)]);
    setItems(list.items);
    setCounts(c);
  };
  const { busy, error, setError, notice, setNotice, act } = useAction(reload);
  useEffect(() => void reload().catch(setError), [schoolYear]);

  function add() {
    void act(async () => {
      await post('/api/events/held', {
        heldOn: draft.heldOn,
        title: draft.title,
        form: draft.form,
        classes: draft.classes || null,
        pupils: Number(draft.pupils),
        teachers: Number(draft.teachers),
        parents: Number(draft.parents),
        others: Number(draft.others),
        isPublic: draft.isPublic,
      });
      setDraft({ ...draft, title: '' });
      setNotice(t('events.held.saved'));
    });
  }

  const years = Array.from({ length: 5 }, (_, k) => shiftYear(schoolYearOf(today()), k - 3));
  return (
    <section>
      <h1>{t('nav.events.held')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && <div className="banner banner-ok" role="status">{notice}</div>}
      <div className="panel row">
        <Field id="ev-year" label={t('events.schoolYear')}>
          <select id="ev-year" value={schoolYear} onChange={(e) => setSchoolYear(e.target.value)}>
            {years.map((y) => <option key={y} value={y}>{y}</option>)}
          </select>
        </Field>
      </div>
      <CountsPanel counts={counts} />
      {staff && (
        <FormRow onSubmit={add}>
          <h2>{t('events.held.add')}</h2>
          <Field id="ev-date" label={t('events.held.date')}>
            <input id="ev-date" type="date" value={draft.heldOn} onChange={(e) => setDraft({ ...draft, heldOn: e.target.value })} required />
          </Field>
          <Field id="ev-title" label={t('events.entry.title')}>
            <input id="ev-title" value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} required />
          </Field>
          <Field id="ev-form" label={t('events.entry.form')}>
            <select id="ev-form" value={draft.form} onChange={(e) => setDraft({ ...draft, form: e.target.value })}>
              {EVENT_FORMS.map((f) => <option key={f} value={f}>{t(`events.form.${f}`)}</option>)}
            </select>
          </Field>
          <Field id="ev-classes" label={t('events.held.classes')}>
            <input id="ev-classes" value={draft.classes} onChange={(e) => setDraft({ ...draft, classes: e.target.value })} />
          </Field>
          {(['pupils', 'teachers', 'parents', 'others'] as const).map((k) => (
            <Field key={k} id={`ev-${k}`} label={t(`events.held.${k}`)}>
              <input id={`ev-${k}`} type="number" min={0} value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} />
            </Field>
          ))}
          <CheckField label={t('events.held.public')} checked={draft.isPublic} onChange={(isPublic) => setDraft({ ...draft, isPublic })} />
          <Field>
            <button type="submit" disabled={busy}>{t('events.held.save')}</button>
          </Field>
        </FormRow>
      )}
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th>{t('events.held.date')}</th>
              <th>{t('events.entry.title')}</th>
              <th>{t('events.entry.form')}</th>
              <th>{t('events.held.classes')}</th>
              <th className="num">{t('events.held.pupils')}</th>
              <th className="num">{t('events.held.teachers')}</th>
              <th className="num">{t('events.held.parents')}</th>
              <th className="num">{t('events.held.participants')}</th>
              <th>{t('events.held.planEntry')}</th>
              {staff && <th />}
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>{formatDate(e.heldOn)}</td>
                <td>
                  {e.title}
                  {e.photos.map((p) => (
                    <a key={p} href={`/api/events/photos/${p}`} target="_blank" rel="noreferrer"> 📷</a>
                  ))}
                </td>
                <td>{t(`events.form.${e.form}`)}</td>
                <td>{e.classes ?? ''}</td>
                <td className="num">{e.pupils}</td>
                <td className="num">{e.teachers}</td>
                <td className="num">{e.parents}</td>
                <td className="num">{e.participants}</td>
                <td>{e.planEntryTitle ?? ''}</td>
                {staff && (
                  <td className="actions">
                    <label className="button secondary">
                      {t('events.held.photo')}
                      <input
                        type="file"
                        accept="image/jpeg,image/png"
                        hidden
                        onChange={(ev) => {
                          const file = ev.target.files?.[0];
                          if (file) void act(() => upload(`/api/events/held/${e.id}/photos`, file));
                        }}
                      />
                    </label>
                    <RowButton label={t('events.entry.remove')} row={e.title} disabled={busy} onClick={() => void act(() => del(`/api/events/held/${e.id}`))} />
                  </td>
                )}
              </tr>
            ))}
            {items.length === 0 && (
              <tr>
                <td colSpan={10} className="muted">{t('events.held.empty')}</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
