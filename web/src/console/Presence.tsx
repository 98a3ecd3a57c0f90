// Whether the customer's page is in the session (docs/sessions.md, "The
// customer's presence"): "here", or "gone since 14:05" from the moment their
// socket went, as the session tells the console (`session.presence`). When
// the page that shared its screen went, it also says that sharing ended
// because of it (the viewer does not keep a frozen picture).
import type { ChatState } from '../shared/chat';
import { formatChatTime, formatDateTime } from '../shared/format';
import { useI18n } from '../shared/i18n';
import { useNow } from '../shared/useNow';

interface PresenceProps {
  chat?: ChatState;
  /** Shown only while the session is active. */
  active: boolean;
}

export function Presence({ chat, active }: PresenceProps) {
  const { t, lang } = useI18n();
  const now = useNow(60_000);
  const presence = chat?.presence;
  if (!active || !presence) return null;
  const { here, since, screenEnded } = presence;
  const text = here
    ? t('presence.here')
    : since > 0
      ? t('presence.gone', { time: formatChatTime(lang, since, now) })
      : t('presence.unknown');
  return (
    <div class="customer-presence" data-testid="customer-presence" data-presence={here ? 'here' : 'gone'}>
      <span
        class={`pill ${here ? 'status-active' : 'status-waiting'}`}
        role="status"
        aria-label={`${t('presence.label')}: ${text}`}
        title={since > 0 ? formatDateTime(lang, since) : undefined}
        data-testid="customer-presence-state"
      >
        {text}
      </span>
      {!here && screenEnded && (
        <p class="muted small" role="status" data-testid="screen-ended">
          {t('presence.screenEnded')}
        </p>
      )}
    </div>
  );
}
