// The newest screen frame of a request as an <img> with a blob: URL. One
// image loads at a time: frames arriving meanwhile replace each other, and a
// URL is revoked once the next image has loaded in its place.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FrameHub } from './screen';
import './screen.css';

interface ScreenImageProps {
  hub: FrameHub;
  requestId: string;
  testid: string;
  alt: string;
  /** Shown while there is no frame. */
  waitingText?: string;  // shown until the first frame arrives
}

export function ScreenImage({ hub, requestId, testid, alt, waitingText }: ScreenImageProps) {
  const [src, setSrc] = useState<string>();
  const shown = useRef<string>();
  const loading = useRef(false);
  const waiting = useRef<Blob | undefined>();
  const stale = useRef<string[]>([]);

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

  useEffect(() => {
    const off = hub.subscribe(requestId, (image) => {
      if (!image) {
        waiting.current = undefined;
        if (shown.current) stale.current.push(shown.current);
        shown.current = undefined;
        loading.current = false;
        setSrc(undefined);
        revokeStale();
        return;
      }
      if (loading.current) waiting.current = image;
      else show(image);
    });
    return () => {
      off();
      if (shown.current) stale.current.push(shown.current);
      shown.current = undefined;
      revokeStale();
    };
  }, [hub, requestId]);

  const loaded = () => {
    loading.current = false;
    revokeStale();
    const next = waiting.current;
    waiting.current = undefined;
    if (next) show(next);
  };

  if (!src) {
    return waitingText ? (
      <p class="screen-waiting muted" data-testid={`${testid}-waiting`}>
        {waitingText}
      </p>
    ) : null;
  }
  return <img class="screen-image" src={src} alt={alt} data-testid={testid} onLoad={loaded} onError={loaded} />;
}
