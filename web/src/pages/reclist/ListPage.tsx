import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { download, get, query, upload } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDateTime, formatNumber } from '../../format.js';
import { useSession } from '../../session.js';
import type { Category } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';

interface Version {
  year: number;
  sourceName: string | null;
  importedAt: string;
  titles: number;
  byCategory: { category: Category; titles: number }[];
}

interface Preview {
  year: number | null;
  valid: number;
  errors: { line: number; code: string; message: string }[];
  added: number;
  removed: number;
}

interface Entry {
  id: number;
  title: string;
  author: string;
  category: Category;
}

/** The yearly versions of the list, the import of a new year (checked first) and the comparison of two years. */
export default function ListPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [versions, setVersions] = useState<Version[]>([]);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [diff, setDiff] = useState<{ added: Entry[]; removed: Entry[] } | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    get<{ items: Version[] }>('/api/reclist/versions').then((r) => {
      setVersions(r.items);
      if (r.items.length >= 2) {
        setTo(String(r.items[0]!.year));
        setFrom(String(r.items[1]!.year));
      }
    }, setError);
  }, []);
  useEffect(load, [load]);

  async function check(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setNotice(null);
    try {
      setPreview(await upload<Preview>('/api/reclist/versions/preview', file));
    } catch (err) {
      setError(err);
    }
  }

  async function importFile() {
    if (!file) return;
    setError(null);
    try {
      const result = await upload<{ year: number; entries: number }>('/api/reclist/versions', file);
      setNotice(t('reclist.list.imported', { year: result.year, entries: formatNumber(result.entries) }));
      setPreview(null);
      load();
    } catch (err) {
      setError(err);
    }
  }

  async function compare(e: FormEvent) {
    e.preventDefault();
    setError(null);
    get<{ added: Entry[]; removed: Entry[] }>(`/api/reclist/diff${query({ from, to })}`).then(setDiff, setError);
  }

  return (
    <section>
      <h1>{t('nav.reclist.list')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && <p className="banner banner-ok">{notice}</p>}
      <div className="panel">
        <h2>{t('reclist.list.versions')}</h2>
        {versions.length === 0 && <p className="muted">{t('reclist.noList')}</p>}
        <TableScroll>
          <table>
            <thead>
              <tr>
                <th>{t('reclist.listYear')}</th>
                <th className="num">{t('reclist.titles')}</th>
                {versions[0]?.byCategory.map((c) => (
                  <th key={c.category} className="num">
                    {t(`reclist.category.${c.category}`)}
                  </th>
                ))}
                <th />
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.year}>
                  <td>{v.year}</td>
                  <td className="num">{formatNumber(v.titles)}</td>
                  {v.byCategory.map((c) => (
                    <td key={c.category} className="num">
                      {formatNumber(c.titles)}
                    </td>
                  ))}
                  <td className="muted">
                    {v.sourceName} {formatDateTime(v.importedAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </div>
      {me?.role === 'admin' && (
        <form className="panel" onSubmit={(e) => void check(e)}>
          <div className="row">
            <div className="field">
              <label htmlFor="list-file">{t('reclist.list.upload')}</label>
              <input id="list-file" type="file" accept=".csv,.xlsx,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            </div>
            <div className="field">
              <button type="submit" className="secondary" disabled={!file}>
                {t('reclist.list.check')}
              </button>
            </div>
          </div>
          {preview && (
            <>
              <p>{t('reclist.list.previewOk', { year: preview.year ?? '—', valid: preview.valid, added: preview.added, removed: preview.removed })}</p>
              {preview.errors.length > 0 ? (
                <>
                  <h3>{t('reclist.list.errors')}</h3>
                  <table>
                    <thead>
                      <tr>
                        <th className="num">{t('reclist.list.line')}</th>
                        <th />
                      </tr>
                    </thead>
                    <tbody>
                      {preview.errors.map((err) => (
                        <tr key={`${err.line}-${err.code}`} className="overdue">
                          <td className="num">{err.line}</td>
                          <td>{err.message}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              ) : (
                <button type="button" onClick={() => void importFile()}>
                  {t('reclist.list.import')}
                </button>
              )}
            </>
          )}
        </form>
      )}
      {versions.length >= 2 && (
        <form className="panel" onSubmit={(e) => void compare(e)}>
          <h2>{t('reclist.list.diff')}</h2>
          <div className="row">
            {[
              ['diff-from', from, setFrom],
              ['diff-to', to, setTo],
            ].map(([id, value, set]) => (
              <div className="field" key={id as string}>
                <select id={id as string} aria-label={t('reclist.listYear')} value={value as string} onChange={(e) => (set as (v: string) => void)(e.target.value)}>
                  {versions.map((v) => (
                    <option key={v.year} value={v.year}>
                      {v.year}
                    </option>
                  ))}
                </select>
              </div>
            ))}
            <div className="field">
              <button type="submit" className="secondary">
                {t('reclist.list.compare')}
              </button>
            </div>
          </div>
          {diff && (
            <div className="row" style={{ alignItems: 'flex-start' }}>
              {(
                [
                  ['reclist.list.added', diff.added],
                  ['reclist.list.removed', diff.removed],
                ] as const
              ).map(([key, entries]) => (
                <div key={key} style={{ flex: 1, minWidth: '16rem' }}>
                  <h3>
                    {t(key)} ({entries.length})
                  </h3>
                  <ul>
                    {entries.map((e) => (
                      <li key={e.id}>
                        {e.title} <span className="muted">{e.author}</span>
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          )}
        </form>
      )}
      {me?.role === 'librarian' && (
        <div className="panel">
          <button type="button" className="secondary" onClick={() => void download('/api/reclist/package').catch(setError)}>
            {t('reclist.monitoring.packageExport')}
          </button>
        </div>
      )}
    </section>
  );
}
