import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { Link, useSearchParams } from 'react-router';
import { get, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Pager } from '../../components/Pager.js';
import { formatNumber } from '../../format.js';
import { useSession } from '../../session.js';
import { ACCESSIBLE_FORMATS, languageName, titleLang, type Page, type SearchHit } from './types.js';

const LIMIT = 20;

/** The catalogue for everyone: one box, ranked results, whether a copy is on the shelf. */
export default function SearchPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const signedIn = !!me;
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const offset = Number(params.get('offset') ?? 0) || 0;
  // A school's website can link its own catalogue: /?organisationId=7 counts that library's copies.
  const organisationId = params.get('organisationId') ?? undefined;
  // large print, Braille, audio: a reader who needs one looks through those only
  const accessibleFormat = params.get('accessibleFormat') ?? undefined;
  const [text, setText] = useState(q);
  const [result, setResult] = useState<Page<SearchHit> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => setText(q), [q]);

  useEffect(() => {
    if (!q.trim() && !accessibleFormat) {
      setResult(null);
      return;
    }
    let current = true;
    setLoading(true);
    setError(null);
    // a submitted search that finds nothing is noted for the librarian as a book asked for (never who asked)
    get<Page<SearchHit>>(`/api/catalog/search${query({ q, limit: LIMIT, offset, organisationId, accessibleFormat, asked: signedIn ? 'true' : undefined })}`)
      .then((page) => current && setResult(page))
      .catch((err: unknown) => current && setError(err))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [q, offset, organisationId, accessibleFormat, signedIn]);

  const withLibrary = (next: Record<string, string>) => ({
    ...next,
    ...(organisationId ? { organisationId } : {}),
    ...(accessibleFormat ? { accessibleFormat } : {}),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    setParams(withLibrary(text.trim() ? { q: text.trim() } : {}));
  }

  return (
    <section>
      <h1>{t('catalog.search.title')}</h1>
      <form className="search-box" role="search" onSubmit={submit}>
        <label htmlFor="catalog-q" className="visually-hidden">
          {t('catalog.search.label')}
        </label>
        <input
          id="catalog-q"
          type="search"
          autoFocus
          value={text}
          placeholder={t('catalog.search.placeholder')}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit">{t('common.search')}</button>
      </form>
      <div className="field">
        <label htmlFor="catalog-accessible">{t('catalog.work.accessibleFormat')}</label>
        <select
          id="catalog-accessible"
          value={accessibleFormat ?? ''}
          onChange={(e) => {
            const next: Record<string, string> = q ? { q } : {};
            if (organisationId) next.organisationId = organisationId;
            if (e.target.value) next.accessibleFormat = e.target.value;
            setParams(next);
          }}
        >
          <option value="">{t('catalog.search.anyFormat')}</option>
          <option value="any">{t('catalog.search.anyAccessible')}</option>
          {ACCESSIBLE_FORMATS.map((f) => (
            <option key={f} value={f}>
              {t(`catalog.accessible.${f}`)}
            </option>
          ))}
        </select>
      </div>
      <ErrorBanner error={error} />
      {loading && <p className="muted">{t('common.loading')}</p>}
      {result && !loading && (
        <>
          <p className="muted" aria-live="polite">
            {result.total === 0 ? t('catalog.search.nothing', { q }) : t('catalog.search.found', { count: result.total, total: formatNumber(result.total) })}
          </p>
          <ol className="results">
            {result.items.map((hit) => (
              <SearchResult key={hit.workId} hit={hit} signedIn={me !== null || organisationId !== undefined} />
            ))}
          </ol>
          <Pager offset={offset} limit={LIMIT} total={result.total} onChange={(o) => setParams(withLibrary({ q, offset: String(o) }))} />
        </>
      )}
    </section>
  );
}

function SearchResult({ hit, signedIn }: { hit: SearchHit; signedIn: boolean }) {
  const { t } = useTranslation();
  const { available, total } = hit.availability;
  return (
    <li className="result">
      <Link className="result-title" to={`/catalog/works/${hit.workId}`} lang={titleLang(hit.language)}>
        {hit.title}
        {hit.subtitle ? `: ${hit.subtitle}` : ''}
      </Link>
      <div>{hit.authors.map((a) => a.name).join(', ')}</div>
      <div className="row muted">
        {hit.publishYear && <span>{hit.publishYear}</span>}
        {hit.language && <span>{languageName(hit.language, t)}</span>}
        {hit.isbn && <span>ISBN {hit.isbn}</span>}
        {total > 0 ? (
          <span className={`badge ${available > 0 ? 'badge-ok' : 'badge-none'}`}>
            {t('catalog.availability', { available: formatNumber(available), total: formatNumber(total) })}
          </span>
        ) : (
          // A visitor's search counts no particular library, so "none here" would mislead.
          signedIn && <span className="badge badge-none">{t('catalog.noCopies')}</span>
        )}
      </div>
    </li>
  );
}
