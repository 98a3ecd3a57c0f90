// The frame of every portal view: language switch, one centred card with the
// portal's title, and a quiet footer.
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useI18n } from '../shared/i18n';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { Logo } from '../shared/Logo';
import { RecordingNotice } from './RecordingNotice';

interface PortalShellProps {
  /** The portal's title; undefined while it loads or when there is none. */
  title?: string;
  welcome?: string;
  /** The portal records its sessions: said above the form, the queue and the chat. */
  records?: boolean;
  children: ComponentChildren;
}

export function PortalShell({ title, welcome, records, children }: PortalShellProps) {
  const { t } = useI18n();
  const heading = title ?? t('portal.defaultTitle');
  useEffect(() => {
    document.title = heading;
  }, [heading]);
  return (
    <div class="portal-page">
      <div class="portal-topbar">
        <LanguageSwitch />
      </div>
      <main class="portal-card">
        <header class="portal-head">
          <h1 data-testid="portal-title">{heading}</h1>
          {welcome && (
            <p class="portal-welcome pre-line" data-testid="portal-welcome">
              {welcome}
            </p>
          )}
        </header>
        {records && <RecordingNotice />}
        {children}
      </main>
      <footer class="portal-footer">
        <Logo />
        <span>{t('portal.poweredBy')}</span>
      </footer>
    </div>
  );
}
