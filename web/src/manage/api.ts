// The Management Center's view of REST API v1 (docs/api.md): types and one
// function per call. A 401 on anything but the login itself means the session
// is gone; the app is told through onSessionLost.
import { addDays, dayStart, knownZone } from './days';
import { ApiError, apiBlob, apiBytes, apiRequest, type HttpMethod, type Id } from '../shared/api';
import type { Diagnostics, DiagnosticsData } from '../shared/Diagnostics';
import type { Lang } from '../shared/i18n';
import type { PortalType } from '../shared/portalTypes';
import { currentUser as sessionUser, type LoginKind } from '../shared/session';

export { sameId, type Id } from '../shared/api';
export type { PortalType } from '../shared/portalTypes';
export { logout, type LoginKind } from '../shared/session';

const BASE = '/api/v1';

export const FEATURE_FLAGS = [
  'chat',
  'file_transfer',
  'screen_sharing',
  'remote_control',
  'recording',
  'diagnostics',
  'reports_self',
  'management_center',
] as const;

export type FeatureFlag = (typeof FEATURE_FLAGS)[number];

export const MAX_SESSIONS_MIN = 1;
export const MAX_SESSIONS_MAX = 50;

/** What one level (portal, team, technician) sets; a missing key inherits. */
export type Overrides = { [F in FeatureFlag]?: boolean } & { max_sessions?: number };

/**
 * Overrides as sent: the server merges them into what the level already sets,
 * and `null` removes an override (back to inherit).
 */
export type OverridesPatch = { [F in FeatureFlag]?: boolean | null } & { max_sessions?: number | null };

export type Role = 'company_manager' | 'team_manager' | 'api_manager' | 'technician';

export interface Skill {
  name: string;
  rank: number;
}

export interface User {
  id: Id;
  kind: 'manager' | 'technician';
  role: Role;
  email: string;
  first_name: string;
  last_name: string;
  screen_name?: string;
  custom?: string;
  team_id?: Id | null;
  managed_team_ids?: Id[];
  skills?: Skill[];
  features?: Overrides;
  language?: Lang;
  time_zone?: string;
  /** The account (tenant) id: part of the portals' public addresses. */
  account: string;
  /**
   * What the session may open (GET /auth/me): managers everything; a technician
   * the limited Management Center with `management_center`, and reports on
   * their own sessions with `reports` too (their features `management_center`
   * and `reports_self`). Missing: a manager may, a technician may not.
   */
  may?: { management_center: boolean; reports: boolean };
}

/** A technician signed in to the Management Center (own reports at most). */
export const isTechnician = (user: Pick<User, 'kind' | 'role'>) => user.kind === 'technician' || user.role === 'technician';

/** Whether the session may open the (limited, for a technician) Management Center. */
export const mayManage = (user: User) => (isTechnician(user) ? user.may?.management_center === true : true);

/** Whether the session may run reports (a technician: on their own sessions only). */
export const mayReport = (user: User) => (isTechnician(user) ? user.may?.reports === true : true);

export interface Team {
  id: Id;
  name: string;
  parent_id?: Id | null;
  features?: Overrides;
  technician_count?: number;
  /** The portals the team serves (itself or through a parent team); none: no customer reaches it. */
  portals?: { id: Id; name: string }[];
}

export type PortalMode = 'web' | 'phone' | 'queue';
export const PORTAL_MODES: readonly PortalMode[] = ['web', 'phone', 'queue'];

/** The types each mode offers (the server refuses other pairs). */
export const TYPES_OF_MODE: Record<PortalMode, readonly PortalType[]> = {
  web: ['smartbox', 'smartmatch', 'smartbutton'],
  phone: ['smartpin'],
  queue: ['queue'],
};

export interface SubPortal {
  id?: Id;
  name: string;
  team_ids: Id[];
}

export type CustomerFieldType = 'text' | 'email' | 'textarea' | 'skill';
export const CUSTOMER_FIELD_TYPES: readonly CustomerFieldType[] = ['text', 'email', 'textarea', 'skill'];
export const MAX_CUSTOMER_FIELDS = 20;
export const CUSTOMER_FIELD_KEY = /^[a-z0-9_]{1,30}$/;
export const CUSTOMER_FIELD_LABEL_MAX = 100;
export const SKILL_CHOICES_MAX = 50;
export const SKILL_CHOICE_MAX = 50;

/** One input of the customer's request form. */
export interface CustomerField {
  /** Lower-case letters, digits and _, 1 to 30; unique within the portal. */
  key: string;
  label: string;
  type: CustomerFieldType;
  required: boolean;
  /** For type `skill`: the skills the customer picks from. */
  choices?: string[];
  /** For type `skill`: what the customer reads for each choice (parallel to `choices`). */
  choice_labels?: string[];
  /** The label (and skill labels) by language (`en`, `de`); what is missing falls back to the above. */
  translations?: Partial<Record<FieldLanguage, { label?: string; choice_labels?: string[] }>>;
}

/** The languages a customer field's label can be given in. */
export const FIELD_LANGUAGES = ['en', 'de'] as const;
export type FieldLanguage = (typeof FIELD_LANGUAGES)[number];

interface PortalFields {
  name: string;
  slug: string;
  mode: PortalMode;
  type: PortalType;
  skills_routing: boolean;
  time_zone: string;
  notification_email: string;
  texts: { title: string; welcome: string };
  sub_portals: SubPortal[];
}

/** How long technicians are alerted before the customer hears that nobody answered (seconds). */
export const ALERT_TIMEOUT = { min: 15, max: 3600, default: 120 } as const;
/** How long phone-mode connection codes live (minutes). */
export const CODE_TTL = { min: 1, max: 1440, default: 20 } as const;
/** The largest recording of one session (MB); it stops there, the session goes on (docs/recording.md). */
export const RECORDING_MAX_MB = { min: 1, max: 2000, default: 200 } as const;
/** How long recordings are kept (days). */
export const RECORDING_RETENTION_DAYS = { min: 1, max: 3650, default: 90 } as const;

export interface PortalInput extends PortalFields {
  alert_timeout_s: number;
  code_ttl_min: number;
  recording_max_mb: number;
  recording_retention_days: number;
  features: OverridesPatch;
  /** A business hours set, or 0: always open. */
  hours_id: Id;
  fields: CustomerField[];
}

export interface Portal extends PortalFields {
  id: Id;
  /** Missing on a server that predates them: the defaults apply. */
  alert_timeout_s?: number;
  code_ttl_min?: number;
  recording_max_mb?: number;
  recording_retention_days?: number;
  features: Overrides;
  hours_id?: Id;
  fields?: CustomerField[];
}

/** Whether a portal takes requests now, and when that changes. */
export interface OpenState {
  open: boolean;
  /** Unix seconds; null when nothing changes within the server's horizon (or there are no hours). */
  next_change: number | null;
  /** "" when open; `outside_hours` or `holiday:<name>` when closed. */
  reason: string;
  time_zone?: string;
}

/** 0 = Sunday … 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** "HH:MM", local to the portal's time zone; a close time may be "24:00". */
export interface HoursInterval {
  open: string;
  close: string;
}

export interface WeeklyInterval extends HoursInterval {
  day: Weekday;
}

/** A holiday (closed) or a day with its own hours, as a local date YYYY-MM-DD. */
export interface SpecialDay {
  date: string;
  name: string;
  closed: boolean;
  hours: HoursInterval[];
}

export interface BusinessHoursInput {
  name: string;
  weekly: WeeklyInterval[];
  special_days: SpecialDay[];
}

export interface BusinessHours extends BusinessHoursInput {
  id: Id;
}

/** Where an effective value comes from: `default`, `team:<name>`, `technician` or `portal`. */
export type FeatureSource = string;

export interface EffectiveFeatures {
  values: { [F in FeatureFlag]?: boolean } & { max_sessions?: number };
  sources: Partial<Record<FeatureFlag | 'max_sessions', FeatureSource>>;
}

export interface BulkResult {
  line: number;
  status: 'added' | 'rejected';
  reason?: string;
  id?: Id;
}

export interface BulkAnswer {
  added: number;
  rejected: number;
  results: BulkResult[];
}

export interface AuditEntry {
  seq: number;
  time: string | number;
  /** The author's user id (e-mail) and id. */
  actor: string;
  actor_id?: Id;
  /** The author's name as it is now (their user id if they are gone). */
  actor_name?: string;
  action: string;
  target: string;
  /** The changed thing's name (now, or when it was deleted). */
  target_name?: string;
  /** The settings that changed: top-level fields, `features.<flag>`, `texts.<text>`. */
  changes?: string[];
  before?: unknown;
  after?: unknown;
}

/** The kinds of change the audit log can be filtered by (an action's first part). */
export const AUDIT_KINDS = ['account', 'manager', 'technician', 'team', 'portal', 'hours', 'password', 'settings', 'monitor', 'report'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditFilter {
  actor?: string;
  kind?: AuditKind | '';
  /** Local days YYYY-MM-DD in the user's time zone, both included. */
  from?: string;
  to?: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `before` for the next page; null when nothing older is left. */
  next_before: number | null;
}

export interface TechnicianInput {
  email: string;
  first_name: string;
  last_name: string;
  screen_name?: string;
  custom?: string;
  team_id: Id;
  password: string;
  skills?: Skill[];
}

export type TechnicianUpdate = Partial<TechnicianInput> & { features?: OverridesPatch };

export interface ManagerInput {
  email: string;
  first_name: string;
  last_name: string;
  role: Exclude<Role, 'technician'>;
  password: string;
  managed_team_ids?: Id[];
}

export interface SettingsInput {
  email?: string;
  language?: Lang;
  time_zone?: string;
  current_password?: string;
  new_password?: string;
}

let sessionLost: (() => void) | undefined;

/** Called when an authenticated call answers 401: the session expired or was ended elsewhere. */
export function onSessionLost(handler: (() => void) | undefined): void {
  sessionLost = handler;
}

/** A call of the Management Center's REST API (a lost login goes back to the login page). */
export async function call<T>(method: HttpMethod, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  try {
    return await apiRequest<T>(method, BASE + path, { body, signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) sessionLost?.();
    throw error;
  }
}

/** An id as a path segment. */
export const seg = (id: Id) => encodeURIComponent(String(id));

// Authentication (sign-in and sign-out are the same for the console: shared/session.ts)

/** The current session's user, or undefined when there is none (401). */
export const currentUser = (signal?: AbortSignal) => sessionUser<User>(signal);

export const updateSettings = (input: SettingsInput) => call<User>('PUT', '/me/settings', input);

// Forgotten password (no session needed; not through call(): no 401 to expect)

/** Asks for a reset link by e-mail; the server answers the same whether or not the user exists. */
export async function requestPasswordReset(kind: LoginKind, email: string): Promise<void> {
  await apiRequest<unknown>('POST', `${BASE}/auth/password-reset`, { body: { kind, email } });
}

/** Sets a new password with the token from the e-mailed link (400 `invalid_token` when used, expired or unknown). */
export async function confirmPasswordReset(token: string, password: string): Promise<void> {
  await apiRequest<unknown>('POST', `${BASE}/auth/password-reset/confirm`, { body: { token, password } });
}

// The account's own settings (company managers)

/** The largest file a session takes, in MB (docs/sessions.md, "Files"). */
export const FILE_LIMIT_MB = { min: 1, max: 100 } as const;

/**
 * How long closed requests (chat, files, recordings) and events are kept before
 * they are deleted for good, in days (docs/sessions.md, "Retention").
 */
export const RETENTION_DAYS = { min: 1, max: 3650 } as const;
/** How far back reports read the sessions' detail, in days: at most `retention_days` (docs/reports.md). */
export const REPORT_DAYS = { min: 1 } as const;

export interface AccountSettings {
  id: Id;
  name: string;
  file_limit_mb: number;
  retention_days: number;
  report_days: number;
  /**
   * The IANA time zone in which the account's days are closed into the daily
   * roll-ups of monthly reports ("UTC" unless set); reports by day keep using
   * each manager's own zone.
   */
  time_zone: string;
}

export type AccountInput = Partial<
  Pick<AccountSettings, 'file_limit_mb' | 'retention_days' | 'report_days' | 'time_zone'>
>;

/** Every manager may read it (the Reports page learns `report_days` here); only company managers change it. */
export const getAccount = (signal?: AbortSignal) => call<AccountSettings>('GET', '/account', undefined, signal);
export const updateAccount = (input: AccountInput) => call<AccountSettings>('PUT', '/account', input);

// Teams

export const listTeams = (signal?: AbortSignal) =>
  call<{ teams: Team[] }>('GET', '/teams', undefined, signal).then((a) => a.teams);
export const createTeam = (name: string, parentId?: Id) =>
  call<Team>('POST', '/teams', parentId === undefined ? { name } : { name, parent_id: parentId });
export const updateTeam = (id: Id, update: { name?: string; parent_id?: Id | null; features?: OverridesPatch }) =>
  call<Team>('PUT', `/teams/${seg(id)}`, update);
export const deleteTeam = (id: Id) => call<void>('DELETE', `/teams/${seg(id)}`);

// Technicians

export const listTechnicians = (signal?: AbortSignal) =>
  call<{ technicians: User[] }>('GET', '/technicians', undefined, signal).then((a) => a.technicians);
export const createTechnician = (input: TechnicianInput) => call<User>('POST', '/technicians', input);
export const updateTechnician = (id: Id, update: TechnicianUpdate) =>
  call<User>('PUT', `/technicians/${seg(id)}`, update);
export const deleteTechnician = (id: Id) => call<void>('DELETE', `/technicians/${seg(id)}`);
export const moveTechnician = (id: Id, teamId: Id) =>
  call<User>('POST', `/technicians/${seg(id)}/move`, { team_id: teamId });
export const bulkAddTechnicians = (text: string) => call<BulkAnswer>('POST', '/technicians/bulk', { text });

/** Effective values for a technician, on a portal when one is given. */
export function technicianFeatures(id: Id, portalId: Id | undefined, signal?: AbortSignal) {
  const query = portalId === undefined ? '' : `?portal_id=${encodeURIComponent(String(portalId))}`;
  return call<EffectiveFeatures>('GET', `/technicians/${seg(id)}/features${query}`, undefined, signal);
}

// Managers

export const listManagers = (signal?: AbortSignal) =>
  call<{ managers: User[] }>('GET', '/managers', undefined, signal).then((a) => a.managers);
export const createManager = (input: ManagerInput) => call<User>('POST', '/managers', input);
export const deleteManager = (id: Id) => call<void>('DELETE', `/managers/${seg(id)}`);

// Portals

export const listPortals = (signal?: AbortSignal) =>
  call<{ portals: Portal[] }>('GET', '/portals', undefined, signal).then((a) => a.portals);
export const createPortal = (input: PortalInput) => call<Portal>('POST', '/portals', input);
export const updatePortal = (id: Id, input: PortalInput) => call<Portal>('PUT', `/portals/${seg(id)}`, input);
export const deletePortal = (id: Id) => call<void>('DELETE', `/portals/${seg(id)}`);
export const portalOpenState = (id: Id, signal?: AbortSignal) =>
  call<OpenState>('GET', `/portals/${seg(id)}/open-state`, undefined, signal);

// Replay passphrase of a portal (docs/recording.md; company managers)

/** The server's minimum, in characters. */
export const REPLAY_PASSPHRASE_MIN = 10;

/** One key pair of a portal: a passphrase set at `created_ms` (milliseconds). */
export interface ReplayKeyGeneration {
  generation: number;
  created_ms: number;
}

/** The portal's key generations, newest first (none: no passphrase set yet). */
export const listReplayKeys = (portalId: Id, signal?: AbortSignal) =>
  call<{ generations?: ReplayKeyGeneration[] }>('GET', `/portals/${seg(portalId)}/replay-keys`, undefined, signal).then(
    (a) => a.generations ?? [],
  );
export const setReplayPassphrase = (portalId: Id, passphrase: string) =>
  call<ReplayKeyGeneration>('POST', `/portals/${seg(portalId)}/replay-keys`, { passphrase });

// Business hours

export const listBusinessHours = (signal?: AbortSignal) =>
  call<{ business_hours: BusinessHours[] }>('GET', '/business-hours', undefined, signal).then((a) => a.business_hours);
export const createBusinessHours = (input: BusinessHoursInput) => call<BusinessHours>('POST', '/business-hours', input);
export const updateBusinessHours = (id: Id, input: BusinessHoursInput) =>
  call<BusinessHours>('PUT', `/business-hours/${seg(id)}`, input);
export const deleteBusinessHours = (id: Id) => call<void>('DELETE', `/business-hours/${seg(id)}`);

// Audit log

export const AUDIT_PAGE = 100;

export function listAudit(filter: AuditFilter, before: number | undefined, signal?: AbortSignal) {
  const query = new URLSearchParams({ limit: String(AUDIT_PAGE) });
  if (before !== undefined) query.set('before', String(before));
  for (const key of ['actor', 'kind', 'from', 'to'] as const) {
    const value = filter[key];
    if (value) query.set(key, value);
  }
  return call<Partial<AuditPage>>('GET', `/audit?${query}`, undefined, signal).then(
    (a): AuditPage => ({ entries: a.entries ?? [], next_before: a.next_before ?? null }),
  );
}

// Sessions (docs/sessions.md, "Session information for managers")

export const SESSIONS_PAGE = 50;

/** A request as the session list shows it: the console's fields and how it ended. */
export interface SessionRow {
  id: string;
  portal_id: Id;
  portal_name: string;
  portal_type: PortalType | string;
  status: string;
  /** Milliseconds. */
  created_at: number;
  updated_at: number;
  technician_id: Id;
  technician_name: string;
  team_id?: Id;
  note?: string;
  outcome?: string;
  /** `resolved`, `unresolved`, `unknown`; "" while open or when nobody closed it. */
  resolution: string;
  notes: string;
  /** 1..5; 0 when not rated. */
  rating: number;
  comment: string;
  customer: { name?: string; email?: string; company?: string; problem?: string; fields?: Record<string, string> };
  skills?: string[];
  source?: { ip?: string; device?: string; os?: string; browser?: string };
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

function sessionRow(raw: SessionRow): SessionRow {
  return {
    ...raw,
    id: String(raw.id),
    portal_name: text(raw.portal_name),
    status: text(raw.status),
    technician_name: text(raw.technician_name),
    resolution: text(raw.resolution),
    notes: text(raw.notes),
    rating: typeof raw.rating === 'number' ? raw.rating : 0,
    comment: text(raw.comment),
    customer: typeof raw.customer === 'object' && raw.customer !== null ? raw.customer : {},
    source: typeof raw.source === 'object' && raw.source !== null ? raw.source : {},
  };
}

/** The account's requests (team managers: their teams'), newest first, older than `before` when given. */
/** What the session list is narrowed to: ids as strings, days as YYYY-MM-DD in the user's time zone (both included). */
export interface SessionFilter {
  portal_id?: string;
  team_id?: string;
  technician_id?: string;
  from?: string;
  to?: string;
}

export function listSessions(
  before: string | undefined,
  limit = SESSIONS_PAGE,
  signal?: AbortSignal,
  filter: SessionFilter = {},
  /** The manager's time zone: the filter's days are theirs. */
  timeZone?: string,
) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (before !== undefined) query.set('before', before);
  for (const key of ['portal_id', 'team_id', 'technician_id'] as const) {
    const value = filter[key];
    if (value) query.set(key, value);
  }
  // The server takes [from, to) in Unix ms: from the first day's start to the last day's end.
  const zone = knownZone(timeZone);
  const from = dayStart(filter.from, zone);
  const to = filter.to === undefined ? undefined : dayStart(addDays(filter.to, 1), zone);
  if (from !== undefined) query.set('from', String(from));
  if (to !== undefined) query.set('to', String(to));
  return call<{ requests: SessionRow[] }>('GET', `/requests?${query}`, undefined, signal).then((a) =>
    (a.requests ?? []).map(sessionRow),
  );
}

/**
 * One request by its id, undefined when the manager may not see it (or there
 * is none): the list's newest entry up to that id.
 */
export async function getSession(id: string, signal?: AbortSignal): Promise<SessionRow | undefined> {
  if (!/^[1-9][0-9]{0,17}$/.test(id)) return undefined;
  const [first] = await listSessions((BigInt(id) + 1n).toString(), 1, signal);
  return first !== undefined && first.id === id ? first : undefined;
}

export const sessionTranscriptUrl = (id: string) => `${BASE}/requests/${seg(id)}/transcript`;

/** The chat of a request as text (private notes included and marked). */
export function getSessionTranscript(id: string, signal?: AbortSignal): Promise<string> {
  return apiBlob('GET', sessionTranscriptUrl(id), { signal })
    .then((blob) => blob.text())
    .catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 401) sessionLost?.();
      throw error;
    });
}

/**
 * The computer's details the customer's support app sent in the session
 * (docs/remote-control.md, "Diagnostics"), the last report; undefined when it
 * sent none (404 `not_found`).
 */
export async function getSessionDiagnostics(id: string, signal?: AbortSignal): Promise<Diagnostics | undefined> {
  try {
    const got = await call<{ request_id?: string; at?: number; data?: unknown }>(
      'GET',
      `/requests/${seg(id)}/diagnostics`,
      undefined,
      signal,
    );
    if (typeof got.data !== 'object' || got.data === null) return undefined;
    return { data: got.data as DiagnosticsData, at: typeof got.at === 'number' ? got.at : 0 };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

// Recordings (docs/recording.md, "Replay")

/** What is known about a session's recording; only `recorded` when it was not recorded. */
export interface RecordingInfo {
  recorded: boolean;
  /** Milliseconds. */
  started_ms?: number;
  ended_ms?: number;
  bytes?: number;
  /** Stopped at the portal's size limit. */
  truncated?: boolean;
  /** The session is still being recorded. */
  recording?: boolean;
  expires_ms?: number;
  generation?: number;
}

export const getRecording = (id: string, signal?: AbortSignal) =>
  call<RecordingInfo>('GET', `/requests/${seg(id)}/recording`, undefined, signal);

/**
 * The recording decrypted with the passphrase (the replay stream, see
 * replay.ts); 403 `wrong_passphrase`, 404 `no_recording`, 429 `too_many_attempts`.
 * The node sends it in pieces: each names the next in X-Replay-Cursor.
 */
export async function replayRecording(id: string, passphrase: string, signal?: AbortSignal): Promise<Uint8Array> {
  const path = `${BASE}/requests/${seg(id)}/recording/replay`;
  const pieces: Uint8Array[] = [];
  let cursor: string | null = null;
  try {
    do {
      const body: { passphrase?: string; cursor?: string } = cursor === null ? { passphrase } : { cursor };
      const { bytes, headers } = await apiBytes('POST', path, { body, signal });
      pieces.push(bytes);
      cursor = headers.get('X-Replay-Cursor');
    } while (cursor !== null && cursor !== '');
  } catch (error: unknown) {
    if (error instanceof ApiError && error.status === 401) sessionLost?.();
    throw error;
  }
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The recording as a WebM video (VP8, 2 frames a second from its screen
 * frames), made on the node with the passphrase: the whole file. It can take
 * a minute or more. 403 `wrong_passphrase`, 404 `no_recording`, 409
 * `no_screen` (nothing shared: no video), 413 `too_large`, 429
 * `too_many_attempts`, 503 `busy` (another export runs), `export_failed`,
 * `unavailable`.
 */
export async function exportRecording(id: string, passphrase: string, signal?: AbortSignal): Promise<Blob> {
  try {
    const blob = await apiBlob('POST', `${BASE}/requests/${seg(id)}/recording/export`, {
      body: { passphrase },
      signal,
    });
    return blob.type === 'video/webm' ? blob : new Blob([blob], { type: 'video/webm' });
  } catch (error: unknown) {
    if (error instanceof ApiError && error.status === 401) sessionLost?.();
    throw error;
  }
}
