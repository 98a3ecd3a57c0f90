// The customer's side of screen sharing (docs/sessions.md, "Screen sharing"):
// a technician asks (`screen.requested`), the customer consents, the browser's
// screen picker (getDisplayMedia) gives a stream, and every tick the newest
// picture is drawn into a canvas (at most 1280 px wide), encoded as JPEG and
// sent as a binary WebSocket message. `screen.quality` "down" lowers the
// quality and the frame rate a step; 5 s without one raises them a step again.
// Capture stops on `screen.state` sharing=false, when the browser's own "stop
// sharing" ends the track, and when the request is no longer active.
import { useEffect, useRef, useState } from 'preact/hooks';
import { socketErrorText } from '../shared/errors';
import { useI18n } from '../shared/i18n';
import type { ReconnectingSocket, ServerMessage } from '../shared/socket';

const MAX_WIDTH = 1280;
/** A tick is skipped while more than this much waits on the socket. */
const MAX_BUFFERED = 256 * 1024;
const STEPS = [
  { quality: 0.7, fps: 5 },
  { quality: 0.5, fps: 3 },
  { quality: 0.35, fps: 2 },
] as const;
const RAISE_AFTER_MS = 5000;

export interface ScreenShareState {
  /** The technician who asks for the screen (the consent prompt shows). */
  asked?: string;
  /** The screen picker is open / capture is starting. */
  starting: boolean;
  sharing: boolean;
  /** Why sharing did not start (or ended). */
  error?: string;
}

export interface ScreenShare {
  state: ScreenShareState;
  /** Handles a screen message; false when it is not one. */
  handle: (message: ServerMessage) => boolean;
  allow: () => void;
  deny: () => void;
  stop: () => void;
}

interface Capture {
  stream: MediaStream;
  video: HTMLVideoElement;
  canvas: HTMLCanvasElement;
  timer?: ReturnType<typeof setTimeout>;
  encoding: boolean;
  step: number;
  lastDown: number;
  /** screen.accept was acknowledged: frames may go. */
  accepted: boolean;
  stopped: boolean;
}

export function useScreenShare(socket: () => ReconnectingSocket | undefined, active: boolean): ScreenShare {
  const { t } = useI18n();
  const [state, setState] = useState<ScreenShareState>({ starting: false, sharing: false });
  const capture = useRef<Capture>();

  const halt = () => {
    const c = capture.current;
    capture.current = undefined;
    if (!c || c.stopped) return;
    c.stopped = true;
    clearTimeout(c.timer);
    for (const track of c.stream.getTracks()) track.stop();
    c.video.srcObject = null;
  };

  const tick = () => {
    const c = capture.current;
    if (!c || c.stopped) return;
    const now = Date.now();
    if (c.step > 0 && now - c.lastDown >= RAISE_AFTER_MS) {
      c.step -= 1;
      c.lastDown = now;
    }
    const { quality, fps } = STEPS[c.step];
    c.timer = setTimeout(tick, Math.round(1000 / fps));
    const s = socket();
    const { videoWidth, videoHeight } = c.video;
    if (!c.accepted || c.encoding || !s || s.state !== 'open' || s.bufferedAmount > MAX_BUFFERED) return;
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
        if (blob && !c.stopped && capture.current === c) socket()?.sendBinary(blob);
      },
      'image/jpeg',
      quality,
    );
  };

  /** Ends sharing from this side: tells the server (when it was on) and stops capturing. */
  const stop = () => {
    const c = capture.current;
    halt();
    if (c?.accepted) socket()?.send({ type: 'screen.stop' });
    setState((st) => ({ ...st, starting: false, sharing: false }));
  };

  const allow = async () => {
    setState({ starting: true, sharing: false });
    const decline = (error: string) => {
      socket()?.send({ type: 'screen.decline' });
      setState({ starting: false, sharing: false, error });
    };
    if (!navigator.mediaDevices?.getDisplayMedia) {
      decline(t('screen.unsupported'));
      return;
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true });
    } catch (err) {
      const name = (err as { name?: unknown }).name;
      decline(
        name === 'NotAllowedError'
          ? t('screen.notAllowed')
          : t('screen.failed', { message: (err as Error)?.message || String(err) }),
      );
      return;
    }
    halt();
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    const c: Capture = {
      stream,
      video,
      canvas: document.createElement('canvas'),
      encoding: false,
      step: 0,
      lastDown: 0,
      accepted: false,
      stopped: false,
    };
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
      halt();
      decline(t('screen.disconnected'));
      return;
    }
    try {
      await s.command({ type: 'screen.accept' });
    } catch (err) {
      if (capture.current === c) halt();
      setState({ starting: false, sharing: false, error: socketErrorText(t, err, ['screen.error.', 'portal.error.', 'error.']) });
      return;
    }
    if (c.stopped) return;
    c.accepted = true;
    setState({ starting: false, sharing: true });
    tick();
  };

  const deny = () => {
    socket()?.send({ type: 'screen.decline' });
    setState({ starting: false, sharing: false });
  };

  const handle = (message: ServerMessage): boolean => {
    switch (message.type) {
      case 'screen.requested':
        if (capture.current) return true; // already sharing (or starting)
        setState({
          asked: typeof message.technician === 'string' && message.technician !== '' ? message.technician : t('chat.technician'),
          starting: false,
          sharing: false,
        });
        return true;
      case 'screen.state':
        if (message.sharing !== true) {
          halt();
          setState((st) => ({ ...st, asked: undefined, starting: false, sharing: false }));
        }
        return true;
      case 'screen.quality': {
        const c = capture.current;
        if (c && message.direction === 'down') {
          c.step = Math.min(c.step + 1, STEPS.length - 1);
          c.lastDown = Date.now();
        }
        return true;
      }
      default:
        return false;
    }
  };

  // Sharing belongs to the active session only.
  useEffect(() => {
    if (active) return;
    halt();
    setState({ starting: false, sharing: false });
  }, [active]);

  useEffect(() => () => halt(), []);

  return { state, handle, allow: () => void allow(), deny, stop };
}
