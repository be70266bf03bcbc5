import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { useSearchParams } from 'react-router';
import { get, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { currentLanguage } from '../../i18n.js';
import { formatDateTime } from '../../format.js';
import { useAction } from '../../useAction.js';
import type { AuditFacets, AuditLine, AuditPage as AuditPageReply } from '../../../../src/org/audit.js';
import { actionLabel, detailParts, entityLabel, eventText } from './auditText.js';
import { TableScroll } from '../../components/TableScroll.js';

const LIMIT = 50;
const FILTERS = ['entity', 'action', 'userId', 'from', 'to'] as const;
type Filter = Record<(typeof FILTERS)[number], string>;

function filterOf(params: URLSearchParams): Filter {
  return Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ''])) as Filter;
}

/**
 * Who changed what, and when: the library's audit log, newest first, narrowed by what, action,
 * person and days. The filters live in the address, so a reload or a shared link shows the same
 * lines; "more" asks for the lines older than the last one shown, so lines written meanwhile never
 * repeat a line already on the screen.
 */
export default function AuditPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filterKey = FILTERS.map((name) => params.get(name) ?? '').join('|');
  const [form, setForm] = useState<Filter>(() => filterOf(params));
  const [facets, setFacets] = useState<AuditFacets | null>(null);
  const [lines, setLines] = useState<AuditLine[] | null>(null);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const { busy, error, setError, act } = useAction();

  useEffect(() => {
    get<AuditFacets>('/api/audit/facets').then(setFacets, setError);
  }, []);

  useEffect(() => {
    const filter = filterOf(params);
    setForm(filter);
    let current = true;
    void act(async () => {
      const page = await get<AuditPageReply>(`/api/audit${query({ ...filter, limit: LIMIT })}`);
      if (!current) return;
      setLines(page.items);
      setNextBefore(page.nextBefore);
    });
    return () => {
      current = false;
    };
  }, [filterKey]);

  function apply(e: FormEvent) {
    e.preventDefault();
    setParams(Object.fromEntries(Object.entries(form).filter(([, value]) => value !== '')));
  }

  const more = () =>
    act(async () => {
      const page = await get<AuditPageReply>(`/api/audit${query({ ...filterOf(params), limit: LIMIT, before: nextBefore })}`);
      setLines((shown) => [...(shown ?? []), ...page.items]);
      setNextBefore(page.nextBefore);
    });

  const byLabel = (a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label, currentLanguage());
  // a code named in the address stays selectable even before the facets arrive
  const withChosen = (codes: string[], chosen: string) => (chosen && !codes.includes(chosen) ? [...codes, chosen] : codes);
  const entities = withChosen(facets?.entities ?? [], form.entity)
    .map((code) => ({ code, label: entityLabel(t, code) }))
    .sort(byLabel);
  const actionCodes = form.entity && facets ? facets.pairs.filter((p) => p.entity === form.entity).map((p) => p.action) : (facets?.actions ?? []);
  const actions = withChosen(actionCodes, form.action)
    .map((code) => ({ code, label: actionLabel(t, code) }))
    .sort(byLabel);

  function chooseEntity(entity: string) {
    const fits = !entity || !facets || facets.pairs.some((p) => p.entity === entity && p.action === form.action);
    setForm({ ...form, entity, action: fits ? form.action : '' });
  }

  return (
    <section>
      <h1>{t('nav.admin.audit')}</h1>
      <p className="muted">{t('audit.intro')}</p>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <form className="panel row" onSubmit={apply} aria-label={t('nav.admin.audit')}>
        <div className="field">
          <label htmlFor="audit-entity">{t('audit.filter.entity')}</label>
          <select id="audit-entity" value={form.entity} onChange={(e) => chooseEntity(e.target.value)}>
            <option value="">{t('audit.filter.all')}</option>
            {entities.map((o) => (
              <option key={o.code} value={o.code}>{o.label}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-action">{t('audit.filter.action')}</label>
          <select id="audit-action" value={form.action} onChange={(e) => setForm({ ...form, action: e.target.value })}>
            <option value="">{t('audit.filter.all')}</option>
            {actions.map((o) => (
              <option key={o.code} value={o.code}>{o.label}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-user">{t('audit.filter.user')}</label>
          <select id="audit-user" value={form.userId} onChange={(e) => setForm({ ...form, userId: e.target.value })}>
            <option value="">{t('audit.filter.all')}</option>
            {(facets?.users ?? []).map((u) => (
              <option key={u.id} value={String(u.id)}>{`${u.fullName} (${u.login})`}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-from">{t('audit.filter.from')}</label>
          <input id="audit-from" type="date" value={form.from} max={form.to || undefined} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">{t('audit.filter.to')}</label>
          <input id="audit-to" type="date" value={form.to} min={form.from || undefined} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </div>
        <div className="field">
          <button type="submit" disabled={busy}>{t('audit.filter.show')}</button>
        </div>
        {FILTERS.some((name) => params.get(name)) && (
          <div className="field">
            <button type="button" className="secondary" onClick={() => setParams({})}>
              {t('audit.filter.reset')}
            </button>
          </div>
        )}
      </form>

      {lines === null && busy && <p className="muted">{t('common.loading')}</p>}
      {lines !== null && lines.length === 0 && <p className="muted">{t('audit.none')}</p>}
      {lines !== null && lines.length > 0 && (
        <>
          <TableScroll>
            <table className="card-table" data-testid="audit-lines">
              <thead>
                <tr>
                  <th>{t('audit.col.at')}</th>
                  <th>{t('audit.col.user')}</th>
                  <th>{t('audit.col.event')}</th>
                  <th>{t('audit.col.entityId')}</th>
                  <th>{t('audit.col.details')}</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((line) => (
                  <AuditRow key={line.id} line={line} />
                ))}
              </tbody>
            </table>
          </TableScroll>
          <div className="pager">
            <span className="muted" aria-live="polite">{t('audit.shown', { count: lines.length })}</span>
            {nextBefore !== null && (
              <button type="button" className="secondary" disabled={busy} onClick={() => void more()}>
                {t('audit.more')}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}

function AuditRow({ line }: { line: AuditLine }) {
  const { t } = useTranslation();
  const details = detailParts(t, line.details);
  return (
    <tr>
      <td data-label={t('audit.col.at')}>{formatDateTime(line.at)}</td>
      <td data-label={t('audit.col.user')}>
        {line.userFullName ?? t('audit.system')}
        {line.userLogin && <div className="muted">{line.userLogin}</div>}
      </td>
      <td>
        <strong>{eventText(t, line.action, line.entity)}</strong>
      </td>
      <td data-label={t('audit.col.entityId')}>{line.entityId ?? '—'}</td>
      <td data-label={details.parts.length ? t('audit.col.details') : undefined} title={details.full || undefined}>
        {details.parts.join('; ')}
      </td>
    </tr>
  );
}
