// The Management Center's calls for "My reports" (docs/reports.md): the
// reports a manager saved under a name (kind, period, narrowing) to run again
// with the latest data. Each manager sees only their own, at most 50 (the
// 51st is 409 `limit`); every refusal names its field (400 `bad_field`).
import { ApiError } from '../../shared/api';
import { call, seg, type Id } from '../api';
import { isPeriod, type Period } from './periods';
import { isReportKind, type ReportKind } from './reportsApi';

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
  /** Unix ms. */
  updated_at: number;
}

/** What is saved: everything but the id and the time of the last change. */
export type SavedReportInput = Omit<SavedReport, 'id' | 'updated_at'>;

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
    updated_at: typeof r.updated_at === 'number' ? r.updated_at : 0,
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
