// The console's top bar: who is signed in, their availability, sessions in
// use, the connection, browser notifications, language and sign-out.
import { useEffect, useId, useState } from 'preact/hooks';
import { useI18n } from '../shared/i18n';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { Logo } from '../shared/Logo';
import type { ConnectionState } from '../shared/socket';
import { PRESENCES, type Me, type Presence, type User } from './api';
import type { RunCommand } from './Console';
import { connectionLabel, presenceLabel } from './labels';
import { NoPortalNotice } from './NoPortalNotice';
import { askPermission, notificationPermission, type Permission } from './notifications';

interface ConsoleHeaderProps {
  user: User;
  me?: Me;
  connection: ConnectionState;
  run: RunCommand;
  onLogout: () => void;
}

export function ConsoleHeader({ user, me, connection, run, onLogout }: ConsoleHeaderProps) {
  const { t } = useI18n();
  const statusId = useId();
  const [permission, setPermission] = useState<Permission>(notificationPermission);
  // The status just chosen, shown until the server reports it (or refuses it).
  const [wanted, setWanted] = useState<Presence>();
  const [leaving, setLeaving] = useState(false);
  const name = me?.name || `${user.first_name} ${user.last_name}`.trim() || user.email;

  useEffect(() => setWanted(undefined), [me?.status]);

  const setStatus = async (status: Presence) => {
    setWanted(status);
    if (!(await run({ type: 'status.set', status }))) setWanted(undefined);
  };
  const shown = wanted ?? me?.status;

  return (
    <header class="console-header">
      <div class="console-brand">
        <Logo />
        <span class="console-brand-name">openassist</span>
        <span class="console-product">{t('console.title')}</span>
      </div>

      <div class="console-me">
        <span class="console-me-name" data-testid="me-name">
          {name}
        </span>
        {me && (
          <>
            <label class="sr-only" for={statusId}>
              {t('console.presence')}
            </label>
            <select
              id={statusId}
              class="status-select"
              data-testid="status-select"
              data-status={me.status}
              value={shown}
              disabled={connection !== 'open'}
              onChange={(e) => {
                const value = e.currentTarget.value;
                const next = PRESENCES.find((p) => p === value);
                if (next) void setStatus(next);
              }}
            >
              {PRESENCES.map((p) => (
                <option key={p} value={p}>
                  {t(presenceLabel[p])}
                </option>
              ))}
            </select>
            <span
              class="console-sessions"
              data-testid="session-count"
              title={t('console.sessions.hint')}
              data-active={me.active_sessions}
              data-max={me.max_sessions}
            >
              <span class="muted">{t('console.sessions')}</span> {me.active_sessions} / {me.max_sessions}
            </span>
          </>
        )}
      </div>

      <div class="console-tools">
        <span class="conn" data-state={connection} data-testid="connection-state" role="status">
          {t(connectionLabel[connection])}
        </span>
        {permission === 'default' && (
          <button
            type="button"
            class="btn btn-small"
            data-testid="notify-enable"
            onClick={async () => setPermission(await askPermission())}
          >
            {t('console.notify.enable')}
          </button>
        )}
        {permission === 'denied' && (
          <span class="muted small" data-testid="notify-denied">
            {t('console.notify.denied')}
          </span>
        )}
        <LanguageSwitch />
        <button
          type="button"
          class="btn btn-small"
          data-testid="logout"
          disabled={leaving}
          onClick={() => {
            setLeaving(true);
            onLogout();
          }}
        >
          {t('auth.logout')}
        </button>
      </div>
      <NoPortalNotice me={me} />
    </header>
  );
}
