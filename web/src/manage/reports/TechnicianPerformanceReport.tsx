// The technician performance (docs/reports.md, "Technician performance"): the
// snapshot's technicians table, then a bar chart of each technician's sessions
// and one of their average handle time in minutes. Two charts rather than two
// series in one: a count and a time share no axis. The table carries the same
// numbers.
import { useI18n } from '../../shared/i18n';
import { BarChart } from './Chart';
import { number, Section } from './parts';
import type { TechniciansReport } from './reportsApi';
import { TechniciansTable } from './TechniciansTable';

const MINUTE_MS = 60_000;

/** Milliseconds as minutes with one decimal, as the chart draws them. */
const minutes = (ms: number) => Math.round((ms / MINUTE_MS) * 10) / 10;

export function TechnicianPerformanceReport({ report }: { report: TechniciansReport }) {
  const { t, lang } = useI18n();
  const { technicians } = report;
  const names = technicians.map((r) => r.name || '—');
  // Only technicians with an ended session have a handle time; the chart leaves the others out.
  const handled = technicians.filter((r) => r.average_handle_ms !== null);
  const handleMinutes = handled.map((r) => minutes(r.average_handle_ms!));
  return (
    <div class="report" data-testid="report-technician-performance">
      <Section id="report-technicians-title" title={t('reports.technicians.title')}>
        <TechniciansTable technicians={technicians} />
        {technicians.length > 0 && (
          <div class="report-charts">
            <BarChart
              name="sessions"
              labels={names}
              values={technicians.map((r) => r.sessions)}
              axis={t('reports.axis.sessions')}
              label={t('reports.chart.sessions', {
                values: technicians.map((r, i) => `${names[i]} ${number(lang, r.sessions)}`).join(', '),
              })}
            />
            {handled.length > 0 && (
              <BarChart
                name="handle"
                labels={handled.map((r) => r.name || '—')}
                values={handleMinutes}
                axis={t('reports.axis.handleMinutes')}
                counts={false}
                label={t('reports.chart.handle', {
                  values: handled.map((r, i) => `${r.name || '—'} ${number(lang, handleMinutes[i], 1)}`).join(', '),
                })}
              />
            )}
          </div>
        )}
      </Section>
    </div>
  );
}
