// The support app's join page, /app/join/<code> (docs/remote-control.md,
// "Joining"): the link the customer page gives out. It says how to start the
// app with this page's address (`openassist-agent <URL>`, copyable) and where
// to download it; the app itself takes the code from that address.
import { useRef, useState } from 'preact/hooks';
import { useI18n } from '../shared/i18n';
import { agentCommand, codeFromPath, copyText, DOWNLOADS, groupAppCode } from '../portal/appCode';
import { PortalShell } from '../portal/PortalShell';

export function Join() {
  const { t } = useI18n();
  const [code] = useState(() => codeFromPath(location.pathname));
  const commandRef = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<boolean>();

  if (code === undefined) {
    return (
      <PortalShell title={t('join.bad.title')}>
        <p class="portal-message" data-testid="join-bad">
          {t('join.bad.text')}
        </p>
      </PortalShell>
    );
  }

  const command = agentCommand(`${location.origin}/app/join/${code}`);
  const copy = async () => {
    setCopied(await copyText(command, commandRef.current));
  };

  return (
    <PortalShell title={t('join.title')}>
      <div class="join" data-testid="join" data-code={code}>
        <p>{t('join.intro')}</p>
        <div class="support-app-code">
          <p class="support-app-label">{t('join.code')}</p>
          <p class="support-app-digits" data-testid="join-code">
            {groupAppCode(code)}
          </p>
        </div>
        <ol class="join-steps">
          <li>
            <p>{t('join.step.download')}</p>
            <a class="btn btn-small" href={DOWNLOADS} data-testid="join-download">
              {t('join.download')}
            </a>
          </li>
          <li>
            <p>{t('join.step.run')}</p>
            <div class="support-app-command">
              <code ref={commandRef} data-testid="join-command">
                {command}
              </code>
              <button type="button" class="btn btn-small" data-testid="join-copy" onClick={copy}>
                {t('join.copy')}
              </button>
            </div>
            {copied !== undefined && (
              <p class="muted small" role="status" data-testid="join-copied">
                {copied ? t('join.copied') : t('join.copyFailed')}
              </p>
            )}
          </li>
        </ol>
        <p class="muted small">{t('join.valid')}</p>
      </div>
    </PortalShell>
  );
}
