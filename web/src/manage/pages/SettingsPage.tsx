// My settings: e-mail, language, time zone; and a password change.
import { useState } from 'preact/hooks';
import { languages, setLanguage, translate, useI18n, type Lang } from '../../shared/i18n';
import { updateSettings, type User } from '../api';
import { SelectField, TextField, TimeZoneField } from '../components/Fields';
import { FormError, PageHeader } from '../components/Status';
import { Invalid, useFormSubmit } from '../hooks';

interface SettingsPageProps {
  user: User;
  onUser: (user: User) => void;
}

export function SettingsPage({ user, onUser }: SettingsPageProps) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="settings-title">
      <PageHeader id="settings-title" title={t('settings.title')} />
      <div class="columns">
        <div class="column">
          <div class="card">
            <ProfileSettings user={user} onUser={onUser} />
          </div>
        </div>
        <div class="column">
          <div class="card">
            <PasswordSettings onUser={onUser} />
          </div>
        </div>
      </div>
    </section>
  );
}

function ProfileSettings({ user, onUser }: SettingsPageProps) {
  const { t, lang } = useI18n();
  const [email, setEmail] = useState(user.email);
  const [language, setLang] = useState<Lang>(user.language ?? lang);
  const [timeZone, setTimeZone] = useState(user.time_zone ?? '');
  const { submit, busy, errors } = useFormSubmit({
    fields: ['email', 'language', 'time_zone'],
    send: () =>
      updateSettings({
        email: email.trim(),
        language,
        ...(timeZone === '' ? {} : { time_zone: timeZone }),
      }),
    // In the language just saved: the page switches to it.
    notice: (updated) => translate(updated.language ?? lang, 'settings.saved'),
    onDone: (updated) => {
      if (updated.language) setLanguage(updated.language);
      onUser(updated);
    },
  });

  return (
    <form class="form" data-testid="settings-form" onSubmit={submit}>
      <h2>{t('settings.profile')}</h2>
      <FormError message={errors.top} />
      <div class="form-grid form-grid-single">
        <TextField
          name="email"
          type="email"
          label={t('field.email')}
          value={email}
          onValue={setEmail}
          autoComplete="email"
          required
          error={errors.fields.email}
        />
        <SelectField
          name="language"
          label={t('lang.label')}
          value={language}
          onValue={(v) => setLang(languages.find((l) => l.code === v)?.code ?? 'en')}
          options={languages.map((l) => ({ value: l.code, label: l.name }))}
          error={errors.fields.language}
        />
        <TimeZoneField
          name="time_zone"
          label={t('field.timeZone')}
          value={timeZone}
          onValue={setTimeZone}
          error={errors.fields.time_zone}
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="settings-save" disabled={busy}>
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}

function PasswordSettings({ onUser }: { onUser: (user: User) => void }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const { submit, busy, errors } = useFormSubmit({
    fields: ['current_password', 'new_password'],
    send: () =>
      next !== repeat
        ? new Invalid({ fields: { repeat_password: t('settings.mismatch') } })
        : updateSettings({ current_password: current, new_password: next }),
    notice: () => t('settings.passwordChanged'),
    onDone: (updated) => {
      onUser(updated);
      setCurrent('');
      setNext('');
      setRepeat('');
    },
  });

  return (
    <form class="form" data-testid="password-form" onSubmit={submit}>
      <h2>{t('settings.password')}</h2>
      <FormError message={errors.top} />
      <div class="form-grid form-grid-single">
        <TextField
          name="current_password"
          type="password"
          label={t('field.currentPassword')}
          value={current}
          onValue={setCurrent}
          autoComplete="current-password"
          required
          error={errors.fields.current_password}
        />
        <TextField
          name="new_password"
          type="password"
          label={t('field.newPassword')}
          value={next}
          onValue={setNext}
          autoComplete="new-password"
          required
          error={errors.fields.new_password}
        />
        <TextField
          name="repeat_password"
          type="password"
          label={t('field.repeatPassword')}
          value={repeat}
          onValue={setRepeat}
          autoComplete="new-password"
          required
          error={errors.fields.repeat_password}
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="password-save" disabled={busy}>
          {t('settings.changePassword')}
        </button>
      </div>
    </form>
  );
}
