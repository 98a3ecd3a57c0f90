// The service level monitor's table (docs/dashboards.md, "Rows"): one row per
// portal with requests today, by name: submitted, answered, within the target
// wait (the share of the ended requests, prominent, with the count), declined,
// no response, abandoned, open (waiting or in a session), and the average and
// longest wait and the average handle time. The numbers, their words and how
// they read are the service level report's (../reports/).
import { useMemo } from 'preact/hooks';
import { useI18n, type MessageKey } from '../../shared/i18n';
import { attr, duration, number, percent } from '../reports/parts';
import { serviceLevelRow, type ServiceLevelRow } from './rows';
import { Grid, orDash, Row, type TableProps } from './tableParts';

const COLUMNS: readonly MessageKey[] = [
  'dashboards.col.portal',
  'reports.total.submitted',
  'reports.total.answered',
  'reports.total.within_target',
  'reports.total.declined',
  'reports.total.no_response',
  'reports.total.abandoned',
  'reports.total.open',
  'reports.col.averageWait',
  'reports.total.longest_wait',
  'reports.col.averageHandle',
];

/** The measures a row carries as data-* attributes (data-submitted, data-within-target-percent …). */
const MEASURES = [
  'submitted',
  'answered',
  'within_target',
  'within_target_percent',
  'declined',
  'no_response',
  'abandoned',
  'open',
  'average_wait_ms',
  'longest_wait_ms',
  'average_handle_ms',
] as const;

const byPortal = (a: ServiceLevelRow, b: ServiceLevelRow) =>
  a.portalName.localeCompare(b.portalName) || a.key.localeCompare(b.key);

/** The row's portal, target and numbers as data-* attributes ("" for none). */
function rowData(r: ServiceLevelRow): Record<`data-${string}`, string> {
  const data: Record<`data-${string}`, string> = {
    'data-portal-id': r.portalId,
    'data-target-ms': String(r.targetMs),
    'data-day-start': String(r.dayStart),
  };
  for (const key of MEASURES) data[`data-${key.replace(/_/g, '-')}`] = attr(r[key]);
  return data;
}

function Count({ value, testid }: { value: number; testid: string }) {
  const { lang } = useI18n();
  return (
    <td class="num" data-testid={testid}>
      {number(lang, value)}
    </td>
  );
}

function Time({ ms, testid }: { ms: number | null; testid: string }) {
  return (
    <td class="num nowrap" data-testid={testid}>
      {ms === null ? <span class="muted">—</span> : duration(ms)}
    </td>
  );
}

/** The share within the target (a dash while no request has ended), and the count: "1 of 2" ended. */
function Within({ row }: { row: ServiceLevelRow }) {
  const { t, lang } = useI18n();
  const ended = row.submitted - row.open;
  const within = number(lang, row.within_target);
  return (
    <td class="num nowrap sl-within" data-testid="sl-within">
      <strong class="sl-percent" data-testid="sl-percent">
        {percent(lang, row.within_target_percent)}
      </strong>
      <span class="sl-count muted small" data-testid="sl-within-count">
        {ended > 0 ? t('dashboards.sl.withinOf', { within, ended: number(lang, ended) }) : within}
      </span>
    </td>
  );
}

export function ServiceLevelTable({ caption, rows }: TableProps) {
  const { t } = useI18n();
  // No time counts on here: the rows alone decide the list.
  const list = useMemo(() => Object.values(rows).map(serviceLevelRow).sort(byPortal), [rows]);
  return (
    <>
      <Grid caption={caption} columns={COLUMNS} numeric={COLUMNS.slice(1)} wide>
        {list.map((r) => (
          <Row key={r.key} rowKey={r.key} data={rowData(r)}>
            <th scope="row" data-testid="row-portal">
              {orDash(r.portalName)}
            </th>
            <Count value={r.submitted} testid="sl-submitted" />
            <Count value={r.answered} testid="sl-answered" />
            <Within row={r} />
            <Count value={r.declined} testid="sl-declined" />
            <Count value={r.no_response} testid="sl-no-response" />
            <Count value={r.abandoned} testid="sl-abandoned" />
            <Count value={r.open} testid="sl-open" />
            <Time ms={r.average_wait_ms} testid="sl-average-wait" />
            <Time ms={r.longest_wait_ms} testid="sl-longest-wait" />
            <Time ms={r.average_handle_ms} testid="sl-average-handle" />
          </Row>
        ))}
      </Grid>
      <p class="muted small sl-legend" data-testid="sl-legend">
        {t('dashboards.sl.legend')}
      </p>
    </>
  );
}
