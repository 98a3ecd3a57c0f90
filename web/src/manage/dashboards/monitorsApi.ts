// The Management Center's calls for live dashboards (docs/dashboards.md): the
// account's monitors (a service level monitor with its target wait), and
// forcing a technician offline; the tables themselves come over the WebSocket
// (useDashboardSocket.ts).
import type { Id } from '../../shared/api';
import { call, seg, type Role } from '../api';

export type MonitorKind = 'technicians' | 'waiting' | 'active' | 'managers' | 'service_level';
export const MONITOR_KINDS: readonly MonitorKind[] = ['technicians', 'waiting', 'active', 'managers', 'service_level'];
/** Kinds only company managers may add and see (the server answers 403 to anyone else, and lists none). */
export const COMPANY_ONLY_MONITOR_KINDS: readonly MonitorKind[] = ['managers'];
/** The kinds a manager of this role may add. */
export const monitorKindsFor = (role: Role): readonly MonitorKind[] =>
  role === 'company_manager' ? MONITOR_KINDS : MONITOR_KINDS.filter((k) => !COMPANY_ONLY_MONITOR_KINDS.includes(k));
export const MONITOR_NAME_MAX = 100;

export interface Monitor {
  id: string;
  name: string;
  kind: MonitorKind | string;
  created_by: Id;
  /** Unix ms. */
  started_at: number;
  /** Unix ms: the node's run time (12 hours unless configured) after `started_at`. */
  stops_at: number;
  running: boolean;
  /** A service level monitor's target wait in whole seconds (1–3600); absent for the other kinds. */
  target_s?: number;
}

/** A monitor as the server sends it, with its id as a string. */
export function monitorOf(raw: Monitor): Monitor {
  return {
    ...raw,
    id: String(raw.id),
    name: typeof raw.name === 'string' ? raw.name : '',
    started_at: typeof raw.started_at === 'number' ? raw.started_at : 0,
    stops_at: typeof raw.stops_at === 'number' ? raw.stops_at : 0,
    running: raw.running === true,
    target_s: typeof raw.target_s === 'number' ? raw.target_s : undefined,
  };
}

export const listMonitors = (signal?: AbortSignal) =>
  call<{ monitors: Monitor[] }>('GET', '/monitors', undefined, signal).then((a) => (a.monitors ?? []).map(monitorOf));
/** `targetS`: the service level's target wait (sent only for that kind; the server's default is 60). */
export function createMonitor(name: string, kind: MonitorKind, targetS?: number) {
  const body = targetS === undefined ? { name, kind } : { name, kind, target_s: targetS };
  return call<Monitor>('POST', '/monitors', body).then(monitorOf);
}
/** A new name, and for a service level monitor a new target wait. */
export const updateMonitor = (id: Id, change: { name: string; target_s?: number }) =>
  call<Monitor>('PUT', `/monitors/${seg(id)}`, change).then(monitorOf);
export const restartMonitor = (id: Id) => call<Monitor>('POST', `/monitors/${seg(id)}/restart`, {}).then(monitorOf);
export const deleteMonitor = (id: Id) => call<void>('DELETE', `/monitors/${seg(id)}`);
/** Sets the technician's chosen status to `offline` (their consoles say so). */
export const forceTechnicianOffline = (id: Id) =>
  call<{ id: Id; status: string }>('POST', `/technicians/${seg(id)}/offline`, {});
