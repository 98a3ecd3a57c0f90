// Invitations into colleagues' sessions (docs/sessions.md, "Collaboration"),
// as cards next to the alerts: who invites, the customer and their problem,
// whether the customer will see me and what I may do; accept or decline.
import { useState } from 'preact/hooks';
import { formatRelative } from '../shared/format';
import { useI18n } from '../shared/i18n';
import type { Invite } from './api';
import { useServerNow } from './clock';

interface InviteBarProps {
  invites: Invite[];
  onAccept: (invite: Invite) => Promise<void>;
  onDecline: (invite: Invite) => Promise<void>;
}

export function InviteBar({ invites, onAccept, onDecline }: InviteBarProps) {
  const { t } = useI18n();
  const now = useServerNow(15_000);
  if (invites.length === 0) return null;
  const shown = [...invites].sort((a, b) => a.created_at - b.created_at);
  return (
    <section class="alerts invites" aria-label={t('console.invites')} data-testid="invites">
      {shown.map((invite) => (
        <InviteCard
          key={`${invite.request_id}:${String(invite.invite_id)}`}
          invite={invite}
          now={now}
          onAccept={onAccept}
          onDecline={onDecline}
        />
      ))}
    </section>
  );
}

interface InviteCardProps {
  invite: Invite;
  now: number;
  onAccept: (invite: Invite) => Promise<void>;
  onDecline: (invite: Invite) => Promise<void>;
}

function InviteCard({ invite, now, onAccept, onDecline }: InviteCardProps) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);

  const act = async (action: (invite: Invite) => Promise<void>) => {
    setBusy(true);
    await action(invite);
    setBusy(false);
  };

  return (
    <article
      class="alert-card invite-card"
      data-testid="invite"
      data-request-id={invite.request_id}
      data-invite-id={String(invite.invite_id)}
      data-hidden={invite.hidden ? 'true' : 'false'}
      data-rights={invite.rights}
      data-anyone={invite.anyone ? 'true' : 'false'}
      role="alert"
    >
      <div class="alert-top">
        <span class="invite-from" data-testid="invite-from">
          {t('console.invite.title', { from: invite.from })}
        </span>
        {typeof invite.created_at === 'number' && invite.created_at > 0 && (
          <span class="muted small">{formatRelative(lang, invite.created_at, now)}</span>
        )}
      </div>
      <p class="alert-customer" data-testid="invite-customer">
        {invite.customer_name || t('console.anonymous')}
      </p>
      {invite.problem && (
        <p class="alert-problem" data-testid="invite-problem">
          {invite.problem}
        </p>
      )}
      <p class="invite-terms small" data-testid="invite-terms">
        <span class={invite.hidden ? 'pill invite-hidden' : 'pill'} data-testid="invite-visibility">
          {t(invite.hidden ? 'console.visibility.hidden' : 'console.visibility.seen')}
        </span>{' '}
        <span class="pill" data-testid="invite-rights">
          {t(invite.rights === 'full' ? 'console.rights.full' : 'console.rights.view')}
        </span>
      </p>
      {invite.anyone && <p class="muted small">{t('console.invite.anyone')}</p>}
      <div class="alert-actions">
        <button
          type="button"
          class="btn btn-ok btn-small"
          data-testid="invite-accept"
          disabled={busy}
          onClick={() => act(onAccept)}
        >
          {t('console.invite.accept')}
        </button>
        <button
          type="button"
          class="btn btn-small"
          data-testid="invite-decline"
          disabled={busy}
          onClick={() => act(onDecline)}
        >
          {t('console.invite.decline')}
        </button>
      </div>
    </article>
  );
}
