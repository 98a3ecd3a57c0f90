// The session detail (docs/reports.md, "Session detail"): one row per request
// created in the range, oldest first, times in the manager's time zone, and a
// chart of each session's wait (x: when the request was created, y: the wait
// in minutes; requests nobody joined have no point). The table carries the
// same numbers.
import { useMemo } from 'preact/hooks';
import uPlot from 'uplot';
import { localeFor } from '../../shared/format';
import { useI18n, isMessageKey, type Translate } from '../../shared/i18n';
import { RatingStars, resolutionText } from '../../shared/session_end';
import { formatTime } from '../pages/AuditPage';
import { Chart, type ChartTheme, type ChartOptions } from './Chart';
import { attr, duration, orDash, Section, Table } from './parts';
import { MAX_SESSION_ROWS, type SessionsReport } from './reportsApi';

function outcomeText(t: Translate, outcome: string): string {
  const key = `reports.outcome.${outcome}`;
  return isMessageKey(key) ? t(key) : outcome;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

function WaitChart({ report, timeZone }: { report: SessionsReport; timeZone?: string }) {
  const { t, lang } = useI18n();
  const data = useMemo<uPlot.AlignedData>(
    () => [
      report.rows.map((r) => r.created_ms),
      report.rows.map((r) => (r.wait_ms === null ? null : Math.round((r.wait_ms / MINUTE_MS) * 100) / 100)),
    ],
    [report],
  );
  const axis = t('reports.axis.waitMinutes');
  const created = t('reports.axis.created');
  const series = t('reports.series.wait');
  const options = useMemo(() => {
    const times = report.rows.map((r) => r.created_ms);
    const span = times.length > 0 ? Math.max(...times) - Math.min(...times) : 0;
    // The ticks' labels in the page's language and the manager's time zone: the time within a day, else with the day.
    const ticks = new Intl.DateTimeFormat(
      localeFor(lang),
      span > 6 * DAY_MS
        ? { timeZone, day: 'numeric', month: 'short' }
        : span > HOUR_MS * 20
          ? { timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }
          : { timeZone, hour: '2-digit', minute: '2-digit' },
    );
    return (c: ChartTheme): ChartOptions => ({
      // The x values are Unix ms, their ticks placed in the manager's time zone.
      ms: 1,
      tzDate: timeZone ? (ms) => uPlot.tzDate(new Date(ms), timeZone) : (ms) => new Date(ms),
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: {
          time: true,
          // At least an hour, so that the ticks are times of day (and one request has room).
          range: (_u, min, max) => {
            if (max - min >= HOUR_MS) return [min, max];
            const middle = (min + max) / 2;
            return [middle - HOUR_MS / 2, middle + HOUR_MS / 2];
          },
        },
        y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] },
      },
      axes: [
        {
          stroke: c.text,
          label: created,
          space: 90,
          grid: { stroke: c.grid, width: 1 },
          ticks: { stroke: c.grid, width: 1 },
          values: (_u, splits) => splits.map((ms) => ticks.format(new Date(ms))),
        },
        { stroke: c.muted, label: axis, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 } },
      ],
      series: [
        {},
        {
          label: series,
          stroke: c.accent,
          width: 1,
          paths: () => null,
          points: { show: true, size: 8, stroke: c.accent, fill: c.accent },
        },
      ],
    });
  }, [report, timeZone, lang, axis, created, series]);
  return (
    <Chart
      name="waits"
      options={options}
      data={data}
      height={240}
      label={t('reports.chart.waits', { n: report.rows.filter((r) => r.wait_ms !== null).length })}
    />
  );
}

export function SessionDetailReport({ report, timeZone }: { report: SessionsReport; timeZone?: string }) {
  const { t, lang } = useI18n();
  const { rows } = report;
  const waited = rows.some((r) => r.wait_ms !== null);
  return (
    <div class="report" data-testid="report-session-detail" data-truncated={String(report.truncated)}>
      <Section id="report-sessions-title" title={t('reports.sessions.title')}>
        {report.truncated && (
          <p class="report-warning" role="status" data-testid="report-truncated">
            {t('reports.sessions.truncated', { max: MAX_SESSION_ROWS.toLocaleString(lang) })}
          </p>
        )}
        {rows.length === 0 ? (
          <p class="muted" data-testid="report-empty">
            {t('reports.none')}
          </p>
        ) : (
          <>
            {waited && <WaitChart report={report} timeZone={timeZone} />}
            <Table
              caption={t('reports.sessions.caption')}
              testid="report-sessions"
              columns={[
                { label: t('reports.col.request'), num: true },
                { label: t('sessions.col.created') },
                { label: t('sessions.col.portal') },
                { label: t('sessions.col.technician') },
                { label: t('sessions.col.customer') },
                { label: t('reports.col.outcome') },
                { label: t('sessions.col.resolution') },
                { label: t('reports.col.wait'), num: true },
                { label: t('reports.col.handle'), num: true },
                { label: t('sessions.col.rating') },
                { label: t('reports.col.comment') },
              ]}
            >
              {rows.map((r) => (
                <tr
                  key={r.request_id}
                  data-testid="report-session"
                  data-request-id={r.request_id}
                  data-created-ms={r.created_ms}
                  data-outcome={r.outcome}
                  data-wait-ms={attr(r.wait_ms)}
                  data-handle-ms={attr(r.handle_ms)}
                  data-rating={r.rating}
                >
                  <th scope="row" class="num">
                    #{r.request_id}
                  </th>
                  <td class="nowrap">{formatTime(r.created_ms, lang, timeZone)}</td>
                  <td>{orDash(r.portal)}</td>
                  <td data-testid="report-session-technician">{orDash(r.technician)}</td>
                  <td data-testid="report-session-customer">{orDash(r.customer)}</td>
                  <td data-testid="report-session-outcome">{outcomeText(t, r.outcome)}</td>
                  <td>{orDash(resolutionText(t, r.resolution))}</td>
                  <td class="num nowrap">{duration(r.wait_ms)}</td>
                  <td class="num nowrap">{duration(r.handle_ms)}</td>
                  <td class="nowrap">
                    {r.rating > 0 ? <RatingStars rating={r.rating} /> : <span class="muted">—</span>}
                  </td>
                  <td class="report-comment">{orDash(r.comment)}</td>
                </tr>
              ))}
            </Table>
          </>
        )}
      </Section>
    </div>
  );
}
