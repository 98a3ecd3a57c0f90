/** A compact duration: "42 s", "5 min 3 s", "2 h 5 min", "3 d 4 h". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`;
  return `${seconds} s`;
}

/**
 * The locale to format dates in: the visitor's own (e.g. en-GB) when it is in
 * the language the page shows, else just the page's language.
 */
export function localeFor(lang: string): string {
  const preferred = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  return preferred.find((tag) => tag.toLowerCase().split('-')[0] === lang) ?? lang;
}

/** Date and time of a moment (milliseconds), e.g. "Monday, 3 March 2025 at 09:00". */
export function formatDateTime(lang: string, ms: number, long = false): string {
  try {
    return new Intl.DateTimeFormat(localeFor(lang), {
      dateStyle: long ? 'full' : 'medium',
      timeStyle: 'short',
    }).format(new Date(ms));
  } catch {
    return new Date(ms).toISOString();
  }
}

/** Clock time of a moment (milliseconds), e.g. "09:41:07". */
export function formatTime(lang: string, ms: number): string {
  return new Intl.DateTimeFormat(localeFor(lang), { timeStyle: 'medium' }).format(new Date(ms));
}

/** How long ago (or until) a moment is, e.g. "5 minutes ago", "vor 2 Stunden". */
export function formatRelative(lang: string, ms: number, now: number): string {
  const seconds = Math.round((ms - now) / 1000);
  const abs = Math.abs(seconds);
  const format = new Intl.RelativeTimeFormat(localeFor(lang), { numeric: 'auto' });
  if (abs < 45) return format.format(0, 'second');
  if (abs < 45 * 60) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86400), 'day');
}

/** A countdown: "4:05", or "1:02:03" from an hour on. */
export function formatCountdown(totalSeconds: number): string {
  const s = Math.max(0, Math.ceil(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** A 9-digit connection code as people read it: "123 456 789". */
export function groupCode(code: string): string {
  const digits = code.replace(/\D/g, '');
  return digits.length === 9 ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : code;
}

/** When a chat line was written: "14:05" today, else with the date ("23/11/2026, 14:05"). */
export function formatChatTime(lang: string, ms: number, now: number): string {
  const date = new Date(ms);
  const today = new Date(now).toDateString() === date.toDateString();
  try {
    return new Intl.DateTimeFormat(
      localeFor(lang),
      today ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' },
    ).format(date);
  } catch {
    return date.toISOString();
  }
}

/** A file's size as people read it: "512 B", "12 KB", "1.5 MB" (1 KB = 1,024 bytes). */
export function formatBytes(lang: string, bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // Whole kilobytes; one decimal from a megabyte on, where it still matters.
  const digits = unit >= 2 && value < 100 ? 1 : 0;
  const number = new Intl.NumberFormat(localeFor(lang), { maximumFractionDigits: digits }).format(value);
  return `${number} ${units[unit]}`;
}
