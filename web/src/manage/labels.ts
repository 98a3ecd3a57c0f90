import type { MessageKey } from '../shared/i18n';
import type { PortalMode, Role } from './api';

export { typeLabel } from '../shared/portalTypes';

export const roleLabel: Record<Role, MessageKey> = {
  company_manager: 'role.company_manager',
  team_manager: 'role.team_manager',
  api_manager: 'role.api_manager',
  technician: 'role.technician',
};

export const modeLabel: Record<PortalMode, MessageKey> = {
  web: 'portal.mode.web',
  phone: 'portal.mode.phone',
  queue: 'portal.mode.queue',
};

/** A request's status, in the console's words. */
export const requestStatusLabel: Record<string, MessageKey> = {
  waiting: 'console.status.waiting',
  assigned: 'console.status.assigned',
  active: 'console.status.active',
  closed: 'console.status.closed',
  abandoned: 'console.status.abandoned',
};

/** How a request came from (the console's device names). */
export const deviceLabel: Record<string, MessageKey> = {
  desktop: 'console.device.desktop',
  mobile: 'console.device.mobile',
  tablet: 'console.device.tablet',
};
