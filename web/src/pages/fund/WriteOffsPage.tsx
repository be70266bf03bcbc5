import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { useSearchParams } from 'react-router';
import { download, get, post, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate, formatMoney } from '../../format.js';
import { today, WRITE_OFF_REASONS, type Act, type ActCopy } from './types.js';

/**
 * Write-off acts: draft an act, scan the copies into it, approve it. An approved act is shown
 * read-only; the server refuses a copy on loan and a second approval with a translated message.
 * An approved act is never deleted: it is reversed by a new act that returns its copies to the fund.
 * `?act=ID` opens an act directly (the shortage act of a fund check, the act of lost books).
 */
export default function WriteOffsPage() {
  const { t } = useTranslation();
  const [acts, setActs] = useState<Act[]>([]);
  const [current, setCurrent] = useState<{ act: Act; copies: ActCopy[] } | null>(null);
  const [draft, setDraft] = useState({ actDate: today(), reason: 'physical_wear', chair: '', members: '', head: '', transferTo: '' });
  const [targets, setTargets] = useState<{ id: number; name: string }[]>([]);
  useEffect(() => void get<{ items: { id: number; name: string }[] }>('/api/fund/transfer-targets').then((r) => setTargets(r.items), () => setTargets([])), []);
  const [barcode, setBarcode] = useState('');
  const [reversal, setReversal] = useState({ actDate: today(), note: '' });
  const [error, setError] = useState<unknown>(null);
  const [params, setParams] = useSearchParams();
  const actParam = Number(params.get('act')) || null;
  const scanInput = useRef<HTMLInputElement>(null);

  const reload = () => get<{ items: Act[] }>(`/api/fund/write-off-acts${query({ limit: 20 })}`).then((r) => setActs(r.items), setError);
  useEffect(() => void reload(), []);

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    }
  }

  const open = (id: number) => run(async () => setCurrent(await get(`/api/fund/write-off-acts/${id}`)));
  useEffect(() => {
    if (actParam) void open(actParam);
  }, [actParam]);

  function create(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const act = await post<Act>('/api/fund/write-off-acts', {
        actDate: draft.actDate,
        reason: draft.reason,
        chair: draft.chair.trim() || null,
        head: draft.head.trim() || null,
        commission: draft.members.split(/[,;\n]/).map((m) => m.trim()).filter(Boolean),
        transferTo: draft.reason === 'transfer' && draft.transferTo ? Number(draft.transferTo) : null,
      });
      await open(act.id);
      await reload();
      scanInput.current?.focus();
    });
  }

  function add(e: FormEvent) {
    e.preventDefault();
    if (!current || !barcode.trim()) return;
    void run(async () => {
      try {
        await post(`/api/fund/write-off-acts/${current.act.id}/copies`, { barcodes: [barcode.trim()] });
      } finally {
        setBarcode('');
        scanInput.current?.focus();
      }
      await open(current.act.id);
    });
  }

  const approve = () =>
    current &&
    window.confirm(t('fund.act.approveConfirm', { count: current.copies.length })) &&
    run(async () => {
      await post(`/api/fund/write-off-acts/${current.act.id}/approve`);
      await open(current.act.id);
      await reload();
    });

  function reverse(e: FormEvent) {
    e.preventDefault();
    if (!current) return;
    void run(async () => {
      const made = await post<Act>(`/api/fund/write-off-acts/${current.act.id}/reverse`, { actDate: reversal.actDate, note: reversal.note.trim() || null });
      setParams({ act: String(made.id) });
      await open(made.id);
      await reload();
    });
  }

  const statusText = (a: Act) =>
    a.kind === 'reversal'
      ? t('fund.act.reversal')
      : a.status === 'approved'
        ? a.reversedById
          ? t('fund.act.reversed')
          : t('fund.act.approved')
        : t('fund.act.draft');

  return (
    <section>
      <h1>{t('nav.fund.writeOffs')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <form className="panel row" onSubmit={create}>
        <h2>{t('fund.act.new')}</h2>
        <div className="field">
          <label htmlFor="act-date">{t('fund.act.date')}</label>
          <input id="act-date" type="date" value={draft.actDate} onChange={(e) => setDraft({ ...draft, actDate: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="act-reason">{t('fund.act.reason')}</label>
          <select id="act-reason" value={draft.reason} onChange={(e) => setDraft({ ...draft, reason: e.target.value })}>
            {WRITE_OFF_REASONS.map((r) => (
              <option key={r} value={r}>{t(`fund.reason.${r}`)}</option>
            ))}
          </select>
        </div>
        {draft.reason === 'transfer' && (
          <div className="field">
            <label htmlFor="act-transfer">{t('fund.act.transferTo')}</label>
            <select id="act-transfer" value={draft.transferTo} onChange={(e) => setDraft({ ...draft, transferTo: e.target.value })}>
              <option value="">—</option>
              {targets.map((o) => (
                <option key={o.id} value={o.id}>{o.name}</option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="act-chair">{t('fund.act.chair')}</label>
          <input id="act-chair" value={draft.chair} onChange={(e) => setDraft({ ...draft, chair: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="act-members">{t('fund.act.members')}</label>
          <input id="act-members" value={draft.members} placeholder={t('fund.act.membersHint')} onChange={(e) => setDraft({ ...draft, members: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="act-head">{t('fund.act.head')}</label>
          <input id="act-head" value={draft.head} onChange={(e) => setDraft({ ...draft, head: e.target.value })} />
        </div>
        <div className="field">
          <button type="submit">{t('fund.act.create')}</button>
        </div>
      </form>

      {current && (
        <div className="panel" data-testid="act">
          <h2>
            {t('fund.act.title', { number: current.act.number, date: formatDate(current.act.actDate) })} — {statusText(current.act)}
          </h2>
          <p className="muted">
            {t(`fund.reason.${current.act.reason}`)}
            {current.act.transferToName && <> → {current.act.transferToName}</>}
          </p>
          {(current.act.chair || current.act.commission.length > 0) && (
            <p data-testid="act-commission">
              {t('fund.act.commission')}: {[current.act.chair, ...current.act.commission].filter(Boolean).join(', ')}
            </p>
          )}
          <p className="no-print">
            <button type="button" className="secondary" onClick={() => void download(`/api/fund/write-off-acts/${current.act.id}/act.pdf`)}>
              {t('fund.act.print')}
            </button>
          </p>
          {current.act.kind === 'reversal' && current.act.reversesId && (
            <p className="muted">
              <button type="button" className="secondary" onClick={() => void open(current.act.reversesId!)}>{t('fund.act.reversesLink')}</button>
            </p>
          )}
          {current.act.reversedById && (
            <p className="muted">
              <button type="button" className="secondary" onClick={() => void open(current.act.reversedById!)}>{t('fund.act.reversedByLink')}</button>
            </p>
          )}
          {current.act.status === 'approved' && current.act.kind === 'write_off' && !current.act.reversedById && (
            <details className="no-print" data-testid="reverse">
              <summary>{t('fund.act.reverse')}</summary>
              <form className="row" onSubmit={reverse}>
                <p className="muted">{t('fund.act.reverseHint')}</p>
                <div className="field">
                  <label htmlFor="reverse-date">{t('fund.act.reverseDate')}</label>
                  <input id="reverse-date" type="date" value={reversal.actDate} onChange={(e) => setReversal({ ...reversal, actDate: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor="reverse-note">{t('fund.act.reverseNote')}</label>
                  <input id="reverse-note" value={reversal.note} onChange={(e) => setReversal({ ...reversal, note: e.target.value })} />
                </div>
                <div className="field">
                  <button type="submit" className="danger">{t('fund.act.reverseSubmit')}</button>
                </div>
              </form>
            </details>
          )}
          {current.act.status === 'draft' && (
            <form className="row" onSubmit={add}>
              <div className="field">
                <label htmlFor="act-barcode">{t('fund.act.scan')}</label>
                <input id="act-barcode" ref={scanInput} autoFocus value={barcode} onChange={(e) => setBarcode(e.target.value)} />
              </div>
              <div className="field">
                <button type="submit" className="secondary">{t('fund.act.add')}</button>
              </div>
              <div className="field">
                <button type="button" onClick={() => void approve()} disabled={current.copies.length === 0}>
                  {t('fund.act.approve')}
                </button>
              </div>
            </form>
          )}
          <table>
            <thead>
              <tr>
                <th>{t('fund.receipt.inventoryNumbers')}</th>
                <th>{t('fund.receipt.workTitle')}</th>
                <th>{t('fund.receipt.price')}</th>
              </tr>
            </thead>
            <tbody>
              {current.copies.map((c) => (
                <tr key={c.copyId}>
                  <td>{c.inventoryNumber}</td>
                  <td>{c.title}</td>
                  <td>{formatMoney(c.priceTiyn)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <div className="panel">
        <h2>{t('fund.act.list')}</h2>
        <table>
          <tbody>
            {acts.map((a) => (
              <tr key={a.id}>
                <td>
                  <button type="button" className="secondary" onClick={() => void open(a.id)}>
                    {a.number}
                  </button>
                </td>
                <td>{formatDate(a.actDate)}</td>
                <td>{t(`fund.reason.${a.reason}`)}</td>
                <td>{statusText(a)}</td>
                <td>{a.copiesCount}</td>
                <td>{formatMoney(a.sumTiyn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
