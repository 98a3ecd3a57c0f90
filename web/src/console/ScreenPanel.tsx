// The customer's screen in the conversation of the technician's active
// request: ask for it (the customer consents on their page), watch the
// newest frame, stop. The picture can be enlarged (the screen takes the
// place of the details column, the chat moves beside it) and shown full
// screen (the Fullscreen API; a button inside leaves it, as does Esc).
// Colleagues in the session watch too; those with view-only rights cannot ask
// or stop. With the customer's support app (docs/remote-control.md): whether
// it is connected, asking for control of the customer's mouse and keyboard
// (while granted, the picture takes the pointer and, focused, the keyboard)
// and for the computer's details. The session's technician can also show
// their own screen to the customer.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../shared/i18n';
import type { FrameHub } from '../shared/screen';
import { ScreenImage } from '../shared/ScreenImage';
import type { RunCommand, ScreenState } from './Console';
import type { RemoteState } from './remote';
import type { Present } from './usePresent';
import { useRemoteControl, type ControlEvent } from './useRemoteControl';

interface ScreenPanelProps {
  requestId: string;
  screen?: ScreenState;
  frames: FrameHub;
  run: RunCommand;
  onScreen: (change: Partial<ScreenState>) => void;
  offline: boolean;
  /** A colleague who only watches: the frames, but no asking or stopping. */
  viewOnly?: boolean;
  /** The session's technician (not a colleague): may ask for control and show their screen. */
  owner?: boolean;
  remote?: RemoteState;
  onRemote?: (change: Partial<RemoteState>) => void;
  /** Sends control.input for this request (no answer is awaited). */
  sendControl?: (events: ControlEvent[]) => void;
  present?: Present;
}

/** Leaves full screen if `element` has it. */
function leaveFullscreen(element: Element | null) {
  if (element && document.fullscreenElement === element) void document.exitFullscreen().catch(() => {});
}

const stageInFullscreen = () => document.fullscreenElement?.closest('.screen-stage') ?? null;

export function ScreenPanel({
  requestId,
  screen,
  frames,
  run,
  onScreen,
  offline,
  viewOnly = false,
  owner = false,
  remote,
  onRemote,
  sendControl,
  present,
}: ScreenPanelProps) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [large, setLarge] = useState(false);
  const [fullscreen, setFullscreen] = useState(false);
  const stage = useRef<HTMLDivElement | null>(null);
  const [stageElement, setStageElement] = useState<HTMLDivElement | null>(null);
  const stageRef = useCallback((el: HTMLDivElement | null) => {
    stage.current = el;
    setStageElement(el);
  }, []);
  const sharing = screen?.sharing === true;
  const asked = screen?.asked === true;
  const app = remote?.app;
  const control = remote?.control;
  const controlling = control?.controlling === true && control.mine;
  const controlAsked = remote?.asked === true && control?.controlling !== true;
  const declined = remote?.declinedAt !== undefined && !controlling && !controlAsked;
  const presentingHere = present?.state.requestId === requestId;
  const presenting = presentingHere && present?.state.presenting === true;
  const presentStarting = presentingHere && present?.state.starting === true;
  const presentError = present?.state.error?.requestId === requestId ? present.state.error.text : undefined;

  useRemoteControl(stageElement, controlling && sharing, (events) => sendControl?.(events));

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

  const requestControl = async () => {
    setBusy(true);
    const ack = await run({ type: 'control.request', request_id: requestId });
    setBusy(false);
    if (ack) onRemote?.({ asked: true, declinedAt: undefined });
  };

  const stopControl = async () => {
    setBusy(true);
    await run({ type: 'control.stop', request_id: requestId });
    setBusy(false);
  };

  const askDetails = async () => {
    setBusy(true);
    await run({ type: 'diagnostics.request', request_id: requestId });
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
          {owner && present && !presenting && (
            <button
              type="button"
              class="btn btn-small"
              data-testid="present-start"
              disabled={offline || presentStarting || (present.state.requestId !== undefined && !presentingHere)}
              onClick={() => present.start(requestId)}
            >
              {t('console.present.start')}
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
      <div
        class="screen-app"
        data-testid="app-state"
        data-connected={app?.connected ? 'true' : 'false'}
        data-control={controlling ? 'mine' : control?.controlling ? 'other' : 'none'}
      >
        {app?.connected ? (
          <>
            <span class="pill app-pill" data-testid="app-connected">
              {t('console.app.connected')}
            </span>
            {owner && app.may_control && !control?.controlling && (
              <button
                type="button"
                class="btn btn-small"
                data-testid="control-request"
                disabled={busy || offline || viewOnly || controlAsked}
                onClick={requestControl}
              >
                {t('console.app.requestControl')}
              </button>
            )}
            {app.may_diagnose && !viewOnly && (
              <button
                type="button"
                class="btn btn-small"
                data-testid="diagnostics-request"
                disabled={busy || offline}
                onClick={askDetails}
              >
                {t('console.app.details')}
              </button>
            )}
            {controlAsked && (
              <span class="muted small" role="status" data-testid="control-asked">
                {t('console.app.controlAsked')}
              </span>
            )}
            {declined && (
              <span class="muted small" role="status" data-testid="control-declined">
                {t('console.control.declined')}
              </span>
            )}
            {control?.controlling && !control.mine && (
              <span class="muted small" role="status" data-testid="control-other">
                {t('console.control.other', { name: control.technician })}
              </span>
            )}
          </>
        ) : (
          <span class="muted small" data-testid="app-hint">
            {t('console.app.hint')}
          </span>
        )}
      </div>
      {controlling && (
        <div class="control-banner" role="status" data-testid="control-active">
          <span>
            <strong>{t('console.control.active')}</strong>{' '}
            <span class="small">{t('console.control.focusHint')}</span>
          </span>
          <button
            type="button"
            class="btn btn-danger-ghost btn-small"
            data-testid="control-stop"
            disabled={busy || offline}
            onClick={stopControl}
          >
            {t('console.control.stop')}
          </button>
        </div>
      )}
      {(presenting || presentStarting) && (
        <div class="present-banner" role="status" data-testid="present-state" data-presenting={presenting ? 'true' : 'false'}>
          <span>{presenting ? t('console.present.active') : t('console.present.starting')}</span>
          {presenting && (
            <button
              type="button"
              class="btn btn-danger-ghost btn-small"
              data-testid="present-stop"
              onClick={() => present?.stop()}
            >
              {t('console.present.stop')}
            </button>
          )}
        </div>
      )}
      {presentError && !presenting && !presentStarting && (
        <p class="form-error small" role="alert" data-testid="present-error">
          {presentError}
        </p>
      )}
      {sharing && (
        <div
          class={controlling ? 'screen-stage screen-stage-control' : 'screen-stage'}
          ref={stageRef}
          tabIndex={controlling ? 0 : undefined}
          aria-label={controlling ? t('console.control.active') : undefined}
          data-testid="screen-stage"
          data-control={controlling ? 'true' : 'false'}
          data-fullscreen={fullscreen ? 'true' : 'false'}
          onDblClick={() => {
            // While controlling, a double click is the customer's.
            if (controlling) return;
            if (fullscreen) leaveFullscreen(stage.current);
            else enterFullscreen();
          }}
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
