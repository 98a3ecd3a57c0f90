// The service level report (docs/reports.md, "Service level"): how fast the
// requests created in the range were answered against a target wait the
// manager chooses (`target_s`, whole seconds from 1 to 3600, 60 unless said).
import { id, list, num, numOrNull, obj, str, type Raw } from './raw';
import type { SnapshotTotals } from './reportsApi';

/** The target wait in seconds: the server's default and its bounds. */
export const DEFAULT_TARGET_S = 60;
export const MIN_TARGET_S = 1;
export const MAX_TARGET_S = 3600;

/** The target as typed, as whole seconds; undefined when it is not a whole number from 1 to 3600. */
export function targetSeconds(text: string): number | undefined {
  const value = text.trim();
  if (!/^\d{1,4}$/.test(value)) return undefined;
  const seconds = Number(value);
  return seconds >= MIN_TARGET_S && seconds <= MAX_TARGET_S ? seconds : undefined;
}

/** The answered requests whose wait was more than the bucket before's bound and at most `up_to_ms` (null: no bound). */
export interface WaitBucket {
  up_to_ms: number | null;
  count: number;
}

/** The snapshot's counts and waits, and how they stand against the target. */
export interface ServiceLevel extends SnapshotTotals {
  /** Answered requests that waited at most the target. */
  within_target: number;
  /** within_target × 100 / (submitted − open), one decimal; null when no request has ended. */
  within_target_percent: number | null;
  /** The answered requests by wait, shortest first; the last one without a bound. */
  waits: WaitBucket[];
}

export interface PortalServiceLevel extends ServiceLevel {
  portal_id: string;
  name: string;
}

/** The report's own part (its head, from, to and generated_at, is read as every report's). */
export interface ServiceLevelPart {
  report: 'service_level';
  /** The target the report was made with, in ms. */
  target_ms: number;
  totals: ServiceLevel;
  /** One per portal with requests in the range, by name. */
  portals: PortalServiceLevel[];
}

/** The numbers of a service level (the totals, a portal, a dashboard row), read defensively. */
export function serviceLevelOf(r: Raw): ServiceLevel {
  return {
    submitted: num(r.submitted),
    answered: num(r.answered),
    within_target: num(r.within_target),
    within_target_percent: numOrNull(r.within_target_percent),
    declined: num(r.declined),
    no_response: num(r.no_response),
    abandoned: num(r.abandoned),
    open: num(r.open),
    average_wait_ms: numOrNull(r.average_wait_ms),
    longest_wait_ms: numOrNull(r.longest_wait_ms),
    average_handle_ms: numOrNull(r.average_handle_ms),
    waits: list(r.waits).map((w) => ({ up_to_ms: numOrNull(w.up_to_ms), count: num(w.count) })),
  };
}

export function serviceLevelPartOf(raw: Raw): ServiceLevelPart {
  return {
    report: 'service_level',
    target_ms: num(raw.target_ms),
    totals: serviceLevelOf(obj(raw.totals)),
    portals: list(raw.portals).map((r) => ({ portal_id: id(r.portal_id), name: str(r.name), ...serviceLevelOf(r) })),
  };
}
