// Saving the report form's settings under a name ("My reports"), or, while a
// saved report is edited, saving the changes to it. The server checks what is
// sent: an error about the name shows under it, one about a setting above
// the name with that setting's label, the 51st report as the limit it is.
// Beside the name, the automatic e-mail delivery (DeliveryFields).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../shared/api';
import { useI18n, type MessageKey, type Translate } from '../../shared/i18n';
import { TextField } from '../components/Fields';
import { FormError } from '../components/Status';
import { fieldErrorText } from '../errors';
import { Invalid, useFormSubmit } from '../hooks';
import { deliveryOf, deliverySent } from './delivery';
import { DELIVERY_FIELDS, DeliveryFields, deliveryError } from './DeliveryFields';
import {
  createSavedReport,
  updateSavedReport,
  type SavedReport,
  type SavedReportInput,
} from './savedReportsApi';

/** At most this many characters (docs/reports.md). */
const NAME_MAX = 100;

/** The labels of the settings the server may refuse (all but the name, which has its own field). */
const settingLabel: Record<string, MessageKey> = {
  kind: 'reports.field.kind',
  period: 'reports.field.period',
  from: 'reports.field.from',
  to: 'reports.field.to',
  portal_id: 'sessions.filter.portal',
  team_id: 'sessions.filter.team',
  technician_id: 'sessions.filter.technician',
  target_s: 'reports.field.target',
};

/**
 * A refusal in the page's language: the limit said as such, a setting by its
 * label; the name's error as it is, the delivery's under its inputs.
 */
function explained(t: Translate, err: unknown): unknown {
  if (!(err instanceof ApiError)) return err;
  if (DELIVERY_FIELDS.some((f) => f === err.field)) return deliveryError(t, err);
  if (err.code === 'limit') return new Error(t('reports.saved.limit'));
  const label = err.field === undefined ? undefined : settingLabel[err.field];
  if (label === undefined) return err;
  return new Error(t('error.withField', { field: t(label), message: fieldErrorText(t, err) }));
}

interface SaveReportFormProps {
  /** The form's settings to save; undefined when they are incomplete (the form says why). */
  settings: () => Omit<SavedReportInput, 'name' | 'schedule' | 'send_at' | 'email'> | undefined;
  /** The saved report being edited, if any. */
  editing?: SavedReport;
  onSaved: (report: SavedReport) => void;
  onCancel: () => void;
  /** The manager's own address and time zone (of the delivery). */
  owner: { email: string; timeZone: string };
}

export function SaveReportForm({ settings, editing, onSaved, onCancel, owner }: SaveReportFormProps) {
  const { t } = useI18n();
  const [name, setName] = useState(editing?.name ?? '');
  const [delivery, setDelivery] = useState(() => deliveryOf(editing));
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (editing) ref.current?.querySelector<HTMLInputElement>('input[name=name]')?.focus();
  }, []);
  const { submit, busy, errors } = useFormSubmit<SavedReport>({
    fields: ['name', ...DELIVERY_FIELDS],
    send: () => {
      const chosen = settings();
      if (!chosen) return undefined;
      const sent = deliverySent(delivery);
      if (!sent) return new Invalid({ fields: { send_at: t('reports.delivery.timeWrong') } });
      const input = { ...chosen, name, ...sent };
      const request = editing ? updateSavedReport(editing.id, input) : createSavedReport(input);
      return request.catch((err: unknown) => {
        throw explained(t, err);
      });
    },
    notice: (r) => t(editing ? 'reports.saved.updated' : 'reports.saved.created', { name: r.name }),
    onDone: onSaved,
  });

  return (
    <form
      class="report-save"
      ref={ref}
      aria-label={t(editing ? 'reports.saved.editLabel' : 'reports.saved.saveLabel')}
      data-testid="report-save-form"
      data-editing={editing?.id}
      onSubmit={submit}
      noValidate
    >
      {editing && (
        <p class="report-save-editing" data-testid="report-save-editing">
          {t('reports.saved.editing', { name: editing.name })}
        </p>
      )}
      <FormError message={errors.top} />
      <div class="form-inline">
        <TextField
          name="name"
          label={t('reports.saved.name')}
          value={name}
          onValue={setName}
          required
          maxLength={NAME_MAX}
          error={errors.fields.name}
        />
        <DeliveryFields value={delivery} onChange={setDelivery} owner={owner} errors={errors.fields} />
        <div class="report-save-actions">
          <button type="submit" class="btn" data-testid="report-save" disabled={busy}>
            {t(editing ? 'reports.saved.saveChanges' : 'reports.saved.save')}
          </button>
          {editing && (
            <button type="button" class="btn btn-ghost" data-testid="report-save-cancel" onClick={onCancel}>
              {t('common.cancel')}
            </button>
          )}
        </div>
      </div>
    </form>
  );
}
