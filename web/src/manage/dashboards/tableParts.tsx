// Pieces of the dashboards' tables: the table with its hidden caption and
// column headings, a "since" cell that counts on, a dash for nothing.
import type { ComponentChildren } from 'preact';
import { formatDuration } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n';
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
  children: ComponentChildren;
}

export function Grid({ caption, columns, children }: GridProps) {
  const { t } = useI18n();
  return (
    <div class="table-wrap">
      <table class="table dashboard-table" data-testid="dashboard-table">
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
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
