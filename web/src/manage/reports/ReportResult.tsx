// A report's result on the Reports page: what it is, the days it covers, when
// it was made, the CSV link, and the report's own view (times in the
// manager's time zone).
import { useI18n } from '../../shared/i18n';
import { formatTime } from '../pages/AuditPage';
import { ActivityReport } from './ActivityReport';
import { CustomerFeedbackReport } from './CustomerFeedbackReport';
import { kindLabel } from './labels';
import { dayText } from './parts';
import type { DaySpan } from './periods';
import { reportCsvUrl, type Report, type ReportKind, type ReportQuery } from './reportsApi';
import { ServiceLevelReport } from './ServiceLevelReport';
import { SessionDetailReport } from './SessionDetailReport';
import { SnapshotReport } from './SnapshotReport';
import { TechnicianPerformanceReport } from './TechnicianPerformanceReport';

/** A report as run: its kind, the days asked for, the query sent and the answer. */
export interface Shown {
  kind: ReportKind;
  days: DaySpan;
  query: ReportQuery;
  report: Report;
}

/** A report's own view (of its kind), without the head: the monthly reports show it under their months. */
export function ReportView({ report, timeZone }: { report: Report; timeZone?: string }) {
  switch (report.report) {
    case 'snapshot':
      return <SnapshotReport report={report} />;
    case 'sessions':
      return <SessionDetailReport report={report} timeZone={timeZone} />;
    case 'technicians':
      return <TechnicianPerformanceReport report={report} />;
    case 'feedback':
      return <CustomerFeedbackReport report={report} timeZone={timeZone} />;
    case 'service_level':
      return <ServiceLevelReport report={report} />;
    case 'activity':
      return <ActivityReport report={report} timeZone={timeZone} />;
  }
}

export function ReportResult({ shown, busy, timeZone }: { shown: Shown; busy: boolean; timeZone?: string }) {
  const { t, lang } = useI18n();
  return (
    <div
      class="report-result"
      data-testid="report-result"
      data-kind={shown.kind}
      data-from={shown.report.from}
      data-to={shown.report.to}
      aria-busy={busy ? true : undefined}
    >
      <div class="report-head">
        <p class="report-meta">
          <strong>{t(kindLabel[shown.kind])}</strong>
          <span data-testid="report-range" data-first-day={shown.days.from} data-last-day={shown.days.to}>
            {t(shown.kind === 'activity' ? 'reports.rangeActivity' : 'reports.range', {
              from: dayText(shown.days.from, lang),
              to: dayText(shown.days.to, lang),
            })}
          </span>
          <span class="muted">
            {t('reports.generated', { time: formatTime(shown.report.generated_at, lang, timeZone) })}
          </span>
        </p>
        <a class="btn" href={reportCsvUrl(shown.kind, shown.query)} download="" data-testid="report-csv">
          {t('reports.csv')}
        </a>
      </div>
      <ReportView report={shown.report} timeZone={timeZone} />
    </div>
  );
}
