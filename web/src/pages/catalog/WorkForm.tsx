import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { get } from '../../api.js';
import { ACCESSIBLE_FORMATS, AGE_CATEGORIES, KNOWN_LANGUAGES, PUBLICATION_TYPES, type Work } from './types.js';
import { RowButton } from '../../components/RowButton.js';

const ROLES = ['author', 'editor', 'translator', 'illustrator', 'compiler'] as const;

export interface AuthorRow {
  name: string;
  role: (typeof ROLES)[number];
}

export interface WorkFields {
  title: string;
  parallelTitle: string;
  subtitle: string;
  responsibility: string;
  authors: AuthorRow[];
  edition: string;
  publishPlace: string;
  publisher: string;
  publishYear: string;
  pages: string;
  series: string;
  isbn: string;
  bbk: string;
  udc: string;
  authorSign: string;
  ageCategory: string;
  language: string;
  publicationType: string;
  accessibleFormat: string;
  subjectHeadings: string;
  annotation: string;
}

export const EMPTY_WORK: WorkFields = {
  title: '',
  parallelTitle: '',
  subtitle: '',
  responsibility: '',
  authors: [{ name: '', role: 'author' }],
  edition: '',
  publishPlace: '',
  publisher: '',
  publishYear: '',
  pages: '',
  series: '',
  isbn: '',
  bbk: '',
  udc: '',
  authorSign: '',
  ageCategory: '',
  language: 'kaz',
  publicationType: 'book',
  accessibleFormat: '',
  subjectHeadings: '',
  annotation: '',
};

/** The form's fields filled from a saved record, for editing it. */
export function fieldsOf(work: Work): WorkFields {
  const s = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  return {
    title: work.title,
    parallelTitle: s(work.parallelTitle),
    subtitle: s(work.subtitle),
    responsibility: s(work.responsibility),
    authors: work.authors.length
      ? work.authors.map((a) => ({ name: a.name, role: (ROLES as readonly string[]).includes(a.role) ? (a.role as AuthorRow['role']) : 'author' }))
      : [{ name: '', role: 'author' }],
    edition: s(work.edition),
    publishPlace: s(work.publishPlace),
    publisher: s(work.publisher),
    publishYear: s(work.publishYear),
    pages: s(work.pages),
    series: s(work.series),
    isbn: s(work.isbn),
    bbk: s(work.bbk),
    udc: s(work.udc),
    authorSign: s(work.authorSign),
    ageCategory: s(work.ageCategory),
    language: s(work.language) || 'kaz',
    publicationType: work.publicationType,
    accessibleFormat: s(work.accessibleFormat),
    subjectHeadings: work.subjectHeadings.join('\n'),
    annotation: s(work.annotation),
  };
}

/** The API's WorkInput from the form. */
export function toWorkInput(f: WorkFields) {
  const optional = (v: string) => v.trim() || null;
  const number = (v: string) => (v.trim() ? Number(v.trim()) : null);
  return {
    title: f.title.trim(),
    parallelTitle: optional(f.parallelTitle),
    subtitle: optional(f.subtitle),
    responsibility: optional(f.responsibility),
    edition: optional(f.edition),
    isbn: optional(f.isbn),
    publisher: optional(f.publisher),
    publishPlace: optional(f.publishPlace),
    publishYear: number(f.publishYear),
    pages: number(f.pages),
    series: optional(f.series),
    bbk: optional(f.bbk),
    udc: optional(f.udc),
    authorSign: optional(f.authorSign),
    ageCategory: optional(f.ageCategory),
    language: f.language,
    publicationType: f.publicationType as (typeof PUBLICATION_TYPES)[number],
    accessibleFormat: (optional(f.accessibleFormat) as (typeof ACCESSIBLE_FORMATS)[number] | null) ?? null,
    subjectHeadings: f.subjectHeadings
      .split('\n')
      .map((h) => h.trim())
      .filter(Boolean),
    annotation: optional(f.annotation),
    authors: f.authors.filter((a) => a.name.trim()).map((a) => ({ name: a.name.trim(), role: a.role })),
  };
}

interface GroupPreview {
  knowledgeGroup: string;
  bbkValid: boolean;
  udcValid: boolean;
}

/**
 * The full bibliographic description, for a new record and for editing a saved one. The author sign follows
 * the first author's surname by the table until the cataloguer types one; the report group the copies will
 * count in is shown while the BBK or UDC is typed.
 */
export function WorkForm(props: { initial: WorkFields; busy: boolean; submitLabel: string; onSubmit: (fields: WorkFields) => void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const [f, setF] = useState<WorkFields>(props.initial);
  const [signTouched, setSignTouched] = useState(Boolean(props.initial.authorSign));
  const [group, setGroup] = useState<GroupPreview | null>(null);
  const set = (name: keyof WorkFields) => (e: { target: { value: string } }) => setF((old) => ({ ...old, [name]: e.target.value }));

  const firstAuthor = f.authors.find((a) => a.role === 'author' && a.name.trim())?.name ?? '';
  useEffect(() => {
    if (signTouched) return;
    const handle = setTimeout(() => {
      const q = new URLSearchParams({ author: firstAuthor, title: f.title });
      get<{ authorSign: string | null }>(`/api/catalog/author-sign?${q}`).then(
        (r) => setF((old) => ({ ...old, authorSign: r.authorSign ?? '' })),
        () => undefined,
      );
    }, 250);
    return () => clearTimeout(handle);
  }, [firstAuthor, f.title, signTouched]);

  useEffect(() => {
    if (!f.bbk.trim() && !f.udc.trim()) {
      setGroup(null);
      return;
    }
    const handle = setTimeout(() => {
      const q = new URLSearchParams({ bbk: f.bbk.trim(), udc: f.udc.trim() });
      get<GroupPreview>(`/api/catalog/knowledge-group?${q}`).then(setGroup, () => setGroup(null));
    }, 200);
    return () => clearTimeout(handle);
  }, [f.bbk, f.udc]);

  const setAuthor = (i: number, patch: Partial<AuthorRow>) => setF((old) => ({ ...old, authors: old.authors.map((a, j) => (j === i ? { ...a, ...patch } : a)) }));

  function submit(e: FormEvent) {
    e.preventDefault();
    props.onSubmit(f);
  }

  return (
    <form className="panel" onSubmit={submit} aria-label={t('catalog.new.recordTitle')}>
      <h2>{t('catalog.new.recordTitle')}</h2>
      <Text id="title" label={t('catalog.work.title')} value={f.title} onChange={set('title')} required />
      <div className="row">
        <Text id="parallelTitle" label={t('catalog.work.parallelTitle')} value={f.parallelTitle} onChange={set('parallelTitle')} />
        <Text id="subtitle" label={t('catalog.work.subtitle')} value={f.subtitle} onChange={set('subtitle')} />
      </div>
      <Text id="responsibility" label={t('catalog.work.responsibility')} hint={t('catalog.work.responsibilityHint')} value={f.responsibility} onChange={set('responsibility')} />
      <fieldset>
        <legend>{t('catalog.work.authors')}</legend>
        {f.authors.map((a, i) => (
          <div className="row" key={i}>
            <div className="field">
              <label htmlFor={`author-${i}`}>{t('catalog.work.authorName', { n: i + 1 })}</label>
              <input id={`author-${i}`} value={a.name} onChange={(e) => setAuthor(i, { name: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor={`author-role-${i}`}>{t('catalog.work.authorRole')}</label>
              <select id={`author-role-${i}`} value={a.role} onChange={(e) => setAuthor(i, { role: e.target.value as AuthorRow['role'] })}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`catalog.role.${r}`)}
                  </option>
                ))}
              </select>
            </div>
            {f.authors.length > 1 && (
              <div className="field">
                <RowButton
                  label={t('catalog.work.removeAuthor')}
                  row={a.name || String(i + 1)}
                  onClick={() => setF((old) => ({ ...old, authors: old.authors.filter((_, j) => j !== i) }))}
                />
              </div>
            )}
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => setF((old) => ({ ...old, authors: [...old.authors, { name: '', role: 'author' }] }))}>
          {t('catalog.work.addAuthor')}
        </button>
      </fieldset>
      <div className="row">
        <Text id="edition" label={t('catalog.work.edition')} value={f.edition} onChange={set('edition')} />
        <Text id="publishPlace" label={t('catalog.work.publishPlace')} value={f.publishPlace} onChange={set('publishPlace')} />
        <Text id="publisher" label={t('catalog.work.publisherName')} value={f.publisher} onChange={set('publisher')} />
        <Text id="publishYear" label={t('catalog.work.year')} value={f.publishYear} onChange={set('publishYear')} inputMode="numeric" />
        <Text id="pages" label={t('catalog.work.pages')} value={f.pages} onChange={set('pages')} inputMode="numeric" />
      </div>
      <div className="row">
        <Text id="series" label={t('catalog.work.series')} value={f.series} onChange={set('series')} />
        <Text id="work-isbn" label="ISBN" value={f.isbn} onChange={set('isbn')} />
      </div>
      <div className="row">
        <Text id="bbk" label={t('catalog.work.bbk')} value={f.bbk} onChange={set('bbk')} hint={t('catalog.work.bbkHint')} />
        <Text id="udc" label={t('catalog.work.udc')} value={f.udc} onChange={set('udc')} hint={t('catalog.work.udcHint')} />
        <div className="field">
          <label htmlFor="authorSign">{t('catalog.work.authorSign')}</label>
          <input
            id="authorSign"
            value={f.authorSign}
            size={8}
            onChange={(e) => {
              setSignTouched(true);
              set('authorSign')(e);
            }}
          />
          <span className="field-hint">{t('catalog.work.authorSignHint')}</span>
        </div>
      </div>
      <p role="status" data-testid="group-preview" className="muted">
        {group
          ? group.bbkValid && group.udcValid
            ? t('catalog.work.groupPreview', { group: t(`fund.group.${group.knowledgeGroup}`) })
            : t('catalog.work.indexInvalid')
          : t('catalog.work.groupUnknown')}
      </p>
      <div className="row">
        <Select id="ageCategory" label={t('catalog.work.ageCategory')} value={f.ageCategory} onChange={set('ageCategory')}
          options={[['', t('catalog.work.notSet')], ...AGE_CATEGORIES.map((a): [string, string] => [a, t(`catalog.age.${a}`)])]} />
        <Select id="language" label={t('catalog.work.language')} value={f.language} onChange={set('language')}
          options={[...KNOWN_LANGUAGES.map((c): [string, string] => [c, t(`catalog.language.${c}`)]), ...(KNOWN_LANGUAGES.includes(f.language) ? [] : [[f.language, f.language] as [string, string]])]} />
        <Select id="publicationType" label={t('catalog.work.publicationType')} value={f.publicationType} onChange={set('publicationType')}
          options={PUBLICATION_TYPES.map((p): [string, string] => [p, t(`catalog.publicationType.${p}`)])} />
        <Select id="accessibleFormat" label={t('catalog.work.accessibleFormat')} value={f.accessibleFormat} onChange={set('accessibleFormat')}
          options={[['', t('catalog.work.ordinaryPrint')], ...ACCESSIBLE_FORMATS.map((a): [string, string] => [a, t(`catalog.accessible.${a}`)])]} />
      </div>
      <div className="field">
        <label htmlFor="subjectHeadings">{t('catalog.work.subjectHeadings')}</label>
        <textarea id="subjectHeadings" rows={2} value={f.subjectHeadings} onChange={set('subjectHeadings')} />
        <span className="field-hint">{t('catalog.work.subjectHeadingsHint')}</span>
      </div>
      <div className="field">
        <label htmlFor="annotation">{t('catalog.work.annotation')}</label>
        <textarea id="annotation" rows={3} value={f.annotation} onChange={set('annotation')} />
      </div>
      <div className="actions">
        <button type="submit" disabled={props.busy || !f.title.trim()}>
          {props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" className="secondary" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

function Text(props: { id: string; label: string; value: string; onChange: (e: { target: { value: string } }) => void; hint?: string; required?: boolean; inputMode?: 'numeric' }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input id={props.id} value={props.value} onChange={props.onChange} required={props.required} inputMode={props.inputMode} />
      {props.hint && <span className="field-hint">{props.hint}</span>}
    </div>
  );
}

function Select(props: { id: string; label: string; value: string; onChange: (e: { target: { value: string } }) => void; options: [string, string][] }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={props.onChange}>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}
