// Dashboards (company and team managers; docs/dashboards.md): the account's
// monitors, oldest first, each with its live table over the page's one
// WebSocket; add, rename, restart a stopped one, remove. A monitor removed by
// another manager goes with a notice; the list follows every change pushed by
// the server (monitors added, renamed or restarted by other managers show at
// once), and is asked again after a reconnect and on "Refresh".
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../shared/api';
import { useI18n, type MessageKey } from '../../shared/i18n';
import type { ConnectionState } from '../../shared/socket';
import type { User } from '../api';
import { deleteMonitor, listMonitors, type Monitor } from '../dashboards/monitorsApi';
import { useConfirm } from '../components/ConfirmDialog';
import { LoadError, LoadState, PageHeader } from '../components/Status';
import { AddMonitorForm } from '../dashboards/AddMonitorForm';
import { isMonitorKind } from '../dashboards/labels';
import { MonitorCard } from '../dashboards/MonitorCard';
import { useDashboardSocket } from '../dashboards/useDashboardSocket';
import { useLoad } from '../hooks';
import { useNotify } from '../notify';
import '../dashboards/dashboards.css';

const connectionLabel: Record<ConnectionState, MessageKey> = {
  open: 'dashboards.connection.open',
  connecting: 'dashboards.connection.connecting',
  reconnecting: 'dashboards.connection.reconnecting',
  stopped: 'dashboards.connection.reconnecting',
};

export function DashboardsPage({ user }: { user: User }) {
  const { t } = useI18n();
  const notify = useNotify();
  const { ask, dialog } = useConfirm();
  const { load, reload } = useLoad((signal) => listMonitors(signal));
  const [monitors, setMonitors] = useState<Monitor[]>();
  /** Monitors this page is removing: their `dashboard.stopped` "removed" is no news. */
  const removing = useRef(new Set<string>());

  useEffect(() => {
    if (load.state === 'ok') setMonitors(load.data);
  }, [load]);

  const list = monitors ?? [];
  const put = (m: Monitor) => setMonitors((all) => all?.map((x) => (x.id === m.id ? m : x)));
  const drop = (id: string) => setMonitors((all) => all?.filter((x) => x.id !== id));

  const { tables, state, retry } = useDashboardSocket({
    watch: list.filter((m) => m.running && isMonitorKind(m.kind)).map((m) => m.id),
    // The watch's answer describes the monitor as it is now (renamed or restarted elsewhere, stopped).
    onMonitor: put,
    onStopped: (id, reason) => {
      const shown = list.find((x) => x.id === id);
      if (reason === 'removed') {
        if (shown && !removing.current.has(id)) notify(t('dashboards.removedElsewhere', { name: shown.name }));
        drop(id);
      } else if (shown) put({ ...shown, running: false });
    },
    onReconnect: reload,
    // The server's list as it changes; one gone that this page did not remove was removed elsewhere.
    onList: (next) => {
      for (const m of list)
        if (!next.some((x) => x.id === m.id) && !removing.current.has(m.id))
          notify(t('dashboards.removedElsewhere', { name: m.name }));
      setMonitors(next);
    },
  });

  const remove = async (m: Monitor) => {
    const ok = await ask(
      t('dashboards.remove.title'),
      t('dashboards.remove.message', { name: m.name }),
      t('dashboards.remove'),
    );
    if (!ok) return;
    removing.current.add(m.id);
    try {
      await deleteMonitor(m.id);
    } catch (err) {
      // Gone already (another manager removed it): as good as removed here.
      if (!(err instanceof ApiError && err.status === 404)) {
        removing.current.delete(m.id);
        throw err;
      }
    }
    drop(m.id);
    notify(t('dashboards.removed', { name: m.name }));
  };

  const header = (
    <PageHeader id="dashboards-title" title={t('dashboards.title')}>
      <span class="pill connection" role="status" data-testid="dashboards-connection" data-state={state}>
        {t(connectionLabel[state])}
      </span>
      <button type="button" class="btn" data-testid="dashboards-refresh" onClick={reload}>
        {t('common.refresh')}
      </button>
    </PageHeader>
  );

  if (monitors === undefined)
    return (
      <section aria-labelledby="dashboards-title">
        {header}
        <LoadState load={load} onRetry={reload} />
      </section>
    );

  return (
    <section class="page-dashboards" aria-labelledby="dashboards-title" data-testid="dashboards">
      {header}
      <p class="page-intro muted">{t('dashboards.intro')}</p>
      {dialog}
      {load.state === 'error' && <LoadError error={load.error} onRetry={reload} />}
      <AddMonitorForm
        role={user.role}
        onAdded={(m) => setMonitors((all) => [...(all ?? []).filter((x) => x.id !== m.id), m])}
      />
      {list.length === 0 ? (
        <div class="card card-hint">
          <p class="muted" data-testid="dashboards-none">
            {t('dashboards.none')}
          </p>
        </div>
      ) : (
        <div class="monitors" data-testid="monitors">
          {list.map((m) => (
            <MonitorCard
              key={m.id}
              monitor={m}
              table={tables[m.id]}
              timeZone={user.time_zone}
              onChanged={put}
              onRemove={remove}
              onRetry={retry}
            />
          ))}
        </div>
      )}
    </section>
  );
}
