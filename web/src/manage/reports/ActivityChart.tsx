// The technician activity's chart: one stacked bar per technician, their time
// available (at the bottom), busy, away and offline, in hours (in minutes when
// no technician's bar reaches two hours). uPlot has no stacking of its own:
// each series is drawn as the sum of its status and those below it, the
// tallest first, so that each status shows as its own band. The legend beside
// it is the page's (ActivityLegend); the table "Time per status" carries the
// same times.
import { useMemo } from 'preact/hooks';
import uPlot from 'uplot';
import { useI18n } from '../../shared/i18n';
import { STATUSES, statusLabel, type ActivityTechnician, type Status } from './activity';
import { Chart, categoryLayout, type ChartOptions, type ChartTheme } from './Chart';
import { number } from './parts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The status' colour on the canvas (that of its band in the legend and the timeline). */
function statusColor(c: ChartTheme, status: Status): string {
  switch (status) {
    case 'available':
      return c.ok;
    case 'busy':
      return c.danger;
    case 'away':
      return c.warn;
    case 'offline':
      return c.grid;
  }
}

export function ActivityChart({ technicians }: { technicians: readonly ActivityTechnician[] }) {
  const { t, lang } = useI18n();
  const names = technicians.map((r) => r.name || '—');
  const longest = Math.max(0, ...technicians.map((r) => STATUSES.reduce((sum, s) => sum + r[s], 0)));
  const hours = longest >= 2 * HOUR_MS;
  const unitMs = hours ? HOUR_MS : MINUTE_MS;
  /** Each technician's times in the unit, one decimal, per status. */
  const values = technicians.map((r) =>
    Object.fromEntries(STATUSES.map((s) => [s, Math.round((r[s] / unitMs) * 10) / 10])) as Record<Status, number>,
  );
  const axis = t(hours ? 'reports.axis.hours' : 'reports.axis.minutes');
  const key = JSON.stringify([names, values, axis]);

  // Drawn top of the stack first: offline (the whole bar), then away, busy, available.
  const drawn = [...STATUSES].reverse();
  const data = useMemo<uPlot.AlignedData>(
    () => [
      names.map((_, i) => i),
      ...drawn.map((status) => {
        const below = STATUSES.slice(0, STATUSES.indexOf(status) + 1);
        return values.map((v) => Math.round(below.reduce((sum, s) => sum + v[s], 0) * 10) / 10);
      }),
    ],
    [key],
  );
  const labels = drawn.map((s) => t(statusLabel[s]));
  const options = useMemo(
    () =>
      (c: ChartTheme): ChartOptions => ({
        legend: { show: false },
        cursor: { show: false },
        ...categoryLayout(c, names, axis, 1.05),
        series: [
          {},
          ...drawn.map((status, i) => ({
            label: labels[i],
            fill: statusColor(c, status),
            stroke: statusColor(c, status),
            width: 0,
            paths: uPlot.paths.bars!({ size: [0.6, 64] }),
            points: { show: false },
          })),
        ],
      }),
    [key],
  );

  const described = technicians
    .map((_, i) => {
      const times = STATUSES.map((s) => `${t(statusLabel[s])} ${number(lang, values[i][s], 1)}`);
      return `${names[i]}: ${times.join(', ')}`;
    })
    .join('; ');
  return (
    <Chart
      name="activity"
      options={options}
      data={data}
      height={240}
      label={t(hours ? 'reports.chart.activityHours' : 'reports.chart.activityMinutes', { values: described })}
    />
  );
}
