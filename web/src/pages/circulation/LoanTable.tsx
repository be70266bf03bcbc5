import { useTranslation } from '../../i18n.js';
import { TableScroll } from '../../components/TableScroll.js';
import { formatDate } from '../../format.js';
import type { PanelLoan } from './types.js';

/**
 * Books a reader has at home: overdue ones in red, with a renew button where the rules allow.
 * Compact at the desk: one line a loan, so ten loans fit under the scan field on a 1366×768 screen.
 */
export function LoanTable({
  loans,
  onRenew,
  busy,
  label,
  compact = false,
}: { loans: PanelLoan[]; onRenew?: (loan: PanelLoan) => void; busy?: boolean; label: string; compact?: boolean }) {
  const { t } = useTranslation();
  if (loans.length === 0) return <p className="muted">{t('circulation.noLoans')}</p>;
  return (
    <TableScroll label={label}>
      <table className={compact ? 'loan-table compact' : 'loan-table'}>
        <thead>
          <tr>
            <th>{t('circulation.book')}</th>
            <th className="hide-narrow">{t('circulation.barcode')}</th>
            <th>{t('circulation.dueOn')}</th>
            {onRenew && <th><span className="visually-hidden">{t('circulation.renew')}</span></th>}
          </tr>
        </thead>
        <tbody>
          {loans.map((loan) => (
            <tr key={loan.loanId} className={loan.overdueDays > 0 ? 'overdue' : undefined}>
              <td title={compact ? [loan.title, ...loan.authors].join(' · ') : undefined}>
                {compact ? (
                  <>
                    <span className="loan-title">{loan.title}</span>
                    {loan.authors.length > 0 && <span className="muted"> · {loan.authors.join(', ')}</span>}
                  </>
                ) : (
                  <>
                    <div>{loan.title}</div>
                    <div className="muted">{loan.authors.join(', ')}</div>
                  </>
                )}
              </td>
              <td className="hide-narrow">{loan.barcode}</td>
              <td data-label={t('circulation.dueOn')}>
                {formatDate(loan.dueOn)}
                {loan.overdueDays > 0 &&
                  (compact ? (
                    <span> · {t('circulation.overdueDays', { count: loan.overdueDays })}</span>
                  ) : (
                    <div>{t('circulation.overdueDays', { count: loan.overdueDays })}</div>
                  ))}
              </td>
              {onRenew && (
                <td>
                  <button
                    type="button"
                    className="secondary"
                    disabled={!loan.canRenew || busy}
                    onClick={() => onRenew(loan)}
                    aria-label={t('circulation.renewBook', { title: loan.title })}
                  >
                    {t('circulation.renew')}
                  </button>
                  {!loan.canRenew && <div className="field-hint">{t(loan.reserved ? 'circulation.cannotRenewReserved' : 'circulation.cannotRenew')}</div>}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
