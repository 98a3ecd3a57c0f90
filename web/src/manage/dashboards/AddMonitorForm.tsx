// Adding a monitor: a name and what it shows (technicians, waiting customers, live sessions,
// and for company managers only the managers watching sessions).
import { useState } from 'preact/hooks';
import { ApiError } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import type { Role } from '../api';
import { createMonitor, monitorKindsFor, type Monitor, type MonitorKind } from './monitorsApi';
import { SelectField } from '../components/Fields';
import { FormError } from '../components/Status';
import { Invalid, useFormSubmit } from '../hooks';
import { kindLabel } from './labels';
import { MonitorNameField } from './MonitorNameField';

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
  const { submit, busy, errors } = useFormSubmit<Monitor>({
    fields: ['name', 'kind'],
    send: () => {
      const trimmed = name.trim();
      if (trimmed === '') return new Invalid({ fields: { name: t('rule.required') } });
      return createMonitor(trimmed, kind).catch((err: unknown) => {
        // The 50th monitor: said in the manager's language.
        throw err instanceof ApiError && err.code === 'limit' ? new Error(t('dashboards.error.limit')) : err;
      });
    },
    notice: (m) => t('dashboards.added', { name: m.name }),
    onDone: (m) => {
      setName('');
      onAdded(m);
    },
  });

  return (
    <div class="card">
      <form class="form" data-testid="monitor-add-form" aria-labelledby="monitor-add-title" onSubmit={submit}>
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
