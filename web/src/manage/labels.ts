import type { MessageKey } from '../shared/i18n';
import type { PortalMode, PortalType, Role } from './api';

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

export const typeLabel: Record<PortalType, MessageKey> = {
  smartbox: 'portal.type.smartbox',
  smartmatch: 'portal.type.smartmatch',
  smartbutton: 'portal.type.smartbutton',
  smartpin: 'portal.type.smartpin',
  queue: 'portal.type.queue',
};
