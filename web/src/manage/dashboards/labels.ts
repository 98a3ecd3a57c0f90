// The words and times of the dashboards: what a monitor shows, and when it stops.
import { localeFor } from '../../shared/format';
import type { Lang, MessageKey } from '../../shared/i18n';
import { MONITOR_KINDS, type MonitorKind } from './monitorsApi';

export const kindLabel: Record<MonitorKind, MessageKey> = {
  technicians: 'dashboards.kind.technicians',
  waiting: 'dashboards.kind.waiting',
  active: 'dashboards.kind.active',
  managers: 'dashboards.kind.managers',
  service_level: 'dashboards.kind.service_level',
};

export const isMonitorKind = (kind: string): kind is MonitorKind => MONITOR_KINDS.some((k) => k === kind);

/** A moment (Unix ms) as date and time in the manager's time zone (the browser's when none is set). */
export function formatMoment(ms: number, lang: Lang, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat(localeFor(lang), { ...options, timeZone: timeZone || undefined }).format(ms);
  } catch {
    return new Intl.DateTimeFormat(localeFor(lang), options).format(ms);
  }
}
