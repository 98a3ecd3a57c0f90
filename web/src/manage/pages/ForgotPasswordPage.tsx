// Forgotten password: asks the server to e-mail a reset link. The answer is
// the same whether or not the user exists, and so is what this page says.
import { useState } from 'preact/hooks';
import { useI18n, type MessageKey } from '../../shared/i18n';
import { requestPasswordReset, type LoginKind } from '../api';
import { AuthShell } from '../components/AuthShell';
import { SelectField, TextField } from '../components/Fields';
import { FormError } from '../components/Status';
import { formErrors, noErrors, type FormErrors } from '../errors';
import { href } from '../router';

const KINDS: readonly LoginKind[] = ['manager', 'technician'];
const kindLabel: Record<LoginKind, MessageKey> = {
  manager: 'forgot.kind.manager',
  technician: 'forgot.kind.technician',
};

export function ForgotPasswordPage() {
  const { t } = useI18n();
  const [kind, setKind] = useState<LoginKind>('manager');
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string>();

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors(noErrors);
    try {
      await requestPasswordReset(kind, email.trim());
      setSentTo(email.trim());
    } catch (err) {
      setErrors(formErrors(t, err, ['kind', 'email']));
    } finally {
      setBusy(false);
    }
  };

  const backToSignIn = (
    <p class="login-links">
      <a href={href({ page: 'teams' })} data-testid="back-to-login">
        {t('reset.backToSignIn')}
      </a>
    </p>
  );

  if (sentTo !== undefined) {
    return (
      <AuthShell title={t('forgot.title')}>
        <div class="notice notice-info" role="status" data-testid="forgot-sent">
          <p>{t('forgot.sent')}</p>
        </div>
        <p class="muted">{t('forgot.sentHint', { email: sentTo })}</p>
        <div class="form-actions">
          <button
            type="button"
            class="btn"
            data-testid="forgot-again"
            onClick={() => {
              setSentTo(undefined);
              setErrors(noErrors);
            }}
          >
            {t('forgot.again')}
          </button>
        </div>
        {backToSignIn}
      </AuthShell>
    );
  }

  return (
    <AuthShell title={t('forgot.title')}>
      <p class="muted login-intro">{t('forgot.intro')}</p>
      <FormError message={errors.top} />
      <form class="form" data-testid="forgot-form" onSubmit={submit}>
        <SelectField
          name="kind"
          label={t('forgot.kind')}
          value={kind}
          onValue={(v) => setKind(KINDS.find((k) => k === v) ?? 'manager')}
          options={KINDS.map((k) => ({ value: k, label: t(kindLabel[k]) }))}
          error={errors.fields.kind}
        />
        <TextField
          name="email"
          type="email"
          label={t('forgot.email')}
          value={email}
          onValue={setEmail}
          autoComplete="username"
          required
          wide
          error={errors.fields.email}
        />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" data-testid="forgot-submit" disabled={busy}>
            {busy ? t('forgot.sending') : t('forgot.submit')}
          </button>
        </div>
      </form>
      {backToSignIn}
    </AuthShell>
  );
}
