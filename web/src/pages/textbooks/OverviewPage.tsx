import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n.js';
import { get } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatNumber } from '../../format.js';
import { TableScroll } from '../../components/TableScroll.js';

interface SchoolSupply {
  organisationId: number;
  name: string;
  students: number;
  titles: number;
  received: number;
  writtenOff: number;
  withStudents: number;
  usable: number;
  unusable: number;
  lost: number;
  perStudent: number;
}

/** Textbook supply of the schools of a district or region, in figures only. */
export default function OverviewPage() {
  const { t } = useTranslation();
  const [items, setItems] = useState<SchoolSupply[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void get<{ items: SchoolSupply[] }>('/api/textbooks/overview').then((r) => setItems(r.items), setError), []);

  return (
    <section>
      <h1>{t('nav.textbooks.overview')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th>{t('textbooks.overview.school')}</th>
              <th className="num">{t('textbooks.overview.students')}</th>
              <th className="num">{t('textbooks.overview.titles')}</th>
              <th className="num">{t('textbooks.received')}</th>
              <th className="num">{t('textbooks.writtenOff')}</th>
              <th className="num">{t('textbooks.issued')}</th>
              <th className="num">{t('textbooks.usable')}</th>
              <th className="num">{t('textbooks.condition.unusable')}</th>
              <th className="num">{t('textbooks.condition.lost')}</th>
              <th className="num">{t('textbooks.overview.perStudent')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.organisationId}>
                <td>{s.name}</td>
                <td className="num">{formatNumber(s.students)}</td>
                <td className="num">{formatNumber(s.titles)}</td>
                <td className="num">{formatNumber(s.received)}</td>
                <td className="num">{formatNumber(s.writtenOff)}</td>
                <td className="num">{formatNumber(s.withStudents)}</td>
                <td className="num">{formatNumber(s.usable)}</td>
                <td className="num">{formatNumber(s.unusable)}</td>
                <td className="num">{formatNumber(s.lost)}</td>
                <td className="num">{formatNumber(s.perStudent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
