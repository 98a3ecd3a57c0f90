import type { ComponentChildren } from 'preact';
import { useI18n } from '../../shared/i18n';
import { errorText } from '../errors';
import type { Load } from '../hooks';

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

/** What a page shows until its data is there: loading, or the failure with a retry. */
export function LoadState({ load, onRetry }: { load: Load<unknown>; onRetry?: () => void }) {
  if (load.state === 'loading') return <Loading />;
  if (load.state === 'error') return <LoadError error={load.error} onRetry={onRetry} />;
  return null;
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
