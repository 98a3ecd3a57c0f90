import type { ComponentChildren } from 'preact';
import { useI18n } from '../../shared/i18n';
import { errorText } from '../errors';

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

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <div class="form-error" role="alert" data-testid="form-error">
      {message}
    </div>
  );
}

export function Notice({ message }: { message?: string }) {
  return (
    <p class="notice" role="status" data-testid="notice">
      {message ?? ''}
    </p>
  );
}

export function PageHeader({ id, title, children }: { id?: string; title: string; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <h1 id={id}>{title}</h1>
      {children && <div class="page-actions">{children}</div>}
    </div>
  );
}
