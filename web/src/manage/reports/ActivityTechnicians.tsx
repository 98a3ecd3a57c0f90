// The technician activity's table: one row per technician in scope, by name,
// with their time available, busy, away and offline as hours:minutes (the
// exact time on hover) and their status changes in the range; the same
// numbers as the CSV's first table.
import { formatDuration } from '../../shared/format';
import { useI18n } from '../../shared/i18n';
import { hoursMinutes, STATUSES, statusLabel, type ActivityTechnician, type StatusTimes } from './activity';
import { number, orDash, Table } from './parts';

/** The four times as data-* attributes (data-available-ms …). */
export function timesData(r: StatusTimes): Record<`data-${string}`, string> {
  return Object.fromEntries(STATUSES.map((s) => [`data-${s}-ms`, String(r[s])]));
}

/** The four times' cells: hours:minutes, the exact time as the cell's title. */
export function TimeCells({ times }: { times: StatusTimes }) {
  return (
    <>
      {STATUSES.map((s) => (
        <td key={s} class="num nowrap" data-status={s} title={formatDuration(times[s] / 1000)}>
          {hoursMinutes(times[s])}
        </td>
      ))}
    </>
  );
}

export function ActivityTechnicians({ technicians }: { technicians: readonly ActivityTechnician[] }) {
  const { t, lang } = useI18n();
  return (
    <Table
      caption={t('reports.activity.caption')}
      testid="report-activity-technicians"
      columns={[
        { label: t('reports.col.technician') },
        ...STATUSES.map((s) => ({ label: t(statusLabel[s]), num: true })),
        { label: t('reports.col.changes'), num: true },
      ]}
    >
      {technicians.map((r) => (
        <tr
          key={r.technician_id}
          data-testid="report-activity-technician"
          data-technician-id={r.technician_id}
          data-changes={r.changes}
          {...timesData(r)}
        >
          <th scope="row" data-testid="report-activity-name">
            {orDash(r.name)}
          </th>
          <TimeCells times={r} />
          <td class="num">{number(lang, r.changes)}</td>
        </tr>
      ))}
    </Table>
  );
}
