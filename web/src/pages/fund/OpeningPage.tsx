import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { useSearchParams } from 'react-router';
import { ApiError, del, download, get, post, query, upload } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate, formatMoney } from '../../format.js';
import { today } from './types.js';

interface Opening {
  id: number;
  asOf: string;
  documentNumber: string | null;
  documentDate: string | null;
  status: 'draft' | 'posted';
  receiptNumber: string | null;
  copiesCount: number;
  sumTiyn: number;
  unpricedCount: number;
  gaps: { from: string; to: string; row: number | null }[];
  gapsCount: number;
}
interface Row {
  id: number;
  row: number | null;
  inventoryNumber: string;
  enteredOn: string;
  title: string;
  authors: string;
  priceTiyn: number;
  priceUnknown: boolean;
}
interface Problem {
  row: number;
  column: string;
  message: string;
}

/**
 * Booking an existing fund (бұрыннан бар қорды есепке алу): a draft that takes the copies a library already has,
 * with their own inventory numbers — from the template file, by scanning catalogued copies — and is posted in
 * one step as a receipt of source "opening balance". Errors come back by row and column; gaps are warnings.
 */
export default function OpeningPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const currentId = Number(params.get('id')) || null;
  const [list, setList] = useState<Opening[]>([]);
  const [current, setCurrent] = useState<Opening | null>(null);
  const [rows, setRows] = useState<{ items: Row[]; total: number }>({ items: [], total: 0 });
  const [header, setHeader] = useState({ asOf: today(), documentNumber: '', documentDate: '' });
  const [file, setFile] = useState<File | null>(null);
  const [encoding, setEncoding] = useState('auto');
  const [barcode, setBarcode] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const reload = () => get<{ items: Opening[] }>('/api/fund/opening-balances').then((r) => setList(r.items), setError);
  const open = async (id: number) => {
    setCurrent(await get<Opening>(`/api/fund/opening-balances/${id}`));
    setRows(await get(`/api/fund/opening-balances/${id}/rows${query({ limit: 100 })}`));
  };
  useEffect(() => void reload(), []);
  useEffect(() => {
    if (currentId) void open(currentId).catch(setError);
  }, [currentId]);

  async function run(action: () => Promise<unknown>) {
    setError(null);
    setProblems([]);
    setBusy(true);
    try {
      await action();
    } catch (err) {
      const details = err instanceof ApiError ? (err.details as { problems?: Problem[] } | undefined) : undefined;
      if (details?.problems) setProblems(details.problems);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  function create(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const made = await post<Opening>('/api/fund/opening-balances', {
        asOf: header.asOf, documentNumber: header.documentNumber.trim() || null, documentDate: header.documentDate || null,
      });
      setParams({ id: String(made.id) });
      await reload();
    });
  }

  function load(e: FormEvent) {
    e.preventDefault();
    if (!current || !file) return;
    void run(async () => {
      await upload(`/api/fund/opening-balances/${current.id}/file`, file, { encoding });
      await open(current.id);
    });
  }

  function scan(e: FormEvent) {
    e.preventDefault();
    if (!current || !barcode.trim()) return;
    void run(async () => {
      try {
        await post(`/api/fund/opening-balances/${current.id}/rows`, { rows: [{ barcode: barcode.trim() }] });
      } finally {
        setBarcode('');
      }
      await open(current.id);
    });
  }

  const postDraft = () =>
    current &&
    window.confirm(t('fund.opening.postConfirm', { count: current.copiesCount })) &&
    void run(async () => {
      await post(`/api/fund/opening-balances/${current.id}/post`);
      await open(current.id);
      await reload();
    });

  const remove = () =>
    current &&
    void run(async () => {
      await del(`/api/fund/opening-balances/${current.id}`);
      setCurrent(null);
      setParams({});
      await reload();
    });

  return (
    <section>
      <h1>{t('nav.fund.opening')}</h1>
      <p className="muted">{t('fund.opening.intro')}</p>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {problems.length > 0 && (
        <div className="panel" data-testid="problems">
          <h2>{t('fund.opening.problems')}</h2>
          <table>
            <thead>
              <tr>
                <th>{t('fund.opening.row')}</th>
                <th>{t('fund.opening.column')}</th>
                <th>{t('fund.opening.problem')}</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((p, i) => (
                <tr key={i}>
                  <td>{p.row}</td>
                  <td>{p.column}</td>
                  <td>{p.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="panel row" onSubmit={create}>
        <h2>{t('fund.opening.new')}</h2>
        <div className="field">
          <label htmlFor="opening-as-of">{t('fund.opening.asOf')}</label>
          <input id="opening-as-of" type="date" value={header.asOf} onChange={(e) => setHeader({ ...header, asOf: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="opening-document">{t('fund.opening.document')}</label>
          <input id="opening-document" value={header.documentNumber} onChange={(e) => setHeader({ ...header, documentNumber: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="opening-document-date">{t('fund.opening.documentDate')}</label>
          <input id="opening-document-date" type="date" value={header.documentDate} onChange={(e) => setHeader({ ...header, documentDate: e.target.value })} />
        </div>
        <div className="field">
          <button type="submit">{t('fund.opening.create')}</button>
        </div>
        <div className="field">
          <button type="button" className="secondary" onClick={() => void download('/api/fund/opening-balances/template.xlsx')}>
            {t('fund.opening.template')}
          </button>
        </div>
      </form>

      {current && (
        <div className="panel" data-testid="opening">
          <h2>
            {t('fund.opening.title', { date: formatDate(current.asOf) })} — {current.status === 'posted' ? t('fund.opening.posted', { number: current.receiptNumber }) : t('fund.opening.draft')}
          </h2>
          <p data-testid="opening-total">
            {t('fund.opening.total', { copies: current.copiesCount, sum: formatMoney(current.sumTiyn) })}
            {current.unpricedCount > 0 && <> · {t('fund.opening.unpriced', { count: current.unpricedCount })}</>}
          </p>
          {current.gapsCount > 0 && (
            <p className="banner banner-warning" data-testid="gaps">
              {t('fund.opening.gaps', { count: current.gapsCount })}: {current.gaps.map((g) => (g.from === g.to ? g.from : `${g.from}–${g.to}`)).join(', ')}
            </p>
          )}
          {current.status === 'draft' && (
            <>
              <form className="row" onSubmit={load}>
                <div className="field">
                  <label htmlFor="opening-file">{t('fund.opening.file')}</label>
                  <input id="opening-file" type="file" accept=".xlsx,.csv,.txt" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
                </div>
                <div className="field">
                  <label htmlFor="opening-encoding">{t('fund.opening.encoding')}</label>
                  <select id="opening-encoding" value={encoding} onChange={(e) => setEncoding(e.target.value)}>
                    <option value="auto">{t('fund.opening.encodingAuto')}</option>
                    <option value="utf-8">UTF-8</option>
                    <option value="windows-1251">Windows-1251</option>
                  </select>
                </div>
                <div className="field">
                  <button type="submit" disabled={busy || !file}>{t('fund.opening.load')}</button>
                </div>
              </form>
              <form className="row" onSubmit={scan}>
                <div className="field">
                  <label htmlFor="opening-scan">{t('fund.opening.scan')}</label>
                  <input id="opening-scan" value={barcode} onChange={(e) => setBarcode(e.target.value)} />
                </div>
                <div className="field">
                  <button type="submit" className="secondary" disabled={busy}>{t('fund.opening.add')}</button>
                </div>
                <div className="field">
                  <button type="button" onClick={() => void postDraft()} disabled={busy || current.copiesCount === 0}>{t('fund.opening.post')}</button>
                </div>
                <div className="field">
                  <button type="button" className="danger" onClick={() => void remove()} disabled={busy}>{t('fund.opening.delete')}</button>
                </div>
              </form>
              <table data-testid="opening-rows">
                <thead>
                  <tr>
                    <th>{t('fund.opening.row')}</th>
                    <th>{t('fund.receipt.inventoryNumbers')}</th>
                    <th>{t('fund.opening.enteredOn')}</th>
                    <th>{t('fund.receipt.workTitle')}</th>
                    <th>{t('fund.receipt.price')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.items.map((r) => (
                    <tr key={r.id}>
                      <td>{r.row ?? ''}</td>
                      <td>{r.inventoryNumber}</td>
                      <td>{formatDate(r.enteredOn)}</td>
                      <td>{[r.authors, r.title].filter(Boolean).join('. ')}</td>
                      <td>{r.priceUnknown ? t('fund.opening.priceUnknown') : formatMoney(r.priceTiyn)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {rows.total > rows.items.length && <p className="muted">{t('fund.opening.more', { count: rows.total - rows.items.length })}</p>}
            </>
          )}
        </div>
      )}

      <div className="panel">
        <h2>{t('fund.opening.list')}</h2>
        <table>
          <tbody>
            {list.map((o) => (
              <tr key={o.id}>
                <td>
                  <button type="button" className="secondary" onClick={() => setParams({ id: String(o.id) })}>
                    {formatDate(o.asOf)}
                  </button>
                </td>
                <td>{o.status === 'posted' ? t('fund.opening.posted', { number: o.receiptNumber }) : t('fund.opening.draft')}</td>
                <td>{o.copiesCount}</td>
                <td>{formatMoney(o.sumTiyn)}</td>
                <td>{o.unpricedCount > 0 ? t('fund.opening.unpriced', { count: o.unpricedCount }) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
