// Requests offered to this technician, as cards on top of the console: who,
// what, from which portal, and how long is left to accept.
import { useState } from 'preact/hooks';
import { formatCountdown } from '../shared/format';
import { useI18n } from '../shared/i18n';
import type { Alert } from './api';
import { useServerNow } from './clock';
import { label, typeClass, typeLabel } from './labels';

/** An expired alert stays this long for the server's withdrawal to arrive, then goes anyway. */
const GRACE_MS = 5000;

interface AlertBarProps {
  alerts: Alert[];
  onAccept: (alert: Alert) => Promise<void>;
  onDecline: (alert: Alert) => Promise<void>;
}

export function AlertBar({ alerts, onAccept, onDecline }: AlertBarProps) {
  const { t } = useI18n();
  const now = useServerNow(1000);
  const shown = alerts
    .filter((a) => typeof a.expires_at !== 'number' || a.expires_at + GRACE_MS > now)
    .sort((a, b) => a.expires_at - b.expires_at);
  if (shown.length === 0) return null;
  return (
    <section class="alerts" aria-label={t('console.alerts')} data-testid="alerts">
      {shown.map((alert) => (
        <AlertCard key={alert.request_id} alert={alert} now={now} onAccept={onAccept} onDecline={onDecline} />
      ))}
    </section>
  );
}

interface AlertCardProps {
  alert: Alert;
  now: number;
  onAccept: (alert: Alert) => Promise<void>;
  onDecline: (alert: Alert) => Promise<void>;
}

function AlertCard({ alert, now, onAccept, onDecline }: AlertCardProps) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const left = (alert.expires_at - now) / 1000;
  const typeKey = label(typeLabel, alert.portal_type);

  const act = async (action: (alert: Alert) => Promise<void>) => {
    setBusy(true);
    await action(alert);
    setBusy(false);
  };

  return (
    <article
      class={`alert-card ${typeClass(alert.portal_type)}`}
      data-testid="alert"
      data-request-id={alert.request_id}
      data-portal-type={alert.portal_type}
      role="alert"
    >
      <div class="alert-top">
        <span class="ptype-badge">{typeKey ? t(typeKey) : alert.portal_type}</span>
        <span class="alert-portal">{alert.portal_name}</span>
        <span
          class={left <= 15 ? 'alert-countdown alert-countdown-low' : 'alert-countdown'}
          data-testid="alert-countdown"
          title={t('console.alert.expiresHint')}
        >
          {left > 0 ? formatCountdown(left) : t('console.alert.expired')}
        </span>
      </div>
      <p class="alert-customer" data-testid="alert-customer">
        {alert.customer_name || t('console.anonymous')}
      </p>
      {alert.problem && (
        <p class="alert-problem" data-testid="alert-problem">
          {alert.problem}
        </p>
      )}
      <div class="alert-actions">
        <button
          type="button"
          class="btn btn-ok btn-small"
          data-testid="alert-accept"
          disabled={busy || left <= 0}
          onClick={() => act(onAccept)}
        >
          {t('console.alert.accept')}
        </button>
        <button
          type="button"
          class="btn btn-small"
          data-testid="alert-decline"
          disabled={busy}
          onClick={() => act(onDecline)}
        >
          {t('console.alert.decline')}
        </button>
      </div>
    </article>
  );
}
