import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatNumber } from '../../format.js';
import type { SetsReport } from '../../../../src/textbooks/sets.js';
import { nextSchoolYear, schoolYearOf, today } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';

const percent = (value: number | null) => (value === null ? '—' : `${value.toLocaleString('ru-RU')} %`);

/**
 * The share of pupils holding their complete set of textbooks: per class and grade for the school, per school
 * and in total for a district or region (the target is 100%).
 */
export default function SetsPage() {
  const { t } = useTranslation();
  const [schoolYear, setSchoolYear] = useState(schoolYearOf(today()));
  const [report, setReport] = useState<SetsReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void get<SetsReport>(`/api/textbooks/complete-sets${query({ schoolYear })}`).then(setReport, setError), [schoolYear]);

  return (
    <section>
      <h1>{t('nav.textbooks.sets')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <div className="panel row">
        <div className="field">
          <label htmlFor="sets-year">{t('textbooks.schoolYear')}</label>
          <select id="sets-year" value={schoolYear} onChange={(e) => setSchoolYear(e.target.value)}>
            {[schoolYearOf(today()), nextSchoolYear(schoolYearOf(today()))].map((y) => (
              <option key={y} value={y}>{y}</option>
            ))}
          </select>
        </div>
      </div>
      {report && (
        <>
          <p className="panel" data-testid="sets-total">
            {t('textbooks.sets.total', { complete: formatNumber(report.complete), students: formatNumber(report.students), share: percent(report.sharePercent) })}
          </p>
          {report.schools.map((school) => (
            <div className="panel" key={school.organisationId}>
              <h2>{school.name}: {percent(school.sharePercent)}</h2>
              <TableScroll>
                <table>
                  <thead>
                    <tr>
                      <th>{t('textbooks.sets.class')}</th>
                      <th className="num">{t('textbooks.sets.students')}</th>
                      <th className="num">{t('textbooks.sets.complete')}</th>
                      <th className="num">{t('textbooks.sets.share')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {school.grades.map((g) => [
                      ...school.classes.filter((c) => c.grade === g.grade).map((c) => (
                        <tr key={`${c.grade}${c.classLetter}`}>
                          <td>{c.grade} {c.classLetter}</td>
                          <td className="num">{c.students}</td>
                          <td className="num">{c.complete}</td>
                          <td className={c.sharePercent !== null && c.sharePercent < 100 ? 'num overdue' : 'num'}>{percent(c.sharePercent)}</td>
                        </tr>
                      )),
                      <tr key={`g${g.grade}`}>
                        <th>{t('textbooks.sets.grade', { grade: g.grade })}</th>
                        <th className="num">{g.students}</th>
                        <th className="num">{g.complete}</th>
                        <th className="num">{percent(g.sharePercent)}</th>
                      </tr>,
                    ])}
                  </tbody>
                </table>
              </TableScroll>
            </div>
          ))}
        </>
      )}
    </section>
  );
}
