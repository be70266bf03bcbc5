import { useTranslation } from '../i18n.js';
import { ApiError } from '../api.js';

/** Shows a failed request: the server's translated message, or a plain-language note when the server was not reached. */
export function ErrorBanner({ error, onClose }: { error: unknown; onClose?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <div className="banner banner-error" role="alert">
      <span>{errorText(error, t)}</span>
      {onClose && (
        <button type="button" className="banner-close" onClick={onClose} aria-label={t('common.close')}>
          ×
        </button>
      )}
    </div>
  );
}

export function errorText(error: unknown, t: (key: string) => string): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('common.error.network');
    return error.message || t('common.error.unknown');
  }
  return t('common.error.unknown');
}
