// Sign-in for the technician console and the Management Center: the frame of
// a page without a session, and the form (e-mail and password for one kind of
// account, POST /auth/login) with the server's error, or that the session has
// expired, above it.
import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';
import { ApiError } from './api';
import { errorText } from './errors';
import { isMessageKey, useI18n, type MessageKey } from './i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { login, type LoginKind } from './session';

/** The language switch on top, one card below it. */
export function LoginLayout({ cardClass, children }: { cardClass: string; children: ComponentChildren }) {
  return (
    <div class="login-page">
      <div class="login-topbar">
        <LanguageSwitch />
      </div>
      <main class={cardClass}>{children}</main>
    </div>
  );
}

type Credential = 'email' | 'password';

const fields: readonly { name: Credential; type: string; label: MessageKey; autoComplete: string }[] = [
  { name: 'email', type: 'email', label: 'field.email', autoComplete: 'username' },
  { name: 'password', type: 'password', label: 'field.password', autoComplete: 'current-password' },
];

interface LoginFormProps<U> {
  kind: LoginKind;
  onLogin: (user: U) => void;
  /** Says that the session has expired. */
  expired?: boolean;
  /** The UI's own layout: the classes of the form and of its submit button, and of a box around the button. */
  formClass: string;
  submitClass: string;
  actionsClass?: string;
}

export function LoginForm<U>({ kind, onLogin, expired, formClass, submitClass, actionsClass }: LoginFormProps<U>) {
  const { t } = useI18n();
  const id = useId();
  const [values, setValues] = useState<Record<Credential, string>>({ email: '', password: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onLogin(await login<U>(kind, values.email.trim(), values.password));
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

  const button = (
    <button type="submit" class={submitClass} data-testid="login-submit" disabled={busy}>
      {busy ? t('auth.signingIn') : t('auth.signIn')}
    </button>
  );

  return (
    <>
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
      <form class={formClass} data-testid="login-form" onSubmit={submit}>
        {fields.map(({ name, type, label, autoComplete }) => (
          <div key={name} class="field" data-field={name}>
            <label for={`${id}-${name}`}>{t(label)}</label>
            <input
              id={`${id}-${name}`}
              name={name}
              type={type}
              autoComplete={autoComplete}
              required
              value={values[name]}
              onInput={(e) => {
                const value = e.currentTarget.value;
                setValues((v) => ({ ...v, [name]: value }));
              }}
            />
          </div>
        ))}
        {actionsClass === undefined ? button : <div class={actionsClass}>{button}</div>}
      </form>
    </>
  );
}
