import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { Link, useSearchParams } from 'react-router';
import { download, get, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Pager } from '../../components/Pager.js';
import { formatNumber } from '../../format.js';
import { classLabel, type ClassCount, type Reader } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';

const LIMIT = 50;

/** Readers class by class, a search over names, numbers and card barcodes, and printing of cards. */
export default function ReadersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const grade = params.get('grade') ?? '';
  const classLetter = params.get('classLetter') ?? '';
  const offset = Number(params.get('offset') ?? 0) || 0;
  const [text, setText] = useState(q);
  const [classes, setClasses] = useState<ClassCount[]>([]);
  const [page, setPage] = useState<{ items: Reader[]; total: number } | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    get<ClassCount[]>('/api/readers/classes').then(setClasses, setError);
  }, []);

  useEffect(() => {
    setSelected(new Set());
    get<{ items: Reader[]; total: number }>(`/api/readers${query({ q, grade, classLetter, limit: LIMIT, offset })}`).then(setPage, setError);
  }, [q, grade, classLetter, offset]);

  function search(e: FormEvent) {
    e.preventDefault();
    setParams(text.trim() ? { q: text.trim() } : {});
  }

  function toggle(id: number) {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  }

  async function printCards() {
    setError(null);
    const selection = selected.size > 0 ? { readerIds: [...selected] } : { grade: grade ? Number(grade) : undefined, classLetter: classLetter || undefined };
    try {
      await download('/api/readers/cards', selection);
    } catch (err) {
      setError(err);
    }
  }

  const classChosen = grade !== '';
  return (
    <section>
      <h1>{t('nav.readers.list')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <form className="search-box" role="search" onSubmit={search}>
        <label htmlFor="readers-q" className="visually-hidden">
          {t('readers.search')}
        </label>
        <input id="readers-q" type="search" autoFocus value={text} placeholder={t('readers.search')} onChange={(e) => setText(e.target.value)} />
        <button type="submit">{t('common.search')}</button>
      </form>
      <nav className="class-list" aria-label={t('readers.classes')}>
        <Link to="/readers" className={!classChosen && !q ? 'button' : 'button secondary'}>
          {t('readers.allReaders')}
        </Link>
        {classes.map((c) => {
          const active = grade === String(c.grade) && classLetter === (c.classLetter ?? '');
          return (
            <Link
              key={classLabel(c)}
              className={active ? 'button' : 'button secondary'}
              aria-current={active ? 'page' : undefined}
              to={`/readers${query({ grade: c.grade, classLetter: c.classLetter })}`}
            >
              {classLabel(c)} <span className="muted-inline">({formatNumber(c.count)})</span>
            </Link>
          );
        })}
      </nav>
      <div className="actions">
        <Link className="button secondary" to="/readers/new">
          {t('readers.new')}
        </Link>
        <button type="button" disabled={selected.size === 0 && !classChosen} onClick={() => void printCards()}>
          {selected.size > 0 ? t('readers.cards.selected', { count: selected.size }) : t('readers.cards.class')}
        </button>
      </div>
      {page && (
        <>
          <p className="muted">{t('common.total', { count: page.total })}</p>
          <TableScroll>
            <table>
              <thead>
                <tr>
                  <th>
                    <span className="visually-hidden">{t('readers.select')}</span>
                  </th>
                  <th>{t('readers.fullName')}</th>
                  <th>{t('readers.class')}</th>
                  <th className="hide-narrow">{t('readers.registrationNumber')}</th>
                  <th className="hide-narrow">{t('readers.barcode')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <input type="checkbox" checked={selected.has(r.id)} onChange={() => toggle(r.id)} aria-label={t('readers.selectOne', { name: r.fullName })} />
                    </td>
                    <td>
                      <Link to={`/readers/${r.id}`}>{r.fullName}</Link>
                    </td>
                    <td>{r.className ?? t(`readers.kind.${r.kind}`)}</td>
                    <td className="hide-narrow">{r.registrationNumber}</td>
                    <td className="hide-narrow">{r.barcode}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <Pager offset={offset} limit={LIMIT} total={page.total} onChange={(o) => setParams({ ...Object.fromEntries(params), offset: String(o) })} />
        </>
      )}
    </section>
  );
}
