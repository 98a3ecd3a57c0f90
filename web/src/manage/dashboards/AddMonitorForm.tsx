// Adding a monitor: a name and what it shows (technicians, waiting customers,
// live sessions, today's service level with its target wait, and for company
// managers only the managers watching sessions).
import { useState } from 'preact/hooks';
import { ApiError } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import type { Role } from '../api';
import { createMonitor, monitorKindsFor, type Monitor, type MonitorKind } from './monitorsApi';
import { SelectField } from '../components/Fields';
import { FormError } from '../components/Status';
import { Invalid, useFormSubmit } from '../hooks';
import { DEFAULT_TARGET_S, targetSeconds } from '../reports/serviceLevel';
import { kindLabel } from './labels';
import { MonitorNameField } from './MonitorNameField';
import { MonitorTargetField } from './MonitorTargetField';

interface AddMonitorFormProps {
  /** The logged-in manager's role: only company managers are offered the company-only kinds. */
  role: Role;
  onAdded: (monitor: Monitor) => void;
}

export function AddMonitorForm({ role, onAdded }: AddMonitorFormProps) {
  const { t } = useI18n();
  const kinds = monitorKindsFor(role);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<MonitorKind>('technicians');
  const [target, setTarget] = useState(String(DEFAULT_TARGET_S));
  const withTarget = kind === 'service_level';
  const { submit, busy, errors } = useFormSubmit<Monitor>({
    fields: ['name', 'kind', 'target_s'],
    send: () => {
      const trimmed = name.trim();
      const seconds = withTarget ? targetSeconds(target) : undefined;
      const wrong: Record<string, string> = {};
      if (trimmed === '') wrong.name = t('rule.required');
      if (withTarget && seconds === undefined) wrong.target_s = t('reports.field.targetWrong');
      if (Object.keys(wrong).length > 0) return new Invalid({ fields: wrong });
      return createMonitor(trimmed, kind, seconds).catch((err: unknown) => {
        // The 50th monitor: said in the manager's language.
        throw err instanceof ApiError && err.code === 'limit' ? new Error(t('dashboards.error.limit')) : err;
      });
    },
    notice: (m) => t('dashboards.added', { name: m.name }),
    onDone: (m) => {
      setName('');
      setTarget(String(DEFAULT_TARGET_S));
      onAdded(m);
    },
  });

  // noValidate: the form says wrong input under its field itself (and sends nothing then).
  return (
    <div class="card">
      <form
        class="form"
        data-testid="monitor-add-form"
        aria-labelledby="monitor-add-title"
        onSubmit={submit}
        noValidate
      >
        <h2 id="monitor-add-title">{t('dashboards.add.title')}</h2>
        <FormError message={errors.top} />
        <div class="form-inline">
          <MonitorNameField value={name} onValue={setName} error={errors.fields.name} />
          <SelectField
            name="kind"
            label={t('dashboards.field.kind')}
            value={kind}
            onValue={(value) => setKind(kinds.find((k) => k === value) ?? 'technicians')}
            options={kinds.map((k) => ({ value: k, label: t(kindLabel[k]) }))}
            error={errors.fields.kind}
          />
          {withTarget && <MonitorTargetField value={target} onValue={setTarget} error={errors.fields.target_s} />}
          <div class="form-inline-actions">
            <button type="submit" class="btn btn-primary" data-testid="monitor-add-submit" disabled={busy}>
              {t('dashboards.add.submit')}
            </button>
          </div>
        </div>
      </form>
    </div>
  );
}
