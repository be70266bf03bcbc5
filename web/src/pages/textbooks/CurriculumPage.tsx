import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { del, get, post, query, upload } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { nextSchoolYear, schoolYearOf, today, type CurriculumItem } from './types.js';
import { WorkPicker } from './WorkPicker.js';
import { TableScroll } from '../../components/TableScroll.js';
import { RowButton } from '../../components/RowButton.js';

/** The curriculum list: the textbooks each grade needs in a school year, per language of instruction. */
export default function CurriculumPage() {
  const { t } = useTranslation();
  const [schoolYear, setSchoolYear] = useState(schoolYearOf(today()));
  const [items, setItems] = useState<CurriculumItem[]>([]);
  const [draft, setDraft] = useState({ grade: 1, subject: '', language: 'kk', copiesPerStudent: 1 });
  const [work, setWork] = useState<{ id: number; title: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const reload = () =>
    get<{ items: CurriculumItem[] }>(`/api/textbooks/curriculum${query({ schoolYear })}`).then((r) => setItems(r.items), setError);
  useEffect(() => void reload(), [schoolYear]);

  async function run(action: () => Promise<unknown>) {
    setError(null);
    setNotice(null);
    try {
      await action();
      await reload();
    } catch (err) {
      setError(err);
    }
  }

  function add(e: FormEvent) {
    e.preventDefault();
    if (!work) return;
    void run(() => post('/api/textbooks/curriculum', { ...draft, schoolYear, workId: work.id }));
  }

  const copyFromLastYear = () =>
    run(async () => {
      const previous = `${Number(schoolYear.slice(0, 4)) - 1}-${schoolYear.slice(0, 4)}`;
      const r = await post<{ copied: number }>('/api/textbooks/curriculum/copy', { fromYear: previous, toYear: schoolYear });
      setNotice(t('textbooks.curriculum.copied', { count: r.copied, year: previous }));
    });

  const importList = (file: File | undefined) =>
    file &&
    run(async () => {
      const r = await upload<{ rows: number; itemsAdded: number; worksCreated: number; pricesSet: number }>('/api/textbooks/curriculum/import', file, { schoolYear });
      setNotice(t('textbooks.import.listDone', r));
    });
  const importPrices = (file: File | undefined) =>
    file &&
    run(async () => {
      const r = await upload<{ rows: number; pricesSet: number }>('/api/textbooks/prices/import', file, { schoolYear });
      setNotice(t('textbooks.import.pricesDone', r));
    });

  return (
    <section>
      <h1>{t('nav.textbooks.curriculum')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {notice && <div className="banner banner-ok">{notice}</div>}
      <div className="panel row">
        <div className="field">
          <label htmlFor="cur-year">{t('textbooks.schoolYear')}</label>
          <select id="cur-year" value={schoolYear} onChange={(e) => setSchoolYear(e.target.value)}>
            {[schoolYearOf(today()), nextSchoolYear(schoolYearOf(today()))].map((y) => (
              <option key={y} value={y}>{y}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <button type="button" className="secondary" onClick={() => void copyFromLastYear()}>{t('textbooks.curriculum.copy')}</button>
        </div>
      </div>
      <div className="panel row">
        <div className="field">
          <label htmlFor="cur-import">{t('textbooks.import.list')}</label>
          <input id="cur-import" type="file" accept=".xlsx,.csv" onChange={(e) => void importList(e.target.files?.[0])} />
          <span className="field-hint">{t('textbooks.import.listHint')}</span>
        </div>
        <div className="field">
          <label htmlFor="cur-prices">{t('textbooks.import.prices')}</label>
          <input id="cur-prices" type="file" accept=".xlsx,.csv" onChange={(e) => void importPrices(e.target.files?.[0])} />
          <span className="field-hint">{t('textbooks.import.pricesHint')}</span>
        </div>
      </div>

      <form className="panel row" onSubmit={add}>
        <h2>{t('textbooks.curriculum.add')}</h2>
        <div className="field">
          <label htmlFor="cur-grade">{t('textbooks.grade')}</label>
          <input id="cur-grade" type="number" min={0} max={11} value={draft.grade} onChange={(e) => setDraft({ ...draft, grade: Number(e.target.value) })} />
        </div>
        <div className="field">
          <label htmlFor="cur-subject">{t('textbooks.subject')}</label>
          <input id="cur-subject" value={draft.subject} onChange={(e) => setDraft({ ...draft, subject: e.target.value })} />
        </div>
        <WorkPicker id="cur-work" onPick={setWork} />
        <div className="field">
          <label htmlFor="cur-language">{t('textbooks.language')}</label>
          <select id="cur-language" value={draft.language} onChange={(e) => setDraft({ ...draft, language: e.target.value })}>
            <option value="kk">{t('textbooks.language.kk')}</option>
            <option value="ru">{t('textbooks.language.ru')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="cur-copies">{t('textbooks.copiesPerStudent')}</label>
          <input id="cur-copies" type="number" min={1} max={5} value={draft.copiesPerStudent} onChange={(e) => setDraft({ ...draft, copiesPerStudent: Number(e.target.value) })} />
        </div>
        <div className="field">
          <button type="submit" disabled={!work}>{t('textbooks.curriculum.addButton')}</button>
        </div>
      </form>

      <TableScroll>
        <table>
          <thead>
            <tr>
              <th className="num">{t('textbooks.grade')}</th>
              <th>{t('textbooks.language')}</th>
              <th>{t('textbooks.subject')}</th>
              <th>{t('textbooks.work')}</th>
              <th className="num">{t('textbooks.copiesPerStudent')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id}>
                <td className="num">{i.grade}</td>
                <td>{i.language}</td>
                <td>{i.subject}</td>
                <td>{i.title}</td>
                <td className="num">{i.copiesPerStudent}</td>
                <td className="actions">
                  <RowButton label={t('textbooks.remove')} row={`${i.subject}: ${i.title}`} onClick={() => void run(() => del(`/api/textbooks/curriculum/${i.id}`))} />
                </td>
              </tr>
            ))}
            {items.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">{t('textbooks.curriculum.empty')}</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
