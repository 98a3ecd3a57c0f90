// A monthly report's result (docs/reports.md, "Monthly reports"): what it is,
// its months, when it was made, the CSV link, the time zone the days are cut
// in with the last day rolled up, the months table with a bar chart of the
// submitted and answered requests per month, then the kind's own view as the
// reports over days show it (snapshot summary, technician performance or
// service level).
import { useMemo } from 'preact/hooks';
import uPlot from 'uplot';
import { localeFor } from '../../shared/format';
import { useI18n, type Lang, type MessageKey } from '../../shared/i18n';
import { formatTime } from '../pages/AuditPage';
import { Chart, COUNT_STEPS, categoryLayout, type ChartOptions, type ChartTheme } from './Chart';
import { kindLabel } from './labels';
import { monthlyCsvUrl, type MonthlyQuery, type MonthlyReport, type MonthRow } from './monthlyApi';
import { attr, dayText, duration, number, Section, Table } from './parts';
import { ReportView } from './ReportResult';

/** A month (YYYY-MM) as people read it: "November 2026" (long) or "Nov 2026". */
export function monthText(month: string, lang: Lang, long = true): string {
  const [y, m] = month.split('-').map(Number);
  try {
    return new Intl.DateTimeFormat(localeFor(lang), {
      month: long ? 'long' : 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(Date.UTC(y, m - 1, 1)));
  } catch {
    return month;
  }
}

type Count = 'submitted' | 'answered' | 'declined' | 'no_response' | 'abandoned' | 'open';

const COUNTS: readonly { key: Count; label: MessageKey }[] = [
  { key: 'submitted', label: 'reports.total.submitted' },
  { key: 'answered', label: 'reports.total.answered' },
  { key: 'declined', label: 'reports.total.declined' },
  { key: 'no_response', label: 'reports.total.no_response' },
  { key: 'abandoned', label: 'reports.total.abandoned' },
  { key: 'open', label: 'reports.total.open' },
];

/** The two series of the chart, as its legend names and colours them (reports.css: the same colours). */
const SERIES = ['submitted', 'answered'] as const;

function seriesColor(c: ChartTheme, series: (typeof SERIES)[number]): string {
  return series === 'submitted' ? c.muted : c.accent;
}

/** Submitted and answered side by side per month: two bars a month, the legend above. */
function MonthsChart({ months }: { months: readonly MonthRow[] }) {
  const { t, lang } = useI18n();
  const names = months.map((m) => monthText(m.month, lang, false));
  const labels = SERIES.map((s) => t(s === 'submitted' ? 'reports.total.submitted' : 'reports.total.answered'));
  const key = JSON.stringify([names, months.map((m) => [m.submitted, m.answered]), labels]);
  const data = useMemo<uPlot.AlignedData>(
    () => [months.map((_, i) => i), ...SERIES.map((s) => months.map((m) => m[s]))],
    [key],
  );
  const options = useMemo(
    () =>
      (c: ChartTheme): ChartOptions => ({
        legend: { show: false },
        cursor: { show: false },
        ...categoryLayout(c, names, t('reports.axis.requests'), 1.1, {
          incrs: COUNT_STEPS,
          values: (_u: uPlot, splits: number[]) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')),
        }),
        series: [
          {},
          ...SERIES.map((s, i) => ({
            label: labels[i],
            fill: seriesColor(c, s),
            stroke: seriesColor(c, s),
            width: 0,
            // Submitted left of the month's middle, answered right of it.
            paths: uPlot.paths.bars!({ size: [0.35, 40], align: i === 0 ? -1 : 1 }),
            points: { show: false },
          })),
        ],
      }),
    [key],
  );
  const values = months
    .map((m) =>
      t('reports.chart.monthValues', {
        month: monthText(m.month, lang),
        submitted: number(lang, m.submitted),
        answered: number(lang, m.answered),
      }),
    )
    .join('; ');
  return (
    <div class="monthly-chart">
      <ul class="monthly-legend" aria-label={t('reports.monthly.series')}>
        {SERIES.map((s, i) => (
          <li key={s} class="monthly-series" data-series={s}>
            {labels[i]}
          </li>
        ))}
      </ul>
      <Chart name="months" options={options} data={data} label={t('reports.chart.months', { values })} />
    </div>
  );
}

/** One row per month, oldest first, with its counts, waits and ratings. */
function MonthsTable({ months }: { months: readonly MonthRow[] }) {
  const { t, lang } = useI18n();
  return (
    <Table
      caption={t('reports.monthly.months.caption')}
      testid="monthly-months"
      columns={[
        { label: t('reports.col.month') },
        ...COUNTS.map((c) => ({ label: t(c.label), num: true })),
        { label: t('reports.col.averageWait'), num: true },
        { label: t('reports.col.averageHandle'), num: true },
        { label: t('reports.col.ratings'), num: true },
        { label: t('reports.col.averageRating'), num: true },
      ]}
    >
      {months.map((m) => (
        <tr
          key={m.month}
          data-testid="monthly-month"
          data-month={m.month}
          data-submitted={m.submitted}
          data-answered={m.answered}
          data-declined={m.declined}
          data-no-response={m.no_response}
          data-abandoned={m.abandoned}
          data-open={m.open}
          data-average-wait-ms={attr(m.average_wait_ms)}
          data-average-handle-ms={attr(m.average_handle_ms)}
          data-ratings={m.ratings}
          data-average-rating={attr(m.ratings > 0 ? m.average_rating : null)}
        >
          <th scope="row" class="nowrap">
            {monthText(m.month, lang)}
          </th>
          {COUNTS.map(({ key }) => (
            <td key={key} class="num">
              {number(lang, m[key])}
            </td>
          ))}
          <td class="num nowrap">{duration(m.average_wait_ms)}</td>
          <td class="num nowrap">{duration(m.average_handle_ms)}</td>
          <td class="num">{number(lang, m.ratings)}</td>
          <td class="num">{number(lang, m.ratings > 0 ? m.average_rating : null, 2)}</td>
        </tr>
      ))}
    </Table>
  );
}

interface MonthlyResultProps {
  query: MonthlyQuery;
  report: MonthlyReport;
  busy: boolean;
  /** The manager's own time zone, for when the report was made. */
  timeZone?: string;
}

export function MonthlyResult({ query, report, busy, timeZone }: MonthlyResultProps) {
  const { t, lang } = useI18n();
  const { from_month: from, to_month: to } = report;
  const anything = report.months.some((m) => m.submitted > 0);
  return (
    <div
      class="report-result"
      data-testid="monthly-result"
      data-kind={report.kind}
      data-from-month={from}
      data-to-month={to}
      aria-busy={busy ? true : undefined}
    >
      <div class="report-head">
        <p class="report-meta">
          <strong>{t(kindLabel[report.kind])}</strong>
          <span data-testid="monthly-range">
            {from === to
              ? t('reports.monthly.rangeOne', { month: monthText(from, lang) })
              : t('reports.monthly.range', { from: monthText(from, lang), to: monthText(to, lang) })}
          </span>
          <span class="muted">{t('reports.generated', { time: formatTime(report.generated_at, lang, timeZone) })}</span>
        </p>
        <a class="btn" href={monthlyCsvUrl(query)} download="" data-testid="monthly-csv">
          {t('reports.csv')}
        </a>
      </div>
      <p
        class="monthly-cut muted"
        data-testid="monthly-cut"
        data-time-zone={report.time_zone}
        data-through-day={report.through_day ?? ''}
      >
        {report.through_day === null
          ? t('reports.monthly.cutNone', { zone: report.time_zone })
          : t('reports.monthly.cut', { zone: report.time_zone, day: dayText(report.through_day, lang) })}
      </p>
      <div class="report">
        <Section id="monthly-months-title" title={t('reports.monthly.months.title')} testid="monthly-months-section">
          {!anything && (
            <p class="muted" data-testid="monthly-none">
              {t('reports.monthly.noneIn')}
            </p>
          )}
          <MonthsTable months={report.months} />
          {anything && <MonthsChart months={report.months} />}
        </Section>
      </div>
      <ReportView report={report.part} timeZone={timeZone} />
    </div>
  );
}
