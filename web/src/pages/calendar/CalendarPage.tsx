import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { Link, useNavigate } from 'react-router';
import { get, post, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { PackageTransfer } from '../../components/PackageTransfer.js';
import { formatDate, today } from '../../format.js';
import { useSession } from '../../session.js';
import type { SignificantDate } from '../../../../src/calendar/significant-dates.js';
import { TableScroll } from '../../components/TableScroll.js';

const KINDS = ['person', 'event', 'national_day', 'international_day', 'day'] as const;

function schoolYearOf(date: string): string {
  const y = Number(date.slice(0, 4));
  const start = Number(date.slice(5, 7)) >= 9 ? y : y - 1;
  return `${start}-${start + 1}`;
}

/** The calendar of significant dates: jubilees and days of a year or a school year, with the works held and an exhibition in one step. */
export default function CalendarPage() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const navigate = useNavigate();
  const staff = me?.role === 'librarian' || me?.role === 'admin';
  const [view, setView] = useState<'year' | 'schoolYear'>('schoolYear');
  const [year, setYear] = useState(Number(today().slice(0, 4)));
  const [schoolYear, setSchoolYear] = useState(schoolYearOf(today()));
  const [kind, setKind] = useState('');
  const [q, setQ] = useState('');
  const [items, setItems] = useState<SignificantDate[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [draft, setDraft] = useState({ kind: 'person', name: '', nameRu: '', year: '', month: '', day: '' });

  const params = () => ({ ...(view === 'year' ? { year } : { schoolYear }), kind: kind || undefined, q: q || undefined });
  const reload = () => get<{ items: SignificantDate[] }>(`/api/calendar/significant-dates${query(params())}`).then((r) => setItems(r.items), setError);
  useEffect(() => void reload(), [view, year, schoolYear, kind]);

  const nameOf = (i: SignificantDate) => (i18n.language === 'ru' ? (i.nameRu ?? i.name) : i18n.language === 'en' ? (i.nameEn ?? i.name) : i.name);

  async function makeExhibition(i: SignificantDate) {
    setError(null);
    try {
      const r = await post<{ id: number }>('/api/events/exhibitions/from-calendar', { key: i.key, year: i.year });
      void navigate(`/events/exhibitions?id=${r.id}`);
    } catch (err) {
      setError(err);
    }
  }

  async function addEntry(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const num = (v: string) => (v.trim() ? Number(v) : null);
      await post('/api/calendar/entries', { kind: draft.kind, name: draft.name, nameRu: draft.nameRu || null, year: num(draft.year), month: num(draft.month), day: num(draft.day) });
      setNotice(t('calendar.entry.saved'));
      setDraft({ ...draft, name: '', nameRu: '', year: '', month: '', day: '' });
      await reload();
    } catch (err) {
      setError(err);
    }
  }

  const years = Array.from({ length: 7 }, (_, k) => Number(today().slice(0, 4)) - 2 + k);
  let lastMonth = '';
  return (
    <section>
      <h1>{t('nav.calendar.dates')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && <div className="banner banner-ok">{notice}</div>}
      <form className="panel row" onSubmit={(e) => { e.preventDefault(); void reload(); }}>
        <div className="field">
          <label htmlFor="cal-view">{t('calendar.view')}</label>
          <select id="cal-view" value={view} onChange={(e) => setView(e.target.value as 'year' | 'schoolYear')}>
            <option value="schoolYear">{t('calendar.view.schoolYear')}</option>
            <option value="year">{t('calendar.view.year')}</option>
          </select>
        </div>
        {view === 'year' ? (
          <div className="field">
            <label htmlFor="cal-year">{t('calendar.year')}</label>
            <select id="cal-year" value={year} onChange={(e) => setYear(Number(e.target.value))}>
              {years.map((y) => <option key={y} value={y}>{y}</option>)}
            </select>
          </div>
        ) : (
          <div className="field">
            <label htmlFor="cal-school-year">{t('calendar.schoolYear')}</label>
            <select id="cal-school-year" value={schoolYear} onChange={(e) => setSchoolYear(e.target.value)}>
              {years.map((y) => <option key={y} value={`${y}-${y + 1}`}>{`${y}-${y + 1}`}</option>)}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="cal-kind">{t('calendar.kind')}</label>
          <select id="cal-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">{t('calendar.kind.all')}</option>
            {KINDS.map((k) => <option key={k} value={k}>{t(`calendar.kind.${k}`)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="cal-q">{t('calendar.search')}</label>
          <input id="cal-q" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="field">
          <a className="button secondary" href={`/api/calendar/significant-dates.pdf${query(params())}`} target="_blank" rel="noreferrer">{t('calendar.pdf')}</a>
        </div>
      </form>
      <p className="muted">{t('calendar.count', { count: items.length })}</p>
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th>{t('calendar.date')}</th>
              <th>{t('calendar.name')}</th>
              <th>{t('calendar.years')}</th>
              <th>{t('calendar.born')}</th>
              <th>{t('calendar.source')}</th>
              <th className="num">{t('calendar.works')}</th>
              {staff && <th />}
            </tr>
          </thead>
          <tbody>
            {items.map((i) => {
              const month = i.month ? `${i.year}-${i.month}` : `${i.year}-y`;
              const heading = month !== lastMonth;
              lastMonth = month;
              return [
                heading && (
                  <tr key={`h-${month}`} className="group-row">
                    <th colSpan={staff ? 7 : 6}>{i.month ? `${t(`calendar.month.${i.month}`)} ${i.year}` : t('calendar.yearOnly', { year: i.year })}</th>
                  </tr>
                ),
                <tr key={`${i.key}-${i.year}`} data-key={i.key}>
                  <td>{i.date ? formatDate(i.date) : i.year}</td>
                  <td>
                    {nameOf(i)}
                    {i.feb29 && <span className="muted"> ({t('calendar.feb29')})</span>}
                    {!i.inSchoolYear && <span className="muted"> — {t('calendar.outside')}</span>}
                  </td>
                  <td>{i.years !== null ? t('calendar.yearsValue', { years: i.years }) : t(`calendar.kind.${i.kind}`)}</td>
                  <td>{i.born ? (i.born.length === 10 ? formatDate(i.born) : i.born) : ''}</td>
                  <td>{i.addedBy ? i.addedBy.name : i.sources.map((s) => (s === 'organisation' ? '' : t(`calendar.source.${s}`))).filter(Boolean).join(', ')}</td>
                  <td className="num">{i.worksHeld > 0 ? <Link to={`/?q=${encodeURIComponent(i.name)}`}>{i.worksHeld}</Link> : ''}</td>
                  {staff && (
                    <td className="actions">
                      <button type="button" className="secondary" onClick={() => void makeExhibition(i)}>{t('calendar.makeExhibition')}</button>
                    </td>
                  )}
                </tr>,
              ];
            })}
            {items.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">{t('calendar.empty')}</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableScroll>
      {(staff || me?.role === 'methodologist') && (
        <form className="panel row" onSubmit={(e) => void addEntry(e)}>
          <h2>{t('calendar.add')}</h2>
          <div className="field">
            <label htmlFor="ce-kind">{t('calendar.entry.kind')}</label>
            <select id="ce-kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value })}>
              {['person', 'event', 'day'].map((k) => <option key={k} value={k}>{t(`calendar.entry.kind.${k}`)}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="ce-name">{t('calendar.entry.name')}</label>
            <input id="ce-name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} required />
          </div>
          <div className="field">
            <label htmlFor="ce-name-ru">{t('calendar.entry.nameRu')}</label>
            <input id="ce-name-ru" value={draft.nameRu} onChange={(e) => setDraft({ ...draft, nameRu: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="ce-year">{t('calendar.entry.year')}</label>
            <input id="ce-year" type="number" value={draft.year} onChange={(e) => setDraft({ ...draft, year: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="ce-month">{t('calendar.entry.month')}</label>
            <input id="ce-month" type="number" min={1} max={12} value={draft.month} onChange={(e) => setDraft({ ...draft, month: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="ce-day">{t('calendar.entry.day')}</label>
            <input id="ce-day" type="number" min={1} max={31} value={draft.day} onChange={(e) => setDraft({ ...draft, day: e.target.value })} />
          </div>
          <div className="field">
            <button type="submit">{t('calendar.entry.save')}</button>
          </div>
        </form>
      )}
      {(me?.role === 'admin' || me?.role === 'methodologist') && (
        <PackageTransfer
          title={t('calendar.package')}
          help={t('calendar.packageHelp')}
          exportUrl="/api/calendar/package"
          importUrl="/api/calendar/package"
          canTakeIn={me.role === 'admin'}
          onDone={(text) => {
            setNotice(text);
            void reload();
          }}
          onError={setError}
        />
      )}
    </section>
  );
}
