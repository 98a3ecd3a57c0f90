// A monitor's live table as the page keeps it (docs/dashboards.md, "WebSocket"):
// `dashboard.state` replaces the rows, `dashboard.update` upserts them by `key`
// and drops the `removed` keys, `dashboard.stopped` ends it. The rows of each
// kind, read defensively from what the server sent.
import type { ServerMessage } from '../../shared/socket';
import { serviceLevelOf, type ServiceLevel } from '../reports/serviceLevel';

/** A row as sent: an object with a unique `key`. */
export type RawRow = { key: string } & Record<string, unknown>;

export type Table =
  | { phase: 'loading' }
  /** `offset`: the server's clock minus this one's, in ms, as of the last message. */
  | { phase: 'live'; rows: Readonly<Record<string, RawRow>>; offset: number }
  | { phase: 'stopped' }
  | { phase: 'error'; error: unknown };

const isRow = (value: unknown): value is RawRow =>
  typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string';

const rowsOf = (value: unknown): RawRow[] => (Array.isArray(value) ? value.filter(isRow) : []);

function offsetOf(m: ServerMessage, previous = 0): number {
  return typeof m.server_time_ms === 'number' ? m.server_time_ms - Date.now() : previous;
}

/** The table from a `dashboard.state` (stopped when its monitor is not running). */
export function tableFromState(m: ServerMessage): Table {
  const monitor = m.monitor as { running?: unknown } | undefined;
  if (monitor !== undefined && monitor !== null && monitor.running === false) return { phase: 'stopped' };
  const rows: Record<string, RawRow> = {};
  for (const row of rowsOf(m.rows)) rows[row.key] = row;
  return { phase: 'live', rows, offset: offsetOf(m) };
}

/** The table after a `dashboard.update`; one not shown yet (no state) stays as it is. */
export function tableWithUpdate(table: Table | undefined, m: ServerMessage): Table | undefined {
  if (table === undefined || table.phase !== 'live') return table;
  const rows: Record<string, RawRow> = { ...table.rows };
  for (const row of rowsOf(m.rows)) rows[row.key] = row;
  if (Array.isArray(m.removed)) for (const key of m.removed) if (typeof key === 'string') delete rows[key];
  return { phase: 'live', rows, offset: offsetOf(m, table.offset) };
}

const str = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

export type Presence = 'available' | 'busy' | 'away' | 'offline';
const PRESENCES: readonly string[] = ['available', 'busy', 'away', 'offline'];

export interface TechnicianRow {
  key: string;
  technicianId: string;
  name: string;
  teamName: string;
  status: Presence;
  /** Unix ms. */
  statusSince: number;
  activeSessions: number;
  maxSessions: number;
}

export interface WaitingRow {
  key: string;
  requestId: string;
  portalName: string;
  customerName: string;
  createdAt: number;
}

export interface ActiveRow {
  key: string;
  requestId: string;
  portalName: string;
  customerName: string;
  technicianName: string;
  /** `active`, or `assigned` while the technician has not joined yet. */
  status: string;
  startedAt: number;
}

/** A manager watching a session invisibly (company managers only). */
export interface ManagerRow {
  key: string;
  managerId: string;
  managerName: string;
  requestId: string;
  customerName: string;
  technicianName: string;
  /** Unix ms: watching since. */
  since: number;
}

/**
 * A portal's service level of today (the service level report's numbers:
 * reports/serviceLevel.ts), measured against the monitor's target.
 */
export interface ServiceLevelRow extends ServiceLevel {
  key: string;
  portalId: string;
  portalName: string;
  /** Unix ms: the midnight the counting started from (in the time zone of the manager who added the monitor). */
  dayStart: number;
  targetMs: number;
}

export function technicianRow(r: RawRow): TechnicianRow {
  const status = str(r.status);
  return {
    key: r.key,
    technicianId: str(r.technician_id),
    name: str(r.name),
    teamName: str(r.team_name),
    status: PRESENCES.includes(status) ? (status as Presence) : 'offline',
    statusSince: num(r.status_since),
    activeSessions: num(r.active_sessions),
    maxSessions: num(r.max_sessions),
  };
}

export function waitingRow(r: RawRow): WaitingRow {
  return {
    key: r.key,
    requestId: str(r.request_id),
    portalName: str(r.portal_name),
    customerName: str(r.customer_name),
    createdAt: num(r.created_at),
  };
}

export function activeRow(r: RawRow): ActiveRow {
  return {
    key: r.key,
    requestId: str(r.request_id),
    portalName: str(r.portal_name),
    customerName: str(r.customer_name),
    technicianName: str(r.technician_name),
    status: str(r.status) || 'active',
    startedAt: num(r.started_at),
  };
}

export function managerRow(r: RawRow): ManagerRow {
  return {
    key: r.key,
    managerId: str(r.manager_id),
    managerName: str(r.manager_name),
    requestId: str(r.request_id),
    customerName: str(r.customer_name),
    technicianName: str(r.technician_name),
    since: num(r.since),
  };
}

export function serviceLevelRow(r: RawRow): ServiceLevelRow {
  return {
    ...serviceLevelOf(r),
    key: r.key,
    portalId: str(r.portal_id),
    portalName: str(r.portal_name),
    dayStart: num(r.day_start),
    targetMs: num(r.target_ms),
  };
}

/** Oldest first (who waits longest, the longest session on top); equal times by key. */
export function byTime<T extends { key: string }>(time: (row: T) => number) {
  return (a: T, b: T) => time(a) - time(b) || a.key.localeCompare(b.key);
}
