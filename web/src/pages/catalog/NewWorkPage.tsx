import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { KNOWN_LANGUAGES, type Work } from './types.js';

/** GET /api/catalog/isbn/:isbn: the checked ISBN and the records already carrying it. */
interface IsbnLookup {
  isbn13: string;
  hyphenated: string;
  existing: Work[];
}

const EMPTY = { title: '', subtitle: '', authors: '', publisher: '', publishPlace: '', publishYear: '', language: 'kaz', pages: '', annotation: '' };
type Fields = typeof EMPTY;

/**
 * A new bibliographic record. The ISBN is looked up first: the record is usually already in the
 * shared catalogue, and then the librarian only adds copies to it.
 */
export default function NewWorkPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [isbn, setIsbn] = useState('');
  const [lookup, setLookup] = useState<IsbnLookup | null>(null);
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const set = (name: keyof Fields) => (e: { target: { value: string } }) => setFields({ ...fields, [name]: e.target.value });

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

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await post<{ id: number }>('/api/catalog/works', toWorkInput(fields, lookup?.isbn13 ?? isbn));
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
      <form className="panel" onSubmit={(e) => void create(e)}>
        <h2>{t('catalog.new.recordTitle')}</h2>
        <TextField id="title" label={t('catalog.work.title')} value={fields.title} onChange={set('title')} required />
        <TextField id="subtitle" label={t('catalog.work.subtitle')} value={fields.subtitle} onChange={set('subtitle')} />
        <TextField id="authors" label={t('catalog.work.authors')} hint={t('catalog.new.authorsHint')} value={fields.authors} onChange={set('authors')} />
        <div className="row">
          <TextField id="publishPlace" label={t('catalog.work.publishPlace')} value={fields.publishPlace} onChange={set('publishPlace')} />
          <TextField id="publisher" label={t('catalog.work.publisherName')} value={fields.publisher} onChange={set('publisher')} />
          <TextField id="publishYear" label={t('catalog.work.year')} value={fields.publishYear} onChange={set('publishYear')} inputMode="numeric" />
          <TextField id="pages" label={t('catalog.work.pages')} value={fields.pages} onChange={set('pages')} inputMode="numeric" />
          <div className="field">
            <label htmlFor="language">{t('catalog.work.language')}</label>
            <select id="language" value={fields.language} onChange={set('language')}>
              {KNOWN_LANGUAGES.map((code) => (
                <option key={code} value={code}>
                  {t(`catalog.language.${code}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="field">
          <label htmlFor="annotation">{t('catalog.work.annotation')}</label>
          <textarea id="annotation" rows={3} value={fields.annotation} onChange={set('annotation')} />
        </div>
        <button type="submit" disabled={busy || !fields.title.trim()}>
          {t('catalog.new.create')}
        </button>
      </form>
    </section>
  );
}

function TextField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (e: { target: { value: string } }) => void;
  hint?: string;
  required?: boolean;
  inputMode?: 'numeric';
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input id={props.id} value={props.value} onChange={props.onChange} required={props.required} inputMode={props.inputMode} />
      {props.hint && <span className="field-hint">{props.hint}</span>}
    </div>
  );
}

function toWorkInput(f: Fields, isbn: string) {
  const optional = (v: string) => v.trim() || null;
  const number = (v: string) => (v.trim() ? Number(v.trim()) : null);
  return {
    title: f.title.trim(),
    subtitle: optional(f.subtitle),
    isbn: optional(isbn),
    publisher: optional(f.publisher),
    publishPlace: optional(f.publishPlace),
    publishYear: number(f.publishYear),
    pages: number(f.pages),
    language: f.language,
    annotation: optional(f.annotation),
    // One author per line or separated by semicolons: "Абай Құнанбайұлы; Мұхтар Әуезов".
    authors: f.authors
      .split(/[;\n]/)
      .map((name) => name.trim())
      .filter(Boolean)
      .map((name) => ({ name })),
  };
}
