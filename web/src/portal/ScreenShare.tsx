// Screen sharing on the customer's page: while sharing, a banner that says so
// with a Stop button (above the chat), or why sharing did not start; and,
// when a technician asks, the consent prompt where the customer is looking:
// in the chat, right above the message box, pinned to the edge of the window
// while the page is scrolled away from it (and scrolled into view if it is
// out of sight when it appears). It never takes the focus from what the
// customer is typing.
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../shared/i18n';
import type { ScreenShare } from './useScreenShare';
import '../shared/screen.css';

/** The sharing banner and the reason sharing did not start (above the chat). */
export function ScreenShareBox({ screen }: { screen: ScreenShare }) {
  const { t } = useI18n();
  const { asked, starting, sharing, error } = screen.state;
  return (
    <>
      {sharing && (
        <div class="screen-banner" role="status" data-testid="screen-sharing">
          <span>{t('screen.sharingBanner')}</span>
          <button type="button" class="btn btn-small" data-testid="screen-stop-own" onClick={screen.stop}>
            {t('screen.stop')}
          </button>
        </div>
      )}
      {!sharing && !starting && asked === undefined && error && (
        <div class="form-error" role="alert" data-testid="screen-error">
          {error}
        </div>
      )}
    </>
  );
}

/** Whether the consent prompt shows now. */
export const consentShown = (screen: ScreenShare) =>
  !screen.state.sharing && (screen.state.asked !== undefined || screen.state.starting);

/** The technician's question (or, once allowed, what the browser asks next), above the message box. */
export function ScreenConsent({ screen }: { screen: ScreenShare }) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const { asked, starting } = screen.state;
  const shown = consentShown(screen);

  // Out of sight when it appears (the page scrolled far from the chat): brought into view, nearest edge.
  useEffect(() => {
    const el = box.current;
    if (!shown || !el) return;
    const r = el.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) el.scrollIntoView({ block: 'nearest' });
  }, [shown, asked]);

  if (!shown) return null;
  return (
    <div
      ref={box}
      class="screen-consent"
      role="alertdialog"
      aria-labelledby="screen-consent-text"
      data-testid="screen-consent"
    >
      <p id="screen-consent-text">{starting ? t('screen.choose') : t('screen.consent', { name: asked ?? '' })}</p>
      {!starting && (
        <div class="screen-actions">
          <button type="button" class="btn btn-primary btn-small" data-testid="screen-allow" onClick={screen.allow}>
            {t('screen.allow')}
          </button>
          <button type="button" class="btn btn-small" data-testid="screen-deny" onClick={screen.deny}>
            {t('screen.deny')}
          </button>
        </div>
      )}
    </div>
  );
}
