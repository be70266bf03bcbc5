import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { download, get, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatMoney, formatNumber, today } from '../../format.js';
import { GROUPS, LANGUAGE_GROUPS, type Columns, type SummaryBook, type Tally } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';

const ROWS = ['opening', 'received', 'writtenOff', 'closing'] as const;

/** The accounting books for a period: the balance part of the summary book on screen, both books to print. */
export default function BooksPage() {
  const { t } = useTranslation();
  const year = Number(today().slice(0, 4));
  const [from, setFrom] = useState(`${year}-01-01`);
  const [to, setTo] = useState(`${year}-12-31`);
  const [period, setPeriod] = useState({ from, to });
  const [book, setBook] = useState<SummaryBook | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setError(null);
    get<SummaryBook>(`/api/fund/summary-book${query(period)}`).then(setBook, setError);
  }, [period]);

  function show(e: FormEvent) {
    e.preventDefault();
    setPeriod({ from, to });
  }

  async function print(path: string) {
    setError(null);
    try {
      await download(`${path}${query(period)}`);
    } catch (err) {
      setError(err);
    }
  }

  const columns: { key: string; label: string; pick: (c: Columns) => Tally }[] = [
    { key: 'total', label: t('fund.books.total'), pick: (c) => c.total },
    ...GROUPS.map((g) => ({ key: g, label: t(`fund.group.${g}`), pick: (c: Columns) => c.groups[g] })),
    ...LANGUAGE_GROUPS.map((l) => ({ key: `lang-${l}`, label: t(`fund.language.${l}`), pick: (c: Columns) => c.languages[l] })),
  ];

  return (
    <section>
      <h1>{t('nav.fund.books')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <form className="row no-print" onSubmit={show}>
        <div className="field">
          <label htmlFor="books-from">{t('fund.books.from')}</label>
          <input id="books-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="books-to">{t('fund.books.to')}</label>
          <input id="books-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <div className="field">
          <button type="submit" className="secondary">{t('fund.books.show')}</button>
        </div>
      </form>
      <div className="row no-print">
        <button type="button" onClick={() => void print('/api/fund/inventory-book.pdf')}>{t('fund.books.inventoryPdf')}</button>
        <button type="button" className="secondary" onClick={() => void print('/api/fund/inventory-book.xlsx')}>{t('fund.books.inventoryXlsx')}</button>
        <button type="button" onClick={() => void print('/api/fund/summary-book.pdf')}>{t('fund.books.summaryPdf')}</button>
        <button type="button" className="secondary" onClick={() => void print('/api/fund/summary-book.xlsx')}>{t('fund.books.summaryXlsx')}</button>
      </div>
      {book && (
        <div className="panel">
          <h2>{t('fund.books.summary')}</h2>
          <TableScroll label={t('fund.books.summary')}>
            <table data-testid="summary-balance">
            <thead>
              <tr>
                <th>{t('fund.books.row')}</th>
                {columns.map((c) => (
                  <th key={c.key}>{c.label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {ROWS.map((row) => (
                <tr key={row} data-testid={`balance-${row}`}>
                  <th>{t(`fund.books.${row}`)}</th>
                  {columns.map((c) => {
                    const tally = c.pick(book.balance[row]);
                    return (
                      <td key={c.key}>
                        <span data-testid={`${row}-${c.key}`}>{formatNumber(tally.copies)}</span>
                        <div className="muted" data-testid={`${row}-${c.key}-sum`}>{formatMoney(tally.sumTiyn)}</div>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
            </table>
          </TableScroll>
        </div>
      )}
    </section>
  );
}
