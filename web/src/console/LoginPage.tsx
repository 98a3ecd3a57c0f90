// Technician sign-in: e-mail and password (POST /auth/login, kind technician).
import { useId, useState } from 'preact/hooks';
import { ApiError } from '../shared/api';
import { errorText } from '../shared/errors';
import { isMessageKey, useI18n } from '../shared/i18n';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { Logo } from '../shared/Logo';
import { login, type User } from './api';

interface LoginPageProps {
  reason?: 'expired' | 'manager';
  onLogin: (user: User) => void;
}

export function LoginPage({ reason, onLogin }: LoginPageProps) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const emailId = useId();
  const passwordId = useId();

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

  const headline = error === undefined ? undefined : errorText(t, error);
  // A known code gets its translation, with the server's own words (e.g. how long to wait) underneath.
  const detail =
    error instanceof ApiError &&
    isMessageKey(`error.${error.code}`) &&
    error.message !== '' &&
    error.message !== headline
      ? error.message
      : undefined;

  return (
    <div class="console-login">
      <div class="console-login-topbar">
        <LanguageSwitch />
      </div>
      <main class="console-login-card">
        <div class="console-brand">
          <Logo />
          <h1>
            openassist <span class="console-product">{t('console.title')}</span>
          </h1>
        </div>
        <h2>{t('console.login.title')}</h2>
        {reason === 'expired' && (
          <p class="notice" data-testid="session-expired">
            {t('auth.expired')}
          </p>
        )}
        {reason === 'manager' && (
          <p class="notice" data-testid="not-technician">
            {t('console.login.notTechnician')}
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
        <form class="console-login-form" data-testid="login-form" onSubmit={submit}>
          <div class="field">
            <label for={emailId}>{t('field.email')}</label>
            <input
              id={emailId}
              name="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for={passwordId}>{t('field.password')}</label>
            <input
              id={passwordId}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </div>
          <button type="submit" class="btn btn-primary btn-block" data-testid="login-submit" disabled={busy}>
            {busy ? t('auth.signingIn') : t('auth.signIn')}
          </button>
        </form>
        <p class="console-login-links">
          <a href="/manage/#/forgot">{t('auth.forgot')}</a>
        </p>
      </main>
    </div>
  );
}
