// The snapshot summary (docs/reports.md, "Snapshot summary"): the totals with
// a bar chart of the outcomes, the technicians, the portals, and the survey
// with a bar chart of the ratings by stars. Each chart's numbers are in the
// table beside it.
import { useI18n, type MessageKey } from '../../shared/i18n';
import { BarChart } from './Chart';
import { attr, duration, number, orDash, Section, Table } from './parts';
import type { SnapshotReport as Snapshot, SnapshotTotals } from './reportsApi';
import { SurveySummary } from './SurveySummary';
import { TechniciansTable } from './TechniciansTable';

type Count = 'submitted' | 'answered' | 'declined' | 'no_response' | 'abandoned' | 'open';
type Time = 'average_wait_ms' | 'longest_wait_ms' | 'average_handle_ms';

const COUNTS: readonly { key: Count; label: MessageKey }[] = [
  { key: 'submitted', label: 'reports.total.submitted' },
  { key: 'answered', label: 'reports.total.answered' },
  { key: 'declined', label: 'reports.total.declined' },
  { key: 'no_response', label: 'reports.total.no_response' },
  { key: 'abandoned', label: 'reports.total.abandoned' },
  { key: 'open', label: 'reports.total.open' },
];

const TIMES: readonly { key: Time; label: MessageKey }[] = [
  { key: 'average_wait_ms', label: 'reports.total.average_wait' },
  { key: 'longest_wait_ms', label: 'reports.total.longest_wait' },
  { key: 'average_handle_ms', label: 'reports.total.average_handle' },
];

/** The outcomes the chart and the portals' table show (open is a state, not an outcome). */
const OUTCOMES: readonly Exclude<Count, 'open'>[] = ['submitted', 'answered', 'declined', 'no_response', 'abandoned'];

const dataName = (key: string) => `data-${key.replace(/_/g, '-')}` as const;

/** The totals as data-* attributes (data-submitted, data-no-response, data-average-wait-ms …; "" for none). */
function totalsData(totals: SnapshotTotals): Record<`data-${string}`, string> {
  const data: Record<`data-${string}`, string> = {};
  for (const { key } of COUNTS) data[dataName(key)] = String(totals[key]);
  for (const { key } of TIMES) data[dataName(key)] = attr(totals[key]);
  return data;
}

export function SnapshotReport({ report }: { report: Snapshot }) {
  const { t, lang } = useI18n();
  const { totals, technicians, portals, survey } = report;
  const label = (key: Count) => t(COUNTS.find((c) => c.key === key)!.label);
  const outcomes = OUTCOMES.map((key) => ({ key, label: label(key), value: totals[key] }));

  return (
    <div class="report" data-testid="report-snapshot">
      <Section id="report-totals-title" title={t('reports.totals.title')}>
        {totals.submitted === 0 && (
          <p class="muted" data-testid="report-empty">
            {t('reports.none')}
          </p>
        )}
        <div class="report-split">
          <Table
            caption={t('reports.totals.title')}
            columns={[{ label: t('reports.totals.measure') }, { label: t('reports.totals.value'), num: true }]}
            testid="report-totals"
            data={totalsData(totals)}
          >
            {COUNTS.map(({ key, label: l }) => (
              <tr key={key} data-measure={key}>
                <th scope="row">{t(l)}</th>
                <td class="num">{number(lang, totals[key])}</td>
              </tr>
            ))}
            {TIMES.map(({ key, label: l }) => (
              <tr key={key} data-measure={key}>
                <th scope="row">{t(l)}</th>
                <td class="num nowrap">{duration(totals[key])}</td>
              </tr>
            ))}
          </Table>
          {totals.submitted > 0 && (
            <BarChart
              name="outcomes"
              labels={outcomes.map((o) => o.label)}
              values={outcomes.map((o) => o.value)}
              axis={t('reports.axis.requests')}
              label={t('reports.chart.outcomes', {
                values: outcomes.map((o) => `${o.label} ${number(lang, o.value)}`).join(', '),
              })}
            />
          )}
        </div>
      </Section>

      <Section id="report-technicians-title" title={t('reports.technicians.title')}>
        <TechniciansTable technicians={technicians} />
      </Section>

      <Section id="report-portals-title" title={t('reports.portals.title')}>
        {portals.length === 0 ? (
          <p class="muted" data-testid="report-portals-empty">
            {t('reports.portals.none')}
          </p>
        ) : (
          <Table
            caption={t('reports.portals.title')}
            testid="report-portals"
            columns={[{ label: t('reports.col.portal') }, ...OUTCOMES.map((key) => ({ label: label(key), num: true }))]}
          >
            {portals.map((r) => (
              <tr
                key={r.portal_id}
                data-testid="report-portal"
                data-portal-id={r.portal_id}
                data-submitted={r.submitted}
                data-answered={r.answered}
                data-declined={r.declined}
                data-no-response={r.no_response}
                data-abandoned={r.abandoned}
              >
                <th scope="row">{orDash(r.name)}</th>
                {OUTCOMES.map((key) => (
                  <td key={key} class="num">
                    {number(lang, r[key])}
                  </td>
                ))}
              </tr>
            ))}
          </Table>
        )}
      </Section>

      <SurveySummary survey={survey} />
    </div>
  );
}
