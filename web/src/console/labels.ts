import type { MessageKey } from '../shared/i18n';
import { PORTAL_TYPES } from '../shared/portalTypes';
import type { ConnectionState } from '../shared/socket';
import type { Presence, RequestStatus } from './api';

export { typeLabel } from '../shared/portalTypes';

export const presenceLabel: Record<Presence, MessageKey> = {
  available: 'console.presence.available',
  busy: 'console.presence.busy',
  away: 'console.presence.away',
  offline: 'console.presence.offline',
};

export const statusLabel: Record<RequestStatus, MessageKey> = {
  waiting: 'console.status.waiting',
  assigned: 'console.status.assigned',
  active: 'console.status.active',
  closed: 'console.status.closed',
  abandoned: 'console.status.abandoned',
};

export const connectionLabel: Record<ConnectionState, MessageKey> = {
  connecting: 'console.connection.connecting',
  open: 'console.connection.open',
  reconnecting: 'console.connection.reconnecting',
  stopped: 'console.connection.stopped',
};

/** The CSS class that colours a portal type (unknown types get the neutral one). */
export const typeClass = (type: string) =>
  `ptype ptype-${(PORTAL_TYPES as readonly string[]).includes(type) ? type : 'other'}`;

export const label = <K extends string>(labels: Record<K, MessageKey>, value: string): MessageKey | undefined =>
  (labels as Record<string, MessageKey>)[value];
