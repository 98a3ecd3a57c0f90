// The technician activity report (docs/reports.md, "Technician activity"):
// how long each technician in scope spent in each status they choose in their
// console (available, busy, away; offline without a connected console) within
// the range, per day of the manager's time zone, and as a timeline of status
// segments. Time after the report was made is not counted.
import type { MessageKey } from '../../shared/i18n';
import { id, list, num, str, type Raw } from './raw';

export type Status = 'available' | 'busy' | 'away' | 'offline';
/** In the order the tables, the chart (bottom up) and the legend show them. */
export const STATUSES: readonly Status[] = ['available', 'busy', 'away', 'offline'];
const isStatus = (v: unknown): v is Status => STATUSES.includes(v as Status);

export const statusLabel: Record<Status, MessageKey> = {
  available: 'console.presence.available',
  busy: 'console.presence.busy',
  away: 'console.presence.away',
  offline: 'console.presence.offline',
};

/** Milliseconds in each status (the field names without `_ms`). */
export type StatusTimes = Record<Status, number>;

export interface ActivityTechnician extends StatusTimes {
  technician_id: string;
  name: string;
  /** Status changes inside the range. */
  changes: number;
}

export interface ActivityDay extends StatusTimes {
  /** YYYY-MM-DD in the report's time zone. */
  day: string;
  technician_id: string;
  name: string;
}

/** A technician's status from `from` to `to` (Unix ms). */
export interface Segment {
  technician_id: string;
  from: number;
  to: number;
  status: Status;
}

/** Timeline segments the server sends at most (the newest; `timeline_truncated` when there were more). */
export const MAX_SEGMENTS = 5000;

/** The report's own part (its head, from, to and generated_at, is read as every report's). */
export interface ActivityPart {
  report: 'activity';
  /** The zone of the days (the manager's own). */
  time_zone: string;
  /** One per technician in scope, by name. */
  technicians: ActivityTechnician[];
  /** Days in order, then technicians by name. */
  days: ActivityDay[];
  timeline: Segment[];
  timeline_truncated: boolean;
}

function timesOf(r: Raw): StatusTimes {
  return { available: num(r.available_ms), busy: num(r.busy_ms), away: num(r.away_ms), offline: num(r.offline_ms) };
}

export function activityPartOf(raw: Raw): ActivityPart {
  return {
    report: 'activity',
    time_zone: str(raw.time_zone),
    technicians: list(raw.technicians).map((r) => ({
      technician_id: id(r.technician_id),
      name: str(r.name),
      ...timesOf(r),
      changes: num(r.changes),
    })),
    days: list(raw.days).map((r) => ({
      day: str(r.day),
      technician_id: id(r.technician_id),
      name: str(r.name),
      ...timesOf(r),
    })),
    timeline: list(raw.timeline)
      .map((r) => ({ technician_id: id(r.technician_id), from: num(r.from), to: num(r.to), status: r.status }))
      .filter((s): s is Segment => isStatus(s.status) && s.to >= s.from),
    timeline_truncated: raw.timeline_truncated === true,
  };
}

const MINUTE_MS = 60_000;

/** A duration as hours:minutes ("3:05", "26:40"), to the nearest minute. */
export function hoursMinutes(ms: number): string {
  const minutes = Math.round(Math.max(0, ms) / MINUTE_MS);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}
