// The Dashboards page's one WebSocket (docs/dashboards.md, "WebSocket"): it
// follows the account's list of monitors (`dashboards.follow`, first on every
// connection; then `dashboards.list` comes with each change), sends
// `dashboard.watch` for each monitor the page shows running (again after
// every reconnect, and for a monitor once it runs again) and keeps each
// monitor's table from `dashboard.state`, `dashboard.update`,
// `dashboard.stopped` and the `error` that answers a watch. Watches go one at
// a time: the socket answers `busy` to a command sent while the last one is
// still being checked.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useSocket, type ReconnectingSocket, type ServerMessage } from '../../shared/socket';
import { monitorOf, type Monitor } from './monitorsApi';
import { tableFromState, tableWithUpdate, type Table } from './rows';

/** The `id` of a watch: its answer (state or error) names the monitor. */
const WATCH_ID = 'dashboard.watch:';
/** The `id` of the follow of the list. */
const FOLLOW_ID = 'dashboards.follow';
/** A watch unanswered this long is shown as failed (with a retry); the next one goes. */
const WATCH_TIMEOUT_MS = 15_000;
const BUSY_RETRY_MS = 300;

export type StopReason = 'timeout' | 'removed';

interface Options {
  /** The ids of the monitors whose tables the page shows (the running ones). */
  watch: readonly string[];
  /** A monitor as the server's `dashboard.state` describes it. */
  onMonitor: (monitor: Monitor) => void;
  /** The monitor stopped (its run time over) or was removed: no more updates come. */
  onStopped: (id: string, reason: StopReason) => void;
  /** Connected again after a drop (the page may have missed changes to its list). */
  onReconnect: () => void;
  /** The account's monitors this manager sees, whenever they change (and after each connect). */
  onList: (monitors: Monitor[]) => void;
}

const idOf = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

export function useDashboardSocket({ watch, onMonitor, onStopped, onReconnect, onList }: Options) {
  const [tables, setTables] = useState<Readonly<Record<string, Table>>>({});
  /** The monitors watched (or being watched) on the current connection. */
  const watched = useRef(new Set<string>());
  /** The monitor whose watch is unanswered, and its timer. */
  const inFlight = useRef<{ id: string; timer: ReturnType<typeof setTimeout> }>();
  const wanted = useRef(watch);
  wanted.current = watch;
  const opened = useRef(false);
  const retryTimer = useRef<ReturnType<typeof setTimeout>>();
  /** The follow of the list is unanswered: watches wait for it (one command at a time). */
  const following = useRef(false);
  const follow = (socket: ReconnectingSocket) => {
    following.current = socket.send({ type: 'dashboards.follow', id: FOLLOW_ID });
  };

  const setTable = (id: string, change: (table: Table | undefined) => Table | undefined) =>
    setTables((all) => {
      const next = change(all[id]);
      if (next === all[id]) return all;
      const copy = { ...all };
      if (next === undefined) delete copy[id];
      else copy[id] = next;
      return copy;
    });

  const settle = (id: string) => {
    if (inFlight.current?.id !== id) return false;
    clearTimeout(inFlight.current.timer);
    inFlight.current = undefined;
    return true;
  };

  /** Forgets what is no longer wanted (stopped or removed); watches the next wanted one not watched yet. */
  const sync = (socket: ReconnectingSocket) => {
    for (const id of [...watched.current]) if (!wanted.current.includes(id)) watched.current.delete(id);
    if (socket.state !== 'open' || inFlight.current !== undefined || following.current) return;
    const id = wanted.current.find((x) => !watched.current.has(x));
    if (id === undefined || !socket.send({ type: 'dashboard.watch', monitor_id: id, id: WATCH_ID + id })) return;
    watched.current.add(id);
    setTable(id, (table) => (table?.phase === 'live' ? table : { phase: 'loading' }));
    const timer = setTimeout(() => {
      if (!settle(id)) return;
      setTable(id, () => ({ phase: 'error', error: { code: 'timeout' } }));
      sync(socket);
    }, WATCH_TIMEOUT_MS);
    inFlight.current = { id, timer };
  };

  const onMessage = (m: ServerMessage) => {
    const id = idOf(m.monitor_id);
    const answer = idOf(m.id)?.startsWith(WATCH_ID) ? idOf(m.id)?.slice(WATCH_ID.length) : undefined;
    switch (m.type) {
      case 'dashboards.list':
        if (Array.isArray(m.monitors)) onList((m.monitors as Monitor[]).map(monitorOf));
        if (m.id === FOLLOW_ID) {
          following.current = false;
          sync(socket);
        }
        return;
      case 'dashboard.state':
        if (answer !== undefined && settle(answer)) sync(socket);
        if (id === undefined || !watched.current.has(id)) return;
        if (typeof m.monitor === 'object' && m.monitor !== null) onMonitor(monitorOf(m.monitor as Monitor));
        setTable(id, () => tableFromState(m));
        return;
      case 'dashboard.update':
        if (id === undefined || !watched.current.has(id)) return;
        setTable(id, (table) => tableWithUpdate(table, m));
        return;
      case 'dashboard.stopped':
        if (id === undefined) return;
        watched.current.delete(id);
        if (m.reason === 'removed' || m.reason === 'timeout') {
          setTable(id, () => ({ phase: 'stopped' }));
          onStopped(id, m.reason);
        } else {
          // No longer allowed (e.g. moved off the team: reason `forbidden`): said in the card.
          setTable(id, () => ({ phase: 'error', error: { code: typeof m.reason === 'string' ? m.reason : 'forbidden' } }));
        }
        return;
      case 'error': {
        if (m.id === FOLLOW_ID) {
          const code = (m.error as { code?: unknown } | undefined)?.code;
          if (code === 'busy') {
            clearTimeout(retryTimer.current);
            retryTimer.current = setTimeout(() => follow(socket), BUSY_RETRY_MS);
            return;
          }
          // Not followed (the list is then asked again on reconnect and on Refresh).
          following.current = false;
          sync(socket);
          return;
        }
        if (answer === undefined || !settle(answer)) return;
        const error = m.error as { code?: unknown } | undefined;
        if (error?.code === 'busy') {
          // The socket was still checking another command: ask again shortly.
          watched.current.delete(answer);
          clearTimeout(retryTimer.current);
          retryTimer.current = setTimeout(() => sync(socket), BUSY_RETRY_MS);
          return;
        }
        if (watched.current.has(answer)) setTable(answer, () => ({ phase: 'error', error: m.error }));
        sync(socket);
        return;
      }
    }
  };

  const { socket, state } = useSocket({
    enabled: true,
    onOpen: (s) => {
      // A new connection watches nothing yet.
      watched.current.clear();
      if (inFlight.current) clearTimeout(inFlight.current.timer);
      inFlight.current = undefined;
      if (opened.current) onReconnect();
      opened.current = true;
      follow(s);
      sync(s);
    },
    onMessage,
  });

  const key = watch.join(',');
  useEffect(() => sync(socket), [key, state]);
  useEffect(
    () => () => {
      clearTimeout(retryTimer.current);
      if (inFlight.current) clearTimeout(inFlight.current.timer);
    },
    [],
  );

  /** Watches a monitor again (after an error). */
  const retry = (id: string) => {
    watched.current.delete(id);
    setTable(id, () => ({ phase: 'loading' }));
    sync(socket);
  };

  return { tables, state, retry };
}
