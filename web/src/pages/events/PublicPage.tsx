import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { useParams } from 'react-router';
import { get } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { LanguageSwitch } from '../../components/LanguageSwitch.js';
import { formatDate } from '../../format.js';
import type { ExhibitionView } from './types.js';

interface PublicData {
  library: { id: number; name: string; nameRu: string | null; nameEn: string | null; code: string | null };
  events: { id: number; heldOn: string; title: string; form: string; classes: string | null; participants: number; photos: number[] }[];
  exhibitions: (ExhibitionView & { current: boolean })[];
  acquisitions: { workId: number; title: string; publishYear: number | null; acquiredOn: string }[];
}

/**
 * The public page of a library at /public/<code>: its events, exhibitions (virtual ones with their
 * works) and new books. Needs no sign-in and shows no reader; a school's website links or frames it.
 */
export default function PublicPage() {
  const { t, i18n } = useTranslation();
  const { library = '' } = useParams();
  const [data, setData] = useState<PublicData | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void get<PublicData>(`/api/public/${encodeURIComponent(library)}`).then(setData, setError), [library]);
  useEffect(() => {
    if (data) document.title = data.library.name;
  }, [data]);
  const name = data ? (i18n.language === 'ru' ? (data.library.nameRu ?? data.library.name) : i18n.language === 'en' ? (data.library.nameEn ?? data.library.name) : data.library.name) : '';
  return (
    <main className="public-page">
      <header className="app-header">
        <h1>{name}</h1>
        <LanguageSwitch />
      </header>
      <ErrorBanner error={error} />
      {data && (
        <div className="public-body">
          <h2>{t('events.public.exhibitions')}</h2>
          {data.exhibitions.length === 0 && <p className="muted">{t('events.public.none')}</p>}
          {data.exhibitions.map((x) => (
            <article key={x.id} className="panel">
              <h3>
                {x.title} {x.current && <span className="badge">{t('events.public.now')}</span>}
              </h3>
              <p className="muted">
                {formatDate(x.startsOn)} – {formatDate(x.endsOn)}
                {x.theme ? ` · ${x.theme}` : ''}
              </p>
              {x.description && <p>{x.description}</p>}
              <ul>
                {x.works.map((w) => (
                  <li key={w.workId}>
                    <a href={`/catalog/works/${w.workId}`} target="_top">{w.authors ? `${w.authors}. ` : ''}{w.title}{w.publishYear ? `, ${w.publishYear}` : ''}</a>
                  </li>
                ))}
              </ul>
            </article>
          ))}
          <h2>{t('events.public.events')}</h2>
          {data.events.length === 0 && <p className="muted">{t('events.public.none')}</p>}
          <ul>
            {data.events.map((e) => (
              <li key={e.id}>
                {formatDate(e.heldOn)} — {e.title} ({t(`events.form.${e.form}`)})
                {e.photos.map((p) => <img key={p} src={`/api/public/${encodeURIComponent(library)}/photos/${p}`} alt="" style={{ maxHeight: 120, display: 'block' }} />)}
              </li>
            ))}
          </ul>
          <h2>{t('events.public.acquisitions')}</h2>
          {data.acquisitions.length === 0 && <p className="muted">{t('events.public.none')}</p>}
          <ul>
            {data.acquisitions.map((a) => (
              <li key={a.workId}>
                <a href={`/catalog/works/${a.workId}`} target="_top">{a.title}{a.publishYear ? `, ${a.publishYear}` : ''}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </main>
  );
}
