// The service level (docs/reports.md, "Service level"): the target wait with
// the share of the ended requests answered within it, the totals, a bar chart
// of the answered requests by wait with a table of the same numbers, and the
// portals' service level.
import { useI18n, type Lang, type MessageKey, type Translate } from '../../shared/i18n';
import { BarChart } from './Chart';
import { attr, duration, number, percent, Section, Table } from './parts';
import type { ServiceLevelReport as Report } from './reportsApi';
import type { ServiceLevel, WaitBucket } from './serviceLevel';
import { ServiceLevelPortals } from './ServiceLevelPortals';

type Measure = Exclude<keyof ServiceLevel, 'waits'>;
type Shown = 'count' | 'percent' | 'time';

/** The totals' rows in order, each a count, a percentage or a time. */
const MEASURES: readonly { key: Measure; label: MessageKey; as: Shown }[] = [
  { key: 'submitted', label: 'reports.total.submitted', as: 'count' },
  { key: 'answered', label: 'reports.total.answered', as: 'count' },
  { key: 'within_target', label: 'reports.total.within_target', as: 'count' },
  { key: 'within_target_percent', label: 'reports.sl.percent', as: 'percent' },
  { key: 'declined', label: 'reports.total.declined', as: 'count' },
  { key: 'no_response', label: 'reports.total.no_response', as: 'count' },
  { key: 'abandoned', label: 'reports.total.abandoned', as: 'count' },
  { key: 'open', label: 'reports.total.open', as: 'count' },
  { key: 'average_wait_ms', label: 'reports.total.average_wait', as: 'time' },
  { key: 'longest_wait_ms', label: 'reports.total.longest_wait', as: 'time' },
  { key: 'average_handle_ms', label: 'reports.total.average_handle', as: 'time' },
];

/** The totals and the target as data-* attributes (data-within-target, data-average-wait-ms …; "" for none). */
function totalsData(totals: ServiceLevel, targetMs: number): Record<`data-${string}`, string> {
  const data: Record<`data-${string}`, string> = { 'data-target-ms': String(targetMs) };
  for (const { key } of MEASURES) data[`data-${key.replace(/_/g, '-')}`] = attr(totals[key]);
  return data;
}

/** A measure as the totals show it. */
function measureText(lang: Lang, as: Shown, value: number | null): string {
  if (as === 'time') return duration(value);
  return as === 'percent' ? percent(lang, value) : number(lang, value);
}

/** A bucket as the chart and its table name it: "≤15 s", "≤1 min" …, the last "> 10 min". */
function bucketLabel(t: Translate, waits: readonly WaitBucket[], i: number): string {
  const bound = waits[i].up_to_ms;
  if (bound !== null) return t('reports.sl.upTo', { time: duration(bound) });
  return t('reports.sl.over', { time: duration(i > 0 ? waits[i - 1].up_to_ms : 0) });
}

/** The share of the ended requests answered within the target, in words. */
function shareText(t: Translate, lang: Lang, totals: ServiceLevel, targetMs: number): string {
  const ended = totals.submitted - totals.open;
  if (totals.within_target_percent === null || ended <= 0) return t('reports.sl.percentNone');
  return t('reports.sl.percentOf', { within: number(lang, totals.within_target), ended, target: duration(targetMs) });
}

export function ServiceLevelReport({ report }: { report: Report }) {
  const { t, lang } = useI18n();
  const { totals, target_ms: targetMs } = report;
  const waits = totals.waits.map((w, i) => ({ ...w, label: bucketLabel(t, totals.waits, i) }));

  return (
    <div class="report" data-testid="report-service-level">
      <Section id="report-service-level-title" title={t('reports.kind.service_level')}>
        {totals.submitted === 0 && (
          <p class="muted" data-testid="report-empty">
            {t('reports.none')}
          </p>
        )}
        <div class="report-split">
          <div>
            <dl
              class="report-facts report-sl-facts"
              data-testid="report-sl-facts"
              data-target-ms={targetMs}
              data-within-target-percent={attr(totals.within_target_percent)}
            >
              <div>
                <dt>{t('reports.sl.target')}</dt>
                <dd data-testid="report-sl-target">{duration(targetMs)}</dd>
              </div>
              <div class="report-sl-percent">
                <dt>{t('reports.sl.percent')}</dt>
                <dd data-testid="report-sl-percent">{percent(lang, totals.within_target_percent)}</dd>
              </div>
            </dl>
            <p class="muted" data-testid="report-sl-share">
              {shareText(t, lang, totals, targetMs)}
            </p>
          </div>
          <Table
            caption={t('reports.totals.title')}
            columns={[{ label: t('reports.totals.measure') }, { label: t('reports.totals.value'), num: true }]}
            testid="report-totals"
            data={totalsData(totals, targetMs)}
          >
            {MEASURES.map(({ key, label, as }) => (
              <tr key={key} data-measure={key}>
                <th scope="row">{t(label)}</th>
                <td class={as === 'time' ? 'num nowrap' : 'num'}>{measureText(lang, as, totals[key])}</td>
              </tr>
            ))}
          </Table>
        </div>
      </Section>

      <Section id="report-sl-waits-title" title={t('reports.sl.waits.title')} testid="report-sl-waits">
        {totals.answered === 0 || waits.length === 0 ? (
          <p class="muted" data-testid="report-sl-waits-empty">
            {t('reports.sl.waits.none')}
          </p>
        ) : (
          <div class="report-split">
            <Table
              caption={t('reports.sl.waits.title')}
              testid="report-waits"
              columns={[{ label: t('reports.col.wait') }, { label: t('reports.total.answered'), num: true }]}
            >
              {waits.map((w) => (
                <tr key={w.label} data-testid="report-wait" data-up-to-ms={attr(w.up_to_ms)} data-count={w.count}>
                  <th scope="row">{w.label}</th>
                  <td class="num">{number(lang, w.count)}</td>
                </tr>
              ))}
            </Table>
            <BarChart
              name="waits"
              labels={waits.map((w) => w.label)}
              values={waits.map((w) => w.count)}
              axis={t('reports.axis.answered')}
              label={t('reports.chart.slWaits', {
                values: waits.map((w) => `${w.label} ${number(lang, w.count)}`).join(', '),
              })}
            />
          </div>
        )}
      </Section>

      <ServiceLevelPortals portals={report.portals} />
    </div>
  );
}
