// The Management Center's calls for reports (docs/reports.md): the snapshot
// summary, the session detail, the technician performance, the customer
// feedback and the service level of the requests created in [from, to), and
// the technicians' activity (time per status) in it, as JSON for the page and
// as the CSV download's address.
import { call } from '../api';
import { activityPartOf, type ActivityPart } from './activity';
import { id, list, num, numOrNull, obj, str, type Raw } from './raw';
import { serviceLevelPartOf, type ServiceLevelPart } from './serviceLevel';

export type ReportKind = 'snapshot' | 'sessions' | 'technicians' | 'feedback' | 'service_level' | 'activity';
/** In the order the page offers them (and saved reports may be of). */
export const REPORT_KINDS: readonly ReportKind[] = [
  'snapshot',
  'sessions',
  'technicians',
  'feedback',
  'service_level',
  'activity',
];
export const isReportKind = (value: string): value is ReportKind => (REPORT_KINDS as readonly string[]).includes(value);

/** Session detail (and customer feedback) lists at most this many requests (`truncated` when there were more). */
export const MAX_SESSION_ROWS = 5000;

/** What a report is run on: [from, to) in Unix ms, narrowed by a portal, team or technician (ids as strings). */
export interface ReportQuery {
  from: number;
  to: number;
  portal_id?: string;
  team_id?: string;
  technician_id?: string;
  /** The service level's target wait in whole seconds (1..3600; the server's default 60 when not sent). */
  target_s?: number;
}

export interface SnapshotTotals {
  submitted: number;
  answered: number;
  declined: number;
  no_response: number;
  abandoned: number;
  open: number;
  /** Milliseconds; null when nothing was measured. */
  average_wait_ms: number | null;
  longest_wait_ms: number | null;
  average_handle_ms: number | null;
}

export interface TechnicianTotals {
  technician_id: string;
  name: string;
  sessions: number;
  declined: number;
  /** How often the requests they ended with had been transferred. */
  transfers: number;
  average_wait_ms: number | null;
  average_handle_ms: number | null;
  ratings: number;
  /** Two decimals; null (or 0) without ratings. */
  average_rating: number | null;
}

export interface PortalTotals {
  portal_id: string;
  name: string;
  submitted: number;
  answered: number;
  declined: number;
  no_response: number;
  abandoned: number;
}

export interface Survey {
  ratings: number;
  average_rating: number | null;
  /** by_score[i]: the ratings of i + 1 stars (five numbers). */
  by_score: number[];
  comments: number;
}

export interface ReportHead {
  /** Unix ms. */
  from: number;
  to: number;
  generated_at: number;
}

export interface SnapshotReport extends ReportHead {
  report: 'snapshot';
  totals: SnapshotTotals;
  technicians: TechnicianTotals[];
  portals: PortalTotals[];
  survey: Survey;
}

export interface SessionDetailRow {
  request_id: string;
  portal_id: string;
  portal: string;
  technician_id: string;
  technician: string;
  customer: string;
  /** Unix ms; null when it did not happen. */
  created_ms: number;
  joined_ms: number | null;
  closed_ms: number | null;
  /** `open` while not ended, else how it ended (`closed`, `customer_left`, `cancelled`, `no_response`). */
  outcome: string;
  resolution: string;
  wait_ms: number | null;
  handle_ms: number | null;
  /** 1..5; 0 for none. */
  rating: number;
  comment: string;
}

export interface SessionsReport extends ReportHead {
  report: 'sessions';
  truncated: boolean;
  rows: SessionDetailRow[];
}

export interface TechniciansReport extends ReportHead {
  report: 'technicians';
  /** The snapshot's technicians table. */
  technicians: TechnicianTotals[];
}

export interface FeedbackReport extends ReportHead {
  report: 'feedback';
  survey: Survey;
  truncated: boolean;
  /** The rated sessions, oldest first. */
  rows: SessionDetailRow[];
}

export type ServiceLevelReport = ReportHead & ServiceLevelPart;

export type ActivityReport = ReportHead & ActivityPart;

export type Report =
  | SnapshotReport
  | SessionsReport
  | TechniciansReport
  | FeedbackReport
  | ServiceLevelReport
  | ActivityReport;

function head(raw: Raw): ReportHead {
  return { from: num(raw.from), to: num(raw.to), generated_at: num(raw.generated_at) };
}

function technicianOf(r: Raw): TechnicianTotals {
  return {
    technician_id: id(r.technician_id),
    name: str(r.name),
    sessions: num(r.sessions),
    declined: num(r.declined),
    transfers: num(r.transfers),
    average_wait_ms: numOrNull(r.average_wait_ms),
    average_handle_ms: numOrNull(r.average_handle_ms),
    ratings: num(r.ratings),
    average_rating: numOrNull(r.average_rating),
  };
}

function surveyOf(s: Raw): Survey {
  const byScore = Array.isArray(s.by_score) ? s.by_score.map(num) : [];
  return {
    ratings: num(s.ratings),
    average_rating: numOrNull(s.average_rating),
    by_score: [0, 1, 2, 3, 4].map((i) => byScore[i] ?? 0),
    comments: num(s.comments),
  };
}

function rowOf(r: Raw): SessionDetailRow {
  return {
    request_id: id(r.request_id),
    portal_id: id(r.portal_id),
    portal: str(r.portal),
    technician_id: id(r.technician_id),
    technician: str(r.technician),
    customer: str(r.customer),
    created_ms: num(r.created_ms),
    joined_ms: numOrNull(r.joined_ms),
    closed_ms: numOrNull(r.closed_ms),
    outcome: str(r.outcome),
    resolution: str(r.resolution),
    wait_ms: numOrNull(r.wait_ms),
    handle_ms: numOrNull(r.handle_ms),
    rating: num(r.rating),
    comment: str(r.comment),
  };
}

function snapshotOf(raw: Raw): SnapshotReport {
  const t = obj(raw.totals);
  return {
    ...head(raw),
    report: 'snapshot',
    totals: {
      submitted: num(t.submitted),
      answered: num(t.answered),
      declined: num(t.declined),
      no_response: num(t.no_response),
      abandoned: num(t.abandoned),
      open: num(t.open),
      average_wait_ms: numOrNull(t.average_wait_ms),
      longest_wait_ms: numOrNull(t.longest_wait_ms),
      average_handle_ms: numOrNull(t.average_handle_ms),
    },
    technicians: list(raw.technicians).map(technicianOf),
    portals: list(raw.portals).map((r) => ({
      portal_id: id(r.portal_id),
      name: str(r.name),
      submitted: num(r.submitted),
      answered: num(r.answered),
      declined: num(r.declined),
      no_response: num(r.no_response),
      abandoned: num(r.abandoned),
    })),
    survey: surveyOf(obj(raw.survey)),
  };
}

function sessionsOf(raw: Raw): SessionsReport {
  return {
    ...head(raw),
    report: 'sessions',
    truncated: raw.truncated === true,
    rows: list(raw.rows).map(rowOf),
  };
}

function techniciansOf(raw: Raw): TechniciansReport {
  return { ...head(raw), report: 'technicians', technicians: list(raw.technicians).map(technicianOf) };
}

function feedbackOf(raw: Raw): FeedbackReport {
  return {
    ...head(raw),
    report: 'feedback',
    survey: surveyOf(obj(raw.survey)),
    truncated: raw.truncated === true,
    rows: list(raw.rows).map(rowOf),
  };
}

/** How each kind's answer is read: the kind asked for decides, not what the answer says it is. */
const READERS: Record<ReportKind, (raw: Raw) => Report> = {
  snapshot: snapshotOf,
  sessions: sessionsOf,
  technicians: techniciansOf,
  feedback: feedbackOf,
  service_level: (raw) => ({ ...head(raw), ...serviceLevelPartOf(raw) }),
  activity: (raw) => ({ ...head(raw), ...activityPartOf(raw) }),
};

/** A report's answer read as the kind asked for (the monthly reports' kinds are read as these). */
export const reportOf = (kind: ReportKind, raw: Raw): Report => READERS[kind](raw);

/** The report's path below /api/v1, with its query (and `format=csv` for the download). */
function reportPath(kind: ReportKind, query: ReportQuery, csv = false): string {
  const params = new URLSearchParams({ from: String(query.from), to: String(query.to) });
  for (const key of ['portal_id', 'team_id', 'technician_id'] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  if (kind === 'service_level' && query.target_s !== undefined) params.set('target_s', String(query.target_s));
  if (csv) params.set('format', 'csv');
  return `/reports/${kind}?${params}`;
}

/** Runs a report (400 `out_of_retention` when `from` is further back than the account's `report_days`, 403 `forbidden` for technicians). */
export async function runReport(kind: ReportKind, query: ReportQuery, signal?: AbortSignal): Promise<Report> {
  const raw = obj(await call<unknown>('GET', reportPath(kind, query), undefined, signal));
  return reportOf(kind, raw);
}

/**
 * The same report as CSV: an address for a plain link (the session cookie
 * authenticates GET requests; the answer names the file).
 */
export const reportCsvUrl = (kind: ReportKind, query: ReportQuery) => `/api/v1${reportPath(kind, query, true)}`;
