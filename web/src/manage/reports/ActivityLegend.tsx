// The statuses' colours in words, for the technician activity's chart and
// timeline (both draw the statuses in these colours: reports.css).
import { useI18n } from '../../shared/i18n';
import { STATUSES, statusLabel } from './activity';

export function ActivityLegend() {
  const { t } = useI18n();
  return (
    <ul class="activity-legend" aria-label={t('reports.activity.legend')} data-testid="report-activity-legend">
      {STATUSES.map((s) => (
        <li key={s} class="activity-status" data-status={s}>
          {t(statusLabel[s])}
        </li>
      ))}
    </ul>
  );
}
