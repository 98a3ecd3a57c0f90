// The service level per portal (docs/reports.md, "Service level"): one row per
// portal with requests on the days, by name, the same numbers as the CSV's
// portals.
import { useI18n } from '../../shared/i18n';
import { attr, duration, number, orDash, percent, Section, Table } from './parts';
import type { PortalServiceLevel } from './serviceLevel';

export function ServiceLevelPortals({ portals }: { portals: readonly PortalServiceLevel[] }) {
  const { t, lang } = useI18n();
  return (
    <Section id="report-portals-title" title={t('reports.portals.title')}>
      {portals.length === 0 ? (
        <p class="muted" data-testid="report-portals-empty">
          {t('reports.portals.none')}
        </p>
      ) : (
        <Table
          caption={t('reports.portals.title')}
          testid="report-portals"
          columns={[
            { label: t('reports.col.portal') },
            { label: t('reports.total.submitted'), num: true },
            { label: t('reports.total.answered'), num: true },
            { label: t('reports.total.within_target'), num: true },
            { label: t('reports.col.withinPercent'), num: true },
            { label: t('reports.total.abandoned'), num: true },
            { label: t('reports.col.averageWait'), num: true },
            { label: t('reports.total.longest_wait'), num: true },
          ]}
        >
          {portals.map((r) => (
            <tr
              key={r.portal_id}
              data-testid="report-portal"
              data-portal-id={r.portal_id}
              data-submitted={r.submitted}
              data-answered={r.answered}
              data-within-target={r.within_target}
              data-within-target-percent={attr(r.within_target_percent)}
              data-abandoned={r.abandoned}
              data-average-wait-ms={attr(r.average_wait_ms)}
              data-longest-wait-ms={attr(r.longest_wait_ms)}
            >
              <th scope="row">{orDash(r.name)}</th>
              <td class="num">{number(lang, r.submitted)}</td>
              <td class="num">{number(lang, r.answered)}</td>
              <td class="num">{number(lang, r.within_target)}</td>
              <td class="num">{percent(lang, r.within_target_percent)}</td>
              <td class="num">{number(lang, r.abandoned)}</td>
              <td class="num nowrap">{duration(r.average_wait_ms)}</td>
              <td class="num nowrap">{duration(r.longest_wait_ms)}</td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}
