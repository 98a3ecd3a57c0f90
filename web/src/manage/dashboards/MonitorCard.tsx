// One monitor on the Dashboards page: its name and kind, until when it runs
// (in the manager's time zone) or that it stopped with a restart, rename and
// remove, and its live table.
import { useId, useState } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import { renameMonitor, restartMonitor, type Monitor } from './monitorsApi';
import { FormError } from '../components/Status';
import { errorText, formErrors, noErrors, type FormErrors } from '../errors';
import { useNotify } from '../notify';
import { formatMoment, isMonitorKind, kindLabel } from './labels';
import { MonitorNameField } from './MonitorNameField';
import { MonitorTable } from './MonitorTables';
import type { Table } from './rows';

interface MonitorCardProps {
  monitor: Monitor;
  table: Table | undefined;
  timeZone?: string;
  onChanged: (monitor: Monitor) => void;
  /** Asks, then removes; rejects when the server refuses. */
  onRemove: (monitor: Monitor) => Promise<void>;
  /** Watches it again after an error. */
  onRetry: (id: string) => void;
}

export function MonitorCard({ monitor: m, table, timeZone, onChanged, onRemove, onRetry }: MonitorCardProps) {
  const { t, lang } = useI18n();
  const notify = useNotify();
  const headingId = useId();
  const [renaming, setRenaming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const kind = m.kind;
  const known = isMonitorKind(kind);
  const phase = m.running ? (table?.phase ?? 'loading') : 'stopped';

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const restart = () =>
    run(async () => {
      const next = await restartMonitor(m.id);
      onChanged(next);
      notify(t('dashboards.restarted', { name: next.name }));
    });

  return (
    <section
      class="card monitor"
      aria-labelledby={headingId}
      data-testid="monitor"
      data-monitor-id={m.id}
      data-kind={kind}
      data-name={m.name}
      data-running={m.running ? 'true' : 'false'}
      data-state={phase}
    >
      <div class="card-head">
        <h2 id={headingId}>
          <span data-testid="monitor-name">{m.name}</span>{' '}
          <span class="pill monitor-kind" data-testid="monitor-kind">
            {known ? t(kindLabel[kind]) : kind}
          </span>
        </h2>
        <div class="monitor-actions">
          <button
            type="button"
            class="btn btn-small"
            data-testid="monitor-rename"
            aria-label={t('dashboards.renameLabel', { name: m.name })}
            aria-expanded={renaming}
            disabled={busy}
            onClick={() => setRenaming((r) => !r)}
          >
            {t('dashboards.rename')}
          </button>
          <button
            type="button"
            class="btn btn-small btn-danger-ghost"
            data-testid="monitor-remove"
            aria-label={t('dashboards.removeLabel', { name: m.name })}
            disabled={busy}
            onClick={() => run(() => onRemove(m))}
          >
            {t('dashboards.remove')}
          </button>
        </div>
      </div>
      {renaming && (
        <RenameForm
          monitor={m}
          onDone={(next) => {
            setRenaming(false);
            if (next) {
              onChanged(next);
              notify(t('dashboards.renamed', { name: next.name }));
            }
          }}
        />
      )}
      {m.running ? (
        <p class="monitor-meta muted small" data-testid="monitor-stops-at" data-stops-at={m.stops_at}>
          {t('dashboards.runsUntil', { time: formatMoment(m.stops_at, lang, timeZone) })}
        </p>
      ) : (
        <div class="monitor-meta monitor-stopped" role="status" data-testid="monitor-stopped">
          <span>{t('dashboards.stopped')}</span>
          <button
            type="button"
            class="btn btn-small btn-primary"
            data-testid="monitor-restart"
            aria-label={t('dashboards.restartLabel', { name: m.name })}
            disabled={busy}
            onClick={restart}
          >
            {t('dashboards.restart')}
          </button>
        </div>
      )}
      <FormError message={error} />
      {!known ? (
        <p class="muted" data-testid="monitor-unknown-kind">
          {t('dashboards.unknownKind', { kind })}
        </p>
      ) : (
        m.running && (
          <MonitorTable
            kind={kind}
            table={table ?? { phase: 'loading' }}
            caption={m.name}
            onRetry={() => onRetry(m.id)}
          />
        )
      )}
    </section>
  );
}

function RenameForm({ monitor, onDone }: { monitor: Monitor; onDone: (next?: Monitor) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(monitor.name);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (trimmed === '') {
      setErrors({ fields: { name: t('rule.required') } });
      return;
    }
    if (trimmed === monitor.name) {
      onDone();
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    try {
      onDone(await renameMonitor(monitor.id, trimmed));
    } catch (err) {
      setErrors(formErrors(t, err, ['name']));
      setBusy(false);
    }
  };

  return (
    <form class="form monitor-rename" data-testid="monitor-rename-form" onSubmit={submit}>
      <FormError message={errors.top} />
      <div class="form-inline">
        <MonitorNameField value={name} onValue={setName} error={errors.fields.name} />
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
