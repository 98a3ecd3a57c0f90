// The link from the password-reset e-mail (#/reset?token=…): choose a new
// password. The token works once and expires; the server says which.
import { useState } from 'preact/hooks';
import { ApiError } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { confirmPasswordReset } from '../api';
import { AuthShell } from '../components/AuthShell';
import { TextField } from '../components/Fields';
import { FormError } from '../components/Status';
import { formErrors, noErrors, type FormErrors } from '../errors';
import { href } from '../router';

type Outcome = 'form' | 'done' | 'invalid';

export function ResetPasswordPage({ token }: { token: string }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(token === '' ? 'invalid' : 'form');

  const submit = async (e: Event) => {
    e.preventDefault();
    if (password !== repeat) {
      setErrors({ fields: { repeat_password: t('settings.mismatch') } });
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    try {
      await confirmPasswordReset(token, password);
      setPassword('');
      setRepeat('');
      setOutcome('done');
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_token') setOutcome('invalid');
      else setErrors(formErrors(t, err, ['password']));
    } finally {
      setBusy(false);
    }
  };

  const signIn = (
    <a class="btn btn-primary" href={href({ page: 'teams' })} data-testid="reset-sign-in">
      {t('reset.signIn')}
    </a>
  );

  if (outcome === 'done') {
    return (
      <AuthShell title={t('reset.title')}>
        <div class="notice" role="status" data-testid="reset-done">
          {t('reset.done')}
        </div>
        <div class="form-actions">{signIn}</div>
      </AuthShell>
    );
  }

  if (outcome === 'invalid') {
    return (
      <AuthShell title={t('reset.title')}>
        <div class="form-error" role="alert" data-testid="reset-invalid" data-code="invalid_token">
          <p>{t('error.invalid_token')}</p>
        </div>
        <p class="muted">{t('reset.invalidHint')}</p>
        <div class="form-actions">
          <a class="btn btn-primary" href={href({ page: 'forgot' })} data-testid="reset-request-new">
            {t('reset.requestNew')}
          </a>
        </div>
        <p class="login-links">
          <a href={href({ page: 'teams' })} data-testid="back-to-login">
            {t('reset.backToSignIn')}
          </a>
        </p>
      </AuthShell>
    );
  }

  return (
    <AuthShell title={t('reset.title')}>
      <p class="muted login-intro">{t('reset.intro')}</p>
      <FormError message={errors.top} />
      <form class="form" data-testid="reset-form" onSubmit={submit}>
        <TextField
          name="password"
          type="password"
          label={t('field.newPassword')}
          value={password}
          onValue={setPassword}
          autoComplete="new-password"
          required
          wide
          error={errors.fields.password}
        />
        <TextField
          name="repeat_password"
          type="password"
          label={t('field.repeatPassword')}
          value={repeat}
          onValue={setRepeat}
          autoComplete="new-password"
          required
          wide
          error={errors.fields.repeat_password}
        />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" data-testid="reset-submit" disabled={busy}>
            {busy ? t('reset.saving') : t('reset.submit')}
          </button>
        </div>
      </form>
    </AuthShell>
  );
}
