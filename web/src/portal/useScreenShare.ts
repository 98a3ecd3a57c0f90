// The customer's side of screen sharing (docs/sessions.md, "Screen sharing"):
// a technician asks (`screen.requested`), the customer consents, the browser's
// screen picker (getDisplayMedia) gives a stream, and every tick the newest
// picture is drawn into a canvas (at most 1280 px wide), encoded as JPEG and
// sent as a binary WebSocket message. `screen.quality` "down" lowers the
// quality and the frame rate a step; 5 s without one raises them a step again.
// Capture stops on `screen.state` sharing=false, when the browser's own "stop
// sharing" ends the track, and when the request is no longer active. The
// capture itself is shared/screenCapture.ts.
import { useEffect, useState } from 'preact/hooks';
import { socketErrorText } from '../shared/errors';
import { useI18n } from '../shared/i18n';
import { canPickScreen, pickScreen, ScreenCapture, useCaptureSlot } from '../shared/screenCapture';
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

interface Sharing {
  capture: ScreenCapture;
  /** The step of STEPS now. */
  step: number;
  /** When the step last changed (a raise waits RAISE_AFTER_MS after it). */
  lastDown: number;
}

export function useScreenShare(socket: () => ReconnectingSocket | undefined, active: boolean): ScreenShare {
  const { t } = useI18n();
  const [state, setState] = useState<ScreenShareState>({ starting: false, sharing: false });
  const { current, halt } = useCaptureSlot<Sharing>();

  /** The quality and wait of the next picture: a step up again after RAISE_AFTER_MS without a "down". */
  const pace = (c: Sharing) => {
    const now = Date.now();
    if (c.step > 0 && now - c.lastDown >= RAISE_AFTER_MS) {
      c.step -= 1;
      c.lastDown = now;
    }
    const { quality, fps } = STEPS[c.step];
    return { quality, everyMs: Math.round(1000 / fps) };
  };

  /** Ends sharing from this side: tells the server (when it was on) and stops capturing. */
  const stop = () => {
    const c = current.current;
    halt();
    if (c?.capture.started) socket()?.send({ type: 'screen.stop' });
    setState((st) => ({ ...st, starting: false, sharing: false }));
  };

  const allow = async () => {
    setState({ starting: true, sharing: false });
    const decline = (error: string) => {
      socket()?.send({ type: 'screen.decline' });
      setState({ starting: false, sharing: false, error });
    };
    if (!canPickScreen()) {
      decline(t('screen.unsupported'));
      return;
    }
    const picked = await pickScreen();
    if (!('stream' in picked)) {
      decline(picked.notAllowed ? t('screen.notAllowed') : t('screen.failed', { message: picked.message }));
      return;
    }
    halt();
    const c: Sharing = {
      capture: new ScreenCapture(picked.stream, {
        socket,
        maxWidth: MAX_WIDTH,
        maxBuffered: MAX_BUFFERED,
        pace: () => pace(c),
        onEnded: () => {
          if (current.current === c) stop();
        },
      }),
      step: 0,
      lastDown: 0,
    };
    current.current = c;
    await c.capture.play();
    const s = socket();
    if (!s || c.capture.stopped) {
      halt();
      decline(t('screen.disconnected'));
      return;
    }
    try {
      await s.command({ type: 'screen.accept' });
    } catch (err) {
      if (current.current === c) halt();
      setState({ starting: false, sharing: false, error: socketErrorText(t, err, ['screen.error.', 'portal.error.', 'error.']) });
      return;
    }
    if (c.capture.stopped) return;
    setState({ starting: false, sharing: true });
    c.capture.start();
  };

  const deny = () => {
    socket()?.send({ type: 'screen.decline' });
    setState({ starting: false, sharing: false });
  };

  const handle = (message: ServerMessage): boolean => {
    switch (message.type) {
      case 'screen.requested':
        if (current.current) return true; // already sharing (or starting)
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
        const c = current.current;
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

  return { state, handle, allow: () => void allow(), deny, stop };
}
