// Changing a monitor on its card: its name, and a service level monitor's
// target wait too (PUT /monitors/:id). Nothing changed closes the form
// without a request; a wrong target is said under it and not sent.
import { useState } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import { updateMonitor, type Monitor } from './monitorsApi';
import { FormError } from '../components/Status';
import { formErrors, noErrors, type FormErrors } from '../errors';
import { DEFAULT_TARGET_S, targetSeconds } from '../reports/serviceLevel';
import { MonitorNameField } from './MonitorNameField';
import { MonitorTargetField } from './MonitorTargetField';

interface EditMonitorFormProps {
  monitor: Monitor;
  /** Closes the form: with the monitor as saved, or nothing when nothing was saved. */
  onDone: (next?: Monitor) => void;
}

export function EditMonitorForm({ monitor, onDone }: EditMonitorFormProps) {
  const { t } = useI18n();
  const withTarget = monitor.kind === 'service_level';
  const shownTarget = monitor.target_s ?? DEFAULT_TARGET_S;
  const [name, setName] = useState(monitor.name);
  const [target, setTarget] = useState(String(shownTarget));
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const trimmed = name.trim();
    const seconds = withTarget ? targetSeconds(target) : undefined;
    const wrong: Record<string, string> = {};
    if (trimmed === '') wrong.name = t('rule.required');
    if (withTarget && seconds === undefined) wrong.target_s = t('reports.field.targetWrong');
    if (Object.keys(wrong).length > 0) {
      setErrors({ fields: wrong });
      return;
    }
    if (trimmed === monitor.name && (!withTarget || seconds === monitor.target_s)) {
      onDone();
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    try {
      onDone(await updateMonitor(monitor.id, withTarget ? { name: trimmed, target_s: seconds } : { name: trimmed }));
    } catch (err) {
      setErrors(formErrors(t, err, ['name', 'target_s']));
      setBusy(false);
    }
  };

  return (
    <form class="form monitor-rename" data-testid="monitor-rename-form" onSubmit={submit} noValidate>
      <FormError message={errors.top} />
      <div class="form-inline">
        <MonitorNameField value={name} onValue={setName} error={errors.fields.name} />
        {withTarget && <MonitorTargetField value={target} onValue={setTarget} error={errors.fields.target_s} />}
        <div class="form-inline-actions">
          <button type="submit" class="btn btn-primary" data-testid="monitor-rename-save" disabled={busy}>
            {t('common.save')}
          </button>
          <button type="button" class="btn" data-testid="monitor-rename-cancel" onClick={() => onDone()}>
            {t('common.cancel')}
          </button>
        </div>
      </div>
    </form>
  );
}
