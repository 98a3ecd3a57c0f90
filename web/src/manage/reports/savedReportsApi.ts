// The Management Center's calls for "My reports" (docs/reports.md): the
// reports a manager saved under a name (kind, period, narrowing, the service
// level's target wait) to run again with the latest data. Each manager sees
// only their own, at most 50 (the 51st is 409 `limit`); every refusal names
// its field (400 `bad_field`).
import { ApiError } from '../../shared/api';
import { call, seg, type Id } from '../api';
import { isPeriod, type Period } from './periods';
import { isReportKind, type ReportKind } from './reportsApi';
import { DEFAULT_TARGET_S, MAX_TARGET_S, MIN_TARGET_S } from './serviceLevel';

export interface SavedReport {
  id: string;
  name: string;
  kind: ReportKind;
  period: Period;
  /** YYYY-MM-DD for the period `days`, else "". */
  from: string;
  to: string;
  /** Ids as strings; "" for any. */
  portal_id: string;
  team_id: string;
  technician_id: string;
  /** The service level's target wait in whole seconds (1 to 3600; 60 unless saved otherwise). */
  target_s: number;
  /** Unix ms. */
  updated_at: number;
  /** When it is e-mailed: "" never, daily, weekly (Mondays), monthly (the 1st). */
  schedule: Schedule;
  /** Minutes after midnight in the manager's time zone, 0 to 1439. */
  send_at: number;
  /** The address it goes to; "" for the manager's own. */
  email: string;
  /** Up to when it has been delivered, Unix ms (read only). */
  delivered_at: number;
}

export const SCHEDULES = ['', 'daily', 'weekly', 'monthly'] as const;
export type Schedule = (typeof SCHEDULES)[number];
export const isSchedule = (v: unknown): v is Schedule => SCHEDULES.includes(v as Schedule);

/** 06:00, the server's default time of delivery. */
export const DEFAULT_SEND_AT = 360;
const isSendAt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 24 * 60;
const isTarget = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= MIN_TARGET_S && (v as number) <= MAX_TARGET_S;

/**
 * What is saved: everything but the id, the time of the last change and that
 * of the last delivery; the target wait only for the service level (else
 * what was saved stays).
 */
export type SavedReportInput = Omit<SavedReport, 'id' | 'updated_at' | 'delivered_at' | 'target_s'> & {
  target_s?: number;
};

type Raw = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const id = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** A saved report as the server sends it, read defensively; undefined for a kind or period this page does not know. */
function savedReportOf(raw: unknown): SavedReport | undefined {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Raw;
  const kind = str(r.kind);
  const period = str(r.period);
  if (!isReportKind(kind) || !isPeriod(period)) return undefined;
  return {
    id: id(r.id),
    name: str(r.name),
    kind,
    period,
    from: str(r.from),
    to: str(r.to),
    portal_id: id(r.portal_id),
    team_id: id(r.team_id),
    technician_id: id(r.technician_id),
    target_s: isTarget(r.target_s) ? r.target_s : DEFAULT_TARGET_S,
    updated_at: typeof r.updated_at === 'number' ? r.updated_at : 0,
    // A schedule this page does not know is shown as none.
    schedule: isSchedule(r.schedule) ? r.schedule : '',
    send_at: isSendAt(r.send_at) ? r.send_at : DEFAULT_SEND_AT,
    email: str(r.email),
    delivered_at: typeof r.delivered_at === 'number' ? r.delivered_at : 0,
  };
}

function readSaved(raw: unknown): SavedReport {
  const report = savedReportOf(raw);
  if (!report) throw new ApiError('bad_response', 'A saved report of an unknown kind or period', 200);
  return report;
}

/** The caller's saved reports, oldest first. */
export async function listSavedReports(signal?: AbortSignal): Promise<SavedReport[]> {
  const body = await call<{ saved_reports?: unknown }>('GET', '/saved-reports', undefined, signal);
  const list = Array.isArray(body.saved_reports) ? body.saved_reports : [];
  return list.map(savedReportOf).filter((r): r is SavedReport => r !== undefined);
}

export const createSavedReport = async (input: SavedReportInput) =>
  readSaved(await call<unknown>('POST', '/saved-reports', input));

export const updateSavedReport = async (reportId: Id, input: SavedReportInput) =>
  readSaved(await call<unknown>('PUT', `/saved-reports/${seg(reportId)}`, input));

export const deleteSavedReport = (reportId: Id) => call<void>('DELETE', `/saved-reports/${seg(reportId)}`);
