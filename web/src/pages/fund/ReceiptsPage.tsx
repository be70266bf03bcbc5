import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { ApiError, get, post, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { WorkPicker } from '../textbooks/WorkPicker.js';
import { formatDate, formatMoney, parseTenge } from '../../format.js';
import { RECEIPT_SOURCES, today, type Receipt, type ReceiptLine } from './types.js';

/**
 * Receiving a batch: open a receipt document, then scan each ISBN, type the number of copies and the
 * price; the copies get inventory numbers and barcodes at once. An ISBN the catalogue does not know
 * asks for a title and an author in the same form.
 */
export default function ReceiptsPage() {
  const { t } = useTranslation();
  const [receipts, setReceipts] = useState<Receipt[]>([]);
  const [current, setCurrent] = useState<{ receipt: Receipt; lines: ReceiptLine[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [header, setHeader] = useState({ receivedOn: today(), source: 'budget_purchase', documentNumber: '', supplier: '' });
  const [line, setLine] = useState({ isbn: '', count: '1', price: '', title: '', author: '' });
  const [describe, setDescribe] = useState(false);
  // receiving without an ISBN: a work found in the catalogue, or one catalogued here in a few fields
  const [byWork, setByWork] = useState({ workId: 0, title: '', count: '1', price: '' });
  const [newWork, setNewWork] = useState({ title: '', author: '', year: '', language: 'kaz' });
  const [cataloguing, setCataloguing] = useState(false);
  const isbnInput = useRef<HTMLInputElement>(null);

  const reload = () => get<{ items: Receipt[] }>(`/api/fund/receipts${query({ limit: 20 })}`).then((r) => setReceipts(r.items), setError);
  useEffect(() => void reload(), []);

  async function open(id: number) {
    setError(null);
    try {
      setCurrent(await get(`/api/fund/receipts/${id}`));
    } catch (err) {
      setError(err);
    }
  }

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const receipt = await post<Receipt>('/api/fund/receipts', header);
      await open(receipt.id);
      await reload();
      isbnInput.current?.focus();
    } catch (err) {
      setError(err);
    }
  }

  async function receive(e: FormEvent) {
    e.preventDefault();
    if (!current) return;
    setError(null);
    const priceTiyn = parseTenge(line.price);
    try {
      await post(`/api/fund/receipts/${current.receipt.id}/receive-isbn`, {
        isbn: line.isbn,
        count: Number(line.count),
        priceTiyn: priceTiyn ?? -1,
        ...(describe ? { work: { title: line.title, authors: line.author ? [{ name: line.author }] : [] } } : {}),
      });
      setLine({ isbn: '', count: '1', price: '', title: '', author: '' });
      setDescribe(false);
      await open(current.receipt.id);
      await reload();
      isbnInput.current?.focus();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'accounting.isbn_unknown') setDescribe(true);
      setError(err);
    }
  }

  async function receiveWork(e: FormEvent) {
    e.preventDefault();
    if (!current) return;
    setError(null);
    try {
      let workId = byWork.workId;
      if (cataloguing) {
        // the existing work-creation route; the full cataloguing form is on the catalogue's pages
        const made = await post<{ id: number }>('/api/catalog/works', {
          title: newWork.title.trim(),
          authors: newWork.author.trim() ? [{ name: newWork.author.trim() }] : [],
          publishYear: newWork.year ? Number(newWork.year) : null,
          language: newWork.language,
        });
        workId = made.id;
      }
      if (!workId) return;
      await post(`/api/fund/receipts/${current.receipt.id}/lines`, { workId, count: Number(byWork.count), priceTiyn: parseTenge(byWork.price) ?? -1 });
      setByWork({ workId: 0, title: '', count: '1', price: '' });
      setNewWork({ title: '', author: '', year: '', language: 'kaz' });
      setCataloguing(false);
      await open(current.receipt.id);
      await reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section>
      <h1>{t('nav.fund.receipts')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <form className="panel row" onSubmit={create}>
        <h2>{t('fund.receipt.new')}</h2>
        <div className="field">
          <label htmlFor="receipt-date">{t('fund.receipt.date')}</label>
          <input id="receipt-date" type="date" value={header.receivedOn} onChange={(e) => setHeader({ ...header, receivedOn: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="receipt-source">{t('fund.receipt.source')}</label>
          <select id="receipt-source" value={header.source} onChange={(e) => setHeader({ ...header, source: e.target.value })}>
            {RECEIPT_SOURCES.map((s) => (
              <option key={s} value={s}>{t(`fund.source.${s}`)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="receipt-document">{t('fund.receipt.document')}</label>
          <input id="receipt-document" value={header.documentNumber} onChange={(e) => setHeader({ ...header, documentNumber: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="receipt-supplier">{t('fund.receipt.supplier')}</label>
          <input id="receipt-supplier" value={header.supplier} onChange={(e) => setHeader({ ...header, supplier: e.target.value })} />
        </div>
        <div className="field">
          <button type="submit">{t('fund.receipt.open')}</button>
        </div>
      </form>

      {current && (
        <div className="panel" data-testid="receipt">
          <h2>{t('fund.receipt.title', { number: current.receipt.number, date: formatDate(current.receipt.receivedOn) })}</h2>
          <form className="row" onSubmit={receive}>
            <div className="field">
              <label htmlFor="receipt-isbn">{t('fund.receipt.scan')}</label>
              <input id="receipt-isbn" ref={isbnInput} autoFocus value={line.isbn} onChange={(e) => setLine({ ...line, isbn: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="receipt-count">{t('fund.receipt.count')}</label>
              <input id="receipt-count" type="number" min={1} max={1000} value={line.count} onChange={(e) => setLine({ ...line, count: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="receipt-price">{t('fund.receipt.price')}</label>
              <input id="receipt-price" inputMode="decimal" value={line.price} onChange={(e) => setLine({ ...line, price: e.target.value })} />
            </div>
            {describe && (
              <>
                <p className="muted">{t('fund.receipt.describe')}</p>
                <div className="field">
                  <label htmlFor="receipt-title">{t('fund.receipt.workTitle')}</label>
                  <input id="receipt-title" value={line.title} onChange={(e) => setLine({ ...line, title: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor="receipt-author">{t('fund.receipt.author')}</label>
                  <input id="receipt-author" value={line.author} onChange={(e) => setLine({ ...line, author: e.target.value })} />
                </div>
              </>
            )}
            <div className="field">
              <button type="submit">{t('fund.receipt.receive')}</button>
            </div>
          </form>
          <form className="row" onSubmit={(e) => void receiveWork(e)} data-testid="receive-without-isbn">
            <p className="muted">{t('fund.receipt.withoutIsbn')}</p>
            {!cataloguing ? (
              <WorkPicker id="receipt-work" label={t('fund.receipt.findWork')} onPick={(w) => setByWork({ ...byWork, workId: w.id, title: w.title })} />
            ) : (
              <>
                <div className="field">
                  <label htmlFor="new-work-title">{t('fund.receipt.workTitle')}</label>
                  <input id="new-work-title" value={newWork.title} onChange={(e) => setNewWork({ ...newWork, title: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor="new-work-author">{t('fund.receipt.author')}</label>
                  <input id="new-work-author" value={newWork.author} onChange={(e) => setNewWork({ ...newWork, author: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor="new-work-year">{t('fund.receipt.year')}</label>
                  <input id="new-work-year" inputMode="numeric" value={newWork.year} onChange={(e) => setNewWork({ ...newWork, year: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor="new-work-language">{t('fund.receipt.language')}</label>
                  <select id="new-work-language" value={newWork.language} onChange={(e) => setNewWork({ ...newWork, language: e.target.value })}>
                    <option value="kaz">қазақ</option>
                    <option value="rus">русский</option>
                    <option value="eng">English</option>
                  </select>
                </div>
              </>
            )}
            <div className="field">
              <button type="button" className="secondary" onClick={() => setCataloguing(!cataloguing)}>
                {cataloguing ? t('fund.receipt.findWork') : t('fund.receipt.catalogueNew')}
              </button>
            </div>
            <div className="field">
              <label htmlFor="receipt-work-count">{t('fund.receipt.count')}</label>
              <input id="receipt-work-count" type="number" min={1} max={1000} value={byWork.count} onChange={(e) => setByWork({ ...byWork, count: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="receipt-work-price">{t('fund.receipt.price')}</label>
              <input id="receipt-work-price" inputMode="decimal" value={byWork.price} onChange={(e) => setByWork({ ...byWork, price: e.target.value })} />
            </div>
            <div className="field">
              <button type="submit" disabled={!cataloguing && !byWork.workId}>{t('fund.receipt.receive')}</button>
            </div>
          </form>
          <table>
            <thead>
              <tr>
                <th>{t('fund.receipt.workTitle')}</th>
                <th>{t('fund.receipt.count')}</th>
                <th>{t('fund.receipt.price')}</th>
                <th>{t('fund.receipt.inventoryNumbers')}</th>
              </tr>
            </thead>
            <tbody>
              {current.lines.map((l) => (
                <tr key={l.id}>
                  <td>{l.title}</td>
                  <td>{l.copiesCount}</td>
                  <td>{formatMoney(l.priceTiyn)}</td>
                  <td data-testid="inventory-numbers">{l.copies.map((c) => c.inventoryNumber).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p data-testid="receipt-total">{t('fund.receipt.total', { copies: current.receipt.copiesCount, sum: formatMoney(current.receipt.sumTiyn) })}</p>
          {current.receipt.textbooksCount > 0 && (
            <p className="muted" data-testid="receipt-textbooks">
              {t('fund.receipt.textbooks', { copies: current.receipt.textbooksCount, sum: formatMoney(current.receipt.textbooksSumTiyn) })}
            </p>
          )}
        </div>
      )}

      <div className="panel">
        <h2>{t('fund.receipt.list')}</h2>
        <table>
          <tbody>
            {receipts.map((r) => (
              <tr key={r.id}>
                <td>
                  <button type="button" className="secondary" onClick={() => void open(r.id)}>
                    {r.number}
                  </button>
                </td>
                <td>{formatDate(r.receivedOn)}</td>
                <td>{t(`fund.source.${r.source}`)}</td>
                <td>{r.documentNumber}</td>
                <td>{r.copiesCount}</td>
                <td>
                  {formatMoney(r.sumTiyn)}
                  {r.textbooksCount > 0 && (
                    <div className="muted">{t('fund.receipt.textbooks', { copies: r.textbooksCount, sum: formatMoney(r.textbooksSumTiyn) })}</div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
