import { useState } from 'preact/hooks';
import { ApiError } from '../../shared/api';
import { isMessageKey, useI18n } from '../../shared/i18n';
import { login, type User } from '../api';
import { AuthShell } from '../components/AuthShell';
import { TextField } from '../components/Fields';
import { errorText } from '../errors';
import { href } from '../router';

interface LoginPageProps {
  expired: boolean;
  onLogin: (user: User) => void;
}

export function LoginPage({ expired, onLogin }: LoginPageProps) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onLogin(await login(email.trim(), password));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  // A known code gets its translation as the headline and the server's own
  // words (e.g. how long to wait) underneath.
  const headline = error === undefined ? undefined : errorText(t, error);
  const detail =
    error instanceof ApiError &&
    isMessageKey(`error.${error.code}`) &&
    error.message !== '' &&
    error.message !== headline
      ? error.message
      : undefined;

  return (
    <AuthShell title={t('auth.title')}>
      {expired && (
        <p class="notice notice-info" data-testid="session-expired">
          {t('auth.expired')}
        </p>
      )}
      {headline && (
        <div
          class="form-error"
          role="alert"
          data-testid="login-error"
          data-code={error instanceof ApiError ? error.code : undefined}
        >
          <p>{headline}</p>
          {detail && <p class="form-error-detail">{detail}</p>}
        </div>
      )}
      <form class="form" data-testid="login-form" onSubmit={submit}>
        <TextField
          name="email"
          type="email"
          label={t('field.email')}
          value={email}
          onValue={setEmail}
          autoComplete="username"
          required
          wide
        />
        <TextField
          name="password"
          type="password"
          label={t('field.password')}
          value={password}
          onValue={setPassword}
          autoComplete="current-password"
          required
          wide
        />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" data-testid="login-submit" disabled={busy}>
            {busy ? t('auth.signingIn') : t('auth.signIn')}
          </button>
        </div>
      </form>
      <p class="login-links">
        <a href={href({ page: 'forgot' })} data-testid="forgot-link">
          {t('auth.forgot')}
        </a>
      </p>
    </AuthShell>
  );
}
