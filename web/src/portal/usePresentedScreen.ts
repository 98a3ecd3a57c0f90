// The technician's screen on the customer's page (docs/remote-control.md,
// "The technician's screen, to the customer"): `screen.presenting` with
// sharing=true starts it (no consent: it is the technician's own screen),
// binary WebSocket messages (8 bytes big-endian request id, then a JPEG or
// WebP) are its pictures, sharing=false ends it. The customer may stop
// viewing (`screen.unpresent`). Pictures do not go through the component's
// state: the viewer subscribes to them (a few a second would re-render the
// whole page, chat included).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ReconnectingSocket, ServerMessage } from '../shared/socket';

type Listener = (image: Blob | undefined) => void;

export interface PresentedScreen {
  /** The technician's name while they show their screen, else undefined. */
  technician?: string;
  /** Handles `screen.presenting` and the answer to `screen.unpresent`; false for any other message. */
  handle: (message: ServerMessage) => boolean;
  /** A binary WebSocket message. */
  frame: (data: ArrayBuffer) => void;
  /** Calls `listener` with the newest picture now (if any) and every later one (undefined: none any more). */
  subscribe: (listener: Listener) => () => void;
  /** "Stop viewing": hides the screen and tells the session. */
  stop: () => void;
}

/** The request id and the picture of a binary message, or undefined when it is too short. */
export function presentedFrame(data: ArrayBuffer): { requestId: string; image: Blob } | undefined {
  if (data.byteLength <= 8) return undefined;
  const view = new DataView(data);
  const id = view.getUint32(0) * 2 ** 32 + view.getUint32(4);
  const bytes = new Uint8Array(data, 8);
  // RIFF....WEBP
  const webp = bytes.length > 12 && bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[8] === 0x57 && bytes[9] === 0x45;
  return { requestId: String(id), image: new Blob([bytes], { type: webp ? 'image/webp' : 'image/jpeg' }) };
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
  const latest = useRef<Blob>();
  const listeners = useRef(new Set<Listener>());

  const tell = (image: Blob | undefined) => {
    for (const l of listeners.current) l(image);
  };

  const end = () => {
    presenting.current = false;
    setTechnician(undefined);
    if (latest.current) {
      latest.current = undefined;
      tell(undefined);
    }
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
    if (!presenting.current) return;
    const f = presentedFrame(data);
    if (!f || f.requestId !== requestId) return;
    latest.current = f.image;
    tell(f.image);
  };

  const subscribe = (listener: Listener) => {
    listeners.current.add(listener);
    if (latest.current) listener(latest.current);
    return () => {
      listeners.current.delete(listener);
    };
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

  return { technician, handle, frame, subscribe, stop };
}
