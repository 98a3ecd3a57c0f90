// Pieces of the dashboards' tables: the table with its hidden caption and
// column headings, its rows in order with the server's time counting on, the
// row shell, a request's number as a row heading, a "since" cell that counts
// on, a dash for nothing.
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { formatDuration } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n';
import { useNow } from '../../shared/useNow';
import type { RawRow } from './rows';

export interface TableProps {
  rows: Readonly<Record<string, RawRow>>;
  /** The server's clock minus this one's, in ms. */
  offset: number;
  /** Names the table for screen readers (the monitor's name). */
  caption: string;
}

interface GridProps {
  caption: string;
  columns: readonly MessageKey[];
  /** The columns of numbers (their headings align right as their cells do). */
  numeric?: readonly MessageKey[];
  /** Many columns: their headings may wrap. */
  wide?: boolean;
  children: ComponentChildren;
}

export function Grid({ caption, columns, numeric = [], wide = false, children }: GridProps) {
  const { t } = useI18n();
  return (
    <div class="table-wrap">
      <table
        class={wide ? 'table dashboard-table dashboard-table-wide' : 'table dashboard-table'}
        data-testid="dashboard-table"
      >
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col" class={numeric.includes(c) ? 'num' : undefined}>
                {t(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** How long since `since` (Unix ms) on the server's clock, counting on. */
export function Since({ since, now, testid }: { since: number; now: number; testid: string }) {
  const seconds = since > 0 ? Math.max(0, Math.floor((now - since) / 1000)) : 0;
  return (
    <td class="num nowrap" data-testid={testid} data-seconds={seconds}>
      {since > 0 ? formatDuration(seconds) : <span class="muted">—</span>}
    </td>
  );
}

export const orDash = (text: string) => text || <span class="muted">—</span>;

/**
 * A table's rows (`toRow` and `order` are module-level functions) in order, and
 * the server's time now, ticking each second.
 */
export function useLiveRows<T>(
  { rows, offset }: Pick<TableProps, 'rows' | 'offset'>,
  toRow: (raw: RawRow) => T,
  order: (a: T, b: T) => number,
): { list: T[]; now: number } {
  const now = useNow(1000) + offset;
  // toRow and order never change: the rows alone decide the list.
  const list = useMemo(() => Object.values(rows).map(toRow).sort(order), [rows]);
  return { list, now };
}

interface RowProps {
  rowKey: string;
  /** More data-* attributes the tests and styles read. */
  data?: Readonly<Record<`data-${string}`, string>>;
  children: ComponentChildren;
}

/** One row of a dashboard table. */
export function Row({ rowKey, data, children }: RowProps) {
  return (
    <tr data-testid="dashboard-row" data-key={rowKey} {...data}>
      {children}
    </tr>
  );
}

/** A request's number as its row's heading. */
export function RequestHeading({ id }: { id: string }) {
  return (
    <th scope="row" class="num" data-testid="row-request">
      #{id}
    </th>
  );
}
