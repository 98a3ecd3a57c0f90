import type { MessageKey } from '../shared/i18n';
import type { ConnectionState } from '../shared/socket';
import type { PortalType, Presence, RequestStatus } from './api';

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

export const typeLabel: Record<PortalType, MessageKey> = {
  smartbox: 'portal.type.smartbox',
  smartmatch: 'portal.type.smartmatch',
  smartbutton: 'portal.type.smartbutton',
  smartpin: 'portal.type.smartpin',
  queue: 'portal.type.queue',
};

export const connectionLabel: Record<ConnectionState, MessageKey> = {
  connecting: 'console.connection.connecting',
  open: 'console.connection.open',
  reconnecting: 'console.connection.reconnecting',
  stopped: 'console.connection.stopped',
};

/** The CSS class that colours a portal type (unknown types get the neutral one). */
export const typeClass = (type: string) =>
  `ptype ptype-${['smartbox', 'smartmatch', 'smartbutton', 'smartpin', 'queue'].includes(type) ? type : 'other'}`;

export const label = <K extends string>(labels: Record<K, MessageKey>, value: string): MessageKey | undefined =>
  (labels as Record<string, MessageKey>)[value];
