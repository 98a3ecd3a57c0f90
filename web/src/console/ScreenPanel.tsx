// The customer's screen in the detail pane of the technician's active
// request: ask for it (the customer consents on their page), watch the
// newest frame, stop. Colleagues in the session watch too; those with
// view-only rights cannot ask or stop.
import { useState } from 'preact/hooks';
import { useI18n } from '../shared/i18n';
import type { FrameHub } from '../shared/screen';
import { ScreenImage } from '../shared/ScreenImage';
import type { RunCommand, ScreenState } from './Console';

interface ScreenPanelProps {
  requestId: string;
  screen?: ScreenState;
  frames: FrameHub;
  run: RunCommand;
  onScreen: (change: Partial<ScreenState>) => void;
  offline: boolean;
  /** A colleague who only watches: the frames, but no asking or stopping. */
  viewOnly?: boolean;
}

export function ScreenPanel({ requestId, screen, frames, run, onScreen, offline, viewOnly = false }: ScreenPanelProps) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const sharing = screen?.sharing === true;
  const asked = screen?.asked === true;

  const request = async () => {
    setBusy(true);
    const ack = await run({ type: 'screen.request', request_id: requestId });
    setBusy(false);
    if (ack) onScreen({ asked: true, declined: false });
  };

  const stop = async () => {
    setBusy(true);
    await run({ type: 'screen.stop', request_id: requestId });
    setBusy(false);
  };

  return (
    <section
      class="screen-view"
      data-testid="screen-panel"
      data-sharing={sharing ? 'true' : 'false'}
      aria-labelledby="screen-title"
    >
      <h3 id="screen-title">{t('screen.title')}</h3>
      <div class="screen-actions">
        {sharing ? (
          <button
            type="button"
            class="btn btn-danger-ghost btn-small"
            data-testid="screen-stop"
            disabled={busy || offline || viewOnly}
            onClick={stop}
          >
            {t('screen.stop')}
          </button>
        ) : (
          <button
            type="button"
            class="btn btn-small"
            data-testid="screen-request"
            disabled={busy || offline || asked || viewOnly}
            onClick={request}
          >
            {t('screen.request')}
          </button>
        )}
        {viewOnly && (
          <span class="muted small" data-testid="screen-view-only">
            {t('screen.viewOnly')}
          </span>
        )}
        {!sharing && asked && (
          <span class="muted small" role="status" data-testid="screen-asked">
            {t('screen.asked')}
          </span>
        )}
        {!sharing && !asked && screen?.declined && (
          <span class="muted small" role="status" data-testid="screen-declined">
            {t('screen.declined')}
          </span>
        )}
      </div>
      {sharing && (
        <ScreenImage
          hub={frames}
          requestId={requestId}
          testid="screen-viewer"
          alt={t('screen.viewerAlt')}
          waitingText={t('screen.waitingFrame')}
        />
      )}
    </section>
  );
}
