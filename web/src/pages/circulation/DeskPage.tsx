import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { post } from '../../api.js';
import { errorText } from '../../components/ErrorBanner.js';
import { formatDate, formatDateTime, formatNumber } from '../../format.js';
import { DeskReservations } from './DeskReservations.js';
import { LoanTable } from './LoanTable.js';
import type { Loan, PanelLoan, ReaderPanel, ScanResult } from './types.js';

interface LogEntry {
  id: number;
  kind: 'opened' | 'issued' | 'returned' | 'hold' | 'renewed' | 'closed' | 'repeat' | 'error';
  text: string;
  /** A returned loan, which one click records as a book read (the reading movement). */
  readLoanId?: number;
  readState?: 'recorded';
}

const LOG_SIZE = 12;

/**
 * The circulation desk, made for a USB scanner: it types a code and Enter into the one input.
 * A reader's card opens the reader, a copy's barcode is issued to that reader or returned.
 * The input keeps the focus after every action, and Esc closes the reader.
 */
export default function DeskPage() {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [code, setCode] = useState('');
  const [panel, setPanel] = useState<ReaderPanel | null>(null);
  const [log, setLog] = useState<LogEntry[]>([]);
  const [busy, setBusy] = useState(false);
  // The last scan's refusal, shown by the scan field itself until the next scan goes through.
  const [scanError, setScanError] = useState<string | null>(null);
  // A returned copy someone reserved: the desk is told to put it aside, until the next scan.
  const [holdNotice, setHoldNotice] = useState<string | null>(null);
  // Scans are sent one after another in the order typed, each with the reader open at that moment.
  const queue = useRef<Promise<void>>(Promise.resolve());
  const openReader = useRef<number | null>(null);
  const nextId = useRef(1);

  const focusInput = useCallback(() => input.current?.focus(), []);
  useEffect(focusInput, [focusInput]);
  useEffect(() => catchStrayKeys(() => input.current), []);

  const addLog = useCallback((kind: LogEntry['kind'], text: string, readLoanId?: number) => {
    setLog((entries) => [{ id: nextId.current++, kind, text, readLoanId }, ...entries].slice(0, LOG_SIZE));
  }, []);

  const show = useCallback((next: ReaderPanel | null) => {
    openReader.current = next?.reader.id ?? null;
    setPanel(next);
  }, []);

  const describe = useCallback(
    (result: ScanResult): [LogEntry['kind'], string] => {
      if (result.action === 'reader_opened') {
        return ['opened', t('circulation.log.opened', { reader: readerLabel(result.panel) })];
      }
      if (result.action === 'repeat_ignored') return ['repeat', t('circulation.log.repeatIgnored', { title: result.title, code: result.barcode })];
      const params = { title: result.loan.title, reader: result.loan.readerName, due: formatDate(result.loan.dueOn) };
      if (result.action === 'issued') return ['issued', t('circulation.log.issued', params)];
      return ['returned', t(result.loan.overdueDays > 0 ? 'circulation.log.returnedLate' : 'circulation.log.returned', {
        ...params,
        count: result.loan.overdueDays,
      })];
    },
    [t],
  );

  const run = useCallback(
    (work: () => Promise<void>) => {
      queue.current = queue.current.then(async () => {
        setBusy(true);
        try {
          await work();
          setScanError(null);
        } catch (err) {
          const text = errorText(err, t);
          addLog('error', text);
          setScanError(text);
        } finally {
          setBusy(false);
          focusInput();
        }
      });
    },
    [addLog, focusInput, t],
  );

  function submitScan() {
    const typed = code.trim();
    setCode('');
    if (!typed) return;
    run(async () => {
      setHoldNotice(null);
      const result = await post<ScanResult>('/api/circulation/scan', { code: typed, readerId: openReader.current });
      const [kind, text] = describe(result);
      addLog(kind, text, result.action === 'returned' ? result.loan.loanId : undefined);
      if (result.action === 'returned' && result.hold) {
        const hold = t('circulation.log.hold', {
          title: result.loan.title,
          barcode: result.loan.barcode,
          reader: result.hold.className ? `${result.hold.readerName}, ${result.hold.className}` : result.hold.readerName,
          until: formatDate(result.hold.holdUntil),
        });
        addLog('hold', hold);
        setHoldNotice(hold);
      }
      // A return with no reader open leaves the desk empty, ready for the next book.
      if (result.panel || result.action === 'returned') show(result.panel);
    });
  }

  function renew(loan: PanelLoan) {
    run(async () => {
      const renewed = await post<Loan>(`/api/circulation/loans/${loan.loanId}/renew`);
      addLog('renewed', t('circulation.log.renewed', { title: renewed.title, due: formatDate(renewed.dueOn) }));
      setPanel((current) => current && withRenewed(current, renewed));
    });
  }

  function markRead(entry: LogEntry) {
    run(async () => {
      await post('/api/reading/records/from-loan', { loanId: entry.readLoanId });
      setLog((entries) => entries.map((e) => (e.id === entry.id ? { ...e, readState: 'recorded' } : e)));
    });
  }

  function closeReader() {
    if (!panel) return;
    addLog('closed', t('circulation.log.closed', { reader: readerLabel(panel) }));
    show(null);
    focusInput();
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter') {
      e.preventDefault();
      submitScan();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      closeReader();
    }
  }

  return (
    <section className="desk" onKeyDown={(e) => e.key === 'Escape' && !e.defaultPrevented && closeReader()}>
      <h1>{t('nav.circulation.desk')}</h1>
      <div className="desk-scan">
        <label htmlFor="desk-code">{panel ? t('circulation.scanBook') : t('circulation.scanCard')}</label>
        <input
          id="desk-code"
          ref={input}
          value={code}
          autoComplete="off"
          spellCheck={false}
          inputMode="numeric"
          aria-describedby={scanError ? 'desk-error desk-hint' : 'desk-hint'}
          aria-invalid={scanError ? true : undefined}
          aria-busy={busy}
          onChange={(e) => setCode(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <span id="desk-hint" className="kbd-hint">
          {t('circulation.deskHint')}
        </span>
        {/* one alert element, kept in the page, so that its new text is announced at once */}
        <p id="desk-error" className="desk-error" role="alert">
          {scanError}
        </p>
      </div>
      {holdNotice && (
        <p className="banner banner-hold" role="status" data-testid="desk-hold">
          {holdNotice}
        </p>
      )}
      <div className="desk-grid">
        <div>
          {panel ? (
            <ReaderCard panel={panel} onRenew={renew} onClose={closeReader} onPanel={show} busy={busy} />
          ) : (
            <p className="panel muted">{t('circulation.noReader')}</p>
          )}
        </div>
        <div className="panel">
          <h2>{t('circulation.log.title')}</h2>
          <ul className="desk-log" aria-live="polite">
            {log.map((entry) => (
              <li key={entry.id} className={entry.kind}>
                {entry.text}
                {entry.readLoanId !== undefined &&
                  (entry.readState === 'recorded' ? (
                    <span className="muted"> · {t('reading.desk.recorded')}</span>
                  ) : (
                    <>
                      {' '}
                      <button type="button" className="secondary" onClick={() => markRead(entry)} disabled={busy}>
                        {t('reading.desk.markRead')}
                      </button>
                    </>
                  ))}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}

/**
 * A scan must never be lost because a click moved the focus: a printable key pressed outside any
 * field brings the focus back to the desk input before the key lands, so it lands there.
 */
function catchStrayKeys(target: () => HTMLInputElement | null): () => void {
  function onKeyDown(e: globalThis.KeyboardEvent) {
    if (e.ctrlKey || e.altKey || e.metaKey || e.key.length !== 1) return;
    const el = e.target as HTMLElement | null;
    if (el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))) return;
    target()?.focus();
  }
  document.addEventListener('keydown', onKeyDown, true);
  return () => document.removeEventListener('keydown', onKeyDown, true);
}

function readerLabel(panel: ReaderPanel): string {
  return panel.reader.className ? `${panel.reader.fullName} (${panel.reader.className})` : panel.reader.fullName;
}

/** The panel with one loan's new due date, so a renewal needs no second request. */
function withRenewed(panel: ReaderPanel, renewed: Loan): ReaderPanel {
  const loans = panel.loans.map((l) =>
    l.loanId === renewed.loanId
      ? { ...l, dueOn: renewed.dueOn, renewals: renewed.renewals, overdueDays: renewed.overdueDays, canRenew: renewed.canRenew }
      : l,
  );
  return { ...panel, loans, overdueCount: loans.filter((l) => l.overdueDays > 0).length };
}

function ReaderCard({
  panel,
  onRenew,
  onClose,
  onPanel,
  busy,
}: {
  panel: ReaderPanel;
  onRenew: (loan: PanelLoan) => void;
  onClose: () => void;
  onPanel: (panel: ReaderPanel) => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  return (
    <div className="panel" aria-label={t('circulation.readerPanel')}>
      <div className="reader-head">
        <span className="reader-name">{readerLabel(panel)}</span>
        <button type="button" className="secondary" onClick={onClose}>
          {t('circulation.closeReader')}
        </button>
      </div>
      <p className="muted">
        {t('circulation.card', { barcode: panel.reader.barcode, number: panel.reader.registrationNumber })} ·{' '}
        {t('circulation.yearCounts', { visits: formatNumber(panel.visitsThisYear), loans: formatNumber(panel.loansThisYear) })}
      </p>
      {panel.overdueCount > 0 && (
        <p className="banner banner-error">{t('circulation.overdueCount', { count: panel.overdueCount })}</p>
      )}
      <h2>{t('circulation.atHome', { count: panel.loans.length })}</h2>
      <LoanTable loans={panel.loans} onRenew={onRenew} busy={busy} label={t('circulation.atHome', { count: panel.loans.length })} compact />
      <DeskReservations panel={panel} onPanel={onPanel} />
      {panel.history.length > 0 && (
        <details>
          <summary>{t('circulation.history', { count: panel.history.length })}</summary>
          <table>
            <thead>
              <tr>
                <th>{t('circulation.book')}</th>
                <th>{t('circulation.issuedAt')}</th>
                <th>{t('circulation.returnedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {panel.history.map((h) => (
                <tr key={h.loanId}>
                  <td>
                    {h.title}
                    <div className="muted">{h.authors.join(', ')}</div>
                  </td>
                  <td>{formatDateTime(h.issuedAt)}</td>
                  <td>{formatDateTime(h.returnedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}
