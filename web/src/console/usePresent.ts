// The technician's own screen, shown to the customer (docs/remote-control.md,
// "The technician's screen, to the customer"): the browser's screen picker
// (getDisplayMedia) gives a stream; once `screen.present` is acknowledged,
// every 200 ms the newest picture is drawn into a canvas (at most 1600 px
// wide), encoded as JPEG and sent as a binary message: 8 bytes big-endian
// request id, then the JPEG. It stops with "Stop showing" (screen.unpresent),
// when the browser's own "stop sharing" ends the track, when the server says
// `screen.presenting` sharing=false (the customer stopped it, the session
// ended) and when the connection drops. One request at a time. The capture
// itself is shared/screenCapture.ts.
import { useEffect, useState } from 'preact/hooks';
import { socketErrorText } from '../shared/errors';
import { useI18n } from '../shared/i18n';
import { canPickScreen, pickScreen, ScreenCapture, useCaptureSlot } from '../shared/screenCapture';
import type { ConnectionState, ReconnectingSocket, ServerMessage } from '../shared/socket';

const MAX_WIDTH = 1600;
const EVERY_MS = 200;
const QUALITY = 0.7;
/** A tick is skipped while more than this much waits on the socket. */
const MAX_BUFFERED = 512 * 1024;

export interface PresentState {
  /** The request shown to (while starting or presenting). */
  requestId?: string;
  /** The screen picker is open / the server has not answered yet. */
  starting: boolean;
  presenting: boolean;
  /** Why it did not start, for the request it was meant for. */
  error?: { requestId: string; text: string };
}

export interface Present {
  state: PresentState;
  start: (requestId: string) => void;
  stop: () => void;
  /** Handles screen.presenting; false for other messages. */
  handle: (message: ServerMessage) => boolean;
}

interface Presenting {
  requestId: string;
  capture: ScreenCapture;
}

/** The 8 bytes big-endian request id in front of every frame. */
function idHeader(requestId: string): ArrayBuffer {
  const id = Number(requestId);
  const header = new ArrayBuffer(8);
  const view = new DataView(header);
  view.setUint32(0, Math.floor(id / 2 ** 32));
  view.setUint32(4, id % 2 ** 32);
  return header;
}

export function usePresent(socket: () => ReconnectingSocket | undefined, connection: ConnectionState): Present {
  const { t } = useI18n();
  const [state, setState] = useState<PresentState>({ starting: false, presenting: false });
  const { current, halt } = useCaptureSlot<Presenting>();

  /** Ends it from this side: tells the server (when it had started) and stops capturing. */
  const stop = () => {
    const c = current.current;
    halt();
    if (c?.capture.started) socket()?.send({ type: 'screen.unpresent', request_id: c.requestId });
    setState({ starting: false, presenting: false });
  };

  const start = async (requestId: string) => {
    if (current.current) return;
    const fail = (text: string) => setState({ starting: false, presenting: false, error: { requestId, text } });
    if (!canPickScreen()) {
      fail(t('console.present.unsupported'));
      return;
    }
    setState({ requestId, starting: true, presenting: false });
    const picked = await pickScreen();
    if (!('stream' in picked)) {
      fail(picked.notAllowed ? t('console.present.notAllowed') : t('console.present.failed', { message: picked.message }));
      return;
    }
    const header = idHeader(requestId);
    const c: Presenting = {
      requestId,
      capture: new ScreenCapture(picked.stream, {
        socket,
        maxWidth: MAX_WIDTH,
        maxBuffered: MAX_BUFFERED,
        pace: () => ({ quality: QUALITY, everyMs: EVERY_MS }),
        message: (jpeg) => new Blob([header, jpeg]),
        onEnded: () => {
          if (current.current === c) stop();
        },
      }),
    };
    halt();
    current.current = c;
    await c.capture.play();
    const s = socket();
    if (!s || c.capture.stopped) {
      if (current.current === c) halt();
      fail(t('console.error.disconnected'));
      return;
    }
    try {
      await s.command({ type: 'screen.present', request_id: requestId });
    } catch (err) {
      if (current.current === c) halt();
      fail(socketErrorText(t, err, ['console.error.', 'screen.error.', 'error.']));
      return;
    }
    if (c.capture.stopped) return;
    setState({ requestId, starting: false, presenting: true });
    c.capture.start();
  };

  const handle = (message: ServerMessage): boolean => {
    if (message.type !== 'screen.presenting') return false;
    const c = current.current;
    // Ended elsewhere (by the customer, or the session): the capture stops here too.
    if (message.sharing !== true && c && String(message.request_id) === c.requestId) {
      halt();
      setState({ starting: false, presenting: false });
    }
    return true;
  };

  // The server ends it when the connection goes.
  useEffect(() => {
    if (connection === 'open' || !current.current) return;
    halt();
    setState({ starting: false, presenting: false });
  }, [connection]);

  return { state, start: (id) => void start(id), stop, handle };
}
