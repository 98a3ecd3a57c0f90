import { useEffect, useState } from 'preact/hooks';
import { ApiError, getStatus, type NodeStatus as Status } from '../shared/api';
import { formatDuration } from '../shared/format';
import { useI18n } from '../shared/i18n';

const REFRESH_MS = 30_000;

type State = { kind: 'loading' } | { kind: 'ok'; status: Status } | { kind: 'error'; message: string };

export function NodeStatus() {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    const abort = new AbortController();
    const load = () =>
      getStatus(abort.signal).then(
        (status) => setState({ kind: 'ok', status }),
        (error: unknown) => {
          if (abort.signal.aborted) return;
          setState({ kind: 'error', message: error instanceof ApiError ? error.message : String(error) });
        },
      );
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      clearInterval(timer);
      abort.abort();
    };
  }, []);

  let text: string;
  switch (state.kind) {
    case 'loading':
      text = t('status.loading');
      break;
    case 'ok':
      text = t('status.line', {
        node: state.status.node_id,
        version: state.status.version,
        uptime: formatDuration(state.status.uptime_seconds),
      });
      break;
    case 'error':
      text = t('status.error', { message: state.message });
      break;
  }

  return (
    <p class="node-status" data-state={state.kind} data-testid="node-status" role="status">
      <span class="node-status-dot" aria-hidden="true" />
      {text}
    </p>
  );
}
