import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, put } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { useSession } from '../../session.js';
import { RULE_GROUPS, type GroupRule } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';

/**
 * The mapping of BBK and UDC indexes to the report groups of the summary book. Everyone on the fund side
 * reads it; an administrator edits it and saves the whole table at once. A copy keeps the group it got at
 * receipt: a changed rule counts only for copies received after it.
 */
export default function GroupRulesPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const canEdit = me?.role === 'admin';
  const [rules, setRules] = useState<GroupRule[]>([]);
  const [saved, setSaved] = useState(false);
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    get<{ items: GroupRule[] }>('/api/fund/knowledge-group-rules').then((r) => setRules(r.items), setError);
  }, []);

  const change = (index: number, patch: Partial<GroupRule>) => {
    setSaved(false);
    setRules(rules.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  };

  async function save() {
    setError(null);
    try {
      const result = await put<{ items: GroupRule[] }>('/api/fund/knowledge-group-rules', { items: rules });
      setRules(result.items);
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  }

  const shown = rules.map((r, index) => ({ r, index })).filter(({ r }) => !filter.trim() || r.prefix.startsWith(filter.trim()));

  return (
    <section>
      <h1>{t('nav.fund.groupRules')}</h1>
      <p className="muted">{t('fund.rules.intro')}</p>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {saved && <p className="banner banner-ok">{t('common.saved')}</p>}
      <div className="panel">
        <div className="row">
          <div className="field">
            <label htmlFor="rules-filter">{t('fund.rules.filter')}</label>
            <input id="rules-filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
          </div>
        </div>
        <TableScroll>
          <table data-testid="group-rules">
            <thead>
              <tr>
                <th>{t('fund.rules.scheme')}</th>
                <th>{t('fund.rules.prefix')}</th>
                <th>{t('fund.rules.group')}</th>
                <th>{t('fund.rules.priority')}</th>
                {canEdit && <th />}
              </tr>
            </thead>
            <tbody>
              {shown.map(({ r, index }) =>
                canEdit ? (
                  <tr key={index}>
                    <td>
                      <select aria-label={t('fund.rules.scheme')} value={r.scheme} onChange={(e) => change(index, { scheme: e.target.value as GroupRule['scheme'] })}>
                        <option value="bbk">{t('fund.rules.bbk')}</option>
                        <option value="udc">{t('fund.rules.udc')}</option>
                      </select>
                    </td>
                    <td>
                      <input aria-label={t('fund.rules.prefix')} value={r.prefix} onChange={(e) => change(index, { prefix: e.target.value })} />
                    </td>
                    <td>
                      <select aria-label={t('fund.rules.group')} value={r.knowledgeGroup} onChange={(e) => change(index, { knowledgeGroup: e.target.value as GroupRule['knowledgeGroup'] })}>
                        {RULE_GROUPS.map((g) => (
                          <option key={g} value={g}>{t(`fund.group.${g}`)}</option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input
                        aria-label={t('fund.rules.priority')}
                        type="number"
                        value={r.priority}
                        onChange={(e) => change(index, { priority: Number(e.target.value) || 0 })}
                      />
                    </td>
                    <td>
                      <button type="button" className="secondary" onClick={() => { setSaved(false); setRules(rules.filter((_, i) => i !== index)); }}>
                        {t('fund.rules.remove')}
                      </button>
                    </td>
                  </tr>
                ) : (
                  <tr key={index}>
                    <td>{t(`fund.rules.${r.scheme}`)}</td>
                    <td>{r.prefix}</td>
                    <td>{t(`fund.group.${r.knowledgeGroup}`)}</td>
                    <td className="num">{r.priority}</td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </TableScroll>
        {canEdit ? (
          <div className="row">
            <button
              type="button"
              className="secondary"
              onClick={() => { setSaved(false); setRules([...rules, { scheme: 'bbk', prefix: filter.trim(), knowledgeGroup: 'other', priority: 0 }]); }}
            >
              {t('fund.rules.add')}
            </button>
            <button type="button" onClick={() => void save()}>{t('common.save')}</button>
          </div>
        ) : (
          <p className="muted">{t('fund.rules.readOnly')}</p>
        )}
      </div>
    </section>
  );
}
