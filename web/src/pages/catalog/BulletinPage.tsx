import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { Link, useSearchParams } from 'react-router';
import { download, get, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate } from '../../format.js';
import { inLibrary, useSession } from '../../session.js';
import type { Bulletin } from '../../../../src/fund/bulletin.js';

/**
 * The new acquisitions bulletin of a library, for the public catalogue: /catalog/new-acquisitions?organisationId=7
 * &from=2026-09-01&to=2026-09-30 (a school's website may link it); signed-in staff see their own library.
 */
export default function BulletinPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const organisationId = params.get('organisationId') ?? undefined;
  const [from, setFrom] = useState(params.get('from') ?? '');
  const [to, setTo] = useState(params.get('to') ?? '');
  const [bulletin, setBulletin] = useState<Bulletin | null>(null);
  const [error, setError] = useState<unknown>(null);
  const q = query({ organisationId, from: params.get('from'), to: params.get('to') });

  // the bulletin belongs to a library: an education authority's staff open it from a school's catalogue
  const noLibrary = !organisationId && !!me && !inLibrary(me);

  useEffect(() => {
    if ((!organisationId && !me) || noLibrary) return;
    setError(null);
    get<Bulletin>(`/api/catalog/new-acquisitions${q}`).then((b) => {
      setBulletin(b);
      setFrom(b.from);
      setTo(b.to);
    }, setError);
  }, [q, me?.userId]);

  const apply = () => setParams({ ...(organisationId ? { organisationId } : {}), from, to });

  return (
    <section>
      <h1>{t('nav.catalog.bulletin')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {noLibrary && <p className="muted">{t('fund.bulletin.notLibrary')}</p>}
      <div className="panel row no-print">
        <div className="field">
          <label htmlFor="bulletin-from">{t('fund.bulletin.from')}</label>
          <input id="bulletin-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="bulletin-to">{t('fund.bulletin.to')}</label>
          <input id="bulletin-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <div className="field">
          <button type="button" onClick={apply}>{t('fund.bulletin.show')}</button>
        </div>
        <div className="field">
          <button type="button" className="secondary" onClick={() => void download(`/api/catalog/new-acquisitions.pdf${q}`).catch(setError)}>PDF</button>
        </div>
      </div>
      {bulletin && (
        <>
          <h2>
            {bulletin.library}: {formatDate(bulletin.from)} – {formatDate(bulletin.to)}
          </h2>
          <p className="muted">{t('fund.bulletin.totals', { titles: bulletin.titles, copies: bulletin.copies })}</p>
          {bulletin.groups.length === 0 && <p>{t('fund.bulletin.empty')}</p>}
          {bulletin.groups.map((g) => (
            <div key={g.group} className="panel">
              <h3>{t(`fund.group.${g.group}`)}</h3>
              <ol>
                {g.entries.map((e) => (
                  <li key={e.workId}>
                    <Link to={`/catalog/works/${e.workId}${organisationId ? `?organisationId=${organisationId}` : ''}`}>{e.description}</Link>
                    {e.ageCategory ? ` (${e.ageCategory})` : ''}
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </>
      )}
    </section>
  );
}
