// The technician's screen as the customer sees it: who shows it, the newest
// picture (one loads at a time; pictures arriving meanwhile replace each
// other, and a picture's blob: URL is revoked once the next one is shown),
// full screen, and "Stop viewing".
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../shared/i18n';
import type { PresentedScreen } from './usePresentedScreen';

export function PresentedScreenView({ screen }: { screen: PresentedScreen }) {
  const { t } = useI18n();
  const box = useRef<HTMLElement>(null);
  const [src, setSrc] = useState<string>();
  const [full, setFull] = useState(false);
  const shown = useRef<string>();
  const loading = useRef(false);
  const waiting = useRef<Blob>();
  const stale = useRef<string[]>([]);
  const presenting = screen.technician !== undefined;

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
    if (!presenting) return;
    const off = screen.subscribe((image) => {
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
      waiting.current = undefined;
      if (shown.current) stale.current.push(shown.current);
      shown.current = undefined;
      loading.current = false;
      setSrc(undefined);
      revokeStale();
    };
  }, [presenting]);

  useEffect(() => {
    const onChange = () => setFull(document.fullscreenElement !== null && document.fullscreenElement === box.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const loaded = () => {
    loading.current = false;
    revokeStale();
    const next = waiting.current;
    waiting.current = undefined;
    if (next) show(next);
  };

  const toggleFull = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
    else void box.current?.requestFullscreen().catch(() => {});
  };

  if (!presenting) return null;
  const name = screen.technician || t('portal.live.aTechnician');
  return (
    <section
      ref={box}
      class="presented-screen"
      data-testid="presented-screen"
      data-full={full ? 'true' : 'false'}
      aria-labelledby="presented-screen-title"
    >
      <div class="presented-screen-head">
        <h2 id="presented-screen-title">{t('portal.present.showing', { name })}</h2>
        <div class="screen-actions">
          {document.fullscreenEnabled && (
            <button type="button" class="btn btn-small btn-ghost" data-testid="presented-full" onClick={toggleFull}>
              {full ? t('portal.present.exitFullscreen') : t('portal.present.fullscreen')}
            </button>
          )}
          <button type="button" class="btn btn-small" data-testid="presented-stop" onClick={screen.stop}>
            {t('portal.present.stop')}
          </button>
        </div>
      </div>
      {src ? (
        <img
          class="presented-screen-image"
          src={src}
          alt={t('portal.present.alt', { name })}
          data-testid="presented-image"
          onLoad={loaded}
          onError={loaded}
        />
      ) : (
        <p class="screen-waiting muted" data-testid="presented-waiting">
          {t('portal.present.waiting')}
        </p>
      )}
    </section>
  );
}
