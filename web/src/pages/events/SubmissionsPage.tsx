import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Field } from '../../components/Field.js';
import { formatDate, formatDateTime, today } from '../../format.js';
import { schoolYearOf, shiftYear } from './types.js';
import { TableScroll } from '../../components/TableScroll.js';

interface Row {
  organisationId: number;
  name: string;
  status: string;
  entries: number;
  approvedOn: string | null;
  submittedAt: string | null;
}

/** For a methodologist: which libraries have submitted their work plan of the year. */
export default function SubmissionsPage() {
  const { t } = useTranslation();
  const [schoolYear, setSchoolYear] = useState(schoolYearOf(today()));
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void get<{ items: Row[] }>(`/api/events/plan-submissions${query({ schoolYear })}`).then((r) => setRows(r.items), setError), [schoolYear]);
  const years = Array.from({ length: 4 }, (_, k) => shiftYear(schoolYearOf(today()), k - 2));
  return (
    <section>
      <h1>{t('nav.events.submissions')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <div className="panel row">
        <Field id="sub-year" label={t('events.schoolYear')}>
          <select id="sub-year" value={schoolYear} onChange={(e) => setSchoolYear(e.target.value)}>
            {years.map((y) => <option key={y} value={y}>{y}</option>)}
          </select>
        </Field>
      </div>
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th>{t('events.submissions.library')}</th>
              <th>{t('events.plan.status')}</th>
              <th className="num">{t('events.submissions.entries')}</th>
              <th>{t('events.approvedOn')}</th>
              <th>{t('events.submissions.submittedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.organisationId}>
                <td>{r.name}</td>
                <td>{t(`events.planStatus.${r.status}`)}</td>
                <td className="num">{r.entries}</td>
                <td>{formatDate(r.approvedOn)}</td>
                <td>{r.submittedAt ? formatDateTime(r.submittedAt) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
