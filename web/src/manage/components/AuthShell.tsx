// The frame of the pages shown without a session: sign-in, forgotten
// password and the reset link: language switch, brand and one card.
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import { LoginLayout } from '../../shared/Login';
import { Logo } from '../../shared/Logo';

export function AuthShell({ title, children }: { title: string; children: ComponentChildren }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} · ${t('app.title')}`;
  }, [title, t('app.title')]);
  return (
    <LoginLayout cardClass="login-card card">
      <div class="login-brand">
        <Logo />
        <h1>
          openassist <span class="brand-product">{t('app.title')}</span>
        </h1>
      </div>
      <h2>{title}</h2>
      {children}
    </LoginLayout>
  );
}
