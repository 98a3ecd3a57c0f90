// The save form's automatic e-mail delivery: how often the report is mailed
// (never, daily, Mondays, the 1st), at what time in the manager's own time
// zone and to which address (empty: the manager's own, shown as the
// placeholder). Their errors show under them in the page's language.
import { ApiError } from '../../shared/api';
import { useI18n, type MessageKey, type Translate } from '../../shared/i18n';
import { SelectField, TextField } from '../components/Fields';
import type { Delivery } from './delivery';
import { isSchedule, SCHEDULES, type Schedule } from './savedReportsApi';

export const scheduleLabel: Record<Schedule, MessageKey> = {
  '': 'reports.delivery.never',
  daily: 'reports.delivery.daily',
  weekly: 'reports.delivery.weekly',
  monthly: 'reports.delivery.monthly',
};

/** The inputs' names, as the server names them in a refusal. */
export const DELIVERY_FIELDS = ['schedule', 'send_at', 'email'] as const;

/** What a refusal of each delivery field says when the server names no rule (its reason is English only). */
const refusal: Record<string, MessageKey> = {
  schedule: 'rule.choice',
  send_at: 'reports.delivery.timeWrong',
  email: 'rule.email',
};

/** A refusal of a delivery field in the page's language; any other error as it is. */
export function deliveryError(t: Translate, err: unknown): unknown {
  if (!(err instanceof ApiError) || err.rule !== undefined || err.field === undefined) return err;
  const key = refusal[err.field];
  // Next to its input the text after "field: " is shown.
  return key === undefined ? err : new ApiError(err.code, `${err.field}: ${t(key)}`, err.status, err.field);
}

interface DeliveryFieldsProps {
  value: Delivery;
  onChange: (value: Delivery) => void;
  /** The manager's own address (where "" sends it) and time zone (the time's). */
  owner: { email: string; timeZone: string };
  errors: Partial<Record<(typeof DELIVERY_FIELDS)[number], string>>;
}

export function DeliveryFields({ value, onChange, owner, errors }: DeliveryFieldsProps) {
  const { t } = useI18n();
  const set = (part: Partial<Delivery>) => onChange({ ...value, ...part });
  return (
    <div
      class="report-delivery"
      role="group"
      aria-label={t('reports.delivery.legend')}
      data-testid="report-delivery"
      data-schedule={value.schedule}
    >
      <SelectField
        name="schedule"
        label={t('reports.delivery.schedule')}
        value={value.schedule}
        onValue={(v) => {
          if (isSchedule(v)) set({ schedule: v });
        }}
        options={SCHEDULES.map((s) => ({ value: s, label: t(scheduleLabel[s]) }))}
        error={errors.schedule}
      />
      {value.schedule !== '' && (
        <>
          <TextField
            name="send_at"
            type="time"
            label={t('reports.delivery.at')}
            value={value.at}
            onValue={(at) => set({ at })}
            hint={t('reports.delivery.zone', { zone: owner.timeZone })}
            error={errors.send_at}
          />
          <TextField
            name="email"
            type="email"
            label={t('reports.delivery.email')}
            value={value.email}
            onValue={(email) => set({ email })}
            autoComplete="email"
            placeholder={owner.email}
            maxLength={254}
            hint={t('reports.delivery.emailHint')}
            error={errors.email}
          />
        </>
      )}
    </div>
  );
}
