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
