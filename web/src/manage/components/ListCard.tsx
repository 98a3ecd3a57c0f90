// A list page's card: its table, or a line saying there is nothing yet.
import type { ComponentChildren } from 'preact';

interface ListCardProps {
  /** Prefix of the test ids: `<testid>-table`, `<testid>-empty`. */
  testid: string;
  /** The column headings. */
  columns: readonly string[];
  empty: boolean;
  emptyText: string;
  /** The table rows. */
  children: ComponentChildren;
}

export function ListCard({ testid, columns, empty, emptyText, children }: ListCardProps) {
  return (
    <div class="card">
      {empty ? (
        <p class="muted" data-testid={`${testid}-empty`}>
          {emptyText}
        </p>
      ) : (
        <div class="table-wrap">
          <table class="table" data-testid={`${testid}-table`}>
            <thead>
              <tr>
                {columns.map((heading, i) => (
                  <th key={i} scope="col">
                    {heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
        </div>
      )}
    </div>
  );
}
