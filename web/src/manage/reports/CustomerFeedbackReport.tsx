// The customer feedback (docs/reports.md, "Customer feedback"): the survey of
// the requests created in the range (as the snapshot shows it), then the rated
// sessions, oldest first, with when each closed in the manager's time zone and
// the customer's comment as plain text.
import { useI18n } from '../../shared/i18n';
import { formatTime } from '../pages/AuditPage';
import { orDash, Section, Table } from './parts';
import { MAX_SESSION_ROWS, type FeedbackReport, type SessionDetailRow } from './reportsApi';
import { SurveySummary } from './SurveySummary';

/** The rating as text ("4 of 5"), named in full for assistive technology ("4 of 5 stars"). */
function Rating({ rating }: { rating: number }) {
  const { t } = useI18n();
  const n = Math.max(0, Math.min(5, Math.round(rating)));
  const full = t('reports.feedback.stars', { n });
  return (
    <span role="img" aria-label={full} title={full} data-testid="report-feedback-rating">
      {t('rating.value', { n })}
    </span>
  );
}

function FeedbackRow({ row, timeZone }: { row: SessionDetailRow; timeZone?: string }) {
  const { lang } = useI18n();
  return (
    <tr
      data-testid="report-feedback-row"
      data-request-id={row.request_id}
      data-closed-ms={row.closed_ms ?? ''}
      data-rating={row.rating}
    >
      <th scope="row" class="num">
        #{row.request_id}
      </th>
      <td class="nowrap" data-testid="report-feedback-closed">
        {row.closed_ms === null ? orDash('') : formatTime(row.closed_ms, lang, timeZone)}
      </td>
      <td>{orDash(row.portal)}</td>
      <td data-testid="report-feedback-technician">{orDash(row.technician)}</td>
      <td data-testid="report-feedback-customer">{orDash(row.customer)}</td>
      <td class="nowrap">
        <Rating rating={row.rating} />
      </td>
      {/* A text child: Preact escapes it, so a comment's markup shows as typed. */}
      <td class="report-comment" data-testid="report-feedback-comment">
        {orDash(row.comment)}
      </td>
    </tr>
  );
}

export function CustomerFeedbackReport({ report, timeZone }: { report: FeedbackReport; timeZone?: string }) {
  const { t, lang } = useI18n();
  const { rows } = report;
  return (
    <div class="report" data-testid="report-feedback" data-truncated={String(report.truncated)}>
      <SurveySummary survey={report.survey} />
      {/* Without rated sessions the survey above already says so. */}
      {rows.length > 0 && (
        <Section id="report-feedback-title" title={t('reports.feedback.title')}>
          {report.truncated && (
            <p class="report-warning" role="status" data-testid="report-truncated">
              {t('reports.feedback.truncated', { max: MAX_SESSION_ROWS.toLocaleString(lang) })}
            </p>
          )}
          <Table
            caption={t('reports.feedback.caption')}
            testid="report-feedback-sessions"
            columns={[
              { label: t('reports.col.request'), num: true },
              { label: t('reports.col.closed') },
              { label: t('sessions.col.portal') },
              { label: t('sessions.col.technician') },
              { label: t('sessions.col.customer') },
              { label: t('sessions.col.rating') },
              { label: t('reports.col.comment') },
            ]}
          >
            {rows.map((r) => (
              <FeedbackRow key={r.request_id} row={r} timeZone={timeZone} />
            ))}
          </Table>
        </Section>
      )}
    </div>
  );
}
