// The technician console's view of the server: its session over HTTP
// (shared/session.ts, docs/api.md) and the console messages of the WebSocket (docs/intake.md).
import { apiRequest, sameId, type Id } from '../shared/api';
import type { FileSent } from '../shared/files';
import type { Lang } from '../shared/i18n';
import type { PortalType } from '../shared/portalTypes';
import { currentUser as sessionUser } from '../shared/session';

export { sameId, type Id } from '../shared/api';
export type { PortalType } from '../shared/portalTypes';
export { logout } from '../shared/session';

export interface User {
  id: Id;
  kind: 'manager' | 'technician';
  email: string;
  first_name: string;
  last_name: string;
  screen_name?: string;
  language?: Lang;
}

/** The signed-in user, or undefined without a session (401). */
export const currentUser = (signal?: AbortSignal) => sessionUser<User>(signal);

/** Sends a file into a request's chat (docs/sessions.md, "Files"): the raw bytes; login cookie and CSRF token. */
export const sendFile = (requestId: string, file: File) =>
  apiRequest<FileSent>(
    'POST',
    `/api/v1/requests/${encodeURIComponent(requestId)}/files?name=${encodeURIComponent(file.name)}`,
    { raw: file },
  );

// WebSocket: console messages

export type Presence = 'available' | 'busy' | 'away' | 'offline';
export const PRESENCES: readonly Presence[] = ['available', 'busy', 'away', 'offline'];

export type RequestStatus = 'waiting' | 'assigned' | 'active' | 'closed' | 'abandoned';

export interface Me {
  id: Id;
  name: string;
  status: Presence;
  max_sessions: number;
  active_sessions: number;
  /** How many portals send requests to this technician (0: no customer reaches them). */
  portals?: number;
}

export interface PortalRef {
  id: Id;
  name: string;
  type: PortalType;
  mode: 'web' | 'phone' | 'queue';
}

export interface Colleague {
  id: Id;
  name: string;
  team_id: Id;
  status: Presence;
}

export interface TeamRef {
  id: Id;
  name: string;
}

export interface SupportRequest {
  id: string;
  portal_id: Id;
  portal_name: string;
  portal_type: PortalType;
  status: RequestStatus;
  /** Milliseconds. */
  created_at: number;
  updated_at: number;
  /** 0 when nobody has it. */
  technician_id: Id;
  technician_name: string;
  team_id: Id;
  position: number;
  note: string;
  outcome: string;
  /** How the technician closed it: `resolved`, `unresolved`, `unknown`; "" while open. */
  resolution: string;
  /** The technician's closing notes. */
  notes: string;
  /** The customer's rating 1..5; 0 when not rated. */
  rating: number;
  /** The customer's comment with the rating. */
  comment: string;
  customer: {
    name: string;
    email: string;
    company: string;
    problem: string;
    fields: Record<string, string>;
  };
  skills: string[];
  source: { ip: string; device: string; os: string; browser: string };
  /** Colleagues in the session (docs/sessions.md, "Collaboration"), in the order they joined. */
  collaborators: Collaborator[];
  /** Invitations not answered yet. */
  invites: RequestInvite[];
  /** Nobody answered in time: the customer is offered to wait or leave an e-mail (docs/intake.md). */
  no_answer?: boolean;
  /** The customer asked to be contacted at this e-mail address instead of waiting. */
  contact_email?: string | null;
}

/** What a colleague in a session may do: watch and read, or also write and act. */
export type Rights = 'view' | 'full';

/** A colleague in a session. */
export interface Collaborator {
  technician_id: Id;
  name: string;
  /** Milliseconds. */
  since: number;
  /** The customer sees nothing of them. */
  hidden: boolean;
  rights: Rights;
}

/** An open invitation of a request (as the request view lists it). */
export interface RequestInvite {
  invite_id: Id;
  /** 0 for "anyone on this portal". */
  to: Id;
  to_name: string;
  anyone: boolean;
  hidden: boolean;
  rights: Rights;
  /** Milliseconds. */
  created_at: number;
}

/** An invitation into a session sent to this technician. */
export interface Invite {
  request_id: string;
  invite_id: Id;
  /** Who invites (the session's technician). */
  from: string;
  to: Id;
  anyone: boolean;
  hidden: boolean;
  rights: Rights;
  customer_name: string;
  problem: string;
  /** Milliseconds. */
  created_at: number;
}

export type InviteWithdrawReason = 'accepted' | 'taken' | 'declined' | 'ended';

export interface Alert {
  request_id: string;
  portal_id: Id;
  portal_name: string;
  portal_type: PortalType;
  customer_name: string;
  problem: string;
  /** Milliseconds. */
  expires_at: number;
}

export interface ConnectionCode {
  code: string;
  portal_id: Id;
  /** Milliseconds. */
  expires_at: number;
}

export interface ConsoleState {
  me: Me;
  portals: PortalRef[];
  technicians: Colleague[];
  teams: TeamRef[];
  requests: SupportRequest[];
  alerts: Alert[];
  codes: ConnectionCode[];
  /** Invitations into colleagues' sessions waiting for an answer. */
  invites: Invite[];
  settings: { code_ttl_s: number };
}

export type WithdrawReason = 'accepted' | 'taken' | 'cancelled' | 'timeout' | 'declined';

/** Open: not closed and not abandoned. */
export const isOpen = (r: SupportRequest) => r.status !== 'closed' && r.status !== 'abandoned';

/** Has a technician: 0, "0", "" and null all mean nobody. */
export function hasTechnician(r: SupportRequest): boolean {
  const id = r.technician_id === null || r.technician_id === undefined ? '' : String(r.technician_id);
  return id !== '' && id !== '0';
}

/** My place in the request's session as a colleague, if I am one. */
export const collaboratorOf = (r: SupportRequest, me: Id): Collaborator | undefined =>
  r.collaborators.find((c) => sameId(c.technician_id, me));

/** The request is mine (I am its technician). */
export const isOwner = (r: SupportRequest, me: Id) => hasTechnician(r) && sameId(r.technician_id, me);

/** The colleague who takes the session over when its technician leaves: the one present longest. */
export function nextOwner(r: SupportRequest): Collaborator | undefined {
  let first: Collaborator | undefined;
  for (const c of r.collaborators) if (!first || c.since < first.since) first = c;
  return first;
}
