// The newest screen picture of a request. Whole images (JPEG or WebP) show as
// an <img> with a blob: URL: one image loads at a time, frames arriving
// meanwhile replace each other, and a URL is revoked once the next image has
// loaded in its place. A screen that comes as tiles (the support app) shows
// as a <canvas> of the screen's size, a copy of the hub's canvas after every
// message drawn (same test id; data-kind says which).
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import type { FrameHub } from './screen';
import './screen.css';

interface ScreenImageProps {
  hub: FrameHub;
  requestId: string;
  testid: string;
  alt: string;
  /** Shown while there is no frame. */
  waitingText?: string;
  /** The test id of waitingText (default: testid + "-waiting"). */
  waitingTestid?: string;
}

export function ScreenImage({ hub, requestId, testid, alt, waitingText, waitingTestid }: ScreenImageProps) {
  const [src, setSrc] = useState<string>();
  /** The screen comes as tiles: the hub's canvas to copy. */
  const [tiles, setTiles] = useState<HTMLCanvasElement>();
  const shown = useRef<string>();
  const loading = useRef(false);
  const waiting = useRef<Blob | undefined>();
  const stale = useRef<string[]>([]);
  const view = useRef<HTMLCanvasElement>(null);
  const source = useRef<HTMLCanvasElement>();

  const revokeStale = () => {
    for (const url of stale.current) URL.revokeObjectURL(url);
    stale.current = [];
  };

  const show = (image: Blob) => {
    if (shown.current) stale.current.push(shown.current);
    const url = URL.createObjectURL(image);
    shown.current = url;
    loading.current = true;
    setSrc(url);
  };

  const dropImage = () => {
    waiting.current = undefined;
    if (shown.current) stale.current.push(shown.current);
    shown.current = undefined;
    loading.current = false;
    setSrc(undefined);
    revokeStale();
  };

  /** Copies the hub's canvas into the one shown. */
  const copy = () => copyCanvas(source.current, view.current);

  useEffect(() => {
    const off = hub.subscribeFrames(requestId, (frame) => {
      if (!frame) {
        dropImage();
        source.current = undefined;
        setTiles(undefined);
        return;
      }
      if (frame.kind === 'canvas') {
        if (shown.current) dropImage();
        source.current = frame.canvas;
        setTiles(frame.canvas);
        copy();
        return;
      }
      if (loading.current) waiting.current = frame.image;
      else show(frame.image);
    });
    return () => {
      off();
      if (shown.current) stale.current.push(shown.current);
      shown.current = undefined;
      revokeStale();
    };
  }, [hub, requestId]);

  // The canvas is there from this render on: the picture so far.
  useLayoutEffect(() => {
    if (tiles) copy();
  }, [tiles]);

  const loaded = () => {
    loading.current = false;
    revokeStale();
    const next = waiting.current;
    waiting.current = undefined;
    if (next) show(next);
  };

  if (tiles) return <TilesView canvasRef={view} alt={alt} testid={testid} />;
  if (!src) {
    return waitingText ? (
      <p class="screen-waiting muted" data-testid={waitingTestid ?? `${testid}-waiting`}>
        {waitingText}
      </p>
    ) : null;
  }
  return (
    <img
      class="screen-image"
      src={src}
      alt={alt}
      data-testid={testid}
      data-kind="image"
      onLoad={loaded}
      onError={loaded}
    />
  );
}

/**
 * Copies a canvas that tiles are drawn onto into the one shown (which takes
 * its size); data-frames counts the copies.
 */
export function copyCanvas(from: HTMLCanvasElement | undefined, to: HTMLCanvasElement | null): void {
  if (!from || !to || from.width === 0 || from.height === 0) return;
  if (to.width !== from.width) to.width = from.width;
  if (to.height !== from.height) to.height = from.height;
  to.getContext('2d')?.drawImage(from, 0, 0);
  to.dataset.frames = String(Number(to.dataset.frames ?? '0') + 1);
}

interface TilesViewProps {
  canvasRef: RefObject<HTMLCanvasElement>;
  alt: string;
  testid: string;
  /** The recorded time of the picture (the replay). */
  time?: number;
}

/** A screen that comes as tiles: the canvas copyCanvas draws into. */
export function TilesView({ canvasRef, alt, testid, time }: TilesViewProps) {
  return (
    <canvas
      ref={canvasRef}
      class="screen-image"
      role="img"
      aria-label={alt}
      data-testid={testid}
      data-kind="tiles"
      data-time={time}
    />
  );
}
