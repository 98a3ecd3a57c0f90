// The "Support app" panel of the customer page (docs/remote-control.md,
// "Joining"), shown while a technician is with the customer: what the app
// does, and on request a one-time code for it with the link, the command line
// that starts the app with it (copyable), where to download the app and how
// long the code stays good (a countdown; once expired, a new code).
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../shared/api';
import { errorText } from '../shared/errors';
import { formatCountdown, formatDuration } from '../shared/format';
import { isMessageKey, useI18n, type Translate } from '../shared/i18n';
import { useNow } from '../shared/useNow';
import { getAppCode, type AppCode } from './api';
import { agentCommand, copyText, DOWNLOADS, groupAppCode } from './appCode';
import type { StoredRequest } from './storage';

interface SupportAppProps {
  account: string;
  slug: string;
  stored: StoredRequest;
}

interface ShownCode extends AppCode {
  /** When it expires, in this browser's clock (ms). */
  until: number;
}

/** Why no code came, in the customer's words. */
function appCodeError(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'rate_limited' && error.details.retryAfter !== undefined && error.details.retryAfter > 0)
      return t('portal.app.error.rate_limitedWait', { time: formatDuration(error.details.retryAfter) });
    const key = `portal.app.error.${error.code}`;
    if (isMessageKey(key)) return t(key);
  }
  return t('portal.app.error.failed', { message: errorText(t, error) });
}

export function SupportApp({ account, slug, stored }: SupportAppProps) {
  const { t } = useI18n();
  const [code, setCode] = useState<ShownCode>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const fetchCode = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await getAppCode(account, slug, stored.request_id, stored.token);
      setCode({ ...answer, until: Date.now() + Math.max(0, answer.expires_in_s) * 1000 });
    } catch (err) {
      setError(appCodeError(t, err));
    }
    setBusy(false);
  };

  return (
    <section class="support-app" data-testid="support-app" aria-labelledby="support-app-title">
      <h2 id="support-app-title">{t('portal.app.title')}</h2>
      <p class="support-app-intro">{t('portal.app.intro')}</p>
      {code ? (
        <CodeShown code={code} busy={busy} onNew={fetchCode} />
      ) : (
        <button type="button" class="btn btn-primary" data-testid="app-code-get" disabled={busy} onClick={fetchCode}>
          {busy ? t('portal.app.getting') : t('portal.app.get')}
        </button>
      )}
      {error && (
        <p class="form-error" role="alert" data-testid="app-code-error">
          {error}
        </p>
      )}
    </section>
  );
}

function CodeShown({ code, busy, onNew }: { code: ShownCode; busy: boolean; onNew: () => void }) {
  const { t } = useI18n();
  const now = useNow(1000);
  const left = Math.max(0, Math.ceil((code.until - now) / 1000));
  const command = agentCommand(code.link);
  const commandRef = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<boolean>();

  const copy = async () => {
    setCopied(await copyText(command, commandRef.current));
  };

  if (left <= 0) {
    return (
      <div class="support-app-code" data-testid="app-code-expired">
        <p>{t('portal.app.expired')}</p>
        <button type="button" class="btn btn-primary" data-testid="app-code-new" disabled={busy} onClick={onNew}>
          {busy ? t('portal.app.getting') : t('portal.app.new')}
        </button>
      </div>
    );
  }

  return (
    <div class="support-app-code" data-testid="app-code-shown">
      <p class="support-app-label">{t('portal.app.yourCode')}</p>
      <p class="support-app-digits" data-testid="app-code" data-code={code.code}>
        {groupAppCode(code.code)}
      </p>
      <p class="muted small" data-testid="app-code-expires" data-seconds={left}>
        {t('portal.app.validFor', { time: formatCountdown(left) })}
      </p>
      <p class="support-app-label">{t('portal.app.run')}</p>
      <div class="support-app-command">
        <code ref={commandRef} data-testid="app-code-command">
          {command}
        </code>
        <button type="button" class="btn btn-small" data-testid="app-code-copy" onClick={copy}>
          {t('portal.app.copy')}
        </button>
      </div>
      {copied !== undefined && (
        <p class="muted small" role="status" data-testid="app-code-copied">
          {copied ? t('portal.app.copied') : t('portal.app.copyFailed')}
        </p>
      )}
      <p class="small">
        {t('portal.app.link')}{' '}
        <a href={code.link} target="_blank" rel="noopener" data-testid="app-code-link">
          {code.link}
        </a>
      </p>
      <p class="small">
        {t('portal.app.noApp')}{' '}
        <a href={DOWNLOADS} target="_blank" rel="noopener" data-testid="app-code-download">
          {t('portal.app.download')}
        </a>
      </p>
      <button type="button" class="btn btn-ghost btn-small" data-testid="app-code-new" disabled={busy} onClick={onNew}>
        {busy ? t('portal.app.getting') : t('portal.app.new')}
      </button>
    </div>
  );
}
