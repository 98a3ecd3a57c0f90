// The snapshot summary (docs/reports.md, "Snapshot summary"): the totals with
// a bar chart of the outcomes, the technicians, the portals, and the survey
// with a bar chart of the ratings by stars. Each chart's numbers are in the
// table beside it.
import { useI18n, type MessageKey } from '../../shared/i18n';
import { BarChart } from './Chart';
import { attr, duration, number, orDash, Section, Table } from './parts';
import type { SnapshotReport as Snapshot, SnapshotTotals } from './reportsApi';

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
  const stars = [1, 2, 3, 4, 5].map((n) => ({
    n,
    label: t('reports.survey.starsOf', { n }),
    value: survey.by_score[n - 1] ?? 0,
  }));

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
        {technicians.length === 0 ? (
          <p class="muted" data-testid="report-technicians-empty">
            {t('reports.technicians.none')}
          </p>
        ) : (
          <Table
            caption={t('reports.technicians.title')}
            testid="report-technicians"
            columns={[
              { label: t('reports.col.technician') },
              { label: t('reports.col.sessions'), num: true },
              { label: t('reports.total.declined'), num: true },
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
                data-ratings={r.ratings}
                data-average-rating={attr(r.ratings > 0 ? r.average_rating : null)}
              >
                <th scope="row" data-testid="report-technician-name">
                  {orDash(r.name)}
                </th>
                <td class="num">{number(lang, r.sessions)}</td>
                <td class="num">{number(lang, r.declined)}</td>
                <td class="num nowrap">{duration(r.average_wait_ms)}</td>
                <td class="num nowrap">{duration(r.average_handle_ms)}</td>
                <td class="num">{number(lang, r.ratings)}</td>
                <td class="num">{number(lang, r.ratings > 0 ? r.average_rating : null, 2)}</td>
              </tr>
            ))}
          </Table>
        )}
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

      <Section id="report-survey-title" title={t('reports.survey.title')} testid="report-survey">
        {survey.ratings === 0 ? (
          <p class="muted" data-testid="report-survey-empty">
            {t('reports.survey.none')}
          </p>
        ) : (
          <div class="report-split">
            <div>
              <dl
                class="report-facts"
                data-testid="report-survey-facts"
                data-ratings={survey.ratings}
                data-average-rating={attr(survey.average_rating)}
                data-comments={survey.comments}
              >
                <div>
                  <dt>{t('reports.survey.ratings')}</dt>
                  <dd>{number(lang, survey.ratings)}</dd>
                </div>
                <div>
                  <dt>{t('reports.survey.average')}</dt>
                  <dd>{number(lang, survey.average_rating, 2)}</dd>
                </div>
                <div>
                  <dt>{t('reports.survey.comments')}</dt>
                  <dd>{number(lang, survey.comments)}</dd>
                </div>
              </dl>
              <Table
                caption={t('reports.survey.byScore')}
                testid="report-ratings"
                columns={[{ label: t('reports.survey.stars') }, { label: t('reports.col.ratings'), num: true }]}
              >
                {stars.map((s) => (
                  <tr key={s.n} data-stars={s.n} data-ratings={s.value}>
                    <th scope="row">{s.label}</th>
                    <td class="num">{number(lang, s.value)}</td>
                  </tr>
                ))}
              </Table>
            </div>
            <BarChart
              name="ratings"
              labels={stars.map((s) => s.label)}
              values={stars.map((s) => s.value)}
              axis={t('reports.axis.ratings')}
              label={t('reports.chart.ratings', {
                values: stars.map((s) => `${s.label} ${number(lang, s.value)}`).join(', '),
              })}
            />
          </div>
        )}
      </Section>
    </div>
  );
}
