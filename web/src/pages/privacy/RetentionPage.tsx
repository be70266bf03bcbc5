import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, put } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { useAction } from '../../useAction.js';

const FIELDS = ['leaversDays', 'loansDays', 'visitsDays', 'readingDays', 'textbooksDays', 'lossesDays', 'auditDays', 'sessionsDays', 'backupsDays'] as const;
type Field = (typeof FIELDS)[number];
type Limits = Record<Field, { min: number; max: number; default: number }>;
type Retention = Record<Field, number> & { limits: Limits };

/**
 * How long the library keeps each kind of personal data. The server holds the bounds and the
 * defaults; the page shows them beside each field and refuses a value outside them before sending.
 */
export default function RetentionPage() {
  const { t } = useTranslation();
  const [saved, setSaved] = useState<Retention | null>(null);
  const [draft, setDraft] = useState<Record<Field, string>>(() => Object.fromEntries(FIELDS.map((f) => [f, ''])) as Record<Field, string>);
  const { busy, error, setError, notice, setNotice, act } = useAction();

  const show = (r: Retention) => {
    setSaved(r);
    setDraft(Object.fromEntries(FIELDS.map((f) => [f, String(r[f])])) as Record<Field, string>);
  };
  useEffect(() => void get<Retention>('/api/readers/retention').then(show, setError), []);

  const outOfBounds = (f: Field) => {
    if (!saved) return false;
    const v = Number(draft[f]);
    return draft[f].trim() === '' || !Number.isInteger(v) || v < saved.limits[f].min || v > saved.limits[f].max;
  };
  const invalid = FIELDS.some(outOfBounds);

  const save = () =>
    act(async () => {
      const next = await put<Retention>('/api/readers/retention', Object.fromEntries(FIELDS.map((f) => [f, Number(draft[f])])));
      show(next);
      setNotice(t('privacy.retention.saved'));
    });

  const defaults = () => saved && setDraft(Object.fromEntries(FIELDS.map((f) => [f, String(saved.limits[f].default)])) as Record<Field, string>);

  return (
    <section>
      <h1>{t('nav.admin.retention')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <div className="panel">
        <p>{t('privacy.retention.intro')}</p>
        <p className="muted">{t('privacy.retention.reports')}</p>
      </div>
      {saved && (
        <form
          className="panel form-narrow"
          onSubmit={(e) => {
            e.preventDefault();
            if (!invalid) void save();
          }}
        >
          {FIELDS.map((f) => (
            <div className="field" key={f}>
              <label htmlFor={`retention-${f}`}>{t(`privacy.retention.${f}`)}</label>
              <input
                id={`retention-${f}`}
                type="number"
                inputMode="numeric"
                min={saved.limits[f].min}
                max={saved.limits[f].max}
                step={1}
                value={draft[f]}
                aria-invalid={outOfBounds(f)}
                aria-describedby={`retention-${f}-hint`}
                onChange={(e) => setDraft({ ...draft, [f]: e.target.value })}
              />
              <small id={`retention-${f}-hint`} className="field-hint">
                {t(`privacy.retention.${f}.hint`)} {t('privacy.retention.bounds', saved.limits[f])}
              </small>
            </div>
          ))}
          <div className="actions">
            <button type="submit" disabled={busy || invalid}>
              {t('privacy.retention.save')}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={defaults}>
              {t('privacy.retention.defaults')}
            </button>
          </div>
          {notice && (
            <p className="banner banner-ok" role="status">
              {notice}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
