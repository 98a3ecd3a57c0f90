// The Management Center's calls for monthly reports (docs/reports.md,
// "Monthly reports"): the months that have daily roll-ups with the account's
// time zone their days are cut in, and a report over whole months — one row
// per month, then the snapshot summary, the technician performance or the
// service level of those months — as JSON for the page and as the CSV
// download's address.
import { call } from '../api';
import { list, num, numOrNull, obj, str, type Raw } from './raw';
import { reportOf, type ServiceLevelReport, type SnapshotReport, type TechniciansReport } from './reportsApi';

export type MonthlyKind = 'snapshot' | 'technicians' | 'service_level';
/** In the order the page offers them. */
export const MONTHLY_KINDS: readonly MonthlyKind[] = ['snapshot', 'technicians', 'service_level'];
export const isMonthlyKind = (value: string): value is MonthlyKind =>
  (MONTHLY_KINDS as readonly string[]).includes(value);

/**
 * The service level's targets of monthly reports, in seconds: the roll-ups
 * keep the waits in these buckets, so no other target can be reported on.
 */
export const MONTHLY_TARGETS_S: readonly number[] = [15, 30, 60, 120, 300, 600];
export const DEFAULT_MONTHLY_TARGET_S = 60;

/** A report covers at most this many months. */
export const MAX_MONTHS = 12;

/** The months that have roll-ups (YYYY-MM, oldest first) and the zone the account's days end in. */
export interface MonthlyIndex {
  months: string[];
  time_zone: string;
}

/** What a monthly report is run on: the first and last month (YYYY-MM, both included), narrowed as other reports. */
export interface MonthlyQuery {
  from: string;
  to: string;
  kind: MonthlyKind;
  /** The service level's target: one of MONTHLY_TARGETS_S (the server's default 60 when not sent). */
  target_s?: number;
  portal_id?: string;
  team_id?: string;
  technician_id?: string;
}

/** One month's numbers (months without requests are there with zeros). */
export interface MonthRow {
  month: string;
  submitted: number;
  answered: number;
  declined: number;
  no_response: number;
  abandoned: number;
  open: number;
  /** Milliseconds; null when nothing was measured. */
  average_wait_ms: number | null;
  average_handle_ms: number | null;
  ratings: number;
  average_rating: number | null;
}

/** The kind's own part, read as the report of that kind over days reads. */
export type MonthlyPart = SnapshotReport | TechniciansReport | ServiceLevelReport;

export interface MonthlyReport {
  kind: MonthlyKind;
  from_month: string;
  to_month: string;
  time_zone: string;
  generated_at: number;
  /** The last day (YYYY-MM-DD) rolled up into these months; null when none has been. */
  through_day: string | null;
  months: MonthRow[];
  part: MonthlyPart;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
export const isMonth = (value: string) => MONTH.test(value);

/** How many months from `from` to `to`, both included (0 or less when `to` is before `from`). */
export function monthsBetween(from: string, to: string): number {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
  return index(to) - index(from) + 1;
}

function monthOf(r: Raw): MonthRow {
  return {
    month: str(r.month),
    submitted: num(r.submitted),
    answered: num(r.answered),
    declined: num(r.declined),
    no_response: num(r.no_response),
    abandoned: num(r.abandoned),
    open: num(r.open),
    average_wait_ms: numOrNull(r.average_wait_ms),
    average_handle_ms: numOrNull(r.average_handle_ms),
    ratings: num(r.ratings),
    average_rating: numOrNull(r.average_rating),
  };
}

/** The months with roll-ups (managers, and technicians allowed own reports; else 403 `forbidden`). */
export async function monthlyIndex(signal?: AbortSignal): Promise<MonthlyIndex> {
  const raw = obj(await call<unknown>('GET', '/reports/monthly', undefined, signal));
  return {
    months: Array.isArray(raw.months) ? raw.months.filter((m): m is string => typeof m === 'string' && isMonth(m)) : [],
    time_zone: str(raw.time_zone) || 'UTC',
  };
}

/** The report's path below /api/v1, with its query (and `format=csv` for the download). */
function monthlyPath(query: MonthlyQuery, csv = false): string {
  const params = new URLSearchParams({ from: query.from, to: query.to, kind: query.kind });
  if (query.kind === 'service_level' && query.target_s !== undefined) params.set('target_s', String(query.target_s));
  for (const key of ['portal_id', 'team_id', 'technician_id'] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  if (csv) params.set('format', 'csv');
  return `/reports/monthly?${params}`;
}

/** Runs a monthly report (400 `bad_field` for wrong months, more than 12 of them or another target). */
export async function runMonthly(query: MonthlyQuery, signal?: AbortSignal): Promise<MonthlyReport> {
  const raw = obj(await call<unknown>('GET', monthlyPath(query), undefined, signal));
  return {
    kind: query.kind,
    from_month: str(raw.from_month) || query.from,
    to_month: str(raw.to_month) || query.to,
    time_zone: str(raw.time_zone) || 'UTC',
    generated_at: num(raw.generated_at),
    through_day: typeof raw.through_day === 'string' && raw.through_day !== '' ? raw.through_day : null,
    months: list(raw.months).map(monthOf),
    // The kind asked for decides how the rest is read (as the reports over days do).
    part: reportOf(query.kind, raw) as MonthlyPart,
  };
}

/**
 * The same report as CSV (the months first, then the kind's tables): an
 * address for a plain link (the session cookie authenticates GET requests;
 * the answer names the file).
 */
export const monthlyCsvUrl = (query: MonthlyQuery) => `/api/v1${monthlyPath(query, true)}`;
