// The head of a table sortable by its columns: a button per column
// (data-testid sort-<key>); a click on the sorted column turns the order
// round, a click on another sorts by that one, ascending.
import { useState } from 'preact/hooks';
import { useI18n, type MessageKey } from './i18n';

export interface Sort<K extends string> {
  key: K;
  ascending: boolean;
}

export interface SortColumn<K extends string> {
  key: K;
  label: MessageKey;
  /** Right-aligned (class `num`). */
  numeric?: boolean;
}

/** The sort order and the function that a click on a column calls. */
export function useSort<K extends string>(initial: Sort<K>): [Sort<K>, (key: K) => void] {
  const [sort, setSort] = useState<Sort<K>>(initial);
  const toggle = (key: K) =>
    setSort((s) => (s.key === key ? { key, ascending: !s.ascending } : { key, ascending: true }));
  return [sort, toggle];
}

/** `order` (a comparison in ascending order) as the sort wants it. */
export const directed = <K extends string>(sort: Sort<K>, order: number) => (sort.ascending ? order : -order);

interface SortableHeadProps<K extends string> {
  columns: readonly SortColumn<K>[];
  sort: Sort<K>;
  onSort: (key: K) => void;
}

export function SortableHead<K extends string>({ columns, sort, onSort }: SortableHeadProps<K>) {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        {columns.map(({ key, label, numeric }) => {
          const active = sort.key === key;
          return (
            <th
              key={key}
              scope="col"
              class={numeric ? 'num' : undefined}
              aria-sort={active ? (sort.ascending ? 'ascending' : 'descending') : 'none'}
            >
              <button
                type="button"
                class="sort"
                data-testid={`sort-${key}`}
                data-active={active ? (sort.ascending ? 'asc' : 'desc') : undefined}
                onClick={() => onSort(key)}
              >
                {t(label)}
                <span class="sort-mark" aria-hidden="true">
                  {active ? (sort.ascending ? '▲' : '▼') : '↕'}
                </span>
              </button>
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
