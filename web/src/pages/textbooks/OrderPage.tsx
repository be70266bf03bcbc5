import { useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { download, get, put, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatMoney } from '../../format.js';
import { nextSchoolYear, schoolYearOf, today, type TextbookOrder } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';

/** Next year's order: students expected per grade × the curriculum − usable copies, with an XLSX export. */
export default function OrderPage() {
  const { t } = useTranslation();
  const [schoolYear, setSchoolYear] = useState(nextSchoolYear(schoolYearOf(today())));
  const [firstGraders, setFirstGraders] = useState({ kk: '', ru: '' });
  const [order, setOrder] = useState<TextbookOrder | null>(null);
  const [error, setError] = useState<unknown>(null);

  function calculate(e: FormEvent) {
    e.preventDefault();
    setError(null);
    void (async () => {
      try {
        for (const language of ['kk', 'ru'] as const) {
          const expected = firstGraders[language];
          if (expected !== '') await put('/api/textbooks/forecasts', { schoolYear, grade: 1, language, expected: Number(expected) });
        }
        setOrder(await get<TextbookOrder>(`/api/textbooks/order${query({ schoolYear })}`));
      } catch (err) {
        setError(err);
      }
    })();
  }

  return (
    <section>
      <h1>{t('nav.textbooks.order')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <form className="panel row" onSubmit={calculate}>
        <div className="field">
          <label htmlFor="ord-year">{t('textbooks.schoolYear')}</label>
          <input id="ord-year" value={schoolYear} onChange={(e) => setSchoolYear(e.target.value)} />
        </div>
        {(['kk', 'ru'] as const).map((language) => (
          <div className="field" key={language}>
            <label htmlFor={`ord-first-${language}`}>{t('textbooks.order.firstGraders', { language: t(`textbooks.language.${language}`) })}</label>
            <input
              id={`ord-first-${language}`}
              type="number"
              min={0}
              value={firstGraders[language]}
              onChange={(e) => setFirstGraders({ ...firstGraders, [language]: e.target.value })}
            />
          </div>
        ))}
        <div className="field">
          <button type="submit">{t('textbooks.order.calculate')}</button>
        </div>
      </form>

      {order && (
        <div className="panel">
          <p className="muted">
            {order.expected.map((x) => t('textbooks.order.expected', { grade: x.grade, language: x.language, count: x.students })).join('; ')}
          </p>
          <div className="row no-print">
            <button type="button" className="secondary" onClick={() => void download(`/api/textbooks/order.xlsx${query({ schoolYear })}`).catch(setError)}>
              {t('textbooks.order.xlsx')}
            </button>
          </div>
          <TableScroll>
            <table>
              <thead>
                <tr>
                  <th>{t('textbooks.work')}</th>
                  <th>{t('textbooks.subject')}</th>
                  <th>{t('textbooks.order.grades')}</th>
                  <th className="num">{t('textbooks.needed')}</th>
                  <th className="num">{t('textbooks.usable')}</th>
                  <th className="num">{t('textbooks.order.toOrder')}</th>
                  <th className="num">{t('textbooks.order.sum')}</th>
                </tr>
              </thead>
              <tbody>
                {order.lines.map((l) => (
                  <tr key={l.workId}>
                    <td>{l.title}</td>
                    <td>{l.subjects}</td>
                    <td>{l.grades.join(', ')}</td>
                    <td className="num">{l.needed}</td>
                    <td className="num">{l.usable}</td>
                    <td className="num">{l.toOrder}</td>
                    <td className="num">{l.sumTiyn ? formatMoney(l.sumTiyn) : ''}</td>
                  </tr>
                ))}
                <tr>
                  <th colSpan={5}>{t('textbooks.order.total')}</th>
                  <th className="num">{order.totalCopies}</th>
                  <th className="num">{formatMoney(order.totalSumTiyn)}</th>
                </tr>
              </tbody>
            </table>
          </TableScroll>
        </div>
      )}
    </section>
  );
}
