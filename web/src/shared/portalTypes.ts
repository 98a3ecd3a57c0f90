// The portal types, as every UI names them.
import type { MessageKey } from './i18n';

export const PORTAL_TYPES = ['smartbox', 'smartmatch', 'smartbutton', 'smartpin', 'queue'] as const;

export type PortalType = (typeof PORTAL_TYPES)[number];

export const typeLabel: Record<PortalType, MessageKey> = {
  smartbox: 'portal.type.smartbox',
  smartmatch: 'portal.type.smartmatch',
  smartbutton: 'portal.type.smartbutton',
  smartpin: 'portal.type.smartpin',
  queue: 'portal.type.queue',
};
