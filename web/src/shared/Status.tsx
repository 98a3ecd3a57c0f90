// What a UI shows while something loads, and when it could not load (with a retry).
import { errorText } from './errors';
import { useI18n } from './i18n';

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="loading" role="status" data-testid="loading">
      {t('common.loading')}
    </p>
  );
}

export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div class="form-error" role="alert" data-testid="load-error">
      <p>{t('common.loadFailed', { message: errorText(t, error) })}</p>
      {onRetry && (
        <button type="button" class="btn btn-small" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}
