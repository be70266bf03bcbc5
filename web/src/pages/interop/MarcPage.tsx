import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { download, get, post, query, upload } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { HoldingsPreview } from './HoldingsPreview.js';
import { formatDateTime, formatNumber } from '../../format.js';
import type { BatchView, ImportPreview, PreviewProblem } from '../../../../src/interop/imports.js';
import { TableScroll } from '../../components/TableScroll.js';

/** Problems and errors arrive translated: the server adds each one's message in the user's language. */
type Problem = PreviewProblem & { message: string };
type Preview = Omit<ImportPreview, 'problems'> & { problems: Problem[] };
type Batch = Omit<BatchView, 'error'> & { error: (NonNullable<BatchView['error']> & { message: string }) | null };
type Report = Batch & { problems: Problem[] };

const ENCODINGS = ['', 'utf8', 'marc8', 'cp1251', 'cp866', 'kz1048'];
const MATCHING = ['merge', 'keep', 'skip'] as const;
const FORMATS = ['', 'marc21', 'unimarc'];

/**
 * Exchange with other library systems: a MARC file is checked first (counts and problems with
 * their record numbers), then imported with a progress bar, reported, and can be undone. The
 * catalogue or a search can be exported as MARC 21.
 */
export default function MarcPage() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [encoding, setEncoding] = useState('');
  const [format, setFormat] = useState('');
  const [matching, setMatching] = useState<(typeof MATCHING)[number]>('merge');
  const [holdings, setHoldings] = useState(true);
  const [profile, setProfile] = useState('auto');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [history, setHistory] = useState<Batch[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const loadHistory = useCallback(() => {
    get<{ items: Batch[] }>('/api/interop/imports?limit=20')
      .then((page) => setHistory(page.items))
      .catch(setError);
  }, []);
  useEffect(loadHistory, [loadHistory]);

  // while an import runs, its progress is asked for every second
  useEffect(() => {
    if (!report || report.status !== 'running') return;
    const timer = setTimeout(() => {
      get<Report>(`/api/interop/imports/${report.id}`)
        .then((next) => {
          setReport(next);
          if (next.status !== 'running') loadHistory();
        })
        .catch(setError);
    }, 1000);
    return () => clearTimeout(timer);
  }, [report, loadHistory]);

  async function step<T>(work: () => Promise<T>, done: (value: T) => void) {
    setBusy(true);
    setError(null);
    try {
      done(await work());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  function check(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setReport(null);
    void step(() => upload<Preview>(`/api/interop/imports/preview${query({ encoding, format, holdingsProfile: profile })}`, file), setPreview);
  }

  /** Another holdings profile: the same file read again with it. */
  function chooseProfile(key: string) {
    setProfile(key);
    if (!file) return;
    void step(() => upload<Preview>(`/api/interop/imports/preview${query({ encoding, format, holdingsProfile: key })}`, file), setPreview);
  }

  function runImport() {
    if (!file) return;
    void step(() => upload<Report>(`/api/interop/imports${query({ encoding, format, matching, holdings, holdingsProfile: profile })}`, file), (batch) => {
      setReport({ ...batch, problems: [] });
      setPreview(null);
      loadHistory();
    });
  }

  function open(id: number) {
    void step(() => get<Report>(`/api/interop/imports/${id}`), setReport);
  }

  /** An import cut short by a server stop goes on from where it stopped, given the same file again. */
  function resume(id: number, again: File | undefined) {
    if (!again) return;
    void step(() => upload<Report>(`/api/interop/imports/${id}/resume`, again), (batch) => {
      setReport({ ...batch, problems: [] });
      loadHistory();
    });
  }

  function undo(id: number) {
    if (!window.confirm(t('interop.undoConfirm'))) return;
    void step(() => post<Batch>(`/api/interop/imports/${id}/undo`), () => {
      loadHistory();
      open(id);
    });
  }

  return (
    <section>
      <h1>{t('nav.interop.marc')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <form className="panel" onSubmit={check}>
        <h2>{t('interop.import.title')}</h2>
        <div className="field">
          <label htmlFor="marc-file">{t('interop.import.file')}</label>
          <input id="marc-file" type="file" accept=".mrc,.iso,.marc,.xml,.dat" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <span className="field-hint">{t('interop.import.fileHint')}</span>
        </div>
        <div className="row">
          <div className="field">
            <label htmlFor="marc-encoding">{t('interop.import.encoding')}</label>
            <select id="marc-encoding" value={encoding} onChange={(e) => setEncoding(e.target.value)}>
              {ENCODINGS.map((e) => (
                <option key={e} value={e}>
                  {e ? t(`interop.encoding.${e}`) : t('interop.encoding.detect')}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="marc-format">{t('interop.import.format')}</label>
            <select id="marc-format" value={format} onChange={(e) => setFormat(e.target.value)}>
              {FORMATS.map((f) => (
                <option key={f} value={f}>
                  {t(`interop.format.${f || 'detect'}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="marc-matching">{t('interop.import.matching')}</label>
            <select id="marc-matching" value={matching} onChange={(e) => setMatching(e.target.value as (typeof MATCHING)[number])}>
              {MATCHING.map((m) => (
                <option key={m} value={m}>
                  {t(`interop.matching.${m}`)}
                </option>
              ))}
            </select>
          </div>
          <label className="field">
            <input type="checkbox" checked={holdings} onChange={(e) => setHoldings(e.target.checked)} /> {t('interop.import.holdings')}
          </label>
        </div>
        <button type="submit" disabled={!file || busy}>
          {t('interop.import.check')}
        </button>
      </form>

      {preview && (
        <div className="panel">
          <h2>{t('interop.preview.title')}</h2>
          <p>
            {t('interop.preview.summary', {
              total: formatNumber(preview.total),
              readable: formatNumber(preview.readable),
              errors: formatNumber(preview.errors),
              matches: formatNumber(preview.matches),
              copies: formatNumber(preview.copies),
              format: t(`interop.format.${preview.format}`),
              encoding: t(`interop.encoding.${preview.encoding}`),
            })}
          </p>
          <table>
            <thead>
              <tr>
                <th>№</th>
                <th>{t('interop.field.title')}</th>
                <th>{t('interop.field.authors')}</th>
                <th>ISBN</th>
                <th>{t('interop.field.udcBbk')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.samples.map((s) => (
                <tr key={s.position}>
                  <td>{s.position}</td>
                  <td>{s.title}</td>
                  <td>{s.authors.join('; ')}</td>
                  <td>{s.isbn ?? ''}</td>
                  <td>{[s.udc, s.bbk].filter(Boolean).join(' · ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {holdings && <HoldingsPreview preview={preview} profile={profile} onProfile={chooseProfile} busy={busy} />}
          <Problems problems={preview.problems} />
          <button type="button" onClick={runImport} disabled={busy || preview.readable === 0}>
            {t('interop.import.run', { count: preview.readable })}
          </button>
        </div>
      )}

      {report && (
        <div className="panel" aria-live="polite">
          <h2>{t('interop.report.title', { file: report.fileName })}</h2>
          <progress max={report.total || 1} value={report.processed} aria-label={t('interop.report.progress')} />
          <p>
            {t(`interop.status.${report.status}`)} · {formatNumber(report.processed)} / {formatNumber(report.total)}
          </p>
          <p>
            {t('interop.report.counts', {
              created: formatNumber(report.created),
              merged: formatNumber(report.merged),
              skipped: formatNumber(report.skipped),
              failed: formatNumber(report.failed),
              copies: formatNumber(report.copies),
            })}
          </p>
          <Problems problems={report.problems} />
        </div>
      )}

      <div className="panel">
        <h2>{t('interop.history.title')}</h2>
        {history?.length === 0 && <p className="muted">{t('interop.history.none')}</p>}
        {!!history?.length && (
          <TableScroll>
            <table>
              <thead>
                <tr>
                  <th>{t('interop.history.when')}</th>
                  <th>{t('interop.import.file')}</th>
                  <th>{t('interop.history.status')}</th>
                  <th>{t('interop.history.records')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {history.map((b) => (
                  <tr key={b.id}>
                    <td>{formatDateTime(b.createdAt)}</td>
                    <td>
                      <button type="button" onClick={() => open(b.id)}>
                        {b.fileName}
                      </button>
                    </td>
                    <td>
                      {t(`interop.status.${b.status}`)}
                      {b.error && <div className="muted">{b.error.message}</div>}
                    </td>
                    <td>
                      {formatNumber(b.created + b.merged)} / {formatNumber(b.total)}
                    </td>
                    <td>
                      {(b.status === 'done' || (b.status === 'failed' && b.created + b.merged > 0)) && (
                        <button type="button" disabled={busy} onClick={() => undo(b.id)}>
                          {t('interop.undo')}
                        </button>
                      )}
                      {b.error?.code === 'interop.import_interrupted' && (
                        <label>
                          {t('interop.resume')}{' '}
                          <input type="file" disabled={busy} onChange={(e) => resume(b.id, e.target.files?.[0])} />
                        </label>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </div>

      <ExportPanel onError={setError} />
    </section>
  );
}

function Problems({ problems }: { problems: Problem[] }) {
  const { t } = useTranslation();
  if (!problems.length) return null;
  return (
    <details open={problems.some((p) => p.severity === 'error')}>
      <summary>{t('interop.problems', { count: problems.length })}</summary>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            <span className={p.severity === 'error' ? 'badge badge-none' : 'badge'}>{p.severity === 'error' ? '✗' : '!'}</span> {t('interop.problemAt', { position: p.position, offset: p.offset ?? '—' })}: {p.message}
          </li>
        ))}
      </ul>
    </details>
  );
}

function ExportPanel({ onError }: { onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [format, setFormat] = useState<'iso2709' | 'marcxml'>('iso2709');

  function submit(e: FormEvent) {
    e.preventDefault();
    download('/api/interop/export', { query: search.trim(), format, holdings: true }).catch(onError);
  }

  return (
    <form className="panel" onSubmit={submit}>
      <h2>{t('interop.export.title')}</h2>
      <div className="row">
        <div className="field">
          <label htmlFor="marc-export-q">{t('interop.export.query')}</label>
          <input id="marc-export-q" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t('interop.export.queryHint')} />
        </div>
        <div className="field">
          <label htmlFor="marc-export-format">{t('interop.export.format')}</label>
          <select id="marc-export-format" value={format} onChange={(e) => setFormat(e.target.value as 'iso2709' | 'marcxml')}>
            <option value="iso2709">MARC 21 (ISO 2709, UTF-8)</option>
            <option value="marcxml">MARCXML</option>
          </select>
        </div>
      </div>
      <button type="submit">{t('interop.export.run')}</button>
    </form>
  );
}
