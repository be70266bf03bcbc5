import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n.js';
import { download, get, query } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { formatDate } from '../../format.js';
import { isStaff, useSession } from '../../session.js';
import { TableScroll } from '../../components/TableScroll.js';

interface ClassDebtors {
  grade: number | null;
  classLetter: string | null;
  className: string | null;
  readers: {
    readerId: number;
    fullName: string;
    loans: { loanId: number; title: string; authors: string[]; barcode: string; inventoryNumber: string; dueOn: string; overdueDays: number }[];
  }[];
}

/**
 * Readers with overdue books, class by class. A class teacher sees the own class and prints it
 * for the classroom; the librarian may pick any class.
 */
export default function DebtorsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const staff = isStaff(me);
  const [grade, setGrade] = useState('');
  const [letter, setLetter] = useState('');
  const [filter, setFilter] = useState<{ grade?: string; classLetter?: string }>({});
  const [classes, setClasses] = useState<ClassDebtors[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setError(null);
    get<{ items: ClassDebtors[] }>(`/api/circulation/debtors${query(filter)}`).then((r) => setClasses(r.items), setError);
  }, [filter]);

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilter({ grade: grade.trim() || undefined, classLetter: letter.trim() || undefined });
  }

  async function printPdf() {
    setError(null);
    try {
      await download(`/api/circulation/debtors.pdf${query(filter)}`);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section>
      <h1>{t('nav.circulation.debtors')}</h1>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      <div className="row no-print">
        {staff && (
          <form className="row" onSubmit={apply}>
            <div className="field">
              <label htmlFor="debtors-grade">{t('circulation.debtors.grade')}</label>
              <input id="debtors-grade" type="number" min={0} max={12} value={grade} onChange={(e) => setGrade(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="debtors-letter">{t('circulation.debtors.letter')}</label>
              <input id="debtors-letter" maxLength={2} size={3} value={letter} onChange={(e) => setLetter(e.target.value)} />
            </div>
            <div className="field">
              <button type="submit" className="secondary">
                {t('circulation.debtors.show')}
              </button>
            </div>
          </form>
        )}
        <div className="field">
          <button type="button" onClick={() => void printPdf()}>
            {t('circulation.debtors.pdf')}
          </button>
        </div>
      </div>
      {classes && classes.length === 0 && <p className="banner banner-ok">{t('circulation.debtors.none')}</p>}
      {classes?.map((group) => (
        <div className="panel" key={`${group.grade}-${group.classLetter}`}>
          <h2>{group.className ? t('circulation.debtors.class', { name: group.className }) : t('circulation.debtors.noClass')}</h2>
          <TableScroll>
            <table className="card-table">
            <thead>
              <tr>
                <th>{t('circulation.debtors.reader')}</th>
                <th>{t('circulation.book')}</th>
                <th>{t('circulation.dueOn')}</th>
              </tr>
            </thead>
            <tbody>
              {group.readers.flatMap((reader) =>
                reader.loans.map((loan, i) => (
                  <tr key={loan.loanId} className="overdue">
                    <td data-label={t('circulation.debtors.reader')} className={i === 0 ? undefined : 'repeat-cell'}>
                      {i === 0 ? reader.fullName : <span className="visually-hidden">{reader.fullName}</span>}
                    </td>
                    <td>
                      {loan.title}
                      <div className="muted">{loan.authors.join(', ')}</div>
                    </td>
                    <td data-label={t('circulation.dueOn')}>
                      {formatDate(loan.dueOn)}
                      <div>{t('circulation.overdueDays', { count: loan.overdueDays })}</div>
                    </td>
                  </tr>
                )),
              )}
            </tbody>
            </table>
          </TableScroll>
        </div>
      ))}
    </section>
  );
}
