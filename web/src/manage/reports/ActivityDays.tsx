// The technician activity per day: one row per calendar day of the manager's
// time zone and technician (days in order, then technicians by name), with
// the four times as hours:minutes; the same numbers as the CSV's second table.
import { useI18n } from '../../shared/i18n';
import { STATUSES, statusLabel, type ActivityDay } from './activity';
import { TimeCells, timesData } from './ActivityTechnicians';
import { dayText, orDash, Section, Table } from './parts';

export function ActivityDays({ days, timeZone }: { days: readonly ActivityDay[]; timeZone: string }) {
  const { t, lang } = useI18n();
  return (
    <Section id="report-activity-days-title" title={t('reports.activity.days.title')} testid="report-activity-by-day">
      {timeZone && (
        <p class="muted" data-testid="report-activity-zone">
          {t('reports.activity.days.zone', { zone: timeZone })}
        </p>
      )}
      {days.length === 0 ? (
        <p class="muted" data-testid="report-activity-days-empty">
          {t('reports.activity.none')}
        </p>
      ) : (
        <Table
          caption={t('reports.activity.days.caption')}
          testid="report-activity-days"
          columns={[
            { label: t('reports.col.day') },
            { label: t('reports.col.technician') },
            ...STATUSES.map((s) => ({ label: t(statusLabel[s]), num: true })),
          ]}
        >
          {days.map((r) => (
            <tr
              key={`${r.day} ${r.technician_id}`}
              data-testid="report-activity-day"
              data-day={r.day}
              data-technician-id={r.technician_id}
              {...timesData(r)}
            >
              <th scope="row" class="nowrap">
                {dayText(r.day, lang)}
              </th>
              <td>{orDash(r.name)}</td>
              <TimeCells times={r} />
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}
