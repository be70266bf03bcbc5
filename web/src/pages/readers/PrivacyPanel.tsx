import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { useNavigate } from 'react-router';
import { download, get, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate, today } from '../../format.js';
import { useAction } from '../../useAction.js';
import type { ConsentJson } from '../../../../src/readers/privacy.js';
import type { Reader } from './types.js';

const SCOPES = ['service', 'public_name', 'contact'] as const;

/**
 * A reader's personal data on the reader's page: the consents of the legal representative (or the
 * legal basis relied on), the papers to print, everything held as a file, blocking and erasure.
 */
export function PrivacyPanel({ reader, onChange }: { reader: Reader; onChange: (consents: ConsentJson[], reader?: Reader) => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [consents, setConsents] = useState<ConsentJson[]>([]);
  const [form, setForm] = useState({ scope: 'service', basis: 'consent', givenBy: '', givenOn: today(), note: '' });
  const { busy, error, setError, notice, setNotice, act } = useAction();

  const load = useCallback(async () => {
    const list = await get<ConsentJson[]>(`/api/readers/${reader.id}/consents`);
    setConsents(list);
    onChange(list);
  }, [reader.id, onChange]);
  useEffect(() => {
    load().catch(setError);
  }, [load, setError]);

  const record = (e: FormEvent) => {
    e.preventDefault();
    return act(async () => {
      await post(`/api/readers/${reader.id}/consents`, {
        scope: form.scope,
        basis: form.basis,
        givenBy: form.givenBy.trim() || null,
        givenOn: form.givenOn,
        note: form.note.trim() || null,
        form: form.basis === 'consent' ? 'paper' : null,
      });
      setForm({ ...form, givenBy: '', note: '' });
      await load();
    });
  };
  const withdraw = (c: ConsentJson) =>
    act(async () => {
      if (!window.confirm(t('privacy.consent.withdrawConfirm'))) return;
      await post(`/api/readers/${reader.id}/consents/${c.id}/withdraw`);
      await load();
      onChange(consents, await get<Reader>(`/api/readers/${reader.id}`));
    });
  const block = (blocked: boolean) =>
    act(async () => {
      await post(`/api/readers/${reader.id}/block`, { blocked });
      onChange(consents, await get<Reader>(`/api/readers/${reader.id}`));
    });
  const erase = () =>
    act(async () => {
      if (!window.confirm(t('privacy.erase.confirm', { name: reader.fullName }))) return;
      await post(`/api/readers/${reader.id}/erase`);
      setNotice(t('privacy.erase.done'));
      onChange(consents, await get<Reader>(`/api/readers/${reader.id}`));
    });

  return (
    <div className="panel" aria-labelledby="privacy-title">
      <h2 id="privacy-title">{t('privacy.title')}</h2>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && (
        <p className="banner banner-ok" role="status">
          {notice}
        </p>
      )}
      {reader.blocked && <p className="banner">{t('privacy.blocked')}</p>}
      <table>
        <thead>
          <tr>
            <th>{t('privacy.consent.scope')}</th>
            <th>{t('privacy.consent.basis')}</th>
            <th>{t('privacy.consent.givenBy')}</th>
            <th>{t('privacy.consent.givenOn')}</th>
            <th>{t('privacy.consent.withdrawnOn')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {consents.map((c) => (
            <tr key={c.id} className={c.withdrawnOn ? 'muted' : undefined}>
              <td>{t(`privacy.scope.${c.scope}`)}</td>
              <td>{c.basis === 'consent' ? t('privacy.basis.consent') : `${t('privacy.basis.legal_basis')}: ${c.note ?? ''}`}</td>
              <td>{c.givenBy ?? '—'}</td>
              <td>{formatDate(c.givenOn)}</td>
              <td>{c.withdrawnOn ? formatDate(c.withdrawnOn) : ''}</td>
              <td>
                {!c.withdrawnOn && !reader.anonymised && (
                  <button type="button" className="secondary" disabled={busy} onClick={() => void withdraw(c)}>
                    {t('privacy.consent.withdraw')}
                  </button>
                )}
              </td>
            </tr>
          ))}
          {!consents.length && (
            <tr>
              <td colSpan={6} className="muted">
                {t('privacy.consent.none')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {!reader.anonymised && (
        <form className="form-row" onSubmit={(e) => void record(e)}>
          <select aria-label={t('privacy.consent.scope')} value={form.scope} onChange={(e) => setForm({ ...form, scope: e.target.value })}>
            {SCOPES.map((s) => (
              <option key={s} value={s}>
                {t(`privacy.scope.${s}`)}
              </option>
            ))}
          </select>
          <select aria-label={t('privacy.consent.basis')} value={form.basis} onChange={(e) => setForm({ ...form, basis: e.target.value })}>
            <option value="consent">{t('privacy.basis.consent')}</option>
            <option value="legal_basis">{t('privacy.basis.legal_basis')}</option>
          </select>
          {form.basis === 'consent' ? (
            <input aria-label={t('privacy.consent.givenBy')} placeholder={t('privacy.consent.givenBy')} value={form.givenBy} onChange={(e) => setForm({ ...form, givenBy: e.target.value })} />
          ) : (
            <input aria-label={t('privacy.consent.note')} placeholder={t('privacy.consent.note')} value={form.note} onChange={(e) => setForm({ ...form, note: e.target.value })} />
          )}
          <input type="date" aria-label={t('privacy.consent.givenOn')} value={form.givenOn} onChange={(e) => setForm({ ...form, givenOn: e.target.value })} />
          <button type="submit" disabled={busy}>
            {t('privacy.consent.record')}
          </button>
        </form>
      )}
      <div className="row">
        <button type="button" className="secondary" onClick={() => void download(`/api/readers/${reader.id}/consent-form.pdf?lang=kk`).catch(setError)}>
          {t('privacy.form.kk')}
        </button>
        <button type="button" className="secondary" onClick={() => void download(`/api/readers/${reader.id}/consent-form.pdf?lang=ru`).catch(setError)}>
          {t('privacy.form.ru')}
        </button>
        <button type="button" className="secondary" onClick={() => void download(`/api/readers/${reader.id}/data.pdf`).catch(setError)}>
          {t('privacy.data.pdf')}
        </button>
        <button type="button" className="secondary" onClick={() => void download(`/api/readers/${reader.id}/data`).catch(setError)}>
          {t('privacy.data.json')}
        </button>
        <button type="button" className="secondary" onClick={() => void navigate('/readers/requests')}>
          {t('nav.readers.requests')}
        </button>
      </div>
      {!reader.anonymised && (
        <div className="row">
          <button type="button" className="secondary" disabled={busy} onClick={() => void block(!reader.blocked)}>
            {reader.blocked ? t('privacy.unblock') : t('privacy.block')}
          </button>
          <button type="button" className="danger" disabled={busy} onClick={() => void erase()}>
            {t('privacy.erase.button')}
          </button>
        </div>
      )}
    </div>
  );
}
