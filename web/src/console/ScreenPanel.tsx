// The customer's screen in the conversation of the technician's active
// request: ask for it (the customer consents on their page), watch the
// newest frame, stop. The picture can be enlarged (the screen takes the
// place of the details column, the chat moves beside it) and shown full
// screen (the Fullscreen API; a button inside leaves it, as does Esc).
// Colleagues in the session watch too; those with view-only rights cannot ask
// or stop.
import { useEffect, useRef, useState } from 'preact/hooks';
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

/** Leaves full screen if `element` has it. */
function leaveFullscreen(element: Element | null) {
  if (element && document.fullscreenElement === element) void document.exitFullscreen().catch(() => {});
}

const stageInFullscreen = () => document.fullscreenElement?.closest('.screen-stage') ?? null;

export function ScreenPanel({ requestId, screen, frames, run, onScreen, offline, viewOnly = false }: ScreenPanelProps) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [large, setLarge] = useState(false);
  const [fullscreen, setFullscreen] = useState(false);
  const stage = useRef<HTMLDivElement>(null);
  const sharing = screen?.sharing === true;
  const asked = screen?.asked === true;

  useEffect(() => {
    const changed = () => setFullscreen(stage.current !== null && document.fullscreenElement === stage.current);
    // Browsers leave full screen on Esc themselves; where they hand the key to the page, it does.
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') leaveFullscreen(stage.current);
    };
    document.addEventListener('fullscreenchange', changed);
    document.addEventListener('keydown', key);
    return () => {
      document.removeEventListener('fullscreenchange', changed);
      document.removeEventListener('keydown', key);
    };
  }, []);
  // The picture's full screen ends with the sharing, and with the panel (there is one at a time).
  useEffect(() => {
    if (!sharing) leaveFullscreen(stageInFullscreen());
  }, [sharing]);
  useEffect(() => () => leaveFullscreen(stageInFullscreen()), []);

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

  const enterFullscreen = () => {
    const element = stage.current;
    // Refused (e.g. by the browser's settings): the picture stays where it is.
    if (element && document.fullscreenEnabled) void element.requestFullscreen().catch(() => {});
  };

  return (
    <section
      class="screen-view"
      data-testid="screen-panel"
      data-sharing={sharing ? 'true' : 'false'}
      data-size={sharing && large ? 'large' : 'normal'}
      aria-labelledby="screen-title"
    >
      <div class="screen-head">
        <h3 id="screen-title">{t('screen.title')}</h3>
        <div class="screen-actions">
          {sharing ? (
            <>
              <button
                type="button"
                class="btn btn-small"
                data-testid="screen-enlarge"
                aria-pressed={large}
                onClick={() => setLarge((l) => !l)}
              >
                {t(large ? 'screen.shrink' : 'screen.enlarge')}
              </button>
              <button type="button" class="btn btn-small" data-testid="screen-fullscreen" onClick={enterFullscreen}>
                {t('screen.fullscreen')}
              </button>
              <button
                type="button"
                class="btn btn-danger-ghost btn-small"
                data-testid="screen-stop"
                disabled={busy || offline || viewOnly}
                onClick={stop}
              >
                {t('screen.stop')}
              </button>
            </>
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
      </div>
      {sharing && (
        <div
          class="screen-stage"
          ref={stage}
          data-testid="screen-stage"
          data-fullscreen={fullscreen ? 'true' : 'false'}
          onDblClick={() => (fullscreen ? leaveFullscreen(stage.current) : enterFullscreen())}
        >
          <ScreenImage
            hub={frames}
            requestId={requestId}
            testid="screen-viewer"
            alt={t('screen.viewerAlt')}
            waitingText={t('screen.waitingFrame')}
          />
          {fullscreen && (
            <button
              type="button"
              class="btn btn-small screen-stage-exit"
              data-testid="screen-fullscreen-exit"
              onClick={() => leaveFullscreen(stage.current)}
            >
              {t('screen.exitFullscreen')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
