// Pieces the report views share: a card with its heading, a table with its
// caption and column headings, and how durations, days and numbers read.
import type { ComponentChildren } from 'preact';
import { formatDuration, localeFor } from '../../shared/format';
import type { Lang } from '../../shared/i18n';

/** A duration in ms as people read it ("41 s", "10 min"); a dash when nothing was measured. */
export function duration(ms: number | null): string {
  return ms === null ? '—' : formatDuration(ms / 1000);
}

/** A day (YYYY-MM-DD) as people read it, e.g. "3 Dec 2025". */
export function dayText(day: string, lang: Lang): string {
  const [y, m, d] = day.split('-').map(Number);
  try {
    return new Intl.DateTimeFormat(localeFor(lang), { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(Date.UTC(y, m - 1, d)),
    );
  } catch {
    return day;
  }
}

/** A count or an average in the page's language ("4.25", "4,25"); a dash for null. */
export function number(lang: Lang, value: number | null, digits = 0): string {
  if (value === null) return '—';
  return new Intl.NumberFormat(localeFor(lang), { maximumFractionDigits: digits }).format(value);
}

/** A percentage (0 to 100) in the page's language with at most one decimal ("87.5%", "87,5 %"); a dash for null. */
export function percent(lang: Lang, value: number | null): string {
  if (value === null) return '—';
  return new Intl.NumberFormat(localeFor(lang), { style: 'percent', maximumFractionDigits: 1 }).format(value / 100);
}

/** The value for a data-* attribute: the number, or "" for null. */
export const attr = (value: number | null) => (value === null ? '' : String(value));

export function Section({
  id,
  title,
  children,
  testid,
}: {
  id: string;
  title: string;
  children: ComponentChildren;
  testid?: string;
}) {
  return (
    <section class="card report-section" aria-labelledby={id} data-testid={testid}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function Table({
  caption,
  columns,
  testid,
  data,
  children,
}: {
  caption: string;
  /** Column headings; a heading's `num` aligns its column right (numbers). */
  columns: readonly { label: string; num?: boolean }[];
  testid: string;
  data?: Readonly<Record<`data-${string}`, string>>;
  children: ComponentChildren;
}) {
  return (
    <div class="table-wrap">
      <table class="table report-table" data-testid={testid} {...data}>
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" class={c.num ? 'num' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** Text, or a dash for none. */
export const orDash = (text: string) => text || <span class="muted">—</span>;
