// Remote control as the customer's page shows it (docs/remote-control.md,
// "Remote control"): the support app asks the customer and answers; the page
// learns the outcome from `control.state`. While a technician controls the
// mouse and keyboard a banner says so, pinned to the top of the window, with
// "Stop control" (`control.stop`). The system lines about it come with the chat.
import { useEffect, useRef, useState } from 'preact/hooks';
import { socketErrorText } from '../shared/errors';
import { useI18n } from '../shared/i18n';
import type { ReconnectingSocket, ServerMessage } from '../shared/socket';

export interface RemoteControl {
  /** The technician in control (their name, or '' when not given); undefined when nobody controls. */
  controller?: string;
  /** Why stopping failed, if it did. */
  error?: string;
  stopping: boolean;
  /** Handles `control.state` and the answer to `control.stop`; false for any other message. */
  handle: (message: ServerMessage) => boolean;
  stop: () => void;
}

/** The ids of this page's `control.stop`s: their answers (an ack or a refusal) come back here. */
const STOP_ID = 'control.stop:';

export function useRemoteControl(
  requestId: string,
  socket: () => ReconnectingSocket | undefined,
  active: boolean,
): RemoteControl {
  const { t } = useI18n();
  const [controller, setController] = useState<string>();
  const [stopping, setStopping] = useState(false);
  const [error, setError] = useState<string>();
  const stopSeq = useRef(0);

  const handle = (message: ServerMessage): boolean => {
    if (typeof message.id === 'string' && message.id.startsWith(STOP_ID)) {
      // The answer to a stop: the banner goes with the control.state that follows it.
      if (message.type === 'error' && message.id === `${STOP_ID}${stopSeq.current}`) {
        setStopping(false);
        const code = (message.error as { code?: unknown } | undefined)?.code;
        // Over already (or never granted): nothing to stop.
        if (code === 'not_controlling') setController(undefined);
        else setError(socketErrorText(t, message.error, ['portal.control.error.', 'portal.error.', 'error.']));
      }
      return true;
    }
    if (message.type !== 'control.state') return false;
    if (message.request_id !== undefined && String(message.request_id) !== requestId) return true;
    setStopping(false);
    setError(undefined);
    if (message.controlling === true) setController(typeof message.technician === 'string' ? message.technician : '');
    else setController(undefined);
    return true;
  };

  const stop = () => {
    // With an id of its own, so that a refusal comes back to handle() and not to the page's error line.
    const id = `${STOP_ID}${++stopSeq.current}`;
    if (!socket()?.send({ type: 'control.stop', id })) {
      setError(t('portal.control.error.disconnected'));
      return;
    }
    setStopping(true);
    setError(undefined);
  };

  useEffect(() => {
    if (active) return;
    setController(undefined);
    setStopping(false);
    setError(undefined);
  }, [active]);

  return { controller, error, stopping, handle, stop };
}

/** "Anna controls your mouse and keyboard" with "Stop control", while she does. */
export function ControlBanner({ control }: { control: RemoteControl }) {
  const { t } = useI18n();
  if (control.controller === undefined) return null;
  const name = control.controller || t('portal.live.aTechnician');
  return (
    <div class="control-banner" role="alert" data-testid="control-banner">
      <span>{t('portal.control.banner', { name })}</span>
      <button
        type="button"
        class="btn btn-small btn-danger"
        data-testid="control-stop"
        disabled={control.stopping}
        onClick={control.stop}
      >
        {control.stopping ? t('portal.control.stopping') : t('portal.control.stop')}
      </button>
      {control.error && (
        <p class="control-banner-error" data-testid="control-error">
          {control.error}
        </p>
      )}
    </div>
  );
}
