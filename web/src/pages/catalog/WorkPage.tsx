import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { useParams } from 'react-router';
import { del, download, get, put, upload } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate, formatMoney, formatNumber } from '../../format.js';
import { isStaff, useSession } from '../../session.js';
import { Recommendations } from '../reading/Recommendations.js';
import { ReserveButton } from '../circulation/ReserveButton.js';
import { AddCopiesForm } from './AddCopiesForm.js';
import { CopyEditor } from './CopyEditor.js';
import { languageName, titleLang, type Copy, type WorkWithCopies } from './types.js';
import { fieldsOf, toWorkInput, WorkForm, type WorkFields } from './WorkForm.js';
import { TableScroll } from '../../components/TableScroll.js';

/** Labels on one A4 sheet: 3 columns × 8 rows, as the server lays them out. */
const LABELS_PER_SHEET = 24;

/** One bibliographic record; library staff also manage its copies here and print their labels. */
export default function WorkPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { me } = useSession();
  const [work, setWork] = useState<WorkWithCopies | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [coverError, setCoverError] = useState<unknown>(null);
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [editError, setEditError] = useState<unknown>(null);

  useEffect(() => {
    setWork(null);
    get<WorkWithCopies>(`/api/catalog/works/${id}`).then(setWork, setError);
  }, [id, me?.userId]);

  if (error) return <ErrorBanner error={error} />;
  if (!work) return <p className="muted">{t('common.loading')}</p>;

  const setCopies = (copies: Copy[]) => setWork({ ...work, copies });
  const cataloguer = me?.role === 'librarian' || me?.role === 'admin';
  const changeCover = (file: File | undefined) => {
    if (!file) return;
    setCoverError(null);
    upload<WorkWithCopies>(`/api/catalog/works/${work.id}/cover`, file).then((w) => setWork({ ...work, coverUrl: w.coverUrl }), setCoverError);
  };
  async function save(fields: WorkFields) {
    if (!work) return;
    setSaving(true);
    setEditError(null);
    try {
      const saved = await put<WorkWithCopies>(`/api/catalog/works/${work.id}`, toWorkInput(fields));
      setWork({ ...saved, copies: work.copies });
      setEditing(false);
    } catch (err) {
      setEditError(err);
    } finally {
      setSaving(false);
    }
  }
  const dropCover = () =>
    del<WorkWithCopies>(`/api/catalog/works/${work.id}/cover`).then((w) => setWork({ ...work, coverUrl: w.coverUrl }), setCoverError);
  return (
    <article>
      {work.coverUrl && <img className="cover" src={work.coverUrl} alt={t('catalog.work.cover')} />}
      <h1 lang={titleLang(work.language)}>
        {work.title}
        {work.subtitle ? `: ${work.subtitle}` : ''}
      </h1>
      {work.parallelTitle && <p className="muted">= {work.parallelTitle}</p>}
      <p className="result-title">
        {work.responsibility || work.authors.map((a) => (a.role === 'author' ? a.name : `${a.name} (${t(`catalog.role.${a.role}`)})`)).join(', ')}
      </p>
      <dl className="facts">
        <Fact label={t('catalog.work.edition')} value={work.edition} />
        <Fact label={t('catalog.work.publisher')} value={[work.publishPlace, work.publisher, work.publishYear].filter(Boolean).join(', ')} />
        <Fact label={t('catalog.work.series')} value={work.series} />
        <Fact label="ISBN" value={work.isbn} />
        <Fact label={t('catalog.work.language')} value={work.language && languageName(work.language, t)} />
        <Fact label={t('catalog.work.pages')} value={work.pages} />
        <Fact label={t('catalog.work.publicationType')} value={t(`catalog.publicationType.${work.publicationType}`)} />
        <Fact label={t('catalog.work.bbk')} value={work.bbk} />
        <Fact label={t('catalog.work.udc')} value={work.udc} />
        <Fact label={t('catalog.work.authorSign')} value={work.authorSign} />
        <Fact label={t('catalog.work.ageCategory')} value={work.ageCategory} />
        <Fact label={t('catalog.work.accessibleFormat')} value={work.accessibleFormat && t(`catalog.accessible.${work.accessibleFormat}`)} />
        <Fact label={t('catalog.work.subjectHeadings')} value={work.subjectHeadings.join('; ')} />
      </dl>
      {work.annotation && <p>{work.annotation}</p>}
      {cataloguer && !editing && (
        <p className="no-print">
          <button type="button" onClick={() => setEditing(true)}>
            {t('catalog.work.edit')}
          </button>
        </p>
      )}
      {cataloguer && editing && (
        <>
          <ErrorBanner error={editError} onClose={() => setEditError(null)} />
          <WorkForm initial={fieldsOf(work)} busy={saving} submitLabel={t('common.save')} onSubmit={(f) => void save(f)} onCancel={() => setEditing(false)} />
        </>
      )}
      {cataloguer && <ErrorBanner error={coverError} onClose={() => setCoverError(null)} />}
      {cataloguer && (
        <p className="cover-actions">
          <label>
            {t('catalog.work.uploadCover')}{' '}
            <input type="file" accept="image/jpeg,image/png" onChange={(e) => changeCover(e.target.files?.[0])} />
          </label>
          {work.coverUrl?.startsWith('/api/') && (
            <button type="button" onClick={() => void dropCover()}>
              {t('catalog.work.removeCover')}
            </button>
          )}
        </p>
      )}
      {isStaff(me) && work.copies && <Copies workId={work.id} copies={work.copies} onChange={setCopies} />}
      {(me?.role === 'student' || me?.role === 'parent') && <ReserveButton workId={work.id} />}
      <Recommendations workId={work.id} />
    </article>
  );
}

function Fact({ label, value }: { label: string; value: string | number | null | undefined }) {
  if (value === null || value === undefined || value === '') return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}

function Copies({ workId, copies, onChange }: { workId: number; copies: Copy[]; onChange: (copies: Copy[]) => void }) {
  const { t } = useTranslation();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [editing, setEditing] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [startAt, setStartAt] = useState('1');
  const onShelf = copies.filter((c) => c.status === 'available').length;
  const allSelected = copies.length > 0 && selected.size === copies.length;

  function toggle(id: number) {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  }

  async function printLabels() {
    setError(null);
    try {
      const position = Math.max(1, Math.min(LABELS_PER_SHEET, Number(startAt) || 1));
      await download('/api/copies/labels', { copyIds: [...selected], startAt: position - 1 });
    } catch (err) {
      setError(err);
    }
  }

  function added(newCopies: Copy[]) {
    onChange([...copies, ...newCopies]);
    // The usual next step after receiving copies is to label them.
    setSelected(new Set(newCopies.map((c) => c.id)));
  }

  return (
    <section>
      <h2>{t('catalog.copy.title', { count: copies.length })}</h2>
      {copies.length > 0 && (
        <p>
          <span className={`badge ${onShelf > 0 ? 'badge-ok' : 'badge-none'}`}>
            {t('catalog.availability', { available: formatNumber(onShelf), total: formatNumber(copies.length) })}
          </span>
        </p>
      )}
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <div className="row no-print">
        <div className="field">
          <label htmlFor="labels-start">{t('catalog.copy.labelsStartAt')}</label>
          <input id="labels-start" type="number" min={1} max={LABELS_PER_SHEET} size={4} value={startAt} onChange={(e) => setStartAt(e.target.value)} />
          <span className="field-hint">{t('catalog.copy.labelsStartHint')}</span>
        </div>
        <div className="field">
          <button type="button" disabled={selected.size === 0} onClick={() => void printLabels()}>
            {t('catalog.copy.printLabels', { count: selected.size })}
          </button>
        </div>
      </div>
      {copies.length > 0 && (
        <TableScroll>
          <table>
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    aria-label={t('catalog.copy.selectAll')}
                    checked={allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(copies.map((c) => c.id)))}
                  />
                </th>
                <th>{t('catalog.copy.inventoryNumber')}</th>
                <th>{t('catalog.copy.barcode')}</th>
                <th>{t('catalog.copy.fund')}</th>
                <th className="num">{t('catalog.copy.price')}</th>
                <th>{t('catalog.copy.status')}</th>
                <th className="hide-narrow">{t('catalog.copy.location')}</th>
                <th className="hide-narrow">{t('catalog.copy.acquiredOn')}</th>
                <th>
                  <span className="visually-hidden">{t('common.edit')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {copies.map((copy) => (
                <tr key={copy.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('catalog.copy.select', { barcode: copy.barcode })}
                      checked={selected.has(copy.id)}
                      onChange={() => toggle(copy.id)}
                    />
                  </td>
                  <td>{copy.inventoryNumber}</td>
                  <td>{copy.barcode}</td>
                  <td>{t(`catalog.fund.${copy.fund}`)}</td>
                  <td className="num">{formatMoney(copy.priceTiyn)}</td>
                  <td>
                    {t(`catalog.status.${copy.status}`)}
                    {copy.valuable && <span className="badge">{t('catalog.copy.valuableShort')}</span>}
                    {copy.openAccess && <span className="badge">{t('catalog.copy.openAccessShort')}</span>}
                  </td>
                  <td className="hide-narrow">{copy.location}</td>
                  <td className="hide-narrow">{formatDate(copy.acquiredOn)}</td>
                  <td>
                    <button type="button" className="secondary" onClick={() => setEditing(copy.id)} aria-label={t('catalog.copy.editTitle', { barcode: copy.barcode })}>
                      {t('common.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {editing !== null && (
        <CopyEditor
          key={editing}
          copy={copies.find((c) => c.id === editing)!}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            onChange(copies.map((c) => (c.id === saved.id ? saved : c)));
            setEditing(null);
          }}
        />
      )}
      <AddCopiesForm workId={workId} onAdded={added} />
    </section>
  );
}
