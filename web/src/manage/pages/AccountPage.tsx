// The account's own settings (company managers only, GET/PUT /api/v1/account):
// the largest file customers and technicians may send in a session.
import { useState } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import { FILE_LIMIT_MB, getAccount, updateAccount, type AccountSettings } from '../api';
import { TextField } from '../components/Fields';
import { FormError, LoadState, PageHeader } from '../components/Status';
import { Invalid, useFormSubmit, useLoad } from '../hooks';
import { wholeNumber } from './PortalEditPage';

export function AccountPage() {
  const { t } = useI18n();
  const { load, reload } = useLoad((signal) => getAccount(signal));

  if (load.state !== 'ok') return <LoadState load={load} onRetry={reload} />;
  return (
    <section aria-labelledby="account-title">
      <PageHeader id="account-title" title={t('account.title')} />
      <p class="page-intro muted">{t('account.intro')}</p>
      <div class="columns">
        <div class="column">
          <div class="card">
            <FileSettings account={load.data} />
          </div>
        </div>
      </div>
    </section>
  );
}

function FileSettings({ account }: { account: AccountSettings }) {
  const { t } = useI18n();
  const [fileLimit, setFileLimit] = useState(String(account.file_limit_mb));
  const { submit, busy, errors } = useFormSubmit({
    fields: ['file_limit_mb'],
    send: () => {
      const mb = wholeNumber(fileLimit, FILE_LIMIT_MB);
      return mb === undefined
        ? new Invalid({ fields: { file_limit_mb: t('rule.range', FILE_LIMIT_MB) } })
        : updateAccount({ file_limit_mb: mb });
    },
    notice: () => t('account.saved'),
    onDone: (saved) => setFileLimit(String(saved.file_limit_mb)),
  });

  return (
    <form class="form" data-testid="account-form" onSubmit={submit}>
      <h2>{t('account.files')}</h2>
      <FormError message={errors.top} />
      <div class="form-grid form-grid-single">
        <TextField
          name="file_limit_mb"
          type="number"
          label={t('field.fileLimit')}
          hint={t('field.fileLimit.hint', FILE_LIMIT_MB)}
          value={fileLimit}
          onValue={setFileLimit}
          error={errors.fields.file_limit_mb}
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="account-save" disabled={busy}>
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}
