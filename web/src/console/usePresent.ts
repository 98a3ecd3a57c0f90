// The technician's own screen, shown to the customer (docs/remote-control.md,
// "The technician's screen, to the customer"): the browser's screen picker
// (getDisplayMedia) gives a stream; once `screen.present` is acknowledged,
// every 200 ms the newest picture is drawn into a canvas (at most 1600 px
// wide), encoded as JPEG and sent as a binary message: 8 bytes big-endian
// request id, then the JPEG. It stops with "Stop showing" (screen.unpresent),
// when the browser's own "stop sharing" ends the track, when the server says
// `screen.presenting` sharing=false (the customer stopped it, the session
// ended) and when the connection drops. One request at a time.
import { useEffect, useRef, useState } from 'preact/hooks';
import { socketErrorText } from '../shared/errors';
import { useI18n } from '../shared/i18n';
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

interface Capture {
  requestId: string;
  header: ArrayBuffer;
  stream: MediaStream;
  video: HTMLVideoElement;
  canvas: HTMLCanvasElement;
  timer?: ReturnType<typeof setInterval>;
  encoding: boolean;
  accepted: boolean;
  stopped: boolean;
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
  const capture = useRef<Capture>();

  const halt = () => {
    const c = capture.current;
    capture.current = undefined;
    if (!c || c.stopped) return;
    c.stopped = true;
    clearInterval(c.timer);
    for (const track of c.stream.getTracks()) track.stop();
    c.video.srcObject = null;
  };

  const tick = (c: Capture) => {
    const s = socket();
    const { videoWidth, videoHeight } = c.video;
    if (c.stopped || !c.accepted || c.encoding || !s || s.state !== 'open' || s.bufferedAmount > MAX_BUFFERED) return;
    if (videoWidth === 0 || videoHeight === 0) return;
    const width = Math.min(MAX_WIDTH, videoWidth);
    const height = Math.max(1, Math.round((videoHeight * width) / videoWidth));
    if (c.canvas.width !== width) c.canvas.width = width;
    if (c.canvas.height !== height) c.canvas.height = height;
    const ctx = c.canvas.getContext('2d');
    if (!ctx) return;
    ctx.drawImage(c.video, 0, 0, width, height);
    c.encoding = true;
    c.canvas.toBlob(
      (blob) => {
        c.encoding = false;
        if (blob && !c.stopped && capture.current === c) socket()?.sendBinary(new Blob([c.header, blob]));
      },
      'image/jpeg',
      QUALITY,
    );
  };

  /** Ends it from this side: tells the server (when it had started) and stops capturing. */
  const stop = () => {
    const c = capture.current;
    halt();
    if (c?.accepted) socket()?.send({ type: 'screen.unpresent', request_id: c.requestId });
    setState({ starting: false, presenting: false });
  };

  const start = async (requestId: string) => {
    if (capture.current) return;
    const fail = (text: string) => setState({ starting: false, presenting: false, error: { requestId, text } });
    if (!navigator.mediaDevices?.getDisplayMedia) {
      fail(t('console.present.unsupported'));
      return;
    }
    setState({ requestId, starting: true, presenting: false });
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true });
    } catch (err) {
      const name = (err as { name?: unknown }).name;
      fail(
        name === 'NotAllowedError'
          ? t('console.present.notAllowed')
          : t('console.present.failed', { message: (err as Error)?.message || String(err) }),
      );
      return;
    }
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    const c: Capture = {
      requestId,
      header: idHeader(requestId),
      stream,
      video,
      canvas: document.createElement('canvas'),
      encoding: false,
      accepted: false,
      stopped: false,
    };
    halt();
    capture.current = c;
    const [track] = stream.getVideoTracks();
    track?.addEventListener('ended', () => {
      if (capture.current === c) stop();
    });
    try {
      await video.play();
    } catch {
      // Frames are drawn once the video has a size; a paused video still has its picture.
    }
    const s = socket();
    if (!s || c.stopped) {
      if (capture.current === c) halt();
      fail(t('console.error.disconnected'));
      return;
    }
    try {
      await s.command({ type: 'screen.present', request_id: requestId });
    } catch (err) {
      if (capture.current === c) halt();
      fail(socketErrorText(t, err, ['console.error.', 'screen.error.', 'error.']));
      return;
    }
    if (c.stopped) return;
    c.accepted = true;
    setState({ requestId, starting: false, presenting: true });
    tick(c);
    c.timer = setInterval(() => tick(c), EVERY_MS);
  };

  const handle = (message: ServerMessage): boolean => {
    if (message.type !== 'screen.presenting') return false;
    const c = capture.current;
    // Ended elsewhere (by the customer, or the session): the capture stops here too.
    if (message.sharing !== true && c && String(message.request_id) === c.requestId) {
      halt();
      setState({ starting: false, presenting: false });
    }
    return true;
  };

  // The server ends it when the connection goes.
  useEffect(() => {
    if (connection === 'open' || !capture.current) return;
    halt();
    setState({ starting: false, presenting: false });
  }, [connection]);

  useEffect(() => () => halt(), []);

  return { state, start: (id) => void start(id), stop, handle };
}
