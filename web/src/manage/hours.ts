// Business hours helpers: weekday names in the UI's language, "HH:MM" times,
// a one-line summary of a week, and instants shown in a portal's time zone.
import type { Lang } from '../shared/i18n';
import type { HoursInterval, WeeklyInterval, Weekday } from './api';

/** Monday first, as calendars in Europe show the week; the API counts from Sunday = 0. */
export const WEEK_ORDER: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 0];

/** Monday to Friday. */
export const WORKING_DAYS: readonly Weekday[] = [1, 2, 3, 4, 5];

/** "Monday" / "Montag" (long) or "Mon" / "Mo" (short). 2023-01-01 was a Sunday. */
export function weekdayName(lang: Lang, day: Weekday, style: 'long' | 'short'): string {
  const format = new Intl.DateTimeFormat(lang, { weekday: style, timeZone: 'UTC' });
  return format.format(new Date(Date.UTC(2023, 0, 1 + day)));
}

/** Minutes since midnight for "HH:MM" (00:00 to 23:59, and 24:00 as the end of the day); undefined if malformed. */
export function minutesOf(time: string): number | undefined {
  const m = /^(\d\d):(\d\d)$/.exec(time);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0) return 1440;
  return h < 24 && min < 60 ? h * 60 + min : undefined;
}

/**
 * What was typed, as "HH:MM" when it reads as a time: "9" → "09:00",
 * "9:30" / "9.30" / "930" → "09:30", "1730" → "17:30"; anything else unchanged.
 */
export function normaliseTime(input: string): string {
  const text = input.trim();
  let m = /^(\d{1,2})(?:[:.](\d{2}))?$/.exec(text);
  if (!m) m = /^(\d{1,2})(\d{2})$/.exec(text);
  if (!m) return text;
  const time = `${m[1].padStart(2, '0')}:${m[2] ?? '00'}`;
  return minutesOf(time) === undefined ? text : time;
}

/** "HH:MM" for minutes since midnight (1440 is "24:00", the end of the day). */
export function timeOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Where a day's first interval starts and ends until the manager says otherwise. */
export const DEFAULT_OPEN = '09:00';
export const DEFAULT_CLOSE = '17:00';
/** A further interval lasts this long (minutes), up to the end of the day. */
const NEXT_INTERVAL_MIN = 4 * 60;

/**
 * The times of an interval added to a day that has `rows`: real times, shown as
 * values (never as example placeholders): 09:00–17:00 for the first, then from
 * the latest closing time for four hours (at most to 24:00); empty when the day
 * is already open until midnight or its times are not readable yet.
 */
export function newInterval(rows: readonly HoursInterval[]): HoursInterval {
  if (rows.length === 0) return { open: DEFAULT_OPEN, close: DEFAULT_CLOSE };
  const closes = rows.map((r) => minutesOf(normaliseTime(r.close)));
  if (closes.some((c) => c === undefined)) return { open: '', close: '' };
  const last = Math.max(...(closes as number[]));
  if (last >= 1440) return { open: '', close: '' };
  return { open: timeOf(last), close: timeOf(Math.min(1440, last + NEXT_INTERVAL_MIN)) };
}

const intervalText = (i: HoursInterval) => `${i.open}–${i.close}`;

function byOpen(a: HoursInterval, b: HoursInterval): number {
  return (minutesOf(a.open) ?? 0) - (minutesOf(b.open) ?? 0);
}

/** "09:00–12:00, 13:00–17:00": a day's intervals, earliest first. */
export function hoursText(hours: readonly HoursInterval[]): string {
  return [...hours].sort(byOpen).map(intervalText).join(', ');
}

/**
 * The week in one line, runs of days with the same hours joined:
 * ["Mon–Fri 09:00–17:00", "Sat 10:00–14:00"]. Empty when it is never open.
 */
export function weekSummary(weekly: readonly WeeklyInterval[], lang: Lang): string[] {
  const perDay = WEEK_ORDER.map((day) => ({ day, text: hoursText(weekly.filter((w) => w.day === day)) }));
  const parts: string[] = [];
  for (let i = 0; i < perDay.length; ) {
    let j = i;
    while (j + 1 < perDay.length && perDay[j + 1].text === perDay[i].text) j++;
    if (perDay[i].text !== '') {
      const first = weekdayName(lang, perDay[i].day, 'short');
      const days = j === i ? first : `${first}–${weekdayName(lang, perDay[j].day, 'short')}`;
      parts.push(`${days} ${perDay[i].text}`);
    }
    i = j + 1;
  }
  return parts;
}

/** An instant as the portal's clock shows it, with the zone's abbreviation: "Tue, Nov 24, 09:00 CET". */
export function formatInZone(unixSeconds: number, timeZone: string, lang: Lang): string {
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  };
  const when = new Date(unixSeconds * 1000);
  try {
    return new Intl.DateTimeFormat(lang, { ...options, timeZone }).format(when);
  } catch {
    // A zone this browser does not know: UTC, which the abbreviation says.
    return new Intl.DateTimeFormat(lang, { ...options, timeZone: 'UTC' }).format(when);
  }
}

/** Whether "YYYY-MM-DD" is a real calendar date. */
export function validDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** A date for lists: "Fri, Dec 25, 2026" in the UI's language (the date is a calendar day, not an instant). */
export function formatDate(date: string, lang: Lang): string {
  if (!validDate(date)) return date;
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(lang, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}
