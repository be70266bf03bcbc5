import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { useNavigate, useParams } from 'react-router';
import { download, get, patch, post } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import type { ConsentJson } from '../../../../src/readers/privacy.js';
import { PrivacyPanel } from './PrivacyPanel.js';
import { READER_KINDS, type Reader, type ReaderKind } from './types.js';

interface Fields {
  lastName: string;
  firstName: string;
  middleName: string;
  kind: ReaderKind;
  grade: string;
  classLetter: string;
  birthDate: string;
  phone: string;
  email: string;
  parentName: string;
  parentPhone: string;
  status: 'active' | 'left';
}

const BLANK: Fields = {
  lastName: '', firstName: '', middleName: '', kind: 'student', grade: '', classLetter: '', birthDate: '',
  phone: '', email: '', parentName: '', parentPhone: '', status: 'active',
};

function fieldsOf(r: Reader): Fields {
  return {
    lastName: r.lastName, firstName: r.firstName, middleName: r.middleName ?? '', kind: r.kind,
    grade: r.grade === null ? '' : String(r.grade), classLetter: r.classLetter ?? '', birthDate: r.birthDate ?? '',
    phone: r.phone ?? '', email: r.email ?? '', parentName: r.parentName ?? '', parentPhone: r.parentPhone ?? '', status: r.status,
  };
}

function bodyOf(f: Fields) {
  const optional = (v: string) => v.trim() || null;
  return {
    lastName: f.lastName.trim(), firstName: f.firstName.trim(), middleName: optional(f.middleName), kind: f.kind,
    grade: f.grade.trim() === '' ? null : Number(f.grade), classLetter: optional(f.classLetter), birthDate: optional(f.birthDate),
    phone: optional(f.phone), email: optional(f.email), parentName: optional(f.parentName), parentPhone: optional(f.parentPhone),
    status: f.status,
  };
}

/** A reader's record: view and edit, print the card. With no id it registers a new reader. */
export default function ReaderPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const isNew = id === undefined;
  const [reader, setReader] = useState<Reader | null>(null);
  const [fields, setFields] = useState<Fields>(BLANK);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  // a pupil's and family's contacts are asked for only under a contact consent
  const [contactConsent, setContactConsent] = useState(false);
  const onPrivacyChange = useCallback((consents: ConsentJson[], changed?: Reader) => {
    setContactConsent(consents.some((c) => c.scope === 'contact' && !c.withdrawnOn));
    if (changed) {
      setReader(changed);
      setFields(fieldsOf(changed));
    }
  }, []);

  useEffect(() => {
    if (isNew) return;
    get<Reader>(`/api/readers/${id}`).then((r) => {
      setReader(r);
      setFields(fieldsOf(r));
    }, setError);
  }, [id, isNew]);

  const set = (name: keyof Fields) => (e: { target: { value: string } }) => {
    setSaved(false);
    setFields({ ...fields, [name]: e.target.value });
  };

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      if (isNew) {
        const created = await post<Reader>('/api/readers', bodyOf(fields));
        void navigate(`/readers/${created.id}`, { replace: true });
      } else {
        const updated = await patch<Reader>(`/api/readers/${id}`, bodyOf(fields));
        setReader(updated);
        setFields(fieldsOf(updated));
        setSaved(true);
      }
    } catch (err) {
      setError(err);
    }
  }

  async function printCard() {
    setError(null);
    try {
      await download('/api/readers/cards', { readerIds: [reader!.id] });
    } catch (err) {
      setError(err);
    }
  }

  if (!isNew && !reader) return error ? <ErrorBanner error={error} /> : <p className="muted">{t('common.loading')}</p>;

  const input = (name: keyof Fields, label: string, props: Record<string, unknown> = {}) => (
    <div className="field">
      <label htmlFor={`reader-${name}`}>{label}</label>
      <input id={`reader-${name}`} value={fields[name]} onChange={set(name)} {...props} />
    </div>
  );

  return (
    <section>
      <h1>{isNew ? t('readers.new') : reader!.fullName}</h1>
      {reader && (
        <div className="row">
          <p className="muted">
            {t('readers.cardLine', { number: reader.registrationNumber, barcode: reader.barcode })}
          </p>
          <button type="button" className="secondary" onClick={() => void printCard()}>
            {t('readers.cards.one')}
          </button>
        </div>
      )}
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {saved && (
        <p className="banner banner-ok" role="status">
          {t('common.saved')}
        </p>
      )}
      <form className="panel" onSubmit={(e) => void save(e)}>
        <div className="row">
          {input('lastName', t('readers.lastName'), { required: true, autoFocus: isNew })}
          {input('firstName', t('readers.firstName'), { required: true })}
          {input('middleName', t('readers.middleName'))}
        </div>
        <div className="row">
          <div className="field">
            <label htmlFor="reader-kind">{t('readers.kindLabel')}</label>
            <select id="reader-kind" value={fields.kind} onChange={set('kind')}>
              {READER_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`readers.kind.${k}`)}
                </option>
              ))}
            </select>
          </div>
          {input('grade', t('readers.grade'), { type: 'number', min: 0, max: 12 })}
          {input('classLetter', t('readers.classLetter'), { maxLength: 2, size: 3 })}
          {input('birthDate', t('readers.birthDate'), { type: 'date' })}
        </div>
        {fields.kind !== 'student' || contactConsent ? (
          <div className="row">
            {input('phone', t('readers.phone'), { type: 'tel' })}
            {input('email', t('readers.email'), { type: 'email' })}
            {fields.kind === 'student' && input('parentName', t('readers.parentName'))}
            {fields.kind === 'student' && input('parentPhone', t('readers.parentPhone'), { type: 'tel' })}
          </div>
        ) : (
          <p className="muted">{t('privacy.contactsNeedConsent')}</p>
        )}
        {!isNew && (
          <div className="field">
            <label htmlFor="reader-status">{t('readers.statusLabel')}</label>
            <select id="reader-status" value={fields.status} onChange={set('status')}>
              <option value="active">{t('readers.status.active')}</option>
              <option value="left">{t('readers.status.left')}</option>
            </select>
          </div>
        )}
        <button type="submit">{t('common.save')}</button>
      </form>
      {reader && <PrivacyPanel reader={reader} onChange={onPrivacyChange} />}
    </section>
  );
}
