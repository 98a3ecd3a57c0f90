// The Management Center's sign-in: managers, and technicians a manager let in
// (features `management_center`, for their own reports `reports_self` too).
// "Sign in as" picks the kind of account; the last one chosen is kept in
// this browser so that a technician need not pick it again.
import { useState } from 'preact/hooks';
import { useI18n, type MessageKey } from '../../shared/i18n';
import { LoginForm } from '../../shared/Login';
import type { LoginKind, User } from '../api';
import { AuthShell } from '../components/AuthShell';
import { href } from '../router';

interface LoginPageProps {
  expired: boolean;
  onLogin: (user: User) => void;
}

const KINDS: readonly LoginKind[] = ['manager', 'technician'];
const kindLabel: Record<LoginKind, MessageKey> = {
  manager: 'auth.as.manager',
  technician: 'auth.as.technician',
};
const KIND_KEY = 'oa.manage.loginKind';

function storedKind(): LoginKind {
  try {
    return localStorage.getItem(KIND_KEY) === 'technician' ? 'technician' : 'manager';
  } catch {
    return 'manager';
  }
}

function storeKind(kind: LoginKind): void {
  try {
    if (kind === 'manager') localStorage.removeItem(KIND_KEY);
    else localStorage.setItem(KIND_KEY, kind);
  } catch {
    // Not kept; manager is the default.
  }
}

export function LoginPage({ expired, onLogin }: LoginPageProps) {
  const { t } = useI18n();
  const [kind, setKind] = useState<LoginKind>(storedKind);
  const choose = (k: LoginKind) => {
    setKind(k);
    storeKind(k);
  };
  return (
    <AuthShell title={t(kind === 'technician' ? 'auth.title.technician' : 'auth.title')}>
      <fieldset class="login-as" data-testid="login-kind" data-kind={kind}>
        <legend>{t('auth.as')}</legend>
        <div class="login-as-options">
          {KINDS.map((k) => (
            <span key={k} class="login-as-option">
              <input
                id={`login-kind-${k}`}
                type="radio"
                name="login-kind"
                value={k}
                data-testid={`login-kind-${k}`}
                checked={kind === k}
                onChange={() => choose(k)}
              />
              <label for={`login-kind-${k}`}>{t(kindLabel[k])}</label>
            </span>
          ))}
        </div>
      </fieldset>
      <LoginForm<User>
        kind={kind}
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
