// Days (YYYY-MM-DD) in the manager's own time zone, and where they start as
// Unix ms: a report of the first to the last day (both included) is the
// range [start of the first, start of the day after the last).

/** The time zone if this browser knows it, else undefined (the browser's own). */
export function knownZone(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

/** The wall-clock date and time of a moment in the zone, as if it were UTC (ms). */
function wallClock(ms: number, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
}

/** The zone's offset from UTC at a moment, in ms (east positive). */
const offsetAt = (ms: number, timeZone: string | undefined) =>
  wallClock(ms, timeZone) - Math.floor(ms / 1000) * 1000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function parseDay(day: string): [number, number, number] | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** The day (YYYY-MM-DD) a moment falls on in the zone. */
export function dayOf(ms: number, timeZone: string | undefined): string {
  const d = new Date(wallClock(ms, timeZone));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The day `n` days after (before, when negative) `day`. */
export function addDays(day: string, n: number): string {
  const p = parseDay(day);
  if (!p) return day;
  const d = new Date(Date.UTC(p[0], p[1] - 1, p[2] + n));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Where `day` starts in the zone, in Unix ms (its first moment, should midnight be skipped); undefined for no day. */
export function dayStart(day: string | undefined, timeZone: string | undefined): number | undefined {
  const p = day ? parseDay(day) : undefined;
  if (!p) return undefined;
  const wall = Date.UTC(p[0], p[1] - 1, p[2]);
  // The offset at the guess, then at the moment found: they differ only across a change of the offset.
  let ms = wall - offsetAt(wall, timeZone);
  const again = wall - offsetAt(ms, timeZone);
  if (again !== ms && dayOf(again, timeZone) === day) ms = again;
  return ms;
}
