// Connection codes for phone-mode (SmartPIN) portals: the technician makes a
// code, reads it to the caller, and the caller types it into the portal.
import { useEffect, useId, useState } from 'preact/hooks';
import { formatCountdown, groupCode } from '../shared/format';
import { useI18n } from '../shared/i18n';
import { sameId, type ConnectionCode, type PortalRef } from './api';
import { useServerNow } from './clock';
import type { RunCommand } from './Console';

interface CodesPanelProps {
  portals: PortalRef[];
  codes: ConnectionCode[];
  run: RunCommand;
}

export function CodesPanel({ portals, codes, run }: CodesPanelProps) {
  const { t } = useI18n();
  const phonePortals = portals.filter((p) => p.type === 'smartpin');
  const portalSelectId = useId();
  const [portalId, setPortalId] = useState('');
  // The code just made, shown big; `listed` once the server's list has had it
  // (from then on it goes when it leaves the list or expires).
  const [created, setCreated] = useState<{ code: string; listed: boolean }>();
  const [busy, setBusy] = useState(false);
  const now = useServerNow(1000);

  useEffect(() => {
    if (created && !created.listed && codes.some((c) => c.code === created.code))
      setCreated({ code: created.code, listed: true });
  }, [codes, created]);

  if (phonePortals.length === 0) return null;
  const portal = phonePortals.find((p) => String(p.id) === portalId) ?? phonePortals[0];
  const live = codes.filter((c) => c.expires_at > now).sort((a, b) => b.expires_at - a.expires_at);

  const generate = async () => {
    setBusy(true);
    const ack = await run({ type: 'code.create', portal_id: portal.id });
    setBusy(false);
    if (ack && typeof ack.code === 'string') setCreated({ code: ack.code, listed: false });
  };

  const revoke = async (code: string) => {
    const ack = await run({ type: 'code.revoke', code });
    if (ack && created?.code === code) setCreated(undefined);
  };

  const big = created && (!created.listed || live.some((c) => c.code === created.code)) ? created.code : undefined;

  const portalName = (id: ConnectionCode['portal_id']) => phonePortals.find((p) => sameId(p.id, id))?.name ?? '';

  return (
    <section class="codes" data-testid="codes-view" aria-labelledby="codes-title">
      <h2 id="codes-title">{t('console.codes.title')}</h2>
      <div class="codes-make">
        {phonePortals.length > 1 ? (
          <div class="field">
            <label for={portalSelectId}>{t('console.codes.portal')}</label>
            <select
              id={portalSelectId}
              data-testid="code-portal"
              value={String(portal.id)}
              onChange={(e) => setPortalId(e.currentTarget.value)}
            >
              {phonePortals.map((p) => (
                <option key={String(p.id)} value={String(p.id)}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <p class="codes-portal muted small">{portal.name}</p>
        )}
        <button type="button" class="btn btn-primary" data-testid="code-generate" disabled={busy} onClick={generate}>
          {t('console.codes.generate')}
        </button>
      </div>

      {big && (
        <p class="code-new" data-testid="new-code" data-code={big} aria-live="polite">
          <span class="sr-only">{t('console.codes.newCode')}</span>
          {groupCode(big)}
        </p>
      )}

      {live.length === 0 ? (
        <p class="muted small" data-testid="codes-empty">
          {t('console.codes.none')}
        </p>
      ) : (
        <ul class="code-list">
          {live.map((c) => (
            <li key={c.code} class="code-item" data-testid="code-item" data-code={c.code}>
              <span class="code-digits">{groupCode(c.code)}</span>
              <span class="code-meta muted small">
                {phonePortals.length > 1 && <span>{portalName(c.portal_id)} · </span>}
                <span data-testid="code-remaining" title={t('console.codes.remainingHint')}>
                  {formatCountdown((c.expires_at - now) / 1000)}
                </span>
              </span>
              <button
                type="button"
                class="btn btn-danger-ghost btn-small"
                data-testid="code-revoke"
                onClick={() => revoke(c.code)}
              >
                {t('console.codes.revoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
