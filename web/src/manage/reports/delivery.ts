// A saved report's e-mail delivery as the save form holds it (docs/reports.md,
// "E-mail delivery"): the schedule, the time as the time input writes it
// (HH:MM) and the address ("" the manager's own).
import { DEFAULT_SEND_AT, type SavedReport, type SavedReportInput, type Schedule } from './savedReportsApi';

export interface Delivery {
  schedule: Schedule;
  /** HH:MM, or "" while the time input is incomplete. */
  at: string;
  email: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Minutes after midnight as HH:MM (360 → "06:00"). */
export const clockText = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

/** HH:MM (seconds, if any, dropped) as minutes after midnight; undefined for anything else. */
export function minutesOf(clock: string): number | undefined {
  const m = /^(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(clock);
  if (!m) return undefined;
  const [h, min] = [Number(m[1]), Number(m[2])];
  return h < 24 && min < 60 ? h * 60 + min : undefined;
}

/** The form's delivery for a saved report, or the defaults (never, 06:00, own address). */
export const deliveryOf = (r?: SavedReport): Delivery =>
  r
    ? { schedule: r.schedule, at: clockText(r.send_at), email: r.email }
    : { schedule: '', at: clockText(DEFAULT_SEND_AT), email: '' };

type Sent = Pick<SavedReportInput, 'schedule' | 'send_at' | 'email'>;

/**
 * What is sent; undefined when a delivery is chosen without a whole time.
 * "Never" keeps the time and forgets the address (a hidden address is never refused).
 */
export function deliverySent(d: Delivery): Sent | undefined {
  const minutes = minutesOf(d.at);
  if (d.schedule === '') return { schedule: '', send_at: minutes ?? DEFAULT_SEND_AT, email: '' };
  if (minutes === undefined) return undefined;
  return { schedule: d.schedule, send_at: minutes, email: d.email.trim() };
}
