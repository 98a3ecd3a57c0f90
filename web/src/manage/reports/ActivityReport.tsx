// The technician activity (docs/reports.md, "Technician activity"): each
// technician's time available, busy, away and offline in the range with their
// status changes, as a table and a stacked bar chart (the same times), then
// per day of the manager's time zone, then one technician's timeline.
import { useI18n } from '../../shared/i18n';
import { knownZone } from '../days';
import { ActivityChart } from './ActivityChart';
import { ActivityDays } from './ActivityDays';
import { ActivityLegend } from './ActivityLegend';
import { ActivityTechnicians } from './ActivityTechnicians';
import { ActivityTimeline } from './ActivityTimeline';
import { Section } from './parts';
import type { ActivityReport as Report } from './reportsApi';

export function ActivityReport({ report, timeZone }: { report: Report; timeZone?: string }) {
  const { t } = useI18n();
  const { technicians } = report;
  // The days are those of the report's zone; the times are shown in it too.
  const zone = knownZone(report.time_zone) ?? timeZone;
  return (
    <div
      class="report"
      data-testid="report-activity"
      data-time-zone={report.time_zone}
      data-generated-at={report.generated_at}
    >
      <Section id="report-activity-title" title={t('reports.activity.title')}>
        <p class="muted">{t('reports.activity.intro')}</p>
        {technicians.length === 0 ? (
          <p class="muted" data-testid="report-activity-empty">
            {t('reports.activity.none')}
          </p>
        ) : (
          <>
            <ActivityTechnicians technicians={technicians} />
            <div class="activity-chart">
              <ActivityChart technicians={technicians} />
              <ActivityLegend />
            </div>
          </>
        )}
      </Section>
      <ActivityDays days={report.days} timeZone={report.time_zone} />
      <ActivityTimeline report={report} timeZone={zone} />
    </div>
  );
}
