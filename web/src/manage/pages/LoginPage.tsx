import { useI18n } from '../../shared/i18n';
import { LoginForm } from '../../shared/Login';
import type { User } from '../api';
import { AuthShell } from '../components/AuthShell';
import { href } from '../router';

interface LoginPageProps {
  expired: boolean;
  onLogin: (user: User) => void;
}

export function LoginPage({ expired, onLogin }: LoginPageProps) {
  const { t } = useI18n();
  return (
    <AuthShell title={t('auth.title')}>
      <LoginForm<User>
        kind="manager"
        onLogin={onLogin}
        expired={expired}
        formClass="form"
        submitClass="btn btn-primary"
        actionsClass="form-actions"
      />
      <p class="login-links">
        <a href={href({ page: 'forgot' })} data-testid="forgot-link">
          {t('auth.forgot')}
        </a>
      </p>
    </AuthShell>
  );
}
