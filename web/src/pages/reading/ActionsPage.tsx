import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { del, get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { TableScroll } from '../../components/TableScroll.js';
import { formatDate, formatNumber } from '../../format.js';
import { useSession } from '../../session.js';
import { useAction } from '../../useAction.js';
import { todayLocal } from './common.js';

type Kind = 'one_author' | 'six_months';
interface ReadingAction {
  id: number;
  kind: Kind;
  title: string;
  author: string | null;
  startsOn: string;
  endsOn: string;
  booksPerMonth: number;
}
interface Results {
  action: ReadingAction;
  classes: { className: string; pupils: number; done: number; books: number; share: number }[];
  readers: { readerId: number; name: string; className: string | null; books: number; months: number[] | null; done: boolean }[];
}

/** Biblio-cross actions: "we read one author together" and "six months of reading", counted from confirmed records. */
export default function ActionsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const staff = me?.role === 'librarian' || me?.role === 'admin';
  const [items, setItems] = useState<ReadingAction[]>([]);
  const [chosen, setChosen] = useState<number | null>(null);
  const [results, setResults] = useState<Results | null>(null);
  const { busy, error, setError, notice, act } = useAction();
  const [draft, setDraft] = useState({ kind: 'one_author' as Kind, title: '', author: '', startsOn: todayLocal(), endsOn: '', booksPerMonth: 1 });

  const load = useCallback(async () => {
    const list = (await get<{ items: ReadingAction[] }>('/api/reading/actions')).items;
    setItems(list);
    setChosen((c) => (c && list.some((a) => a.id === c) ? c : (list[0]?.id ?? null)));
  }, []);
  useEffect(() => {
    load().catch(setError);
  }, [load, setError]);
  useEffect(() => {
    if (chosen) get<Results>(`/api/reading/actions/${chosen}/results`).then(setResults, setError);
    else setResults(null);
  }, [chosen, setError]);

  function create(e: FormEvent) {
    e.preventDefault();
    void act(async () => {
      const body = draft.kind === 'one_author' ? { kind: draft.kind, title: draft.title, author: draft.author, startsOn: draft.startsOn, endsOn: draft.endsOn } : { kind: draft.kind, title: draft.title, startsOn: draft.startsOn, booksPerMonth: draft.booksPerMonth };
      const made = await post<ReadingAction>('/api/reading/actions', body);
      setDraft({ ...draft, title: '', author: '' });
      await load();
      setChosen(made.id);
    });
  }
  const remove = (a: ReadingAction) =>
    act(async () => {
      if (!window.confirm(t('reading.actions.confirmRemove', { title: a.title }))) return;
      await del(`/api/reading/actions/${a.id}`);
      await load();
    });

  const six = results?.action.kind === 'six_months';
  return (
    <section>
      <h1>{t('nav.reading.actions')}</h1>
      <p className="muted">{t('reading.actions.intro')}</p>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && (
        <p className="banner banner-ok" role="status">
          {notice}
        </p>
      )}
      {staff && (
        <form className="panel row" onSubmit={create}>
          <div className="field">
            <label htmlFor="action-kind">{t('reading.actions.kind')}</label>
            <select id="action-kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as Kind })}>
              <option value="one_author">{t('reading.actions.kind.one_author')}</option>
              <option value="six_months">{t('reading.actions.kind.six_months')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="action-title">{t('reading.actions.title')}</label>
            <input id="action-title" value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} required maxLength={300} />
          </div>
          {draft.kind === 'one_author' ? (
            <>
              <div className="field">
                <label htmlFor="action-author">{t('reading.actions.author')}</label>
                <input id="action-author" value={draft.author} onChange={(e) => setDraft({ ...draft, author: e.target.value })} required maxLength={300} />
              </div>
              <div className="field">
                <label htmlFor="action-from">{t('reading.actions.startsOn')}</label>
                <input id="action-from" type="date" value={draft.startsOn} onChange={(e) => setDraft({ ...draft, startsOn: e.target.value })} required />
              </div>
              <div className="field">
                <label htmlFor="action-to">{t('reading.actions.endsOn')}</label>
                <input id="action-to" type="date" value={draft.endsOn} onChange={(e) => setDraft({ ...draft, endsOn: e.target.value })} required />
              </div>
            </>
          ) : (
            <>
              <div className="field">
                <label htmlFor="action-from">{t('reading.actions.firstMonth')}</label>
                <input id="action-from" type="date" value={draft.startsOn} onChange={(e) => setDraft({ ...draft, startsOn: e.target.value })} required />
              </div>
              <div className="field">
                <label htmlFor="action-per-month">{t('reading.actions.booksPerMonth')}</label>
                <input id="action-per-month" type="number" min={1} max={31} value={draft.booksPerMonth} onChange={(e) => setDraft({ ...draft, booksPerMonth: Number(e.target.value) })} />
              </div>
            </>
          )}
          <div className="field">
            <button type="submit" disabled={busy}>
              {t('reading.actions.create')}
            </button>
          </div>
        </form>
      )}
      {items.length === 0 ? (
        <p className="muted">{t('reading.actions.none')}</p>
      ) : (
        <p>
          {items.map((a) => (
            <button key={a.id} type="button" className={a.id === chosen ? '' : 'secondary'} aria-pressed={a.id === chosen} onClick={() => setChosen(a.id)}>
              {a.title} · {formatDate(a.startsOn)}–{formatDate(a.endsOn)}
            </button>
          ))}
        </p>
      )}
      {results && (
        <div className="panel">
          <h2>{results.action.title}</h2>
          <p>
            {results.action.kind === 'one_author'
              ? t('reading.actions.aboutAuthor', { author: results.action.author, from: formatDate(results.action.startsOn), to: formatDate(results.action.endsOn) })
              : t('reading.actions.aboutSix', { count: results.action.booksPerMonth, from: formatDate(results.action.startsOn), to: formatDate(results.action.endsOn) })}
          </p>
          <TableScroll label={t('reading.actions.byClass')}>
            <table>
              <caption className="visually-hidden">{t('reading.actions.byClass')}</caption>
              <thead>
                <tr>
                  <th>{t('reading.actions.class')}</th>
                  <th className="num">{t('reading.actions.pupils')}</th>
                  <th className="num">{six ? t('reading.actions.finished') : t('reading.actions.read')}</th>
                  <th className="num">{t('reading.actions.books')}</th>
                  <th className="num">%</th>
                </tr>
              </thead>
              <tbody>
                {results.classes.map((c) => (
                  <tr key={c.className}>
                    <td>{c.className}</td>
                    <td className="num">{formatNumber(c.pupils)}</td>
                    <td className="num">{formatNumber(c.done)}</td>
                    <td className="num">{formatNumber(c.books)}</td>
                    <td className="num">{formatNumber(c.share)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {results.readers.length > 0 && (
            <TableScroll label={t('reading.actions.byReader')}>
              <table>
                <caption className="visually-hidden">{t('reading.actions.byReader')}</caption>
                <thead>
                  <tr>
                    <th>{t('reading.actions.reader')}</th>
                    <th>{t('reading.actions.class')}</th>
                    <th className="num">{t('reading.actions.books')}</th>
                    {six && <th>{t('reading.actions.months')}</th>}
                    <th>{t('reading.actions.done')}</th>
                  </tr>
                </thead>
                <tbody>
                  {results.readers.map((r) => (
                    <tr key={r.readerId}>
                      <td>{r.name}</td>
                      <td>{r.className ?? ''}</td>
                      <td className="num">{formatNumber(r.books)}</td>
                      {six && <td>{r.months?.join(' · ')}</td>}
                      <td>{r.done ? t('reading.actions.yes') : t('reading.actions.notYet')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
          {staff && (
            <button type="button" className="secondary" disabled={busy} onClick={() => void remove(results.action)}>
              {t('reading.actions.remove', { title: results.action.title })}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
