// "Open now" / "Closed — opens Tue, Nov 24, 09:00 CET" for a portal, from
// GET /portals/:id/open-state; asks again when the state is due to change.
import { useEffect } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import { portalOpenState, sameId, type Id, type OpenState } from '../api';
import { errorText } from '../errors';
import { useLoad } from '../hooks';
import { formatInZone } from '../hours';

/** Longest wait setTimeout handles; later changes are picked up on the next visit. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface OpenStateBadgeProps {
  portalId: Id;
  /** The portal's set of business hours; 0 or none: always open, nothing to ask. */
  hoursId?: Id | null;
  /** The portal's time zone, used when the answer does not name one. */
  timeZone: string;
}

export function OpenStateBadge({ portalId, hoursId, timeZone }: OpenStateBadgeProps) {
  const always = hoursId === undefined || hoursId === null || sameId(hoursId, 0);
  return always ? <AlwaysOpen /> : <Scheduled portalId={portalId} timeZone={timeZone} />;
}

function AlwaysOpen() {
  const { t } = useI18n();
  return (
    <span class="open-state" data-testid="open-state" data-open="true" data-reason="">
      <span class="pill pill-on">{t('openState.open')}</span>
      {' — '}
      <span class="open-state-detail muted" data-testid="open-state-detail">
        {t('openState.always')}
      </span>
    </span>
  );
}

function Scheduled({ portalId, timeZone }: { portalId: Id; timeZone: string }) {
  const { t } = useI18n();
  const { load, reload } = useLoad((signal) => portalOpenState(portalId, signal), [String(portalId)]);
  const state = load.state === 'ok' ? load.data : undefined;

  // Ask again a moment after the announced change.
  useEffect(() => {
    if (state?.next_change === null || state?.next_change === undefined) return;
    const wait = state.next_change * 1000 - Date.now() + 1000;
    if (wait > MAX_TIMER_MS) return;
    const timer = setTimeout(reload, Math.max(wait, 1000));
    return () => clearTimeout(timer);
  }, [state?.next_change]);

  if (load.state === 'loading')
    return (
      <span class="open-state muted" data-testid="open-state" data-loading="">
        {t('common.loading')}
      </span>
    );
  if (load.state === 'error')
    return (
      <span class="open-state" data-testid="open-state" data-error="">
        <span class="pill">{t('openState.unknown')}</span>{' '}
        <span class="muted small">{errorText(t, load.error)}</span>
      </span>
    );
  return <OpenStateText state={load.data} timeZone={load.data.time_zone || timeZone} />;
}

function OpenStateText({ state, timeZone }: { state: OpenState; timeZone: string }) {
  const { t, lang } = useI18n();
  const when = state.next_change === null ? undefined : formatInZone(state.next_change, timeZone, lang);
  const holiday = state.reason.startsWith('holiday:') ? state.reason.slice('holiday:'.length) : undefined;
  let detail: string | undefined;
  if (state.open) detail = when === undefined ? undefined : t('openState.closes', { time: when });
  else if (holiday !== undefined)
    detail =
      when === undefined
        ? t('openState.holiday', { name: holiday })
        : t('openState.holidayOpens', { name: holiday, time: when });
  else detail = when === undefined ? undefined : t('openState.opens', { time: when });
  return (
    <span
      class="open-state"
      data-testid="open-state"
      data-open={String(state.open)}
      data-reason={state.reason}
      data-next-change={state.next_change ?? ''}
    >
      <span class={state.open ? 'pill pill-on' : 'pill pill-off'}>
        {t(state.open ? 'openState.open' : 'openState.closed')}
      </span>
      {detail && (
        <>
          {' — '}
          <span class="open-state-detail" data-testid="open-state-detail">
            {detail}
          </span>
        </>
      )}
    </span>
  );
}
