// The console's picture of the desk: `console.state` replaces it whole (also
// after every reconnect), the incremental messages change one part.
import type { ServerMessage } from '../shared/socket';
import type {
  Alert,
  Collaborator,
  ConnectionCode,
  ConsoleState,
  Invite,
  InviteWithdrawReason,
  RequestInvite,
  SupportRequest,
  WithdrawReason,
} from './api';

const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/** console.state as sent, with missing lists read as empty. */
export function fromHello(message: ServerMessage): ConsoleState | undefined {
  const me = message.me as ConsoleState['me'] | undefined;
  if (typeof me !== 'object' || me === null) return undefined;
  const settings = message.settings as Partial<ConsoleState['settings']> | undefined;
  return {
    me,
    portals: list(message.portals),
    technicians: list(message.technicians),
    teams: list(message.teams),
    requests: list<SupportRequest>(message.requests).map(normalRequest),
    alerts: list<Alert>(message.alerts).map((a) => ({ ...a, request_id: String(a.request_id) })),
    codes: list(message.codes),
    invites: list<Invite>(message.invites).map(normalInvite),
    settings: { code_ttl_s: typeof settings?.code_ttl_s === 'number' ? settings.code_ttl_s : 1200 },
  };
}

/** A request with every part present, ids as strings. */
function normalRequest(r: SupportRequest): SupportRequest {
  return {
    ...r,
    id: String(r.id),
    customer: {
      name: r.customer?.name ?? '',
      email: r.customer?.email ?? '',
      company: r.customer?.company ?? '',
      problem: r.customer?.problem ?? '',
      fields: r.customer?.fields ?? {},
    },
    skills: r.skills ?? [],
    source: {
      ip: r.source?.ip ?? '',
      device: r.source?.device ?? '',
      os: r.source?.os ?? '',
      browser: r.source?.browser ?? '',
    },
    technician_name: r.technician_name ?? '',
    note: r.note ?? '',
    outcome: r.outcome ?? '',
    resolution: typeof r.resolution === 'string' ? r.resolution : '',
    notes: typeof r.notes === 'string' ? r.notes : '',
    rating: typeof r.rating === 'number' ? r.rating : 0,
    comment: typeof r.comment === 'string' ? r.comment : '',
    position: typeof r.position === 'number' ? r.position : 0,
    collaborators: list<Collaborator>(r.collaborators),
    invites: list<RequestInvite>(r.invites),
  };
}

/** An invitation with its request id as a string and every text present. */
function normalInvite(i: Invite): Invite {
  return {
    ...i,
    request_id: String(i.request_id),
    from: i.from ?? '',
    customer_name: i.customer_name ?? '',
    problem: i.problem ?? '',
    hidden: i.hidden === true,
    rights: i.rights === 'full' ? 'full' : 'view',
  };
}

const sameInvite = (a: { request_id: string; invite_id: unknown }, b: { request_id: string; invite_id: unknown }) =>
  a.request_id === b.request_id && String(a.invite_id) === String(b.invite_id);

export interface InviteWithdrawal {
  request_id: string;
  invite_id: string;
  reason: InviteWithdrawReason | string;
}

export interface Withdrawal {
  request_id: string;
  reason: WithdrawReason | string;
}

/**
 * The state after one incremental message (undefined when it is not one of
 * them); `withdrawn` reports an alert that went away.
 */
export function apply(
  state: ConsoleState,
  message: ServerMessage,
): {
  state: ConsoleState;
  withdrawn?: Withdrawal;
  alert?: Alert;
  invite?: Invite;
  inviteWithdrawn?: InviteWithdrawal;
  /** A manager set this technician offline (docs/dashboards.md). */
  forcedOffline?: boolean;
} | undefined {
  switch (message.type) {
    case 'request.updated': {
      const raw = message.request as SupportRequest | undefined;
      if (!raw || raw.id === undefined) return { state };
      const request = normalRequest(raw);
      const others = state.requests.filter((r) => r.id !== request.id);
      return { state: { ...state, requests: [...others, request] } };
    }
    case 'alert': {
      const alert = message.alert as Alert | undefined;
      if (!alert || alert.request_id === undefined) return { state };
      const normal = { ...alert, request_id: String(alert.request_id) };
      const others = state.alerts.filter((a) => a.request_id !== normal.request_id);
      return { state: { ...state, alerts: [...others, normal] }, alert: normal };
    }
    case 'alert.withdrawn': {
      const id = String(message.request_id ?? '');
      const reason = typeof message.reason === 'string' ? message.reason : '';
      return {
        state: { ...state, alerts: state.alerts.filter((a) => a.request_id !== id) },
        withdrawn: { request_id: id, reason },
      };
    }
    case 'invite': {
      const raw = message.invite as Invite | undefined;
      if (!raw || raw.request_id === undefined || raw.invite_id === undefined) return { state };
      const invite = normalInvite(raw);
      const others = state.invites.filter((i) => !sameInvite(i, invite));
      return { state: { ...state, invites: [...others, invite] }, invite };
    }
    case 'invite.withdrawn': {
      const gone = {
        request_id: String(message.request_id ?? ''),
        invite_id: String(message.invite_id ?? ''),
        reason: typeof message.reason === 'string' ? message.reason : '',
      };
      return {
        state: { ...state, invites: state.invites.filter((i) => !sameInvite(i, gone)) },
        inviteWithdrawn: gone,
      };
    }
    case 'me': {
      const me = message.me as ConsoleState['me'] | undefined;
      return { state: me ? { ...state, me: { ...state.me, ...me } } : state };
    }
    case 'presence.forced':
      return { state, forcedOffline: true };
    case 'technicians':
      return { state: { ...state, technicians: list(message.technicians) } };
    case 'codes':
      return { state: { ...state, codes: list<ConnectionCode>(message.codes) } };
    default:
      return undefined;
  }
}

/** Without the alert for this request (after accepting or declining it here). */
export function withoutAlert(state: ConsoleState, requestId: string): ConsoleState {
  return { ...state, alerts: state.alerts.filter((a) => a.request_id !== requestId) };
}

/** Without this invitation (after accepting or declining it here). */
export function withoutInvite(state: ConsoleState, invite: Invite): ConsoleState {
  return { ...state, invites: state.invites.filter((i) => !sameInvite(i, invite)) };
}
