import type { ComponentChildren } from 'preact';
import { LoadError, Loading } from '../../shared/Status';
import type { Load } from '../hooks';

export { LoadError, Loading } from '../../shared/Status';

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
