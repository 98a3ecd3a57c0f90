// The periods a report covers (docs/reports.md, "My reports"): days relative
// to the day it runs in the manager's time zone (today, yesterday, the last 7
// or 30 days, this month so far, the whole previous month), or days chosen.
import { addDays } from '../days';

export type Period = 'today' | 'yesterday' | 'last_7_days' | 'last_30_days' | 'this_month' | 'last_month' | 'days';
/** In the order the page offers them; `days` (the days chosen) last. */
export const PERIODS: readonly Period[] = [
  'today',
  'yesterday',
  'last_7_days',
  'last_30_days',
  'this_month',
  'last_month',
  'days',
];
/** A period whose days depend on the day it runs. */
export type RelativePeriod = Exclude<Period, 'days'>;
export const isPeriod = (value: string): value is Period => (PERIODS as readonly string[]).includes(value);
export const DEFAULT_PERIOD: RelativePeriod = 'last_7_days';

/** A first and a last day (YYYY-MM-DD), both included. */
export interface DaySpan {
  from: string;
  to: string;
}

/** The first day of the month `day` (YYYY-MM-DD) is in. */
const firstOfMonth = (day: string) => `${day.slice(0, 8)}01`;

/**
 * The days a relative period covers when `today` (YYYY-MM-DD, in the
 * manager's time zone) is the day it runs: this month is its first day to
 * today, last month the whole month before.
 */
export function periodDays(period: RelativePeriod, today: string): DaySpan {
  switch (period) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const day = addDays(today, -1);
      return { from: day, to: day };
    }
    case 'last_7_days':
      return { from: addDays(today, -6), to: today };
    case 'last_30_days':
      return { from: addDays(today, -29), to: today };
    case 'this_month':
      return { from: firstOfMonth(today), to: today };
    case 'last_month': {
      const last = addDays(firstOfMonth(today), -1);
      return { from: firstOfMonth(last), to: last };
    }
  }
}
