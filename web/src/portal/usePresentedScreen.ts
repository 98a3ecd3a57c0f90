// The technician's screen on the customer's page (docs/remote-control.md,
// "The technician's screen, to the customer"): `screen.presenting` with
// sharing=true starts it (no consent: it is the technician's own screen),
// binary WebSocket messages (8 bytes big-endian request id, then a JPEG or
// WebP) are its pictures, sharing=false ends it. The customer may stop
// viewing (`screen.unpresent`). Pictures do not go through the component's
// state: they go to a FrameHub (shared/screen.ts) that the viewer subscribes
// to (a few a second would re-render the whole page, chat included).
import { useEffect, useRef, useState } from 'preact/hooks';
import { FrameHub, parseFrame } from '../shared/screen';
import type { ReconnectingSocket, ServerMessage } from '../shared/socket';

export interface PresentedScreen {
  /** The technician's name while they show their screen, else undefined. */
  technician?: string;
  /** Handles `screen.presenting` and the answer to `screen.unpresent`; false for any other message. */
  handle: (message: ServerMessage) => boolean;
  /** A binary WebSocket message. */
  frame: (data: ArrayBuffer) => void;
  /** The newest picture (if any) of `requestId` and every later one (cleared when it ends). */
  hub: FrameHub;
  requestId: string;
  /** "Stop viewing": hides the screen and tells the session. */
  stop: () => void;
}

/** The id of this page's `screen.unpresent`: its answer (an ack or a refusal) comes back to handle(). */
const UNPRESENT_ID = 'screen.unpresent';

export function usePresentedScreen(
  requestId: string,
  socket: () => ReconnectingSocket | undefined,
  active: boolean,
): PresentedScreen {
  const [technician, setTechnician] = useState<string>();
  /** Pictures are taken while presenting (a ref: frames can arrive before the next render). */
  const presenting = useRef(false);
  const [hub] = useState(() => new FrameHub());

  const end = () => {
    presenting.current = false;
    setTechnician(undefined);
    hub.clear(requestId);
  };

  const handle = (message: ServerMessage): boolean => {
    // Stopping viewing hid the screen already; whatever the answer, there is nothing to show.
    if (message.id === UNPRESENT_ID) return true;
    if (message.type !== 'screen.presenting') return false;
    if (message.request_id !== undefined && String(message.request_id) !== requestId) return true;
    if (message.sharing === true) {
      presenting.current = true;
      setTechnician(typeof message.technician === 'string' ? message.technician : '');
    } else end();
    return true;
  };

  const frame = (data: ArrayBuffer) => {
    if (!presenting.current || parseFrame(data)?.requestId !== requestId) return;
    hub.push(data);
  };

  const stop = () => {
    end();
    // With an id, so that a refusal comes back to handle() and not to the page's error line.
    socket()?.send({ type: 'screen.unpresent', id: UNPRESENT_ID });
  };

  // Only the active session shows it.
  useEffect(() => {
    if (!active) end();
  }, [active]);

  return { technician, handle, frame, hub, requestId, stop };
}
