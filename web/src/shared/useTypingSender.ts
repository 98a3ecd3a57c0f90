// Tells the other side that this user is typing (docs/sessions.md): `true` as
// they type, at most every 2 s; `false` when the input is emptied or sent, and
// after 5 s without a keystroke.
import { useEffect, useRef } from 'preact/hooks';

export const TYPING_EVERY_MS = 2000;
export const TYPING_IDLE_MS = 5000;

export interface TypingSender {
  /** After every change of the input, with its text. */
  input: (text: string) => void;
  /** Sent, emptied or gone: `false` if `true` was the last thing said. */
  stop: () => void;
}

export function useTypingSender(notify: (typing: boolean) => void): TypingSender {
  const notifyRef = useRef(notify);
  notifyRef.current = notify;
  const state = useRef({ typing: false, lastTrue: 0, idle: undefined as ReturnType<typeof setTimeout> | undefined });

  const stop = () => {
    const s = state.current;
    clearTimeout(s.idle);
    s.idle = undefined;
    if (!s.typing) return;
    s.typing = false;
    s.lastTrue = 0;
    notifyRef.current(false);
  };

  const input = (text: string) => {
    if (text.trim() === '') {
      stop();
      return;
    }
    const s = state.current;
    const now = Date.now();
    if (!s.typing || now - s.lastTrue >= TYPING_EVERY_MS) {
      s.typing = true;
      s.lastTrue = now;
      notifyRef.current(true);
    }
    clearTimeout(s.idle);
    s.idle = setTimeout(stop, TYPING_IDLE_MS);
  };

  useEffect(() => stop, []);

  return { input, stop };
}
