// One monitor on the Dashboards page: its name and kind (a service level
// monitor's target wait too), until when it runs (in the manager's time zone)
// or, once its run time is over (12 hours unless the node is set otherwise),
// that it stopped by itself, with a restart; rename (with the target: "Edit")
// and remove, and its live table.
import { useId, useState } from 'preact/hooks';
import { useI18n } from '../../shared/i18n';
import { restartMonitor, type Monitor } from './monitorsApi';
import { FormError } from '../components/Status';
import { errorText } from '../errors';
import { useNotify } from '../notify';
import { duration } from '../reports/parts';
import { EditMonitorForm } from './EditMonitorForm';
import { formatMoment, isMonitorKind, kindLabel } from './labels';
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
  /** A service level monitor shows its target wait, which its "Edit" changes with the name. */
  const serviceLevel = kind === 'service_level';
  const target = serviceLevel ? m.target_s : undefined;

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
      notify(t('dashboards.restarted', { name: next.name, time: formatMoment(next.stops_at, lang, timeZone) }));
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
            aria-label={t(serviceLevel ? 'dashboards.editLabel' : 'dashboards.renameLabel', { name: m.name })}
            aria-expanded={renaming}
            disabled={busy}
            onClick={() => setRenaming((r) => !r)}
          >
            {t(serviceLevel ? 'dashboards.edit' : 'dashboards.rename')}
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
        <EditMonitorForm
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
      {target !== undefined && (
        <p class="monitor-meta monitor-target small" data-testid="monitor-target" data-target-s={target}>
          {t('dashboards.target', { time: duration(target * 1000) })}
        </p>
      )}
      {m.running ? (
        <p class="monitor-meta muted small" data-testid="monitor-stops-at" data-stops-at={m.stops_at}>
          {t('dashboards.runsUntil', { time: formatMoment(m.stops_at, lang, timeZone) })}
        </p>
      ) : (
        <div class="monitor-meta monitor-stopped" role="status" data-testid="monitor-stopped">
          <span data-testid="monitor-stopped-text" data-run-ms={m.stops_at - m.started_at}>
            {t('dashboards.stopped', { time: duration(m.stops_at - m.started_at) })}
          </span>
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
