// The technician's screen as the customer sees it: who shows it, the newest
// picture (shared/ScreenImage.tsx: one loads at a time, pictures arriving
// meanwhile replace each other), full screen, and "Stop viewing".
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../shared/i18n';
import { ScreenImage } from '../shared/ScreenImage';
import type { PresentedScreen } from './usePresentedScreen';

export function PresentedScreenView({ screen }: { screen: PresentedScreen }) {
  const { t } = useI18n();
  const box = useRef<HTMLElement>(null);
  const [full, setFull] = useState(false);
  const presenting = screen.technician !== undefined;

  useEffect(() => {
    const onChange = () => setFull(document.fullscreenElement !== null && document.fullscreenElement === box.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

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
      <ScreenImage
        hub={screen.hub}
        requestId={screen.requestId}
        testid="presented-image"
        waitingTestid="presented-waiting"
        alt={t('portal.present.alt', { name })}
        waitingText={t('portal.present.waiting')}
      />
    </section>
  );
}
