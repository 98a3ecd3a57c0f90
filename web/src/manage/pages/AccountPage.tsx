// The account's own settings (company managers only, GET/PUT /api/v1/account):
// the largest file customers and technicians may send in a session, the time
// zone in which the account's days are closed for monthly reports, and how
// long session data is kept (then deleted for good) with how far back reports
// reach (never further than the data is kept).
import { useState } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import {
  FILE_LIMIT_MB,
  getAccount,
  REPORT_DAYS,
  RETENTION_DAYS,
  updateAccount,
  type AccountSettings,
} from '../api';
import { TextField, TimeZoneField } from '../components/Fields';
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
          <div class="card">
            <ZoneSettings account={load.data} />
          </div>
        </div>
        <div class="column">
          <div class="card">
            <RetentionSettings account={load.data} />
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

/** The account's time zone: where monthly reports' days end (the server's "UTC" when it says none). */
function ZoneSettings({ account }: { account: AccountSettings }) {
  const { t } = useI18n();
  const [timeZone, setTimeZone] = useState(account.time_zone || 'UTC');
  const { submit, busy, errors } = useFormSubmit({
    fields: ['time_zone'],
    send: () => updateAccount({ time_zone: timeZone }),
    notice: () => t('account.saved'),
    onDone: (saved) => setTimeZone(saved.time_zone || 'UTC'),
  });

  return (
    <form class="form" data-testid="account-zone-form" onSubmit={submit}>
      <h2>{t('account.zone')}</h2>
      <FormError message={errors.top} />
      <div class="form-grid form-grid-single">
        <TimeZoneField
          name="time_zone"
          label={t('field.accountTimeZone')}
          hint={t('field.accountTimeZone.hint')}
          value={timeZone}
          onValue={setTimeZone}
          error={errors.fields.time_zone}
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="account-zone-save" disabled={busy}>
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}

function RetentionSettings({ account }: { account: AccountSettings }) {
  const { t } = useI18n();
  const [retention, setRetention] = useState(String(account.retention_days));
  const [reportDays, setReportDays] = useState(String(account.report_days));
  // Reports cannot reach further back than the data is kept: the days entered above, when they are right.
  const reportLimits = { min: REPORT_DAYS.min, max: wholeNumber(retention, RETENTION_DAYS) ?? RETENTION_DAYS.max };
  const { submit, busy, errors } = useFormSubmit({
    fields: ['retention_days', 'report_days'],
    send: () => {
      const keep = wholeNumber(retention, RETENTION_DAYS);
      const reach = wholeNumber(reportDays, reportLimits);
      if (keep === undefined || reach === undefined) {
        const fields: Record<string, string> = {};
        if (keep === undefined) fields.retention_days = t('rule.range', RETENTION_DAYS);
        if (reach === undefined) fields.report_days = t('rule.range', reportLimits);
        return new Invalid({ fields });
      }
      return updateAccount({ retention_days: keep, report_days: reach });
    },
    notice: () => t('account.saved'),
    onDone: (saved) => {
      setRetention(String(saved.retention_days));
      setReportDays(String(saved.report_days));
    },
  });

  return (
    <form class="form" data-testid="account-retention-form" onSubmit={submit}>
      <h2>{t('account.retention')}</h2>
      <FormError message={errors.top} />
      <div class="form-grid form-grid-single">
        <TextField
          name="retention_days"
          type="number"
          label={t('field.retentionDays')}
          hint={t('field.retentionDays.hint', RETENTION_DAYS)}
          value={retention}
          onValue={setRetention}
          error={errors.fields.retention_days}
        />
        <TextField
          name="report_days"
          type="number"
          label={t('field.reportDays')}
          hint={t('field.reportDays.hint', reportLimits)}
          value={reportDays}
          onValue={setReportDays}
          error={errors.fields.report_days}
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="account-retention-save" disabled={busy}>
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}
