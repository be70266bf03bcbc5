import { useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { download, upload } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate, formatNumber } from '../../format.js';
import { TableScroll } from '../../components/TableScroll.js';

interface RowError {
  code: string;
  message: string;
}

interface Preview {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  columns: { header: string; field: string | null }[];
  rows: {
    line: number;
    values: { lastName: string | null; firstName: string | null; middleName: string | null; grade: number | null; classLetter: string | null; birthDate: string | null; parentName: string | null; parentPhone: string | null };
    errors: RowError[];
  }[];
  validCount: number;
  invalidCount: number;
}

interface ImportResult {
  imported: { line: number; readerId: number; registrationNumber: string; barcode: string; fullName: string }[];
  rejected: { line: number; errors: RowError[] }[];
}

/**
 * The class roster import, in three steps: choose the file, check every row, import.
 * Nothing is written until the librarian has seen the check.
 */
export default function ImportPage() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [grade, setGrade] = useState('');
  const [letter, setLetter] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const fields = (extra: Record<string, string> = {}) => {
    const f: Record<string, string> = { ...extra };
    if (grade.trim()) f.grade = grade.trim();
    if (letter.trim()) f.classLetter = letter.trim();
    return f;
  };

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
    setResult(null);
    void step(() => upload<Preview>('/api/readers/import/preview', file, fields()), setPreview);
  }

  function runImport() {
    if (!file) return;
    void step(() => upload<ImportResult>('/api/readers/import', file, fields({ skipInvalid: String(skipInvalid) })), (r) => {
      setResult(r);
      setPreview(null);
    });
  }

  return (
    <section>
      <h1>{t('nav.readers.import')}</h1>
      <ol className="steps">
        <li aria-current={!preview && !result ? 'step' : undefined}>{t('readers.import.step1')}</li>
        <li aria-current={preview ? 'step' : undefined}>{t('readers.import.step2')}</li>
        <li aria-current={result ? 'step' : undefined}>{t('readers.import.step3')}</li>
      </ol>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <form className="panel" onSubmit={check}>
        <div className="field">
          <label htmlFor="roster-file">{t('readers.import.file')}</label>
          <input id="roster-file" type="file" accept=".csv,.xlsx,.txt" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <span className="field-hint">{t('readers.import.fileHint')}</span>
        </div>
        <div className="row">
          <div className="field">
            <label htmlFor="roster-grade">{t('readers.grade')}</label>
            <input id="roster-grade" type="number" min={0} max={11} value={grade} onChange={(e) => setGrade(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="roster-letter">{t('readers.classLetter')}</label>
            <input id="roster-letter" maxLength={2} size={3} value={letter} onChange={(e) => setLetter(e.target.value)} />
          </div>
          <span className="field-hint">{t('readers.import.classHint')}</span>
        </div>
        <button type="submit" disabled={!file || busy}>
          {t('readers.import.check')}
        </button>
      </form>
      {preview && (
        <div className="panel">
          <h2>{t('readers.import.step2')}</h2>
          <p>
            {t('readers.import.summary', { valid: formatNumber(preview.validCount), invalid: formatNumber(preview.invalidCount) })}
          </p>
          <TableScroll>
            <table>
              <thead>
                <tr>
                  <th>{t('readers.import.line')}</th>
                  <th>{t('readers.fullName')}</th>
                  <th>{t('readers.class')}</th>
                  <th>{t('readers.birthDate')}</th>
                  <th>{t('readers.import.problems')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row) => (
                  <tr key={row.line} className={row.errors.length ? 'has-error' : undefined}>
                    <td>{row.line}</td>
                    <td>{[row.values.lastName, row.values.firstName, row.values.middleName].filter(Boolean).join(' ')}</td>
                    <td>{[row.values.grade, row.values.classLetter].filter((v) => v !== null).join(' ')}</td>
                    <td>{formatDate(row.values.birthDate)}</td>
                    <td>{row.errors.map((e) => e.message).join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {preview.invalidCount > 0 && (
            <label className="row">
              <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} />
              {t('readers.import.skipInvalid')}
            </label>
          )}
          <div className="actions">
            <button type="button" disabled={busy || preview.validCount === 0 || (preview.invalidCount > 0 && !skipInvalid)} onClick={runImport}>
              {t('readers.import.run', { count: preview.validCount })}
            </button>
          </div>
        </div>
      )}
      {result && <ImportReport result={result} onError={setError} />}
    </section>
  );
}

function ImportReport({ result, onError }: { result: ImportResult; onError: (err: unknown) => void }) {
  const { t } = useTranslation();
  async function printCards() {
    try {
      await download('/api/readers/cards', { readerIds: result.imported.map((r) => r.readerId) });
    } catch (err) {
      onError(err);
    }
  }
  return (
    <div className="panel">
      <h2>{t('readers.import.step3')}</h2>
      <p className="banner banner-ok" role="status">
        {t('readers.import.done', { imported: formatNumber(result.imported.length), rejected: formatNumber(result.rejected.length) })}
      </p>
      {result.imported.length > 0 && (
        <button type="button" onClick={() => void printCards()}>
          {t('readers.cards.selected', { count: result.imported.length })}
        </button>
      )}
      <table>
        <tbody>
          {result.imported.map((r) => (
            <tr key={r.readerId}>
              <td>{r.line}</td>
              <td>{r.fullName}</td>
              <td>{r.registrationNumber}</td>
              <td>{r.barcode}</td>
            </tr>
          ))}
          {result.rejected.map((r) => (
            <tr key={`x${r.line}`} className="has-error">
              <td>{r.line}</td>
              <td colSpan={3}>{r.errors.map((e) => e.message).join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
