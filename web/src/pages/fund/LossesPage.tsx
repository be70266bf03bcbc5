import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { Link } from 'react-router';
import { get, post, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate, formatMoney, parseTenge, today } from '../../format.js';
import type { ReaderPanel } from '../circulation/types.js';
import type { Reader } from '../readers/types.js';
import type { Loss } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';

type Settlement = 'replacement' | 'payment';

/**
 * Books lost or spoilt by readers: find the reader (scan the card or type the surname), pick the book from
 * the ones at home or scan its barcode, and record how the loss was made good — another copy brought
 * instead (entered as a receipt of source "replacement") or a payment in tenge. The copy goes on the
 * library's draft act of lost books for the commission.
 */
export default function LossesPage() {
  const { t } = useTranslation();
  const readerInput = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Reader[] | null>(null);
  const [panel, setPanel] = useState<ReaderPanel | null>(null);
  const [form, setForm] = useState({ barcode: '', lostOn: today(), settlement: 'payment' as Settlement, amount: '', note: '' });
  const [losses, setLosses] = useState<Loss[]>([]);
  const [done, setDone] = useState<Loss | null>(null);
  const [error, setError] = useState<unknown>(null);

  const readerId = panel?.reader.id;
  const reload = () =>
    get<{ items: Loss[] }>(`/api/fund/losses${query({ readerId })}`).then((r) => setLosses(r.items), setError);
  useEffect(() => void reload(), [readerId]);
  useEffect(() => readerInput.current?.focus(), []);

  async function pick(reader: Reader | { id: number }) {
    setError(null);
    try {
      setPanel(await get<ReaderPanel>(`/api/circulation/readers/${reader.id}/panel`));
      setFound(null);
      setDone(null);
      setForm((f) => ({ ...f, barcode: '', amount: '', note: '' }));
    } catch (err) {
      setError(err);
    }
  }

  async function findReader(e: FormEvent) {
    e.preventDefault();
    const text = q.trim();
    if (!text) return;
    setError(null);
    try {
      const result = await get<{ items: Reader[] }>(`/api/readers${query({ q: text, limit: 20 })}`);
      // A scanned card finds exactly its reader: open it at once.
      if (result.items.length === 1) await pick(result.items[0]!);
      else setFound(result.items);
    } catch (err) {
      setError(err);
    }
  }

  async function record(e: FormEvent) {
    e.preventDefault();
    if (!panel) return;
    setError(null);
    const amount = form.amount.trim() ? parseTenge(form.amount) : null;
    if (form.amount.trim() && amount === null) {
      setError(new Error('bad sum'));
      return;
    }
    try {
      const loss = await post<Loss>('/api/fund/losses', {
        readerId: panel.reader.id,
        barcode: form.barcode.trim(),
        lostOn: form.lostOn,
        settlement: form.settlement,
        ...(form.settlement === 'payment' ? { paymentTiyn: amount ?? 0 } : amount !== null ? { replacement: { priceTiyn: amount } } : {}),
        note: form.note.trim() || null,
      });
      setDone(loss);
      setForm((f) => ({ ...f, barcode: '', amount: '', note: '' }));
      setPanel(await get<ReaderPanel>(`/api/circulation/readers/${panel.reader.id}/panel`));
      await reload();
    } catch (err) {
      setError(err);
    }
  }

  const badSum = error instanceof Error && error.message === 'bad sum';

  return (
    <section>
      <h1>{t('nav.fund.losses')}</h1>
      <p className="muted">{t('fund.loss.intro')}</p>
      {badSum ? (
        <p className="banner banner-error" role="alert">{t('fund.loss.badSum')}</p>
      ) : (
        <ErrorBanner error={error} onClose={() => setError(null)} />
      )}
      {done && (
        <p className="banner banner-ok" data-testid="loss-done">
          {done.settlement === 'payment'
            ? t('fund.loss.donePayment', { number: done.inventoryNumber, title: done.title, sum: formatMoney(done.paymentTiyn ?? 0), act: done.writeOffActNumber })
            : t('fund.loss.doneReplacement', { number: done.inventoryNumber, title: done.title, replacement: done.replacementInventoryNumber ?? '', act: done.writeOffActNumber })}
        </p>
      )}

      <form className="panel row" onSubmit={findReader}>
        <div className="field">
          <label htmlFor="loss-reader">{t('fund.loss.reader')}</label>
          <input id="loss-reader" ref={readerInput} value={q} autoComplete="off" onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="field">
          <button type="submit" className="secondary">{t('common.search')}</button>
        </div>
      </form>
      {found && (
        <div className="panel">
          {found.length === 0 && <p className="muted">{t('fund.loss.noReader')}</p>}
          <ul className="class-list">
            {found.map((r) => (
              <li key={r.id}>
                <button type="button" className="secondary" onClick={() => void pick(r)}>
                  {r.fullName}
                  {r.className ? ` (${r.className})` : ''}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}

      {panel && (
        <form className="panel" onSubmit={record} data-testid="loss-form">
          <h2>
            {panel.reader.fullName}
            {panel.reader.className ? ` (${panel.reader.className})` : ''}
          </h2>
          {panel.loans.length > 0 ? (
            <fieldset>
              <legend>{t('fund.loss.atHome')}</legend>
              {panel.loans.map((l) => (
                <div key={l.loanId}>
                  <input
                    type="radio"
                    id={`loss-loan-${l.loanId}`}
                    name="loss-loan"
                    checked={form.barcode === l.barcode}
                    onChange={() => setForm({ ...form, barcode: l.barcode })}
                  />{' '}
                  <label htmlFor={`loss-loan-${l.loanId}`}>
                    {l.title} — №{l.inventoryNumber}, {t('fund.loss.due', { date: formatDate(l.dueOn) })}
                  </label>
                </div>
              ))}
            </fieldset>
          ) : (
            <p className="muted">{t('fund.loss.nothingAtHome')}</p>
          )}
          <div className="row">
            <div className="field">
              <label htmlFor="loss-barcode">{t('fund.loss.barcode')}</label>
              <input id="loss-barcode" value={form.barcode} autoComplete="off" onChange={(e) => setForm({ ...form, barcode: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="loss-date">{t('fund.loss.lostOn')}</label>
              <input id="loss-date" type="date" value={form.lostOn} onChange={(e) => setForm({ ...form, lostOn: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="loss-settlement">{t('fund.loss.settlement')}</label>
              <select id="loss-settlement" value={form.settlement} onChange={(e) => setForm({ ...form, settlement: e.target.value as Settlement })}>
                <option value="payment">{t('fund.loss.payment')}</option>
                <option value="replacement">{t('fund.loss.replacement')}</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="loss-amount">{form.settlement === 'payment' ? t('fund.loss.paid') : t('fund.loss.replacementPrice')}</label>
              <input id="loss-amount" value={form.amount} inputMode="decimal" onChange={(e) => setForm({ ...form, amount: e.target.value })} />
              {form.settlement === 'replacement' && <span className="field-hint">{t('fund.loss.replacementHint')}</span>}
            </div>
            <div className="field">
              <label htmlFor="loss-note">{t('fund.loss.note')}</label>
              <input id="loss-note" value={form.note} onChange={(e) => setForm({ ...form, note: e.target.value })} />
            </div>
            <div className="field">
              <button type="submit" disabled={!form.barcode.trim()}>{t('fund.loss.record')}</button>
            </div>
          </div>
        </form>
      )}

      <div className="panel">
        <h2>{panel ? t('fund.loss.listOfReader') : t('fund.loss.list')}</h2>
        <TableScroll>
          <table data-testid="losses">
            <thead>
              <tr>
                <th>{t('fund.loss.lostOn')}</th>
                <th>{t('fund.check.inventoryNumber')}</th>
                <th>{t('fund.receipt.workTitle')}</th>
                <th>{t('fund.loss.settlement')}</th>
                <th>{t('fund.loss.act')}</th>
              </tr>
            </thead>
            <tbody>
              {losses.map((l) => (
                <tr key={l.id}>
                  <td>{formatDate(l.lostOn)}</td>
                  <td>{l.inventoryNumber}</td>
                  <td>{l.title}</td>
                  <td>
                    {l.settlement === 'payment'
                      ? t('fund.loss.paidSum', { sum: formatMoney(l.paymentTiyn ?? 0) })
                      : t('fund.loss.replacedBy', { number: l.replacementInventoryNumber ?? '' })}
                  </td>
                  <td>
                    <Link to={`/fund/write-offs?act=${l.writeOffActId}`}>
                      {t('fund.loss.actLink', { number: l.writeOffActNumber })}
                    </Link>{' '}
                    ({l.writeOffStatus === 'approved' ? t('fund.act.approved') : t('fund.act.draft')})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        {losses.length === 0 && <p className="muted">{t('fund.loss.none')}</p>}
      </div>
    </section>
  );
}
