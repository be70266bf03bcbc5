import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { Link, useSearchParams } from 'react-router';
import { download, get, put, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatMoney, formatNumber, parseTenge } from '../../format.js';
import { inLibrary, useSession } from '../../session.js';
import { BarChart } from './BarChart.js';
import type { Coverage, PurchasePlan } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';

/**
 * A library's coverage of the recommended list: what it holds, what is missing, and what to buy
 * under its own rule. A methodologist reaches it from a school of the monitoring (read only).
 */
export default function CoveragePage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [params] = useSearchParams();
  const organisationId = params.get('organisationId') ?? undefined;
  const scope = query({ organisationId });
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const [plan, setPlan] = useState<PurchasePlan | null>(null);
  const [error, setError] = useState<unknown>(null);

  // an education authority's staff see a school's coverage by choosing it in the monitoring
  const noLibrary = !organisationId && !!me && !inLibrary(me);

  const load = useCallback(() => {
    setError(null);
    if (noLibrary) return;
    Promise.all([get<Coverage>(`/api/reclist/coverage${scope}`), get<PurchasePlan>(`/api/reclist/purchase-plan${scope}`)]).then(([c, p]) => {
      setCoverage(c);
      setPlan(p);
    }, setError);
  }, [scope, noLibrary]);
  useEffect(load, [load]);

  const missing = useMemo(() => coverage?.titles.filter((x) => x.copies === 0) ?? [], [coverage]);
  const chartSeries = useMemo(
    () => (coverage ? [{ name: t('reclist.coverage'), values: coverage.byCategory.map((c) => c.coverage) }] : []),
    [coverage, t],
  );
  const chartLabels = useMemo(() => coverage?.byCategory.map((c) => t(`reclist.category.${c.category}`)) ?? [], [coverage, t]);
  const canEditRule = !organisationId && (me?.role === 'librarian' || me?.role === 'admin');

  async function save(url: string) {
    setError(null);
    try {
      await download(`${url}${scope}`);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section>
      <h1>{t('nav.reclist.coverage')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {noLibrary && (
        <p className="muted">
          <Link to="/reclist/monitoring">{t('reclist.coverageNotLibrary')}</Link>
        </p>
      )}
      {coverage && (
        <>
          <div className="panel">
            <h2>{coverage.organisationName}</h2>
            <dl className="facts">
              <dt>{t('reclist.listYear')}</dt>
              <dd>{coverage.listYear}</dd>
              <dt>{t('reclist.coverage')}</dt>
              <dd>
                <strong>{formatNumber(coverage.coverage)}%</strong> — {t('reclist.titlesOf', { held: formatNumber(coverage.titlesHeld), total: formatNumber(coverage.titlesTotal) })}
              </dd>
              <dt>{t('reclist.listCopies')}</dt>
              <dd>{formatNumber(coverage.listCopies)}</dd>
              <dt>{t('reclist.students')}</dt>
              <dd>{formatNumber(coverage.students)}</dd>
              <dt>{t('reclist.per100')}</dt>
              <dd>{coverage.copiesPer100Students === null ? '—' : formatNumber(coverage.copiesPer100Students)}</dd>
            </dl>
            <div className="actions">
              <button type="button" className="secondary" onClick={() => void save('/api/reclist/coverage.xlsx')}>
                {t('reclist.exportXlsx')}
              </button>
            </div>
          </div>
          <div className="panel">
            <BarChart labels={chartLabels} series={chartSeries} label={t('reclist.monitoring.byCategory')} max={100} />
            <CategoryTable coverage={coverage} />
          </div>
          <div className="panel">
            <h2>{t('reclist.missing', { count: missing.length })}</h2>
            <TableScroll>
              <table>
                <thead>
                  <tr>
                    <th className="num">№</th>
                    <th>{t('reclist.title')}</th>
                    <th>{t('reclist.author')}</th>
                    <th>{t('reclist.category')}</th>
                    <th>{t('reclist.ageGroup')}</th>
                  </tr>
                </thead>
                <tbody>
                  {missing.map((x) => (
                    <tr key={x.entryId}>
                      <td className="num">{x.position}</td>
                      <td>{x.title}</td>
                      <td>{x.author}</td>
                      <td>{t(`reclist.category.${x.category}`)}</td>
                      <td>{x.ageGroup}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </div>
        </>
      )}
      {plan && (
        <div className="panel">
          <h2>{t('reclist.plan.title')}</h2>
          <p>
            {t('reclist.plan.rule', { students: plan.rule.studentsPerCopy, min: plan.rule.minCopies, price: formatMoney(plan.rule.priceTiyn) })}
          </p>
          {plan.rule.isDefault && <p className="muted">{t('reclist.plan.defaultRule')}</p>}
          {canEditRule && <RuleForm plan={plan} onSaved={load} onError={setError} />}
          {plan.lines.length === 0 ? (
            <p className="banner banner-ok">{t('reclist.plan.nothing')}</p>
          ) : (
            <>
              <p>
                <strong>{t('reclist.plan.total', { copies: formatNumber(plan.copiesToBuy), sum: formatMoney(plan.sumTiyn) })}</strong>
              </p>
              <div className="actions">
                <button type="button" className="secondary" onClick={() => void save('/api/reclist/purchase-plan.xlsx')}>
                  {t('reclist.exportXlsx')}
                </button>
              </div>
              <TableScroll>
                <table>
                  <thead>
                    <tr>
                      <th>{t('reclist.title')}</th>
                      <th>{t('reclist.ageGroup')}</th>
                      <th className="num">{t('reclist.students')}</th>
                      <th className="num">{t('reclist.plan.needed')}</th>
                      <th className="num">{t('reclist.held')}</th>
                      <th className="num">{t('reclist.plan.toBuy')}</th>
                      <th className="num">{t('reclist.plan.sum')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {plan.lines.map((l) => (
                      <tr key={l.entryId}>
                        <td>
                          {l.title}
                          <div className="muted">{l.author}</div>
                        </td>
                        <td>{l.ageGroup}</td>
                        <td className="num">{formatNumber(l.students)}</td>
                        <td className="num">{formatNumber(l.needed)}</td>
                        <td className="num">{formatNumber(l.held)}</td>
                        <td className="num">{formatNumber(l.toBuy)}</td>
                        <td className="num">{formatMoney(l.sumTiyn)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            </>
          )}
          {plan.requested.length > 0 && <RequestedTable plan={plan} />}
        </div>
      )}
    </section>
  );
}

/** What readers asked for and did not find, once the librarian put it into the plan (reference service). */
function RequestedTable({ plan }: { plan: PurchasePlan }) {
  const { t } = useTranslation();
  return (
    <>
      <h3>{t('reclist.plan.requested')}</h3>
      <p>
        <strong>{t('reclist.plan.total', { copies: formatNumber(plan.requestedCopies), sum: formatMoney(plan.requestedSumTiyn) })}</strong>
      </p>
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th>{t('reclist.title')}</th>
              <th>{t('reclist.plan.askedWhere')}</th>
              <th className="num">{t('reclist.plan.timesAsked')}</th>
              <th className="num">{t('reclist.plan.toBuy')}</th>
              <th className="num">{t('reclist.plan.sum')}</th>
            </tr>
          </thead>
          <tbody>
            {plan.requested.map((l) => (
              <tr key={l.unmetId}>
                <td>
                  {l.title}
                  {l.author && <div className="muted">{l.author}</div>}
                </td>
                <td>{t(`reclist.plan.source.${l.source}`)}</td>
                <td className="num">{formatNumber(l.times)}</td>
                <td className="num">{formatNumber(l.toBuy)}</td>
                <td className="num">{formatMoney(l.sumTiyn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

export function CategoryTable({ coverage }: { coverage: { byCategory: Coverage['byCategory'] } }) {
  const { t } = useTranslation();
  return (
    <TableScroll>
      <table>
        <thead>
          <tr>
            <th>{t('reclist.category')}</th>
            <th className="num">{t('reclist.titles')}</th>
            <th className="num">{t('reclist.held')}</th>
            <th className="num">{t('reclist.copies')}</th>
            <th className="num">{t('reclist.coverage')}</th>
          </tr>
        </thead>
        <tbody>
          {coverage.byCategory.map((c) => (
            <tr key={c.category}>
              <td>{t(`reclist.category.${c.category}`)}</td>
              <td className="num">{formatNumber(c.titles)}</td>
              <td className="num">{formatNumber(c.held)}</td>
              <td className="num">{formatNumber(c.copies)}</td>
              <td className="num">{formatNumber(c.coverage)}%</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function RuleForm({ plan, onSaved, onError }: { plan: PurchasePlan; onSaved: () => void; onError: (e: unknown) => void }) {
  const { t } = useTranslation();
  const [studentsPerCopy, setStudentsPerCopy] = useState(String(plan.rule.studentsPerCopy));
  const [minCopies, setMinCopies] = useState(String(plan.rule.minCopies));
  const [price, setPrice] = useState(String(plan.rule.priceTiyn / 100));

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await put('/api/reclist/purchase-rule', {
        studentsPerCopy: Number(studentsPerCopy),
        minCopies: Number(minCopies),
        priceTiyn: parseTenge(price) ?? -1,
      });
      onSaved();
    } catch (err) {
      onError(err);
    }
  }

  return (
    <form className="row" onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor="rule-students">{t('reclist.plan.studentsPerCopy')}</label>
        <input id="rule-students" type="number" min={1} value={studentsPerCopy} onChange={(e) => setStudentsPerCopy(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="rule-min">{t('reclist.plan.minCopies')}</label>
        <input id="rule-min" type="number" min={0} value={minCopies} onChange={(e) => setMinCopies(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="rule-price">{t('reclist.plan.price')}</label>
        <input id="rule-price" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} />
      </div>
      <div className="field">
        <button type="submit">{t('reclist.plan.saveRule')}</button>
      </div>
    </form>
  );
}
