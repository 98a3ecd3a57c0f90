// The technicians' table of the snapshot summary and of the technician
// performance report (docs/reports.md): one row per technician who held or
// declined a session, the same numbers as the CSV's technicians table.
import { useI18n } from '../../shared/i18n';
import { attr, duration, number, orDash, Table } from './parts';
import type { TechnicianTotals } from './reportsApi';

/** An average rating as shown: none without ratings (the server may send 0 then). */
export const averageRating = (r: TechnicianTotals) => (r.ratings > 0 ? r.average_rating : null);

export function TechniciansTable({ technicians }: { technicians: readonly TechnicianTotals[] }) {
  const { t, lang } = useI18n();
  if (technicians.length === 0)
    return (
      <p class="muted" data-testid="report-technicians-empty">
        {t('reports.technicians.none')}
      </p>
    );
  return (
    <Table
      caption={t('reports.technicians.title')}
      testid="report-technicians"
      columns={[
        { label: t('reports.col.technician') },
        { label: t('reports.col.sessions'), num: true },
        { label: t('reports.total.declined'), num: true },
        { label: t('reports.col.transfers'), num: true },
        { label: t('reports.col.averageWait'), num: true },
        { label: t('reports.col.averageHandle'), num: true },
        { label: t('reports.col.ratings'), num: true },
        { label: t('reports.col.averageRating'), num: true },
      ]}
    >
      {technicians.map((r) => (
        <tr
          key={r.technician_id}
          data-testid="report-technician"
          data-technician-id={r.technician_id}
          data-sessions={r.sessions}
          data-declined={r.declined}
          data-transfers={r.transfers}
          data-average-wait-ms={attr(r.average_wait_ms)}
          data-average-handle-ms={attr(r.average_handle_ms)}
          data-ratings={r.ratings}
          data-average-rating={attr(averageRating(r))}
        >
          <th scope="row" data-testid="report-technician-name">
            {orDash(r.name)}
          </th>
          <td class="num">{number(lang, r.sessions)}</td>
          <td class="num">{number(lang, r.declined)}</td>
          <td class="num">{number(lang, r.transfers)}</td>
          <td class="num nowrap">{duration(r.average_wait_ms)}</td>
          <td class="num nowrap">{duration(r.average_handle_ms)}</td>
          <td class="num">{number(lang, r.ratings)}</td>
          <td class="num">{number(lang, averageRating(r), 2)}</td>
        </tr>
      ))}
    </Table>
  );
}
