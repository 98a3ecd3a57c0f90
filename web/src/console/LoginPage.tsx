// Technician sign-in: e-mail and password (POST /auth/login, kind technician).
import { useI18n } from '../shared/i18n';
import { LoginForm, LoginLayout } from '../shared/Login';
import { Logo } from '../shared/Logo';
import type { User } from './api';

interface LoginPageProps {
  reason?: 'expired' | 'manager';
  onLogin: (user: User) => void;
}

export function LoginPage({ reason, onLogin }: LoginPageProps) {
  const { t } = useI18n();
  return (
    <LoginLayout cardClass="console-login-card">
      <div class="console-brand">
        <Logo />
        <h1>
          openassist <span class="console-product">{t('console.title')}</span>
        </h1>
      </div>
      <h2>{t('console.login.title')}</h2>
      {reason === 'manager' && (
        <p class="notice" data-testid="not-technician">
          {t('console.login.notTechnician')}
        </p>
      )}
      <LoginForm<User>
        kind="technician"
        onLogin={onLogin}
        expired={reason === 'expired'}
        formClass="console-login-form"
        submitClass="btn btn-primary btn-block"
      />
      <p class="login-links">
        <a href="/manage/#/forgot">{t('auth.forgot')}</a>
      </p>
    </LoginLayout>
  );
}
