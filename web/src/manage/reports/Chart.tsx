// A uPlot chart as big as its container is wide: made on mount and whenever
// its data or options change, resized with the container, destroyed on
// unmount. uPlot draws on a canvas and styles its elements through the DOM
// (no inline <style>, no style="" markup), so the page's CSP holds. The chart
// is an image to assistive technology, described by its label; every chart's
// numbers are also in a table next to it.
import { useEffect, useMemo, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** The page's colours (its CSS custom properties) for drawing on the canvas. */
export interface ChartTheme {
  accent: string;
  text: string;
  muted: string;
  grid: string;
  /** The statuses' colours (as the console and the dashboards show them): available, busy, away. */
  ok: string;
  danger: string;
  warn: string;
}

function theme(el: Element): ChartTheme {
  const style = getComputedStyle(el);
  const color = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    accent: color('--accent', '#1f6feb'),
    text: color('--text', '#18202e'),
    muted: color('--text-muted', '#5b667a'),
    grid: color('--border', '#dde3ed'),
    ok: color('--ok', '#1a7f37'),
    danger: color('--danger', '#c62828'),
    warn: color('--warn', '#9a6700'),
  };
}

export type ChartOptions = Omit<uPlot.Options, 'width' | 'height'>;

interface ChartProps {
  /** The chart's options for the page's colours; keep it the same function while nothing changes (useCallback). */
  options: (theme: ChartTheme) => ChartOptions;
  /** uPlot's columns: x values first, then one array per series. */
  data: uPlot.AlignedData;
  /** What the chart shows, in words (with its numbers). */
  label: string;
  height?: number;
  /** More of data-testid, e.g. `outcomes`: data-chart. */
  name: string;
}

export function Chart({ options, data, label, height = 220, name }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const width = () => Math.max(160, Math.floor(el.clientWidth));
    let shown = width();
    const plot = new uPlot({ ...options(theme(el)), width: shown, height }, data, el);
    const resized = new ResizeObserver(() => {
      const now = width();
      if (now === shown) return;
      shown = now;
      plot.setSize({ width: now, height });
    });
    resized.observe(el);
    return () => {
      resized.disconnect();
      plot.destroy();
    };
  }, [options, data, height]);

  return (
    <div ref={ref} class="report-chart" role="img" aria-label={label} data-testid="report-chart" data-chart={name} />
  );
}

interface BarChartProps {
  /** One label per bar, under it. */
  labels: readonly string[];
  /** One value per label; null draws no bar (nothing was measured). */
  values: readonly (number | null)[];
  /** The y axis' title. */
  axis: string;
  label: string;
  name: string;
  /** Counts (the default): whole-number steps on the y axis; false for measures such as minutes. */
  counts?: boolean;
}

/**
 * Scales and axes of a chart of bars by category: x the category's index
 * (shown as its name), y from 0 with `headroom` above the highest bar; `y`
 * adds to the y axis.
 */
export function categoryLayout(
  c: ChartTheme,
  names: readonly string[],
  axis: string,
  headroom: number,
  y: Partial<uPlot.Axis> = {},
): Pick<ChartOptions, 'scales' | 'axes'> {
  return {
    scales: {
      x: { time: false, range: () => [-0.5, names.length - 0.5] },
      y: { range: (_u, _min, max) => [0, Math.max(1, max) * headroom] },
    },
    axes: [
      {
        stroke: c.text,
        grid: { show: false },
        ticks: { show: false },
        splits: () => names.map((_, i) => i),
        values: (_u, splits) => splits.map((i) => names[i] ?? ''),
      },
      { stroke: c.muted, label: axis, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 }, ...y },
    ],
  };
}

/** Whole numbers on the y axis: its steps. */
export const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];

/** Bars of counts (or another measure) by category (x: the category's index, shown as its label). */
export function BarChart({ labels, values, axis, label, name, counts = true }: BarChartProps) {
  const key = JSON.stringify([labels, values, axis, counts]);
  const data = useMemo<uPlot.AlignedData>(() => [labels.map((_, i) => i), [...values]], [key]);
  const options = useMemo(
    () =>
      (c: ChartTheme): ChartOptions => ({
        legend: { show: false },
        cursor: { show: false },
        ...categoryLayout(
          c,
          labels,
          axis,
          1.1,
          counts
            ? {
                incrs: COUNT_STEPS,
                values: (_u: uPlot, splits: number[]) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')),
              }
            : {},
        ),
        series: [
          {},
          {
            label: axis,
            fill: c.accent,
            stroke: c.accent,
            width: 0,
            paths: uPlot.paths.bars!({ size: [0.6, 64] }),
            points: { show: false },
          },
        ],
      }),
    [key],
  );
  return <Chart options={options} data={data} label={label} name={name} />;
}
