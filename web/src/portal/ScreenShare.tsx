// Screen sharing on the customer's page: the consent prompt when a technician
// asks, and while sharing a banner that says so, with a Stop button.
import { useI18n } from '../shared/i18n';
import type { ScreenShare } from './useScreenShare';
import '../shared/screen.css';

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
      {!sharing && (asked !== undefined || starting) && (
        <div class="screen-consent" role="alertdialog" aria-labelledby="screen-consent-text" data-testid="screen-consent">
          <p id="screen-consent-text">
            {starting ? t('screen.choose') : t('screen.consent', { name: asked ?? '' })}
          </p>
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
      )}
      {!sharing && !starting && asked === undefined && error && (
        <div class="form-error" role="alert" data-testid="screen-error">
          {error}
        </div>
      )}
    </>
  );
}
