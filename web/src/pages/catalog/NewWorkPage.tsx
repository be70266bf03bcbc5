import { useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { Link, useNavigate } from 'react-router';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import type { Work } from './types.js';
import { EMPTY_WORK, toWorkInput, WorkForm, type WorkFields } from './WorkForm.js';

/** GET /api/catalog/isbn/:isbn: the checked ISBN and the records already carrying it. */
interface IsbnLookup {
  isbn13: string;
  hyphenated: string;
  existing: Work[];
}

/**
 * A new bibliographic record. The ISBN is looked up first: the record is usually already in the
 * shared catalogue, and then the librarian only adds copies to it.
 */
export default function NewWorkPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [isbn, setIsbn] = useState('');
  const [lookup, setLookup] = useState<IsbnLookup | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function findIsbn(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setLookup(null);
    try {
      setLookup(await get<IsbnLookup>(`/api/catalog/isbn/${encodeURIComponent(isbn.trim())}`));
    } catch (err) {
      setError(err);
    }
  }

  async function create(fields: WorkFields) {
    setBusy(true);
    setError(null);
    try {
      const created = await post<{ id: number }>('/api/catalog/works', toWorkInput({ ...fields, isbn: fields.isbn.trim() || lookup?.isbn13 || isbn }));
      void navigate(`/catalog/works/${created.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <h1>{t('nav.catalog.new')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <form className="panel row" onSubmit={(e) => void findIsbn(e)}>
        <div className="field">
          <label htmlFor="isbn">ISBN</label>
          <input id="isbn" value={isbn} autoFocus inputMode="numeric" onChange={(e) => setIsbn(e.target.value)} />
          <span className="field-hint">{t('catalog.new.isbnHint')}</span>
        </div>
        <div className="field">
          <button type="submit" disabled={!isbn.trim()}>
            {t('catalog.new.findIsbn')}
          </button>
        </div>
      </form>
      {lookup && lookup.existing.length > 0 && (
        <div className="banner banner-ok" role="status">
          <div>
            {t('catalog.new.alreadyThere')}
            <ul>
              {lookup.existing.map((w) => (
                <li key={w.id}>
                  <Link to={`/catalog/works/${w.id}`}>
                    {w.title} — {w.authors.map((a) => a.name).join(', ')}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
      {lookup && lookup.existing.length === 0 && (
        <p className="muted" role="status">
          ISBN {lookup.hyphenated}: {t('catalog.new.notFound')}
        </p>
      )}
      <WorkForm key={lookup?.isbn13 ?? ''} initial={{ ...EMPTY_WORK, isbn: lookup?.isbn13 ?? '' }} busy={busy} submitLabel={t('catalog.new.create')} onSubmit={(f) => void create(f)} />
    </section>
  );
}
