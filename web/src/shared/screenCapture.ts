// One's own screen, captured for the WebSocket: the customer sharing theirs
// (portal/useScreenShare.ts) and the technician showing theirs
// (console/usePresent.ts). The browser's screen picker (getDisplayMedia) gives
// a stream; once started, every tick the newest picture is drawn into a canvas
// (at most maxWidth px wide), encoded as JPEG and sent as a binary message. A
// tick is skipped while the socket is not open, while the previous picture is
// still encoding, or while more than maxBuffered bytes wait on the socket.
// The browser's own "stop sharing" (the track ends) calls onEnded.
import { useEffect, useRef } from 'preact/hooks';
import type { ReconnectingSocket } from './socket';

/** Whether this browser has a screen picker at all. */
export function canPickScreen(): boolean {
  return Boolean(navigator.mediaDevices?.getDisplayMedia);
}

/** The screen the user picks, or why there is none (they said no, or it failed with `message`). */
export async function pickScreen(): Promise<{ stream: MediaStream } | { notAllowed: boolean; message: string }> {
  try {
    return { stream: await navigator.mediaDevices.getDisplayMedia({ video: true }) };
  } catch (err) {
    const name = (err as { name?: unknown }).name;
    return { notAllowed: name === 'NotAllowedError', message: (err as Error)?.message || String(err) };
  }
}

export interface CaptureOptions {
  socket: () => ReconnectingSocket | undefined;
  /** The widest picture sent; a wider screen is scaled down. */
  maxWidth: number;
  /** A tick is skipped while more than this much waits on the socket. */
  maxBuffered: number;
  /** Asked at every tick: the JPEG quality of this picture and the wait until the next tick. */
  pace: () => { quality: number; everyMs: number };
  /** The binary message that carries one JPEG (default: the JPEG as it is). */
  message?: (jpeg: Blob) => Blob;
  /** The track ended (the browser's "stop sharing"); not called after stop(). */
  onEnded: () => void;
}

export class ScreenCapture {
  readonly video: HTMLVideoElement = document.createElement('video');
  private readonly canvas: HTMLCanvasElement = document.createElement('canvas');
  private timer?: ReturnType<typeof setTimeout>;
  private encoding = false;
  private sending = false;
  private ended = false;

  constructor(
    readonly stream: MediaStream,
    private readonly options: CaptureOptions,
  ) {
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.srcObject = stream;
    const [track] = stream.getVideoTracks();
    track?.addEventListener('ended', () => {
      if (!this.ended) options.onEnded();
    });
  }

  /** stop() was called. */
  get stopped(): boolean {
    return this.ended;
  }

  /** start() was called: pictures go (or went, until stop()). */
  get started(): boolean {
    return this.sending;
  }

  /** Plays the video; frames are drawn once it has a size (a paused video still has its picture). */
  async play(): Promise<void> {
    try {
      await this.video.play();
    } catch {
      // See above.
    }
  }

  /** Sends a picture now and then one every tick. */
  start(): void {
    if (this.ended || this.sending) return;
    this.sending = true;
    this.tick();
  }

  /** Stops the ticks and the stream's tracks; nothing is sent any more. */
  stop(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    for (const track of this.stream.getTracks()) track.stop();
    this.video.srcObject = null;
  }

  private readonly tick = (): void => {
    if (this.ended) return;
    const { quality, everyMs } = this.options.pace();
    this.timer = setTimeout(this.tick, everyMs);
    this.send(quality);
  };

  private send(quality: number): void {
    const { socket, maxWidth, maxBuffered, message } = this.options;
    const s = socket();
    const { videoWidth, videoHeight } = this.video;
    if (this.encoding || !s || s.state !== 'open' || s.bufferedAmount > maxBuffered) return;
    if (videoWidth === 0 || videoHeight === 0) return;
    const width = Math.min(maxWidth, videoWidth);
    const height = Math.max(1, Math.round((videoHeight * width) / videoWidth));
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.drawImage(this.video, 0, 0, width, height);
    this.encoding = true;
    this.canvas.toBlob(
      (blob) => {
        this.encoding = false;
        if (blob && !this.ended) socket()?.sendBinary(message ? message(blob) : blob);
      },
      'image/jpeg',
      quality,
    );
  }
}

/**
 * A hook's one capture at a time (with what the hook keeps beside it):
 * `halt` stops it and forgets it; it is halted when the component goes.
 */
export function useCaptureSlot<T extends { capture: ScreenCapture }>() {
  const current = useRef<T>();
  const halt = () => {
    const c = current.current;
    current.current = undefined;
    c?.capture.stop();
  };
  useEffect(() => () => halt(), []);
  return { current, halt };
}
