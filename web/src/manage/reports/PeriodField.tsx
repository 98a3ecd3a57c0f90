// The period of the report form: a relative one (its days as of today said
// under it) or "Custom days" with the first and last day to choose.
import { useI18n } from '../../shared/i18n';
import { DayRange, type Days } from '../components/DayRange';
import { periodLabel } from './labels';
import { dayText } from './parts';
import { isPeriod, periodDays, PERIODS, type Period } from './periods';

interface PeriodFieldProps {
  period: Period;
  days: Days;
  /** YYYY-MM-DD in the manager's time zone. */
  today: string;
  /** The earliest day reports reach (YYYY-MM-DD), when known: the pickers offer none before it. */
  earliest?: string;
  onPeriod: (period: Period) => void;
  onDays: (days: Days) => void;
}

export function PeriodField({ period, days, today, earliest, onPeriod, onDays }: PeriodFieldProps) {
  const { t, lang } = useI18n();
  const covers = period === 'days' ? undefined : periodDays(period, today);
  return (
    <>
      <div class="field">
        <label for="report-period">{t('reports.field.period')}</label>
        <select
          id="report-period"
          name="period"
          data-testid="report-period"
          value={period}
          aria-describedby={covers ? 'report-period-days' : undefined}
          onChange={(e) => {
            const value = e.currentTarget.value;
            if (!isPeriod(value)) return;
            // Custom days start from the days the period had.
            if (value === 'days' && covers) onDays(covers);
            onPeriod(value);
          }}
        >
          {PERIODS.map((p) => (
            <option key={p} value={p}>
              {t(periodLabel[p])}
            </option>
          ))}
        </select>
      </div>
      {covers ? (
        <p
          class="report-period-days muted"
          id="report-period-days"
          data-testid="report-period-days"
          data-from={covers.from}
          data-to={covers.to}
        >
          {covers.from === covers.to
            ? dayText(covers.from, lang)
            : t('reports.period.between', { from: dayText(covers.from, lang), to: dayText(covers.to, lang) })}
        </p>
      ) : (
        <DayRange
          prefix="report"
          days={days}
          labels={{ from: t('reports.field.from'), to: t('reports.field.to') }}
          min={earliest}
          onChange={onDays}
        />
      )}
    </>
  );
}
