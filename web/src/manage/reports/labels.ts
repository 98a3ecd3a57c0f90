// The words of the Reports page: the reports' and periods' names, and a saved
// report's kind (with the service level's target), period, narrowing and
// e-mail delivery as the list "My reports" says them.
import type { Lang, MessageKey, Translate } from '../../shared/i18n';
import type { ScopeChoices } from '../pages/SessionFilters';
import { clockText } from './delivery';
import { dayText, duration } from './parts';
import type { Period } from './periods';
import type { ReportKind } from './reportsApi';
import type { SavedReport, Schedule } from './savedReportsApi';

export const kindLabel: Record<ReportKind, MessageKey> = {
  snapshot: 'reports.kind.snapshot',
  sessions: 'reports.kind.sessions',
  technicians: 'reports.kind.technicians',
  feedback: 'reports.kind.feedback',
  service_level: 'reports.kind.service_level',
  activity: 'reports.kind.activity',
};

/** The report's name; the service level's with its target wait ("Service level, target 2 min"). */
export function kindText(t: Translate, report: Pick<SavedReport, 'kind' | 'target_s'>): string {
  const kind = t(kindLabel[report.kind]);
  if (report.kind !== 'service_level') return kind;
  return t('reports.saved.withTarget', { kind, target: duration(report.target_s * 1000) });
}

export const periodLabel: Record<Period, MessageKey> = {
  today: 'reports.period.today',
  yesterday: 'reports.period.yesterday',
  last_7_days: 'reports.period.last_7_days',
  last_30_days: 'reports.period.last_30_days',
  this_month: 'reports.period.this_month',
  last_month: 'reports.period.last_month',
  days: 'reports.period.days',
};

/** "Last 7 days", or the days chosen ("1 Dec 2026 to 4 Dec 2026"). */
export function periodText(t: Translate, lang: Lang, report: Pick<SavedReport, 'period' | 'from' | 'to'>): string {
  if (report.period !== 'days') return t(periodLabel[report.period]);
  return t('reports.period.between', { from: dayText(report.from, lang), to: dayText(report.to, lang) });
}

/**
 * What a saved report is narrowed to ("Team Support EU, technician Anna
 * Berger"), "" for nothing; a portal, team or technician this manager cannot
 * list shows by its id.
 */
export function narrowText(
  t: Translate,
  report: Pick<SavedReport, 'portal_id' | 'team_id' | 'technician_id'>,
  choices: ScopeChoices,
): string {
  const nameOf = (list: { id: string; name: string }[], id: string) => list.find((c) => c.id === id)?.name ?? `#${id}`;
  const parts: string[] = [];
  if (report.portal_id) parts.push(t('reports.narrow.portal', { name: nameOf(choices.portals, report.portal_id) }));
  if (report.team_id) parts.push(t('reports.narrow.team', { name: nameOf(choices.teams, report.team_id) }));
  if (report.technician_id)
    parts.push(t('reports.narrow.technician', { name: nameOf(choices.technicians, report.technician_id) }));
  return parts.join(', ');
}

const deliveryWhen: Record<Exclude<Schedule, ''>, MessageKey> = {
  daily: 'reports.delivery.when.daily',
  weekly: 'reports.delivery.when.weekly',
  monthly: 'reports.delivery.when.monthly',
};

/** When and to whom a saved report is e-mailed ("Mondays at 07:30 to ops@example.com"), "" for never. */
export function deliveryText(t: Translate, report: Pick<SavedReport, 'schedule' | 'send_at' | 'email'>): string {
  if (report.schedule === '') return '';
  const when = t(deliveryWhen[report.schedule], { time: clockText(report.send_at) });
  if (report.email === '') return t('reports.delivery.toYou', { when });
  return t('reports.delivery.to', { when, email: report.email });
}
