import { useTranslation } from '../i18n.js';
import { formatNumber } from '../format.js';

/** Previous/next over a `{ items, total }` list paged by limit and offset. */
export function Pager({ offset, limit, total, onChange }: { offset: number; limit: number; total: number; onChange: (offset: number) => void }) {
  const { t } = useTranslation();
  if (total <= limit) return null;
  return (
    <div className="pager">
      <button type="button" className="secondary" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        {t('common.previous')}
      </button>
      <span>
        {t('common.pageOf', {
          from: formatNumber(offset + 1),
          to: formatNumber(Math.min(offset + limit, total)),
          total: formatNumber(total),
        })}
      </span>
      <button type="button" className="secondary" disabled={offset + limit >= total} onClick={() => onChange(offset + limit)}>
        {t('common.next')}
      </button>
    </div>
  );
}
