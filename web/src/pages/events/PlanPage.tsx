import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post, del, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Field, FormRow } from '../../components/Field.js';
import { today } from '../../format.js';
import { isStaff, useSession } from '../../session.js';
import { useAction } from '../../useAction.js';
import { EVENT_FORMS, ENTRY_STATUSES, PLAN_MONTHS, PLAN_SECTIONS, WHEN_KINDS, schoolYearOf, shiftYear, type EventCounts, type PlanEntryView, type PlanView } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';
import { RowButton } from '../../components/RowButton.js';

interface Counts {
  from: string;
  to: string;
  events: EventCounts;
  exhibitions: { exhibitions: number; virtual: number; worksShown: number };
  clubs: { clubs: number; members: number; sessions: number; attendances: number };
}

/** Shared by the plan and events pages: the school year's figures as the annual report will count them. */
export function CountsPanel({ counts }: { counts: Counts | null }) {
  const { t } = useTranslation();
  if (!counts) return null;
  const e = counts.events;
  return (
    <div className="panel" data-testid="event-counts">
      <h2>{t('events.counts.title')}</h2>
      <dl className="figures">
        <div><dt>{t('events.counts.events')}</dt><dd data-testid="count-events">{e.events}</dd></div>
        <div><dt>{t('events.counts.fromPlan')}</dt><dd>{e.fromPlan}</dd></div>
        <div><dt>{t('events.held.pupils')}</dt><dd data-testid="count-pupils">{e.pupils}</dd></div>
        <div><dt>{t('events.held.teachers')}</dt><dd data-testid="count-teachers">{e.teachers}</dd></div>
        <div><dt>{t('events.held.parents')}</dt><dd data-testid="count-parents">{e.parents}</dd></div>
        <div><dt>{t('events.held.participants')}</dt><dd data-testid="count-participants">{e.participants}</dd></div>
        <div><dt>{t('events.counts.exhibitions')}</dt><dd>{counts.exhibitions.exhibitions}</dd></div>
        <div><dt>{t('events.counts.clubs')}</dt><dd>{counts.clubs.clubs}</dd></div>
        <div><dt>{t('events.counts.sessions')}</dt><dd>{counts.clubs.sessions}</dd></div>
      </dl>
    </div>
  );
}

export function countsOf(schoolYear: string) {
  const start = Number(schoolYear.slice(0, 4));
  return get<Counts>(`/api/events/counts${query({ from: `${start}-09-01`, to: `${start + 1}-08-31` })}`);
}

function whenText(t: (k: string, o?: Record<string, unknown>) => string, e: PlanEntryView) {
  if (e.whenKind === 'month' && e.monthFrom) return t(`events.month.${e.monthFrom}`);
  if (e.whenKind === 'range' && e.monthFrom) return e.monthTo ? `${t(`events.month.${e.monthFrom}`)}–${t(`events.month.${e.monthTo}`).toLowerCase()}` : t(`events.month.${e.monthFrom}`);
  return t(`events.when.${e.whenKind}`);
}

const emptyEntry = { section: 'mass_work', title: '', form: 'literary_hour', target: '', whenKind: 'month', monthFrom: 9, monthTo: 10, responsible: '' };

/** The annual work plan: entries by section, copied from last year in one action, approved, printed and submitted. */
export default function PlanPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const staff = isStaff(me);
  const [schoolYear, setSchoolYear] = useState(schoolYearOf(today()));
  const [plan, setPlan] = useState<PlanView | null>(null);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [draft, setDraft] = useState(emptyEntry);
  const [approval, setApproval] = useState({ approvedBy: '', approvedOn: today() });
  const [holding, setHolding] = useState<PlanEntryView | null>(null);
  const [held, setHeld] = useState({ heldOn: today(), classes: '', pupils: '0', teachers: '0', parents: '0' });

  const reload = async () => {
    const [p, c] = await Promise.all([get<{ plan: PlanView | null }>(`/api/events/plans/${schoolYear}`), countsOf(schoolYear)]);
    setPlan(p.plan);
    setCounts(c);
  };
  const { busy, error, setError, notice, setNotice, act } = useAction(reload);
  useEffect(() => void reload().catch(setError), [schoolYear]);

  const copy = () =>
    act(async () => {
      const from = shiftYear(schoolYear, -1);
      const r = await post<{ copied: number }>('/api/events/plans/copy', { fromYear: from, toYear: schoolYear });
      setNotice(t('events.copied', { count: r.copied, year: from }));
    });

  function add() {
    const body = {
      section: draft.section,
      title: draft.title,
      form: draft.form || null,
      target: draft.target || null,
      whenKind: draft.whenKind,
      monthFrom: draft.whenKind === 'month' || draft.whenKind === 'range' ? Number(draft.monthFrom) : null,
      monthTo: draft.whenKind === 'range' ? Number(draft.monthTo) : null,
      responsible: draft.responsible || null,
    };
    void act(async () => {
      await post(`/api/events/plans/${schoolYear}/entries`, body);
      setDraft({ ...draft, title: '' });
    });
  }

  function markHeld() {
    if (!holding) return;
    const entry = holding;
    void act(async () => {
      await post('/api/events/held', {
        heldOn: held.heldOn,
        title: entry.title,
        form: entry.form ?? 'other',
        classes: held.classes || entry.target || null,
        pupils: Number(held.pupils),
        teachers: Number(held.teachers),
        parents: Number(held.parents),
        planEntryId: entry.id,
      });
      setHolding(null);
      setNotice(t('events.held.saved'));
    });
  }

  const years = Array.from({ length: 5 }, (_, k) => shiftYear(schoolYearOf(today()), k - 3));
  let section = '';
  return (
    <section>
      <h1>{t('nav.events.plan')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && <div className="banner banner-ok" role="status">{notice}</div>}
      <div className="panel row">
        <Field id="plan-year" label={t('events.schoolYear')}>
          <select id="plan-year" value={schoolYear} onChange={(e) => setSchoolYear(e.target.value)}>
            {years.map((y) => <option key={y} value={y}>{y}</option>)}
          </select>
        </Field>
        {staff && (
          <Field>
            <button type="button" className="secondary" disabled={busy} onClick={() => void copy()}>{t('events.copyLastYear')}</button>
          </Field>
        )}
        {plan && (
          <>
            <Field>
              <span className="muted">{t('events.plan.status')}: {t(`events.planStatus.${plan.status}`)}</span>
            </Field>
            <Field>
              <a className="button secondary" href={`/api/events/plans/${schoolYear}/pdf`} target="_blank" rel="noreferrer">{t('events.pdf')}</a>
            </Field>
          </>
        )}
      </div>
      <CountsPanel counts={counts} />
      {!plan && <p className="muted">{t('events.plan.none')}</p>}
      {plan && (
        <TableScroll>
          <table>
            <thead>
              <tr>
                <th>{t('events.entry.title')}</th>
                <th>{t('events.entry.form')}</th>
                <th>{t('events.entry.target')}</th>
                <th>{t('events.entry.when')}</th>
                <th>{t('events.entry.responsible')}</th>
                <th>{t('events.entry.status')}</th>
                {staff && <th />}
              </tr>
            </thead>
            <tbody>
              {plan.entries.map((e) => {
                const head = e.section !== section;
                section = e.section;
                return [
                  head && (
                    <tr key={`s-${e.section}`} className="group-row">
                      <th colSpan={staff ? 7 : 6}>{t(`events.section.${e.section}`)}</th>
                    </tr>
                  ),
                  <tr key={e.id}>
                    <td>{e.title}</td>
                    <td>{e.form ? t(`events.form.${e.form}`) : ''}</td>
                    <td>{e.target ?? ''}</td>
                    <td>{whenText(t, e)}</td>
                    <td>{e.responsible ?? ''}</td>
                    <td>
                      {staff ? (
                        <select aria-label={t('events.entry.status')} value={e.status} onChange={(ev) => void act(() => post(`/api/events/plan-entries/${e.id}/status`, { status: ev.target.value }))}>
                          {ENTRY_STATUSES.map((s) => <option key={s} value={s}>{t(`events.status.${s}`)}</option>)}
                        </select>
                      ) : (
                        t(`events.status.${e.status}`)
                      )}
                    </td>
                    {staff && (
                      <td className="actions">
                        <button type="button" className="secondary" onClick={() => setHolding(e)}>{t('events.entry.markHeld')}</button>
                        <RowButton label={t('events.entry.remove')} row={e.title} disabled={busy} onClick={() => void act(() => del(`/api/events/plan-entries/${e.id}`))} />
                      </td>
                    )}
                  </tr>,
                ];
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      {holding && (
        <FormRow onSubmit={markHeld} label={t('events.held.add')}>
          <h2>{t('events.held.add')}: {holding.title}</h2>
          <Field id="held-date" label={t('events.held.date')}>
            <input id="held-date" type="date" value={held.heldOn} onChange={(e) => setHeld({ ...held, heldOn: e.target.value })} />
          </Field>
          <Field id="held-classes" label={t('events.held.classes')}>
            <input id="held-classes" value={held.classes} onChange={(e) => setHeld({ ...held, classes: e.target.value })} />
          </Field>
          {(['pupils', 'teachers', 'parents'] as const).map((k) => (
            <Field key={k} id={`held-${k}`} label={t(`events.held.${k}`)}>
              <input id={`held-${k}`} type="number" min={0} value={held[k]} onChange={(e) => setHeld({ ...held, [k]: e.target.value })} />
            </Field>
          ))}
          <Field>
            <button type="submit" disabled={busy}>{t('events.held.save')}</button>
          </Field>
        </FormRow>
      )}
      {staff && (
        <FormRow onSubmit={add}>
          <h2>{t('events.entry.add')}</h2>
          <Field id="pe-section" label={t('events.entry.section')}>
            <select id="pe-section" value={draft.section} onChange={(e) => setDraft({ ...draft, section: e.target.value })}>
              {PLAN_SECTIONS.map((s) => <option key={s} value={s}>{t(`events.section.${s}`)}</option>)}
            </select>
          </Field>
          <Field id="pe-title" label={t('events.entry.title')}>
            <input id="pe-title" value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} required />
          </Field>
          <Field id="pe-form" label={t('events.entry.form')}>
            <select id="pe-form" value={draft.form} onChange={(e) => setDraft({ ...draft, form: e.target.value })}>
              <option value="">—</option>
              {EVENT_FORMS.map((f) => <option key={f} value={f}>{t(`events.form.${f}`)}</option>)}
            </select>
          </Field>
          <Field id="pe-target" label={t('events.entry.target')}>
            <input id="pe-target" value={draft.target} onChange={(e) => setDraft({ ...draft, target: e.target.value })} />
          </Field>
          <Field id="pe-when" label={t('events.entry.when')}>
            <select id="pe-when" value={draft.whenKind} onChange={(e) => setDraft({ ...draft, whenKind: e.target.value })}>
              {WHEN_KINDS.map((w) => <option key={w} value={w}>{t(`events.when.${w}`)}</option>)}
            </select>
          </Field>
          {(draft.whenKind === 'month' || draft.whenKind === 'range') && (
            <Field id="pe-from" label={t('events.entry.monthFrom')}>
              <select id="pe-from" value={draft.monthFrom} onChange={(e) => setDraft({ ...draft, monthFrom: Number(e.target.value) })}>
                {PLAN_MONTHS.map((m) => <option key={m} value={m}>{t(`events.month.${m}`)}</option>)}
              </select>
            </Field>
          )}
          {draft.whenKind === 'range' && (
            <Field id="pe-to" label={t('events.entry.monthTo')}>
              <select id="pe-to" value={draft.monthTo} onChange={(e) => setDraft({ ...draft, monthTo: Number(e.target.value) })}>
                {PLAN_MONTHS.map((m) => <option key={m} value={m}>{t(`events.month.${m}`)}</option>)}
              </select>
            </Field>
          )}
          <Field id="pe-resp" label={t('events.entry.responsible')}>
            <input id="pe-resp" value={draft.responsible} onChange={(e) => setDraft({ ...draft, responsible: e.target.value })} />
          </Field>
          <Field>
            <button type="submit" disabled={busy}>{t('events.entry.addButton')}</button>
          </Field>
        </FormRow>
      )}
      {staff && plan && (
        <FormRow onSubmit={() => void act(() => post(`/api/events/plans/${schoolYear}/approve`, approval))}>
          <Field id="ap-by" label={t('events.approvedBy')}>
            <input id="ap-by" value={approval.approvedBy} onChange={(e) => setApproval({ ...approval, approvedBy: e.target.value })} required />
          </Field>
          <Field id="ap-on" label={t('events.approvedOn')}>
            <input id="ap-on" type="date" value={approval.approvedOn} onChange={(e) => setApproval({ ...approval, approvedOn: e.target.value })} />
          </Field>
          <Field>
            <button type="submit" className="secondary" disabled={busy}>{t('events.approve')}</button>
          </Field>
          <Field>
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void act(async () => {
                  await post(`/api/events/plans/${schoolYear}/submit`);
                  setNotice(t('events.submitted'));
                })
              }
            >
              {t('events.submit')}
            </button>
          </Field>
        </FormRow>
      )}
    </section>
  );
}
