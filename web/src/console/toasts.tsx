// Short messages in the corner: confirmations, what happened to an alert, and
// commands the server refused. Each goes away by itself.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../shared/i18n';

export type ToastKind = 'info' | 'ok' | 'error';

interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
  /** What it is about, for tests (e.g. `taken`). */
  code?: string;
}

const TOAST_MS = 6000;

export type ShowToast = (text: string, kind?: ToastKind, code?: string) => void;

export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((x) => x.id !== id)), []);

  const show = useCallback<ShowToast>((text, kind = 'info', code) => {
    const id = nextId.current++;
    // At most three at a time: the newest.
    setToasts((list) => [...list.slice(-2), { id, kind, text, code }]);
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      dismiss(id);
    }, TOAST_MS);
    timers.current.add(timer);
  }, []);

  useEffect(() => () => timers.current.forEach(clearTimeout), []);

  return { toasts, show, dismiss };
}

export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  const { t } = useI18n();
  return (
    <div class="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          class={`toast toast-${toast.kind}`}
          data-testid="toast"
          data-kind={toast.kind}
          data-code={toast.code}
        >
          <span>{toast.text}</span>
          <button
            type="button"
            class="toast-close"
            aria-label={t('console.toast.close')}
            onClick={() => onDismiss(toast.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
