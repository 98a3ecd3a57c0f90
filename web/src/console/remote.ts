// What the console knows per request about the customer's support app
// (docs/remote-control.md): whether it is connected and what this technician
// may do with it (app.state), who controls the customer's mouse and keyboard
// (control.state), the computer's details (diagnostics) and whether the
// technician's own screen is shown to the customer (screen.presenting).
import type { Diagnostics, DiagnosticsData } from '../shared/Diagnostics';
import type { ServerMessage } from '../shared/socket';
import { sameId, type Id } from './api';

export interface AppState {
  connected: boolean;
  may_control: boolean;
  may_diagnose: boolean;
}

export interface ControlState {
  controlling: boolean;
  /** The screen name of the technician in control (or who asked last). */
  technician: string;
  /** This technician controls. */
  mine: boolean;
}

export interface RemoteState {
  app?: AppState;
  control?: ControlState;
  /** control.request was acknowledged; the customer has not answered yet. */
  asked?: boolean;
  /** When the customer declined control last (cleared by asking again). */
  declinedAt?: number;
  diagnostics?: Diagnostics;
  /** A technician of the session shows their screen to the customer. */
  presenting?: { sharing: boolean; technician: string };
}

const requestIdOf = (m: ServerMessage) => (m.request_id === undefined ? undefined : String(m.request_id));

/**
 * The change one message makes to the request's remote state ({requestId,
 * change, declined}); undefined when it is not one of these messages.
 * `isMine(requestId)` tells whether this technician is the one granted control
 * when the message does not say by id.
 */
export function remoteChange(
  message: ServerMessage,
  me: Id | undefined,
  isMine: (requestId: string) => boolean,
): { requestId: string; change: Partial<RemoteState>; declined?: boolean } | undefined {
  const requestId = requestIdOf(message);
  switch (message.type) {
    case 'app.state': {
      if (requestId === undefined) return undefined;
      const app: AppState = {
        connected: message.connected === true,
        may_control: message.may_control === true,
        may_diagnose: message.may_diagnose === true,
      };
      // Without the app nobody controls any more.
      return { requestId, change: app.connected ? { app } : { app, control: undefined, asked: false } };
    }
    case 'control.state': {
      if (requestId === undefined) return undefined;
      const controlling = message.controlling === true;
      const technician = typeof message.technician === 'string' ? message.technician : '';
      const byId = message.technician_id;
      const mine =
        controlling &&
        (byId !== undefined && byId !== null && me !== undefined ? sameId(byId as Id, me) : isMine(requestId));
      const declined = !controlling && message.declined === true;
      return {
        requestId,
        change: { control: { controlling, technician, mine }, asked: false, declinedAt: declined ? Date.now() : undefined },
        declined,
      };
    }
    case 'diagnostics': {
      if (requestId === undefined || typeof message.data !== 'object' || message.data === null) return undefined;
      const at = typeof message.at === 'number' ? message.at : Date.now();
      return { requestId, change: { diagnostics: { data: message.data as DiagnosticsData, at } } };
    }
    case 'screen.presenting': {
      if (requestId === undefined) return undefined;
      const technician = typeof message.technician === 'string' ? message.technician : '';
      return { requestId, change: { presenting: { sharing: message.sharing === true, technician } } };
    }
    default:
      return undefined;
  }
}
