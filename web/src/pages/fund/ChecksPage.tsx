import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { Link, useSearchParams } from 'react-router';
import { ApiError, get, post } from '../../api.js';
import { ErrorBanner, errorText } from '../../components/ErrorBanner.js';
import { formatDate, formatNumber } from '../../format.js';
import { pendingScans, useScannerInput } from './scanner.js';
import { FUNDS, GROUPS, type Check, type CheckCopy, type CheckResult } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';

interface LogEntry {
  id: number;
  kind: 'found' | 'repeat' | 'misplaced' | 'error';
  text: string;
}

const LOG_SIZE = 12;
/** Lists of a large check are long: the page shows this many rows of each, the PDF of the act has them all. */
const LIST_LIMIT = 200;

/**
 * Fund checks (stocktaking): open a check for a part of the fund, scan the shelves, see what is found,
 * missing, on loan or misplaced, and close it with a shortage act. The open check is in the address
 * (?check=ID), so a reload — or another day — continues where the scanning stopped.
 */
export default function ChecksPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const checkId = Number(params.get('check')) || null;
  const [checks, setChecks] = useState<Check[]>([]);
  const [scope, setScope] = useState({ locationPrefix: '', fund: '', knowledgeGroup: '', part: '' });
  const [marked, setMarked] = useState<{ valuable: { copies: number }; openAccess: { copies: number } } | null>(null);
  useEffect(() => void get<typeof marked>('/api/copies/marked').then(setMarked, () => undefined), []);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(() => get<{ items: Check[] }>('/api/fund/checks').then((r) => setChecks(r.items), setError), []);
  useEffect(() => void reload(), [reload, checkId]);
  const onChanged = useCallback(() => void reload(), [reload]);

  function open(e: FormEvent) {
    e.preventDefault();
    setError(null);
    post<Check>('/api/fund/checks', {
      locationPrefix: scope.locationPrefix.trim() || null,
      fund: scope.fund || null,
      knowledgeGroup: scope.knowledgeGroup || null,
      valuableOnly: scope.part === 'valuable',
      openAccessOnly: scope.part === 'open_access',
    }).then((check) => setParams({ check: String(check.id) }), setError);
  }

  return (
    <section>
      <h1>{t('nav.fund.checks')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {checkId ? (
        <CheckPanel key={checkId} checkId={checkId} onBack={() => setParams({})} onChanged={onChanged} />
      ) : (
        <form className="panel row" onSubmit={open}>
          <h2>{t('fund.check.new')}</h2>
          <div className="field">
            <label htmlFor="check-location">{t('fund.check.location')}</label>
            <input id="check-location" value={scope.locationPrefix} onChange={(e) => setScope({ ...scope, locationPrefix: e.target.value })} />
            <span className="field-hint">{t('fund.check.locationHint')}</span>
          </div>
          <div className="field">
            <label htmlFor="check-fund">{t('fund.check.fund')}</label>
            <select id="check-fund" value={scope.fund} onChange={(e) => setScope({ ...scope, fund: e.target.value })}>
              <option value="">{t('fund.check.anyFund')}</option>
              {FUNDS.map((f) => (
                <option key={f} value={f}>{t(`fund.fund.${f}`)}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="check-group">{t('fund.check.group')}</label>
            <select id="check-group" value={scope.knowledgeGroup} onChange={(e) => setScope({ ...scope, knowledgeGroup: e.target.value })}>
              <option value="">{t('fund.check.anyGroup')}</option>
              {GROUPS.map((g) => (
                <option key={g} value={g}>{t(`fund.group.${g}`)}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="check-part">{t('fund.check.part')}</label>
            <select id="check-part" value={scope.part} onChange={(e) => setScope({ ...scope, part: e.target.value })}>
              <option value="">{t('fund.check.anyPart')}</option>
              <option value="valuable">{t('fund.check.valuable', { count: marked?.valuable.copies ?? 0 })}</option>
              <option value="open_access">{t('fund.check.openAccess', { count: marked?.openAccess.copies ?? 0 })}</option>
            </select>
          </div>
          <div className="field">
            <button type="submit">{t('fund.check.open')}</button>
          </div>
        </form>
      )}

      <div className="panel">
        <h2>{t('fund.check.list')}</h2>
        <table>
          <thead>
            <tr>
              <th>{t('fund.check.number')}</th>
              <th>{t('fund.check.startedOn')}</th>
              <th>{t('fund.check.scope')}</th>
              <th>{t('fund.check.scanned')}</th>
              <th>{t('fund.check.status')}</th>
            </tr>
          </thead>
          <tbody>
            {checks.map((c) => (
              <tr key={c.id} aria-current={c.id === checkId ? 'true' : undefined}>
                <td>
                  <Link to={`/fund/checks?check=${c.id}`}>{c.number}</Link>
                </td>
                <td>{formatDate(c.startedOn)}</td>
                <td>{scopeText(c, t)}</td>
                <td className="num">{formatNumber(c.scanned)}</td>
                <td>{c.status === 'open' ? t('fund.check.statusOpen') : t('fund.check.statusClosed')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {checks.length === 0 && <p className="muted">{t('fund.check.none')}</p>}
      </div>
    </section>
  );
}

function scopeText(c: Check, t: (key: string) => string): string {
  const parts = [
    c.locationPrefix ? `${t('fund.check.location')}: ${c.locationPrefix}` : null,
    c.fund ? t(`fund.fund.${c.fund}`) : null,
    c.knowledgeGroup ? t(`fund.group.${c.knowledgeGroup}`) : null,
    c.valuableOnly ? t('fund.check.valuableShort') : null,
    c.openAccessOnly ? t('fund.check.openAccessShort') : null,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : t('fund.check.wholeFund');
}

/** One check: the scanner input, the log of the last scans, the counts and lists, and closing. */
function CheckPanel({ checkId, onBack, onChanged }: { checkId: number; onBack: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [code, setCode] = useState('');
  const [result, setResult] = useState<CheckResult | null>(null);
  const [log, setLog] = useState<LogEntry[]>([]);
  const [pending, setPending] = useState<string[]>(() => pendingScans.read(checkId));
  const [offline, setOffline] = useState(false);
  // The last refused scan, shown by the scan field itself until the next scan goes through.
  const [scanError, setScanError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const nextId = useRef(1);
  const queue = useRef<string[]>(pendingScans.read(checkId));
  const sending = useRef(false);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const isOpen = result?.check.status === 'open';

  useScannerInput(input, isOpen);

  const addLog = useCallback((kind: LogEntry['kind'], text: string) => {
    setLog((entries) => [{ id: nextId.current++, kind, text }, ...entries].slice(0, LOG_SIZE));
  }, []);

  const refresh = useCallback(async () => {
    try {
      setResult(await get<CheckResult>(`/api/fund/checks/${checkId}/result`));
      onChanged();
    } catch (err) {
      setError(err);
    }
  }, [checkId, onChanged]);

  /** The counts are recomputed a moment after the scanning pauses, not after each of thousands of scans. */
  const refreshSoon = useCallback(() => {
    if (refreshTimer.current) clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => void refresh(), 800);
  }, [refresh]);

  const describe = useCallback(
    (outcome: 'found' | 'misplaced' | 'repeat', copy: CheckCopy): [LogEntry['kind'], string] => {
      const params = { number: copy.inventoryNumber, title: copy.title, location: copy.location ?? '—' };
      if (outcome === 'found') return ['found', t('fund.check.log.found', params)];
      if (outcome === 'repeat') return ['repeat', t('fund.check.log.repeat', params)];
      return ['misplaced', t('fund.check.log.misplaced', params)];
    },
    [t],
  );

  /** Sends the typed barcodes one at a time, in order; each stays in the browser until the server has it. */
  const drain = useCallback(async () => {
    if (sending.current) return;
    sending.current = true;
    try {
      while (queue.current.length) {
        const barcode = queue.current[0]!;
        try {
          const scan = await post<{ outcome: 'found' | 'misplaced' | 'repeat'; copy: CheckCopy }>(`/api/fund/checks/${checkId}/scans`, { barcode });
          const [kind, text] = describe(scan.outcome, scan.copy);
          addLog(kind, text);
          setScanError(null);
        } catch (err) {
          if (err instanceof ApiError && err.status === 0) {
            // The server is out of reach: keep the scans and try again shortly.
            setOffline(true);
            if (retryTimer.current) clearTimeout(retryTimer.current);
            retryTimer.current = setTimeout(() => void drain(), 3000);
            return;
          }
          addLog('error', errorText(err, t));
          setScanError(errorText(err, t));
        }
        setOffline(false);
        queue.current = queue.current.slice(1);
        pendingScans.write(checkId, queue.current);
        setPending(queue.current);
      }
      refreshSoon();
    } finally {
      sending.current = false;
    }
  }, [addLog, checkId, describe, refreshSoon, t]);

  useEffect(() => {
    void refresh();
    if (queue.current.length) void drain();
    return () => {
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
      if (retryTimer.current) clearTimeout(retryTimer.current);
    };
  }, [refresh, drain]);

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const barcode = code.trim();
    setCode('');
    if (!barcode) return;
    queue.current = [...queue.current, barcode];
    pendingScans.write(checkId, queue.current);
    setPending(queue.current);
    void drain();
  }

  async function close() {
    setError(null);
    try {
      await post<Check>(`/api/fund/checks/${checkId}/close`, {});
      setConfirming(false);
      await refresh();
    } catch (err) {
      setError(err);
    }
  }

  if (!result) return <p className="muted">{t('common.loading')}</p>;
  const { check, counts } = result;

  return (
    <div data-testid="check">
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <div className="panel">
        <div className="reader-head">
          <h2>{t('fund.check.title', { number: check.number, date: formatDate(check.startedOn) })}</h2>
          <button type="button" className="secondary" onClick={onBack}>{t('fund.check.back')}</button>
        </div>
        <p className="muted">
          {scopeText(check, t)} · {check.status === 'open' ? t('fund.check.statusOpen') : t('fund.check.statusClosed')}
        </p>
        {isOpen && (
          <div className="desk-scan">
            <label htmlFor="check-code">{t('fund.check.scan')}</label>
            <input
              id="check-code"
              ref={input}
              value={code}
              autoComplete="off"
              spellCheck={false}
              inputMode="numeric"
              aria-describedby={scanError ? 'check-error check-hint' : 'check-hint'}
              aria-invalid={scanError ? true : undefined}
              onChange={(e) => setCode(e.target.value)}
              onKeyDown={onKeyDown}
            />
            <span id="check-hint" className="kbd-hint">
              {t('fund.check.hint')}
            </span>
            {/* the last refusal, announced once by this one alert; the log's entries stay list items */}
            <p id="check-error" className="desk-error" role="alert">
              {scanError}
            </p>
          </div>
        )}
        {pending.length > 0 && (
          <p className={offline ? 'banner banner-error' : 'muted'} data-testid="check-pending">
            {offline ? t('fund.check.offline', { count: pending.length }) : t('fund.check.sending', { count: pending.length })}
          </p>
        )}
        {check.status === 'closed' && (
          <p className="banner banner-ok" data-testid="check-closed">
            {check.writeOffActId ? (
              <>
                {t('fund.check.closedWithAct', { count: counts.missing })}{' '}
                <Link to={`/fund/write-offs?act=${check.writeOffActId}`}>{t('fund.check.openAct')}</Link>
              </>
            ) : (
              t('fund.check.closedNoAct')
            )}
          </p>
        )}
      </div>

      <div className="desk-grid">
        <div className="panel">
          <h2>{t('fund.check.counts')}</h2>
          <dl className="facts" data-testid="check-counts">
            {(['expected', 'found', 'missing', 'onLoan', 'misplaced', 'unknown'] as const).map((key) => (
              <div key={key} style={{ display: 'contents' }}>
                <dt>{t(`fund.check.count.${key}`)}</dt>
                <dd data-testid={`count-${key}`}>{formatNumber(counts[key])}</dd>
              </div>
            ))}
            <dt>{t('fund.check.count.scanned')}</dt>
            <dd data-testid="count-scanned">{formatNumber(check.scanned)}</dd>
          </dl>
          <div className="row no-print">
            <button type="button" className="secondary" onClick={() => void refresh()}>{t('fund.check.refresh')}</button>
            {isOpen && !confirming && (
              <button type="button" onClick={() => setConfirming(true)} disabled={pending.length > 0}>{t('fund.check.close')}</button>
            )}
          </div>
          {isOpen && confirming && (
            <div className="banner" role="group" aria-label={t('fund.check.close')}>
              <span>{t('fund.check.confirmClose', { count: counts.missing })}</span>
              <div className="row">
                <button type="button" className="danger" onClick={() => void close()}>{t('fund.check.confirm')}</button>
                <button type="button" className="secondary" onClick={() => setConfirming(false)}>{t('common.cancel')}</button>
              </div>
            </div>
          )}
        </div>
        <div className="panel">
          <h2>{t('fund.check.log.title')}</h2>
          <ul className="desk-log" aria-live="polite" data-testid="check-log">
            {log.map((entry) => (
              <li key={entry.id} className={entry.kind === 'found' ? 'returned' : entry.kind === 'repeat' ? 'issued' : 'error'}>
                {entry.text}
              </li>
            ))}
          </ul>
        </div>
      </div>

      <CopyList id="missing" title={t('fund.check.list.missing', { count: counts.missing })} copies={result.missing} open />
      <CopyList id="onLoan" title={t('fund.check.list.onLoan', { count: counts.onLoan })} copies={result.onLoan} />
      <CopyList id="misplaced" title={t('fund.check.list.misplaced', { count: counts.misplaced })} copies={result.misplaced} />
      {result.unknown.length > 0 && (
        <details className="panel" data-testid="list-unknown">
          <summary>{t('fund.check.list.unknown', { count: counts.unknown })}</summary>
          <p>{result.unknown.join(', ')}</p>
        </details>
      )}
    </div>
  );
}

function CopyList({ id, title, copies, open = false }: { id: string; title: string; copies: CheckCopy[]; open?: boolean }) {
  const { t } = useTranslation();
  if (!copies.length) return null;
  return (
    <details className="panel" open={open} data-testid={`list-${id}`}>
      <summary>{title}</summary>
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th>{t('fund.check.inventoryNumber')}</th>
              <th>{t('fund.receipt.workTitle')}</th>
              <th>{t('fund.check.location')}</th>
              <th>{t('fund.check.barcode')}</th>
            </tr>
          </thead>
          <tbody>
            {copies.slice(0, LIST_LIMIT).map((c) => (
              <tr key={c.copyId}>
                <td>{c.inventoryNumber}</td>
                <td>{c.title}</td>
                <td>{c.location}</td>
                <td>{c.barcode}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {copies.length > LIST_LIMIT && <p className="muted">{t('fund.check.more', { count: copies.length - LIST_LIMIT })}</p>}
    </details>
  );
}
