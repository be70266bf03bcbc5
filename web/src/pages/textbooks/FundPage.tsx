import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate, formatMoney, parseTenge } from '../../format.js';
import { CONDITIONS, schoolYearOf, today, WRITE_OFF_REASONS, type Batch, type Condition, type StockLine, type WriteOff } from './types.js';
import { WorkPicker } from './WorkPicker.js';
import { TableScroll } from '../../components/TableScroll.js';

const SOURCES = ['budget_purchase', 'state_order', 'gift', 'exchange', 'replacement', 'initial'] as const;

/** The textbook fund by title: receipt of new textbooks, counts by condition, write-off by count. */
export default function FundPage() {
  const { t } = useTranslation();
  const [stock, setStock] = useState<StockLine[]>([]);
  const [acts, setActs] = useState<WriteOff[]>([]);
  const [unstamped, setUnstamped] = useState<Batch[]>([]);
  const [receipt, setReceipt] = useState({ receivedOn: today(), source: 'budget_purchase', documentNumber: '', schoolYear: schoolYearOf(today()), count: 1, price: '' });
  const [work, setWork] = useState<{ id: number; title: string } | null>(null);
  const [writeOff, setWriteOff] = useState({ reason: 'wear', workId: 0, condition: 'unusable' as Condition, count: 1 });
  const [counted, setCounted] = useState({ workId: 0, good: 0, worn: 0, unusable: 0 });
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const reload = async () => {
    setStock((await get<{ items: StockLine[] }>('/api/textbooks/stock')).items);
    setActs((await get<{ items: WriteOff[] }>('/api/textbooks/write-offs')).items);
    setUnstamped((await get<{ items: Batch[] }>('/api/textbooks/receipts?unstamped=true')).items);
  };
  useEffect(() => void reload().catch(setError), []);

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
      await reload();
    } catch (err) {
      setError(err);
    }
  }

  function receive(e: FormEvent) {
    e.preventDefault();
    if (!work) return;
    const { count, price, ...header } = receipt;
    void run(() => post('/api/textbooks/receipts', { ...header, lines: [{ workId: work.id, count, priceTiyn: parseTenge(price) ?? 0 }] }));
  }

  function writeOffCopies(e: FormEvent) {
    e.preventDefault();
    const { reason, ...line } = writeOff;
    void run(() => post('/api/textbooks/write-offs', { reason, lines: [line] }));
  }

  function recordCheck(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    void run(async () => {
      const check = await post<{ missing: number }>('/api/textbooks/checks', { lines: [counted] });
      setNotice(t('textbooks.check.done', { count: check.missing }));
    });
  }

  return (
    <section>
      <h1>{t('nav.textbooks.fund')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && <div className="banner banner-ok">{notice}</div>}
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th>{t('textbooks.work')}</th>
              <th className="num">{t('textbooks.received')}</th>
              <th className="num">{t('textbooks.writtenOff')}</th>
              {CONDITIONS.map((c) => (
                <th key={c} className="num">{t(`textbooks.condition.${c}`)}</th>
              ))}
              <th className="num">{t('textbooks.issued')}</th>
              <th className="num">{t('textbooks.usable')}</th>
            </tr>
          </thead>
          <tbody>
            {stock.map((s) => (
              <tr key={s.workId}>
                <td>{s.title}</td>
                <td className="num">{s.received}</td>
                <td className="num">{s.writtenOff}</td>
                {CONDITIONS.map((c) => (
                  <td key={c} className="num">{s[c]}</td>
                ))}
                <td className="num">{s.issued}</td>
                <td className="num">{s.usable}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>

      <form className="panel row" onSubmit={receive}>
        <h2>{t('textbooks.receive.title')}</h2>
        <div className="field">
          <label htmlFor="rcv-date">{t('textbooks.receive.date')}</label>
          <input id="rcv-date" type="date" value={receipt.receivedOn} onChange={(e) => setReceipt({ ...receipt, receivedOn: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="rcv-source">{t('textbooks.receive.source')}</label>
          <select id="rcv-source" value={receipt.source} onChange={(e) => setReceipt({ ...receipt, source: e.target.value })}>
            {SOURCES.map((s) => (
              <option key={s} value={s}>{t(`textbooks.source.${s}`)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="rcv-doc">{t('textbooks.receive.document')}</label>
          <input id="rcv-doc" value={receipt.documentNumber} onChange={(e) => setReceipt({ ...receipt, documentNumber: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="rcv-year">{t('textbooks.schoolYear')}</label>
          <input id="rcv-year" value={receipt.schoolYear} onChange={(e) => setReceipt({ ...receipt, schoolYear: e.target.value })} />
        </div>
        <WorkPicker id="rcv-work" onPick={setWork} />
        <div className="field">
          <label htmlFor="rcv-count">{t('textbooks.count')}</label>
          <input id="rcv-count" type="number" min={1} value={receipt.count} onChange={(e) => setReceipt({ ...receipt, count: Number(e.target.value) })} />
        </div>
        <div className="field">
          <label htmlFor="rcv-price">{t('textbooks.price')}</label>
          <input id="rcv-price" inputMode="decimal" value={receipt.price} onChange={(e) => setReceipt({ ...receipt, price: e.target.value })} />
        </div>
        <div className="field">
          <button type="submit" disabled={!work}>{t('textbooks.receive.button')}</button>
        </div>
      </form>

      {unstamped.length > 0 && (
        <div className="panel">
          <h2>{t('textbooks.stamp.title')}</h2>
          <ul className="facts">
            {unstamped.map((b) => (
              <li key={b.id}>
                {b.title} × {b.copiesCount} ({t('textbooks.stamp.receipt', { number: b.receiptNumber, date: formatDate(b.receivedOn) })})
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => void run(() => post('/api/textbooks/receipts/stamp', { batchIds: unstamped.map((b) => b.id) }))}>
            {t('textbooks.stamp.button')}
          </button>
        </div>
      )}

      <form className="panel row" onSubmit={writeOffCopies}>
        <h2>{t('textbooks.writeOff.title')}</h2>
        <div className="field">
          <label htmlFor="wo-reason">{t('textbooks.writeOff.reason')}</label>
          <select id="wo-reason" value={writeOff.reason} onChange={(e) => setWriteOff({ ...writeOff, reason: e.target.value })}>
            {WRITE_OFF_REASONS.map((r) => (
              <option key={r} value={r}>{t(`textbooks.reason.${r}`)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="wo-work">{t('textbooks.work')}</label>
          <select id="wo-work" value={writeOff.workId} onChange={(e) => setWriteOff({ ...writeOff, workId: Number(e.target.value) })}>
            <option value={0} />
            {stock.map((s) => (
              <option key={s.workId} value={s.workId}>{s.title}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="wo-condition">{t('textbooks.condition')}</label>
          <select id="wo-condition" value={writeOff.condition} onChange={(e) => setWriteOff({ ...writeOff, condition: e.target.value as Condition })}>
            {CONDITIONS.map((c) => (
              <option key={c} value={c}>{t(`textbooks.condition.${c}`)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="wo-count">{t('textbooks.count')}</label>
          <input id="wo-count" type="number" min={1} value={writeOff.count} onChange={(e) => setWriteOff({ ...writeOff, count: Number(e.target.value) })} />
        </div>
        <div className="field">
          <button type="submit" disabled={!writeOff.workId}>{t('textbooks.writeOff.button')}</button>
        </div>
      </form>

      <form className="panel row" onSubmit={recordCheck}>
        <h2>{t('textbooks.check.title')}</h2>
        <div className="field">
          <label htmlFor="chk-work">{t('textbooks.work')}</label>
          <select id="chk-work" value={counted.workId} onChange={(e) => setCounted({ ...counted, workId: Number(e.target.value) })}>
            <option value={0} />
            {stock.map((s) => (
              <option key={s.workId} value={s.workId}>{s.title}</option>
            ))}
          </select>
        </div>
        {(['good', 'worn', 'unusable'] as const).map((c) => (
          <div className="field" key={c}>
            <label htmlFor={`chk-${c}`}>{t(`textbooks.condition.${c}`)}</label>
            <input id={`chk-${c}`} type="number" min={0} value={counted[c]} onChange={(e) => setCounted({ ...counted, [c]: Number(e.target.value) })} />
          </div>
        ))}
        <div className="field">
          <button type="submit" disabled={!counted.workId}>{t('textbooks.check.button')}</button>
        </div>
      </form>

      <h2>{t('textbooks.writeOff.acts')}</h2>
      <ul className="facts">
        {acts.map((a) => (
          <li key={a.id}>
            {t('textbooks.writeOff.act', { number: a.number, date: formatDate(a.actDate) })} — {t(`textbooks.reason.${a.reason}`)}:{' '}
            {a.lines.map((l) => `${l.title} × ${l.copiesCount}`).join('; ')} ({formatMoney(a.sumTiyn)})
          </li>
        ))}
      </ul>
    </section>
  );
}
