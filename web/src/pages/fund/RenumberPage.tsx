import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { download, get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { useScannerInput } from './scanner.js';
import { RowButton } from '../../components/RowButton.js';

interface ScannedCopy {
  id: number;
  inventoryNumber: string;
  barcode: string;
  title: string;
}

interface Change {
  copyId: number;
  oldNumber: string;
  newNumber: string;
}

/**
 * Re-inventory: scan the copies that need new inventory numbers, then give them the next numbers of the
 * library's counter. The old numbers stay in the inventory book next to the new ones; new labels can be
 * printed at once.
 */
export default function RenumberPage() {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [code, setCode] = useState('');
  const [copies, setCopies] = useState<ScannedCopy[]>([]);
  const [changes, setChanges] = useState<Change[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useScannerInput(input);

  async function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const barcode = code.trim();
    setCode('');
    if (!barcode) return;
    setError(null);
    try {
      const copy = await get<ScannedCopy>(`/api/copies/by-barcode/${encodeURIComponent(barcode)}`);
      setChanges(null);
      setCopies((list) => (list.some((c) => c.id === copy.id) ? list : [...list, copy]));
    } catch (err) {
      setError(err);
    } finally {
      input.current?.focus();
    }
  }

  async function renumber() {
    setError(null);
    try {
      const result = await post<{ items: Change[] }>('/api/fund/renumber', { copyIds: copies.map((c) => c.id) });
      setChanges(result.items);
      setCopies([]);
    } catch (err) {
      setError(err);
    }
  }

  async function labels() {
    if (!changes) return;
    setError(null);
    try {
      await download('/api/copies/labels', { copyIds: changes.map((c) => c.copyId) });
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section>
      <h1>{t('nav.fund.renumber')}</h1>
      <p className="muted">{t('fund.renumber.intro')}</p>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <div className="panel">
        <div className="desk-scan">
          <label htmlFor="renumber-code">{t('fund.act.scan')}</label>
          <input
            id="renumber-code"
            ref={input}
            value={code}
            autoComplete="off"
            spellCheck={false}
            inputMode="numeric"
            onChange={(e) => setCode(e.target.value)}
            onKeyDown={(e) => void onKeyDown(e)}
          />
        </div>
        {copies.length > 0 && (
          <>
            <table data-testid="renumber-list">
              <thead>
                <tr>
                  <th>{t('fund.check.inventoryNumber')}</th>
                  <th>{t('fund.receipt.workTitle')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {copies.map((c) => (
                  <tr key={c.id}>
                    <td>{c.inventoryNumber}</td>
                    <td>{c.title}</td>
                    <td>
                      <RowButton label={t('fund.renumber.remove')} row={`${c.inventoryNumber} ${c.title}`} onClick={() => setCopies(copies.filter((x) => x.id !== c.id))} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="row">
              <button type="button" onClick={() => void renumber()}>{t('fund.renumber.submit', { count: copies.length })}</button>
            </div>
          </>
        )}
      </div>
      {changes && (
        <div className="panel">
          <h2>{t('fund.renumber.done', { count: changes.length })}</h2>
          <table data-testid="renumber-changes">
            <thead>
              <tr>
                <th>{t('fund.renumber.old')}</th>
                <th>{t('fund.renumber.new')}</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((c) => (
                <tr key={c.copyId}>
                  <td>{c.oldNumber}</td>
                  <td>{c.newNumber}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <button type="button" className="secondary" onClick={() => void labels()}>{t('fund.renumber.labels')}</button>
          </div>
        </div>
      )}
    </section>
  );
}
